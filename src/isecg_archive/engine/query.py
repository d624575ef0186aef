"""From what a person types to a query: Whoosh's syntax, read as people write.

A query is read in three steps:

1. **Sentence punctuation is punctuation.** A `?`, `!`, `.`, `,` or `;` that ends a word is
   dropped (`m?rs` inside a word stays a wildcard); so is a colon after a word that is no field
   (`Question: ...`). A field that is not searchable (`foo:bar`) and a field with no value
   (`agency:`) are errors that list the fields.
2. **Parsing.** Text with no query syntax (no quotes, `field:value`, wildcards, operators,
   brackets, `~` or `^`) is split into its words directly, which keeps a pasted abstract cheap;
   anything else goes through Whoosh's parser. A query with AND, OR or NOT is Boolean as
   written: its words are not relaxed to "some of them" (`ranking.graded_matches`). In a query
   written all in capitals, AND, OR and NOT are words, not operators.
3. **Words.** Each word searched across the text fields becomes a `Word`: one word, however many
   fields and spellings it is looked for in (`ranking` scores it as one term, BM25F). A word
   with another spelling (`utilisation`, `utilization`) is looked for in both; an acronym and its
   expansions find each other (`glossary`); a word typed twice counts twice. Words inside quotes
   are taken as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from whoosh import query as q
from whoosh.fields import Schema
from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser

from isecg_archive.engine.analysis import TOKEN, is_indexed, stem
from isecg_archive.enrich.glossary import Glossary
from isecg_archive.errors import QueryError, QuerySyntaxError

MAX_QUERY_LENGTH = 20_000
TEXT_FIELDS = ("title", "content", "event", "author")
FIELD_ALIASES = {
    "agency": ["agencies"],
    "topic": ["topics"],
    "content": ["text", "body"],
    "author": ["authors"],
}
# The fields a person may name, as the README lists them (and their aliases, and `format`).
SEARCHABLE = ("title", "text", "author", "event", "agency", "topic", "type", "year", "format")
_NAMES = {*SEARCHABLE, *(alias for names in FIELD_ALIASES.values() for alias in names), "content"}

_QUOTED = re.compile(r'"[^"]*"?')
_SENTENCE_END = re.compile(r"(?<=[\w)\]}])[?!.,;]+(?=[\s\")]|$)")
_FIELD = re.compile(r"(?<![\w.])(\w+):(?=(\S*))")
_EXAMPLES = {"agency": "NASA", "topic": "lunar-surface", "type": "presentation", "year": "2020"}
_OPERATOR = re.compile(r"\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b")
_SYNTAX = re.compile(r'["*?~^\[\]{}]|\w:\S|(?<!\S)[-+]\w|' + _OPERATOR.pattern)
_WORD = re.compile(TOKEN)
_NAME_NUMBER = re.compile(r"([^\W\d_]{2,})(\d+)")
_SPACED_AMPERSAND = re.compile(r"\b(\w{1,3})\s*&\s*(\w{1,3})\b")


class Word(q.Or):
    """One word of the query, looked for in each text field, in each of its spellings.

    `typed` is the word as typed; `count` how many times the query has it. Ranking scores the
    whole as one term; to Whoosh (snippets, suggestions) it is the Or of its terms.
    """

    def __init__(
        self, subqueries: list[q.Query], typed: str, count: int = 1, spelled: int | None = None
    ) -> None:
        super().__init__(subqueries)
        self.typed = typed
        self.count = count
        self.spelled = len(subqueries) if spelled is None else spelled  # terms as typed

    def apply(self, fn: Callable[[q.Query], q.Query]) -> Word:
        """As Or.apply(), keeping what the word is (Whoosh's corrector rebuilds queries so)."""
        return Word([fn(part) for part in self.subqueries], self.typed, self.count, self.spelled)

    def typed_terms(self) -> list[tuple[str, str]]:
        """(field, term) of the word as typed, its other spellings left out."""
        return [(term.fieldname, term.text) for term in self.subqueries[: self.spelled]]

    def __repr__(self) -> str:
        return f"Word({self.typed!r}, {self.subqueries!r}, count={self.count})"

    @property
    def filler(self) -> bool:
        """A word a question needs and a document need not have ("what", "does")."""
        return self.typed.lower() in QUESTION_WORDS


class Either(q.Or):
    """Alternatives that mean the same (an acronym, its expansions): scored as the best one."""


class SpelledOut(q.Or):
    """Query words that spell out an acronym, or the acronym: `subqueries` is [And(words),
    acronym]. A document with the acronym matches all of those words."""


# Words that make a question a question; a document need not have them to match "all words".
# (The analyzer's own stop words, STOP_WORDS, are not indexed at all.)
QUESTION_WORDS = frozenset(
    """about above after again all also am any anything been before being below between both
    but could did do does doing done during each either else ever every few find further get
    give had has having he her here hers him his how i into its itself just know least less
    like look looking made make many me more most much must my need neither no nor now off
    once only other ought our ours out over own per please same shall she should show so some
    something such than their theirs them then there these they those though through too under
    until up upon very want was were what whatever which while who whom whose why within would
    yes""".split()
)


def parse_query(text: str, schema: Schema, glossary: Glossary | None = None) -> q.Query:
    """The query for a text a person typed; the empty query matches every document."""
    text = _punctuation(_printable(text))
    if not any(ch.islower() for ch in text):  # in capitals, AND, OR and NOT are words
        text = _OPERATOR.sub(lambda match: match.group().lower(), text)
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            f"the query is {len(text)} characters long; shorten it to at most"
            f" {MAX_QUERY_LENGTH:,} characters"
        )
    if not text:
        return q.Every()
    if _SYNTAX.search(text):
        parsed = _parsed(text, schema)
    else:
        parsed = _plain(text, schema)
    if parsed is q.NullQuery:
        joined = _SPACED_AMPERSAND.sub(r"\1&\2", text)  # "R & D" is R&D
        if joined != text:
            return parse_query(joined, schema, glossary)
        if any(ch.isalnum() for ch in text):  # only words too short or too common to index
            return q.NullQuery
        raise QueryError(
            f"the query {_short(text)!r} has no words to search for; type some words,"
            ' a "phrase", or field:value'
        )
    found = _with_words(parsed, text, schema, glossary or Glossary())
    if _OPERATOR.search(text):  # Boolean as written: an And around it keeps every part needed
        return q.And([found])
    return found


