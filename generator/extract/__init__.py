"""Automatic extraction: entities and direct quotes with their speakers, from plain text.

The contract the annotate stage relies on (keep it stable):

    extract(text, known) -> Extraction

`text` is an article's body as plain text, paragraphs separated by a blank line
("\\n\\n"), markup already removed. `known` lists the entities editors know about
(the registry and the article's own front matter). All offsets are into `text`.
The function is pure and deterministic; it never raises on any input.
"""

from __future__ import annotations

from dataclasses import dataclass

EXTRACTOR_VERSION = "6"


@dataclass(frozen=True, slots=True)
class KnownEntity:
    id: str
    name: str
    type: str  # person | organization | place | other
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FoundEntity:
    name: str  # canonical name, titles removed: "Sergei Shoigu"
    type: str  # person | organization | place | other
    mentions: tuple[Span, ...]  # every place the text names it (not pronouns)
    known_id: str | None = None  # id of the KnownEntity it is, if any


@dataclass(frozen=True, slots=True)
class FoundQuote:
    start: int  # the quoted words, without quotation marks
    end: int
    speaker: int | None  # index into Extraction.entities
    speaker_span: Span | None  # the attributing mention: "she" in "she said"


@dataclass(frozen=True, slots=True)
class Extraction:
    entities: tuple[FoundEntity, ...] = ()
    quotes: tuple[FoundQuote, ...] = ()


def extract(text: str, known: tuple[KnownEntity, ...] = ()) -> Extraction:
    """Find entities and direct quotes in `text`; never raises, linear in its length."""
    try:
        return _extract(text if isinstance(text, str) else "", tuple(known or ()))
    except Exception:  # a bad article must not stop a build of thousands
        return Extraction()


def _extract(text: str, known: tuple[KnownEntity, ...]) -> Extraction:
    # Imported here: the stage modules import the records defined above.
    from .entities import find_entities
    from .quotes import find_quotes

    index = find_entities(text, known)
    entities = tuple(
        FoundEntity(name, type_, tuple(Span(s, e) for s, e in spans), known_id)
        for name, type_, spans, known_id in zip(
            index.names, index.types, index.spans, index.known_ids, strict=True
        )
    )
    quotes = tuple(
        FoundQuote(q.start, q.end, q.speaker, Span(*q.speaker_span) if q.speaker_span else None)
        for q in find_quotes(text, index)
    )
    return Extraction(entities, quotes)
