"""Cache: parse and annotate results on disk, so a new process redoes only what changed.

Keys hash everything a result depends on (the file's path and text, the config, the
registry, the versions of Broadsheet and its extractor). The folder can be deleted
at any time; a cache written by another version is ignored, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any

from generator import __version__
from generator.annotate import ANNOTATOR_VERSION

CACHE_DIR = ".broadsheet-cache"
# What the entries hold, raised whenever that changes: since 4, annotated articles
# without their texts, their shared names interned by model._restored; since 5, their
# mentions as model.Spans.
LAYOUT = 5
FORMAT = f"broadsheet {__version__} annotator {ANNOTATOR_VERSION} pickle 5 layout {LAYOUT}\n"


class DiskCache:
    """A folder of pickled results by key; every failure just means a miss."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        if folder is not None:
            self._open(folder)

    def _open(self, folder: Path) -> None:
        stamp = folder / "VERSION"
        try:
            if stamp.read_text() == FORMAT:
                return
        except (OSError, UnicodeDecodeError):
            pass
        with contextlib.suppress(OSError):  # another version's cache: start afresh
            folder.mkdir(parents=True, exist_ok=True)
            for entry in folder.iterdir():
                if entry.is_dir() and entry.name != "search":
                    shutil.rmtree(entry, ignore_errors=True)
            (folder / ".gitignore").write_text("# made by broadsheet\n*\n")
            stamp.write_text(FORMAT)

    def _path(self, kind: str, key: str) -> Path | None:
        return None if self.folder is None else self.folder / kind / key[:2] / f"{key}.pickle"

    def get(self, kind: str, key: str) -> Any | None:
        path = self._path(kind, key)
        if path is None:
            return None
        try:
            with path.open("rb") as stream:
                stored_key, value = pickle.load(stream)
        except Exception:  # missing, truncated or foreign: recompute
            return None
        return value if stored_key == key else None

    def put(self, kind: str, key: str, value: Any) -> None:
        path = self._path(kind, key)
        if path is None:
            return
        write_pickle(path, (key, value))


def write_pickle(path: Path, value: Any) -> bool:
    """Pickle `value` to `path` atomically; False (and nothing written) if it cannot be:
    a cache that cannot be written is only a slower next build."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=5)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError, RecursionError):
        Path(temporary).unlink(missing_ok=True)
        return False
    return True


def key(*parts: str) -> str:
    return hashlib.blake2b(
        "\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20
    ).hexdigest()
