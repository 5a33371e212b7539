"""Routes: the only module that knows URLs and output paths."""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import PurePosixPath
from typing import Any, TypeVar

from generator.config import Config
from generator.index import Archive
from generator.model import AnnotatedArticle, Article, Diagnostic, Quote
from generator.slugs import KIND_FOLDERS, short_hash, slugify

T = TypeVar("T")
_UNSAFE_SEGMENT = re.compile(r"(^\.+$)|[\\/%<>:\"|?*\x00-\x1f]")


class Urls:
    """Root-relative URLs under the site's path prefix, and absolute ones from base_url."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.prefix = config.base_path
        self._articles: dict[str, str] = {}  # one build sees one article per path

    def carry(self, other: Urls) -> None:
        """Take the articles' URLs that `other`, of the same config, found: a watching
        builder's, whose articles kept their URLs (10,000 slugs made again, 0.05 s)."""
        self._articles.update(other._articles)

    def path(self, *segments: str) -> str:
        """ "/" + prefix + segments + "/" — every page is a folder."""
        inner = "/".join(s.strip("/") for s in segments if s)
        return self.prefix + (inner + "/" if inner else "")

    def file(self, name: str) -> str:
        return self.prefix + name.lstrip("/")

    def absolute(self, url: str) -> str:
        return self.config.origin + url

    def home(self, page: int = 1) -> str:
        return self.path() if page <= 1 else self.path("page", str(page))

    def article(self, article: Article) -> str:
        url = self._articles.get(article.path)
        if url is None:
            url = self._articles[article.path] = self._article(article)
        return url

    def _article(self, article: Article) -> str:
        if article.url:
            return self.path(article.url)
        date = article.date
        return self.path(
            "articles",
            f"{date.year:04d}",
            f"{date.month:02d}",
            article_slug(article, self.config.slug_source),
        )

    def entity(self, entity_id: str, page: int = 1) -> str:
        base = f"{self.prefix}entities/{entity_id}/"  # ids are slugs: no slash to strip
        return base if page <= 1 else f"{base}page/{page}/"

    def entity_feed(self, entity_id: str) -> str:
        return self.file(f"entities/{entity_id}/feed.xml")

    def entity_type(self, kind: str) -> str:
        return self.path("entities", TYPE_SEGMENTS[kind])

    def quote(self, quote_id: str) -> str:
        return f"{self.prefix}quotes/{quote_id}/"  # ids are hex digits

    @staticmethod
    def quote_output(quote_id: str) -> str:
        """output_path(quote(quote_id)), without the URL (150,000 pages at 10,000
        articles, whose output files every build after the first compares)."""
        return f"quotes/{quote_id}/index.html"

    def quotes(self, page: int = 1) -> str:
        return self.path("quotes") if page <= 1 else self.path("quotes", "page", str(page))

    def tag(self, slug: str, page: int = 1) -> str:
        return self.path("tags", slug) if page <= 1 else self.path("tags", slug, "page", str(page))

    def archive(self, year: int | None = None, month: int | None = None) -> str:
        if year is None:
            return self.path("archive")
        if month is None:
            return self.path("archive", f"{year:04d}")
        return self.path("archive", f"{year:04d}", f"{month:02d}")

    def output_path(self, url: str) -> str:
        """The file a URL is written to, relative to the output folder."""
        inner = url[len(self.prefix) :] if url.startswith(self.prefix) else url.lstrip("/")
        return inner + "index.html" if inner.endswith("/") or not inner else inner


TYPE_SEGMENTS = {
    "person": "people",
    "organization": "organizations",
    "place": "places",
    "other": "other",
}
assert set(TYPE_SEGMENTS.values()) == KIND_FOLDERS  # entity ids keep clear of them


def article_slug(article: Article, source: str = "title") -> str:
    """The last part of an article's URL: its `slug`, else from its title or its file
    name (without a leading YYYY-MM-DD-), whichever `slug_source` says comes first."""
    if article.slug:
        return slugify(article.slug)
    name = re.sub(r"^\d{4}-\d{2}-\d{2}[-_ ]", "", PurePosixPath(article.path).stem)
    first, second = (name, article.title) if source == "filename" else (article.title, name)
    return slugify(first) or slugify(second) or short_hash(article.path, length=12)


