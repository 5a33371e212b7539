"""Incremental builds: only what changed is redone, and the result equals a clean build."""

from __future__ import annotations

import json
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import article, make_site

import generator.build
import generator.executor
import generator.views.listings as listings
from generator.build import Builder, Options, build

ACTIONS = [
    "add", "edit", "rename", "delete", "entity", "unentity", "template", "static", "surname",
    "retitle", "append", "mention", "reparagraph",
]  # fmt: skip
RETITLES = [  # what listings show, and not what the index makes of an article
    ("summary", ["In short.", "In shorter words.", "A long summary, with more words in it."]),
    ("authors", ["[Ana Lind]", "[Ana Lind, Bo Ek]", "[]"]),
    ("section", ["World", "Sport", "Local news"]),
]


def set_field(text: str, name: str, value: str) -> str:
    """The article with its front matter field `name` set to `value`."""
    if re.search(f"^{name}: ", text, flags=re.M):
        return re.sub(f"^{name}: .*$", lambda _: f"{name}: {value}", text, count=1, flags=re.M)
    return text.replace("tags:", f"{name}: {value}\ntags:", 1)
PEOPLE = ["Ilse Varga", "Jonas Brandt", "Marta Oyelaran", "Pieter Kals"]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_as_clean(site: Path, clean: Path, message: str = "") -> None:
    """The site's output equals a clean build's: no cache, a new output folder."""
    assert not build(site, Options(out=clean, jobs=1, cache=False)).errors
    assert tree(site / "public") == tree(clean), message


def story(n: int, rng: random.Random) -> str:
    who = rng.choice(PEOPLE)
    other = rng.choice(PEOPLE)
    body = (
        f'Port officials met on Monday. "We have a plan number {n}," {who} said.\n\n'
        f"{other} said the talks would go on. Reporters asked about the harbour.\n"
    )
    return article(
        f"Story {n}",
        body,
        f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        tags=f"[{rng.choice(['harbour', 'council', 'sport'])}]",
    )


def entity(name: str) -> str:
    return f"---\nname: {name}\ntype: person\naliases: [{name.split()[-1]}]\n---\nA person.\n"


def newsroom(
    folder: Path, rng: random.Random, stories: int, settings: str, registry: bool = True
) -> tuple[Path, Builder]:
    """A site of `stories` random stories (and Ilse Varga in the registry), built once by
    the Builder returned, which later builds reuse as `serve` does (keeping the index)."""
    files = {f"content/a{n}.md": story(n, rng) for n in range(stories)}
    if registry:
        files["content/entities/ilse-varga.md"] = entity("Ilse Varga")
    files["site.toml"] = settings
    site = make_site(folder, files)
    builder = Builder(site, Options(jobs=1), watching=True)
    assert not builder.build().errors
    return site, builder


def test_one_article_edit_rerenders_only_the_pages_it_shows_on(tmp_path: Path) -> None:
    rng = random.Random(7)
    site = make_site(tmp_path / "site", {f"content/a{n}.md": story(n, rng) for n in range(12)})
    builder = Builder(site, Options(jobs=1))
    assert not builder.build().errors
    unchanged = builder.build()
    assert unchanged.rendered == [] and unchanged.written == []
    path = site / "content/a3.md"
    path.write_text(path.read_text().replace("would go on", "would continue"))
    result = builder.build()
    quotes = json.loads((site / "public/data/quotes.json").read_bytes())["quotes"]
    entities = json.loads((site / "public/data/articles.json").read_bytes())["articles"]
    mine = next(a for a in entities if a["title"] == "Story 3")
    url = "/" + mine["url"].split("/", 3)[3]
    # The edit is in the body's second paragraph: no listing, quote page or open-data
    # file shows it; the site feed carries whole articles.
    assert set(result.rendered) == {url.strip("/") + "/index.html", "feed.xml"}
    assert sorted(result.written) == sorted(["feed.xml", url.strip("/") + "/index.html"])
    assert {f"/quotes/{q['id']}/" for q in quotes if q["article"] == mine["url"]}
    assert_as_clean(site, tmp_path / "clean")