_PHRASE = re.compile(r'"([^"]*)"?')
_LEADING_SIGN = re.compile(r"(?<!\S)[-+]+(?=\w)")
_FIELD_NAME = re.compile(r"(?<![\w.])(\w+):")
_SYNTAX_MARKS = re.compile(r'["()\[\]{}]|[~^]\d*(?:\.\d+)?|(?<=\w)[*?]+|[*?]+(?=\w)|(?<!\w)[*?]+')


def query_words(text: str) -> str:
    """The query's words with its syntax taken away: quotes, parentheses, field names, AND/OR/
    NOT, signs before words, wildcards, boosts. Punctuation inside a word stays (R&D, U.S.)."""
    plain = _printable(text)
    plain = _FIELD_NAME.sub(
        lambda m: "" if m.group(1).lower() in _NAMES else m.group(1) + " ", plain
    )
    plain = _OPERATOR.sub(" ", plain)
    plain = _SYNTAX_MARKS.sub(" ", plain)
    plain = _LEADING_SIGN.sub("", plain)
    return " ".join(plain.split())


def relaxed_reason(text: str, found: Callable[[str], bool] = lambda quoted: False) -> str | None:
    """Why a query that found nothing may have found nothing as written: its phrases (those
    `found` says no document has), its operators and parentheses, its fields, its signs or its
    patterns. None for plain words, which already match documents with only some of them."""
    plain = _printable(text)
    quoted = [" ".join(p.split()) for p in _PHRASE.findall(plain) if p.strip()]
    if quoted:
        absent = [p for p in dict.fromkeys(quoted) if not found(p)]
        if not absent:
            return "No document has the query's quoted words together with its other words"
        named = " or ".join(f"“{p}”" for p in absent[:3])
        if any(" " in p for p in absent):
            return f"No document has the phrase {named}"
        return f"No document has {named} as written"
    if _OPERATOR.search(plain) or "(" in plain:
        return "No document matches the query as written, with its AND, OR, NOT and brackets"
    if any(m.group(1).lower() in _NAMES for m in _FIELD_NAME.finditer(plain)):
        return "No document matches the query's field:value as written"
    if _LEADING_SIGN.search(plain):
        return "No document matches the query with its + and - signs"
    if has_patterns(plain) or '"' in plain:
        return "No document matches the query as written"
    return None


def has_patterns(text: str) -> bool:
    """Whether a query holds wildcard patterns (`volatil*`, `m?rs`) outside its quotes: the
    dearest queries to run. Sentence punctuation (`ice?`) is no pattern."""
    if "*" not in text and "?" not in text:
        return False
    try:
        plain = _QUOTED.sub(" ", _punctuation(_printable(text)))
    except QueryError:
        return False  # refused before it costs anything
    return "*" in plain or "?" in plain


def _printable(text: str) -> str:
    return "".join(ch if ch >= " " else " " for ch in text).strip()


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _punctuation(text: str) -> str:
    """The text with sentence punctuation left out, and its field names checked."""
    pieces, last = [], 0
    for quoted in _QUOTED.finditer(text):
        pieces.append(_unquoted(text[last : quoted.start()], quote_follows=True))
        pieces.append(quoted.group())
        last = quoted.end()
    pieces.append(_unquoted(text[last:]))
    return "".join(pieces).strip()


