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
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import Any

from generator import __version__
from generator.annotate import ANNOTATOR_VERSION

CACHE_DIR = ".broadsheet-cache"
# What the entries hold, raised whenever that changes: since 4, annotated articles
# without their texts, their shared names interned when unpickled; since 5, their
# mentions as model.Spans; since 6, in one SQLite file instead of a file each; since
# 7, Markdown bodies rendered but for their marks (body.Skeleton), as kind "body";
# since 8, templates compiled to print values without Markup (render._CodeGenerator);
# since 9, a table with row ids, its (kind, key) indexed: values of several KB are
# written in two thirds of the time and read in a third (SQLite keeps a row without
# a row id whole in its key's tree); since 10, quotes and article entities made by
# a function of their own (model._restorer); since 11, Markdown read to 100 levels of
# nesting, not 20 (body.MAX_NESTING), so bodies cut short before are read again.
LAYOUT = 11
FORMAT = f"broadsheet {__version__} annotator {ANNOTATOR_VERSION} pickle 5 layout {LAYOUT}\n"
DATABASE = "results.sqlite3"

# Connections this process inherited from the one that forked it. Never used and never
# closed here: closing a file that SQLite locks drops the locks this process holds
# on it, those of its own connection too.
_INHERITED: list[sqlite3.Connection] = []


class DiskCache:
    """Pickled results by kind and key, in one SQLite file of the cache folder; every
    failure just means a miss.

    One file, not a file per result: a build stores two results per article, and
    creating a file costs this kind of disk 0.2-1 ms of kernel time, a third of the
    time of parsing and annotating an article. Writes from the processes of one
    build take turns (SQLite's write-ahead log); reads never wait for them."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._lock = threading.Lock()  # `serve` builds on a thread of its own
        self._db: tuple[int, sqlite3.Connection] | None = None
        self._broken = False  # the file cannot be used: no cache in this process
        if folder is not None:
            self._open(folder)

    def __getstate__(self) -> dict[str, Any]:
        """For a pool's workers: the folder, not this process's connection and lock."""
        return {"folder": self.folder, "broken": self._broken}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.folder, self._broken = state["folder"], state["broken"]
        self._lock, self._db = threading.Lock(), None

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
            _remove_database(folder)
            (folder / ".gitignore").write_text("# made by broadsheet\n*\n")
            stamp.write_text(FORMAT)

    def get(self, kind: str, key: str) -> Any | None:
        row = self._run("SELECT value FROM results WHERE kind = ? AND key = ?", (kind, key))
        if row is None:
            return None
        try:
            return pickle.loads(row[0])
        except Exception:  # truncated or foreign: recompute
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        if self.folder is None or self._broken:
            return
        try:
            data = pickle.dumps(value, protocol=5)
        except (pickle.PicklingError, RecursionError, TypeError, AttributeError):
            return
        self._run("INSERT OR REPLACE INTO results VALUES (?, ?, ?)", (kind, key, data))

    def close(self) -> None:
        """Let go of the file, before this process forks: a connection must not be
        shared with a child. The next use opens it again."""
        with self._lock:
            self._drop()

    def _run(self, statement: str, values: tuple[Any, ...]) -> Any:
        """One statement, its first row; None on any failure. A file that is not a
        database (damaged, or something else) is removed and made afresh, once."""
        if self.folder is None or self._broken:
            return None
        with self._lock:
            for _ in range(2):
                try:
                    return self._connection().execute(statement, values).fetchone()
                except sqlite3.Error as exc:
                    self._drop()
                    if type(exc) is not sqlite3.DatabaseError:  # locked, unwritable, gone
                        return None
                    if not _remove_database(self.folder):  # not a database, or damaged
                        break
            self._broken = True
        return None

    def _connection(self) -> sqlite3.Connection:
        pid = os.getpid()
        if self._db is not None and self._db[0] != pid:
            _INHERITED.append(self._db[1])
            self._db = None
        if self._db is None:
            assert self.folder is not None
            if not self.folder.is_dir():  # deleted since: as a new process would
                self._open(self.folder)
            self._db = (pid, _connect(self.folder / DATABASE))
        return self._db[1]

    def _drop(self) -> None:
        """Close this process's connection, if it has one; forget any."""
        if self._db is not None and self._db[0] == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._db[1].close()
        self._db = None


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")  # stays in the default mode where unsupported
    db.execute("PRAGMA synchronous=OFF")  # a cache: what a crash loses is made again
    db.execute(
        "CREATE TABLE IF NOT EXISTS results (kind TEXT NOT NULL, key TEXT NOT NULL, "
        "value BLOB NOT NULL, UNIQUE (kind, key))"
    )
    return db


def _remove_database(folder: Path | None) -> bool:
    """Remove the database and its journals; False if one of them is still there."""
    if folder is None:
        return False
    for name in (DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm", f"{DATABASE}-journal"):
        try:
            (folder / name).unlink(missing_ok=True)
        except OSError:
            return False
    return True


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