def test_a_title_edit_leaves_alone_the_files_that_do_not_show_titles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open data's quotes and entities and the sitemap show no article's title: a
    title edit does not make them again (at 10,000 articles that took 0.6 s of it),
    while an edit of a quote's words or of an article's date does."""
    made: list[str] = []
    data_file, sitemap = listings.data_file, listings.ListingViews.sitemap
    monkeypatch.setattr(
        listings, "data_file", lambda *a, **k: made.append(a[2]) or data_file(*a, **k)
    )
    monkeypatch.setattr(
        listings.ListingViews, "sitemap", lambda *a: made.append("sitemap") or sitemap(*a)
    )
    rng = random.Random(5)
    files = {f"content/a{n}.md": story(n, rng) for n in range(12)}
    files["site.toml"] = 'slug_source = "filename"\n'  # a new title keeps the URL
    site = make_site(tmp_path / "site", files)
    builder = Builder(site, Options(jobs=1))
    assert not builder.build().errors
    assert sorted(made) == ["articles.json", "entities.json", "quotes.json", "sitemap"]

    def edit(old: str, new: str) -> list[str]:
        path = site / "content/a3.md"
        path.write_text(path.read_text().replace(old, new))
        made.clear()
        assert not builder.build().errors
        return sorted(made)

    assert edit("title: 'Story 3'", "title: 'Story three'") == ["articles.json"]
    titles = [
        a["title"]
        for a in json.loads((site / "public/data/articles.json").read_bytes())["articles"]
    ]
    assert "Story three" in titles and "Story 3" not in titles
    assert_as_clean(site, tmp_path / "clean")
    # new words, a new quote id: a new quote page for the sitemap
    assert edit("We have a plan", "We have no plan") == ["articles.json", "quotes.json", "sitemap"]
    assert edit("date: 2024-", "date: 2023-") == ["articles.json", "quotes.json", "sitemap"]
    assert_as_clean(site, tmp_path / "clean2")


FIELD_EDITS = [  # (what, old, new) in the text of one article, one after another
    ("first paragraph", "Port officials met on Monday.", "Port officials met on Sunday."),
    ("title", "title: 'Story 3'", "title: 'Story three'"),
    ("date", "date: 2024-", "date: 2023-"),
    ("updated", "tags:", "updated: 2025-01-02\ntags:"),
    ("summary", "tags:", "summary: In short.\ntags:"),
    ("authors", "tags:", "authors: [Ana Lind]\ntags:"),
    ("section", "tags:", "section: World\ntags:"),
    ("slug", "tags:", "slug: the-third\ntags:"),
    ("tags", "tags: [", "tags: [extra, "),
    ("quote words", "We have a plan", "We have no plan"),
    ("quote speaker", '," ', '," Ilse Varga and '),
    ("a new quote", "Reporters asked", '"Not today," Ilse Varga said. Reporters asked'),
    ("a new person", "Reporters asked", "Ilse Varga watched. Reporters asked"),
    ("tag case", "tags: [extra", "tags: [Extra"),
    ("url", "tags:", "url: /special/third/\ntags:"),
    ("draft", "tags:", "draft: true\ntags:"),
]


@pytest.mark.parametrize("process", ["serve", "new process"])
def test_each_field_edit_equals_a_clean_build(tmp_path: Path, process: str) -> None:
    """Pages that list an article are keyed by what a listing shows of it; each field a
    listing, a feed, a quote page or the open data shows, edited alone, reaches them."""
    rng = random.Random(11)
    settings = "per_page = 3\nquotes_per_page = 2\nentity_per_page = 2\ntag_per_page = 2\n"
    site, builder = newsroom(tmp_path / "site", rng, 8, settings, registry=False)
    target = site / "content/a3.md"
    for step, (what, old, new) in enumerate(FIELD_EDITS):
        text = target.read_text()
        assert old in text, what
        target.write_text(text.replace(old, new, 1))
        if process == "new process":
            builder = Builder(site, Options(jobs=1))
        assert not builder.build().errors, what
        assert_as_clean(site, tmp_path / f"clean{step}", what)


@pytest.mark.parametrize("process", ["serve", "new process"])
def test_random_edit_sequences_equal_a_clean_build(tmp_path: Path, process: str) -> None:
    """After each edit, a build by the same Builder (as `serve` does) or by a new one
    that finds only the cache and the output (a new `broadsheet build`) equals a clean
    build."""
    rng = random.Random(2024 if process == "serve" else 99)
    # Small pages, so that edits move articles and quotes across page boundaries, and a
    # short feed, so that most articles' bodies are on their own pages only.
    settings = (
        "per_page = 3\nquotes_per_page = 3\nentity_per_page = 2\ntag_per_page = 2\n"
        "feed_entries = 3\n"
    )
    site, builder = newsroom(tmp_path / "site", rng, 10, settings)
    counter = 100
    for step in range(40):
        content = site / "content"
        articles = sorted(content.glob("*.md"))
        action = rng.choice(ACTIONS)
        if action == "add" or not articles:
            counter += 1
            (content / f"a{counter}.md").write_text(story(counter, rng))
        elif action == "edit":
            target = rng.choice(articles)
            target.write_text(story(rng.randint(0, 5000), rng))
        elif action == "rename":
            target = rng.choice(articles)
            counter += 1
            target.rename(content / f"renamed{counter}.md")
        elif action == "delete" and len(articles) > 2:
            rng.choice(articles).unlink()
        elif action == "entity":
            name = rng.choice(PEOPLE)
            slug = name.lower().replace(" ", "-")
            make_site(site, {f"content/entities/{slug}.md": entity(name)})
        elif action == "unentity":
            registry = sorted((content / "entities").glob("*.md"))
            if registry:
                rng.choice(registry).unlink()
        elif action == "template":
            note = f"<!-- version {step} -->"
            make_site(
                site,
                {
                    "templates/tag.html": "{% extends 'base.html' %}{% block content %}"
                    f"{note}<h1>{{{{ tag }}}}</h1>"
                    "{% include 'partials/article_list.html' %}"
                    "{% endblock %}\n"
                },
            )
        elif action == "static":
            make_site(site, {"static/about.txt": f"version {step}\n"})
        elif action == "retitle":
            for _ in range(rng.choice([1, 1, 2])):
                target = rng.choice(articles)
                name, values = rng.choice(RETITLES)
                target.write_text(set_field(target.read_text(), name, rng.choice(values)))
        elif action == "append":  # words only the article's page shows (and the feed's)
            target = rng.choice(articles)
            target.write_text(target.read_text() + f"\nMore words, number {step}.\n")
        elif action == "mention":  # once more someone it names: a new count of mentions
            target = rng.choice(articles)
            named = [who for who in PEOPLE if who in target.read_text()]
            if named:
                target.write_text(target.read_text() + f"\n{rng.choice(named)} spoke again.\n")
        elif action == "reparagraph":  # the words around its first quote
            target = rng.choice(articles)
            day = rng.choice(["Monday", "Tuesday", "Sunday"])
            target.write_text(re.sub(r"met on \w+day", f"met on {day}", target.read_text()))
        elif action == "surname":  # a short name the index merges, or a new person
            counter += 1
            who = rng.choice(PEOPLE).split()[-1]
            body = f'"It is settled," {who} said on Friday.\n\n{who} left early.\n'
            (content / f"s{counter}.md").write_text(article(f"Short {counter}", body))
        if process == "new process":
            builder = Builder(site, Options(jobs=1))
        result = builder.build()
        assert not result.errors, (action, result.errors)
        clean = tmp_path / f"clean{step}"
        assert_as_clean(site, clean, f"step {step}: {action}")
        shutil.rmtree(clean)


def test_failed_incremental_build_writes_nothing_and_recovers(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/a.md": article("Alpha", "First.\n")})
    builder = Builder(site, Options(jobs=1))
    builder.build()
    before = tree(site / "public")
    (site / "content/a.md").write_text("---\ntitle: [\n---\n")
    assert builder.build().errors
    assert tree(site / "public") == before
    (site / "content/a.md").write_text(article("Alpha", "Second.\n"))
    assert not builder.build().errors
    assert b"Second." in (site / "public/articles/2024/05/alpha/index.html").read_bytes()


def test_disk_cache_is_used_by_a_new_process_and_never_changes_the_output(tmp_path: Path) -> None:
    rng = random.Random(5)
    site = make_site(tmp_path / "site", {f"content/a{n}.md": story(n, rng) for n in range(8)})
    assert not build(site, Options(jobs=1)).errors
    cache = site / ".broadsheet-cache"
    assert (cache / "VERSION").is_file() and (cache / "results.sqlite3").is_file()
    (site / "content/a2.md").write_text(story(99, rng))
    annotated: list[str] = []
    real = generator.build.annotate

    def counting(article, **settings):  # type: ignore[no-untyped-def]
        annotated.append(article.path)
        return real(article, **settings)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generator.build, "annotate", counting)
        assert not build(site, Options(jobs=1)).errors  # a fresh Builder: reads the cache
        assert annotated == ["content/a2.md"]
        clean = tmp_path / "clean"
        assert_as_clean(site, clean)
        annotated.clear()
        for name in ("results.sqlite3", "results.sqlite3-wal"):
            (cache / name).write_bytes(b"not a database" * 1000)  # a damaged cache is ignored
        shutil.rmtree(site / "public")  # so that the build needs every article
        assert not build(site, Options(jobs=1)).errors
        assert tree(site / "public") == tree(clean) and len(annotated) == 8
        annotated.clear()
        shutil.rmtree(site / "public")
        assert not build(site, Options(jobs=1)).errors  # and made afresh
        assert annotated == [] and tree(site / "public") == tree(clean)
    (cache / "VERSION").write_text("broadsheet 0.0.0\n")  # another version's is ignored
    assert not build(site, Options(jobs=1)).errors
    assert tree(site / "public") == tree(clean)
    assert (cache / "VERSION").read_text().startswith("broadsheet ")
    assert "0.0.0" not in (cache / "VERSION").read_text()


def test_a_builder_that_may_not_fork_annotates_in_a_pool_through_the_cache(
    tmp_path: Path,
) -> None:
    """`serve` builds without forking: its pool's workers are sent the cache, pickled,
    and open the database themselves."""
    rng = random.Random(9)
    count = generator.executor.POOL_THRESHOLD + 10
    site = make_site(tmp_path / "site", {f"content/a{n}.md": story(n, rng) for n in range(count)})
    builder = Builder(site, Options(jobs=2), fork=False)
    assert not builder.build().errors
    assert_as_clean(site, tmp_path / "clean")
    fresh = Builder(site, Options(jobs=2), fork=False)  # a new process's builder
    (site / "content/a1.md").write_text(story(999, rng))
    shutil.rmtree(site / "public")
    assert not fresh.build().errors
    assert_as_clean(site, tmp_path / "clean-again")
    restored = pickle.loads(pickle.dumps(fresh.cache))
    assert restored.folder == fresh.cache.folder
    assert [restored.get("x", "k"), restored.put("x", "k", [1]), restored.get("x", "k")] == [
        None,
        None,
        [1],
    ]


def test_a_new_process_with_nothing_changed_does_nothing(tmp_path: Path) -> None:
    rng = random.Random(3)
    site = make_site(tmp_path / "site", {f"content/a{n}.md": story(n, rng) for n in range(6)})
    first = build(site, Options(jobs=1))
    before = {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*") if p.is_file()}
    again = build(site, Options(jobs=1))
    assert again.rendered == [] and again.written == [] and again.pages == first.pages
    after = {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*") if p.is_file()}
    assert after == before


def test_an_output_changed_by_hand_is_built_again_whole(tmp_path: Path) -> None:
    rng = random.Random(4)
    site = make_site(tmp_path / "site", {f"content/a{n}.md": story(n, rng) for n in range(4)})
    assert not build(site, Options(jobs=1)).errors
    before = tree(site / "public")
    (site / "public/.broadsheet-build").write_text("Made by Broadsheet\n")  # another build's
    (site / "public/index.html").unlink()
    assert not build(site, Options(jobs=1)).errors
    assert tree(site / "public") == before


def test_a_scheduled_article_appears_once_due_without_any_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = make_site(
        tmp_path / "site",
        {
            "content/now.md": article("Today", "Words.\n", "2024-05-01"),
            "content/later.md": article("Tomorrow", "Words.\n", "2024-05-03"),
        },
    )
    monkeypatch.setattr(generator.build, "build_time", lambda: datetime(2024, 5, 2, tzinfo=UTC))
    first = build(site, Options(jobs=1))
    assert first.scheduled == ["content/later.md"]
    assert build(site, Options(jobs=1)).scheduled == ["content/later.md"]  # nothing to do
    monkeypatch.setattr(generator.build, "build_time", lambda: datetime(2024, 5, 4, tzinfo=UTC))
    result = build(site, Options(jobs=1))
    assert result.scheduled == [] and result.written
    assert (site / "public/articles/2024/05/tomorrow/index.html").is_file()


@pytest.mark.parametrize(
    "change",
    ["wikidata of a registry entity", "an SVG a template includes from static/"],
)
def test_changes_seen_only_by_open_data_or_includes_reach_the_output(
    tmp_path: Path, change: str
) -> None:
    """Found by review: a key or the templates' print missed these inputs."""
    files = {
        "content/a.md": article("Mayor", '"We are ready," Ilse Varga said.\n'),
        "content/entities/ilse-varga.md": (
            "---\nname: Ilse Varga\ntype: person\nwikidata: Q1\n---\nA mayor.\n"
        ),
        "templates/static/logo.svg": "<svg><title>one</title></svg>\n",
        "templates/404.html": "{% extends 'base.html' %}{% block content %}"
        "{% include 'static/logo.svg' %}{% endblock %}\n",
    }
    site = make_site(tmp_path / "site", files)
    assert not build(site, Options(jobs=1)).errors
    if change.startswith("wikidata"):
        target = site / "content/entities/ilse-varga.md"
        target.write_text(target.read_text().replace("Q1", "Q2"))
    else:
        (site / "templates/static/logo.svg").write_text("<svg><title>two</title></svg>\n")
    assert not build(site, Options(jobs=1)).errors
    assert_as_clean(site, tmp_path / "clean")