def _unquoted(text: str, quote_follows: bool = False) -> str:
    """An unquoted stretch of a query; `quote_follows`: a "phrase" comes right after it, the
    value of a field name it ends with (title:"polar volatiles")."""

    def field(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2)
        if not value and quote_follows and match.end() == len(text):
            value = '"'  # the phrase that follows is the value
        if name.lower() not in _NAMES:  # "Gateway: A Status Report", "Question:why": words
            return name + " "
        if not value or value.startswith(")"):
            example = _EXAMPLES.get(name.lower().rstrip("s").replace("agencie", "agency"), "lunar")
            raise QuerySyntaxError(
                f"{name}: has no value; write one right after the colon, as in {name}:{example}"
            )
        return match.group()

    return _FIELD.sub(field, _SENTENCE_END.sub("", text))


def _parsed(text: str, schema: Schema) -> q.Query:
    parser = MultifieldParser(list(TEXT_FIELDS), schema, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    try:
        return parser.parse(text)
    except Exception as exc:  # Whoosh's parser raises assorted errors on odd input
        raise QuerySyntaxError(
            f"cannot understand the query {_short(text)!r} ({exc}); check its quotes,"
            " parentheses and field:value pairs"
        ) from None


def _plain(text: str, schema: Schema) -> q.Query:
    """Words with no syntax, as Whoosh would parse them with every word required."""
    words = [
        word
        for match in _WORD.finditer(text)
        if (word := _word(match.group(), schema, match.start(), match.end()))
    ]
    if not words:
        return q.NullQuery
    return words[0] if len(words) == 1 else q.And(words)


def _word(typed: str, schema: Schema, start: int, end: int) -> q.Or | None:
    terms: list[q.Query] = []
    for fieldname in TEXT_FIELDS:
        for token in schema[fieldname].process_text(typed, mode="query"):
            term = q.Term(fieldname, token)
            term.startchar, term.endchar = start, end
            terms.append(term)
    if not terms:
        return None
    return q.Or(terms)


def _with_words(parsed: q.Query, text: str, schema: Schema, glossary: Glossary) -> q.Query:
    """The parsed query with its words as `Word`s: spellings, acronyms and repeats added."""
    if _is_word(parsed):
        return _expanded(_as_word(parsed, text, schema, glossary), schema, glossary)
    if type(parsed) is q.And:
        parts = []
        for part in parsed.subqueries:
            pieces = _pieces(part)
            if pieces:  # low-power: two words, as they are without the parser (_plain)
                parts += [_expanded(piece, schema, glossary) for piece in pieces]
            else:
                parts.append(_with_words(part, text, schema, glossary))
        return _spelled_out(_counted(parts), schema, glossary)
    if isinstance(parsed, q.Or | q.And | q.AndNot | q.AndMaybe | q.Not | q.Otherwise):
        if type(parsed) is q.Or and not _is_word(parsed):
            return q.Or(
                [_with_words(part, text, schema, glossary) for part in _split_words(parsed)],
                boost=parsed.boost,
            )
        return parsed.apply(lambda part: _with_words(part, text, schema, glossary))
    return parsed


def _pieces(part: q.Query) -> list[Word]:
    """The words of one typed token the analyzer split (`low-power`, `NASA/ESA`), which
    Whoosh's parser makes an Or of one And of terms per field, every piece required: one Word
    per piece instead, each as any other word (in quotes they are a Phrase, kept as written).
    [] for anything else."""
    if type(part) is not q.Or or part.boost != 1 or not part.subqueries:
        return []
    groups = part.subqueries
    if not all(
        type(group) is q.And
        and all(type(t) is q.Term and t.fieldname in TEXT_FIELDS for t in group.subqueries)
        and len(group.subqueries) == len(groups[0].subqueries)
        for group in groups
    ):
        return []
    return [
        Word([group.subqueries[n] for group in groups], groups[0].subqueries[n].text)
        for n in range(len(groups[0].subqueries))
    ]


def _is_word(part: q.Query) -> bool:
    """An Or of plain terms for one stretch of the query text over the text fields."""
    if type(part) is not q.Or or not part.subqueries or part.boost != 1:
        return False
    terms = part.subqueries
    return all(
        type(term) is q.Term
        and term.boost == 1
        and term.fieldname in TEXT_FIELDS
        and getattr(term, "startchar", None) is not None
        and (term.startchar, term.endchar) == (terms[0].startchar, terms[0].endchar)
        for term in terms
    )


def _split_words(part: q.Or) -> list[q.Query]:
    """Whoosh flattens `a OR b` into one Or of every field's terms: one Or per word again."""
    groups: dict[object, list[q.Query]] = {}
    for sub in part.subqueries:
        key: object = (getattr(sub, "startchar", None), getattr(sub, "endchar", None))
        if type(sub) is not q.Term or getattr(sub, "startchar", None) is None:
            key = id(sub)
        groups.setdefault(key, []).append(sub)
    return [
        members[0] if isinstance(key, int) else q.Or(members) for key, members in groups.items()
    ]


def _as_word(part: q.Or, text: str, schema: Schema, glossary: Glossary) -> q.Query:
    first = part.subqueries[0]
    typed = text[first.startchar : first.endchar]
    if text[first.startchar - 1 : first.startchar] == '"':  # a word in quotes: as written
        return part
    terms = list(part.subqueries)
    for variant in glossary.spellings(typed):
        for fieldname in TEXT_FIELDS:
            terms += [q.Term(fieldname, t) for t in schema[fieldname].process_text(variant)]
    return Word(list(dict.fromkeys(terms)), typed, spelled=len(part.subqueries))


def _expanded(word: q.Query, schema: Schema, glossary: Glossary) -> q.Query:
    """A word that is an acronym, or the acronym's expansions; a name run into its number
    (Mars2020, Artemis3), or the two written apart."""
    if not isinstance(word, Word):
        return word
    expansions = glossary.expansions(word.typed)
    if not expansions and (parts := _NAME_NUMBER.fullmatch(word.typed)):
        expansions = (parts.groups(),)
    if not expansions:
        return word
    phrases = [_phrase(words, schema, glossary) for words in expansions]
    return Either([word, *(p for p in phrases if p is not None)])


def _phrase(words: tuple[str, ...], schema: Schema, glossary: Glossary) -> q.Query | None:
    """The words in sequence in any text field, each in any of its spellings."""
    options: list[q.Query] = []
    for spelled in _spelled(words, glossary):
        for fieldname in TEXT_FIELDS:
            stems = [t for word in spelled for t in schema[fieldname].process_text(word)]
            if len(stems) > 1:
                options.append(q.Phrase(fieldname, stems))
            elif stems:
                options.append(q.Term(fieldname, stems[0]))
    unique = list(dict.fromkeys(options))
    return q.Or(unique) if unique else None


def _spelled(words: tuple[str, ...], glossary: Glossary) -> list[tuple[str, ...]]:
    """The words in each combination of their spellings (a handful at most)."""
    combos: list[tuple[str, ...]] = [()]
    for word in words:
        forms = (word, *glossary.spellings(word))
        combos = [(*combo, form) for combo in combos for form in forms][:8]
    return combos


def _counted(parts: Iterable[q.Query]) -> list[q.Query]:
    """The parts with a repeated word kept once, counted as often as the query has it (words
    that search the same, as "parasites" and "parasitic" do, are the same word)."""
    kept: list[q.Query] = []
    seen: dict[frozenset[q.Query], Word] = {}
    for part in parts:
        if type(part) is Word:
            key = frozenset(t for t in part.subqueries if t.fieldname != "author")
            if key in seen:
                seen[key].count += 1
                continue
            seen[key] = part
        kept.append(part)
    return kept


def _spelled_out(parts: list[q.Query], schema: Schema, glossary: Glossary) -> q.Query:
    """The And of the parts, where a run of words spelling out an acronym may be the acronym."""
    typed = [_stems(part.typed, glossary) if type(part) is Word else None for part in parts]
    for acronym, expansion in glossary.spelled_out:
        words = [_stems(word, glossary) for word in expansion if is_indexed(word)]
        size = len(words)
        for start in range(len(parts) - size + 1):
            run = typed[start : start + size]
            if all(have and have & want for have, want in zip(run, words, strict=True)):
                word = _word(acronym, schema, -1, -1)
                if word is None:
                    continue
                found = SpelledOut(
                    [q.And(parts[start : start + size]), Word(word.subqueries, acronym)]
                )
                return _spelled_out(
                    [*parts[:start], found, *parts[start + size :]], schema, glossary
                )
    return parts[0] if len(parts) == 1 else q.And(parts)


def _stems(word: str, glossary: Glossary) -> frozenset[str]:
    """The stems of a word and of its other spellings, to compare words as search does."""
    return frozenset(stem(form) for form in (word.lower(), *glossary.spellings(word)))


def phrases(parsed: q.Query) -> list[tuple[str, ...]]:
    """The word sequences of the query's phrases, as indexed (lower case, stemmed)."""
    found = []
    for leaf in parsed.leaves() if not parsed.is_leaf() else [parsed]:
        if isinstance(leaf, q.Phrase) and leaf.fieldname == "content":
            found.append(tuple(leaf.words))
    return found
