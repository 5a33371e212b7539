"""Annotate: the entities and direct quotes of one article.

Editors' annotations (the registry's names and aliases, front matter `entities:` and
`quotes:`) are authoritative; automatic extraction fills in everything else. Pure:
the same article, registry and settings always give the same result.
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from generator import extract as extraction
from generator.extract import KnownEntity
from generator.extract.lexicon import find_whole, whole_words
from generator.model import (
    AnnotatedArticle,
    Article,
    ArticleEntity,
    Diagnostic,
    Mention,
    Quote,
)
from generator.registry import Registry, name_table
from generator.slugs import entity_id as make_id
from generator.slugs import short_hash

ANNOTATOR_VERSION = f"2+{extraction.EXTRACTOR_VERSION}"  # 2: ids clear of kinds' folders


@dataclass(frozen=True, slots=True)
class Document:
    """An article's blocks joined as one plain text, with a way back to file offsets."""

    text: str
    bases: tuple[int, ...]  # offset of each block in `text`
    article: Article

    @classmethod
    def of(cls, article: Article) -> Document:
        bases, position = [], 0
        for block in article.blocks:
            bases.append(position)
            position += len(block.text) + 2
        return cls("\n\n".join(b.text for b in article.blocks), tuple(bases), article)

    def block_at(self, offset: int) -> int:
        """The block the plain offset falls in (the last starting at or before it)."""
        return max(0, bisect.bisect_right(self.bases, offset) - 1)

    def to_source(self, start: int, end: int) -> tuple[int, int] | None:
        """File offsets of the plain span [start, end), if both ends map."""
        if not self.article.blocks:
            return None
        first, last = self.block_at(start), self.block_at(max(start, end - 1))
        begin = self.article.blocks[first].to_source(start - self.bases[first])
        finish = self.article.blocks[last].to_source(end - self.bases[last], end=True)
        if begin is None or finish is None or finish < begin:
            return None
        return begin, finish

    def mention(self, start: int, end: int) -> Mention | None:
        span = self.to_source(start, end)
        if span is None:
            return None
        return Mention(span[0], span[1], self.article.text[span[0] : span[1]])

    def paragraph(self, start: int, end: int) -> str:
        first, last = self.block_at(start), self.block_at(max(start, end - 1))
        return "\n\n".join(b.text for b in self.article.blocks[first : last + 1])


@lru_cache(maxsize=16)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    return whole_words(names)


def find_names(
    text: str, names: dict[str, str], pattern: re.Pattern[str] | None
) -> list[tuple[int, int, str]]:
    """Every whole-word, case-sensitive occurrence of the names, which `pattern` finds:
    (start, end, entity id)."""
    if pattern is None:
        return []
    return [(m.start(), m.end(), names[m.group(0)]) for m in find_whole(pattern, text)]


@dataclass(frozen=True, slots=True)
class _Known:
    """The entities an article's annotations may name, and their lookups: the
    registry's, made once per registry (a newsroom's has thousands: made for every
    article, they cost more than annotating it), with those the article lists that
    the registry lacks."""

    entities: tuple[KnownEntity, ...]
    by_id: dict[str, KnownEntity]
    names: dict[str, str]  # name or alias -> id (registry.name_table)
    pattern: re.Pattern[str] | None  # finds them all


_REGISTRIES: weakref.WeakKeyDictionary[Registry, _Known] = weakref.WeakKeyDictionary()


def _known(article: Article, registry: Registry) -> _Known:
    """The registry's entities, then those the article lists that the registry lacks."""
    base = _REGISTRIES.get(registry)
    if base is None:
        # one entity for an id, the last given (a registry with two is refused by a build)
        by_id = {e.id: KnownEntity(e.id, e.name, e.type, e.aliases) for e in registry.entities}
        base = _REGISTRIES[registry] = _made(tuple(by_id.values()))
    extra: dict[str, KnownEntity] = {}
    for reference, _ in article.editor_entities:
        if registry.resolve(reference) is not None:
            continue
        entity_id = make_id(reference)
        if entity_id not in base.by_id:
            extra.setdefault(entity_id, KnownEntity(entity_id, reference, "other"))
    return _made(base.entities + tuple(extra.values())) if extra else base


def _made(entities: tuple[KnownEntity, ...]) -> _Known:
    names = name_table(entities)
    pattern = _names_pattern(tuple(sorted(names)))
    return _Known(entities, {k.id: k for k in entities}, names, pattern)


