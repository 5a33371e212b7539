"""Deliberately broken sites: each fails with one exact diagnostic and loses nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import article, make_site

GOOD = {"content/good.md": article("Good", "Fine words.\n")}

INVALID = {
    "unknown config key": (
        {"site.toml": 'title = "X"\nbase_ulr = "https://example.org/"\n'},
        "site.toml:2: error: unknown key 'base_ulr' (did you mean 'base_url'?)",
    ),
    "base_url that cannot be parsed": (
        {"site.toml": 'title = "X"\nbase_url = "https://[::1/"\n'},
        "site.toml:2: error: 'base_url' must be an absolute http(s) URL (Invalid IPv6 URL), "
        "got 'https://[::1/'",
    ),
    "base_url with a space": (
        {"site.toml": 'base_url = "https://example.org/our archive/"\n'},
        "site.toml:1: error: 'base_url' must be an absolute http(s) URL (spaces and control "
        "characters must be written as %20 and the like), got 'https://example.org/our archive/'",
    ),
    "base_url with a query": (
        {"site.toml": 'base_url = "https://example.org/news/?lang=en"\n'},
        "site.toml:1: error: 'base_url' must be an absolute http(s) URL (no query or fragment: "
        "every page's address is made from it), got 'https://example.org/news/?lang=en'",
    ),
    "base_url with a port out of range": (
        {"site.toml": 'base_url = "https://example.org:99999/"\n'},
        "site.toml:1: error: 'base_url' must be an absolute http(s) URL (Port out of range "
        "0-65535), got 'https://example.org:99999/'",
    ),
    "config value of the wrong type": (
        {"site.toml": 'per_page = "ten"\n'},
        "site.toml:1: error: 'per_page' must be a whole number",
    ),
    "invalid TOML config": (
        {"site.toml": 'title = "X\n'},
        "site.toml:1: error: invalid TOML: Illegal character '\\n'",
    ),
    "YAML error at its line": (
        {"content/a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [a, b\n---\nBody.\n"},
        "content/a.md:4: error: invalid YAML front matter: expected ',' or ']', "
        "but got '<stream end>'",
    ),
    "YAML bad indentation": (
        {"content/a.md": "---\ntitle: A\n  date: 2024-01-01\n---\nBody.\n"},
        "content/a.md:3: error: invalid YAML front matter: mapping values are not allowed here",
    ),
    "unclosed front matter": (
        {"content/a.md": "---\ntitle: A\n\nBody.\n"},
        "content/a.md:1: error: front matter is not closed (no line '---' after the first)",
    ),
    "TOML front matter error": (
        {"content/a.md": '+++\ntitle = "A"\ndate = 2024-01-01\ntags = ["a"\n+++\nBody.\n'},
        "content/a.md:4: error: invalid TOML front matter: Unclosed array",
    ),
    "a number too long to read, in YAML": (
        {"content/a.md": "---\ntitle: A\ndate: 2024-01-01\nweight: " + "9" * 5000 + "\n---\nB.\n"},
        "content/a.md:4: error: invalid YAML front matter: a number too long to read "
        "(5,000 characters)",
    ),
    "a number too long to read, in TOML": (
        {
            "content/a.md": '+++\ntitle = "A"\ndate = 2024-01-01\nweight = '
            + "9" * 5000
            + "\n+++\nB.\n"
        },
        "content/a.md:4: error: invalid TOML front matter: a number too long to read",
    ),
    "a time of day for a date, in TOML": (
        {"content/a.md": '+++\ntitle = "A"\ndate = 10:00:00\n+++\nBody.\n'},
        "content/a.md:3: error: 'date' is not a date: the time 10:00:00 (no day) "
        "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)",
    ),
    "an escape that is half a character": (
        {"content/a.md": '---\ntitle: "a \\ud800 b"\ndate: 2024-01-01\n---\nBody.\n'},
        "content/a.md:2: error: invalid YAML front matter: 'title' holds an escape that is "
        "no character",
    ),
    "date that does not parse": (
        {"content/a.md": "---\ntitle: A\ndate: the day after tomorrow\n---\nBody.\n"},
        "content/a.md:3: error: 'date' is not a date: 'the day after tomorrow' "
        "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)",
    ),
    "yes is not a date": (
        {"content/a.md": "---\ntitle: A\ndate: yes\n---\nBody.\n"},
        "content/a.md:3: error: 'date' is not a date: true (a yes/no value) "
        "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)",
    ),
    "tags of the wrong type": (
        {"content/a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: 5\n---\nBody.\n"},
        "content/a.md:4: error: 'tags' must be a list of text, got the number 5",
    ),
    "draft that is not a boolean": (
        {"content/a.md": "---\ntitle: A\ndate: 2024-01-01\ndraft: maybe\n---\nBody.\n"},
        "content/a.md:4: error: 'draft' must be true or false, got 'maybe'",
    ),
    "missing title": (
        {"content/a.md": "---\ndate: 2024-01-01\n---\nBody.\n"},
        "content/a.md:1: error: 'title' is required",
    ),
    "duplicate key": (
        {"content/a.md": "---\ntitle: A\ndate: 2024-01-01\ntitle: B\n---\nBody.\n"},
        "content/a.md:4: error: invalid YAML front matter: duplicate key 'title'",
    ),
    "YAML alias bomb": (
        {"content/a.md": "---\ntitle: A\na: &a [x, x, x]\nb: [*a, *a, *a]\n---\nBody.\n"},
        "content/a.md:4: error: invalid YAML front matter: aliases (*name) are not allowed in "
        "front matter",
    ),
    "python object tag": (
        {"content/a.md": "---\ntitle: !!python/object:os.system A\n---\nBody.\n"},
        "content/a.md:2: error: invalid YAML front matter: could not determine a constructor "
        "for the tag 'tag:yaml.org,2002:python/object:os.system'",
    ),
    "editor quote with an unknown speaker": (
        {
            "content/a.md": "---\ntitle: A\ndate: 2024-01-01\nquotes:\n  - text: Hello there\n"
            '    speaker: Nobody Known\n---\n"Hello there," she said.\n'
        },
        "content/a.md:4: error: quote speaker 'Nobody Known' is unknown: add "
        "content/entities/nobody-known.md or list it under 'entities'",
    ),
    "two articles claiming one URL": (
        {
            "content/a.md": article("Same title", "One.\n", "2024-01-01"),
            "content/b.md": article("Same title", "Two.\n", "2024-01-05"),
        },
        "content/b.md: error: URL /articles/2024/01/same-title/ is claimed twice "
        "(also by content/a.md)",
    ),
    "slug that climbs out": (
        {"content/a.md": article("A", "Body.\n", slug="../../etc")},
        "content/a.md: error: 'slug' must be one plain path segment, got '../../etc'",
    ),
    "entity of an unknown type": (
        {"content/entities/acme.md": "---\nname: Acme\ntype: company\n---\nA firm.\n"},
        "content/entities/acme.md:3: error: 'type' must be one of person, organization, place, "
        "other, got 'company'",
    ),
    "entity ids differing by case": (
        {
            "content/entities/acme.md": "---\nname: Acme\ntype: organization\n---\n",
            "content/entities/ACME.md": "---\nname: ACME Corp\ntype: organization\n---\n",
        },
        "content/entities/ACME.md: error: entity file name must be a lower-case slug such as "
        "'acme.md'",
    ),
    "template syntax error": (
        {
            "templates/article.html": "{% extends 'base.html' %}\n{% block content %}\n"
            "{{ article.title }\n{% endblock %}\n"
        },
        "templates/article.html:3: error: unexpected '}'",
    ),
    "template runtime error": (
        {
            "templates/article.html": "{% extends 'base.html' %}\n{% block content %}\n"
            "{{ article.no_such_field.upper() }}\n{% endblock %}\n"
        },
        "templates/article.html:3: error: 'dict object' has no attribute 'no_such_field' "
        "(rendering /articles/2024/05/good/)",
    ),
    "invalid UTF-8": (
        {"content/a.md": b"---\ntitle: A\ndate: 2024-01-01\n---\nCaf\xe9 au lait.\n"},
        "content/a.md:5: error: not valid UTF-8 (byte 0xe9)",
    ),
    "UTF-16 file": (
        {"content/a.md": "---\ntitle: A\n---\nBody.\n".encode("utf-16")},
        "content/a.md: error: file is UTF-16; save it as UTF-8",
    ),
    "binary file": (
        {"content/a.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        "content/a.md:3: error: file contains NUL bytes (binary file?)",
    ),
    "impossible YAML date": (
        {"content/a.md": "---\ntitle: A\ndate: 2024-02-30\n---\nBody.\n"},
        "content/a.md:3: error: invalid YAML front matter: impossible date '2024-02-30' "
        "(day is out of range for month)",
    ),
    "empty date": (
        {"content/a.md": "---\ntitle: A\ndate:\n---\nBody.\n"},
        "content/a.md:3: error: 'date' is empty",
    ),
    "TOML nested too deeply": (
        {"content/a.md": "+++\ntitle = 'A'\nx = " + "[" * 5000 + "\n+++\nBody.\n"},
        "content/a.md:2: error: invalid TOML front matter: nested too deeply",
    ),
    "sidecar with invalid TOML": (
        {"content/a.txt": "Headline\n\nBody.\n", "content/a.meta.toml": "date = \n"},
        "content/a.meta.toml:1: error: invalid TOML: Invalid value",
    ),
    "templates folder outside the site": (
        {"site.toml": 'templates_dir = "/etc/ssl"\n'},
        "site.toml:1: error: 'templates_dir' must be a folder inside the site, got '/etc/ssl'",
    ),
    "output folder over the content": (
        {"site.toml": 'output_dir = "content"\n'},
        "content: error: output folder content overlaps content; choose another",
    ),
    "page where a static file is": (
        {"static/feed.xml": "<feed/>"},
        "static/feed.xml: error: URL /feed.xml is claimed twice",
    ),
    "page that needs a folder where a file is": (
        {"content/b.md": article("B", "x\n", url="/robots.txt/")},
        "content/b.md: error: URL /robots.txt/ needs a folder where /robots.txt is a file",
    ),
}


@pytest.mark.parametrize("case", INVALID, ids=list(INVALID))
def test_invalid_site_fails_with_exact_diagnostic_and_keeps_output(
    tmp_path: Path, build, case: str
) -> None:
    files, expected = INVALID[case]
    site = make_site(tmp_path / "site", GOOD)
    if "output folder" in case:
        files = {"site.toml": files["site.toml"]}
    first = build(site)
    assert first.code == 0, first.err
    before = {p: p.read_bytes() for p in site.joinpath("public").rglob("*") if p.is_file()}
    make_site(site, files)
    result = build(site)
    assert result.code == 1
    expected = expected.replace("{site}", str(site.resolve()))
    assert expected in result.err.splitlines(), result.err
    assert "Traceback" not in result.err
    after = {p: p.read_bytes() for p in site.joinpath("public").rglob("*") if p.is_file()}
    assert after == before  # the previous output is exactly as it was


def test_all_problems_are_reported_together(tmp_path: Path, build) -> None:
    site = make_site(
        tmp_path,
        {
            "site.toml": "titel = 'x'\n",
        },
    )
    result = build(site)
    assert "did you mean 'title'" in result.err
    make_site(
        site,
        {
            "site.toml": "",
            "content/a.md": "---\ntitle: A\ndate: nope\ntags: 5\n---\n",
            "content/b.md": "---\ntitle: [1\n---\n",
        },
    )
    result = build(site)
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 3, result.err


def test_warnings_fail_only_with_strict(tmp_path: Path, build) -> None:
    site = make_site(tmp_path, {"content/2024-02-03-undated.md": "---\ntitle: Undated\n---\nHi.\n"})
    result = build(site)
    assert result.code == 0
    assert (
        "content/2024-02-03-undated.md: warning: no 'date'; using the date in the file name"
        in result.err
    )
    assert result.exists("/articles/2024/02/undated/")
    assert build(site, "--strict").code == 1


def test_a_missing_article_folder_named_in_the_config_is_a_warning(tmp_path: Path, build) -> None:
    """A typo in article_dirs would build a site without its articles: it is said, and
    --strict refuses it, leaving the last output as it was."""
    site = make_site(tmp_path, GOOD)
    assert build(site).code == 0
    before = {p: p.read_bytes() for p in site.joinpath("public").rglob("*") if p.is_file()}
    make_site(site, {"site.toml": 'article_dirs = ["content", "contnet"]\n'})
    result = build(site, "--strict")
    assert result.code == 1
    warning = "site.toml: warning: no folder 'contnet' (article_dirs): no articles are read from it"
    assert warning in result.err.splitlines(), result.err
    after = {p: p.read_bytes() for p in site.joinpath("public").rglob("*") if p.is_file()}
    assert after == before
    assert build(site).code == 0


def test_real_command_prints_no_traceback(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/a.md": "---\ntitle: [\n---\n"})
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(site)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("content/a.md:2: error: invalid YAML front matter")
    assert "Traceback" not in done.stderr
    assert not (site / "public").exists()


def test_a_bad_base_url_flag_is_reported_as_the_command_lines(tmp_path: Path) -> None:
    site = make_site(tmp_path, {**GOOD, "site.toml": 'title = "X"\nbase_url = "https://a.org/"\n'})
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--site",
            str(site),
            "--base-url",
            "http://[::1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "command line: error: 'base_url' must be an absolute http(s) URL (Invalid IPv6 URL), "
        "got 'http://[::1'"
    )
    assert "Traceback" not in done.stderr


def test_output_folder_that_is_not_a_previous_build_is_not_replaced(tmp_path: Path, build) -> None:
    site = make_site(tmp_path / "site", GOOD)
    precious = make_site(tmp_path / "precious", {"notes.txt": "keep me"})
    result = build(site, "--out", str(precious))
    assert result.code == 1
    assert "is not empty and was not made by Broadsheet" in result.err
    assert (precious / "notes.txt").read_text() == "keep me"
    assert build(site, "--out", str(site)).code == 1
    assert (site / "content/good.md").is_file()


def test_missing_site_folder_is_a_usage_error(tmp_path: Path, build) -> None:
    result = build(tmp_path / "nowhere")
    assert result.code == 2
    assert result.err.strip() == f"broadsheet: no site folder at {tmp_path / 'nowhere'}"
    assert not (tmp_path / "nowhere").exists()


def test_binary_and_non_template_files_in_templates_are_ignored(tmp_path: Path, build) -> None:
    site = make_site(
        tmp_path,
        {
            **GOOD,
            "templates/logo.png": b"\x89PNG\r\n\x1a\n\xff\xfe",
            "templates/notes.md": "{{ broken",
        },
    )
    assert build(site).code == 0


def test_a_broken_link_in_the_registry_is_reported_once(tmp_path: Path) -> None:
    """The registry folder sits inside content/: walking the articles passes it too,
    but its problems are the registry's, reported by its own walk alone."""
    from generator.build import Options
    from generator.build import build as build_site

    site = make_site(tmp_path, {"content/a.md": article("Harbour", "Port news.\n")})
    (site / "content/entities").mkdir()
    (site / "content/entities/gone.md").symlink_to(site / "nowhere.md")
    (site / "content/gone.md").symlink_to(site / "nowhere.md")
    result = build_site(site, Options(jobs=1))
    assert not result.errors
    paths = sorted(d.path for d in result.diagnostics)
    assert paths == ["content/entities/gone.md", "content/gone.md"]
    assert all("broken or looping link" in d.message for d in result.diagnostics)


@pytest.mark.parametrize("where", ["{id}/index.html", "{ID}/index.html", "{id}"])
def test_static_file_where_a_quote_page_is_fails_and_keeps_output(
    tmp_path: Path, build, where: str
) -> None:
    """Quote pages are checked against files in quotes/ by id, not one by one: a
    static file there still may not take (or block) one's place, in any case."""
    said = '"We will open the bridge in May," Ilse Varga said.\n'
    site = make_site(tmp_path / "site", {"content/a.md": article("A", said)})
    first = build(site)
    assert first.code == 0, first.err
    (quote,) = [
        p.parent.name for p in site.glob("public/quotes/*/index.html") if p.parent.name != "page"
    ]
    before = {p: p.read_bytes() for p in site.joinpath("public").rglob("*") if p.is_file()}
    name = "static/quotes/" + where.format(id=quote, ID=quote.upper())
    make_site(site, {name: "mine"})
    result = build(site)
    assert result.code == 1
    problems = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(problems) == 1, result.err
    assert f"/quotes/{quote}/" in problems[0] or f"/quotes/{quote.upper()}/" in problems[0]
    assert "Traceback" not in result.err
    after = {p: p.read_bytes() for p in site.joinpath("public").rglob("*") if p.is_file()}
    assert after == before
