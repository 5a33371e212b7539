"""Open data: the archive's articles, entities and quotes as JSON files."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from generator.index import Archive
from generator.model import AnnotatedArticle
from generator.routes import Urls

_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # made once, not per record
# What _ENCODE does with a str, without its per-call set-up: json's (C) string escaper.
_STRING = getattr(json.encoder, "encode_basestring", _ENCODE)


def _json(value: Any) -> str:
    """Exactly _ENCODE(value); strings and None, nearly every value here, the fast way."""
    if type(value) is str:
        return _STRING(value)
    return "null" if value is None else _ENCODE(value)


def _json_list(values: Sequence[Any]) -> str:
    """Exactly _ENCODE(values) for a list or tuple: json joins its items with ", "."""
    try:
        return "[" + ", ".join(map(_STRING, values)) + "]"
    except TypeError:  # not all of them strings
        return _ENCODE(values)


CHUNK = 1 << 16  # characters of records gathered before they are encoded and handed on


def _dump(name: str, lines: Iterable[str]) -> Iterator[bytes]:
    """{"name": [records]}, one record per line: easy to read, diff and grep. A record's
    keys are fixed, so each line is written from its values' JSON with its keys in sorted
    order, exactly as _ENCODE would write the record's dict but several times faster.
    The file comes in parts of about CHUNK characters of records (64 KB of ASCII),
    written as they are made: the quotes of 100,000 articles are 500 MB of JSON,
    never held whole."""
    parts, size, separator = [f"{{{json.dumps(name)}: ["], 0, "\n"
    for line in lines:
        parts += (separator, line)
        separator = ",\n"
        size += len(line)
        if size >= CHUNK:
            yield "".join(parts).encode()
            parts, size = [], 0
    parts.append("]}\n" if separator == "\n" else "\n]}\n")  # no records: no empty line
    yield "".join(parts).encode()


# articles.json's records, by article path, each with the article it was made from
Lines = dict[str, tuple[AnnotatedArticle, str]]


def data_file(
    archive: Archive, urls: Urls, name: str, lines: Lines | None = None
) -> Iterator[bytes]:
    """One of routes.DATA_FILES, with absolute URLs, in parts (see _dump). `lines`: the
    records of articles.json made before under the same config, to take again for the
    same articles (the same objects), and to add to."""
    if name == "articles.json":
        return _dump("articles", _articles(archive, urls, lines))
    records = {"entities.json": _entities, "quotes.json": _quotes}
    return _dump(name.removesuffix(".json"), records[name](archive, urls))


def _articles(archive: Archive, urls: Urls, lines: Lines | None) -> Iterator[str]:
    if lines is None:
        yield from (_article(item, urls) for item in archive.articles)
        return
    for item in archive.articles:
        known = lines.get(item.article.path)
        if known is None or known[0] is not item:
            known = lines[item.article.path] = (item, _article(item, urls))
        yield known[1]


def _article(item: AnnotatedArticle, urls: Urls) -> str:
    article = item.article
    return (
        f'{{"authors": {_json_list(article.authors)}, '
        f'"date": {_json(article.date.isoformat(timespec="seconds"))}, '
        f'"entities": {_json_list([e.id for e in item.entities])}, '
        f'"quotes": {_json_list([q.id for q in item.quotes])}, '
        f'"section": {_json(article.section)}, "summary": {_json(article.summary)}, '
        f'"tags": {_json_list(article.tags)}, "title": {_json(article.title)}, '
        f'"url": {_json(urls.absolute(urls.article(article)))}}}'
    )


def _entities(archive: Archive, urls: Urls) -> Iterator[str]:
    for entity in archive.entities.values():
        aliases, wikidata = (
            (entity.registry.aliases, entity.registry.wikidata) if entity.registry else ((), None)
        )
        yield (
            f'{{"aliases": {_json_list(aliases)}, "articles": {_json(len(entity.articles))}, '
            f'"id": {_json(entity.id)}, "mentions": {_json(entity.mentions)}, '
            f'"name": {_json(entity.name)}, "quotes": {_json(len(entity.quotes))}, '
            f'"type": {_json(entity.type)}, "url": {_json(urls.absolute(urls.entity(entity.id)))}, '
            f'"wikidata": {_json(wikidata)}}}'
        )


def _quotes(archive: Archive, urls: Urls) -> Iterator[str]:
    names = {entity_id: _json(entity.name) for entity_id, entity in archive.entities.items()}
    item: AnnotatedArticle | None = None
    article = date = ""
    for quote, quoted_in in archive.quotes:
        if quoted_in is not item:  # an article's quotes are adjacent: its fields once for all
            item = quoted_in
            article = _json(urls.absolute(urls.article(item.article)))
            date = _json(item.article.date.isoformat(timespec="seconds"))
        speaker_name = names.get(quote.speaker_id)  # a known speaker by the archive's name
        if speaker_name is None:
            speaker_name = _json(quote.speaker_name)
        yield (
            f'{{"article": {article}, "date": {date}, "id": {_json(quote.id)}, '
            f'"origin": {_json(quote.origin)}, "speaker": {_json(quote.speaker_id)}, '
            f'"speaker_name": {speaker_name}, "text": {_json(quote.text)}, '
            f'"url": {_json(urls.absolute(urls.quote(quote.id)))}}}'
        )
