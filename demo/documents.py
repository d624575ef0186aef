"""The demo collection: documents written for this project about ISECG subjects.

Each entry is one source file. "pages" are the text of each PDF page or slide; for the other
formats the pages are joined. "ingest" holds what a librarian sets at ingest time, if anything.
"""

DOCUMENTS = [
    {
        "file": "isecg-reference-architecture-lunar-2010.pdf",
        "kind": "report",
        "title": "Reference Architecture for Human Lunar Exploration: Summary Report",
        "author": "ISECG Architecture Working Group",
        "created": "2010-07-20",
        "pages": [
            "Reference Architecture for Human Lunar Exploration\nSummary Report\nJuly 2010\n\n"
            "This summary report describes a reference architecture for returning humans to the "
            "lunar surface, prepared by architects from NASA, ESA, CNES and DLR within the "
            "International Space Exploration Coordination Group. NASA led the transportation "
            "analysis; ESA and CNES studied surface mobility; DLR studied lander options.\n\n"
            "The architecture is not a plan of any single agency. It shows how contributions from "
            "several partners could fit together so that each agency can see where its own "
            "investments would have the greatest effect.",
            "Architecture elements\n\n"
            "The reference architecture combines a crew transportation system, a cargo lander, "
            "small robotic precursors and a pressurised rover. Robotic missions arrive first to "
            "characterise landing sites, measure dust and test surface operations. Crewed "
            "sorties follow, each lasting up to fourteen days near the lunar poles.\n\n"
            "DLR examined a reusable cargo lander able to deliver two tonnes to the lunar surface. "
            "CNES examined the thermal design of a rover that could survive the lunar night.",
            "International cooperation\n\n"
            "The study found that international cooperation is most effective when interfaces are "
            "agreed early: docking systems, power connectors and communication standards. Common "
            "interfaces allow each partner to build elements independently and still have them "
            "work together on the Moon.\n\n"
            "The working group recommends that agencies continue joint architecture studies and "
            "publish their assumptions so that industry and academia can contribute.",
        ],
    },
    {
        "file": "global-exploration-roadmap-2011-summary.pdf",
        "kind": "report",
        "title": "The Global Exploration Roadmap: Executive Summary",
        "author": "International Space Exploration Coordination Group",
        "created": "2011-09-15",
        "pages": [
            "The Global Exploration Roadmap\nExecutive Summary\nSeptember 2011\n\n"
            "The Global Exploration Roadmap (GER) reflects the work of space agencies, including "
            "NASA, ESA, JAXA, CSA and ASI, to coordinate their plans for human and robotic "
            "exploration of the solar system. It starts from the International Space Station and "
            "lays out two pathways: the Moon next, or a near-Earth asteroid next, with Mars as the "
            "common long-term goal.",
            "Common goals\n\n"
            "Participating agencies agreed on a set of common goals: develop exploration "
            "technologies, engage the public in exploration, search for life, extend human "
            "presence, and perform science to understand the Moon, Mars and near-Earth asteroids. "
            "Each mission scenario in the roadmap is assessed against these goals.",
            "Mission scenarios\n\n"
            "In the asteroid-next scenario, crews visit a near-Earth asteroid in deep space before "
            "travelling to the Martian moons and then the surface of Mars. In the Moon-next "
            "scenario, crews explore the lunar surface, testing systems and operations that Mars "
            "missions will need. Both scenarios rely on robotic precursor missions.",
            "Next steps\n\n"
            "The roadmap is a living document. The agencies will update it as their plans mature, "
            "inviting comments from industry, academia and the public. JAXA, CSA and ASI noted "
            "the value of the roadmap for informing national decisions.",
        ],
    },
    {
        "file": "nea-human-exploration-workshop-2012-summary.md",
        "kind": "markdown",
        "title": "Near-Earth Asteroid Human Exploration Workshop: Summary",
        "pages": [
            "# Near-Earth Asteroid Human Exploration Workshop: Summary\n\n"
            "Workshop held 14-15 June 2012. Summary published August 2012.\n\n"
            "Scientists and engineers from NASA, ESA and JAXA met to discuss what crewed missions "
            "to near-Earth asteroids could achieve. JAXA shared lessons from its asteroid sample "
            "return experience; ESA presented studies of asteroid deflection; NASA described "
            "deep space habitat concepts.\n\n"
            "## Findings\n\n"
            "- Few known near-Earth asteroids are reachable with round trips under one year; "
            "better surveys are needed to find more targets.\n"
            "- Robotic precursors should characterise a target's spin, surface and regolith "
            "before a crew arrives.\n"
            "- Asteroid samples collected by crews would address questions about the early solar "
            "system and planetary defence.\n\n"
            "## Recommendations\n\n"
            "Participants recommended a coordinated survey of near-Earth objects and a shared "
            "catalogue of accessible targets, open to the science community.",
        ],
        "ingest": {"event": "NEA Human Exploration Workshop"},
    },
    {
        "file": "ger-2013-update-briefing.pdf",
        "kind": "slides",
        "title": "Global Exploration Roadmap 2013 Update: Briefing",
        "author": "ISECG Secretariat",
        "created": "2013-08-20",
        "pages": [
            "Global Exploration Roadmap 2013 Update\nBriefing to stakeholders\nAugust 2013\n"
            "NASA · ESA · KARI · ISECG Secretariat",
            "What changed since 2011\n- Roadmap now shows one pathway: cislunar space, then Mars\n"
            "- Added KARI and other new participants\n- Mission scenario reflects agency budgets",
            "Cislunar space first\n- Crews operate beyond low Earth orbit near the Moon\n"
            "- Tests habitation, deep space propulsion and operations\n"
            "- Cislunar missions prepare for Mars",
            "Mars as the driving goal\n- Human missions to Mars in the 2030s\n"
            "- Robotic missions return samples first\n- ESA and NASA studying Mars sample return",
            "Next steps\n- Agencies share the roadmap with national stakeholders\n"
            "- Industry consulted on critical technologies\n- Next update planned for 2017",
        ],
    },
    {
        "file": "lunar-polar-volatiles-workshop-2014-announcement.html",
        "kind": "html",
        "title": "ISECG announces the Lunar Polar Volatiles Workshop",
        "meta_date": "2014-02-03",
        "pages": [
            "ISECG announces the Lunar Polar Volatiles Workshop\n\n"
            "The International Space Exploration Coordination Group will hold a Lunar Polar "
            "Volatiles workshop on April 10-11, 2014, hosted by NASA with support from JAXA and "
            "the Canadian Space Agency.\n\n"
            "Orbital data suggest that water ice may be trapped in permanently shadowed regions "
            "near the lunar poles. The workshop will review what NASA, JAXA and CSA missions have "
            "learned about these polar volatiles and ask what a prospecting mission must measure "
            "to decide whether the ice could be used as a resource.\n\n"
            "Researchers are invited to submit short abstracts on neutron spectrometer results, "
            "cold trap modelling and rover instruments.",
        ],
    },
    {
        "file": "polar-prospecting-rovers-2014-slides.pdf",
        "kind": "slides",
        "title": "Prospecting Lunar Polar Volatiles with Small Rovers",
        "author": "Canadian Space Agency",
        "created": "2014-10-29",
        "pages": [
            "Prospecting Lunar Polar Volatiles with Small Rovers\nCanadian Space Agency\n"
            "Exploration workshop, 29-31 October 2014, Saint-Hubert, Canada",
            "Why prospect\n- Polar volatiles could supply water and oxygen\n"
            "- Orbital maps are too coarse to plan extraction\n"
            "- Ground truth needed inside permanently shadowed regions",
            "A small rover concept\n- 300 kg rover with drill and neutron spectrometer\n"
            "- Operates for days in shadow on batteries\n- Teleoperation from Earth",
            "Measurements\n- Hydrogen abundance every 10 m of traverse\n"
            "- Drill samples to one metre depth\n- Volatile composition by mass spectrometer",
            "Canadian contribution\n- CSA robotics heritage from Canadarm\n"
            "- Rover mobility and drill from Canadian industry\n- Open to partner instruments",
        ],
    },
    {
        "file": "isru-technology-assessment-2015.txt",
        "kind": "text",
        "title": "ISRU Technology Assessment",
        "pages": [
            "ISRU Technology Assessment\nReport of the ISECG Technology Working Group\n"
            "March 2015\n\n"
            "This report assesses technologies for in-situ resource utilisation (ISRU) on the Moon "
            "and Mars. Contributions came from ESA, DLR and ASI, with review by other member "
            "agencies.\n\n"
            "Oxygen extraction from regolith has been shown in laboratories at small scale. ESA "
            "and DLR experiments reduced simulated regolith with hydrogen and recovered oxygen. "
            "ASI studied the handling of abrasive material in excavation equipment.\n\n"
            "Propellant production from water ice would have the largest effect on mission mass, "
            "but depends on the ice deposits being accessible. The report recommends technology "
            "demonstrations on the lunar surface before any agency commits to ISRU in a crewed "
            "mission design.",
        ],
    },
    {
        "file": "science-white-paper-2016.pdf",
        "kind": "report",
        "title": "Scientific Opportunities Enabled by Human Exploration: a White Paper",
        "author": "ISECG Science Working Group",
        "created": "2016-09-05",
        "pages": [
            "Scientific Opportunities Enabled by Human Exploration beyond Low Earth Orbit\n"
            "A white paper of the ISECG Science Working Group\nSeptember 2016\n\n"
            "Scientists from ESA, NASA, JAXA and CNES wrote this white paper to describe the "
            "science that human exploration makes possible. It was prepared with the wider science "
            "community through workshops and an open comment period.",
            "Science of the Moon\n\n"
            "The Moon preserves a record of the early Earth-Moon system and of the history of the "
            "Sun. Samples from the lunar poles could reveal the origin of polar volatiles. "
            "Astronauts are effective field geologists: they select samples, recognise context and "
            "adapt to discoveries.",
            "Science from cislunar space\n\n"
            "A crewed platform in lunar orbit enables heliophysics observations, radiation biology "
            "experiments and the teleoperation of rovers on the far side. A low-frequency radio "
            "telescope on the far side would observe the cosmic dark ages.",
            "Science of Mars\n\n"
            "Mars is the most promising place to search for past life beyond Earth. Human "
            "explorers working with robotic assistants could drill deep, examine outcrops and "
            "choose samples for return. Planetary protection must guide every step.",
        ],
    },
    {
        "file": "lunar-polar-volatiles-workshop-2016-summary.pdf",
        "kind": "report",
        "title": "Lunar Polar Volatiles Workshop 2016: Summary",
        "author": "ISECG",
        "created": "2016-04-12",
        "pages": [
            "Lunar Polar Volatiles Workshop: Summary\nWorkshop held 10-11 February 2016\n"
            "Published April 2016\n\n"
            "The second ISECG workshop on lunar polar volatiles brought together NASA, JAXA and "
            "ISRO scientists with mission planners. NASA presented new neutron spectrometer "
            "maps; JAXA presented a lander concept; ISRO presented results from its lunar orbiter.",
            "Findings\n\n"
            "Participants agreed that water ice is present in some permanently shadowed regions "
            "but that its concentration and depth remain uncertain. Cold traps appear patchy. "
            "Lateral variation over tens of metres cannot be seen from orbit.",
            "Prospecting strategy\n\n"
            "The workshop recommended a coordinated prospecting campaign: several small landers "
            "and rovers, each measuring hydrogen, temperature and regolith properties. Results "
            "should be shared among agencies in a common data format so that maps can be merged.",
        ],
        "ingest": {"event": "Lunar Polar Volatiles Workshop"},
    },
    {
        "file": "crew-health-deep-space-2016-slides.pdf",
        "kind": "slides",
        "title": "Crew Health and Performance in Deep Space",
        "author": "ISECG Human Health Working Group",
        "created": "2016-09-28",
        "pages": [
            "Crew Health and Performance in Deep Space\nHuman health session\n"
            "NASA · ESA · CSA · 28 September 2016",
            "Risks beyond low Earth orbit\n- Radiation exposure from cosmic rays and solar events\n"
            "- Bone loss and muscle loss\n- Isolation and confinement",
            "Countermeasures\n- Exercise devices that fit small habitats\n"
            "- Storm shelters for solar particle events\n- Autonomous medical care",
            "Research on the space station\n- ESA and NASA bone loss studies\n"
            "- CSA remote medical diagnostics\n- Behavioural health monitoring",
        ],
    },
    {
        "file": "stakeholder-engagement-2017.md",
        "kind": "markdown",
        "title": "Engaging Stakeholders in Space Exploration",
        "pages": [
            "---\ntitle: Engaging Stakeholders in Space Exploration\ndate: 2017-05\n"
            "author: ISECG Communications Working Group\n---\n\n"
            "# Engaging Stakeholders in Space Exploration\n\n"
            "Published May 2017.\n\n"
            "Exploration needs lasting public and political support. This report gathers "
            "experience from the UK Space Agency, ESA and the Italian Space Agency (ASI) on "
            "stakeholder engagement and public engagement.\n\n"
            "The UK Space Agency found that regional events with scientists and engineers reached "
            "audiences that national campaigns missed. ESA described its education programmes in "
            "schools. ASI described partnerships with museums.\n\n"
            "Benefits to society should be explained in concrete terms: jobs, technologies that "
            "reach daily life, and inspiration for students to choose science and engineering.",
        ],
    },
    {
        "file": "global-exploration-roadmap-2018.pdf",
        "kind": "report",
        "title": "The Global Exploration Roadmap, Third Edition: Overview",
        "author": "International Space Exploration Coordination Group",
        "created": "2018-01-31",
        "pages": [
            "The Global Exploration Roadmap\nThird Edition: Overview\nJanuary 2018\n\n"
            "The third edition of the Global Exploration Roadmap reflects the shared view of "
            "NASA, ESA, JAXA, CSA, ASI, CNES, DLR, KARI and UKSA on extending human presence "
            "into the solar system. Its horizon goal remains human missions to Mars.",
            "The lunar vicinity\n\n"
            "The roadmap introduces a crew-tended Gateway in cislunar space as a step toward the "
            "lunar surface and Mars. The Gateway would support science, test deep space systems "
            "and serve as a staging point for landers.",
            "Human lunar surface missions\n\n"
            "Human missions to the lunar surface follow robotic missions that prospect for polar "
            "volatiles and demonstrate landing technologies. Partners plan to contribute landers, "
            "rovers and surface habitats.",
            "Toward Mars\n\n"
            "Experience from the Moon and cislunar space prepares crews and systems for Mars. "
            "Mars sample return remains a priority for robotic exploration.",
        ],
    },
    {
        "file": "gateway-partnership-2018-news.html",
        "kind": "html",
        "title": "Agencies outline Gateway partnership in cislunar space",
        "meta_date": "2018-06-21",
        "pages": [
            "Agencies outline Gateway partnership in cislunar space\n\n"
            "NASA, ESA, JAXA and the Canadian Space Agency have described how they could share the "
            "building of a Gateway in lunar orbit. NASA would provide the power and propulsion "
            "element; ESA habitation and refuelling; JAXA logistics; the Canadian Space Agency "
            "robotics.\n\n"
            "The Gateway would fly in a near-rectilinear halo orbit, reachable by Orion and "
            "offering access to the whole lunar surface. ESA and JAXA stressed that common "
            "interfaces make the partnership possible.",
        ],
    },
    {
        "file": "mars-sample-return-2019-briefing.pdf",
        "kind": "slides",
        "title": "Mars Sample Return: International Briefing",
        "author": "ISECG",
        "created": "2019-04-16",
        "pages": [
            "Mars Sample Return: International Briefing\nNASA · ESA\n16 April 2019",
            "Science goals\n- Search for signs of ancient life in Martian rocks\n"
            "- Date the surface of Mars\n- Understand the climate history of Mars",
            "Campaign elements\n- Rover caches samples\n- Lander and ascent vehicle\n"
            "- Orbiter returns samples to Earth",
            "Partnership\n- NASA and ESA share elements\n- Sample handling facility on Earth\n"
            "- Science community selects samples",
            "Relevance to human exploration\n- Tests Mars ascent and rendezvous\n"
            "- Dust and regolith hazards for crews\n- Robotic missions prepare the way",
        ],
    },
    {
        "file": "lunar-surface-operations-workshop-2019-summary.txt",
        "kind": "text",
        "title": "Lunar Surface Operations Workshop: Summary",
        "pages": [
            "Lunar Surface Operations Workshop: Summary\n"
            "Workshop held 5-7 November 2019, Tokyo\n\n"
            "JAXA hosted the workshop with ISRO and KARI. Engineers from JAXA, ISRO and KARI "
            "compared plans for landers, rovers and surface power on the Moon.\n\n"
            "Findings: lunar night survival is the common problem. Radioisotope heaters, "
            "regenerative fuel cells and hibernation modes were compared. KARI described its "
            "lunar orbiter data for landing site selection. ISRO described lessons from its lander "
            "mission. JAXA described a pressurised rover for the lunar surface.\n\n"
            "Participants agreed to share landing site maps and to coordinate surface "
            "communication frequencies.",
        ],
        "ingest": {"event": "Lunar Surface Operations Workshop"},
    },
    {
        "file": "lunar-polar-volatiles-virtual-workshop-2020-summary.pdf",
        "kind": "report",
        "title": "Lunar Polar Volatiles Virtual Workshop 2020: Summary",
        "author": "ISECG",
        "created": "2020-12-01",
        "pages": [
            "Lunar Polar Volatiles Virtual Workshop: Summary\n"
            "Workshop held 27-29 October 2020, online\n\n"
            "The third workshop on lunar polar volatiles met online. NASA, ESA, JAXA and the "
            "Canadian Space Agency reported on missions that will land near the lunar south pole "
            "within five years.",
            "Mission updates\n\n"
            "NASA described a rover that will map water ice with a neutron spectrometer and a "
            "drill. JAXA described a prospecting rover built with ISRO. ESA described an "
            "instrument package that heats regolith samples to release volatiles.",
            "Coordination\n\n"
            "The workshop asked agencies to calibrate instruments against common standards and to "
            "publish data promptly. Knowing the form of the ice in cold traps will decide whether "
            "it can be extracted.",
        ],
        "ingest": {"event": "Lunar Polar Volatiles Virtual Workshop"},
    },
    {
        "file": "critical-technology-gaps-2020.html",
        "kind": "html",
        "title": "Critical Technology Gaps for Exploration: 2020 Assessment",
        "meta_date": "2020-03-10",
        "pages": [
            "Critical Technology Gaps for Exploration: 2020 Assessment\n\n"
            "The German Aerospace Center (DLR) and CNES led this assessment of critical "
            "technologies for exploration beyond low Earth orbit, with input from DLR and CNES "
            "laboratories and from industry.\n\n"
            "The largest gaps are in closed-loop life support, high-power electric propulsion, "
            "cryogenic fluid management and autonomy. Technology demonstration on the "
            "International Space Station and on the lunar Gateway can close some of them.\n\n"
            "The assessment recommends that agencies share test facilities and coordinate "
            "technology development so that partners do not duplicate work.",
        ],
    },
    {
        "file": "global-exploration-roadmap-2020-supplement.pdf",
        "kind": "report",
        "title": "Global Exploration Roadmap Supplement: Lunar Surface Exploration Scenario",
        "author": "International Space Exploration Coordination Group",
        "created": "2020-08-25",
        "pages": [
            "Global Exploration Roadmap Supplement\nLunar Surface Exploration Scenario\n"
            "August 2020\n\n"
            "This supplement to the Global Exploration Roadmap updates the lunar surface "
            "exploration scenario agreed by NASA, ESA, JAXA, CSA and other ISECG agencies. It "
            "responds to new plans to land crews near the lunar south pole.",
            "Scenario\n\n"
            "The scenario begins with robotic landers and the Gateway in cislunar space, followed "
            "by crewed landings of increasing duration. A pressurised rover and a surface "
            "habitat extend stays to several weeks.",
            "Contributions\n\n"
            "Partners identified contributions: transportation, habitation, mobility, "
            "communications and science instruments. The supplement shows how they combine and "
            "where gaps remain.",
        ],
    },
    {
        "file": "crew-health-white-paper-2021.md",
        "kind": "markdown",
        "title": "Crew Health and Performance for Mars Missions: a White Paper",
        "pages": [
            "# Crew Health and Performance for Mars Missions: a White Paper\n\n"
            "June 2021\n\n"
            "This white paper, prepared by NASA, ESA and JAXA medical experts, summarises the "
            "health risks of a three-year Mars mission and the research needed to reduce them.\n\n"
            "Radiation exposure over a Mars mission could approach career limits. Countermeasures "
            "include shielding, shorter transits and pharmaceutical protection. Bone loss and "
            "muscle loss are controlled on the space station with exercise, but a Mars crew must "
            "land and work after months of weightlessness.\n\n"
            "Crews far from Earth face communication delays of up to twenty minutes: medical care "
            "must become autonomous. NASA, ESA and JAXA propose joint analogue studies in "
            "isolation and a shared database of crew health data.",
        ],
    },
    {
        "file": "new-partners-cooperation-2022-slides.pdf",
        "kind": "slides",
        "title": "New Partners in International Cooperation",
        "author": "ISECG",
        "created": "2022-05-18",
        "pages": [
            "New Partners in International Cooperation\nUAE Space Agency · Australian Space "
            "Agency · UK Space Agency\nMay 2022",
            "Why new partners join\n- Access to international missions\n"
            "- Growth of national space industry\n- Inspiration for students",
            "UAE Space Agency\n- Mars orbiter experience\n- Contributions to lunar rovers\n"
            "- Astronaut programme",
            "Australian Space Agency\n- Robotics and remote operations from mining\n"
            "- Ground stations for deep space\n- Australian lunar rover contribution",
            "Making cooperation work\n- Stakeholder engagement at home\n"
            "- Common standards and interoperability\n- Roles for industry and academia",
        ],
    },
    {
        "file": "planetary-defence-2022-news.html",
        "kind": "html",
        "title": "Planetary defence test informs asteroid exploration",
        "meta_date": "2022-10-14",
        "pages": [
            "Planetary defence test informs asteroid exploration\n\n"
            "An asteroid deflection test by NASA, with follow-up observations planned by ESA, "
            "showed that a spacecraft impact can change the orbit of a small near-Earth asteroid. "
            "ESA and NASA scientists said the result will help plan both planetary defence and "
            "future exploration of near-Earth objects.\n\n"
            "Knowing how loosely bound rubble-pile asteroids respond to impacts matters for "
            "landing, sampling and anchoring. The data are public for the science community.",
        ],
    },
    {
        "file": "cislunar-logistics-study-2023.pdf",
        "kind": "report",
        "title": "Cislunar Logistics Study",
        "author": "ISECG",
        "created": "2023-03-30",
        "pages": [
            "Cislunar Logistics Study\nMarch 2023\n\n"
            "This study by NASA, ESA, JAXA and the Canadian Space Agency estimates the cargo "
            "needed to support the Gateway and lunar surface missions through the next decade. "
            "NASA, ESA, JAXA and CSA analysts built a shared model of logistics flights.",
            "Demand\n\n"
            "Each crewed mission needs about three tonnes of supplies, spares and science payloads "
            "delivered to cislunar space. Refuelling the Gateway adds propellant demand.",
            "Options\n\n"
            "Commercial logistics modules, reusable tugs and propellant from lunar ice were "
            "compared. Standard interfaces for cargo transfer and docking save mass and cost "
            "across the partnership.",
        ],
    },
    {
        "file": "lunar-south-pole-workshop-2024-summary.md",
        "kind": "markdown",
        "title": "Lunar South Pole Science and Resources Workshop: Summary",
        "pages": [
            "# Lunar South Pole Science and Resources Workshop: Summary\n\n"
            "Workshop held 20-22 February 2024, Bengaluru. Published March 2024.\n\n"
            "ISRO hosted the workshop with JAXA and the China National Space Administration "
            "(CNSA) among the participants. ISRO presented surface data from the south pole "
            "region; JAXA and CNSA described upcoming landers.\n\n"
            "Polar volatiles were the main subject. Participants compared measurements of "
            "hydrogen and water ice in permanently shadowed regions and discussed how to protect "
            "cold traps of scientific value from contamination by landers.\n\n"
            "The workshop recommended shared landing site catalogues and a registry of surface "
            "activities near the lunar south pole.",
        ],
        "ingest": {"event": "Lunar South Pole Science and Resources Workshop"},
    },
    {
        "file": "exploration-science-2024-briefing.pdf",
        "kind": "slides",
        "title": "Exploration Science Priorities: Briefing",
        "author": "ISECG Science Working Group",
        "created": "2024-09-10",
        "pages": [
            "Exploration Science Priorities\nBriefing · September 2024\nESA · ASI · CNES",
            "Science on the Moon\n- Sample the oldest crust\n- Seismic network\n"
            "- Far side radio astronomy",
            "Science for Mars\n- Search for life in the subsurface\n"
            "- Climate history from polar layers\n- Sample return science",
            "What ESA, ASI and CNES offer\n- Drills and analytical instruments\n"
            "- Science operations centres\n- Curation of returned samples",
        ],
    },
    {
        "file": "global-exploration-roadmap-2025-news.html",
        "kind": "html",
        "title": "ISECG begins work on the next Global Exploration Roadmap",
        "meta_date": "2025-01-22",
        "pages": [
            "ISECG begins work on the next Global Exploration Roadmap\n\n"
            "The agencies of ISECG have begun preparing a new edition of the Global Exploration "
            "Roadmap. NASA, ESA and JAXA will lead the chapters on the Moon and Mars; KASA, the "
            "Korea AeroSpace Administration, joins the work for the first time.\n\n"
            "The new roadmap will reflect crewed lunar landings planned this decade and the role "
            "of commercial partners. A public comment period is planned.",
        ],
        "ingest": {"type": "news"},
    },
    {
        "file": "kasa-lunar-exploration-plan-2025.txt",
        "kind": "text",
        "title": "Korean Lunar Exploration Plan: Overview for ISECG",
        "pages": [
            "Korean Lunar Exploration Plan: Overview for ISECG\nJune 2025\n\n"
            "The Korea AeroSpace Administration (KASA) presented its lunar exploration plan to "
            "ISECG partners. KASA builds on the lunar orbiter developed by KARI, the Korea "
            "Aerospace Research Institute, which mapped candidate landing sites.\n\n"
            "KASA plans a robotic lander in the 2030s with a small rover. KASA and KARI invite "
            "partners to fly instruments on the lander and to share surface data.",
        ],
    },
    {
        "file": "mars-human-missions-white-paper-2026.pdf",
        "kind": "report",
        "title": "Preparing for Human Missions to Mars: a White Paper",
        "author": "ISECG",
        "created": "2026-03-12",
        "pages": [
            "Preparing for Human Missions to Mars\nA white paper\nMarch 2026\n\n"
            "NASA, ESA, JAXA and the UAE Space Agency prepared this white paper on the steps "
            "that remain before crews can travel to Mars. NASA and ESA led the transportation "
            "chapters; JAXA and the UAE Space Agency led the science chapter.",
            "Technology\n\n"
            "Mars missions need reliable life support for three years, entry, descent and landing "
            "of heavy payloads, and power on the surface through dust storms. Each technology can "
            "be tested on the Moon first.",
            "Crew health\n\n"
            "Radiation, isolation and autonomy in medical care remain the hardest problems for "
            "crew health. The paper proposes a common research plan using the space station, the "
            "Gateway and analogue habitats on Earth.",
        ],
    },
]
