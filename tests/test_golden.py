"""The sample archive's output compared with a committed golden copy.

When a change to the output is intended, regenerate the copy with `make golden`
(BROADSHEET_UPDATE_GOLDEN=1) and review the diff like any other change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden" / "sample"
# A representative slice of the site: one page of each kind, the feeds and the data.
FILES = (
    "index.html",
    "articles/2022/09/putin-orders-mobilization-of-russian-troops-for-part-of-ukraine-war/index.html",
    "articles/2025/03/varga-wins-second-term-outright-in-port-halden/index.html",
    "entities/index.html",
    "entities/ilse-varga/index.html",
    "entities/vladimir-putin/index.html",
    "entities/ilse-varga/feed.xml",
    "quotes/index.html",
    "archive/index.html",
    "archive/2024/01/index.html",
    "tags/harbour/index.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "404.html",
    "data/articles.json",
    "data/entities.json",
    "data/quotes.json",
    "static/style.css",
)


def test_sample_site_matches_golden_copy(sample_site: Path) -> None:
    public = sample_site / "public"
    if os.environ.get("BROADSHEET_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name in FILES:
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(public / name, GOLDEN / name)
        pytest.skip("golden copy regenerated; review the diff")
    mismatched = [
        name
        for name in FILES
        if not (GOLDEN / name).is_file()
        or (public / name).read_bytes() != (GOLDEN / name).read_bytes()
    ]
    assert mismatched == [], "output differs from tests/golden/sample (make golden to accept)"
