"""Benchmark: annotation speed as the entity registry grows, one core.

    python bench/registry_scale.py [--n 500] [--sizes 0,1000,5000] [--rounds 3]

A newsroom's registry may hold thousands of people, organisations and places. Writes
the synthetic corpus (bench/corpus.py) of --n articles to a temporary folder, adds
each number of --sizes made-up registry entities (deterministic; some people with a
surname alias) to its own registry, and prints articles annotated per second (best of
--rounds), after parsing. Annotating should cost about the same at every size.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402

from generator.annotate import annotate  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.model import RegistryEntity  # noqa: E402
from generator.parse import parse_article, parse_entity  # noqa: E402
from generator.registry import Registry  # noqa: E402
from generator.sources import find_sources  # noqa: E402

SYLLABLES = ("ka", "lo", "mi", "ra", "ten", "vor", "sel", "dan", "bri", "os", "mar", "tu")


def made_up(count: int, seed: int = 5) -> list[RegistryEntity]:
    """`count` registry entities with invented names, none of them in the corpus."""
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    entities: dict[str, RegistryEntity] = {}
    while len(entities) < count:
        kind = rng.choice(["person", "person", "organization", "place"])
        name = word() if kind == "place" else f"{word()} {word()}"
        ident = "x-" + name.lower().replace(" ", "-")
        alias = (name.split()[-1],) if kind == "person" and rng.random() < 0.5 else ()
        entities.setdefault(ident, RegistryEntity(ident, name, kind, alias))
    return list(entities.values())


def rate(site: Path, extra: int, rounds: int) -> float:
    """Articles annotated per second with `extra` made-up entities in the registry."""
    config, _ = load_config(site)
    sources = find_sources(site, config)
    own = [e for s in sources.entities if (e := parse_entity(s)[0]) is not None]
    registry = Registry(own + made_up(extra))
    articles = [a for s in sources.articles if (a := parse_article(s, config)[0]) is not None]
    annotate(articles[0], registry, auto=config.auto_annotate)  # patterns compiled untimed
    best = float("inf")
    for _ in range(rounds):
        began = time.perf_counter()
        for article in articles:
            annotate(article, registry, auto=config.auto_annotate)
        best = min(best, time.perf_counter() - began)
    return len(articles) / best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="articles")
    parser.add_argument("--sizes", default="0,1000,5000", help="made-up entities to add")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="broadsheet-registry-") as folder:
        corpus.generate(args.n, Path(folder), seed=1)
        site = Path(folder) / "broadsheet"
        for size in (int(s) for s in args.sizes.split(",")):
            per_second = rate(site, size, args.rounds)
            print(f"registry + {size:>6,} entities: {per_second:7.0f} articles/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
