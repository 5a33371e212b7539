"""Manifest: what the last build wrote, so the next one (in a new process too) redoes
only what changed.

It records, for one output folder, each file's fingerprint (what the page was made
from) and digest (its bytes), plus a print of every input. The output's marker names
the build that made it; a manifest is trusted only while the two agree, so an output
changed by anyone else, or an update that did not finish, means a full build.
"""

from __future__ import annotations

import contextlib
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.cache import key, write_pickle
from generator.model import Diagnostic
from generator.quick import QuickState
from generator.sources import Known
from generator.write import output_build_id

KEEP = 4  # manifests of this many output folders are kept in the cache
FORMAT = 4  # in the file name: a manifest of another layout is never read


@dataclass(slots=True)
class Manifest:
    output: str  # the resolved output folder
    build_id: str
    inputs: str  # print of every input; equal prints make the same output
    due: float | None = None  # when the next scheduled article falls due (epoch seconds)
    pages: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)
    scheduled: list[str] = field(default_factory=list)
    # output path -> (key, print, digest): see depends.py and build.py; use entries()
    files: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    sources: Known = field(default_factory=dict)  # what the article files were then
    packed: bytes | None = None  # `files` as read from disk, unpickled when first needed
    quick: QuickState | None = None  # for the next build to redo a body edit alone

    def entries(self) -> dict[str, tuple[str, str, str]]:
        """Output path -> (key, print, digest) of every file of the output. A build
        that finds nothing changed never needs them: at 100,000 articles they are
        1.7 million entries."""
        if self.packed is not None:
            self.files, self.packed = pickle.loads(self.packed), None
        return self.files

    def matches(self, output: Path) -> bool:
        """True while the output folder is exactly what this manifest describes."""
        return self.output == str(output.resolve()) and output_build_id(output) == self.build_id


def manifest_path(cache: Path, output: Path) -> Path:
    return cache / "manifests" / f"{key(str(output.resolve()))}-{FORMAT}.pickle"


def load_manifest(cache: Path | None, output: Path) -> Manifest | None:
    if cache is None:
        return None
    try:
        with manifest_path(cache, output).open("rb") as stream:
            manifest = pickle.load(stream)
    except Exception:  # missing, damaged or another version's: build everything
        return None
    return manifest if isinstance(manifest, Manifest) and manifest.matches(output) else None


def save_manifest(cache: Path | None, manifest: Manifest) -> None:
    if cache is None:
        return
    path = manifest_path(cache, Path(manifest.output))
    packed = pickle.dumps(manifest.entries(), protocol=pickle.HIGHEST_PROTOCOL)
    if not write_pickle(path, replace(manifest, files={}, packed=packed)):
        return
    with contextlib.suppress(OSError):  # keep the newest few
        older = sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for stale in older[:-KEEP]:
            stale.unlink(missing_ok=True)