def check_article_url(article: Article) -> Diagnostic | None:
    """A slug or url from front matter must stay inside the site and be a legal file name."""
    if article.slug:
        if _UNSAFE_SEGMENT.search(article.slug) or ".." in article.slug:
            return Diagnostic(
                "error",
                article.path,
                None,
                f"'slug' must be one plain path segment, got '{article.slug}'",
            )
        if not slugify(article.slug):
            return Diagnostic("error", article.path, None, f"'slug' '{article.slug}' is empty")
    if article.url:
        segments = article.url.strip("/").split("/")
        if (
            not article.url.startswith("/")
            or any(not s or _UNSAFE_SEGMENT.search(s) for s in segments)
            or segments[0]
            in (
                "entities",
                "quotes",
                "tags",
                "archive",
                "data",
                "page",
                "static",
                "search",
                "pagefind",
            )
        ):
            return Diagnostic(
                "error",
                article.path,
                None,
                f"'url' must be a path like /about/ of plain segments outside the generated "
                f"sections, got '{article.url}'",
            )
    return None


@dataclass(frozen=True, slots=True)
class PageJob:
    """One output file: where it goes, which template draws it, from what view."""

    url: str
    output: str  # path relative to the output folder
    # None: `content`, or what `view` returns (bytes, or byte parts), is written as it is
    template: str | None
    view: Callable[..., Any] | None = None  # view(*args), called once the job is made
    args: tuple[Any, ...] = ()  # (not a closure: 250 bytes less for each of 150,000 pages)
    content: bytes | None = None
    source: str = ""  # the content file that claims this URL, for collision errors
    key: str = ""  # names everything the view is made from ("": unknown)
    # Whether a print of the view is kept, so that a page whose key changed but whose
    # view did not is not drawn again: listings, whose keys name everything. Pages
    # whose key names only their own material (an article, a quote) are drawn when
    # it changes, and the print, a quarter of the cost of drawing one, is saved.
    printed: bool = True

    def make_view(self) -> Any:
        return self.view(*self.args) if self.view is not None else {}


