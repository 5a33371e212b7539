"""Profile a whole build with py-spy, workers included, and print where its time goes.

    python bench/profile.py SITE [--out OUT] [--warm] [--rate 100] [--top 25] [--jobs N]

Installs py-spy from PyPI when missing. By default the build is cold: the site's cache
and the output folder are removed first (the output defaults to a temporary folder).
py-spy samples the build and every process it forks (`--subprocesses`), only while
they run on a processor, so a sample is processor time wherever it was spent. The
report gives the processor seconds of each part of the build (the stages, and what
parsing, annotating and making pages spend), then the functions that hold the most
samples, both on their own (self) and with what they call (total).

The raw stacks are kept (`--raw FILE`) for a flame graph.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

FRAME = re.compile(r"^(?P<name>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")

# The parts of a build, by a function on the stack: the first rule whose function is
# found, from the leaf up, names the part; `within` narrows it to a stage's own calls.
STAGES = (
    ("_parsed_and_annotated", "articles"),
    ("_make_one", "pages"),
    ("Plan.__getitem__", "pages: jobs and their keys"),
    ("build_index", "index"),
    ("plan", "plan"),
    ("Staging.commit", "commit"),
    ("save_manifest", "manifest"),
)
WITHIN = {
    "articles": (
        ("annotate", "annotating"),
        ("parse_markdown", "Markdown"),
        ("parse_article", "parsing, but Markdown"),
        ("DiskCache.put", "caching"),
    ),
    "pages": (
        ("PageJob.make_view", "views"),
        ("render_page", "drawing"),
        ("Staging.write", "writing"),
        ("Staging.write_parts", "writing"),
        ("_view_print", "prints of views"),
        ("digest", "digests"),
    ),
}


def ensure_py_spy() -> str:
    found = shutil.which("py-spy") or _beside_python("py-spy")
    if found:
        return found
    print("installing py-spy from PyPI", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "py-spy"], check=True)
    importlib.invalidate_caches()
    found = shutil.which("py-spy") or _beside_python("py-spy")
    if not found:
        sys.exit("py-spy was installed but its program cannot be found")
    return found


def _beside_python(name: str) -> str | None:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.is_file() else None


def record(site: Path, out: Path, raw: Path, rate: int, jobs: int | None) -> None:
    build = [sys.executable, "-m", "generator", "build", "--site", str(site), "--out", str(out),
             "--quiet", *(["--jobs", str(jobs)] if jobs else [])]
    spy = [ensure_py_spy(), "record", "--subprocesses", "--format", "raw", "--rate", str(rate),
           "--output", str(raw), "--", *build]
    done = subprocess.run(spy, cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0 or not raw.is_file():
        sys.exit(f"py-spy failed (exit {done.returncode}); it needs leave to trace processes")


def stacks(lines: Iterable[str]) -> Iterable[tuple[list[tuple[str, str]], int]]:
    """Each sampled stack, root first, as (function, file) pairs, with its count."""
    for line in lines:
        frames, _, count = line.rstrip("\n").rpartition(" ")
        if not frames or not count.isdigit():
            continue
        parsed = []
        for frame in frames.split(";"):
            if frame.startswith("process "):  # which process: not a function
                continue
            found = FRAME.match(frame)
            parsed.append((found["name"], found["file"]) if found else (frame, ""))
        yield parsed, int(count)


def part_of(stack: list[tuple[str, str]]) -> str:
    names = [name for name, _ in reversed(stack)]  # the leaf first
    for function, stage in STAGES:
        if (at := _find(names, function)) is not None:
            for inner, part in WITHIN.get(stage, ()):
                if _find(names[:at], inner) is not None:
                    return f"{stage}: {part}"
            return f"{stage}: other" if stage in WITHIN else stage
    return "other (start-up, sources, comparisons)"


def _find(names: list[str], function: str) -> int | None:
    """Where `function` (a method by its own name or Class.name) is in `names`."""
    for at, name in enumerate(names):
        if name == function or name.endswith(f".{function}"):
            return at
    return None


def report(raw: Path, rate: int, top: int, within: str = "") -> str:
    """The parts' table, then the functions with the most samples (in the parts whose
    names start with `within`, if given); functions on the stack of nearly every
    sample (the command line, the build, the workers' loop) are left out."""
    parts: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = chosen = 0
    with raw.open(encoding="utf-8", errors="replace") as stream:
        for stack, count in stacks(stream):
            if not stack:
                continue
            samples += count
            part = part_of(stack)
            parts[part] += count
            if not part.startswith(within):
                continue
            chosen += count
            name, file = stack[-1]
            own[f"{name} ({file})"] += count
            for function in {f"{n} ({f})" for n, f in stack}:
                total[function] += count
    if not samples:
        return "no samples\n"

    def seconds(count: int) -> str:
        return f"{count / rate:.1f}"

    def share(count: int, whole: int = samples) -> str:
        return f"{100 * count / whole:.1f}%"

    lines = [f"{samples:,} samples at {rate}/s: {samples / rate:.1f} s of processor time", ""]
    lines += ["| part of the build | processor s | share |", "|---|--:|--:|"]
    lines += [f"| {p} | {seconds(c)} | {share(c)} |" for p, c in sorted(parts.items())]
    if within:
        lines += ["", f"Below: the {seconds(chosen)} s of the parts named {within}*."]
    for title, counter in (("self", own), ("total", total)):
        lines += ["", f"| function ({title}) | processor s | share |", "|---|--:|--:|"]
        shown = (f for f in counter.most_common() if f[1] < 0.9 * chosen)
        for function, count in itertools.islice(shown, top):
            lines.append(f"| `{function}` | {seconds(count)} | {share(count, chosen)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, nargs="?", help="the site to build")
    parser.add_argument("--out", type=Path, help="output folder (default: a temporary one)")
    parser.add_argument("--warm", action="store_true", help="keep the cache and the output")
    parser.add_argument("--rate", type=int, default=100, help="samples a second (default 100)")
    parser.add_argument("--top", type=int, default=25, help="functions listed (default 25)")
    parser.add_argument("--jobs", type=int, default=None, help="Broadsheet --jobs")
    parser.add_argument("--raw", type=Path, help="keep py-spy's stacks in this file")
    parser.add_argument("--part", default="", help="list the functions of this part only")
    parser.add_argument("--report", type=Path, help="report on stacks kept by --raw, no build")
    args = parser.parse_args(argv)
    if args.report:
        print(report(args.report, args.rate, args.top, args.part))
        return 0
    if args.site is None:
        parser.error("name a site to build, or --report a file of stacks")
    site = args.site.resolve()
    with tempfile.TemporaryDirectory(prefix="broadsheet-profile-") as scratch:
        out = (args.out or Path(scratch) / "out").resolve()
        if not args.warm:
            shutil.rmtree(site / ".broadsheet-cache", ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
        raw = args.raw or Path(scratch) / "stacks.txt"
        record(site, out, raw, args.rate, args.jobs)
        print(report(raw, args.rate, args.top, args.part))
    return 0


if __name__ == "__main__":
    sys.exit(main())
