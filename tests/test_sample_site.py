"""The repository's sample archive, built for real and read back as a reader would."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from conftest import internal_links

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SEED_URL = "/articles/2022/09/putin-orders-mobilization-of-russian-troops-for-part-of-ukraine-war/"


def html_files(public: Path) -> list[Path]:
    return sorted(public.rglob("*.html"))


def read(public: Path, url: str) -> str:
    return (public / url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_every_internal_link_and_asset_resolves(sample_site: Path) -> None:
    public = sample_site / "public"
    broken = []
    for page in html_files(public):
        for link in internal_links(page.read_text(encoding="utf-8")):
            target = public / link.lstrip("/")
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{page.relative_to(public)} -> {link}")
    assert broken == []


def test_site_has_every_kind_of_page(sample_site: Path) -> None:
    public = sample_site / "public"
    for path in (
        "index.html",
        "page/2/index.html",
        "archive/index.html",
        "archive/2024/index.html",
        "archive/2024/01/index.html",
        "tags/index.html",
        "tags/harbour/index.html",
        "entities/index.html",
        "entities/people/index.html",
        "entities/places/index.html",
        "entities/ilse-varga/index.html",
        "entities/ilse-varga/feed.xml",
        "quotes/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "data/articles.json",
        "data/entities.json",
        "data/quotes.json",
        "static/style.css",
    ):
        assert (public / path).is_file(), path


def test_seed_article_is_built_with_its_people_and_quotes(sample_site: Path) -> None:
    html = read(sample_site / "public", SEED_URL)
    assert (
        '<h1 class="p-name">Putin orders mobilization of Russian troops for part of Ukraine war'
        in html
    )
    assert "Source link" not in html  # the trailing boilerplate line is dropped
    assert 'href="/entities/vladimir-putin/"' in html
    assert 'href="/entities/bridget-brinker/"' in html
    assert '<span class="quote"' in html and "This is not bluff." in html
    aside = html.split("<aside", 1)[1]
    assert "Quoted" in aside and "Ben Wallace" in aside and "Bridget Brinker" in aside


def test_editor_quote_has_a_quote_page_linked_from_the_article(sample_site: Path) -> None:
    public = sample_site / "public"
    quotes = json.loads((public / "data/quotes.json").read_text())["quotes"]
    editors = [q for q in quotes if q["origin"] == "editor"]
    assert editors
    quote = editors[0]
    path = "/" + quote["url"].split("//", 1)[1].split("/", 1)[1]
    page = read(public, path)
    assert quote["text"].replace("'", "&#39;")[:30] in page or quote["text"][:30] in page
    assert f'href="/entities/{quote["speaker"]}/"' in page
    article_path = "/" + quote["article"].split("//", 1)[1].split("/", 1)[1]
    assert f'href="{path}"' in read(public, article_path)


def test_entity_page_has_description_timeline_articles_and_company(sample_site: Path) -> None:
    html = read(sample_site / "public", "/entities/ilse-varga/")
    assert '<svg class="timeline"' in html and "<rect" in html
    section = html.split('id="articles-heading"')[1].split("</section>")[0]
    dates = re.findall(r'<time datetime="([^"]+)">', section)
    assert len(dates) >= 5
    assert dates == sorted(dates, reverse=True)  # newest first
    assert "Appears with" in html and 'href="/entities/port-halden/"' in html
    assert "mayor" in html.split('class="description"')[1].split("</div>")[0].lower()


def test_atom_feed_parses_and_lists_newest_first(sample_site: Path) -> None:
    root = ET.parse(sample_site / "public/feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert 1 <= len(entries) <= 20
    published = [e.findtext(f"{ATOM}published") for e in entries]
    assert published == sorted(published, reverse=True)
    assert root.findtext(f"{ATOM}updated") == max(e.findtext(f"{ATOM}updated") for e in entries)
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith("https://broadsheet.example/articles/")
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None
    ET.parse(sample_site / "public/entities/ilse-varga/feed.xml")


def test_sitemap_lists_exactly_the_html_pages(sample_site: Path) -> None:
    public = sample_site / "public"
    root = ET.parse(public / "sitemap.xml").getroot()
    listed = {loc.text for loc in root.iter(f"{SITEMAP}loc")}
    pages = {
        "https://broadsheet.example/" + str(p.parent.relative_to(public)).replace(".", "") + "/"
        for p in public.rglob("index.html")
    }
    pages = {p.replace("example//", "example/") for p in pages}
    assert listed == pages


def test_open_data_and_json_ld(sample_site: Path) -> None:
    public = sample_site / "public"
    articles = json.loads((public / "data/articles.json").read_text())["articles"]
    drafts = [a for a in articles if "budget-vote" in a["url"]]
    assert drafts == []  # the draft article is not published
    assert len(articles) >= 21
    entities = json.loads((public / "data/entities.json").read_text())["entities"]
    assert {"ilse-varga", "vladimir-putin"} <= {e["id"] for e in entities}

    class LD(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.inside, self.blocks = False, []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            self.inside = tag == "script" and ("type", "application/ld+json") in attrs

        def handle_endtag(self, tag: str) -> None:
            self.inside = False

        def handle_data(self, data: str) -> None:
            if self.inside:
                self.blocks.append(json.loads(data))

    def ld(url: str) -> dict:
        parser = LD()
        parser.feed(read(public, url))
        assert len(parser.blocks) == 1
        return parser.blocks[0]

    news = ld(SEED_URL)
    assert news["@type"] == "NewsArticle"
    assert any(m["name"] == "Vladimir Putin" and m["@type"] == "Person" for m in news["mentions"])
    profile = ld("/entities/ilse-varga/")
    assert profile["@type"] == "ProfilePage" and profile["mainEntity"]["@type"] == "Person"
    quote_id = json.loads((public / "data/quotes.json").read_text())["quotes"][0]["id"]
    quotation = ld(f"/quotes/{quote_id}/")
    assert quotation["@type"] == "Quotation" and quotation["text"]
    assert quotation["isBasedOn"]["@type"] == "NewsArticle"


def test_two_builds_are_byte_identical(sample_site: Path, tmp_path: Path, build) -> None:
    first = build(sample_site, "--out", str(tmp_path / "a"), "--quiet")
    second = build(sample_site, "--out", str(tmp_path / "b"), "--quiet")
    assert first.code == second.code == 0
    files_a = {
        p.relative_to(tmp_path / "a"): p.read_bytes()
        for p in (tmp_path / "a").rglob("*")
        if p.is_file()
    }
    files_b = {
        p.relative_to(tmp_path / "b"): p.read_bytes()
        for p in (tmp_path / "b").rglob("*")
        if p.is_file()
    }
    assert files_a == files_b