def plan(
    archive: Archive,
    urls: Urls,
    views: Any,
    keys: Any = None,
    only: Container[str] | None = None,
    quotes: Sequence[tuple[Quote, AnnotatedArticle]] | None = None,
    uses: dict[str, list[str]] | None = None,
) -> Plan:
    """Every page of the site; with `keys` (a depends.PageKeys), each page's key.

    `only`: the URLs of the pages wanted, and `quotes` the quote pages wanted (all,
    when None); the sitemaps are left out, and the keys of the pages left out are
    not made. `uses`: filled with what each page's key is made from (as
    `PageKeys.taken` names it) -> the URLs of those pages; the quote pages are not
    in it (`PageKeys.quotes_of` finds them)."""
    jobs: list[PageJob] = []
    listing = keys.everything if keys else str
    if uses is not None and keys:
        keys.record()

    def page(
        url: str,
        template: str | None,
        view: Callable[..., Any],
        source: str = "",
        key: Callable[[], str] = listing,
        args: tuple[Any, ...] = (),
        printed: bool = True,
    ) -> None:
        if only is not None and url not in only:
            return
        made = key() if keys else ""
        output = urls.output_path(url)
        jobs.append(PageJob(url, output, template, view, args, None, source, made, printed))
        noted(url)

    def noted(url: str) -> None:
        if uses is not None:
            for token in set(keys.taken()):
                uses.setdefault(token, []).append(url)

    per_page = urls.config.per_page
    pages = page_count(len(archive.articles), per_page)
    # The keys' arguments are found in them: a plan of `only` a few pages skips the rest.
    for number in range(1, pages + 1):
        key = lambda n=number, p=per_page: keys.articles(  # noqa: E731
            f"home {n} {pages}", on_page(archive.articles, n, p)
        )
        page(urls.home(number), "index.html", lambda n=number, t=pages: views.home(n, t), key=key)
    for item in archive.articles:
        url = urls.article(item.article)
        if only is None or url in only:
            jobs.append(article_job(item, urls, views, keys))
            noted(url)
    page(urls.archive(), "archive.html", views.archive_index)
    years = sorted({year for year, _ in archive.months}, reverse=True)
    for year in years:
        items = [i for (y, _), month in archive.months.items() if y == year for i in month]
        key = lambda y=year, i=items: keys.articles(f"year {y}", i)  # noqa: E731
        page(urls.archive(year), "archive_year.html", lambda y=year: views.archive_year(y), key=key)
    for (year, month), items in archive.months.items():
        page(
            urls.archive(year, month),
            "archive_month.html",
            lambda y=year, m=month: views.archive_month(y, m),
            key=lambda y=year, m=month, i=items: keys.articles(f"month {y} {m}", i),
        )
    page(urls.path("tags"), "tags.html", views.tags)
    per_tag = urls.config.tag_per_page
    for slug, tag in archive.tags.items():
        count = page_count(len(tag.articles), per_tag)
        for number in range(1, count + 1):
            label = f"tag {slug} {tag.name} {number} {count} {len(tag.articles)}"
            key = lambda label=label, a=tag.articles, n=number: keys.articles(  # noqa: E731
                label, on_page(a, n, per_tag)
            )
            view = lambda s=slug, n=number, t=count: views.tag(s, n, t)  # noqa: E731
            page(urls.tag(slug, number), "tag.html", view, key=key)
    page(urls.path("entities"), "entities.html", views.entities)
    for kind in TYPE_SEGMENTS:
        if any(e.type == kind for e in archive.entities.values()):
            page(urls.entity_type(kind), "entity_type.html", lambda k=kind: views.entity_type(k))
    per_entity = urls.config.entity_per_page
    for entity in archive.entities.values():
        source = entity.registry.path if entity.registry else ""
        count = page_count(max(len(entity.articles), len(entity.quotes)), per_entity)
        for number in range(1, count + 1):
            page(
                urls.entity(entity.id, number),
                "entity.html",
                lambda e=entity, n=number, t=count: views.entity(e, n, t),
                source,
                lambda e=entity, n=number, t=count: keys.entity(
                    e,
                    f"page {n} {t}",
                    on_page(e.articles, n, per_entity),
                    on_page(e.quotes, n, per_entity),
                ),
            )
        newest = entity.articles[: urls.config.feed_entries]
        key = lambda e=entity, i=newest: keys.entity(e, "feed", i, [])  # noqa: E731
        feed = urls.entity_feed(entity.id)
        page(feed, "feed.xml", lambda e=entity: views.entity_feed(e), key=key)
    per_page = urls.config.quotes_per_page
    quote_pages = page_count(len(archive.quotes), per_page)
    for number in range(1, quote_pages + 1):
        page(
            urls.quotes(number),
            "quotes.html",
            lambda n=number, t=quote_pages: views.quotes(n, t),
            key=lambda n=number, p=per_page: keys.quotes(
                f"quotes {n} {quote_pages} {len(archive.quotes)}", on_page(archive.quotes, n, p)
            ),
        )
    page(urls.path("search"), "search.html", views.search)
    newest = archive.articles[: urls.config.feed_entries]
    page(urls.file("feed.xml"), "feed.xml", views.feed, key=lambda: keys.feed(newest))
    page(urls.file("robots.txt"), "robots.txt", views.robots)
    page(urls.file("404.html"), "404.html", views.not_found)
    chosen = archive.quotes if quotes is None else quotes
    pages_of_quotes = QuotePages(chosen, urls, views, keys)
    if only is None:
        jobs += _sitemaps(jobs, pages_of_quotes, views, keys)
    data_keys = (
        {"entities.json": keys.entities_data, "quotes.json": keys.quotes_data} if keys else {}
    )
    for name in DATA_FILES:
        data = lambda n=name: views.data_file(n)  # noqa: E731
        page(urls.file(f"data/{name}"), None, data, key=data_keys.get(name, listing))
    if uses is not None and keys:
        keys.record(False)
    return Plan(jobs, pages_of_quotes)


