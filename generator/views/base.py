"""Views: what templates see. Plain records built from the archive; never the models.

The shared records and helpers, and the base every kind of page builds on.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from generator import body as bodies
from generator.config import Config
from generator.index import Archive
from generator.model import AnnotatedArticle, Article, Quote, fast_pickle
from generator.routes import Urls
from generator.sources import ArticleTexts

if TYPE_CHECKING:
    from generator.opendata import Lines

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


@fast_pickle
@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str


@fast_pickle
@dataclass(frozen=True, slots=True)
class EntityLink:
    id: str
    name: str
    type: str
    url: str
    count: int = 0


@fast_pickle
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


@fast_pickle
@dataclass(frozen=True, slots=True)
class QuoteSummary:
    id: str
    url: str
    text: str
    speaker: EntityLink | None
    article: ArticleSummary


# Summaries of the quotes most recently shown, for the pages showing them again (a
# speaker's newest quotes are on each of their quote pages): not of all of them,
# which would be 20 MB more in each process drawing 150,000 quote pages.
QUOTES_KEPT = 4096

_BODIES: OrderedDict[str, str] = OrderedDict()  # the latest bodies made, by key
_BODIES_KEPT = 64  # the site feed shows the newest articles again on every rebuild


def _remembered(key: str, make: Callable[[], str]) -> str:
    html = _BODIES.get(key)
    if html is None:
        html = _BODIES[key] = make()
        if len(_BODIES) > _BODIES_KEPT:
            _BODIES.popitem(last=False)
    else:
        _BODIES.move_to_end(key)
    return html


class LazyHTML:
    """HTML made only when a template prints it. In a page's fingerprint it counts as
    its key, which names everything the HTML is made from."""

    __slots__ = ("_make", "key")

    def __init__(self, key: str, make: Callable[[], str]) -> None:
        self.key = key
        self._make = make

    def __html__(self) -> str:
        return self._make()

    def __str__(self) -> str:
        return self._make()

    def __reduce__(self) -> tuple[Any, ...]:
        return (str, (self.key,))


class ViewBase:
    """What every page view needs: the site, links, summaries, article bodies."""

    def __init__(
        self,
        archive: Archive,
        config: Config,
        urls: Urls,
        search: bool = False,
        texts: ArticleTexts | None = None,
        lines: Lines | None = None,
    ) -> None:
        self.archive = archive
        self.config = config
        self.urls = urls
        self.search_index = search  # a search index will be built over this output
        # An article's text or body, where the archive does not hold it
        self.texts = texts
        # articles.json's records, shared by a watching builder's views (opendata.Lines)
        self.lines = lines
        self._summaries: dict[str, ArticleSummary] = {}
        self._quotes: dict[str, QuoteSummary] = {}
        self._links: dict[str, EntityLink] = {}  # without a count: one per entity
        self._site: dict[str, Any] | None = None
        self._whole: tuple[Any, dict[str, Any]] | None = None  # PageViews._entity_whole

    # --- shared pieces --------------------------------------------------------

    def site(self) -> dict[str, Any]:
        """What every page shows of the site: made once, shared by all pages."""
        if self._site is None:
            self._site = self._make_site()
        return self._site

    def _make_site(self) -> dict[str, Any]:
        u = self.urls
        nav = [
            Link(u.home(), "Latest"),
            Link(u.archive(), "Archive"),
            Link(u.path("entities"), "Entities"),
            Link(u.path("quotes"), "Quotes"),
            Link(u.path("tags"), "Tags"),
            Link(u.path("search"), "Search"),
        ]
        return {
            "title": self.config.title,
            "description": self.config.description,
            "language": self.config.language,
            "base_url": self.config.base_url,
            "home_url": u.home(),
            "css_url": u.file("static/style.css"),
            "feed_url": u.file("feed.xml"),
            "nav": nav,
            "nav_urls": tuple(link.url for link in nav),  # the sections' own pages
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
                summary=a.summary or first_words(a.blocks[0].text if a.blocks else ""),
                section=a.section or "",
                authors=a.authors,
                tags=tuple(self.tag_link(t) for t in dict.fromkeys(a.tags)),
            )
        return self._summaries[key]

    def tag_link(self, name: str) -> Link:
        return Link(self.urls.tag(self.archive.tag_slugs[name]), name)

    def entity_link(self, entity_id: str, count: int = 0) -> EntityLink:
        link = self._links.get(entity_id)
        if link is None:
            entity = self.archive.entities[entity_id]
            link = EntityLink(entity.id, entity.name, entity.type, self.urls.entity(entity.id))
            self._links[entity_id] = link
        return link if count == link.count else replace(link, count=count)

    def quote_summary(self, quote: Quote, item: AnnotatedArticle) -> QuoteSummary:
        cached = self._quotes.get(quote.id)
        if cached is None:
            if len(self._quotes) >= QUOTES_KEPT:
                self._quotes.clear()
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

    def listing(self, items: Sequence[AnnotatedArticle]) -> list[ArticleSummary]:
        return [self.summary(item) for item in items]

    # --- pages ----------------------------------------------------------------

    def pagination(self, number: int, total: int, url: Callable[[int], str]) -> dict[str, Any]:
        """Links for page `number` of `total`: previous, next, and a window of page
        numbers (first, last and the nearest), never all of them: an archive has
        thousands of pages."""
        near = {1, total, *range(max(1, number - 2), min(total, number + 2) + 1)}
        return {
            "number": number,
            "total": total,
            "previous": url(number - 1) if number > 1 else None,
            "next": url(number + 1) if number < total else None,
            "pages": [Link(url(n), str(n)) for n in sorted(near)],
        }

    def body(self, item: AnnotatedArticle) -> LazyHTML:
        """The article body, made only if the page is drawn: a page whose fingerprint
        is unchanged is never drawn, and the body is the costliest part of a view."""
        marks = self._marks(item)
        a, config = item.article, (self.config.raw_html, self.urls.prefix)
        key = f"{a.path}|{a.digest}|{a.format}|{a.body_start}|{a.body_line}|{config}|{marks}"
        return LazyHTML(key, lambda: _remembered(key, lambda: self._body_html(item, marks)))

    def body_html(self, item: AnnotatedArticle) -> str:
        return str(self.body(item))

    def _marks(self, item: AnnotatedArticle) -> list[bodies.Mark]:
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
        return marks

    def _body_html(self, item: AnnotatedArticle, marks: list[bodies.Mark]) -> str:
        a = item.article
        if a.format == "markdown":
            parts = self.texts.skeleton(a) if self.texts else None
            if parts is None:  # not kept: parse the Markdown again
                tokens = bodies.parse_markdown(
                    self._text(a)[a.body_start :], a.body_start, a.body_line, self.config.raw_html
                )
                parts = bodies.skeleton(tokens, self.config.raw_html, self.urls.prefix)
            return bodies.fill(parts, marks)
        text = self._text(a)
        paragraphs = [
            bodies.Paragraph(
                text[b.runs[0].source : b.runs[-1].source + b.runs[-1].length],
                b.runs[0].source,
                b.line,
            )
            for b in a.blocks
        ]
        return bodies.render_text(paragraphs, marks)

    def _text(self, article: Article) -> str:
        return self.texts(article) if self.texts else article.text


def thing(views: ViewBase, link: EntityLink) -> dict[str, Any]:
    return {
        "@type": SCHEMA_TYPES[link.type],
        "name": link.name,
        "url": views.urls.absolute(link.url),
    }


def first_words(text: str, count: int = 40) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("\u2026" if len(words) > count else "")
