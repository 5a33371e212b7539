"""`broadsheet serve` as a real process: HTTP, live reload, error overlay, safety, load."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import article, make_site
from servers import serving

ARTICLE = "/articles/2024/05/harbour-news/"


def small_site(root: Path) -> Path:
    return make_site(
        root,
        {
            "content/entities/ilse-varga.md": "---\nname: Ilse Varga\ntype: person\n"
            "aliases: [Varga]\n---\nMayor.\n",
            "content/harbour.md": article("Harbour news", '"We are ready," Ilse Varga said.\n'),
            "content/other.md": article("Other news", "Nothing about the mayor.\n", "2024-04-01"),
        },
    )


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(check, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def settled_generation(url: str, quiet: float = 0.5) -> int:
    """The build generation once no build has finished for `quiet` seconds."""
    last = json.loads(fetch(url + "/__broadsheet/status")[2])["generation"]
    for _ in range(40):
        time.sleep(quiet)
        now = json.loads(fetch(url + "/__broadsheet/status")[2])["generation"]
        if now == last:
            return now
        last = now
    raise AssertionError("the server kept rebuilding")


def raw(url: str, request: bytes) -> bytes:
    host, port = urlsplit(url).hostname, urlsplit(url).port
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def test_serves_pages_with_types_redirects_and_404(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    with serving(site) as (url, _):
        status, headers, body = fetch(url + ARTICLE)
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert headers["Cache-Control"] == "no-store"
        assert b"We are ready," in body and b"EventSource" in body
        assert (
            b"EventSource" not in (site / "public" / ARTICLE.strip("/") / "index.html").read_bytes()
        )
        status, headers, _ = fetch(url + "/static/style.css")
        assert status == 200 and headers["Content-Type"].startswith("text/css")
        status, headers, _ = fetch(url + "/feed.xml")
        assert headers["Content-Type"].startswith("application/atom+xml")
        status, headers, body = fetch(url + ARTICLE, method="HEAD")
        assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
        status, _, body = fetch(url + "/no/such/page/")
        assert status == 404 and b"Page not found" in body
        response = raw(url, b"GET /entities HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert response.startswith(b"HTTP/1.1 301") and b"Location: /entities/\r\n" in response
        status, _, _ = fetch(url + "/", method="POST")
        assert status == 405


TRAVERSALS = [
    b"/../../../../etc/passwd",
    b"/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    b"/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    b"/static/..%2f..%2f..%2fetc%2fpasswd",
    b"/..\\..\\..\\etc\\passwd",
    b"/%5c..%5c..%5cetc%5cpasswd",
    b"/index.html%00.css",
    b"//etc/passwd",
    b"/C:/Windows/win.ini",
    b"/escape/passwd",
    b"/%ff%fe",
    b"/" + b"a" * 5000,
    b"/a" * 3000,  # each name short, the path too long for the file system
]


def test_never_serves_a_file_outside_the_output(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text("TOP SECRET")
    with serving(site) as (url, _):
        (site / "public" / "escape").symlink_to("/etc", target_is_directory=True)
        (site / "public" / "leak.txt").symlink_to(outside)
        for path in [*TRAVERSALS, b"/leak.txt"]:
            response = raw(
                url, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            assert response.split(b" ", 2)[1] in (b"400", b"404", b"414"), (path, response[:80])
            assert b"root:" not in response and b"TOP SECRET" not in response
        for junk in (b"\x00\x01\x02\r\n\r\n", b"GET\r\n\r\n", b"BREW /pot HTTP/1.1\r\n\r\n"):
            raw(url, junk)
        assert fetch(url + ARTICLE)[0] == 200  # still answering


def test_port_in_use_is_a_one_line_error(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"broadsheet serve: port {port} on 127.0.0.1 is in use "
        "(stop the other server, or use --port 0 for a free one)"
    )


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_serves_on_an_ipv6_address(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    with serving(site, "--host", "::1") as (url, _):
        assert url.startswith("http://[::1]:")
        assert fetch(url + ARTICLE)[0] == 200


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_a_port_out_of_range_is_refused_before_building(tmp_path: Path, port: str) -> None:
    site = small_site(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "--port" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not (site / "public").exists()


def test_edit_rebuilds_and_build_error_keeps_last_good_build(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    with serving(site) as (url, _):
        status = json.loads(fetch(url + "/__broadsheet/status")[2])
        generation = status["generation"]
        path = site / "content/harbour.md"
        path.write_text(path.read_text().replace("We are ready", "We are steady"))
        assert wait_for(lambda: b"We are steady" in fetch(url + ARTICLE)[2])
        assert wait_for(
            lambda: json.loads(fetch(url + "/__broadsheet/status")[2])["generation"] > generation
        )
        assert json.loads(fetch(url + "/__broadsheet/status")[2])["ok"]
        path.write_text("---\ntitle: [broken\n---\n")
        assert wait_for(lambda: not json.loads(fetch(url + "/__broadsheet/status")[2])["ok"])
        status, _, body = fetch(url + ARTICLE)
        assert status == 200 and b"We are steady" in body  # the last good build
        assert b'id="broadsheet-error"' in body and b"content/harbour.md:2" in body
        path.write_text(article("Harbour news", '"Back again," Ilse Varga said.\n'))
        assert wait_for(lambda: b"Back again" in fetch(url + ARTICLE)[2])
        assert b'id="broadsheet-error"' not in fetch(url + ARTICLE)[2]


def test_new_renamed_and_deleted_files_and_temp_files(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    with serving(site) as (url, _):
        (site / "content/new.md").write_text(article("Fresh story", "New words.\n"))
        assert wait_for(lambda: fetch(url + "/articles/2024/05/fresh-story/")[0] == 200)
        (site / "content/new.md").rename(site / "content/renamed.md")
        time.sleep(0.5)
        assert fetch(url + "/articles/2024/05/fresh-story/")[0] == 200
        (site / "content/renamed.md").unlink()
        assert wait_for(lambda: fetch(url + "/articles/2024/05/fresh-story/")[0] == 404)
        # The page is gone once the files are; the build counts a moment later.
        generation = settled_generation(url)
        for name in (".harbour.md.swp", "harbour.md~", ".#harbour.md", "4913"):
            (site / "content" / name).write_text("---\ntitle: [broken\n")
        time.sleep(0.6)
        status = json.loads(fetch(url + "/__broadsheet/status")[2])
        assert status["ok"] and status["generation"] == generation


LOAD_CLIENT = r"""
import http.client, sys, threading
host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
paths = sys.argv[4:]
failures, done = [], [0]
lock = threading.Lock()
def worker(n):
    conn = http.client.HTTPConnection(host, port, timeout=20)
    for i in range(n):
        path = paths[i % len(paths)]
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures.append((path, response.status))
        except Exception as error:
            failures.append((path, repr(error)))
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=20)
        with lock:
            done[0] += 1
