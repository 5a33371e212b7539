"""Small inline sites, one feature each, built for real and read back."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import article, internal_links, make_site

PUTIN = "---\nname: Vladimir Putin\ntype: person\naliases: [Putin]\n---\nPresident of Russia.\n"


def test_registry_names_and_aliases_are_linked_as_whole_words(tmp_path: Path, build) -> None:
    site = make_site(
        tmp_path,
        {
            "content/entities/vladimir-putin.md": PUTIN,
            "content/a.md": article(
                "Talks",
                """
            Vladimir Putin met envoys. Later Putin left; Putinism and putin are other words.
        """,
            ),
        },
    )
    result = build(site)
    assert result.code == 0, result.err
    html = result.page("/articles/2024/05/talks/")
    assert html.count('href="/entities/vladimir-putin/"') >= 3  # two mentions + side list
    assert ">Vladimir Putin</a> met" in html and ">Putin</a> left" in html
    assert "Putinism and putin are" in html  # neither is a mention
    entity = result.page("/entities/vladimir-putin/")
    assert "President of Russia." in entity and 'href="/articles/2024/05/talks/"' in entity


def test_editor_quote_is_marked_in_the_article_and_gets_a_page(tmp_path: Path, build) -> None:
    site = make_site(
        tmp_path,
        {
            "content/entities/vladimir-putin.md": PUTIN,
            "content/a.md": article(
                "Warning",
                '"This is not a bluff," Putin told the nation.\n',
                quotes='[{text: "This is not a bluff,", speaker: vladimir-putin}]',
            ),
        },
    )
    result = build(site)
    assert result.code == 0, result.err
    quotes = json.loads(result.page("/data/quotes.json"))["quotes"]
    assert [(q["text"], q["speaker"], q["origin"]) for q in quotes] == [
        ("This is not a bluff,", "vladimir-putin", "editor")
    ]
    url = f"/quotes/{quotes[0]['id']}/"
    html = result.page("/articles/2024/05/warning/")
    assert f'<span class="quote" data-quote="{quotes[0]["id"]}">This is not a bluff,</span>' in html
    assert f'href="{url}"' in html
    page = result.page(url)
    assert "This is not a bluff," in page and 'href="/entities/vladimir-putin/"' in page
    assert 'href="/articles/2024/05/warning/"' in page
    assert '"<mark>This is not a bluff,</mark>" Putin told the nation.' in page
    entity = result.page("/entities/vladimir-putin/")
    assert f'href="{url}"' in entity


def test_plain_text_article_like_the_seed(tmp_path: Path, build) -> None:
    site = make_site(
        tmp_path,
        {
            "seeds/story.txt": "Harbour reopens after storm\n\nThe harbour reopened.\n"
            "Boats came back.\n\nIt was calm.\n\nSource link",
            "seeds/story.meta.toml": 'date = 2023-04-02\ntags = ["weather"]\n',
        },
    )
    result = build(site)
    assert result.code == 0, result.err
    html = result.page("/articles/2023/04/harbour-reopens-after-storm/")
    assert "<p>The harbour reopened.\nBoats came back.</p>" in html
    assert "<p>It was calm.</p>" in html and "Source link" not in html
    assert 'href="/tags/weather/"' in html


def test_drafts_are_left_out_unless_asked(tmp_path: Path, build) -> None:
    site = make_site(tmp_path, {"content/a.md": article("Secret", "Hidden.\n", draft="true")})
    assert not build(site).exists("/articles/2024/05/secret/")
    assert build(site, "--drafts").exists("/articles/2024/05/secret/")


def test_home_is_paginated_newest_first(tmp_path: Path, build) -> None:
    files = {
        f"content/a{n:02d}.md": article(f"Story {n}", "Words.\n", f"2024-01-{n:02d}")
        for n in range(1, 26)
    }
    site = make_site(tmp_path, {"site.toml": "per_page = 10\n", **files})
    result = build(site)
    first, third = result.page("/"), result.page("/page/3/")
    assert first.index("Story 25") < first.index("Story 16")
    assert "Story 15" not in first and 'href="/page/2/"' in first
    assert "Story 5" in third and "Story 1<" in third and not result.exists("/page/4/")
    assert "Page 3 of 3" in third


def test_a_tag_is_paginated_newest_first(tmp_path: Path, build) -> None:
    """A tag on thousands of articles gets pages of `tag_per_page`, as home does."""
    files = {
        f"content/a{n}.md": article(f"Story {n}", "Words.\n", f"2024-01-0{n}", tags="[harbour]")
        for n in range(1, 8)
    }
    site = make_site(tmp_path, {"site.toml": "tag_per_page = 3\n", **files})
    result = build(site)
    first, third = result.page("/tags/harbour/"), result.page("/tags/harbour/page/3/")
    assert first.index("Story 7") < first.index("Story 5") and "Story 4" not in first
    assert 'href="/tags/harbour/page/2/"' in first and "Page 1 of 3" in first
    assert "Story 1<" in third and "Story 2<" not in third and "Page 3 of 3" in third
    assert not result.exists("/tags/harbour/page/4/")
    assert "Tag: harbour, page 3" in third
    assert "/tags/harbour/page/3/" in result.page("/sitemap.xml")
    assert 'href="/tags/harbour/"' in result.page("/articles/2024/01/story-7/")
    make_site(site, {"site.toml": "tag_per_page = 0\n"})
    failed = build(site)
    assert failed.code != 0
    assert "site.toml:1: error: 'tag_per_page' must be at least 1" in failed.err


def test_archive_and_tags(tmp_path: Path, build) -> None:
    site = make_site(
        tmp_path,
        {
            "content/a.md": article("Jan", "x\n", "2023-01-10", tags="[Harbour, Ferries]"),
            "content/b.md": article("Mar", "x\n", "2024-03-02", tags="[harbour]"),
        },
    )
    result = build(site)
    archive = result.page("/archive/")
    assert 'href="/archive/2023/01/"' in archive and 'href="/archive/2024/03/"' in archive
    assert "Jan" in result.page("/archive/2023/") and "Mar" not in result.page("/archive/2023/")
    tag = result.page("/tags/harbour/")
    assert "Jan" in tag and "Mar" in tag
    assert 'href="/tags/ferries/"' in result.page("/tags/")


def test_site_templates_override_the_default_theme(tmp_path: Path, build) -> None:
    site = make_site(
        tmp_path,
        {
            "content/a.md": article("Custom", "x\n", photo_credit="Ana Lee"),
            "templates/article.html": (
                "<p>{{ article.title }} by {{ article.extra.photo_credit }}</p>\n"
            ),
        },
    )
    result = build(site)
    assert result.page("/articles/2024/05/custom/") == "<p>Custom by Ana Lee</p>\n"
    assert "Custom" in result.page("/")  # other templates still come from the default theme


def test_templates_read_a_dicts_keys_and_methods_as_jinja_does(tmp_path: Path, build) -> None:
    """`x.name` on a dict gives its key, but its methods still come first, as in Jinja:
    a front matter field named `items` does not hide `extra.items()`."""
    template = (
        "{{ article.extra.credit }}|{{ article.extra['items'] }}|"
        "{{ article.extra.items() | list | length }}|{{ article.extra.missing is defined }}|"
        "{{ page.title }}\n"
    )
    site = make_site(
        tmp_path,
        {
            "content/a.md": article("Custom", "x\n", credit="Ana Lee", items=7),
            "templates/article.html": template,
        },
    )
    assert build(site).page("/articles/2024/05/custom/") == "Ana Lee|7|2|False|Custom\n"
    make_site(site, {"templates/article.html": "{{ page.nothing }}\n"})
    result = build(site)
    assert result.code != 0 and "templates/article.html:1" in result.err and "nothing" in result.err


def test_a_theme_escapes_what_it_prints_exactly_as_jinja_does(tmp_path: Path, build) -> None:
    """Broadsheet prints values its own, quicker way; a theme must not see a difference,
    however the value is printed: plain, in a macro, a call block, a set block, a
    filter block, marked safe, or with autoescape turned off."""
    import jinja2

    template = (
        "{% macro m(v) %}<i>{{ v }}</i>{% endmacro %}"
        "{% set kept %}{{ article.extra.credit }}{% endset %}"
        "{{ article.extra.credit }}|{{ article.extra.count }}|{{ m(article.extra.credit) }}|"
        "{{ kept }}|{{ kept | length }}|{{ article.extra.credit | safe }}|"
        "{% filter upper %}{{ article.extra.credit }}{% endfilter %}|"
        "{% call reuse('k') %}{{ article.extra.credit }}{% endcall %}|"
        "{% autoescape false %}{{ article.extra.credit }}{% endautoescape %}|"
        "{{ article.extra.credit ~ '&' }}|{{ page.title }}\n"
    )
    credit = '<b>Tom & "Jo" O\'Hara</b>'
    site = make_site(
        tmp_path,
        {
            "content/a.md": article("A & B", "x\n", credit=json.dumps(credit), count="7"),
            "templates/article.html": template,
        },
    )
    stock = jinja2.Environment(
        autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True
    )
    stock.globals["reuse"] = lambda *key, caller: caller()
    expected = stock.from_string(template).render(
        article={"extra": {"credit": credit, "count": 7}}, page={"title": "A & B"}
    )
    assert "&lt;b&gt;Tom &amp; &#34;Jo&#34; O&#39;Hara&lt;/b&gt;" in expected
    result = build(site)
    assert result.code == 0, result.err
    assert result.page("/articles/2024/05/a-and-b/") == expected


def test_a_theme_reuses_html_by_key_within_a_build(tmp_path: Path, build) -> None:
    """`{% call reuse(key) %}` makes the HTML once per key and build; a key that cannot
    be one is a template error naming the file and line."""
    template = (
        "{% for n in [1, 2, 1] %}"
        "{% call reuse('n', n) %}{{ n }}.{{ loop.index }}{{ page.title }} {% endcall %}"
        "{% endfor %}"
    )
    site = make_site(
        tmp_path,
        {"content/a.md": article("Custom", "x\n"), "templates/article.html": template},
    )
    # the third time, key 1's HTML is the one made the first time: made at loop.index 1
    assert build(site).page("/articles/2024/05/custom/") == "1.1Custom 2.2Custom 1.1Custom "
    make_site(site, {"content/a.md": article("Changed", "x\n", slug="custom")})
    assert build(site).page("/articles/2024/05/custom/") == "1.1Changed 2.2Changed 1.1Changed "
    unhashable = "{{ page.title }}\n{% call reuse(page) %}x{% endcall %}"
    make_site(site, {"templates/article.html": unhashable})
    result = build(site)
    assert result.code != 0 and "templates/article.html:2" in result.err
    assert "unhashable" in result.err and "Traceback" not in result.err


def test_raw_html_and_unsafe_links_are_neutralised(tmp_path: Path, build) -> None:
    body = "<script>alert(1)</script>\n\n[click](javascript:alert(1)) ![x](data:text/html,hi)\n"
    site = make_site(
        tmp_path,
        {
            "content/a.md": article("<b>Bold</b> title", body, tags="['<i>tag</i>']"),
        },
    )
    result = build(site)
    html = result.page("/articles/2024/05/b-bold-b-title/")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in html.replace("[click](javascript:alert(1))", "")
    assert 'href="javascript' not in html and 'src="data:' not in html
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; title" in html
    feed = result.page("/feed.xml")
    ET.fromstring(feed)  # still well-formed XML
    make_site(site, {"site.toml": "raw_html = true\n"})
    assert "<script>alert(1)</script>" in build(site).page("/articles/2024/05/b-bold-b-title/")


def test_path_prefix_from_base_url(tmp_path: Path, build) -> None:
    site = make_site(
        tmp_path,
        {
            "site.toml": 'base_url = "https://example.org/archive/"\n',
            "content/entities/vladimir-putin.md": PUTIN,
            "content/a.md": article("Prefixed", "Putin spoke.\n"),
        },
    )
    result = build(site)
    assert result.code == 0
    links = [
        link for page in result.public.rglob("*.html") for link in internal_links(page.read_text())
    ]
    assert links and all(link.startswith("/archive/") for link in links)
    for link in links:  # served from /archive/, the output folder is the prefix's root
        target = result.public / link.removeprefix("/archive/")
        assert target.is_file() or (target / "index.html").is_file(), link
    feed = ET.fromstring(result.page("/feed.xml"))
    ids = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}id")]
    assert "https://example.org/archive/articles/2024/05/prefixed/" in ids


def test_annotate_json_offsets_point_into_the_file(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        {
            "content/entities/vladimir-putin.md": PUTIN,
            "content/a.md": article("Offsets", '*Vladimir Putin* said: "We will win."\n'),
        },
    )
    path = site / "content/a.md"
    done = subprocess.run(
        [sys.executable, "-m", "generator", "annotate", "--json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(done.stdout)["articles"][0]
    text = open(path, encoding="utf-8").read()  # noqa: SIM115 - as the interface defines it
    putin = next(e for e in data["entities"] if e["id"] == "vladimir-putin")
    assert putin["type"] == "person" and putin["name"] == "Vladimir Putin"
    for mention in putin["mentions"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]
    assert data["title"] == "Offsets"
    for quote in data["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["text"]


def test_annotate_says_which_paths_are_not_article_files(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "annotate", str(tmp_path), str(tmp_path / "gone.md")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{tmp_path}: error: a folder, not an article file",
        f"{tmp_path / 'gone.md'}: error: no such file",
    ]


def test_new_makes_a_draft_article_that_builds(tmp_path: Path, build) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "new",
            "--site",
            str(tmp_path),
            "--date",
            "2025-02-03",
            "Ferry fares to rise",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    path = Path(done.stdout.strip())
    assert path == tmp_path / "content/articles/2025/ferry-fares-to-rise.md"
    assert build(tmp_path, "--drafts").exists("/articles/2025/02/ferry-fares-to-rise/")


def test_new_refuses_what_it_cannot_write_and_leaves_no_file(tmp_path: Path) -> None:
    def new(site: Path, title: str | bytes) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "generator", "new", "--site", str(site), title],
            capture_output=True,
            text=True,
            check=False,
        )

    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x")
    done = new(not_a_folder, "Hello")
    assert (done.returncode, done.stderr) == (
        2,
        f"broadsheet new: no site folder at {not_a_folder}\n",
    )
    site = tmp_path / "site"
    site.mkdir()
    done = new(site, b"Bad \xff byte")  # a title of bytes that are not UTF-8
    assert done.returncode == 2 and "is not valid UTF-8 text" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not any(p.is_file() for p in site.rglob("*"))
    assert new(site, "Fares").returncode == 0
    done = new(site, "Fares")
    assert done.returncode == 2 and done.stderr.endswith("fares.md already exists\n")


def test_a_lone_surname_beside_a_firm_of_that_name_is_not_the_person(
    tmp_path: Path, build
) -> None:
    """A lone "Johnson" joins the archive's one Mike Johnson, unless its article names a
    firm with that name: there it is the firm's (Johnson & Johnson), not his."""
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(
                "Vote", 'House Speaker Mike Johnson spoke. "We will vote," Johnson said.\n'
            ),
            "content/b.md": article(
                "Sales",
                'Johnson & Johnson reported weaker sales. "Sales were weak," Johnson said.\n',
                "2024-06-01",
            ),
            "content/c.md": article(
                "Recess", '"The House will sit in May," Johnson told reporters.\n', "2024-07-01"
            ),
        },
    )
    result = build(site)
    page = (result.public / "entities/mike-johnson/index.html").read_text()
    assert "Vote" in page and "Recess" in page
    assert "Sales" not in page and "Sales were weak" not in page
    firm = (result.public / "entities/johnson-and-johnson/index.html").read_text()
    assert "Sales were weak" in firm


