"""`broadsheet publish` and `check`: to a folder served by a real nginx and crawled by a
real link checker, to a git branch of a real repository, to a local S3 server."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT, article, make_site

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# The link checker the test extra installs: beside this Python (the project's virtual
# environment, which `make test` runs without activating it), or on the PATH.
LINKCHECKER = (
    shutil.which(
        "linkchecker",
        path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    or "linkchecker"
)


def broadsheet(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listening on {port}")


@contextmanager
def nginx(root: Path, prefix: str, work: Path) -> Iterator[str]:
    """A real nginx on loopback serving `root` at `prefix`, with the site's 404 page."""
    if not Path(NGINX).exists():
        pytest.skip("Debian nginx is not installed") if not os.environ.get("CI") else None
    port = free_port()
    work.mkdir(parents=True, exist_ok=True)
    docroot = work / "docroot"
    if prefix.strip("/"):
        (docroot / prefix.strip("/")).parent.mkdir(parents=True, exist_ok=True)
        (docroot / prefix.strip("/")).symlink_to(root, target_is_directory=True)
    else:
        docroot.symlink_to(root, target_is_directory=True)
    conf = work / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {work}/nginx.pid;\n"
        f"error_log {work}/error.log;\nevents {{ worker_connections 256; }}\n"
        "http {\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        f"  client_body_temp_path {work}/body;\n  proxy_temp_path {work}/proxy;\n"
        f"  fastcgi_temp_path {work}/fastcgi;\n  uwsgi_temp_path {work}/uwsgi;\n"
        f"  scgi_temp_path {work}/scgi;\n"
        f"  server {{\n    listen 127.0.0.1:{port};\n    root {docroot};\n"
        f"    disable_symlinks off;\n    error_page 404 {prefix}404.html;\n  }}\n}}\n"
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(work), "-e", str(work / "error.log"), "-c", str(conf)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_port(port)
        yield f"http://127.0.0.1:{port}{prefix}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def linkcheck(url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINKCHECKER, "--no-status", "--no-warnings", "--threads", "8", url],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def sample_copy(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("content", "seeds"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "site.toml", target / "site.toml")
    return target


def test_sample_archive_published_to_a_folder_has_no_broken_link(tmp_path: Path) -> None:
    site = sample_copy(tmp_path / "site")
    dist = tmp_path / "dist"
    done = broadsheet(
        "publish", "--site", str(site), "--to", str(dist), "--base-url", "http://127.0.0.1/"
    )
    assert done.returncode == 0, done.stderr
    assert (dist / "pagefind" / "pagefind-ui.js").is_file()
    assert (dist / "search/index.html").is_file()
    with nginx(dist, "/", tmp_path / "nginx") as url:
        checked = linkcheck(url)
    assert checked.returncode == 0, checked.stdout[-3000:]
    assert "0 errors found" in checked.stdout


def small_site(root: Path, base_url: str) -> Path:
    return make_site(
        root,
        {
            "site.toml": f'base_url = "{base_url}"\ncname = "news.example.org"\n',
            "content/entities/ilse-varga.md": "---\nname: Ilse Varga\ntype: person\n---\nMayor.\n",
            "content/a.md": article("Harbour", '"We are ready," Ilse Varga said. [Home](/)\n'),
            "content/b.md": article("Ferry", "The ferry sails.\n", "2023-02-01"),
            "content/c.md": article("Secret", "Not yet.\n", draft="true"),
        },
    )