class QuotePages:
    """A page for each quote, its job made only when asked for. Nine pages in ten are
    quote pages: held as jobs, with their URLs and keys, they took 500 MB at 100,000
    articles before a page was drawn."""

    def __init__(
        self,
        quotes: Sequence[tuple[Quote, AnnotatedArticle]],
        urls: Urls,
        views: Any,
        keys: Any = None,
    ) -> None:
        self.quotes = quotes  # the index's (quote, article) pairs: the views' arguments
        self.urls, self.keys = urls, keys
        self.view = views.quote if quotes else None  # one bound method for every page
        self._groups: dict[str, str] = {}  # `groups`, as `keyed` found them

    def __len__(self) -> int:
        return len(self.quotes)

    def job(self, index: int) -> PageJob:
        pair = self.quotes[index]
        quote, item = pair
        url = self.urls.quote(quote.id)
        key = self.keys.quote(quote, item) if self.keys else ""
        output, source = self.urls.quote_output(quote.id), item.article.path
        return PageJob(url, output, "quote.html", self.view, pair, None, source, key, False)

    def output(self, index: int) -> str:
        """The output file of one page, without making its job."""
        return self.urls.quote_output(self.quotes[index][0].id)

    def keyed(self, last: Mapping[str, str] | None = None) -> Iterator[tuple[str, str | None]]:
        """(output file, key) of every page, without making their jobs: after one edit
        all are compared with the last build's, and few are made. `last`: article
        path -> `PageKeys.quote_pages` in the last build; the pages of an article
        whose value is the same have their keys as then, and come with None."""
        output, keys, last = self.urls.quote_output, self.keys, last or {}
        for path, quotes, item in self._articles():
            group = self._groups[path] = keys.quote_pages(item) if keys else ""
            if group and last.get(path) == group:
                yield from ((output(quote.id), None) for quote in quotes)
            else:
                yield from ((output(q.id), keys.quote(q, item) if keys else "") for q in quotes)

    def groups(self) -> dict[str, str]:
        """Article path -> `PageKeys.quote_pages`, for the next build's `keyed`."""
        if not self.keys:
            return {}
        known, find = self._groups, self.keys.quote_pages
        return {path: known.get(path) or find(item) for path, _, item in self._articles()}

    def _articles(self) -> Iterator[tuple[str, list[Quote], AnnotatedArticle]]:
        """Each article's quotes (the index lists an article's quotes together)."""
        for _, pairs in groupby(self.quotes, key=lambda pair: id(pair[1])):  # not ==
            run = list(pairs)
            item = run[0][1]
            yield item.article.path, [quote for quote, _ in run], item

    def urls_of(self, start: int, stop: int) -> list[str]:
        return [self.urls.quote(quote.id) for quote, _ in self.quotes[start:stop]]


class Plan:
    """Every page of the site, in order: the jobs, then the quote pages."""

    def __init__(self, jobs: list[PageJob], quotes: QuotePages | None = None) -> None:
        self.jobs = jobs
        self.quotes = quotes

    def __len__(self) -> int:
        return len(self.jobs) + (len(self.quotes) if self.quotes else 0)

    def __getitem__(self, index: int) -> PageJob:
        if index < len(self.jobs):
            return self.jobs[index]
        if self.quotes is None:
            raise IndexError(index)
        return self.quotes.job(index - len(self.jobs))

    def __iter__(self) -> Iterator[PageJob]:
        yield from self.jobs
        if self.quotes:
            yield from map(self.quotes.job, range(len(self.quotes)))

    def output(self, index: int) -> str:
        """The output file of a page, without making its job."""
        if index < len(self.jobs):
            return self.jobs[index].output
        if self.quotes is None:
            raise IndexError(index)
        return self.quotes.output(index - len(self.jobs))

    def keyed(self, last: Mapping[str, str] | None = None) -> Iterator[tuple[str, str | None]]:
        """(output file, key) of every page, in order; quote pages' jobs are not made,
        and those whose keys are as in the last build come with None (`QuotePages`)."""
        for job in self.jobs:
            yield job.output, job.key
        if self.quotes:
            yield from self.quotes.keyed(last)

    def quote_groups(self) -> dict[str, str]:
        return self.quotes.groups() if self.quotes else {}

    def clear(self) -> None:
        """Let go of the jobs (the record of what was made needs none of them)."""
        self.jobs, self.quotes = [], None

    def collisions(self, static: dict[str, str] | None = None) -> list[Diagnostic]:
        """`collisions` among the pages and static files. A quote page's URL is
        quotes/ and its id, which the index makes unique, and no article's URL may be
        in quotes/: so a quote page can collide only with a static file there, and
        only quote pages whose id such a file names are checked with the rest."""
        named = set()
        for output in (*(job.output for job in self.jobs), *(static or ())):
            parts = output.lower().split("/")
            if len(parts) > 1 and parts[0] == "quotes":
                named.add(parts[1])
        near = []
        if self.quotes and named:
            pairs = enumerate(self.quotes.quotes)
            near = [self.quotes.job(n) for n, (quote, _) in pairs if quote.id.lower() in named]
        return collisions(self.jobs + near, static)


