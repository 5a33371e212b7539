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
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.cache import key, write_pickle
from generator.model import Diagnostic
from generator.quick import QuickState
from generator.sources import Known
from generator.write import output_build_id

KEEP = 4  # manifests of this many output folders are kept in the cache
FORMAT = 7  # in the file name: a manifest of another layout is never read
SHARDS = 64  # the entries are kept in this many pickles, so that one edit opens only one

Entry = tuple[str, str, str]  # (key, print, digest): see depends.py and build.py
Stored = bytes | Entry  # an Entry as a manifest holds it: see `pack_entry`


def pack_entry(entry: Entry) -> Stored:
    """An Entry in at most 49 bytes: a byte saying which of its parts are there, then
    each part that is, 32 hex digits as 16 bytes. A file's Entry is 230 bytes as three
    strings, and there are 1.7 million at 100,000 articles. An Entry with another part
    (a static file's stamp) is kept as it is."""
    flags, raw = 0, []
    for bit, part in zip((1, 2, 4), entry, strict=True):
        if part:
            try:
                value = bytes.fromhex(part)
            except ValueError:
                return entry
            if len(value) != 16 or value.hex() != part:
                return entry
            flags |= bit
            raw.append(value)
    return _FLAGS[flags] + b"".join(raw)


_FLAGS = [bytes((flags,)) for flags in range(8)]


def unpack_entry(stored: Stored) -> Entry:
    if isinstance(stored, tuple):
        return stored
    flags, at, parts = stored[0], 1, []
    for bit in (1, 2, 4):
        if flags & bit:
            parts.append(stored[at : at + 16].hex())
            at += 16
        else:
            parts.append("")
    return parts[0], parts[1], parts[2]


def same_key(stored: Stored, key: str) -> bool:
    """Whether a stored Entry's key is `key` (not ""), without unpacking it."""
    if isinstance(stored, tuple):
        return bool(key) and stored[0] == key
    if not key or not stored[0] & 1:
        return False
    try:
        return stored[1:17] == bytes.fromhex(key)
    except ValueError:
        return False


@dataclass(slots=True)
class Manifest:
    output: str  # the resolved output folder
    build_id: str
    inputs: str  # print of every input; equal prints make the same output
    due: float | None = None  # when the next scheduled article falls due (epoch seconds)
    pages: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)
    scheduled: list[str] = field(default_factory=list)
    files: dict[str, Stored] = field(default_factory=dict)  # output path -> its Entry, packed
    sources: Known = field(default_factory=dict)  # what the article files were then
    # `files` as read from disk, in shards, each unpickled when first needed (`opened`)
    packed: list[bytes] | None = None
    opened: dict[int, dict[str, Stored]] = field(default_factory=dict)
    quick: QuickState | None = None  # for the next build to redo a body edit alone
    # article path -> what all its quote pages' keys were made from (PageKeys.quote_pages)
    quote_pages: dict[str, str] = field(default_factory=dict)

    def entries(self) -> dict[str, Stored]:
        """Output path -> packed Entry of every file of the output. A build that finds
        nothing changed never needs them: at 100,000 articles they are 1.7 million."""
        if self.packed is not None:
            files: dict[str, Stored] = {}
            for number, shard in enumerate(self.packed):
                files.update(self.opened.get(number) or pickle.loads(shard))
            self.files, self.packed, self.opened = files, None, {}
        return self.files

    def get(self, output: str) -> Entry | None:
        """One file's Entry, opening only its shard."""
        stored = self.stored(output)
        return None if stored is None else unpack_entry(stored)

    def stored(self, output: str) -> Stored | None:
        """One file's Entry as held, opening only its shard."""
        if self.packed is None:
            return self.files.get(output)
        return self._shard(output).get(output)

    def update(self, made: dict[str, Stored]) -> None:
        """Record these files' new Entries."""
        if self.packed is None:
            self.files.update(made)
            return
        for output, entry in made.items():
            self._shard(output)[output] = entry

    def _shard(self, output: str) -> dict[str, Stored]:
        number = _shard(output)
        if number not in self.opened:
            self.opened[number] = pickle.loads(self.packed[number]) if self.packed else {}
        return self.opened[number]

    def pack(self) -> list[bytes]:
        """The entries in shards, as saved: shards never opened are kept as they were
        read. Empties `files`, one shard at a time: the entries and their pickles are
        never all held at once (200 MB each at 100,000 articles)."""
        if self.packed is not None:
            return [
                _pickle(self.opened[number]) if number in self.opened else shard
                for number, shard in enumerate(self.packed)
            ]
        outputs: list[list[str]] = [[] for _ in range(SHARDS)]
        for output in self.files:
            outputs[_shard(output)].append(output)
        files, self.files = self.files, {}
        return [_pickle({output: files.pop(output) for output in shard}) for shard in outputs]

    def matches(self, output: Path) -> bool:
        """True while the output folder is exactly what this manifest describes."""
        return self.output == str(output.resolve()) and output_build_id(output) == self.build_id


def _shard(output: str) -> int:
    return zlib.crc32(output.encode("utf-8", "surrogatepass")) % SHARDS


def _pickle(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


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
    shards = manifest.pack()
    # Kept packed in memory too (`serve`): the next save pickles only the shards opened.
    manifest.files, manifest.packed, manifest.opened = {}, shards, {}
    if not write_pickle(path, replace(manifest, files={}, packed=shards, opened={})):
        return
    with contextlib.suppress(OSError):  # keep the newest few
        older = sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for stale in older[:-KEEP]:
            stale.unlink(missing_ok=True)