def annotate(article: Article, registry: Registry, auto: bool = True) -> AnnotatedArticle:
    """Entities and quotes of one article; editors' annotations win over extraction."""
    doc = Document.of(article)
    problems: list[Diagnostic] = []
    known = _known(article, registry)
    names = known.names
    # Only the entities the article names: a registry has thousands.
    spans: dict[str, list[tuple[int, int]]] = {}
    taken = Spans()
    for start, end, entity_id in find_names(doc.text, names, known.pattern):
        spans.setdefault(entity_id, []).append((start, end))
        taken.add(start, end)
    info: dict[str, tuple[str, str, str]] = {}  # entity id -> name, type, origin

    def about(entity_id: str) -> tuple[str, str, str]:
        found = info.get(entity_id)
        if found is None:
            k = known.by_id[entity_id]
            origin = "registry" if k.id in registry.by_id else "editor"
            found = info[entity_id] = (k.name, k.type, origin)
        return found

    found = extraction.extract(doc.text, known.entities) if auto else extraction.Extraction()
    ids: list[str | None] = []
    for entity in found.entities:
        entity_id = entity.known_id if entity.known_id in known.by_id else names.get(entity.name)
        if entity_id is None:
            entity_id = make_id(entity.name)
        if entity_id not in info and entity_id not in known.by_id:
            resolved = registry.by_id.get(entity_id)
            info[entity_id] = (
                (resolved.name, resolved.type, "registry")
                if resolved
                else (entity.name, entity.type, "auto")
            )
        entity_spans = spans.setdefault(entity_id, [])
        ids.append(entity_id)
        for mention in entity.mentions:
            if taken.add(mention.start, mention.end):
                entity_spans.append((mention.start, mention.end))
    quotes = _editor_quotes(article, doc, registry, known, spans, problems)
    quote_spans = Spans()  # the editors' quotes (which may overlap), then those found
    for start, end in _union(sorted((q.start, q.end) for q in quotes if q.start is not None)):
        quote_spans.add(start, end)
    for found_quote in found.quotes:
        span = doc.to_source(found_quote.start, found_quote.end)
        if span is None or not quote_spans.add(*span):
            continue
        speaker_id = ids[found_quote.speaker] if found_quote.speaker is not None else None
        speaker_mention = None
        if speaker_id and found_quote.speaker_span:
            start, end = found_quote.speaker_span.start, found_quote.speaker_span.end
            while end > start and not doc.text[end - 1].isalnum():
                end -= 1  # "according to the club, " names "the club"
            speaker_mention = doc.mention(start, end) if end > start else None
        quotes.append(
            _quote(
                article,
                doc,
                found_quote.start,
                found_quote.end,
                speaker_id,
                about(speaker_id)[0] if speaker_id else None,
                speaker_mention,
                "auto",
            )
        )
    listed = _listed(article, registry)
    listed.update(q.speaker_id for q in quotes if q.speaker_id)  # kept even if unmentioned
    entities = []
    # A listed entity is a known one (the registry's, or one the article lists).
    for entity_id in sorted(spans.keys() | (listed & known.by_id.keys())):
        mentions = sorted(
            {m for s in spans.get(entity_id, ()) if (m := doc.mention(*s)) is not None},
            key=lambda m: m.start,
        )
        if mentions or entity_id in listed:
            name, kind, origin = about(entity_id)
            entities.append(ArticleEntity(entity_id, name, kind, tuple(mentions), origin))
    quotes.sort(key=lambda q: (q.start if q.start is not None else -1, q.id))
    return AnnotatedArticle(article, tuple(entities), _unique_ids(quotes), tuple(problems))


def _listed(article: Article, registry: Registry) -> set[str]:
    listed = set()
    for reference, _ in article.editor_entities:
        resolved = registry.resolve(reference)
        listed.add(resolved.id if resolved else make_id(reference))
    return listed


def _editor_quotes(
    article: Article,
    doc: Document,
    registry: Registry,
    known: _Known,
    spans: dict[str, list[tuple[int, int]]],
    problems: list[Diagnostic],
) -> list[Quote]:
    by_id = known.by_id
    quotes = []
    for item in article.editor_quotes:
        resolved = registry.resolve(item.speaker)
        speaker = (
            by_id.get(resolved.id)
            if resolved
            else by_id.get(item.speaker) or by_id.get(known.names.get(item.speaker, ""))
        )
        if speaker is None:
            problems.append(
                Diagnostic(
                    "error",
                    article.path,
                    item.line,
                    f"quote speaker '{item.speaker}' is unknown: add content/entities/"
                    f"{make_id(item.speaker)}.md or list it under 'entities'",
                )
            )
            continue
        found = _find_quote(doc.text, item.text)
        if found is None:
            problems.append(
                Diagnostic(
                    "warning",
                    article.path,
                    item.line,
                    f"quote not found in the text: '{item.text[:60]}'",
                )
            )
            quotes.append(
                Quote(
                    short_hash(article.path, _normal(item.text)),
                    item.text,
                    None,
                    None,
                    speaker.id,
                    speaker.name,
                    None,
                    "",
                    "editor",
                )
            )
            continue
        start, end = found
        nearest = _nearest(spans.get(speaker.id, []), start, doc)
        mention = doc.mention(*nearest) if nearest else None
        quotes.append(
            _quote(article, doc, start, end, speaker.id, speaker.name, mention, "editor", item.text)
        )
    return quotes


