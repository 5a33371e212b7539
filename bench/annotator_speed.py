"""Benchmark: extraction speed on 800-word articles, one core, with an optional profile.

Run from the repository root:

    python bench/annotator_speed.py [--rounds N] [--profile] [--gum PATH]

The articles are built from real paragraphs: the GUM Wikinews articles (read in place)
and the labelled articles, cut and joined into pieces of about 800 words, so that every
article has the mix of names, quotes and attributions that news copy has.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from annotator_eval import GUM, load_fixtures, load_gum  # noqa: E402

from generator.extract import extract  # noqa: E402

WORDS = 800


def articles(gum: Path = GUM, words: int = WORDS) -> list[str]:
    """Paragraphs of the real and labelled articles, regrouped into ~800-word articles."""
    texts = [a["text"] for a in load_fixtures()]
    if (gum / "dep").is_dir():
        texts = [d.text for d in load_gum(gum)] + texts
    out: list[str] = []
    current: list[str] = []
    count = 0
    for text in texts:
        for para in text.split("\n\n"):
            current.append(para)
            count += len(para.split())
            if count >= words:
                out.append("\n\n".join(current))
                current, count = [], 0
    return out


def rate(texts: list[str], rounds: int) -> float:
    """Best of `rounds`: articles per second on this core."""
    best = float("inf")
    for _ in range(rounds):
        began = time.perf_counter()
        for text in texts:
            extract(text)
        best = min(best, time.perf_counter() - began)
    return len(texts) / best


def profile(texts: list[str], lines: int = 15) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        for text in texts:
            extract(text)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(lines)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gum", type=Path, default=GUM)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    texts = articles(args.gum)
    words = sum(len(t.split()) for t in texts)
    extract(texts[0])  # compile the patterns outside the timing
    print(f"{rate(texts, args.rounds):.0f} articles/second "
          f"({len(texts)} articles, {words / len(texts):.0f} words each, one core)")
    if args.profile:
        print(profile(texts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
