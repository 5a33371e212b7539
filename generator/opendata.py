"""Open data: the archive's articles, entities and quotes as JSON files."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from generator.index import Archive
from generator.routes import Urls

_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # made once, not per record


def _dump(name: str, records: Iterable[dict[str, Any]]) -> bytes:
    """{"name": [records]}, one record per line: easy to read, diff and grep, and fast
    (json's C encoder does not indent)."""
    lines = [_ENCODE(r) for r in records]
    inner = "\n" + ",\n".join(lines) + "\n" if lines else ""
    return ("{" + json.dumps(name) + ": [" + inner + "]}\n").encode()


def data_file(archive: Archive, urls: Urls, name: str) -> bytes:
    """One of routes.DATA_FILES, with absolute URLs; each is made on its own, so that no more
    than one is ever held."""
    records = {"articles.json": _articles, "entities.json": _entities, "quotes.json": _quotes}
    return _dump(name.removesuffix(".json"), records[name](archive, urls))


def _articles(archive: Archive, urls: Urls) -> Iterator[dict[str, Any]]:
    return (
        {
            "url": urls.absolute(urls.article(item.article)),
            "title": item.article.title,
            "date": item.article.date.isoformat(timespec="seconds"),
            "authors": list(item.article.authors),
            "tags": list(item.article.tags),
            "section": item.article.section,
            "summary": item.article.summary,
            "entities": [e.id for e in item.entities],
            "quotes": [q.id for q in item.quotes],
        }
        for item in archive.articles
    )


def _entities(archive: Archive, urls: Urls) -> Iterator[dict[str, Any]]:
    return (
        {
            "id": entity.id,
            "name": entity.name,
            "type": entity.type,
            "url": urls.absolute(urls.entity(entity.id)),
            "aliases": list(entity.registry.aliases) if entity.registry else [],
            "wikidata": entity.registry.wikidata if entity.registry else None,
            "articles": len(entity.articles),
            "quotes": len(entity.quotes),
            "mentions": entity.mentions,
        }
        for entity in archive.entities.values()
    )


def _quotes(archive: Archive, urls: Urls) -> Iterator[dict[str, Any]]:
    return (
        {
            "id": quote.id,
            "url": urls.absolute(urls.quote(quote.id)),
            "text": quote.text,
            "speaker": quote.speaker_id,
            "speaker_name": (
                archive.entities[quote.speaker_id].name
                if quote.speaker_id in archive.entities
                else quote.speaker_name
            ),
            "article": urls.absolute(urls.article(item.article)),
            "date": item.article.date.isoformat(timespec="seconds"),
            "origin": quote.origin,
        }
        for quote, item in archive.quotes
    )
