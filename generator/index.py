"""Index: the whole archive in memory, with entities merged across articles."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from generator.model import (
    AnnotatedArticle,
    ArticleEntity,
    Mention,
    Quote,
    RegistryEntity,
    Spans,
)
from generator.registry import Registry
from generator.slugs import short_hash, slugify

T = TypeVar("T")


@dataclass(slots=True)
class Entity:
    """One person, organisation or place across the whole archive."""

    id: str
    name: str
    type: str
    registry: RegistryEntity | None = None
    articles: list[AnnotatedArticle] = field(default_factory=list)  # newest first
    quotes: list[tuple[Quote, AnnotatedArticle]] = field(default_factory=list)  # newest first
    related: list[tuple[str, int]] = field(default_factory=list)  # (entity id, shared articles)
    mentions: int = 0


@dataclass(frozen=True, slots=True)
class Tag:
    slug: str
    name: str
    articles: tuple[AnnotatedArticle, ...]


@dataclass(slots=True)
class Archive:
    articles: list[AnnotatedArticle]  # newest first
    entities: dict[str, Entity]
    quotes: list[tuple[Quote, AnnotatedArticle]]  # newest first
    tags: dict[str, Tag]
    months: dict[tuple[int, int], list[AnnotatedArticle]]  # (year, month) -> newest first
    tag_slugs: dict[str, str] = field(default_factory=dict)  # tag name -> URL segment
    aliases: dict[str, str] = field(default_factory=dict)  # entity ids merged into others
    shared: frozenset[str] = frozenset()  # quote ids that more than one article has


def _shared_quote_ids(articles: Iterable[AnnotatedArticle]) -> frozenset[str]:
    """Quote ids are short hashes of the article and the words: across a million quotes
    two articles' ids can collide. These are the ids that more than one article has."""
    first: dict[str, str] = {}  # quote id -> the first article seen with it
    shared = set()
    for item in articles:
        path = item.article.path
        for quote in item.quotes:
            if first.setdefault(quote.id, path) != path:
                shared.add(quote.id)
    return frozenset(shared)


def as_indexed(
    item: AnnotatedArticle, aliases: Mapping[str, str], shared: frozenset[str]
) -> AnnotatedArticle:
    """An article as the index holds it: entities merged by `aliases`, and every quote
    whose id another article also has given a longer one, made from its own id and
    article alone, so that no URL depends on the order of the archive."""
    item = _remap(item, aliases)
    if not shared or not any(q.id in shared for q in item.quotes):
        return item
    quotes = tuple(
        replace(q, id=q.id + short_hash(item.article.path, q.id, length=6)) if q.id in shared else q
        for q in item.quotes
    )
    return replace(item, quotes=quotes)


def newest_first(item: AnnotatedArticle) -> tuple:
    return (-item.article.date.timestamp(), item.article.path)


