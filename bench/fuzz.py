"""Fuzzing by hand: front matter parsing and annotation at scale, failures counted.

Run from the repository root:

    python bench/fuzz.py --examples 20000 --target frontmatter|annotate|all
    python bench/fuzz.py --engine atheris --examples 200000 --target frontmatter

Two engines. `hypothesis` (the default) draws structured input with the generators
of tests/test_properties.py: YAML and TOML heads with every field of every type,
news-like text full of quotation marks. `atheris` (`pip install atheris`), coverage
guided, mutates raw bytes from a seed corpus of the sample archive's articles. Both
check the same properties as the tests; a failure is any exception other than a
front matter error, or a property that does not hold. Each distinct failure is
printed once, with the smallest input that showed it; the run never stops early.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

TARGETS = ("frontmatter", "annotate")


@dataclass
class Tally:
    """Examples run, failures found (by kind, with the smallest input) and the slowest."""

    target: str
    examples: int = 0
    failures: int = 0
    kinds: dict[str, str] = field(default_factory=dict)
    slowest: float = 0.0
    started: float = field(default_factory=time.perf_counter)

    def run(self, check: Callable[[Any], None], value: Any) -> None:
        self.examples += 1
        began = time.perf_counter()
        try:
            check(value)
        except Exception as exc:  # counted and shown, never stopping the run
            self.failures += 1
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            kind = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            shown = repr(value)
            if kind not in self.kinds or len(shown) < len(self.kinds[kind]):
                self.kinds[kind] = shown
        self.slowest = max(self.slowest, time.perf_counter() - began)

    def report(self, width: int = 600) -> str:
        seconds = time.perf_counter() - self.started
        lines = [
            f"{self.target}: {self.examples} examples, {self.failures} failures "
            f"({len(self.kinds)} distinct), {seconds:.1f} s "
            f"({self.examples / max(seconds, 1e-9):.0f}/s), slowest example "
            f"{self.slowest * 1000:.0f} ms"
        ]
        for kind, shown in sorted(self.kinds.items()):
            lines.append(f"  {kind}\n    smallest input: {shown[:width]}")
        return "\n".join(lines)


# --- the properties, shared by both engines ---------------------------------------


def check_frontmatter(source: Any) -> None:
    """Split and read every field; then the whole article: diagnostics only."""
    from test_properties import check_runs

    from generator import frontmatter as fm
    from generator.config import Config
    from generator.parse import ARTICLE_FIELDS, parse_article

    try:
        head = fm.split(source.text)
    except fm.FrontMatterError as exc:
        assert exc.line is None or exc.line >= 1, exc.line
    else:
        assert 0 <= head.body_start <= len(source.text)
        for key in ARTICLE_FIELDS:
            for reader in (fm.text_field, fm.list_field, fm.bool_field, fm.date_field):
                with contextlib.suppress(fm.FrontMatterError):
                    reader(head.data, key)
    if source.sidecar is not None:
        with contextlib.suppress(fm.FrontMatterError):
            fm.load_mapping(source.sidecar, source.sidecar_path)
    article, problems = parse_article(source, Config())
    assert all(p.path in (source.path, source.sidecar_path) for p in problems), problems
    if article is None:
        assert problems, "an article dropped without a diagnostic"
    else:
        check_runs(article)


def check_annotate(case: tuple[Any, Any, bool]) -> None:
    from test_properties import check_annotation

    from generator.annotate import annotate

    article, registry, auto = case
    check_annotation(annotate(article, registry, auto), registry)


CHECKS: dict[str, Callable[[Any], None]] = {
    "frontmatter": check_frontmatter,
    "annotate": check_annotate,
}


# --- Hypothesis at scale -------------------------------------------------------------


def hypothesis_run(target: str, examples: int, seed: int | None) -> Tally:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed
    from hypothesis import strategies as st
    from test_properties import REGISTRY, news_articles, source_files

    from generator.registry import Registry

    tally = Tally(target)
    strategy = (
        source_files()
        if target == "frontmatter"
        else st.tuples(news_articles(), st.sampled_from([Registry(), REGISTRY]), st.booleans())
    )

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # failures are counted here, not shrunk by Hypothesis
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def one(value: Any) -> None:
        tally.run(CHECKS[target], value)

    if seed is not None:
        one = fixed_seed(seed)(one)
    one()
    return tally


# --- Atheris, coverage guided ----------------------------------------------------------


def atheris_run(target: str, examples: int, seed: int | None, width: int) -> None:
    """Never returns: libFuzzer exits the process after `examples` runs."""
    import atheris

    with atheris.instrument_imports():
        import generator.extract
        import generator.frontmatter
        import generator.parse  # noqa: F401
    from test_properties import REGISTRY

    from generator.config import Config
    from generator.model import SourceFile
    from generator.parse import parse_article
    from generator.registry import Registry
    from generator.sources import decode

    tally = Tally(target)
    calls = 0
    corpus = Path(tempfile.mkdtemp(prefix="broadsheet-fuzz-"))

    def annotate_source(source: SourceFile) -> None:
        article, _ = parse_article(source, Config())
        if article is not None:
            registry = REGISTRY if len(source.text) % 2 else Registry()
            check_annotate((article, registry, True))

    def one(data: bytes) -> None:
        nonlocal calls
        calls += 1
        provider = atheris.FuzzedDataProvider(data)
        suffix = (".md", ".txt")[provider.ConsumeIntInRange(0, 1)]
        raw = provider.ConsumeBytes(provider.remaining_bytes())
        # What sources.read_source refuses never reaches the parser.
        refused = b"\0" in raw or raw.startswith((b"\xff\xfe", b"\xfe\xff"))
        with contextlib.suppress(UnicodeDecodeError):
            if not refused:
                source = SourceFile("content/a" + suffix, decode(raw), "d")
                check = check_frontmatter if target == "frontmatter" else annotate_source
                tally.run(check, source)
        if calls == examples:  # libFuzzer exits next, without running Python's atexit
            print(f"{calls} inputs, of which checked:\n{tally.report(width)}", flush=True)
            shutil.rmtree(corpus, ignore_errors=True)

    atexit.register(shutil.rmtree, corpus, True)  # on an interrupted run
    for n, path in enumerate(sorted((ROOT / "content").rglob("*.md"))[:200]):
        shutil.copy(path, corpus / f"seed{n}")
    argv = [sys.argv[0], f"-runs={examples}", "-max_len=8192", "-print_final_stats=1"]
    argv += [f"-seed={seed}"] if seed is not None else []
    argv.append(str(corpus))
    atheris.Setup(argv, one)
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=20000, help="examples per target")
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--engine", choices=["hypothesis", "atheris"], default="hypothesis")
    parser.add_argument("--seed", type=int, default=None, help="seed, for a repeatable run")
    parser.add_argument("--full", action="store_true", help="print failing inputs whole")
    args = parser.parse_args(argv)
    targets = TARGETS if args.target == "all" else (args.target,)
    if args.engine == "atheris":
        if len(targets) != 1:
            parser.error("atheris fuzzes one target per process: pass --target")
        atheris_run(targets[0], args.examples, args.seed, 10**6 if args.full else 600)
    failures = 0
    for target in targets:
        tally = hypothesis_run(target, args.examples, args.seed)
        print(tally.report(10**6 if args.full else 600), flush=True)
        failures += tally.failures
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