def test_touching_every_file_redoes_only_articles_dated_by_their_file_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout gives every file a new time: articles with a date keep their cached
    parse and annotation, an undated one (dated by its file's time) is redone and
    moves to its new date."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    rng = random.Random(6)
    files = {f"content/a{n}.md": story(n, rng) for n in range(5)}
    files["content/undated.md"] = '---\ntitle: Undated\n---\n"Fine," Ilse Varga said.\n'
    site = make_site(tmp_path / "site", files)
    assert not build(site, Options(jobs=1)).errors
    seen: list[str] = []
    real = generator.build.annotate

    def counting(article, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(article.path)
        return real(article, **kwargs)

    monkeypatch.setattr(generator.build, "annotate", counting)
    moment = 1_600_000_000  # 13 September 2020
    for path in (site / "content").glob("*.md"):
        os.utime(path, (moment, moment))
    assert not build(site, Options(jobs=1)).errors
    assert seen == ["content/undated.md"]
    assert (site / "public/articles/2020/09/undated/index.html").is_file()
    assert_as_clean(site, tmp_path / "clean")


def test_a_new_process_reads_only_the_article_files_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files whose status (size, times, inode) is as the last build saw them are not
    read again; any change to a file's bytes is still seen, even one that keeps its
    size and puts its modification time back."""
    import generator.sources

    monkeypatch.setattr(generator.sources, "SETTLED_NS", 0)  # files here are seconds old
    rng = random.Random(8)
    site = make_site(tmp_path / "site", {f"content/a{n}.md": story(n, rng) for n in range(6)})
    assert not build(site, Options(jobs=1)).errors
    reads: list[str] = []
    real = generator.sources._read_text

    def counting(path, rel, config, problems):  # type: ignore[no-untyped-def]
        reads.append(rel)
        return real(path, rel, config, problems)

    monkeypatch.setattr(generator.sources, "_read_text", counting)
    assert not build(site, Options(jobs=1)).errors
    assert reads == []
    target = site / "content/a2.md"
    old, status = target.read_text(), target.stat()
    new = old.replace("Port officials", "Dock officials").replace("met on", "met in")
    assert len(new) == len(old) and new != old
    target.write_text(new)
    os.utime(target, ns=(status.st_atime_ns, status.st_mtime_ns))  # the time put back
    result = build(site, Options(jobs=1))
    # read to see that it changed, then to be parsed; its page is drawn from the body
    # its parse left in the cache, without reading it a third time
    assert not result.errors and reads == ["content/a2.md"] * 2
    assert_as_clean(site, tmp_path / "clean")
    pages = [p.read_bytes() for p in (site / "public/articles").rglob("*.html")]
    assert sum(b"Dock officials" in page for page in pages) == 1
    # With the caches gone and every article to annotate again (a new registry entry),
    # the files not read are read now.
    shutil.rmtree(site / ".broadsheet-cache")
    reads.clear()
    make_site(site, {"content/entities/ilse-varga.md": entity("Ilse Varga")})
    assert not build(site, Options(jobs=1)).errors
    assert len({r for r in reads if r.startswith("content/a")}) == 6
    assert_as_clean(site, tmp_path / "clean-again")


def _edited_while_drawn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str, name: str, cache: bool
) -> tuple[Path, dict[str, bytes], object]:
    """A built site whose article is edited, then edited again while its page is drawn
    by the next build; that build's result, and the output before it."""
    text = article("Harbour", "Port officials met the mayor.\n", "2024-01-05")
    site = make_site(tmp_path / "site", {f"content/{name}": text})
    assert not build(site, Options(jobs=1, cache=cache)).errors
    before = tree(site / "public")
    target = site / "content" / name
    changed = text.replace("Port", "Dock") if edit == "body" else text.replace("Harbour", "Quay")
    target.write_text(changed)
    real = generator.build.render_page

    def edited_meanwhile(env, job, *args, **kwargs):  # type: ignore[no-untyped-def]
        if job.template == "article.html":
            target.write_text(changed.replace("mayor", "governor"))
        return real(env, job, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(generator.build, "render_page", edited_meanwhile)
        result = build(site, Options(jobs=1, cache=cache))
    return site, before, result


@pytest.mark.parametrize("edit", ["body", "title"])  # the quick way, the full way
@pytest.mark.parametrize(("name", "cache"), [("a.md", False), ("a.txt", True)])
def test_an_article_changed_while_its_page_is_drawn_fails_and_keeps_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str, name: str, cache: bool
) -> None:
    """A page drawn from the file read again (a plain-text article; a Markdown one the
    cache does not hold): if it is no longer the file the build read, the build says
    so, naming it, and leaves the output as it was."""
    site, before, result = _edited_while_drawn(tmp_path, monkeypatch, edit, name, cache)
    assert [(d.path, d.severity) for d in result.diagnostics] == [(f"content/{name}", "error")]
    assert "changed while the site was being built" in result.diagnostics[0].message
    assert tree(site / "public") == before
    assert not build(site, Options(jobs=1, cache=cache)).errors  # and the next build takes it
    slug = "harbour" if edit == "body" else "quay"
    assert b"governor" in (site / f"public/articles/2024/01/{slug}/index.html").read_bytes()
    assert_as_clean(site, tmp_path / "clean")


@pytest.mark.parametrize("edit", ["body", "title"])
def test_a_markdown_page_is_drawn_from_the_text_the_build_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    """A Markdown article's page is drawn from its body as parsed (kept in the cache),
    not from the file read again: a later edit waits for the next build."""
    site, _, result = _edited_while_drawn(tmp_path, monkeypatch, edit, "a.md", True)
    assert not result.errors
    slug = "harbour" if edit == "body" else "quay"
    page = site / f"public/articles/2024/01/{slug}/index.html"
    assert b"mayor" in page.read_bytes() and b"governor" not in page.read_bytes()
    assert not build(site, Options(jobs=1)).errors
    assert b"governor" in page.read_bytes()
    assert_as_clean(site, tmp_path / "clean")


@pytest.mark.parametrize("process", ["serve", "new process"])
def test_an_edit_that_makes_two_articles_claim_one_url_is_an_error(
    tmp_path: Path, process: str
) -> None:
    """The same number of pages as before, one URL fewer: still two claims on one file."""
    site = make_site(
        tmp_path,
        {
            "content/a.md": article("Same title", "First.\n", "2024-01-05"),
            "content/b.md": article("Other title", "Second.\n", "2024-01-05"),
        },
    )
    builder = Builder(site, Options(jobs=1))
    assert not builder.build().errors
    before = tree(site / "public")
    (site / "content/b.md").write_text(article("Same title", "Second.\n", "2024-01-05"))
    if process == "new process":
        builder = Builder(site, Options(jobs=1))
    errors = [str(d) for d in builder.build().errors]
    assert errors == [
        "content/b.md: error: URL /articles/2024/01/same-title/ is claimed twice "
        "(also by content/a.md)"
    ]
    assert tree(site / "public") == before


BODY_EDITS = [  # (what, old, new, only its page redrawn) in the text of one article
    ("a later sentence", "would go on", "would go on and on", True),
    ("a paragraph added", "about the harbour.\n", "about the harbour.\n\nMore to come.\n", True),
    ("a new entity", "More to come.", "More to come from Ilse Varga.", False),
    ("one more mention", "Reporters asked", "{other} nodded. Reporters asked", False),
    ("a new quote", "More to come", '"Later," an aide said. More to come', False),
    ("words around a quote", "an aide said. More", "an aide said. Much more", False),
    ("a later sentence again", "on and on", "on, and on", True),
]


@pytest.mark.parametrize("process", ["serve", "new process"])
def test_a_body_edit_redraws_only_the_article_page_and_equals_a_clean_build(
    tmp_path: Path, process: str
) -> None:
    """An edit that no other page shows (quick.py) rewrites the article's page alone;
    an edit that changes what other pages show (a mention count, a quote, the words
    around a quote) rewrites those too. Either way the output equals a clean build's."""
    rng = random.Random(12)
    settings = "per_page = 3\nquotes_per_page = 2\nfeed_entries = 2\n"
    site, builder = newsroom(tmp_path / "site", rng, 8, settings)
    newest = json.loads((site / "public/data/articles.json").read_bytes())["articles"][:2]
    target = next(
        site / "content" / f"a{n}.md"
        for n in range(8)
        if f"Story {n}" not in {a["title"] for a in newest}
    )
    other = re.search(r"\n\n(\w+ \w+) said the talks", target.read_text())
    assert other
    # A quote the editors listed that the text does not have: a warning on every build.
    unsaid = 'quotes:\n  - text: "Words nobody said"\n    speaker: ilse-varga\ntags:'
    target.write_text(target.read_text().replace("tags:", unsaid, 1))
    assert not builder.build().errors
    for step, (what, old, new, alone) in enumerate(BODY_EDITS):
        text = target.read_text()
        assert old in text, what
        target.write_text(text.replace(old, new.format(other=other[1]), 1))
        if process == "new process":
            builder = Builder(site, Options(jobs=1))
        result = builder.build()
        assert not result.errors, what
        assert len(result.written) >= 1
        assert (len(result.written) == 1) == alone, (what, result.written)
        clean = build(site, Options(out=tmp_path / f"clean{step}", jobs=1, cache=False))
        assert tree(site / "public") == tree(tmp_path / f"clean{step}"), what
        assert sorted(map(str, result.diagnostics)) == sorted(map(str, clean.diagnostics)), what
        assert any("Words nobody said" in d.message for d in result.diagnostics), what


def test_serve_redoes_an_edit_that_listings_show_without_indexing_the_archive_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a watching builder (serve), an edit of a summary or a section remakes the
    pages that show the article: its own, the listings, the entity pages and feeds it
    is on, its quote pages; not the index, nor pages that do not show it. After each
    edit, and after a body edit between them, the output equals a clean build's."""
    indexed: list[int] = []
    real_index = generator.build.build_index
    monkeypatch.setattr(
        generator.build, "build_index", lambda *a: indexed.append(1) or real_index(*a)
    )
    rng = random.Random(21)
    settings = "per_page = 4\nquotes_per_page = 4\nfeed_entries = 3\n"
    site, builder = newsroom(tmp_path / "site", rng, 12, settings)
    articles = json.loads((site / "public/data/articles.json").read_bytes())["articles"]
    story = next(a for a in articles[3:] if a["title"] in {f"Story {n}" for n in range(12)})
    number = story["title"].split()[-1]
    target = site / f"content/a{number}.md"
    url = story["url"].split("/", 3)[3]
    people = {p.lower().replace(" ", "-") for p in PEOPLE if p in target.read_text()}
    quotes = json.loads((site / "public/data/quotes.json").read_bytes())["quotes"]
    mine = {f"quotes/{q['id']}/index.html" for q in quotes if q["article"] == story["url"]}
    speakers = {q["speaker"] for q in quotes if q["article"] == story["url"]}
    # the pages of their quotes may list this article's as "more from" the speaker
    theirs = {f"quotes/{q['id']}/index.html" for q in quotes if q["speaker"] in speakers}
    assert people and mine
    pages = {f"{a['url'].split('/', 3)[3]}index.html" for a in articles}
    edits = [
        ("tags:", "summary: The harbour talks, in short.\ntags:"),
        ("Reporters asked", "Reporters asked twice"),  # only its page shows it
        ("tags:", "section: Harbour\ntags:"),
    ]
    for step, (old, new) in enumerate(edits):
        target.write_text(target.read_text().replace(old, new, 1))
        indexed.clear()
        result = builder.build()
        assert not result.errors
        assert indexed == []  # neither edit indexed the archive again
        made = set(result.rendered)
        if step == 1:
            assert made == set(result.written) == {f"{url}index.html"}
            continue
        assert "data/articles.json" in result.written and mine <= made
        assert {f"entities/{p}/index.html" for p in people} <= made
        assert made & pages == {f"{url}index.html"}  # no other article's page
        assert {m for m in made if re.match(r"quotes/\w+/index", m)} <= theirs
        assert_as_clean(site, tmp_path / f"clean{step}", new)
    assert_as_clean(site, tmp_path / "clean-end")


def test_a_whole_build_over_an_old_output_removes_the_old_one(tmp_path: Path) -> None:
    """Without a record of the last build the output is made anew and swapped in whole;
    the old folder is removed after the build (in the background), leaving nothing."""
    site = make_site(tmp_path, {f"content/a{n}.md": article(f"Story {n}", "x\n") for n in range(3)})
    assert not build(site, Options(cache=False, jobs=1)).errors
    make_site(site, {"content/a9.md": article("Story 9", "y\n")})
    assert not build(site, Options(cache=False, jobs=1)).errors
    assert "Story 9" in (site / "public/index.html").read_text()
    deadline = time.monotonic() + 30
    while [p for p in site.iterdir() if p.name.startswith(".public.")]:
        assert time.monotonic() < deadline, "the old output is still there"
        time.sleep(0.05)


def test_a_rebuild_reports_each_problem_once_as_a_clean_build_does(tmp_path: Path) -> None:
    """Problems of the config and the files are found again by every build; those of
    the articles come from the record when nothing changed. Each is reported once."""
    site = make_site(
        tmp_path,
        {
            "site.toml": 'title = "T"\n',
            "content/a.md": article("Alpha", "First.\n"),
            "content/b.md": "---\ntitle: Undated\n---\nNo date here.\n",
        },
    )
    (site / "content/gone.md").symlink_to(site / "nowhere.md")
    first = sorted(map(str, build(site, Options(jobs=1)).diagnostics))
    assert any("gone.md" in d for d in first) and any("no 'date'" in d for d in first)
    again = sorted(map(str, build(site, Options(jobs=1)).diagnostics))
    assert again == first
    (site / "content/a.md").write_text(article("Alpha", "First.\n\nSecond.\n"))
    edited = sorted(map(str, build(site, Options(jobs=1)).diagnostics))
    assert edited == first


def test_a_builder_told_what_changed_reads_only_that_and_walks_for_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve` passes the files its watcher saw change: those are read again without
    walking the site (a registry entry too). Anything the last build did not have (a
    new file, a deleted one, a sidecar) or a folder's event makes it walk, and so does
    time: a change the watcher missed is found by the walk that comes at least every
    WALK_EVERY seconds."""
    rng = random.Random(11)
    site, builder = newsroom(tmp_path / "site", rng, 6, 'title = "Told"\n')
    walks: list[int] = []
    real_find = generator.build.find_sources

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        walks.append(1)
        return real_find(*args, **kwargs)

    monkeypatch.setattr(generator.build, "find_sources", counting)
    content = (site / "content").resolve()

    def edit(name: str, old: str, new: str) -> Path:
        path = content / name
        path.write_text(path.read_text().replace(old, new))
        return path

    a1 = edit("a1.md", "Port officials", "Dock officials")
    assert not builder.build({str(a1)}).errors and walks == []
    assert_as_clean(site, tmp_path / "clean", "one body edit")
    a2, a3 = edit("a2.md", "Story 2", "Story two"), edit("a3.md", "Monday", "Tuesday")
    walks.clear()  # (the clean builds walk their sites)
    assert not builder.build([str(a2), str(a3), str(a3)]).errors and walks == []
    assert_as_clean(site, tmp_path / "clean", "a title and a body")
    new, gone = content / "a9.md", content / "a4.md"
    sidecar, meta = content / "notes.txt", content / "notes.meta.toml"
    for label, change, changed in (
        ("a new file", lambda: new.write_text(story(9, rng)), {str(new)}),
        ("a deleted file", gone.unlink, {str(gone)}),
        ("a text article", lambda: sidecar.write_text("The council met.\n"), {str(sidecar)}),
        (
            "its sidecar",
            lambda: meta.write_text('title = "Notes"\ndate = 2024-03-02\n'),
            {str(meta)},
        ),
        ("the text again", lambda: sidecar.write_text("The council sat.\n"), {str(sidecar)}),
        ("a folder's event", lambda: edit("a5.md", "Monday", "Friday"), None),
    ):
        change()
        walks.clear()
        assert not builder.build(changed).errors, label
        assert walks == [1], label
        assert_as_clean(site, tmp_path / "clean", label)
    registry = content / "entities/ilse-varga.md"
    # A registry entry is read again without a walk.
    registry.write_text(registry.read_text().replace("Ilse Varga", "Ilse M. Varga"))
    walks.clear()
    assert not builder.build({str(registry)}).errors and walks == []
    assert_as_clean(site, tmp_path / "clean", "a registry entry")
    # A change the watcher did not name is not seen until the next walk is due.
    missed = edit("a5.md", "Port officials", "Harbour masters")
    told = edit("a1.md", "Dock officials", "Port officials")
    walks.clear()
    assert not builder.build({str(told)}).errors
    assert b"Harbour masters" not in b"".join(tree(site / "public").values())
    monkeypatch.setattr(generator.build, "WALK_EVERY", 0.0)
    assert not builder.build({str(told)}).errors and walks == [1]
    assert b"Harbour masters" in b"".join(tree(site / "public").values())
    assert missed.is_file()
    assert_as_clean(site, tmp_path / "clean", "after the walk")


def test_a_builder_saving_later_leaves_the_record_to_save(tmp_path: Path) -> None:
    """`serve` writes the record of a build once the browser is told to reload: until
    then a new process finds none that matches the output and builds it all again
    (the output is right either way); after it, the new process has nothing to do."""
    rng = random.Random(12)
    site = make_site(tmp_path / "site", {f"content/a{n}.md": story(n, rng) for n in range(4)})
    serving = Builder(site, Options(jobs=1), save_later=True)
    assert not serving.build().errors
    serving.save()
    path = site / "content/a1.md"
    path.write_text(path.read_text().replace("Port officials", "Dock officials"))
    assert not serving.build({str(path.resolve())}).errors
    again = Builder(site, Options(jobs=1)).build()
    assert not again.errors and again.rendered  # the record was of the build before
    assert_as_clean(site, tmp_path / "clean")
    path.write_text(path.read_text().replace("Dock officials", "Port officials"))
    assert not serving.build({str(path.resolve())}).errors
    serving.save()
    after = Builder(site, Options(jobs=1)).build()
    assert not after.errors and after.rendered == [] and after.written == []
    assert_as_clean(site, tmp_path / "clean")


def test_a_builder_told_what_changed_walks_for_links_and_after_a_file_changed_unseen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file with another name (a symbolic or hard link) is never read again alone:
    a change to one name may show, hide or change another. A change the watcher did
    not see waits for the next walk of the site."""
    rng = random.Random(13)
    settings = 'title = "Links"\nslug_source = "filename"\n'  # two names, two pages
    site, builder = newsroom(tmp_path / "site", rng, 4, settings)
    content = (site / "content").resolve()
    hidden = content / "z.md"
    hidden.write_text(story(7, rng))
    (content / "y.md").symlink_to(hidden)  # the walk takes y.md, and z.md not again
    twin = content / "twin.md"
    os.link(content / "a0.md", twin)
    assert not builder.build().errors
    assert_as_clean(site, tmp_path / "clean", "links")
    (content / "y.md").unlink()
    (content / "y.md").write_text(story(8, rng))  # as an editor saving over a link does
    assert not builder.build({str(content / "y.md")}).errors
    assert_as_clean(site, tmp_path / "clean", "a link replaced by a file")
    original = content / "a0.md"
    original.write_text(original.read_text().replace("Port officials", "Dock officials"))
    assert not builder.build({str(original)}).errors
    assert_as_clean(site, tmp_path / "clean", "a hard link's other name")
    # An edit the watcher missed, then a registry change that redraws that page: it
    # is drawn from the text the builder read (its body as parsed, kept in the cache),
    # and the walk that comes every WALK_EVERY seconds takes the edit.
    missed = content / "a1.md"
    missed.write_text(article("Ferries", '"We sail at dawn," Ilse Varga said.\n', "2024-02-03"))
    assert not builder.build({str(missed)}).errors
    missed.write_text(article("Ferries", '"We sail at noon," Ilse Varga said.\n', "2024-02-03"))
    registry = content / "entities/ilse-varga.md"
    registry.write_text(registry.read_text().replace("Ilse Varga", "Ilse M. Varga"))
    assert not builder.build({str(registry)}).errors
    page = b"".join(tree(site / "public/articles/2024/02").values())
    assert b"Ilse M. Varga" in page and b"dawn" in page and b"noon" not in page
    monkeypatch.setattr(generator.build, "WALK_EVERY", 0.0)
    assert not builder.build(set()).errors
    assert_as_clean(site, tmp_path / "clean", "the walk after")


def test_open_data_larger_than_a_part_is_whole_and_written_only_when_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open-data files are written as they are made, in parts: the file is whole
    however many parts it takes, left as it was when its bytes did not change (a
    template edit), and replaced when they did (a quote's words)."""
    monkeypatch.setattr("generator.opendata.CHUNK", 2048)  # parts of 64 KB in a real build
    line = '"Plan {} is the one we chose for the harbour," Ilse Varga said.'
    said = " ".join(line.format(k) for k in range(8)) + "\n"
    files = {
        f"content/a{n}.md": article(f"Story {n}", said, f"2024-03-{n % 28 + 1:02d}")
        for n in range(16)
    }
    site = make_site(tmp_path / "site", files)
    builder = Builder(site, Options(jobs=1))
    assert not builder.build().errors
    data = site / "public/data/quotes.json"
    assert data.stat().st_size > 10 * 2048
    assert len(json.loads(data.read_bytes())["quotes"]) == 16 * 8
    before = {
        name: os.stat(site / f"public/data/{name}.json").st_ino
        for name in ("articles", "entities", "quotes")
    }

    (site / "templates").mkdir()
    (site / "templates/article.html").write_text(
        "{% extends 'base.html' %}{% block content %}<p>{{ article.title }}</p>{% endblock %}\n"
    )
    result = builder.build()
    assert not result.errors and len(result.written) >= 16
    assert not [name for name in result.written if name.startswith("data/")]
    assert before == {name: os.stat(site / f"public/data/{name}.json").st_ino for name in before}

    edited = site / "content/a7.md"
    edited.write_text(edited.read_text().replace("Plan 3 is", "Plan three is"))
    result = builder.build()
    assert "data/quotes.json" in result.written
    assert any(q["text"].startswith("Plan three") for q in json.loads(data.read_bytes())["quotes"])
    assert_as_clean(site, tmp_path / "clean")


@pytest.mark.parametrize("caught", ["gone", "half-written"])
def test_an_article_caught_mid_save_when_read_to_be_annotated_fails_and_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caught: str
) -> None:
    """A build holds no article texts: the process annotating an article reads its file
    again. Found gone (an editor's save moves it away for a moment) or different from
    what the build found, the build fails naming it, leaves the output as it was, and
    the next build (the same builder, as `serve`'s) reads it again and publishes it."""
    from dataclasses import replace

    rng = random.Random(11)
    site = make_site(tmp_path / "site", {f"content/a{n}.md": story(n, rng) for n in range(4)})
    builder = Builder(site, Options(jobs=1))
    assert not builder.build().errors
    before = tree(site / "public")
    target = site / "content/a1.md"
    target.write_text(target.read_text().replace("Port officials", "Harbour officials"))
    real, saving = generator.build.read_source, [True]

    def mid_save(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        found = real(path, *args, **kwargs)
        if not saving[0] or path != target:
            return found
        return None if caught == "gone" else replace(found, text=found.text[:60], digest="x")

    monkeypatch.setattr(generator.build, "read_source", mid_save)
    result = builder.build()
    message = "changed while the site was being built from it: build again"
    assert [str(e) for e in result.errors] == [f"content/a1.md: error: content/a1.md {message}"]
    assert tree(site / "public") == before
    saving[0] = False
    assert not builder.build().errors
    assert sum(b"Harbour officials" in page for page in tree(site / "public").values()) >= 1
    assert_as_clean(site, tmp_path / "clean")


def test_open_data_that_fails_midway_leaves_the_output_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug while the open data is written (part by part, into the staging folder) is
    reported as an error naming the file, and nothing of the build reaches the output."""
    import generator.opendata

    rng = random.Random(12)
    site = make_site(tmp_path / "site", {f"content/a{n}.md": story(n, rng) for n in range(4)})
    assert not build(site, Options(jobs=1)).errors
    before = tree(site / "public")
    target = site / "content/a2.md"
    target.write_text(target.read_text().replace("title: 'Story 2'", "title: 'Story two'"))
    real = generator.opendata._quotes

    def broken(*args):  # type: ignore[no-untyped-def]
        lines = real(*args)
        yield next(lines)
        raise RuntimeError("the quotes ran out")

    monkeypatch.setattr(generator.opendata, "_quotes", broken)
    result = build(site, Options(jobs=1))
    assert [str(e) for e in result.errors] == [
        "data/quotes.json: error: cannot make the page /data/quotes.json: "
        "RuntimeError: the quotes ran out"
    ]
    assert tree(site / "public") == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".public")] == []


@pytest.mark.parametrize("process", ["serve", "new process"])
@pytest.mark.parametrize("setting", ["base_url", "raw_html"])
def test_a_markdown_body_kept_in_the_cache_follows_the_settings_it_was_drawn_with(
    tmp_path: Path, setting: str, process: str
) -> None:
    """Bodies kept rendered in the cache are drawn again when the URL prefix or the
    raw-HTML setting changes, and back again."""
    body = 'See [the desk](/desk/) and <b>this</b>. "We will," Ilse Varga said.\n'
    before = 'base_url = "https://example.org/"\n'
    after = {
        "base_url": 'base_url = "https://example.org/news/"\n',
        "raw_html": before + "raw_html = true\n",
    }[setting]
    site = make_site(tmp_path / "site", {"content/a.md": article("Harbour", body, "2024-01-05")})
    page = site / "public/articles/2024/01/harbour/index.html"
    builder = Builder(site, Options(jobs=1))
    for round_, settings in enumerate([before, after, before]):
        (site / "site.toml").write_text(settings)
        if process == "serve":
            assert not builder.build().errors
        else:  # a process of its own: nothing remembered but the cache
            command = [sys.executable, "-m", "generator", "build", "--site", str(site), "-q"]
            assert subprocess.run(command, capture_output=True, check=False).returncode == 0
        html = page.read_text()
        changed = settings == after
        if setting == "base_url":
            assert ('href="/news/desk/"' if changed else 'href="/desk/"') in html
        else:
            assert ("<b>this</b>" in html) == changed
        assert_as_clean(site, tmp_path / f"clean-{round_}")