def test_path_prefix_published_site_has_no_broken_link(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", "https://example.org/archive/")
    dist = tmp_path / "dist"
    done = broadsheet("publish", "--site", str(site), "--to", str(dist))
    assert done.returncode == 0, done.stderr
    assert not (dist / "articles/2024/05/secret").exists()  # drafts never published
    entry = json.loads((dist / "pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]
    html = (dist / "search/index.html").read_text()
    assert '"/archive/pagefind/"' in html and 'src="/archive/pagefind/pagefind-ui.js"' in html
    with nginx(dist, "/archive/", tmp_path / "nginx") as url:
        checked = linkcheck(url)
    assert checked.returncode == 0, checked.stdout[-3000:]


def test_folder_publish_syncs_and_refuses_foreign_folders(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", "https://example.org/")
    dist = tmp_path / "dist"
    assert broadsheet("publish", "--site", str(site), "--to", str(dist)).returncode == 0
    (dist / "stale.html").write_text("old")
    (site / "content/b.md").unlink()
    done = broadsheet("publish", "--site", str(site), "--to", str(dist))
    assert done.returncode == 0, done.stderr
    assert not (dist / "stale.html").exists()
    assert not (dist / "articles/2023").exists()
    foreign = make_site(tmp_path / "foreign", {"keep.txt": "mine"})
    refused = broadsheet("publish", "--site", str(site), "--to", str(foreign))
    assert refused.returncode == 1 and "was not published by Broadsheet" in refused.stderr
    assert (foreign / "keep.txt").read_text() == "mine"


def test_failed_check_deploys_nothing(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", "https://example.org/")
    make_site(
        site,
        {
            "templates/404.html": "{% extends 'base.html' %}{% block content %}"
            '<a href="/nowhere/">lost</a>{% endblock %}\n'
        },
    )
    dist = tmp_path / "dist"
    checked = broadsheet("check", "--site", str(site))
    assert checked.returncode == 1
    assert "404.html: error: broken link: /nowhere/" in checked.stderr
    done = broadsheet("publish", "--site", str(site), "--to", str(dist))
    assert done.returncode == 1 and not dist.exists()
    assert "nothing was deployed" in done.stderr


def test_check_calls_a_link_with_no_address_broken(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", "https://example.org/")
    make_site(site, {"static/odd.html": '<a href="http://[fe80::1">router</a>\n'})
    done = broadsheet("check", "--site", str(site))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "odd.html: error: broken link: http://[fe80::1" in done.stderr


def test_production_builds_are_byte_identical(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", "https://example.org/")
    for name in ("one", "two"):
        assert (
            broadsheet("publish", "--site", str(site), "--to", str(tmp_path / name)).returncode == 0
        )

    def tree(folder: Path) -> dict[str, bytes]:
        return {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*")
            if p.is_file()
        }

    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_publish_to_a_git_branch_leaves_the_working_tree_alone(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", "https://example.org/")
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    (site / "content/b.md").write_text(article("Ferry", "Edited, not committed.\n", "2023-02-01"))
    status, head = git(site, "status", "--porcelain"), git(site, "rev-parse", "HEAD")
    done = broadsheet("publish", "--site", str(site), "--to", "git:gh-pages")
    assert done.returncode == 0, done.stderr
    assert git(site, "status", "--porcelain") == status
    assert (
        git(site, "rev-parse", "HEAD") == head and git(site, "branch", "--show-current") == "main"
    )
    files = git(site, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert {".nojekyll", "CNAME", "index.html", "feed.xml", "sitemap.xml"} <= set(files)
    assert "articles/2023/02/ferry/index.html" in files
    assert ".broadsheet-build" not in files
    assert git(site, "show", "gh-pages:CNAME") == "news.example.org"
    assert "Edited, not committed." in git(
        site, "show", "gh-pages:articles/2023/02/ferry/index.html"
    )
    again = broadsheet("publish", "--site", str(site), "--to", "git:gh-pages")
    assert "nothing changed; no commit made" in again.stdout
    (site / "content/b.md").write_text(article("Ferry", "Edited twice.\n", "2023-02-01"))
    assert broadsheet("publish", "--site", str(site), "--to", "git:gh-pages").returncode == 0
    assert git(site, "rev-list", "--count", "gh-pages") == "2"


def test_publish_refuses_targets_it_would_get_wrong(tmp_path: Path) -> None:
    """A misspelt kind of target, an empty one, the branch checked out, a branch name
    git reads otherwise, a file where a folder must go: one line each, nothing moved."""
    site = small_site(tmp_path / "site", "https://example.org/")
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    head, status = git(site, "rev-parse", "HEAD"), git(site, "status", "--porcelain")
    (tmp_path / "afile").write_text("x")
    cases = {
        "S3://bucket/x": "unknown kind of target 'S3'",
        "gs://bucket/x": "unknown kind of target 'gs'",
        "": "no target",
        "git:main": "main is the branch checked out in",
        "git:HEAD": "not a usable branch name: 'HEAD'",
        "git:-x": "not a usable branch name: '-x'",
        "git:topic.lock": "not a usable branch name: 'topic.lock'",
        str(tmp_path / "afile/sub"): "cannot publish to",
    }
    for target, said in cases.items():
        done = broadsheet("publish", "--site", str(site), "--to", target, "--no-search")
        assert done.returncode == 1, (target, done.stdout, done.stderr)
        assert said in done.stderr and "Traceback" not in done.stderr, (target, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert git(site, "rev-parse", "HEAD") == head and git(site, "status", "--porcelain") == status
    assert git(site, "branch", "--list") == "* main"
    assert not (site / "S3:").exists() and not (Path.cwd() / "S3:").exists()


@pytest.fixture
def s3(tmp_path: Path) -> Iterator[dict[str, str]]:
    pytest.importorskip("boto3")
    if not shutil.which("moto_server"):
        pytest.skip("moto server is not installed")
    port = free_port()
    process = subprocess.Popen(
        ["moto_server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
    }
    try:
        wait_port(port)
        yield env
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_publish_to_s3_uploads_only_what_changed(tmp_path: Path, s3: dict[str, str]) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket="news")
    site = small_site(tmp_path / "site", "https://example.org/")
    target = "s3://news/site"
    dry = broadsheet("publish", "--site", str(site), "--to", target, "--dry-run", env=s3)
    assert dry.returncode == 0, dry.stderr
    assert "upload site/index.html" in dry.stdout
    assert (
        "KeyCount" not in client.list_objects_v2(Bucket="news")
        or client.list_objects_v2(Bucket="news")["KeyCount"] == 0
    )
    first = broadsheet("publish", "--site", str(site), "--to", target, env=s3)
    assert first.returncode == 0, first.stderr
    keys = {o["Key"] for o in client.list_objects_v2(Bucket="news", MaxKeys=1000)["Contents"]}
    assert {"site/index.html", "site/feed.xml", "site/static/style.css"} <= keys
    assert "site/.broadsheet-build" not in keys
    head = client.head_object(Bucket="news", Key="site/index.html")
    assert head["ContentType"] == "text/html; charset=utf-8"
    assert "max-age=300" in head["CacheControl"]
    assert client.head_object(Bucket="news", Key="site/feed.xml")["ContentType"].startswith(
        "application/atom+xml"
    )
    hashed = next(k for k in keys if k.startswith("site/pagefind/fragment/"))
    assert "immutable" in client.head_object(Bucket="news", Key=hashed)["CacheControl"]
    second = broadsheet("publish", "--site", str(site), "--to", target, env=s3)
    assert f"uploaded 0, deleted 0, unchanged {len(keys)}" in second.stdout
    client.put_object(Bucket="news", Key="site/old/index.html", Body=b"stale")
    (site / "content/b.md").write_text(article("Ferry", "The ferry is late.\n", "2023-02-01"))
    third = broadsheet("publish", "--site", str(site), "--to", target, env=s3)
    after = {o["Key"] for o in client.list_objects_v2(Bucket="news", MaxKeys=1000)["Contents"]}
    assert "site/old/index.html" not in after  # stale objects are removed
    uploaded = int(third.stdout.split("uploaded ")[1].split(",")[0])
    assert 0 < uploaded < len(keys) // 2
    refused = broadsheet(
        "publish", "--site", str(site), "--to", "s3://news/other", "--max-delete", "0", env=s3
    )
    assert refused.returncode == 0  # nothing to delete under another prefix
    client.put_object(Bucket="news", Key="site/x1", Body=b"x")
    client.put_object(Bucket="news", Key="site/x2", Body=b"x")
    limited = broadsheet(
        "publish", "--site", str(site), "--to", target, "--max-delete", "1", env=s3
    )
    assert limited.returncode == 1 and "over the limit of 1" in limited.stderr


def test_search_page_finds_articles_and_filters_by_speaker(tmp_path: Path) -> None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists() and not os.environ.get("CI"):
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import expect, sync_playwright

    site = small_site(tmp_path / "site", "https://example.org/")
    dist = tmp_path / "dist"
    assert broadsheet("publish", "--site", str(site), "--to", str(dist)).returncode == 0
    with nginx(dist, "/", tmp_path / "nginx") as url, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(chromium),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page()
        page.goto(url + "search/")
        page.locator(".pagefind-ui__search-input").fill("ready")
        results = page.locator(".pagefind-ui__result-link")
        expect(results.first).to_be_visible(timeout=15000)
        titles = results.all_inner_texts()
        assert any("Harbour" in t for t in titles), titles
        expect(page.locator(".pagefind-ui__filter-panel")).to_contain_text("speaker")
        browser.close()
