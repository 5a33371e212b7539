"""Page views: home, articles, entities and quotes."""

from __future__ import annotations

import itertools
from collections import Counter
from html import escape
from typing import Any

from markupsafe import Markup

from generator import body as bodies
from generator.body import safe_url
from generator.index import Entity
from generator.model import AnnotatedArticle, Quote
from generator.routes import on_page
from generator.timeline import timeline_svg
from generator.views.base import (
    SCHEMA_TYPES,
    TYPE_LABELS,
    ViewBase,
    display_date,
    first_words,
    iso,
    json_ld,
    thing,
)

MORE_QUOTES = 5  # on a quote page, more from the same speaker; the speaker's page has all


class PageViews(ViewBase):
    """The pages a reader reads."""

    def home(self, number: int, total: int) -> dict[str, Any]:
        items = on_page(self.archive.articles, number, self.config.per_page)
        pagination = self.pagination(number, total, self.urls.home)
        title = self.config.title if number == 1 else f"{self.config.title}, page {number}"
        return self.page(
            self.urls.home(number), title, articles=self.listing(items), pagination=pagination
        )

    def article(self, item: AnnotatedArticle) -> dict[str, Any]:
        a = item.article
        url = self.urls.article(a)
        quoted = Counter(q.speaker_id for q in item.quotes if q.speaker_id in self.archive.entities)
        mentioned = sorted(
            (
                self.entity_link(e.id, len(e.mentions))
                for e in item.entities
                if e.id in self.archive.entities
            ),
            key=lambda link: (-link.count, link.name),
        )
        quotes = [self.quote_summary(q, item) for q in item.quotes]
        view = {
            "title": a.title,
            "url": url,
            "date": display_date(a.date),
            "date_iso": iso(a.date),
            "updated": display_date(a.updated) if a.updated else None,
            "updated_iso": iso(a.updated) if a.updated else None,
            "authors": a.authors,
            "section": a.section or "",
            "summary": a.summary or "",
            "source": a.source or "",
            "source_url": a.source_url if a.source_url and safe_url(a.source_url) else "",
            "tags": self.summary(item).tags,
            "body": self.body(item),
            "quoted": [
                self.entity_link(i, n)
                for i, n in sorted(quoted.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            "mentioned": mentioned,
            "quotes": quotes,
            "extra": dict(a.extra),
        }
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a.title,
            "datePublished": iso(a.date),
            "url": self.urls.absolute(url),
            "mentions": [thing(self, link) for link in mentioned],
        }
        if a.updated:
            ld["dateModified"] = iso(a.updated)
        if a.authors:
            ld["author"] = [{"@type": "Person", "name": name} for name in a.authors]
        if a.summary:
            ld["description"] = a.summary
        return self.page(url, a.title, article=view, jsonld=json_ld(ld))

    def entity(self, entity: Entity, number: int = 1, total: int = 1) -> dict[str, Any]:
        """Page `number` of `total` of an entity: its articles and quotes are paged
        side by side, `entity_per_page` of each; the rest is on every page."""
        url = self.urls.entity(entity.id, number)
        per_page = self.config.entity_per_page
        view = {
            **self._entity_whole(entity),
            "articles": self.listing(on_page(entity.articles, number, per_page)),
            "quotes": [
                self.quote_summary(q, i) for q, i in on_page(entity.quotes, number, per_page)
            ],
        }
        pagination = self.pagination(number, total, lambda n: self.urls.entity(entity.id, n))
        thing = {
            "@type": SCHEMA_TYPES[entity.type],
            "name": entity.name,
            "url": self.urls.absolute(url),
        }
        if view["wikidata"]:
            thing["sameAs"] = f"https://www.wikidata.org/wiki/{view['wikidata']}"
        if entity.registry and entity.registry.aliases:
            thing["alternateName"] = list(entity.registry.aliases)
        ld = {
            "@context": "https://schema.org",
            "@type": "ProfilePage",
            "mainEntity": thing,
            "url": self.urls.absolute(url),
        }
        title = entity.name if number == 1 else f"{entity.name}, page {number}"
        return self.page(url, title, entity=view, pagination=pagination, jsonld=json_ld(ld))

    def _entity_whole(self, entity: Entity) -> dict[str, Any]:
        """What every page of an entity shows alike, made once for all of them: an
        entity named in half of 10,000 articles has a hundred pages (50 to a page),
        and its timeline counts all its articles (made for each page, the work grew
        with the square of N)."""
        if self._whole is not None and self._whole[0] is entity:
            return self._whole[1]
        description = ""
        if entity.registry and entity.registry.description:
            tokens = bodies.markdown(self.config.raw_html).parse(entity.registry.description)
            description = bodies.render_markdown(tokens, (), self.config.raw_html, self.urls.prefix)
        dates = [item.article.date for item in entity.articles]
        whole = {
            "id": entity.id,
            "name": entity.name,
            "type": entity.type,
            "type_label": TYPE_LABELS[entity.type],
            "type_url": self.urls.entity_type(entity.type),
            "description": Markup(description),
            "wikidata": entity.registry.wikidata if entity.registry else None,
            "aliases": entity.registry.aliases if entity.registry else (),
            "article_count": len(entity.articles),
            "quote_count": len(entity.quotes),
            "related": [self.entity_link(i, n) for i, n in entity.related],
            "timeline": Markup(timeline_svg(dates, entity.name)),
            "first": display_date(min(dates)) if dates else None,
            "last": display_date(max(dates)) if dates else None,
            "feed_url": self.urls.entity_feed(entity.id),
        }
        self._whole = (entity, whole)  # an entity's pages come one after another
        return whole

    def quotes(self, number: int = 1, total: int = 1) -> dict[str, Any]:
        shown = on_page(self.archive.quotes, number, self.config.quotes_per_page)
        return self.page(
            self.urls.quotes(number),
            "Quotes" if number == 1 else f"Quotes, page {number}",
            quotes=[self.quote_summary(q, i) for q, i in shown],
            count=len(self.archive.quotes),
            pagination=self.pagination(number, total, self.urls.quotes),
        )

    def quote(self, quote: Quote, item: AnnotatedArticle) -> dict[str, Any]:
        url = self.urls.quote(quote.id)
        summary = self.quote_summary(quote, item)
        more = []
        if quote.speaker_id in self.archive.entities:
            others = (
                (q, i)
                for q, i in self.archive.entities[quote.speaker_id].quotes
                if q.id != quote.id
            )
            more = [self.quote_summary(q, i) for q, i in itertools.islice(others, MORE_QUOTES)]
        paragraph = _highlight(quote.paragraph, *quote.context)
        speaker = summary.speaker.name if summary.speaker else "Unknown speaker"
        ld: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Quotation",
            "text": quote.text,
            "url": self.urls.absolute(url),
            "isBasedOn": {
                "@type": "NewsArticle",
                "headline": item.article.title,
                "url": self.urls.absolute(summary.article.url),
                "datePublished": iso(item.article.date),
            },
        }
        if summary.speaker:
            ld["creator"] = thing(self, summary.speaker)
        title = f"{speaker}: \u201c{first_words(quote.text, 12)}\u201d"
        return self.page(
            url,
            title,
            quote=summary,
            paragraph=Markup(paragraph),
            more=more,
            more_ids=tuple(q.id for q in more),  # names `more` whole, as a key of reuse()
            jsonld=json_ld(ld),
        )


def _highlight(paragraph: str, start: int, end: int) -> str:
    """The paragraph(s) around a quote as HTML, the quoted words in <mark>."""
    parts, offset = [], 0
    for part in paragraph.split("\n\n"):
        left, right = max(start - offset, 0), min(end - offset, len(part))
        if right <= left:
            parts.append(f"<p>{escape(part, quote=False)}</p>")
        else:
            before, words, after = part[:left], part[left:right], part[right:]
            parts.append(
                f"<p>{escape(before, quote=False)}<mark>{escape(words, quote=False)}</mark>"
                f"{escape(after, quote=False)}</p>"
            )
        offset += len(part) + 2
    return "".join(parts)
