"""Publish: a production build, verified, then deployed to a folder, a git branch or
an S3 bucket. A failed build or a failed check deploys nothing."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.build import Builder, Options
from generator.cache import CACHE_DIR
from generator.config import Config, load_config
from generator.model import BuildResult, Diagnostic
from generator.verify import verify_site
from generator.write import MARKER


@dataclass(slots=True)
class Production:
    """A production build in a temporary folder, and what its checks found."""

    result: BuildResult
    output: Path
    config: Config
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.result.errors and not self.problems


@contextmanager
def production(site: Path, base_url: str | None, search: bool = True) -> Iterator[Production]:
    """Build for the public (no drafts, absolute URLs from base_url), index it for
    search and verify it; the temporary output is removed afterwards."""
    overrides = {"base_url": base_url} if base_url else None
    config, _ = load_config(site, overrides)
    with tempfile.TemporaryDirectory(prefix="broadsheet-publish-") as folder:
        output = Path(folder) / "site"
        options = Options(out=output, drafts=False, overrides=overrides, search=search)
        result = Builder(site, options).build()
        built = Production(result, output, config)
        if not result.errors:
            if search:
                built.problems += index_search(output, site / CACHE_DIR / "search")
            built.problems += verify_site(output, config)
        yield built


def _pages_digest(output: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(output.rglob("*.html")):
        digest.update(path.relative_to(output).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def index_search(output: Path, cache: Path | None = None) -> list[Diagnostic]:
    """Run Pagefind over the built pages, writing its index to /pagefind/.

    Pagefind's filter files are not byte-stable from run to run, so the index of the
    same pages is kept in the site's cache and reused: publishing unchanged content
    twice deploys identical bytes."""
    key = _pages_digest(output)
    cached = cache / key if cache else None
    if cached is not None and (cached / "pagefind-ui.js").is_file():
        shutil.copytree(cached, output / "pagefind")
        return []
    problems = _run_pagefind(output)
    if not problems and cache is not None:
        shutil.rmtree(cache, ignore_errors=True)  # keep only the latest index
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            shutil.copytree(output / "pagefind", cache / key)
            # Like .pytest_cache: the cache ignores itself, so git never shows it.
            (cache.parent / ".gitignore").write_text("# made by broadsheet\n*\n")
    return problems


def _run_pagefind(output: Path) -> list[Diagnostic]:
    if importlib.util.find_spec("pagefind") is None:
        return [
            Diagnostic(
                "warning",
                "search",
                None,
                "search index not built: install broadsheet[search] (Pagefind)",
            )
        ]
    done = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(output), "--silent"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not (output / "pagefind" / "pagefind-ui.js").is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()
        return [
            Diagnostic(
                "error",
                "search",
                None,
                "Pagefind failed: " + (detail[-1] if detail else "no index made"),
            )
        ]
    return []


def publishable_files(output: Path) -> dict[str, Path]:
    """Every file to deploy, by its path in the site; the build marker stays behind."""
    return {
        p.relative_to(output).as_posix(): p
        for p in sorted(output.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def sync_folder(output: Path, target: Path, dry_run: bool) -> tuple[list[str], list[str]]:
    """Make `target` an exact copy of `output`; only changed files are copied."""
    if target.exists() and not target.is_dir():
        raise PublishError(f"{target} is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise PublishError(f"{target} is not empty and was not published by Broadsheet")
    files = publishable_files(output)
    existing = (
        {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
        if target.is_dir()
        else set()
    )
    existing.discard(MARKER)
    changed = [
        name
        for name, path in files.items()
        if name not in existing or (target / name).read_bytes() != path.read_bytes()
    ]
    stale = sorted(existing - set(files))
    if dry_run:
        return changed, stale
    target.mkdir(parents=True, exist_ok=True)
    (target / MARKER).write_text("Published by Broadsheet; synced whole by each publish.\n")
    for name in changed:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        temporary = destination.with_name(f".{destination.name}.tmp")
        shutil.copyfile(files[name], temporary)
        temporary.replace(destination)
    for name in stale:
        (target / name).unlink()
    for folder in sorted((p for p in target.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return changed, stale


class PublishError(Exception):
    """The deployment could not be done; nothing, or nothing more, was changed."""