def article_job(item: AnnotatedArticle, urls: Urls, views: Any, keys: Any = None) -> PageJob:
    """An article's page."""
    url = urls.article(item.article)
    key = keys.article(item) if keys else ""
    output, source = urls.output_path(url), item.article.path
    return PageJob(url, output, "article.html", views.article, (item,), None, source, key, False)


def page_count(entries: int, per_page: int) -> int:
    """How many pages `entries` take, `per_page` to a page: at least one."""
    return max(1, -(-entries // per_page))


def on_page(entries: Sequence[T], number: int, per_page: int) -> Sequence[T]:
    """The entries that page `number` (from 1) shows, `per_page` to a page."""
    return entries[(number - 1) * per_page : number * per_page]


DATA_FILES = ("articles.json", "entities.json", "quotes.json")  # made by opendata.py
SITEMAP_LIMIT = 50_000  # URLs in one sitemap file, as the sitemap protocol allows


def _sitemaps(jobs: list[PageJob], quotes: QuotePages, views: Any, keys: Any) -> list[PageJob]:
    """sitemap.xml; past SITEMAP_LIMIT pages, an index of sitemap-1.xml, sitemap-2.xml…
    Their URLs are listed when each is drawn, not held all build long."""
    pages = [j.url for j in jobs if j.template and j.output.endswith("index.html")]
    count, urls = len(pages) + len(quotes), quotes.urls
    key = keys.sitemap(pages) if keys else ""

    def listed(start: int = 0, stop: int = count) -> list[str]:
        tail = quotes.urls_of(max(0, start - len(pages)), max(0, stop - len(pages)))
        return pages[start:stop] + tail

    if count <= SITEMAP_LIMIT:
        return [
            PageJob(
                urls.file("sitemap.xml"),
                "sitemap.xml",
                "sitemap.xml",
                lambda: views.sitemap(listed()),
                key=key,
            )
        ]
    starts = range(0, count, SITEMAP_LIMIT)
    names = [f"sitemap-{n}.xml" for n in range(1, len(starts) + 1)]
    made = [
        PageJob(
            urls.file("sitemap.xml"),
            "sitemap.xml",
            "sitemap_index.xml",
            lambda: views.sitemap_index(names),
            key=key,
        )
    ]
    for name, start in zip(names, starts, strict=True):
        part = lambda s=start: views.sitemap(listed(s, s + SITEMAP_LIMIT))  # noqa: E731
        made.append(PageJob(urls.file(name), name, "sitemap.xml", part, key=key))
    return made


def collisions(jobs: list[PageJob], static: dict[str, str] | None = None) -> list[Diagnostic]:
    """Two pages (or a page and a static file) claiming one output file is an error
    naming both; so is a page that needs a folder where another page is a file."""
    jobs = jobs + [
        PageJob("/" + output, output, None, source=source)
        for output, source in (static or {}).items()
    ]
    claimed: dict[str, PageJob] = {}
    problems = []
    for job in jobs:
        key = job.output.lower()  # case-insensitive file systems would merge them
        if key in claimed:
            # Report it on the later file by name, so the message does not depend on dates.
            first, second = sorted((claimed[key], job), key=lambda j: (not j.source, j.source))
            problems.append(
                Diagnostic(
                    "error",
                    second.source or first.source or job.output,
                    None,
                    f"URL {job.url} is claimed twice"
                    + (f" (also by {first.source})" if first.source and second.source else ""),
                )
            )
        else:
            claimed[key] = job
    for key, job in claimed.items():
        parts = key.split("/")
        for depth in range(1, len(parts)):
            blocker = claimed.get("/".join(parts[:depth]))
            if blocker is not None:
                problems.append(
                    Diagnostic(
                        "error",
                        job.source or blocker.source or job.output,
                        None,
                        f"URL {job.url} needs a folder where {blocker.url} is a file"
                        + (f" (from {blocker.source})" if blocker.source else ""),
                    )
                )
                break
    return problems