def _find_quote(text: str, words: str) -> tuple[int, int] | None:
    """Where an editor's quote is in the text; spacing and line breaks may differ."""
    position = text.find(words)
    if position != -1:
        return position, position + len(words)
    # A quote over two paragraphs reopens with a quotation mark the editor leaves out.
    pattern = r"\s+(?:[\"\u201c\u00ab\u2018']\s*)?".join(re.escape(p) for p in words.split())
    match = re.search(pattern, text) if pattern else None
    return (match.start(), match.end()) if match else None


def _nearest(spans: list[tuple[int, int]], offset: int, doc: Document) -> tuple[int, int] | None:
    block = doc.block_at(offset)
    same = [s for s in spans if doc.block_at(s[0]) == block]
    candidates = same or [s for s in spans if abs(doc.block_at(s[0]) - block) <= 1]
    return min(candidates, key=lambda s: abs(s[0] - offset)) if candidates else None


def _quote(
    article: Article,
    doc: Document,
    start: int,
    end: int,
    speaker_id: str | None,
    speaker_name: str | None,
    mention: Mention | None,
    origin: str,
    words: str | None = None,
) -> Quote:
    span = doc.to_source(start, end)
    if words is None:  # found by extraction: drop the mark reopening a continued quote
        words = _REOPENED.sub("\n\n", doc.text[start:end])
    base = doc.bases[doc.block_at(start)] if doc.bases else 0
    paragraph, context = _context(doc.paragraph(start, end), start - base, end - base)
    return Quote(
        id=short_hash(article.path, _normal(words)),
        text=words,
        start=span[0] if span else None,
        end=span[1] if span else None,
        speaker_id=speaker_id,
        speaker_name=speaker_name,
        speaker_mention=mention,
        paragraph=paragraph,
        origin="editor" if origin == "editor" else "auto",
        context=context,
    )


CONTEXT = 600  # characters of context kept on each side of a quote in a long paragraph


def _context(paragraph: str, start: int, end: int) -> tuple[str, tuple[int, int]]:
    """The paragraph around a quote, cut to whole sentences near it when very long."""
    if len(paragraph) <= 2 * CONTEXT + (end - start):
        return paragraph, (start, end)
    left = max(0, start - CONTEXT)
    if left:
        breaks = [m.end() for m in _SENTENCE_END.finditer(paragraph, left, start)]
        left = breaks[0] if breaks else left
    right = min(len(paragraph), end + CONTEXT)
    if right < len(paragraph):
        found = _SENTENCE_END.search(paragraph, end, right)
        right = found.end() if found else right
    head = "\u2026 " if left else ""
    tail = " \u2026" if right < len(paragraph) else ""
    text = head + paragraph[left:right].strip() + tail
    shift = len(head) - left - (len(paragraph[left:right]) - len(paragraph[left:right].lstrip()))
    return text, (start + shift, end + shift)


_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019']?\s+")


_REOPENED = re.compile("\n\n[\"\u201c\u00ab\u2018']\\s*")


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[\"'\u2018\u2019\u201c\u201d\u00ab\u00bb]", "", text).lower().split())


class Spans:
    """Non-overlapping spans, kept sorted so a long article is not quadratic."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> bool:
        """Add [start, end) unless it overlaps a span already taken; say if it was added."""
        index = bisect.bisect_left(self.starts, start)
        if index > 0 and self.ends[index - 1] > start:
            return False
        if index < len(self.starts) and self.starts[index] < end:
            return False
        self.starts.insert(index, start)
        self.ends.insert(index, end)
        return True


def _union(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with those that overlap made one."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _unique_ids(quotes: list[Quote]) -> tuple[Quote, ...]:
    seen: dict[str, int] = {}
    unique = []
    for quote in quotes:
        count = seen.get(quote.id, 0)
        seen[quote.id] = count + 1
        if count:
            quote = replace(quote, id=f"{quote.id}-{count + 1}")
        unique.append(quote)
    return tuple(unique)
