"""Views: what templates see. Plain records built from the archive; never the models."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from markupsafe import Markup

from generator import body as bodies
from generator.body import safe_url
from generator.config import Config
from generator.index import Archive, Entity
from generator.model import AnnotatedArticle, Quote
from generator.opendata import data_files
from generator.routes import TYPE_SEGMENTS, PageJob, Urls
from generator.timeline import timeline_svg

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
TYPE_LABELS = {
    "person": "People",
    "organization": "Organizations",
    "place": "Places",
    "other": "Other",
}
SCHEMA_TYPES = {
    "person": "Person",
    "organization": "Organization",
    "place": "Place",
    "other": "Thing",
}


def display_date(value: datetime) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json">, safe against "</script>" in content."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str


@dataclass(frozen=True, slots=True)
class EntityLink:
    id: str
    name: str
    type: str
    url: str
    count: int = 0


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    url: str
    title: str
    date: str
    date_iso: str
    summary: str
    section: str
    authors: tuple[str, ...]
    tags: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class QuoteSummary:
    id: str
    url: str
    text: str
    speaker: EntityLink | None
    article: ArticleSummary


class Views:
    """Builds the view of every page; one per build."""

    def __init__(self, archive: Archive, config: Config, urls: Urls, search: bool = False) -> None:
        self.archive = archive
        self.config = config
        self.urls = urls
        self.search_index = search  # a search index will be built over this output
        self._summaries: dict[str, ArticleSummary] = {}
        self._quotes: dict[str, QuoteSummary] = {}
        self._bodies: dict[str, str] = {}

    # --- shared pieces --------------------------------------------------------

    def site(self) -> dict[str, Any]:
        u = self.urls
        return {
            "title": self.config.title,
            "description": self.config.description,
            "language": self.config.language,
            "base_url": self.config.base_url,
            "home_url": u.home(),
            "css_url": u.file("static/style.css"),
            "feed_url": u.file("feed.xml"),
            "nav": [
                Link(u.home(), "Latest"),
                Link(u.archive(), "Archive"),
                Link(u.path("entities"), "Entities"),
                Link(u.path("quotes"), "Quotes"),
                Link(u.path("tags"), "Tags"),
                Link(u.path("search"), "Search"),
            ],
            "extra": self.config.extra,
        }

    def page(self, url: str, title: str, **values: Any) -> dict[str, Any]:
        return {
            "site": self.site(),
            "page": {"url": url, "title": title, "canonical": self.urls.absolute(url)},
            **values,
        }

    def summary(self, item: AnnotatedArticle) -> ArticleSummary:
        key = item.article.path
        if key not in self._summaries:
            a = item.article
            self._summaries[key] = ArticleSummary(
                url=self.urls.article(a),
                title=a.title,
                date=display_date(a.date),
                date_iso=iso(a.date),
                summary=a.summary or _first_words(a.blocks[0].text if a.blocks else ""),
                section=a.section or "",
                authors=a.authors,
                tags=tuple(self.tag_link(t) for t in dict.fromkeys(a.tags)),
            )
        return self._summaries[key]

    def tag_link(self, name: str) -> Link:
        return Link(self.urls.tag(self.archive.tag_slugs[name]), name)

    def entity_link(self, entity_id: str, count: int = 0) -> EntityLink:
        entity = self.archive.entities[entity_id]
        return EntityLink(entity.id, entity.name, entity.type, self.urls.entity(entity.id), count)

    def quote_summary(self, quote: Quote, item: AnnotatedArticle) -> QuoteSummary:
        cached = self._quotes.get(quote.id)
        if cached is None:
            cached = self._quotes[quote.id] = self._quote_summary(quote, item)
        return cached

    def _quote_summary(self, quote: Quote, item: AnnotatedArticle) -> QuoteSummary:
        speaker = (
            self.entity_link(quote.speaker_id)
            if quote.speaker_id in self.archive.entities
            else None
        )
        return QuoteSummary(
            quote.id, self.urls.quote(quote.id), quote.text, speaker, self.summary(item)
        )

    def listing(self, items: list[AnnotatedArticle]) -> list[ArticleSummary]:
        return [self.summary(item) for item in items]

    # --- pages ----------------------------------------------------------------

    def home(self, number: int, total: int) -> dict[str, Any]:
        per_page = self.config.per_page
        items = self.archive.articles[(number - 1) * per_page : number * per_page]
        pagination = {
            "number": number,
            "total": total,
            "previous": self.urls.home(number - 1) if number > 1 else None,
            "next": self.urls.home(number + 1) if number < total else None,
            "pages": [Link(self.urls.home(n), str(n)) for n in range(1, total + 1)],
        }
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
            "body": Markup(self.body_html(item)),
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
            "mentions": [_thing(self, link) for link in mentioned],
        }
        if a.updated:
            ld["dateModified"] = iso(a.updated)
        if a.authors:
            ld["author"] = [{"@type": "Person", "name": name} for name in a.authors]
        if a.summary:
            ld["description"] = a.summary
        return self.page(url, a.title, article=view, jsonld=json_ld(ld))

    def body_html(self, item: AnnotatedArticle) -> str:
        """The article body as HTML, made once per build: feeds show it again."""
        key = item.article.path
        if key not in self._bodies:
            self._bodies[key] = self._body_html(item)
        return self._bodies[key]

    def _body_html(self, item: AnnotatedArticle) -> str:
        a = item.article
        marks = [
            bodies.Mark(
                m.start,
                m.end,
                "entity",
                self.urls.entity(e.id),
                e.name,
                e.id,
                self.archive.entities[e.id].type,
            )
            for e in item.entities
            if e.id in self.archive.entities
            for m in e.mentions
        ]
        for quote in item.quotes:
            if quote.start is not None and quote.end is not None:
                by = f"Quote by {quote.speaker_name}" if quote.speaker_name else "Quote"
                marks.append(
                    bodies.Mark(
                        quote.start, quote.end, "quote", self.urls.quote(quote.id), by, quote.id
                    )
                )
        if a.format == "text":
            paragraphs = [
                bodies.Paragraph(
                    a.text[b.runs[0].source : b.runs[0].source + b.runs[0].length],
                    b.runs[0].source,
                    b.line,
                )
                for b in a.blocks
            ]
            return bodies.render_text(paragraphs, marks)
        tokens = bodies.parse_markdown(a.body, a.body_start, a.body_line, self.config.raw_html)
        return bodies.render_markdown(tokens, marks, self.config.raw_html, self.urls.prefix)

    def archive_index(self) -> dict[str, Any]:
        years: dict[int, list[dict[str, Any]]] = {}
        for (year, month), items in self.archive.months.items():
            years.setdefault(year, []).append(
                {
                    "url": self.urls.archive(year, month),
                    "name": MONTHS[month - 1],
                    "count": len(items),
                }
            )
        groups = [
            {
                "year": year,
                "url": self.urls.archive(year),
                "months": months,
                "count": sum(m["count"] for m in months),
            }
            for year, months in years.items()
        ]
        return self.page(self.urls.archive(), "Archive", years=groups)

    def archive_year(self, year: int) -> dict[str, Any]:
        months = [
            {"name": MONTHS[m - 1], "url": self.urls.archive(y, m), "articles": self.listing(items)}
            for (y, m), items in self.archive.months.items()
            if y == year
        ]
        return self.page(self.urls.archive(year), f"Archive: {year}", year=year, months=months)

    def archive_month(self, year: int, month: int) -> dict[str, Any]:
        items = self.archive.months[(year, month)]
        title = f"{MONTHS[month - 1]} {year}"
        return self.page(
            self.urls.archive(year, month),
            f"Archive: {title}",
            heading=title,
            year_url=self.urls.archive(year),
            year=year,
            articles=self.listing(items),
        )

    def tags(self) -> dict[str, Any]:
        tags = [
            {"url": self.urls.tag(t.slug), "name": t.name, "count": len(t.articles)}
            for t in sorted(self.archive.tags.values(), key=lambda t: t.name.casefold())
        ]
        return self.page(self.urls.path("tags"), "Tags", tags=tags)

    def tag(self, slug: str) -> dict[str, Any]:
        tag = self.archive.tags[slug]
        return self.page(
            self.urls.tag(slug),
            f"Tag: {tag.name}",
            tag=tag.name,
            articles=self.listing(list(tag.articles)),
        )

    def entity_groups(self, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
        groups = []
        for kind in kinds:
            members = sorted(
                (
                    self.entity_link(e.id, len(e.articles))
                    for e in self.archive.entities.values()
                    if e.type == kind
                ),
                key=lambda link: (link.name.casefold(), link.id),
            )
            if members:
                groups.append(
                    {
                        "type": kind,
                        "label": TYPE_LABELS[kind],
                        "url": self.urls.entity_type(kind),
                        "entities": members,
                    }
                )
        return groups

    def entities(self) -> dict[str, Any]:
        return self.page(
            self.urls.path("entities"), "Entities", groups=self.entity_groups(tuple(TYPE_SEGMENTS))
        )

    def entity_type(self, kind: str) -> dict[str, Any]:
        return self.page(
            self.urls.entity_type(kind), TYPE_LABELS[kind], groups=self.entity_groups((kind,))
        )

    def entity(self, entity: Entity) -> dict[str, Any]:
        url = self.urls.entity(entity.id)
        description = ""
        if entity.registry and entity.registry.description:
            tokens = bodies.markdown(self.config.raw_html).parse(entity.registry.description)
            description = bodies.render_markdown(tokens, (), self.config.raw_html, self.urls.prefix)
        dates = [item.article.date for item in entity.articles]
        view = {
            "id": entity.id,
            "name": entity.name,
            "type": entity.type,
            "type_label": TYPE_LABELS[entity.type],
            "type_url": self.urls.entity_type(entity.type),
            "description": Markup(description),
            "wikidata": entity.registry.wikidata if entity.registry else None,
            "aliases": entity.registry.aliases if entity.registry else (),
            "articles": self.listing(entity.articles),
            "quotes": [self.quote_summary(q, i) for q, i in entity.quotes],
            "related": [self.entity_link(i, n) for i, n in entity.related],
            "timeline": Markup(timeline_svg(dates, entity.name)),
            "first": display_date(min(dates)) if dates else None,
            "last": display_date(max(dates)) if dates else None,
            "feed_url": self.urls.entity_feed(entity.id),
        }
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
        return self.page(url, entity.name, entity=view, jsonld=json_ld(ld))

    def quotes(self) -> dict[str, Any]:
        quotes = [self.quote_summary(q, i) for q, i in self.archive.quotes]
        return self.page(self.urls.path("quotes"), "Quotes", quotes=quotes)

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
            more = [self.quote_summary(q, i) for q, i in itertools.islice(others, 10)]
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
            ld["creator"] = _thing(self, summary.speaker)
        title = f"{speaker}: \u201c{_first_words(quote.text, 12)}\u201d"
        return self.page(
            url,
            title,
            quote=summary,
            paragraph=Markup(paragraph),
            more=more,
            jsonld=json_ld(ld),
        )

    def feed_entries(
        self, items: list[AnnotatedArticle], full: bool = True
    ) -> list[dict[str, Any]]:
        """Entries of a feed; entity feeds carry summaries only, the site feed whole
        articles (an archive has thousands of entity feeds)."""
        entries = []
        for item in items[: self.config.feed_entries]:
            s = self.summary(item)
            entries.append(
                {
                    "title": s.title,
                    "url": self.urls.absolute(s.url),
                    "id": self.urls.absolute(s.url),
                    "published": s.date_iso,
                    "updated": iso(item.article.updated or item.article.date),
                    "summary": s.summary,
                    "authors": s.authors,
                    "content": self.body_html(item) if full else None,
                    "tags": [t.text for t in s.tags],
                }
            )
        return entries

    def feed_page(
        self,
        url: str,
        title: str,
        items: list[AnnotatedArticle],
        alternate: str,
        full: bool = True,
    ) -> dict[str, Any]:
        newest = max((i.article.updated or i.article.date for i in items), default=None)
        updated = iso(newest) if newest else "1970-01-01T00:00:00+00:00"
        return self.page(
            url,
            title,
            feed={
                "title": title,
                "id": self.urls.absolute(url),
                "self": self.urls.absolute(url),
                "alternate": self.urls.absolute(alternate),
                "updated": updated,
                "entries": self.feed_entries(items, full),
            },
        )

    def feed(self) -> dict[str, Any]:
        return self.feed_page(
            self.urls.file("feed.xml"), self.config.title, self.archive.articles, self.urls.home()
        )

    def entity_feed(self, entity: Entity) -> dict[str, Any]:
        return self.feed_page(
            self.urls.entity_feed(entity.id),
            f"{self.config.title}: {entity.name}",
            entity.articles,
            self.urls.entity(entity.id),
            full=False,
        )

    def sitemap(self, jobs: list[PageJob]) -> dict[str, Any]:
        updated = {
            self.urls.article(i.article): iso(i.article.updated or i.article.date)[:10]
            for i in self.archive.articles
        }
        urls = [
            {"loc": self.urls.absolute(j.url), "lastmod": updated.get(j.url)}
            for j in jobs
            if j.template and j.output.endswith("index.html")
        ]
        return self.page(self.urls.file("sitemap.xml"), "Sitemap", urls=urls)

    def robots(self) -> dict[str, Any]:
        return self.page(
            self.urls.file("robots.txt"),
            "robots.txt",
            sitemap=self.urls.absolute(self.urls.file("sitemap.xml")),
        )

    def search(self) -> dict[str, Any]:
        bundle = self.urls.file("pagefind/")
        return self.page(
            self.urls.path("search"),
            "Search",
            search={
                "enabled": self.search_index,
                "bundle": bundle,
                "script": bundle + "pagefind-ui.js",
                "stylesheet": bundle + "pagefind-ui.css",
            },
        )

    def not_found(self) -> dict[str, Any]:
        return self.page(self.urls.file("404.html"), "Page not found")

    def data_files(self) -> dict[str, bytes]:
        return data_files(self.archive, self.urls)


def _thing(views: Views, link: EntityLink) -> dict[str, Any]:
    return {
        "@type": SCHEMA_TYPES[link.type],
        "name": link.name,
        "url": views.urls.absolute(link.url),
    }


def _first_words(text: str, count: int = 40) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("\u2026" if len(words) > count else "")


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
