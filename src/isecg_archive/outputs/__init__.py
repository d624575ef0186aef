"""What the archive gives out, in the formats other software reads: exports of records
(exporting.py: BibTeX, RIS, CSL-JSON, CSV and the rest), Atom feeds of a search (feeds.py),
OAI-PMH for harvesters (oai.py), the catalogue as a spreadsheet, written and read back
(catalogue.py), and CSV cells as spreadsheets read them (spreadsheets.py)."""
