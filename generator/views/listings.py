"""Listing views: archive, tags, entity index, feeds, sitemap and the other site files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.index import Entity
from generator.model import AnnotatedArticle
from generator.opendata import data_file
from generator.routes import TYPE_SEGMENTS, on_page
from generator.views.base import MONTHS, TYPE_LABELS, ViewBase, iso


class ListingViews(ViewBase):
    """The pages and files that list or index the archive."""

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

    def tag(self, slug: str, number: int = 1, total: int = 1) -> dict[str, Any]:
        tag = self.archive.tags[slug]
        shown = on_page(tag.articles, number, self.config.tag_per_page)
        title = f"Tag: {tag.name}" if number == 1 else f"Tag: {tag.name}, page {number}"
        return self.page(
            self.urls.tag(slug, number),
            title,
            tag=tag.name,
            count=len(tag.articles),
            articles=self.listing(shown),
            pagination=self.pagination(number, total, lambda n: self.urls.tag(slug, n)),
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

    def sitemap(self, pages: list[str]) -> dict[str, Any]:
        """A sitemap of these page URLs; articles carry their last change."""
        updated = {
            self.urls.article(i.article): iso(i.article.updated or i.article.date)[:10]
            for i in self.archive.articles
        }
        urls = [{"loc": self.urls.absolute(url), "lastmod": updated.get(url)} for url in pages]
        return self.page(self.urls.file("sitemap.xml"), "Sitemap", urls=urls)

    def sitemap_index(self, names: list[str]) -> dict[str, Any]:
        sitemaps = [self.urls.absolute(self.urls.file(name)) for name in names]
        return self.page(self.urls.file("sitemap.xml"), "Sitemap", sitemaps=sitemaps)

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

    def data_file(self, name: str) -> Iterator[bytes]:
        """One of opendata.DATA_FILES, in parts."""
        return data_file(self.archive, self.urls, name, self.lines)