threads = [threading.Thread(target=worker, args=(count // 8,)) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
print(done[0], len(failures), failures[:5])
"""


def test_bounded_load_during_rebuilds_has_no_failed_request(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    with serving(site) as (url, _):
        parts = urlsplit(url)
        client = subprocess.Popen(
            [
                sys.executable,
                "-c",
                LOAD_CLIENT,
                parts.hostname,
                str(parts.port),
                "3200",
                ARTICLE,
                "/",
                "/entities/ilse-varga/",
                "/static/style.css",
                "/feed.xml",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        path = site / "content/harbour.md"
        for n in range(8):
            path.write_text(article("Harbour news", f'"Edit number {n}," Ilse Varga said.\n'))
            time.sleep(0.25)
        out, _ = client.communicate(timeout=300)
        done, failed = out.split()[:2]
        assert (int(done), int(failed)) == (3200, 0), out
        assert wait_for(lambda: b"Edit number 7" in fetch(url + ARTICLE)[2])


@pytest.mark.parametrize("prefix", ["/archive/"])
def test_serves_under_the_base_url_path(tmp_path: Path, prefix: str) -> None:
    site = small_site(tmp_path)
    (site / "site.toml").write_text(f'base_url = "https://example.org{prefix}"\n')
    with serving(site) as (url, _):
        assert url.endswith(prefix.rstrip("/"))
        status, _, body = fetch(url + ARTICLE)
        assert status == 200 and f'href="{prefix}static/style.css"'.encode() in body


MIXED_CLIENT = r"""
import http.client, socket, sys, threading, time
host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
failures, done = [], [0]
slow = []
for _ in range(20):  # slow clients: connect, send half a request line, then wait
    s = socket.create_connection((host, port), timeout=30)
    s.sendall(b"GET /index.ht")
    slow.append(s)
def malformed():
    junk = [b"BREW / HTTP/1.1\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"\x16\x03\x01\x00\xa5\x01",
            b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n",
            b"GET /" + b"%" * 3000 + b" HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 500 + b"\r\n",
            b"\r\n\r\n\r\n", b"GET /\x00 HTTP/1.1\r\n\r\n"]
    for _ in range(3):
        for payload in junk:
            try:
                with socket.create_connection((host, port), timeout=3) as s:
                    s.sendall(payload)
                    s.recv(100)
            except OSError:
                pass
def worker(n):
    conn = http.client.HTTPConnection(host, port, timeout=20)
    for i in range(n):
        try:
            conn.request("GET", "/")
            r = conn.getresponse(); r.read()
            if r.status != 200:
                failures.append(r.status)
        except Exception as error:
            failures.append(repr(error))
            conn.close(); conn = http.client.HTTPConnection(host, port, timeout=20)
        done[0] += 1
threads = [threading.Thread(target=malformed)]
threads += [threading.Thread(target=worker, args=(count // 4,)) for _ in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
for s in slow:
    s.close()
print(done[0], len(failures), failures[:5])
"""


def test_malformed_and_slow_clients_do_not_stop_good_ones(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    with serving(site) as (url, _):
        parts = urlsplit(url)
        client = subprocess.run(
            [sys.executable, "-c", MIXED_CLIENT, parts.hostname, str(parts.port), "1200"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        done, failed = client.stdout.split()[:2]
        assert (int(done), int(failed)) == (1200, 0), client.stdout + client.stderr
        assert fetch(url + ARTICLE)[0] == 200


def test_the_watcher_names_the_files_that_changed(tmp_path: Path) -> None:
    """Each rebuild is told which files changed since the last one (so it need not walk
    the site), or None after a folder appeared or went (it must walk); the first
    rebuild it asks for walks, as it cannot know what changed before it started."""
    from generator.config import load_config
    from generator.watch import Watcher

    site = small_site(tmp_path).resolve()
    config, _ = load_config(site)
    calls: list[set[str] | None] = []
    watcher = Watcher(site, config, site / "public", calls.append)
    watcher.start()
    try:
        harbour, other = site / "content/harbour.md", site / "content/other.md"
        harbour.write_text(harbour.read_text() + "\nMore.\n")
        assert wait_for(lambda: len(calls) == 1)
        assert calls[0] is None  # the first one
        harbour.write_text(harbour.read_text() + "\nAgain.\n")
        other.write_text(other.read_text() + "\nMore.\n")
        (site / "content/.other.md.swp").write_text("ignored")
        assert wait_for(lambda: len(calls) >= 2)
        time.sleep(0.3)
        assert set().union(*calls[1:]) == {str(harbour), str(other)}  # type: ignore[arg-type]
        count = len(calls)
        (site / "content/2024").mkdir()
        assert wait_for(lambda: len(calls) > count)
        assert calls[count] is None
    finally:
        watcher.stop()


def test_the_watcher_waits_for_quiet_even_after_a_file_is_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file closed is not always a file finished: a script may write it in several
    steps, each opening and closing it. The rebuild waits until no event has come for
    the quiet time (made 1.5 s here, so steps 0.1 s apart are one burst), then sees the
    whole file once; a second burst after a quiet time is a second rebuild."""
    import generator.watch as watch
    from generator.config import load_config

    monkeypatch.setattr(watch, "QUIET_SECONDS", 1.5)
    monkeypatch.setattr(watch, "LONGEST_WAIT", 30.0)
    site = small_site(tmp_path).resolve()
    config, _ = load_config(site)
    harbour = site / "content/harbour.md"
    text = harbour.read_text()
    steps = [text[:40], text[40:80], text[80:], "\nMore.\n"]
    seen: list[str] = []
    watcher = watch.Watcher(
        site, config, site / "public", lambda _: seen.append(harbour.read_text())
    )
    watcher.start()
    try:
        harbour.write_text("")
        for step in steps:
            time.sleep(0.1)
            with harbour.open("a") as stream:
                stream.write(step)
        assert wait_for(lambda: len(seen) == 1, timeout=20)
        time.sleep(2)  # longer than the quiet time: nothing more is coming
        assert seen == [text + "\nMore.\n"]
        harbour.write_text(text)
        assert wait_for(lambda: len(seen) == 2, timeout=20)
        assert seen[1] == text
    finally:
        watcher.stop()