def test_one_person_is_one_entity_page_across_the_archive(tmp_path: Path, build) -> None:
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(
                "One",
                'Russian President Vladimir Putin spoke on Monday. "We are ready," Putin said.\n',
                "2024-01-01",
            ),
            "content/b.md": article(
                "Two", '"There will be no deal," Putin told reporters in Moscow.\n', "2024-02-01"
            ),
        },
    )
    result = build(site)
    people = [p.name for p in (result.public / "entities").iterdir() if "putin" in p.name]
    assert people == ["vladimir-putin"]
    quotes = json.loads(result.page("/data/quotes.json"))["quotes"]
    assert {(q["speaker"], q["speaker_name"]) for q in quotes} == {
        ("vladimir-putin", "Vladimir Putin")
    }
    page = result.page("/entities/vladimir-putin/")
    assert "There will be no deal," in page and "We are ready," in page
    assert 'href="/articles/2024/02/two/"' in page and 'href="/articles/2024/01/one/"' in page


BRANDT = "---\nname: Jonas Brandt\ntype: person\naliases: [Brandt]\n---\nUnion leader.\n"


def test_mentions_and_quotes_ending_at_markup_keep_their_links(tmp_path: Path, build) -> None:
    body = (
        '**Jonas Brandt** said "we won *everything*" on Monday. '
        '[Brandt](https://example.org/b) and Brandt again, "stop at [the link](/about/)".\n'
    )
    site = make_site(
        tmp_path,
        {
            "site.toml": 'base_url = "https://example.org/news/"\n',
            "content/entities/jonas-brandt.md": BRANDT,
            "content/a.md": article(
                "Markup",
                body,
                quotes='[{text: "we won everything", speaker: jonas-brandt}, '
                '{text: "stop at the link", speaker: jonas-brandt}]',
            ),
        },
    )
    result = build(site)
    assert result.code == 0, result.err
    html = result.page("/articles/2024/05/markup/")
    assert '<strong><a class="entity entity-person" href="/news/entities/jonas-brandt/"' in html
    assert html.count('class="quote-link"') == 2  # one page link per quote
    assert "<a" not in html.split('href="https://example.org/b">')[1].split("</a>")[0]
    assert 'href="/news/about/"' in html  # root-relative links get the path prefix
    data = subprocess.run(
        [sys.executable, "-m", "generator", "annotate", "--json", str(site / "content/a.md")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    mentions = json.loads(data)["articles"][0]["entities"][0]["mentions"]
    assert {m["text"] for m in mentions} == {"Jonas Brandt", "Brandt"}


def test_editor_quote_over_two_paragraphs_is_whole(tmp_path: Path, build) -> None:
    site = make_site(
        tmp_path,
        {
            "content/entities/jonas-brandt.md": BRANDT,
            "content/a.md": article(
                "Long",
                '"It spans two paragraphs.\n\n"And this is the end," Brandt said.\n',
                quotes='[{text: "spans two paragraphs. And this", speaker: jonas-brandt}]',
            ),
        },
    )
    result = build(site)
    quotes = json.loads(result.page("/data/quotes.json"))["quotes"]
    assert quotes[0]["text"] == "spans two paragraphs. And this"
    page = result.page(f"/quotes/{quotes[0]['id']}/")
    assert '<p>"It <mark>spans two paragraphs.</mark></p><p><mark>"And this</mark> is' in page


def test_a_name_wins_over_another_entitys_alias(tmp_path: Path, build) -> None:
    site = make_site(
        tmp_path,
        {
            "content/entities/apple.md": "---\nname: Apple\ntype: organization\n---\n",
            "content/entities/banana.md": "---\nname: Banana Corp\ntype: organization\n"
            "aliases: [Apple]\n---\n",
            "content/a.md": article("Fruit", "Apple and Banana Corp merged.\n"),
        },
    )
    result = build(site)
    html = result.page("/articles/2024/05/fruit/")
    assert '<a class="entity entity-organization" href="/entities/apple/"' in html
    assert (
        "content/entities/banana.md: warning: 'Apple' also names content/entities/apple.md; "
        "it links to 'apple'" in result.err
    )


def test_raw_html_link_never_gets_a_nested_entity_link(tmp_path: Path, build) -> None:
    site = make_site(
        tmp_path,
        {
            "site.toml": "raw_html = true\n",
            "content/entities/jonas-brandt.md": BRANDT,
            "content/a.md": article("Raw", 'Hi <a href="https://x.org">Jonas Brandt said</a>.\n'),
        },
    )
    html = build(site).page("/articles/2024/05/raw/")
    assert '<a href="https://x.org">Jonas Brandt said</a>' in html


def test_tags_that_slugify_alike_get_their_own_pages(tmp_path: Path, build) -> None:
    site = make_site(tmp_path, {"content/a.md": article("Code", "x\n", tags="['C++', 'C#', c, C]")})
    result = build(site)
    tags = result.page("/tags/")
    links = set(re.findall(r'href="(/tags/[^"]+/)">([^<]+)<', tags))
    assert (len(links) == 3 and ("/tags/c/", "c") in links) or ("/tags/c/", "C") in links
    assert len({url for url, _ in links}) == 3


def test_non_latin_entity_names_get_stable_ids(tmp_path: Path, build) -> None:
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(
                "Visit", "Владимир Путин arrived.\n", entities="['Владимир Путин']"
            )
        },
    )
    result = build(site)
    assert result.code == 0, result.err
    entities = json.loads(result.page("/data/entities.json"))["entities"]
    assert [e["name"] for e in entities] == ["Владимир Путин"]
    assert entities[0]["id"].startswith("e-") and result.exists(f"/entities/{entities[0]['id']}/")


