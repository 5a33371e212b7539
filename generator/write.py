"""Write: put rendered pages on disk, all or nothing.

A full build is written into a fresh folder beside the output and swapped in whole,
so a failure at any point leaves the previous output exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath


class WriteError(Exception):
    """The output could not be written; the previous output is untouched."""


def safe_relative(path: str) -> PurePosixPath:
    """An output path that cannot climb out of the output folder."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path or "\0" in path or not pure.parts:
        raise WriteError(f"refusing to write outside the output folder: {path!r}")
    return pure


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


MARKER = ".broadsheet-build"  # marks a folder as Broadsheet's output, safe to replace


def check_output(output: Path, site: Path, inputs: Sequence[Path]) -> None:
    """Refuse an output folder whose replacement would destroy something else, or
    that sits inside a folder the build reads."""
    output, site = output.resolve(), site.resolve()

    def shown(path: Path) -> str:
        return (
            path.relative_to(site).as_posix() or "." if site in (path, *path.parents) else str(path)
        )

    for folder in (site, *(f.resolve() for f in inputs)):
        inside = folder in output.parents and folder != site
        if output == folder or output in folder.parents or inside:
            raise WriteError(
                f"output folder {shown(output)} overlaps {shown(folder)}; choose another"
            )
    if output.exists() and not output.is_dir():
        raise WriteError(f"output {output} exists and is not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise WriteError(
            f"output folder {output} is not empty and was not made by Broadsheet; "
            "empty it or choose another"
        )


def write_site(
    output: Path, pages: Mapping[str, bytes], static: Mapping[str, Path]
) -> dict[str, str]:
    """Replace `output` with exactly `pages` and `static` (output path -> bytes or file).

    Returns the digest of every file written, for a later `update_site`.
    """
    output = output.resolve()
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    except OSError as exc:
        raise WriteError(f"cannot write {output}: {exc.strerror or exc}") from exc
    try:
        (staging / MARKER).write_text("Made by Broadsheet; replaced whole by each build.\n")
        contents: dict[str, bytes] = {rel: source.read_bytes() for rel, source in static.items()}
        contents.update(pages)
        targets = {rel: staging / safe_relative(rel) for rel in contents}
        _make_folders({t.parent for t in targets.values()}, staging)
        # Creating files is slow on some file systems and releases the GIL: use threads.
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            list(pool.map(lambda rel: targets[rel].write_bytes(contents[rel]), contents))
        written = {rel: digest(data) for rel, data in contents.items()}
        os.chmod(staging, 0o755)
        _swap(staging, output)
        return written
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise WriteError(f"cannot write {output}: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


WRITERS = 8


def _make_folders(folders: set[Path], root: Path) -> None:
    """mkdir every folder, parents first, each depth level in parallel."""
    every = set()
    for folder in folders:
        while folder != root and folder not in every:
            every.add(folder)
            folder = folder.parent
    by_depth: dict[int, list[Path]] = {}
    for folder in every:
        by_depth.setdefault(len(folder.parts), []).append(folder)
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        for depth in sorted(by_depth):
            list(pool.map(lambda f: f.mkdir(exist_ok=True), by_depth[depth]))


def _remove(folder: Path) -> None:
    """Delete a whole folder, its top-level entries in parallel."""
    entries = list(folder.iterdir())
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(
            pool.map(
                lambda p: (
                    shutil.rmtree(p, ignore_errors=True)
                    if p.is_dir() and not p.is_symlink()
                    else p.unlink(missing_ok=True)
                ),
                entries,
            )
        )
    shutil.rmtree(folder, ignore_errors=True)


def update_site(
    output: Path,
    pages: Mapping[str, bytes],
    static: Mapping[str, Path],
    previous: Mapping[str, str],
) -> tuple[list[str], list[str], dict[str, str]]:
    """Write only the files whose bytes changed, and delete those no longer made.

    `previous` is what the last write left (path -> digest). Each file is replaced
    atomically, so a reader never sees half a file. Returns (written, deleted, now).
    """
    contents: dict[str, bytes] = dict(pages)
    for rel, source in static.items():
        try:
            contents[rel] = source.read_bytes()
        except OSError as exc:
            raise WriteError(f"cannot read {source}: {exc.strerror or exc}") from exc
    now = {rel: digest(data) for rel, data in contents.items()}
    changed = sorted(rel for rel, value in now.items() if previous.get(rel) != value)
    deleted = sorted(set(previous) - set(now))
    if not (output / MARKER).is_file():
        raise WriteError(f"output folder {output} is no longer Broadsheet's")
    try:
        for rel in changed:
            _replace(output / safe_relative(rel), contents[rel])
        for rel in deleted:
            target = output / safe_relative(rel)
            target.unlink(missing_ok=True)
            _prune_empty(target.parent, output)
    except OSError as exc:
        raise WriteError(f"cannot write {output}: {exc.strerror or exc}") from exc
    return changed, deleted, now


def _replace(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        staging.rename(output)
        return
    if not output.is_dir():
        raise WriteError(f"output {output} exists and is not a folder")
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    retired.rmdir()
    output.rename(retired)
    try:
        staging.rename(output)
    except OSError:
        retired.rename(output)
        raise
    _remove(retired)
