"""Depends: for each page, a key naming everything its view is made from.

A page whose key is the same as in the last build is neither viewed nor drawn again:
that is what makes one edit in a large archive cheap. A key may change when the page
does not (the page is then viewed, found unchanged by its fingerprint, and not
drawn); it must never stay the same when the page changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from generator.index import Archive, Entity
from generator.model import AnnotatedArticle, Quote
from generator.views.pages import MORE_QUOTES

if TYPE_CHECKING:
    from generator.routes import Urls


# What `PageKeys.taken` names besides articles' paths (which start with none of them).
EVERYTHING = "\0everything"
SPEAKER = "\0speaker "
ENTITY = "\0entity "  # what every page of an entity shows of it (`_entity`)
ENTITIES = "\0entities"  # every entity's counts


def _digest(parts: Iterable[str]) -> str:
    """Each part ends with a NUL; joined first, which is twice as fast as a digest
    fed part by part (there are 166,000 keys at 10,000 articles)."""
    text = "\0".join(parts) + "\0"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class PageKeys:
    """Keys from the prints of the annotated articles (which name their text, date,
    annotations and settings) and the way the index merged and named entities.

    An article has two keys. Its page, and any page that shows its body (the site
    feed) or around a quote, use the whole article's (`article`). Every page that
    lists it (home, months, tags, entities, quotes, the open data's articles) uses
    what a listing shows of it (`listed`): an edit to its body leaves all of those
    alone. The open data's quotes and entities and the sitemaps show no titles or
    summaries, and have keys of their own."""

    def __init__(self, archive: Archive, prints: Mapping[str, str], base: str, urls: Urls) -> None:
        self.archive = archive
        self.prints = prints  # article path -> print of its annotation
        self.base = base  # templates, config, versions: whatever every page depends on
        self.urls = urls
        self._articles: dict[str, str] = {}
        self._listed: dict[str, str] = {}
        self._quoted_keys: dict[str, str] = {}
        self._linked_keys: dict[str, str] = {}
        self._entities: dict[str, str] = {}
        self._speakers: dict[str, str] = {}
        self._speaker_paths: dict[str, tuple[str, ...]] = {}  # the articles it lists
        self._everything = ""
        # While recording (`record`), what the keys made since the last `taken` were
        # made from: articles' paths, EVERYTHING and speakers (SPEAKER + their ids).
        self._trail: list[str] | None = None

    def record(self, on: bool = True) -> None:
        """Start (or stop) noting what each key is made from, for `taken`."""
        self._trail = [] if on else None

    def taken(self) -> list[str]:
        """What the keys made since the last call were made from: the paths of the
        articles whose keys they name, EVERYTHING, and SPEAKER + a speaker's id."""
        trail = self._trail or []
        if self._trail is not None:
            self._trail = []
        return trail

    def carry(self, last: PageKeys, changed: Collection[str]) -> set[str]:
        """Take over the keys `last` made of an archive of the same shape as this one,
        but those of the articles at these paths, which changed only in what a listing
        shows of them (quick.shape). Returns what changed, as `taken` names it: the
        articles, EVERYTHING, the speakers whose newest quotes are theirs, and the
        entities (and ENTITIES) whose counts of mentions changed with them."""
        gone = set(changed)
        for memo, before in (
            (self._articles, last._articles),
            (self._listed, last._listed),
            (self._quoted_keys, last._quoted_keys),
            (self._linked_keys, last._linked_keys),
        ):
            memo.update((path, key) for path, key in before.items() if path not in gone)
        before = last.archive.entities
        counted = {
            key
            for key, entity in self.archive.entities.items()
            if entity is not before.get(key) and entity.mentions != before[key].mentions
        }
        # names, counts, dates: the shape, but for how often the articles name them
        self._entities.update((k, v) for k, v in last._entities.items() if k not in counted)
        speakers = {s for s, paths in last._speaker_paths.items() if not gone.isdisjoint(paths)}
        self._speakers.update((s, k) for s, k in last._speakers.items() if s not in speakers)
        self._speaker_paths.update(last._speaker_paths)
        changed = gone | {EVERYTHING} | {SPEAKER + s for s in speakers}
        return changed | {ENTITY + key for key in counted} | ({ENTITIES} if counted else set())

    def _composite(self, token: str, make: Callable[[], str]) -> str:
        """A key made of other articles' keys, noted as `token` alone."""
        trail = self._trail
        if trail is None:
            return make()
        self._trail = None
        try:
            return make()
        finally:
            trail.append(token)
            self._trail = trail

    def article(self, item: AnnotatedArticle) -> str:
        """An article page: the article, and the names and types of what it links."""
        path = item.article.path
        if self._trail is not None:
            self._trail.append(path)
        key = self._articles.get(path)
        if key is None:
            found = self.prints.get(path)
            key = self._articles[path] = (
                "" if found is None else _digest(self._article(item, found))
            )
        return key

    def _article(self, item: AnnotatedArticle, found: str) -> Iterable[str]:
        return (self.base, item.article.path, found, self._linked(item))

    def _linked(self, item: AnnotatedArticle) -> str:
        """What the archive, not the article, decides of what the article links: the
        article's key and its listings' both name it."""
        path = item.article.path
        key = self._linked_keys.get(path)
        if key is None:
            key = self._linked_keys[path] = _digest(self._links(item))
        return key

    def _links(self, item: AnnotatedArticle) -> Iterable[str]:
        entities = self.archive.entities
        for mention in item.entities:
            entity = entities.get(mention.id)
            yield f"{mention.id}|{entity.name}|{entity.type}" if entity else mention.id
        for quote in item.quotes:
            speaker = entities.get(quote.speaker_id or "")
            named = f"{speaker.name}|{speaker.type}" if speaker else ""
            yield f"{quote.id}|{quote.speaker_id}|{named}"
        yield from (self.archive.tag_slugs.get(tag, "") for tag in item.article.tags)

    def listed(self, item: AnnotatedArticle) -> str:
        """What any listing, feed of summaries or open-data file shows of an article:
        its metadata, the first words of its body, and its entities and quotes."""
        path = item.article.path
        if self._trail is not None:
            self._trail.append(path)
        key = self._listed.get(path)
        if key is None:
            key = self._listed[path] = (
                "" if path not in self.prints else _digest(self._summary(item))
            )
        return key

    def _summary(self, item: AnnotatedArticle) -> Iterable[str]:
        a = item.article
        first = "" if a.summary or not a.blocks else a.blocks[0].text
        yield from (self.base, a.path, a.url or "", a.slug, a.title, repr(a.date))
        yield from (repr(a.updated), repr(a.summary), first, repr(a.section), a.format)
        yield from (repr(a.authors), repr(a.tags), repr(a.draft), self._quoted(item))
        yield self._linked(item)

    def _quoted(self, item: AnnotatedArticle) -> str:
        """An article's quotes, each as listings and the open data show it."""
        path = item.article.path
        key = self._quoted_keys.get(path)
        if key is None:
            key = self._quoted_keys[path] = _digest(
                f"{q.id}|{q.speaker_id}|{q.speaker_name}|{q.origin}|{q.text}" for q in item.quotes
            )
        return key

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
        shown = [self.listed(item) for item in articles]
        shown += (f"{q.id}|{self.listed(item)}" for q, item in quotes)
        if not head or any(k == "" or k.endswith("|") for k in shown):
            return ""
        return _digest([self.base, head, label, *shown])

    def _entity(self, entity: Entity) -> str:
        """What every page of an entity shows of it: its names, registry entry, counts,
        the dates of all its articles (the timeline, the feed's last change) and the
        entities it appears with."""
        if self._trail is not None:
            self._trail.append(ENTITY + entity.id)
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
        """A quote page: the quote and the paragraph around it, its article as listed,
        its speaker, and the speaker's newest other quotes that it shows."""
        article = self.listed(item)
        speaker = self.archive.entities.get(quote.speaker_id or "")
        shown = self._speaker(speaker) if speaker is not None else "-"
        if not article or not shown:
            return ""
        q = quote
        words = f"{q.id}|{q.text}|{q.speaker_id}|{q.speaker_name}|{q.origin}|{q.context}"
        return _digest((self.base, words, q.paragraph, article, shown))

    def quote_pages(self, item: AnnotatedArticle) -> str:
        """What the keys of all an article's quote pages are made from: when it is the
        same as in the last build, so is each of their keys, and they need not be
        made (150,000 of them at 10,000 articles, after an edit of one title). The
        article's print names the words, the paragraph and the context of each
        quote, as its annotation found them; what the index decided (ids, speakers
        and their names) is in the article as listed, and each speaker's newest
        quotes in the speaker's key. "": unknown."""
        found = self.prints.get(item.article.path)
        listed = self.listed(item)
        if not found or not listed:
            return ""
        parts = [self.base, found, listed]
        entities = self.archive.entities
        for quote in item.quotes:
            speaker = entities.get(quote.speaker_id or "")
            shown = self._speaker(speaker) if speaker is not None else "-"
            if not shown:
                return ""
            parts.append(shown)
        return _digest(parts)

    def _speaker(self, speaker: Entity) -> str:
        """What a quote page shows of its speaker: the name and type, and the newest
        quotes, one more than are shown (a page leaves its own quote out)."""
        key = self._speakers.get(speaker.id)
        if key is None:
            key = self._speakers[speaker.id] = self._composite(
                SPEAKER + speaker.id, lambda: self._speaker_key(speaker)
            )
        elif self._trail is not None:
            self._trail.append(SPEAKER + speaker.id)
        return key

    def _speaker_key(self, speaker: Entity) -> str:
        pairs = speaker.quotes[: MORE_QUOTES + 1]
        self._speaker_paths[speaker.id] = tuple(item.article.path for _, item in pairs)
        newest = [f"{q.id}|{self.listed(item)}" for q, item in pairs]
        known = not any(k.endswith("|") for k in newest)
        head = (speaker.id, speaker.name, speaker.type)
        return _digest((*head, *newest)) if known else ""

    def quotes_of(self, changed: set[str]) -> list[tuple[Quote, AnnotatedArticle]]:
        """The quote pages whose keys name any of these (as `carry` returns them): the
        quotes of those articles, and every quote of those speakers."""
        found: dict[str, tuple[Quote, AnnotatedArticle]] = {}
        for item in self.archive.articles:
            if item.article.path in changed:
                found.update((quote.id, (quote, item)) for quote in item.quotes)
        for token in changed:
            if token.startswith(SPEAKER):
                speaker = self.archive.entities.get(token[len(SPEAKER) :])
                if speaker is not None:
                    found.update((pair[0].id, pair) for pair in speaker.quotes)
        return list(found.values())

    def articles(self, label: str, items: Iterable[AnnotatedArticle]) -> str:
        """A listing of these articles (a home page, a month, a tag): `label` names
        the listing and anything else it shows, such as its page number and count."""
        keys = [self.listed(item) for item in items]
        return "" if "" in keys else _digest([self.base, label, *keys])

    def feed(self, items: Iterable[AnnotatedArticle]) -> str:
        """The site feed: every listing's material (its last change is the newest of
        all), and these articles whole, bodies and all."""
        keys = [self.article(item) for item in items]
        listing = self.everything()
        return "" if "" in keys or not listing else _digest([self.base, listing, *keys])

    def quotes(self, label: str, quotes: Iterable[tuple[Quote, AnnotatedArticle]]) -> str:
        """A listing of these quotes."""
        keys = [f"{quote.id}|{self.listed(item)}" for quote, item in quotes]
        return "" if any(k.endswith("|") for k in keys) else _digest([self.base, label, *keys])

    def everything(self) -> str:
        """Listings and indexes: every article and entity, as listed."""
        if not self._everything:
            self._everything = self._composite(EVERYTHING, self._every_listing)
        elif self._trail is not None:
            self._trail.append(EVERYTHING)
        return self._everything

    def _every_listing(self) -> str:
        articles = [self.listed(item) for item in self.archive.articles]
        if "" in articles:
            return ""
        return _digest([self.base, *articles, *self._entity_counts()])

    def _entity_counts(self) -> Iterable[str]:
        """Every entity as the entity index and the open data show it."""
        for e in self.archive.entities.values():
            counts = f"{e.id}|{e.name}|{e.type}|{len(e.articles)}|{len(e.quotes)}|{e.mentions}|"
            yield counts + repr(e.registry)  # the open data shows aliases and Wikidata ids

    def entities_data(self) -> str:
        """The open data's entities: none of the articles' titles or words."""
        if self._trail is not None:
            self._trail.append(ENTITIES)
        return _digest([self.base, "entities", *self._entity_counts()])

    def quotes_data(self) -> str:
        """The open data's quotes: each with its article's URL and date and its
        speaker's name, not the article's title or summary (which an editor changes
        more often than anything else: at 10,000 articles the file takes 0.3 s)."""
        names = (f"{key}|{entity.name}" for key, entity in self.archive.entities.items())
        parts = [self.base, "quotes", *names]
        url = self.urls.article
        for item in self.archive.articles:  # the file lists their quotes in this order
            if item.quotes:
                article = item.article
                parts.append(f"{url(article)}|{article.date!r}|{self._quoted(item)}")
        return _digest(parts)

    def sitemap(self, pages: Iterable[str]) -> str:
        """The sitemaps: these URLs, every quote's, and each article's URL with its
        dates (its last change is shown)."""
        parts = [self.base, "sitemap", *pages, "|".join(q.id for q, _ in self.archive.quotes)]
        url = self.urls.article
        for item in self.archive.articles:
            article = item.article
            parts.append(f"{url(article)}|{article.date!r}|{article.updated!r}")
        return _digest(parts)