def test_slugs_can_come_from_file_names(tmp_path: Path, build) -> None:
    site = make_site(
        tmp_path,
        {
            "site.toml": 'slug_source = "filename"\n',
            "content/2024-05-01-harbour-deal.md": article("A long headline about a deal", "x\n"),
        },
    )
    result = build(site)
    assert result.exists("/articles/2024/05/harbour-deal/")
    assert not result.exists("/articles/2024/05/a-long-headline-about-a-deal/")


def test_long_listings_are_paged_with_a_window_of_page_links(tmp_path: Path, build) -> None:
    files = {
        f"content/a{n:02d}.md": article(
            f"Story {n}", f'"Words number {n} here," Ilse Varga said.\n', f"2024-03-{n + 1:02d}"
        )
        for n in range(24)
    }
    files["site.toml"] = "per_page = 2\nquotes_per_page = 5\n"
    result = build(make_site(tmp_path, files))
    assert result.code == 0, result.err
    assert result.page("/page/12/") and not (result.public / "page/13").exists()
    middle = result.page("/page/6/")
    assert "Page 6 of 12" in middle
    assert 'rel="prev" href="/page/5/"' in middle and 'rel="next" href="/page/7/"' in middle
    quotes = result.page("/quotes/")
    assert "24 direct quotes" in quotes and quotes.count('class="quote-card"') == 5
    assert "Page 1 of 5" in quotes and 'href="/quotes/page/2/"' in quotes
    last = result.page("/quotes/page/5/")
    assert last.count('class="quote-card"') == 4 and "Words number 0 here" in last
    quote_page = next((result.public / "quotes").glob("*/index.html")).read_text()
    assert quote_page.count('class="quote-card"') == 5  # more from the speaker: five
    assert 'href="/entities/ilse-varga/#quotes-heading">All quotes by Ilse Varga' in quote_page