def build_index(annotated: Sequence[AnnotatedArticle], registry: Registry) -> Archive:
    """Merge per-article annotations into archive-wide entities, quotes, tags and months."""
    articles = sorted(annotated, key=newest_first)
    aliases = _merge_map(articles, registry)
    shared = _shared_quote_ids(articles)
    articles = [as_indexed(item, aliases, shared) for item in articles]
    entities: dict[str, Entity] = {}
    names: dict[str, Counter[str]] = defaultdict(Counter)
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for item in articles:
        for entity in item.entities:
            record = entities.setdefault(entity.id, Entity(entity.id, entity.name, entity.type))
            record.articles.append(item)
            record.mentions += len(entity.mentions)
            names[entity.id][entity.name] += 1
            types[entity.id][entity.type] += 1
    for entity_id, record in entities.items():
        known = registry.by_id.get(entity_id)
        if known is not None:
            record.registry, record.name, record.type = known, known.name, known.type
        else:
            record.name = max(names[entity_id].items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[
                0
            ]
            record.type = max(types[entity_id].items(), key=lambda kv: (kv[1], kv[0] != "other"))[0]
    quotes = [(quote, item) for item in articles for quote in item.quotes]
    for pair in quotes:  # the same pairs, not copies: 150,000 at 10,000 articles
        speaker = entities.get(pair[0].speaker_id or "")
        if speaker is not None:
            speaker.quotes.append(pair)
    _relate(articles, entities)
    tags: dict[str, list[AnnotatedArticle]] = defaultdict(list)
    tag_names: dict[str, Counter[str]] = defaultdict(Counter)
    months: dict[tuple[int, int], list[AnnotatedArticle]] = defaultdict(list)
    slugs = tag_slugs(name for item in articles for name in item.article.tags)
    for item in articles:
        for slug in dict.fromkeys(slugs[name] for name in item.article.tags):
            tags[slug].append(item)
        for name in item.article.tags:
            tag_names[slugs[name]][name] += 1
        months[(item.article.date.year, item.article.date.month)].append(item)
    return Archive(
        articles=articles,
        entities=dict(sorted(entities.items())),
        quotes=quotes,
        tags={
            slug: Tag(slug, tag_names[slug].most_common(1)[0][0], tuple(items))
            for slug, items in sorted(tags.items())
        },
        months=dict(sorted(months.items(), reverse=True)),
        tag_slugs=slugs,
        aliases=aliases,
        shared=shared,
    )


def replaced(archive: Archive, items: Mapping[str, AnnotatedArticle]) -> Archive:
    """The archive with these articles (by path, as `as_indexed` makes them) in place
    of its own, each of the same shape (quick.shape): the same entities, quotes,
    tags, date and URL, so that only what listings show of them changes. What holds
    none of them is shared with `archive`, which is left as it was.

    Every list of the index is newest first, as `build_index` made it from the sorted
    articles, so an article's place in each is found by bisection (an entity's
    list can hold thousands)."""
    every, quoted = list(archive.articles), list(archive.quotes)
    entities, tags, months = dict(archive.entities), dict(archive.tags), dict(archive.months)
    start = 0  # of the article's quotes in `quoted`: they are adjacent, in its order
    for position, old in enumerate(archive.articles):
        new = items.get(old.article.path)
        if new is None:
            start += len(old.quotes)
            continue
        every[position] = new
        mine = [(quote, new) for quote in new.quotes]
        stop = start + len(old.quotes)
        if len(mine) != len(old.quotes) or any(p[1] is not old for p in quoted[start:stop]):
            raise ValueError(f"{old.article.path} is not of the shape it had")
        quoted[start:stop] = mine
        start = stop
        at = newest_first(old)
        named = {e.id: len(e.mentions) for e in new.entities}  # how often: it may change
        for entity in old.entities:
            record = entities.get(entity.id)
            if record is not None:
                entities[entity.id] = replace(
                    record,
                    articles=_put(record.articles, at, newest_first, lambda _, n=new: n),
                    mentions=record.mentions - len(entity.mentions) + named[entity.id],
                )
        said = Counter(q.speaker_id for q in old.quotes)
        by_id = {id(q): pair for q, pair in zip(old.quotes, mine, strict=True)}  # the objects
        for speaker_id in said.keys() & entities.keys():
            entity = entities[speaker_id]
            made = _put(
                entity.quotes, at, _pair_order, lambda p, m=by_id: m[id(p[0])], said[speaker_id]
            )
            entities[speaker_id] = replace(entity, quotes=made)
        for slug in {archive.tag_slugs[name] for name in old.article.tags}:
            tag = tags[slug]
            tags[slug] = replace(
                tag, articles=tuple(_put(tag.articles, at, newest_first, lambda _, n=new: n))
            )
        month = (old.article.date.year, old.article.date.month)
        months[month] = _put(months[month], at, newest_first, lambda _, n=new: n)
    return replace(
        archive, articles=every, entities=entities, quotes=quoted, tags=tags, months=months
    )


def _pair_order(pair: tuple[Quote, AnnotatedArticle]) -> tuple:
    return newest_first(pair[1])


def _put(
    listed: Sequence[T],
    at: tuple,
    order: Callable[[T], tuple],
    new: Callable[[T], T],
    count: int = 1,
) -> list[T]:
    """A copy of a newest-first list with the `count` entries of the article at `at`
    (its `newest_first`) made anew."""
    low, high = bisect_left(listed, at, key=order), bisect_right(listed, at, key=order)
    if high - low != count:
        raise ValueError("the index does not list the article as it did")
    copy = list(listed)
    try:
        copy[low:high] = [new(entry) for entry in listed[low:high]]
    except KeyError as exc:
        raise ValueError("the index does not list the article's quotes as it did") from exc
    return copy


def tag_slugs(names: Iterable[str]) -> dict[str, str]:
    """Tag name -> URL segment. Tags differing only in case share a page; different
    tags that slugify alike ("C++", "C#", "C") get different ones; tags with no Latin
    letters get a stable hashed one."""
    names = set(names)
    groups: dict[str, list[str]] = defaultdict(list)
    for folded in sorted({n.casefold() for n in names}):
        groups[slugify(folded)].append(folded)
    segments: dict[str, str] = {}
    for base, group in groups.items():
        plain = base if base in group else (group[0] if base else None)
        for folded in group:
            if base and (folded == plain or len(group) == 1):
                segments[folded] = base
            else:
                segments[folded] = f"{base or 'tag'}-{short_hash(folded, length=8)}"
    return {name: segments[name.casefold()] for name in names}


def _merge_map(articles: Sequence[AnnotatedArticle], registry: Registry) -> dict[str, str]:
    """Ids to merge away: a lone "Putin" becomes "Vladimir Putin" when that is unambiguous."""
    people: dict[str, set[str]] = defaultdict(set)  # last name -> full-name entity ids
    singles: dict[str, str] = {}
    for item in articles:
        for entity in item.entities:
            if entity.type != "person":
                continue
            words = entity.name.split()
            if len(words) > 1:
                people[words[-1]].add(entity.id)
            elif entity.origin == "auto":
                singles[entity.id] = entity.name
    for known in registry.entities:
        if known.type == "person" and len(known.name.split()) > 1:
            people[known.name.split()[-1]].add(known.id)
    merged = {}
    for entity_id, name in singles.items():
        candidates = people.get(name, set())
        if len(candidates) == 1:
            merged[entity_id] = next(iter(candidates))
    return merged


def _remap(item: AnnotatedArticle, aliases: dict[str, str]) -> AnnotatedArticle:
    if not aliases or not any(e.id in aliases for e in item.entities):
        return item
    grouped: dict[str, list[ArticleEntity]] = defaultdict(list)
    for entity in item.entities:
        grouped[aliases.get(entity.id, entity.id)].append(entity)
    entities = []
    for entity_id, group in sorted(grouped.items()):
        main = next((e for e in group if e.id == entity_id), group[0])
        mentions: set[Mention] = {m for e in group for m in e.mentions}
        ordered = sorted(mentions, key=lambda m: m.start)
        kept = Spans(ordered) if isinstance(main.mentions, Spans) else tuple(ordered)
        entities.append(replace(main, id=entity_id, mentions=kept))
    quotes = tuple(
        replace(q, speaker_id=aliases[q.speaker_id]) if q.speaker_id in aliases else q
        for q in item.quotes
    )
    names = {e.id: e.name for e in entities}
    quotes = tuple(replace(q, speaker_name=names.get(q.speaker_id, q.speaker_name)) for q in quotes)
    return replace(item, entities=tuple(entities), quotes=quotes)


def _relate(articles: Sequence[AnnotatedArticle], entities: dict[str, Entity]) -> None:
    pairs: dict[str, Counter[str]] = defaultdict(Counter)
    for item in articles:
        ids = list({e.id for e in item.entities})
        for entity_id in ids:
            pairs[entity_id].update(ids)  # itself too (counting a list is fast): dropped below
    for entity_id, record in entities.items():
        counts = pairs[entity_id]
        counts.pop(entity_id, None)
        record.related = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:12]
