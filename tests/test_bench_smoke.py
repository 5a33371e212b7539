"""The benchmark's corpus: deterministic, realistic enough, and built by Broadsheet (no timing)."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

N = 30
Q = "[\"“”]"  # straight or curly quotation marks
ATTRIBUTIONS = {
    "X said": rf",{Q} [A-Z][\w.]*(?: [A-Z][\w.]*)* (?:said|added|insisted|argued)\b",
    "said X": rf",{Q} said [A-Z]",
    "X told reporters": r"[A-Z]\w+ told reporters",
    "according to X": r"[Aa]ccording to [A-Z]",
    "X, the country's minister, said":
        rf",{Q} [A-Z]\w+(?: [A-Z]\w+)?, (?:the|a|an) [^,\"“”]+, said\.",
    "colon": rf"[A-Z]\w+ (?:warned|said|added|told the committee): {Q}",
    "partial quote": rf"described [^\"“”]+ as {Q}[a-z]",
    "pronoun": rf",{Q} (?:he|she) said\.",
    "organisation": rf",{Q} (?:the )?[A-Z][\w ]+ said in a statement\.",
    "title on first mention": r"(?:Minister|Senator|Mayor|Judge|Professor|Governor|Chief) [A-Z]\w+ "
    r"[A-Z]\w+",
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "a"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), str(N), str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _bodies(sites: Path) -> list[str]:
    paths = sorted((sites / "broadsheet" / "content" / "articles").rglob("*.md"))
    return [p.read_text(encoding="utf-8").split("\n---\n", 1)[1] for p in paths]


def test_same_seed_same_bytes(sites: Path, tmp_path: Path) -> None:
    corpus.generate(N, tmp_path / "b", seed=1)
    assert _files(sites) == _files(tmp_path / "b")
    corpus.generate(N, tmp_path / "c", seed=2)
    assert _files(sites) != _files(tmp_path / "c")


def test_three_sites_hold_the_same_articles(sites: Path) -> None:
    assert len(list((sites / "broadsheet" / "content" / "articles").rglob("*.md"))) == N
    assert len(list((sites / "pelican" / "content").rglob("*.md"))) == N
    assert len(list((sites / "hugo" / "content" / "posts").glob("*.md"))) == N
    assert (sites / "hugo" / "layouts" / "single.html").is_file()
    assert list((sites / "broadsheet" / "content" / "entities").glob("*.md"))


def test_articles_read_like_news(sites: Path) -> None:
    bodies = _bodies(sites)
    assert all(500 <= len(b.split()) <= 900 for b in bodies)
    text = "\n\n".join(bodies)
    missing = [name for name, pattern in ATTRIBUTIONS.items() if not re.search(pattern, text)]
    assert missing == []
    # A quote running on into the next paragraph: no closing mark, the next opens again.
    paragraphs = text.split("\n\n")
    assert any(
        (p.count('"') % 2 == 1 or p.count("“") > p.count("”")) and nxt[:1] in ('"', "“")
        for p, nxt in itertools.pairwise(paragraphs)
    )
    # Zipf: the most newsworthy person is in a large share of the archive.
    top = corpus.make_cast(1).people[0]
    assert sum(top.surname in b for b in bodies) >= N // 4


def test_broadsheet_builds_it(sites: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(sites / "broadsheet"),
         "--out", str(out), "--quiet", "--jobs", "1"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(list((out / "articles").rglob("index.html"))) == N
    assert list((out / "quotes").glob("*/index.html"))
    assert list((out / "entities").glob("*/index.html"))