def test_an_entity_named_in_many_articles_gets_pages(tmp_path: Path, build) -> None:
    """An entity page lists its articles and quotes `entity_per_page` at a time, newest
    first; every page keeps the whole count and the timeline, and the sitemap has them."""
    files = {
        f"content/a{n:02d}.md": article(
            f"Story {n}", f'"Point number {n} stands," Ilse Varga said.\n', f"2024-03-{n + 1:02d}"
        )
        for n in range(12)
    }
    files["site.toml"] = 'entity_per_page = 5\nbase_url = "https://example.org/"\n'
    result = build(make_site(tmp_path, files))
    assert result.code == 0, result.err
    first, third = result.page("/entities/ilse-varga/"), result.page("/entities/ilse-varga/page/3/")
    assert not (result.public / "entities/ilse-varga/page/4").exists()
    for page in (first, third):
        assert "Named in 12 articles" in page and "12 quotes." in page and "<svg" in page
    timeline = re.compile(r"<svg.*?</svg>", re.DOTALL)
    assert timeline.findall(first) == timeline.findall(third)
    assert "12 articles</title></rect>" in first  # the month's bar counts all of them
    assert first.count('class="quote-card"') == 5 and "Story 11" in first and "Story 6" not in first
    assert third.count('class="quote-card"') == 2 and "Point number 0 stands" in third
    assert "Page 3 of 3" in third and 'rel="prev" href="/entities/ilse-varga/page/2/"' in third
    assert 'rel="next" href="/entities/ilse-varga/page/2/"' in first
    assert "<title>Ilse Varga, page 3" in third
    sitemap = result.page("/sitemap.xml")
    assert "https://example.org/entities/ilse-varga/page/3/" in sitemap


