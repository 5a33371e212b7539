"""Issue 7's catalogue: one case per kind of hostile input or failure. Each build either
succeeds with a warning or fails with a one-line diagnostic naming the file, never
prints a traceback, never hangs, and leaves the previous output exactly as it was."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import article, make_site

GOOD = {"content/good.md": article("Good", "Fine words.\n")}


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def cli(site: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real command in its own process, with a time limit (hangs fail the test)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(site), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def built_before(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    site = make_site(tmp_path / "site", GOOD)
    assert cli(site).returncode == 0
    return site, tree(site / "public")


def assert_clean_failure(done: subprocess.CompletedProcess, line: str) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert line in done.stderr.splitlines(), done.stderr


# --- encodings and odd files ----------------------------------------------------


@pytest.mark.parametrize(
    "name, data, expected",
    [
        (
            "invalid UTF-8",
            b"---\ntitle: A\n---\n\xc3\x28\n",
            "content/bad.md:4: error: not valid UTF-8 (byte 0xc3)",
        ),
        (
            "UTF-16",
            "---\ntitle: A\n---\nx\n".encode("utf-16-le"),
            "content/bad.md: error: file is UTF-16; save it as UTF-8",
        ),
        (
            "UTF-16 with BOM",
            "---\ntitle: A\n---\nx\n".encode("utf-16"),
            "content/bad.md: error: file is UTF-16; save it as UTF-8",
        ),
        (
            "NUL byte",
            b"---\ntitle: A\n---\nbefore\x00after\n",
            "content/bad.md:4: error: file contains NUL bytes (binary file?)",
        ),
        (
            "binary file",
            bytes(range(256)) * 4,
            "content/bad.md:1: error: file contains NUL bytes (binary file?)",
        ),
    ],
    ids=["invalid-utf8", "utf16", "utf16-bom", "nul", "binary"],
)
def test_undecodable_files_fail_cleanly(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    site, before = built_before(tmp_path)
    (site / "content/bad.md").write_bytes(data)
    assert_clean_failure(cli(site), expected)
    assert tree(site / "public") == before


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_bom_crlf_and_lone_cr_read_like_unix_text(tmp_path: Path, newline: str) -> None:
    text = "\ufeff---\ntitle: Windows story\ndate: 2024-03-01\n---\nFirst line\nsame paragraph.\n"
    site = make_site(tmp_path, {})
    (site / "content").mkdir()
    (site / "content/a.md").write_bytes(text.replace("\n", newline).encode("utf-8"))
    done = cli(site)
    assert done.returncode == 0, done.stderr
    page = (site / "public/articles/2024/03/windows-story/index.html").read_text()
    assert '<h1 class="p-name">Windows story</h1>' in page
    assert "<p>First line\nsame paragraph.</p>" in page


def test_empty_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    site = make_site(tmp_path, {**GOOD, "content/empty.md": ""})
    done = cli(site)
    assert done.returncode == 0
    assert "content/empty.md: warning: empty article, skipped" in done.stderr.splitlines()


def test_file_of_only_front_matter_is_an_article_without_body(tmp_path: Path) -> None:
    site = make_site(
        tmp_path, {"content/a.md": "---\ntitle: Only a title\ndate: 2024-01-02\n---\n"}
    )
    done = cli(site)
    assert done.returncode == 0, done.stderr
    assert (site / "public/articles/2024/01/only-a-title/index.html").is_file()


def test_huge_file_is_refused_by_the_size_limit(tmp_path: Path) -> None:
    site, before = built_before(tmp_path)
    with (site / "content/huge.md").open("wb") as stream:
        stream.write(b"---\ntitle: Huge\n---\n")
        stream.write(b"word " * 10_000_000)  # 50 MB
    done = cli(site)
    assert_clean_failure(
        done,
        "content/huge.md: error: file is 50,000,020 bytes, over the "
        "limit of 5,000,000 (raise max_file_size in site.toml)",
    )
    assert tree(site / "public") == before


# --- front matter ---------------------------------------------------------------


@pytest.mark.parametrize(
    "written, iso",
    [
        ("2024-03-01", "2024-03-01T00:00:00+00:00"),
        ("2024-03-01T09:30:00+02:00", "2024-03-01T09:30:00+02:00"),
        ("2024-03-01T09:30:00Z", "2024-03-01T09:30:00+00:00"),
        ("'2024-03-01 09:30'", "2024-03-01T09:30:00+00:00"),
        ("'1 March 2024'", "2024-03-01T00:00:00+00:00"),
        ("'March 1, 2024'", "2024-03-01T00:00:00+00:00"),
        ("'Fri, 01 Mar 2024 09:30:00 -0500'", "2024-03-01T09:30:00-05:00"),
        ("'2024/03/01'", "2024-03-01T00:00:00+00:00"),
    ],
)
def test_dates_in_many_formats_and_time_zones(tmp_path: Path, written: str, iso: str) -> None:
    site = make_site(tmp_path, {"content/a.md": f"---\ntitle: Dated\ndate: {written}\n---\nx\n"})
    assert cli(site).returncode == 0
    articles = json.loads((site / "public/data/articles.json").read_text())["articles"]
    assert articles[0]["date"] == iso


def test_future_articles_wait_unless_asked(tmp_path: Path) -> None:
    site = make_site(tmp_path, {**GOOD, "content/later.md": article("Later", "x\n", "2999-01-01")})
    done = cli(site)
    assert done.returncode == 0
    assert "1 article(s) dated in the future left out (--future to include them)" in done.stderr
    assert not (site / "public/articles/2999").exists()
    assert cli(site, "--future").returncode == 0
    assert (site / "public/articles/2999/01/later/index.html").is_file()


@pytest.mark.parametrize(
    "slug",
    ["../../etc", "a/b", "a\\\\b", "a%2fb", "/etc/passwd", "a<b>", "con:", "a|b", "what?", "*"],
)
def test_slugs_that_leave_their_folder_are_refused(tmp_path: Path, slug: str) -> None:
    site, before = built_before(tmp_path)
    (site / "content/evil.md").write_text(f'---\ntitle: Evil\nslug: "{slug}"\n---\nx\n')
    done = cli(site)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("content/evil.md: error: 'slug' must be one plain path segment")
    assert tree(site / "public") == before


@pytest.mark.parametrize(
    "url", ["/../../etc/", "about", "/a/../b/", "/a\\\\b/", "/quotes/x/", "/a%2fb/"]
)
def test_urls_that_leave_the_site_are_refused(tmp_path: Path, url: str) -> None:
    site, before = built_before(tmp_path)
    (site / "content/evil.md").write_text(f'---\ntitle: Evil\nurl: "{url}"\n---\nx\n')
    done = cli(site)
    assert done.returncode == 1 and "content/evil.md: error: 'url' must be" in done.stderr
    assert tree(site / "public") == before


def test_tag_that_slugifies_to_nothing_gets_a_stable_page(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/a.md": article("Tagged", "x\n", tags="['!!!', '政治']")})
    assert cli(site).returncode == 0
    pages = sorted(p.name for p in (site / "public/tags").iterdir() if p.is_dir())
    assert len(pages) == 2 and all(p.startswith("tag-") for p in pages)


# --- markup injection -----------------------------------------------------------

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if (
            tag == "script"
            and values.get("type") != "application/ld+json"
            and "data-broadsheet-reload" not in values
            and values.get("src") is None
        ):
            self.found.append(f"<script> {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}")
            if name in ("href", "src") and (value or "").strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.found.append(f"{tag} {name}={value}")


def test_html_and_script_in_every_field_is_neutralised(tmp_path: Path) -> None:
    entity = (
        f"---\nname: 'Evil {PAYLOAD}'\ntype: person\naliases: [Evil]\n---\n"
        f"Description {PAYLOAD} [x](javascript:alert(3))\n"
    )
    body = (
        f'"{PAYLOAD} said nothing," Evil said.\n\n[click](javascript:alert(4)) '
        f'![i](data:text/html;base64,PHNjcmlwdD4=) <a href="javascript:alert(5)">raw</a>\n'
    )
    site = make_site(
        tmp_path,
        {
            "content/entities/evil.md": entity,
            "content/a.md": "---\n" + f"title: 'T {PAYLOAD}'\ndate: 2024-01-01\n"
            f"tags: ['{PAYLOAD}']\nsummary: '{PAYLOAD}'\nauthors: ['{PAYLOAD}']\n"
            f"source: '{PAYLOAD}'\nsource_url: 'javascript:alert(6)'\n"
            f"photo: '{PAYLOAD}'\nentities: [evil]\n"
            f"quotes: [{{text: '{PAYLOAD} said nothing,', speaker: evil}}]\n---\n" + body,
        },
    )
    done = cli(site)
    assert done.returncode == 0, done.stderr
    public = site / "public"
    for page in public.rglob("*.html"):
        parser = _Scripts()
        parser.feed(page.read_text())
        assert parser.found == [], (page, parser.found)
    for feed in public.rglob("*.xml"):
        assert "<script" not in feed.read_text().replace("&lt;script", "")
    for data in public.rglob("*.json"):
        json.loads(data.read_text())  # still valid JSON, the payload is only text in it
    for page in public.rglob("*.html"):
        for block in page.read_text().split('<script type="application/ld+json">')[1:]:
            text = block.split("</script>")[0]
            assert "<" not in text
            json.loads(text)


# --- the annotator under stress -------------------------------------------------


@pytest.mark.parametrize(
    "name, body",
    [
        ("thousands of quotation marks", '"' * 20000 + "\n"),
        ("unbalanced quotes", ('"Open and never closed, said Ana Koval. ' * 2000) + "\n"),
        ("many short quotes", " ".join('"a b," Koval said. "c d"' for _ in range(3000)) + "\n"),
        (
            "a 100,000-word paragraph",
            ("Minister Anna Koval said the harbour in Port Halden would reopen. " * 9100) + "\n",
        ),
    ],
    ids=["quote-marks", "unbalanced", "many-quotes", "100k-words"],
)
def test_stressful_text_builds_in_bounded_time(tmp_path: Path, name: str, body: str) -> None:
    site = make_site(tmp_path, {"content/a.md": article("Stress", body)})
    done = cli(site, timeout=300)  # a quadratic step would take far longer than this
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_nested_lists_are_read_whole_and_nesting_past_the_parsers_limit_is_an_error(
    tmp_path: Path,
) -> None:
    """The Markdown parser drops whatever follows a block nested past its limit. Twelve
    lists inside one another are read whole; 400 lists, or 5,000 block quotes, are an
    error at the line where the nesting goes too deep, not an article cut short."""
    twelve = "".join("  " * i + f"- item{i}\n" for i in range(12)) + "\nAfter the list.\n"
    site = make_site(tmp_path / "site", {**GOOD, "content/lists.md": article("Lists", twelve)})
    assert cli(site).returncode == 0
    page = next((site / "public/articles").rglob("lists/index.html")).read_text()
    assert "item11" in page and "After the list." in page
    before = tree(site / "public")
    for name, body, line in [
        # the 50th list (a list and its item are two levels), on line 7 + 49
        ("deep.md", "Intro.\n\n" + "".join("  " * i + "- item\n" for i in range(400)), 56),
        ("quoted.md", "Intro.\n\n" + ">" * 5000 + " deep\n", 7),
    ]:
        (site / "content" / name).write_text(article("Deep", body))
        done = cli(site, timeout=300)
        assert_clean_failure(
            done,
            f"content/{name}:{line}: error: lists or block quotes nested too deeply "
            "(over 100 levels); nothing after this line could be read",
        )
        assert tree(site / "public") == before
        (site / "content" / name).unlink()


def test_an_entity_named_like_a_kinds_folder_gets_a_folder_of_its_own(tmp_path: Path) -> None:
    """/entities/people/ lists the people: an entity found by the annotator or named in
    front matter whose name slugifies to "people" (or another kind's folder) must not
    claim that URL."""
    body = '"We are here," said People.\n\nMinister Anna Koval visited the port.\n'
    site = make_site(tmp_path, {"content/a.md": article("Talk", body, entities="[Other]")})
    done = cli(site)
    assert done.returncode == 0, done.stderr
    folders = {p.name for p in (site / "public/entities").iterdir() if p.is_dir()}
    assert {"people", "other"} <= folders  # the kinds' listings
    for kind in ("people", "other"):
        own = [f for f in folders if f.startswith(f"{kind}-")]
        assert len(own) == 1, folders
    data = json.loads((site / "public/data/entities.json").read_text())
    names = {e["name"] for e in data["entities"]}
    assert {"People", "Other"} <= names, names


def test_a_diagnostic_is_one_line_whatever_the_file_is_called(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/two\nlines\t.md": "---\ntitle: [\n---\n"})
    done = cli(site)
    assert done.returncode == 1
    first = done.stderr.splitlines()[0]
    assert first.startswith("content/two\\nlines\\t.md:2: error: invalid YAML"), done.stderr
    assert len(done.stderr.splitlines()) == 2  # the diagnostic, then the summary


# --- the file system ------------------------------------------------------------


def test_symlinks_out_of_the_site_and_loops_are_skipped(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(article("Outside", "secret\n"))
    site = make_site(tmp_path / "site", GOOD)
    (site / "content/link.md").symlink_to(outside)
    (site / "content/loop1.md").symlink_to(site / "content/loop2.md")
    (site / "content/loop2.md").symlink_to(site / "content/loop1.md")
    os.mkfifo(site / "content/pipe.md")
    # A plain-text article's sidecar that links out of the site is skipped as well,
    # however the article is read (its page reads the file again).
    (tmp_path / "outside.meta.toml").write_text('title = "Outside title"\n')
    (site / "content/notes.txt").write_text("Harbour notes\n\nThe tide came in.\n")
    (site / "content/notes.meta.toml").symlink_to(tmp_path / "outside.meta.toml")
    done = cli(site, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert "content/link.md: warning: skipped: links outside the site" in lines
    assert "content/notes.meta.toml: warning: skipped: links outside the site" in lines
    notes = next((site / "public/articles").rglob("harbour-notes/index.html")).read_text()
    assert "The tide came in." in notes and "Outside title" not in notes
    assert "content/loop1.md: warning: skipped: broken or looping link" in lines
    assert "content/pipe.md: warning: skipped: not a regular file" in lines
    assert not (site / "public/articles/2024/05/outside").exists()


def test_unreadable_and_vanishing_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build
) -> None:
    site = make_site(
        tmp_path,
        {
            **GOOD,
            "content/locked.md": article("Locked", "x\n"),
            "content/gone.md": article("Gone", "x\n"),
        },
    )
    real = Path.open

    def opened(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "locked.md":
            raise PermissionError(errno.EACCES, "Permission denied")
        if self.name == "gone.md":
            raise FileNotFoundError(errno.ENOENT, "No such file")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", opened)
    result = build(site)
    assert result.code == 1
    assert "content/locked.md: error: cannot read file: Permission denied" in result.err
    assert "content/gone.md: warning: deleted during the build; skipped" in result.err


def test_disk_full_midway_keeps_the_previous_output_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build
) -> None:
    site = make_site(
        tmp_path, {f"content/a{n}.md": article(f"Story {n}", "x\n") for n in range(30)}
    )
    assert build(site).code == 0
    before = tree(site / "public")
    (site / "content/a1.md").write_text(article("Story 1", "changed\n"))
    import generator.write

    real = generator.write._write_file
    calls = {"n": 0}

    def write_file(path: str, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(generator.write, "_write_file", write_file)
    result = build(site)
    assert result.code == 1
    assert "No space left on device" in result.err and "Traceback" not in result.err
    assert tree(site / "public") == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".public")] == []


def test_a_worker_killed_midway_fails_the_build_and_keeps_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The system may kill a render worker (out of memory): the build must say so and
    stop, never wait forever for the lost pages."""
    import os

    import generator.build
    from generator.build import Options
    from generator.build import build as build_site

    site = make_site(
        tmp_path, {f"content/a{n}.md": article(f"Story {n}", "x\n") for n in range(230)}
    )
    assert not build_site(site, Options(jobs=2)).errors
    before = tree(site / "public")
    for n in range(230):  # enough changed pages to be spread over the workers
        (site / f"content/a{n}.md").write_text(article(f"Story {n}", "changed\n"))
    parent, real = os.getpid(), generator.build._make_one

    def dying(job: object, *args: object) -> object:
        if os.getpid() != parent:
            os._exit(9)
        return real(job, *args)

    monkeypatch.setattr(generator.build, "_make_one", dying)
    result = build_site(site, Options(jobs=2))
    assert [e.message for e in result.errors] == [
        "a worker process died (killed by the system, most likely for want of memory); "
        "try fewer --jobs"
    ]
    assert tree(site / "public") == before


def test_a_bug_in_parsing_or_annotating_one_article_is_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever an article does to the parser or the annotator, the build names the
    file and goes on: a parser failure is an error, an annotator failure a warning
    (the article is published without automatic annotations)."""
    import generator.build
    from generator.build import Options
    from generator.build import build as build_site

    site = make_site(
        tmp_path,
        {
            **GOOD,
            "content/odd.md": article("Odd", '"Tricky words," Ilse Varga said.\n'),
        },
    )
    real_annotate, real_parse = generator.build.annotate, generator.build.parse_article

    def annotate(article, **kwargs):  # type: ignore[no-untyped-def]
        if article.title == "Odd":
            raise RecursionError("maximum recursion depth exceeded")
        return real_annotate(article, **kwargs)

    monkeypatch.setattr(generator.build, "annotate", annotate)
    result = build_site(site, Options(jobs=1, cache=False))
    assert [str(d) for d in result.diagnostics] == [
        "content/odd.md: warning: annotation failed (RecursionError: maximum recursion "
        "depth exceeded); the article is published without entities and quotes"
    ]
    page = (site / "public/articles/2024/05/odd/index.html").read_text()
    assert "Tricky words" in page and 'class="quote"' not in page

    def parse(source, config, *settings):  # type: ignore[no-untyped-def]
        if source.path.endswith("odd.md"):
            raise ValueError("unexpected token")
        return real_parse(source, config, *settings)

    monkeypatch.setattr(generator.build, "annotate", real_annotate)
    monkeypatch.setattr(generator.build, "parse_article", parse)
    result = build_site(site, Options(jobs=1, cache=False))
    assert [str(d) for d in result.errors] == [
        "content/odd.md: error: cannot read this article: ValueError: unexpected token"
    ]
    assert (site / "public/articles/2024/05/odd/index.html").read_text() == page


def test_work_spread_over_forked_processes_comes_back_whole_and_in_order() -> None:
    """The parent and its workers share the items; results keep the items' order, and
    an exception raised in a worker is raised in the parent."""
    import tempfile
    import time

    from generator.executor import map_indices

    parent = os.getpid()

    def square(i: int) -> tuple[int, bool]:
        time.sleep(0.0005)  # long enough that every process takes a share
        return i * i, os.getpid() == parent

    before = set(Path(tempfile.gettempdir()).glob("broadsheet-work-*"))
    done = list(map_indices(square, 1000, jobs=3))
    assert [value for value, _ in done] == [i * i for i in range(1000)]
    assert 0 < sum(here for _, here in done) < 1000  # both the parent and the workers
    assert set(Path(tempfile.gettempdir()).glob("broadsheet-work-*")) == before
    unread = map_indices(square, 1000, jobs=3)  # results kept in files until read
    assert set(Path(tempfile.gettempdir()).glob("broadsheet-work-*")) != before
    del unread
    assert set(Path(tempfile.gettempdir()).glob("broadsheet-work-*")) == before

    def failing(i: int) -> int:
        if os.getpid() != parent:
            raise ValueError(f"bad item {i}")
        time.sleep(0.001)
        return i

    with pytest.raises(ValueError, match="bad item"):
        list(map_indices(failing, 1000, jobs=3))
    assert set(Path(tempfile.gettempdir()).glob("broadsheet-work-*")) == before


def test_timings_name_every_stage_with_its_seconds_and_peak_memory(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", GOOD)
    done = cli(site, "--timings")
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines()[2:]]
    stages = ["inputs", "articles", "index", "plan", "pages", "commit", "manifest"]
    assert [row[0] for row in rows] == stages
    assert all(float(row[1]) >= 0 and float(row[2]) > 0 for row in rows)
