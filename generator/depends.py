"""Depends: for each page, a key naming everything its view is made from.

A page whose key is the same as in the last build is neither viewed nor drawn again:
that is what makes one edit in a large archive cheap. A key may change when the page
does not (the page is then viewed, found unchanged by its fingerprint, and not
drawn); it must never stay the same when the page changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from generator.index import Archive, Entity
from generator.model import AnnotatedArticle, Quote
from generator.views.pages import MORE_QUOTES


def _digest(parts: Iterable[str]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


class PageKeys:
    """Keys from the prints of the annotated articles (which name their text, date,
    annotations and settings) and the way the index merged and named entities."""

    def __init__(self, archive: Archive, prints: Mapping[str, str], base: str) -> None:
        self.archive = archive
        self.prints = prints  # article path -> print of its annotation
        self.base = base  # templates, config, versions: whatever every page depends on
        self._articles: dict[str, str] = {}
        self._entities: dict[str, str] = {}
        self._speakers: dict[str, str] = {}
        self._everything = ""

    def article(self, item: AnnotatedArticle) -> str:
        """An article page: the article, and the names and types of what it links."""
        path = item.article.path
        key = self._articles.get(path)
        if key is None:
            found = self.prints.get(path)
            key = self._articles[path] = (
                "" if found is None else _digest(self._article(item, found))
            )
        return key

    def _article(self, item: AnnotatedArticle, found: str) -> Iterable[str]:
        entities = self.archive.entities
        yield from (self.base, item.article.path, found)
        for mention in item.entities:
            entity = entities.get(mention.id)
            yield f"{mention.id}|{entity.name}|{entity.type}" if entity else mention.id
        for quote in item.quotes:
            speaker = entities.get(quote.speaker_id or "")
            named = f"{speaker.name}|{speaker.type}" if speaker else ""
            yield f"{quote.id}|{quote.speaker_id}|{named}"
        yield from (self.archive.tag_slugs.get(tag, "") for tag in item.article.tags)

    def entity(
        self,
        entity: Entity,
        label: str,
        articles: Iterable[AnnotatedArticle],
        quotes: Iterable[tuple[Quote, AnnotatedArticle]],
    ) -> str:
        """A page of an entity (or its feed, by `label`) showing these of its articles
        and quotes; every page also shows what `_entity` names."""
        head = self._entity(entity)
        shown = [self.article(item) for item in articles]
        shown += (f"{q.id}|{self.article(item)}" for q, item in quotes)
        if not head or any(k == "" or k.endswith("|") for k in shown):
            return ""
        return _digest([self.base, head, label, *shown])

    def _entity(self, entity: Entity) -> str:
        """What every page of an entity shows of it: its names, registry entry, counts,
        the dates of all its articles (the timeline, the feed's last change) and the
        entities it appears with."""
        key = self._entities.get(entity.id)
        if key is not None:
            return key
        related = []
        for other, count in entity.related:
            known = self.archive.entities.get(other)
            related.append(
                f"{other}|{count}|{known.name if known else ''}|{known.type if known else ''}"
            )
        dates = [f"{i.article.date.isoformat()}|{i.article.updated}" for i in entity.articles]
        counts = f"{entity.mentions}|{len(entity.articles)}|{len(entity.quotes)}"
        head = [entity.id, entity.name, entity.type, repr(entity.registry), counts]
        key = self._entities[entity.id] = _digest([*head, *dates, *related])
        return key

    def quote(self, quote: Quote, item: AnnotatedArticle) -> str:
        """A quote page: its article, its speaker, and the speaker's newest other
        quotes that it shows."""
        article = self.article(item)
        speaker = self.archive.entities.get(quote.speaker_id or "")
        shown = self._speaker(speaker) if speaker is not None else "-"
        return _digest((self.base, quote.id, article, shown)) if article and shown else ""

    def _speaker(self, speaker: Entity) -> str:
        """What a quote page shows of its speaker: the name and type, and the newest
        quotes, one more than are shown (a page leaves its own quote out)."""
        key = self._speakers.get(speaker.id)
        if key is None:
            newest = [f"{q.id}|{self.article(i)}" for q, i in speaker.quotes[: MORE_QUOTES + 1]]
            known = not any(k.endswith("|") for k in newest)
            head = (speaker.id, speaker.name, speaker.type)
            key = self._speakers[speaker.id] = _digest((*head, *newest)) if known else ""
        return key

    def articles(self, label: str, items: Iterable[AnnotatedArticle]) -> str:
        """A listing of these articles (a home page, a month, a tag): `label` names
        the listing and anything else it shows, such as its page number and count."""
        keys = [self.article(item) for item in items]
        return "" if "" in keys else _digest([self.base, label, *keys])

    def quotes(self, label: str, quotes: Iterable[tuple[Quote, AnnotatedArticle]]) -> str:
        """A listing of these quotes."""
        keys = [f"{quote.id}|{self.article(item)}" for quote, item in quotes]
        return "" if any(k.endswith("|") for k in keys) else _digest([self.base, label, *keys])

    def everything(self) -> str:
        """Listings and indexes: every article and entity."""
        if not self._everything:
            articles = [self.article(item) for item in self.archive.articles]
            if "" in articles:
                return ""
            entities = (
                f"{e.id}|{e.name}|{e.type}|{len(e.articles)}|{len(e.quotes)}|{e.mentions}|"
                + repr(e.registry)  # the open data shows aliases and Wikidata ids
                for e in self.archive.entities.values()
            )
            self._everything = _digest([self.base, *articles, *entities])
        return self._everything