def test_past_the_sitemap_limit_sitemap_xml_is_an_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.routes
    from generator.build import Options, build
    from generator.config import load_config
    from generator.verify import verify_site

    monkeypatch.setattr(generator.routes, "SITEMAP_LIMIT", 10)
    said = '"We will build bridge number {n}," Ilse Varga said.\n'
    files = {f"content/a{n:02d}.md": article(f"Story {n}", said.format(n=n)) for n in range(15)}
    files["site.toml"] = 'base_url = "https://example.org/"\n'
    site = make_site(tmp_path, files)
    assert not build(site, Options(jobs=1)).errors
    index = ET.parse(site / "public/sitemap.xml").getroot()
    assert index.tag.endswith("sitemapindex")
    names = [loc.text for loc in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert names[0] == "https://example.org/sitemap-1.xml" and len(names) >= 3
    listed = []
    for number in range(1, len(names) + 1):
        part = ET.parse(site / f"public/sitemap-{number}.xml").getroot()
        listed += [
            loc.text for loc in part.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
        ]
    quotes = [url for url in listed if "/quotes/" in url and "/page/" not in url]
    assert len(quotes) == len(set(quotes)) == 16  # the quotes index and each quote page
    config, _ = load_config(site)
    assert verify_site(site / "public", config) == []
    (site / "public/sitemap-2.xml").unlink()
    problems = [d.message for d in verify_site(site / "public", config)]
    assert "no such sitemap: sitemap-2.xml" in problems
    assert any(p.startswith("page not listed") for p in problems)


def test_quote_ids_that_collide_across_articles_get_longer_distinct_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ids are 10 hex digits: a million-quote archive has a collision or two."""
    import generator.annotate
    from generator.build import Options, build

    monkeypatch.setattr(generator.annotate, "short_hash", lambda *parts, length=10: "c0ffee")
    files = {
        f"content/a{n}.md": article(
            f"Story {n}", f'"We will build it, number {n}," Ilse Varga said.\n', f"2024-03-0{n + 1}"
        )
        for n in range(3)
    }
    site = make_site(tmp_path, files)
    result = build(site, Options(jobs=1))
    assert not result.errors, result.errors
    quotes = json.loads((site / "public/data/quotes.json").read_text())["quotes"]
    ids = [q["id"] for q in quotes]
    assert len(set(ids)) == 3 and all(i.startswith("c0ffee") and len(i) == 12 for i in ids)
    for quote in quotes:
        page = (site / f"public/quotes/{quote['id']}/index.html").read_text()
        assert quote["text"] in page
        story = (site / "public" / quote["article"].split("/", 3)[3] / "index.html").read_text()
        assert f'href="/quotes/{quote["id"]}/"' in story


def test_open_data_is_one_record_per_line_as_json_would_write_it(tmp_path: Path, build) -> None:
    """Each line of the open data is what json.dumps(record, sort_keys=True) gives, whatever
    the text: quotation marks, backslashes, control characters, line separators, non-ASCII."""
    hostile = r'"Q \" \\ \/ \t \x01 \x1f \x7f \x85 \u2028 \ufeff é 漢 😀 </script> {\"a\": 1}, ]"'
    words = 'Q " \\ / \t \x01 \x1f \x7f \x85 \u2028 \ufeff é 漢 😀 </script> {"a": 1}, ]'
    site = make_site(
        tmp_path,
        {
            "content/entities/evil.md": f"---\nname: {hostile}\ntype: person\n"
            f"aliases: [{hostile}, Evil]\nwikidata: Q1\n---\n",
            "content/a.md": "---\n"
            f"title: {hostile}\ndate: 2024-01-01\ntags: [{hostile}, plain]\n"
            f"authors: [{hostile}]\nsummary: {hostile}\nsection: {hostile}\nentities: [evil]\n"
            f"quotes: [{{text: {hostile}, speaker: evil}}, {{text: {hostile}, speaker: {hostile}}}]"
            "\n---\nEvil spoke.\n",
            "content/b.md": article("Plain", '"Nothing to add," said Ana Koval.\n'),
        },
    )
    result = build(site)
    assert result.code == 0, result.err
    for name in ("articles", "entities", "quotes"):
        text = (site / f"public/data/{name}.json").read_bytes().decode("utf-8")
        first, *lines, last, end = text.split("\n")
        assert (first, last, end) == (f'{{"{name}": [', "]}", "")
        records = [json.loads(line.removesuffix(",")) for line in lines]
        assert records == json.loads(text)[name] and len(records) >= 2
        for line, record in zip(lines, records, strict=True):
            assert line.removesuffix(",") == json.dumps(record, ensure_ascii=False, sort_keys=True)
        values = [v for r in records for v in r.values()]
        assert words in values + [w for v in values if isinstance(v, list) for w in v], name


def test_open_data_of_an_empty_archive() -> None:
    from generator.config import Config
    from generator.index import Archive
    from generator.opendata import data_file
    from generator.routes import Urls

    empty = Archive(articles=[], entities={}, quotes=[], tags={}, months={})
    for name in ("articles", "entities", "quotes"):
        got = b"".join(data_file(empty, Urls(Config()), f"{name}.json"))
        assert got == f'{{"{name}": []}}\n'.encode()


def test_cached_annotations_hold_each_recurring_name_once(tmp_path: Path) -> None:
    """Annotations read back from the cache equal what was written, and the names
    that recur across articles (an entity's id, name and type, a quote's speaker)
    are one string each, however many articles name them: at 10,000 articles that
    is 17 MB less to hold."""
    import pickle

    from generator.model import ArticleEntity, Mention, Quote

    def entity() -> ArticleEntity:
        # built from pieces, as two articles' annotations would be: equal, not shared
        return ArticleEntity(
            "-".join(["ilse", "varga"]),
            " ".join(["Ilse", "Varga"]),
            "".join(["per", "son"]),
            (Mention(4, 14, ""),),
            "auto",
        )

    def quote(n: int) -> Quote:
        return Quote(
            f"q{n}",
            "We will rebuild.",
            20,
            36,
            "-".join(["ilse", "varga"]),
            " ".join(["Ilse", "Varga"]),
            None,
            "She said: We will rebuild.",
            "auto",
            (10, 26),
        )

    first, second = (pickle.loads(pickle.dumps((entity(), quote(n)))) for n in (1, 2))
    assert first == (entity(), quote(1)) and second == (entity(), quote(2))
    assert first[0].name is second[0].name and first[0].id is second[0].id
    assert first[1].speaker_name is second[1].speaker_name is second[0].name


def test_mentions_kept_as_offsets_stand_for_the_mentions_they_were() -> None:
    """Once annotated, an article keeps its mentions as offsets alone (model.Spans): read
    back, compared, hashed and pickled, they behave as the tuple of Mentions they were,
    in a fraction of the memory."""
    import pickle
    import tracemalloc
    from collections.abc import Callable, Iterator

    from generator.model import Mention, Spans

    mentions = (Mention(4, 14, ""), Mention(30, 36, ""), Mention(2**40, 2**40 + 5, ""))
    spans = Spans(mentions)
    assert len(spans) == 3 and tuple(spans) == mentions and spans == mentions
    assert (spans[0], spans[-1], spans[1:]) == (mentions[0], mentions[-1], mentions[1:])
    with pytest.raises(IndexError):
        spans[3]
    assert hash(spans) == hash(mentions) and len({spans, mentions}) == 1
    assert spans != list(mentions) and spans != "" and Spans() == () and Spans() != ""
    assert pickle.loads(pickle.dumps(spans)) == spans

    def held(make: Callable[[], object]) -> int:  # bytes still allocated by what it made
        tracemalloc.start()
        try:
            made = make()  # noqa: F841 (kept while measured)
            return tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()

    def many() -> Iterator[Mention]:
        return (Mention(1000 + 10 * n, 1005 + 10 * n, "") for n in range(1000))

    assert held(lambda: Spans(many())) * 4 < held(lambda: tuple(many()))
