"""Time from saving an article to the preview server having rebuilt it (and so telling
open pages to reload): `python bench/serve_latency.py SITE [--edits 5] [--title]
[--cached]`.

The site is copied to a temporary folder first (without its cache, unless --cached);
one article from the middle of the archive has a paragraph appended again and again
(or, with --title, its title changed, which every listing of it shows), and the
server's /__broadsheet/status is polled until its build generation moves on. The
server's resident memory is read once the edits are done.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from servers import serving


def status(url: str) -> dict:
    with urllib.request.urlopen(url + "/__broadsheet/status", timeout=30) as response:
        return json.loads(response.read())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--title", action="store_true", help="edit the title, not the body")
    parser.add_argument(
        "--cached", action="store_true", help="copy the site's cache too: a warm first build"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        skipped = ["public"] if args.cached else ["public", ".broadsheet-*"]
        shutil.copytree(args.site, site, ignore=shutil.ignore_patterns(*skipped))
        # An article (not a registry entry) from the middle of the archive: the newest
        # ones are also in the site feed, which a save then redraws too.
        articles = sorted(p for p in (site / "content").rglob("*.md") if "entities" not in p.parts)
        article = articles[len(articles) // 2]
        started = time.perf_counter()
        with serving(site) as (url, process):
            print(f"first build and start: {time.perf_counter() - started:.1f} s")
            times = []
            for number in range(args.edits):
                generation = status(url)["generation"]
                text = article.read_text()
                if args.title:
                    title = f'title: "Edit number {number}"'
                    text = re.sub(r"(?m)^title: .*$", title, text, count=1)
                else:
                    text = text.rstrip("\n") + f"\n\nEdit number {number}.\n"
                article.write_text(text)
                saved = time.perf_counter()
                while status(url)["generation"] == generation:
                    time.sleep(0.01)
                times.append(time.perf_counter() - saved)
                time.sleep(0.3)
            resident = _resident_mb(process.pid)
        print(
            f"save to rebuilt, {args.edits} {'title' if args.title else 'body'} edits:"
            f" median {statistics.median(times) * 1000:.0f} ms"
            f" (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f});"
            f" server's resident memory after them: {resident:.0f} MB"
        )


def _resident_mb(pid: int) -> float:
    """The process's resident set now (VmRSS), in MB; 0 where /proc does not say."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, flags=re.M)
    return int(found[1]) / 1024 if found else 0.0


if __name__ == "__main__":
    main()
