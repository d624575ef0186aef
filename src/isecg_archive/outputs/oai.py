"""OAI-PMH 2.0 (the Open Archives Initiative's harvesting protocol) with Dublin Core records.

Every document is an item `oai:<repository id>:<id>`, datestamped by its record's last change;
sets are its agencies, topics and type (`agency:NASA`, `topic:lunar-surface`, `type:roadmap`);
documents moved to the trash are reported as deleted. Lists come in pages; the resumption token
carries the request and the last item sent, so the server keeps no state between pages and an
item changed meanwhile is not sent twice in the same harvest.
"""

from __future__ import annotations

import base64
import binascii
import json
import mimetypes
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from isecg_archive.citing import Links
from isecg_archive.cleantext import xml_bytes
from isecg_archive.collection import Collection
from isecg_archive.errors import ArchiveError, QueryError
from isecg_archive.search import SearchRequest
from isecg_archive.storage.records import DOCUMENT_TYPES, Document, moment, seconds

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Items are oai:REPOSITORY-ID:DOCUMENT-ID (the oai-identifier scheme); identifiers of the
# form an older version gave are still answered.
REPOSITORY_ID = "isecg-archive.localhost"
ADMIN_EMAIL = "admin@localhost.localdomain"
OLD_PREFIX = "oai:isecg-archive:"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
PAGE_SIZE = 100  # records (or identifiers, or sets) in one response
SET_FIELDS = {"agency": "agency", "topic": "topic", "type": "type"}  # set -> index field
VERBS = {
    # verb: (required, optional) arguments; a resumptionToken is exclusive where allowed
    "Identify": ((), ()),
    "ListMetadataFormats": ((), ("identifier",)),
    "ListSets": ((), ("resumptionToken",)),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set", "resumptionToken")),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set", "resumptionToken")),
    "GetRecord": (("identifier", "metadataPrefix"), ()),
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OAIError(QueryError):
    """A request the protocol says to refuse, with the protocol's code for it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Item:
    changed: int  # the datestamp, in seconds
    id: str
    file: str | None  # the record's path in the archive; None for a deleted item
    deleted: Document | None = None  # the record as it was, for a deleted item


def _seconds(text: str, end: bool) -> tuple[int, str]:
    """A from/until argument in seconds (until a day means its last second), and its granularity."""
    if _SECOND.match(text):
        granularity, parsed = "second", datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    elif _DAY.match(text):
        granularity, parsed = "day", datetime.strptime(text, "%Y-%m-%d")
    else:
        raise ValueError(text)
    seconds = int(parsed.replace(tzinfo=UTC).timestamp())
    return seconds + (86399 if end and granularity == "day" else 0), granularity


class Repository:
    """Answers OAI-PMH requests for a collection, at the viewer's base URL."""

    def __init__(
        self,
        collection: Collection,
        links: Links,
        admin_email: str = ADMIN_EMAIL,
        page_size: int = PAGE_SIZE,
        repository_id: str = REPOSITORY_ID,
    ) -> None:
        self.collection = collection
        self.page_size = page_size
        self.links = links
        self.admin_email = admin_email
        self.repository_id = repository_id
        self.prefix = f"oai:{repository_id}:"
        self.base_url = f"{links.base}/oai"

    # The response -------------------------------------------------------------------------

    def respond(self, pairs: Sequence[tuple[str, str]], now: datetime | None = None) -> bytes:
        """The XML response to a request's arguments (query string or form, in order)."""
        namespaces = (("", OAI), ("oai_dc", OAI_DC), ("dc", DC), ("xsi", XSI))
        for prefix, uri in (*namespaces, ("oai-identifier", OAI_IDENTIFIER)):
            ET.register_namespace(prefix, uri)
        root = ET.Element(
            f"{{{OAI}}}OAI-PMH",
            {f"{{{XSI}}}schemaLocation": f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"},
        )
        _sub(root, "responseDate", (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"))
        echoed = _sub(root, "request", self.base_url)
        try:
            args = self._arguments(pairs)
            for name, value in args.items():
                echoed.set(name, value)
            body = getattr(self, f"_{args['verb']}")(args)
            root.append(body)
        except OAIError as error:
            if error.code in ("badVerb", "badArgument"):
                echoed.attrib.clear()
            _sub(root, "error", str(error), code=error.code)
        return xml_bytes(root)

    def _arguments(self, pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
        args: dict[str, str] = {}
        for name, value in pairs:
            if name in args:
                code = "badVerb" if name == "verb" else "badArgument"
                raise OAIError(code, f"the argument {name} is given more than once")
            args[name] = value
        verb = args.get("verb")
        if verb not in VERBS:
            raise OAIError(
                "badVerb", f"the verb {verb!r} is not an OAI-PMH verb" if verb else "no verb"
            )
        required, optional = VERBS[verb]
        given = set(args) - {"verb"}
        if "resumptionToken" in given:
            if given != {"resumptionToken"}:
                raise OAIError("badArgument", "resumptionToken is an exclusive argument")
            return args
        unknown = given - set(required) - set(optional)
        if unknown:
            raise OAIError("badArgument", f"{verb} takes no argument {', '.join(sorted(unknown))}")
        missing = [name for name in required if name not in given]
        if missing:
            raise OAIError("badArgument", f"{verb} needs the argument {', '.join(missing)}")
        return args

    # Verbs ------------------------------------------------------------------------------

    def _Identify(self, args: dict[str, str]) -> ET.Element:  # noqa: N802 - the verb's name
        body = ET.Element(f"{{{OAI}}}Identify")
        items = self._items(SearchRequest())
        earliest = min((item.changed for item in items), default=0)
        for tag, text in (
            ("repositoryName", "ISECG Archive"),
            ("baseURL", self.base_url),
            ("protocolVersion", "2.0"),
            ("adminEmail", self.admin_email),
            ("earliestDatestamp", moment(earliest)),
            ("deletedRecord", "transient"),
            ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
        ):
            _sub(body, tag, text)
        # How identifiers are made, in the form the oai-identifier guidelines give.
        described = ET.Element(
            f"{{{OAI_IDENTIFIER}}}oai-identifier",
            {f"{{{XSI}}}schemaLocation": f"{OAI_IDENTIFIER} {OAI_IDENTIFIER}.xsd"},
        )
        sample = next(iter(items), None)
        for tag, text in (
            ("scheme", "oai"),
            ("repositoryIdentifier", self.repository_id),
            ("delimiter", ":"),
            ("sampleIdentifier", self.prefix + (sample.id if sample else "0123456789ab")),
        ):
            ET.SubElement(described, f"{{{OAI_IDENTIFIER}}}{tag}").text = text
        _sub(body, "description").append(described)
        return body

    def _ListMetadataFormats(self, args: dict[str, str]) -> ET.Element:  # noqa: N802
        if "identifier" in args:
            self._item(args["identifier"])
        body = ET.Element(f"{{{OAI}}}ListMetadataFormats")
        format_ = _sub(body, "metadataFormat")
        _sub(format_, "metadataPrefix", "oai_dc")
        _sub(format_, "schema", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
        _sub(format_, "metadataNamespace", OAI_DC)
        return body

    def _ListSets(self, args: dict[str, str]) -> ET.Element:  # noqa: N802
        if "resumptionToken" in args:
            raise OAIError("badResumptionToken", "the sets come in one list, without tokens")
        body = ET.Element(f"{{{OAI}}}ListSets")
        for spec, name in self._sets():
            element = _sub(body, "set")
            _sub(element, "setSpec", spec)
            _sub(element, "setName", name)
        return body

    def _ListIdentifiers(self, args: dict[str, str]) -> ET.Element:  # noqa: N802
        return self._list(args, records=False)

    def _ListRecords(self, args: dict[str, str]) -> ET.Element:  # noqa: N802
        return self._list(args, records=True)

    def _GetRecord(self, args: dict[str, str]) -> ET.Element:  # noqa: N802
        self._check_format(args["metadataPrefix"])
        body = ET.Element(f"{{{OAI}}}GetRecord")
        self._record(body, self._item(args["identifier"]))
        return body

    # Lists and their pages ----------------------------------------------------------------

    def _list(self, args: dict[str, str], records: bool) -> ET.Element:
        verb = args["verb"]
        if "resumptionToken" in args:
            args = _read_token(args["resumptionToken"], verb)
        self._check_format(args["metadataPrefix"])
        start = end = None
        granularities = set()
        try:
            if "from" in args:
                start, granularity = _seconds(args["from"], end=False)
                granularities.add(granularity)
            if "until" in args:
                end, granularity = _seconds(args["until"], end=True)
                granularities.add(granularity)
        except ValueError as exc:
            raise OAIError(
                "badArgument", f"{exc} is not a date as YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ"
            ) from None
        if len(granularities) > 1:
            raise OAIError("badArgument", "from and until must have the same granularity")
        if start is not None and end is not None and start > end:
            raise OAIError("badArgument", "from is after until")
        items = [
            item
            for item in self._items(self._set_request(args.get("set")), args.get("set"))
            if (start is None or item.changed >= start) and (end is None or item.changed <= end)
        ]
        after = (int(args.get("after_changed", -1)), args.get("after_id", ""))
        remaining = [item for item in items if (item.changed, item.id) > after]
        if not items:
            raise OAIError("noRecordsMatch", "no record matches these arguments")
        page = remaining[: self.page_size]
        body = ET.Element(f"{{{OAI}}}{verb}")
        for item in page:
            if records:
                self._record(body, item)
            else:
                self._header(body, item, self._document(item))
        cursor = len(items) - len(remaining)
        if len(items) > self.page_size:
            token = ""
            if len(remaining) > len(page):
                last = page[-1]
                token = _write_token(
                    {**args, "verb": verb, "after_changed": str(last.changed), "after_id": last.id}
                )
            _sub(
                body, "resumptionToken", token, completeListSize=str(len(items)), cursor=str(cursor)
            )
        return body

    def _set_request(self, spec: str | None) -> SearchRequest:
        if not spec:
            return SearchRequest()
        family, _, value = spec.partition(":")
        if family not in SET_FIELDS:
            raise OAIError("badArgument", f"no set {spec!r}; ListSets lists them")
        if not value:
            return SearchRequest()
        if family == "type":
            if value not in DOCUMENT_TYPES:
                raise OAIError("badArgument", f"no set {spec!r}; ListSets lists them")
            return SearchRequest(types=(value,))
        if family == "agency":
            return SearchRequest(agencies=(value,))
        return SearchRequest(topics=(value,))

    def _items(self, request: SearchRequest, spec: str | None = None) -> list[Item]:
        """Every item of a set, deleted ones included, by datestamp then id."""
        family, _, value = (spec or "").partition(":")
        any_of = SET_FIELDS[family] if family and not value else None
        live = self.collection.changes(request, any_of)
        ids = {document_id for _, document_id, _ in live}
        items = [Item(changed, document_id, file) for changed, document_id, file in live]
        gone: dict[str, Item] = {}
        for trashed in self._trash():
            document, when = trashed.document, trashed.when
            if document.id in ids:
                continue
            if spec and (
                spec not in _set_specs(document) if value else not _set_specs(document, family)
            ):
                continue
            seconds = int(when.timestamp())
            if document.id not in gone or gone[document.id].changed < seconds:
                gone[document.id] = Item(seconds, document.id, None, document)
        items += gone.values()
        items.sort(key=lambda item: (item.changed, item.id))
        return items

    def _item(self, identifier: str) -> Item:
        prefix = next((p for p in (self.prefix, OLD_PREFIX) if identifier.startswith(p)), None)
        document_id = identifier.removeprefix(prefix or "")
        if prefix and re.fullmatch(r"[0-9a-f]{6,64}", document_id):
            try:
                document = self.collection.find(document_id)
                if document.id == document_id:
                    return Item(seconds(document.changed), document.id, document.file)
            except ArchiveError:
                pass
            for trashed in self._trash():
                if trashed.document.id == document_id:
                    stamp = int(trashed.when.timestamp())
                    return Item(stamp, document_id, None, trashed.document)
        raise OAIError("idDoesNotExist", f"no item {identifier!r} in this repository")

    def _trash(self) -> Iterator[Any]:
        """The trash, as harvesters may see it: what is for the agencies only left out."""
        for trashed in self.collection.archive.trash():
            if self.collection.show_internal or not trashed.document.internal:
                yield trashed

    def _check_format(self, prefix: str) -> None:
        if prefix != "oai_dc":
            raise OAIError("cannotDisseminateFormat", f"no format {prefix!r}; use oai_dc")

    def _sets(self) -> list[tuple[str, str]]:
        vocabulary = self.collection.vocabulary
        names = {a.key: a.name for a in vocabulary.agencies}
        topics = {t.key: t.label for t in vocabulary.topics}
        result = self.collection.search(SearchRequest(per_page=1))
        found: dict[str, str] = {}
        for facet in result.facets:
            if facet.name in SET_FIELDS:
                for value in facet.values:
                    label = {"agency": names, "topic": topics}.get(facet.name, {}).get(value.value)
                    found[f"{facet.name}:{value.value}"] = label or value.label
        # The sets of deleted records too: a harvester asks for a set to learn what left it.
        for trashed in self._trash():
            for spec in _set_specs(trashed.document):
                family, _, key = spec.partition(":")
                found.setdefault(
                    spec, {"agency": names, "topic": topics}.get(family, {}).get(key, key)
                )
        sets = [("agency", "Agencies"), ("topic", "Topics"), ("type", "Document types")]
        return sets + sorted(found.items())

    # Records ------------------------------------------------------------------------------

    def _document(self, item: Item) -> Document | None:
        if item.deleted is not None:
            return item.deleted
        try:
            return self.collection.archive.read(item.file or "")
        except ArchiveError:
            return None

    def _header(self, parent: ET.Element, item: Item, document: Document | None) -> None:
        header = _sub(parent, "header")
        if item.deleted is not None:
            header.set("status", "deleted")
        _sub(header, "identifier", self.prefix + item.id)
        _sub(header, "datestamp", moment(item.changed))
        for spec in _set_specs(document) if document else ():
            _sub(header, "setSpec", spec)

    def _record(self, parent: ET.Element, item: Item) -> None:
        document = self._document(item)
        record = _sub(parent, "record")
        self._header(record, item, document)
        if item.deleted is None and document is not None:
            metadata = _sub(record, "metadata")
            metadata.append(self._dublin_core(document))

    def _dublin_core(self, document: Document) -> ET.Element:
        dc = ET.Element(
            f"{{{OAI_DC}}}dc",
            {
                f"{{{XSI}}}schemaLocation": f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
            },
        )
        labels = {t.key: t.label for t in self.collection.vocabulary.topics}

        def add(tag: str, values: Iterable[str | None]) -> None:
            for value in values:
                if value:
                    ET.SubElement(dc, f"{{{DC}}}{tag}").text = value

        add("title", [document.title])
        add("creator", document.authors)
        add("subject", [labels.get(topic, topic) for topic in document.topics])
        add("publisher", [*document.agencies, *document.organisations])
        add("date", [str(document.date) if document.date else None])
        add("type", ["Text", document.type])  # the DCMI Type, then the archive's own
        add("format", [mimetypes.guess_type(document.file)[0]])
        add("identifier", [self.links.document(document.id)])
        add("relation", [document.event])
        return dc


def _set_specs(document: Document, family: str | None = None) -> list[str]:
    specs = [f"agency:{agency}" for agency in document.agencies]
    specs += [f"topic:{topic}" for topic in document.topics]
    specs.append(f"type:{document.type}")
    return [spec for spec in specs if family is None or spec.startswith(f"{family}:")]


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{OAI}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


_TOKEN_KEYS = ("verb", "metadataPrefix", "set", "from", "until", "after_changed", "after_id")


def _write_token(args: dict[str, Any]) -> str:
    kept = {key: args[key] for key in _TOKEN_KEYS if key in args}
    return base64.urlsafe_b64encode(json.dumps(kept).encode()).decode().rstrip("=")


def _read_token(token: str, verb: str) -> dict[str, str]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(data, dict) or data.get("verb") != verb or "metadataPrefix" not in data:
            raise ValueError
        if not all(isinstance(v, str) for v in data.values()) or set(data) - set(_TOKEN_KEYS):
            raise ValueError
        int(data.get("after_changed", "0"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise OAIError(
            "badResumptionToken", "this resumption token is not one this repository gave"
        ) from None
    return data
