"""Write: put rendered pages on disk, all or nothing.

Pages are written into a staging folder beside the output. A full build's staging
folder is swapped in whole; an update moves in only the files that changed. Either
way a failure while pages are made leaves the previous output exactly as it was.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath


class WriteError(Exception):
    """The output could not be written; the previous output is untouched."""


def safe_relative(path: str) -> PurePosixPath:
    """An output path that cannot climb out of the output folder."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path or "\0" in path or not pure.parts:
        raise WriteError(f"refusing to write outside the output folder: {path!r}")
    return pure


def _plain(path: str) -> bool:
    """Whether `path` is already what safe_relative would make of it: relative, each
    part a name (no "", "." or ".."), no backslash or NUL. Such a path is safe and
    needs no PurePosixPath; any other goes through safe_relative."""
    if "\\" in path or "\0" in path:
        return False
    parts = path.split("/")
    return "" not in parts and "." not in parts and ".." not in parts


def _normalised(rel: str) -> str:
    """`rel` as safe_relative makes it; the common plain path as it is, without a
    PurePosixPath (166,000 pages)."""
    return rel if _plain(rel) else str(safe_relative(rel))


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


FOLDERS_KEPT = 1024
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


class Staging:
    """The files of one build, written beside the output and moved in only when every
    page was made: a failure at any point leaves the previous output as it was.

    A full build writes every file and swaps the whole folder in; an update writes only
    the files whose bytes changed and moves each into place. Forked workers may write
    into the same staging folder.
    """

    def __init__(self, output: Path, full: bool) -> None:
        self.output = output.resolve()
        self.full = full
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            self.root = Path(
                tempfile.mkdtemp(prefix=f".{self.output.name}.new-", dir=self.output.parent)
            )
        except OSError as exc:
            raise self._error(exc) from exc
        # Folders made already, relative to the root: the latest ones, not all of them
        # (most pages have a folder of their own; a folder made again costs a call).
        self._folders: set[str] = {""}
        self._prefix = f"{self.root}{os.sep}"  # strings, not Paths: 166,000 pages

    def write(self, rel: str, data: bytes) -> None:
        """Write one file; raises WriteError."""
        path = self._place(rel)
        try:
            _write_file(path, data)
        except OSError as exc:
            raise self._error(exc) from exc

    def write_parts(self, rel: str, parts: Iterable[bytes]) -> str:
        """Write one file from its parts as they are made, and return the digest of its
        bytes; raises WriteError, or whatever making a part raised (the file is then
        removed)."""
        path = self._place(rel)
        hasher = hashlib.blake2b(digest_size=16)
        try:
            fd = os.open(path, _NEW_FILE, 0o666)
        except OSError as exc:
            raise self._error(exc) from exc
        try:
            try:
                for part in parts:  # made here: what making it raises is not a write error
                    hasher.update(part)
                    try:
                        _write_all(fd, part)
                    except OSError as exc:
                        raise self._error(exc) from exc
            finally:
                try:
                    os.close(fd)
                except OSError as exc:
                    raise self._error(exc) from exc
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise
        return hasher.hexdigest()

    def drop(self, rel: str) -> None:
        """Forget a file written here after all, its bytes being what the output has
        already: only an update, which moves in what changed, can leave one out."""
        if self.full:
            raise WriteError("a full build's files are all moved in")
        with contextlib.suppress(OSError):
            os.unlink(f"{self._prefix}{_normalised(rel)}")

    def _error(self, exc: OSError) -> WriteError:
        return WriteError(f"cannot write {self.output}: {exc.strerror or exc}")

    def _place(self, rel: str) -> str:
        """The staged path of `rel`, its folder made."""
        rel = _normalised(rel)
        folder = rel.rpartition("/")[0]
        if folder not in self._folders:
            try:
                _make_folder(f"{self._prefix}{folder}")
            except OSError as exc:
                raise self._error(exc) from exc
            if len(self._folders) >= FOLDERS_KEPT:
                self._folders = {""}
            self._folders.add(folder)
        return f"{self._prefix}{rel}"

    def commit(self, written: Sequence[str], deleted: Sequence[str], build_id: str) -> None:
        """Put the staged files in place and mark the output with `build_id`."""
        try:
            if self.full:
                (self.root / MARKER).write_text(marker_text(build_id))
                os.chmod(self.root, 0o755)
                _swap(self.root, self.output)
                return
            if not (self.output / MARKER).is_file():
                raise WriteError(f"output folder {self.output} is no longer Broadsheet's")
            # Until the update is whole, the output matches no build record.
            (self.output / MARKER).write_text(marker_text("updating"))
            into, folders = f"{self.output}{os.sep}", {""}
            for rel in written:  # every page, when a template changed
                rel = _normalised(rel)
                folder = rel.rpartition("/")[0]
                if folder not in folders:
                    _make_folder(f"{into}{folder}")
                    folders.add(folder)
                os.replace(f"{self._prefix}{rel}", f"{into}{rel}")
            for rel in deleted:
                target = self.output / safe_relative(rel)
                target.unlink(missing_ok=True)
                _prune_empty(target.parent, self.output)
            (self.output / MARKER).write_text(marker_text(build_id))
        except OSError as exc:
            raise self._error(exc) from exc
        finally:
            self.discard()

    def discard(self) -> None:
        if self.root.is_dir():
            _remove(self.root)


def marker_text(build_id: str) -> str:
    return f"Made by Broadsheet; replaced whole by each build.\nbuild {build_id}\n"


def output_build_id(output: Path) -> str | None:
    """The id of the build that made `output`, if it is whole and Broadsheet's."""
    try:
        text = (output / MARKER).read_text()
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        if line.startswith("build ") and line != "build updating":
            return line[6:]
    return None


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
    # Any left by a removal that was cut short go too.
    for old in output.parent.glob(f".{glob.escape(output.name)}.old-*"):
        _remove_later(old)


def _remove_later(folder: Path) -> None:
    """Remove a retired output folder in the background: the new one is in place, and
    deleting an archive's (hundreds of thousands of files) took minutes on a busy disk."""
    rm = shutil.which("rm") if os.name == "posix" else None
    if rm is None:
        _remove(folder)
        return
    try:
        subprocess.Popen(
            [rm, "-rf", "--", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not stopped by the terminal's Ctrl-C
        )
    except OSError:
        _remove(folder)


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def _write_file(path: str, data: bytes) -> None:
    """Path.write_bytes without the file object: the same 0o666 & ~umask mode."""
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _make_folder(folder: str) -> None:
    """Path.mkdir(parents=True, exist_ok=True), one call when the parent exists."""
    try:
        os.mkdir(folder)
    except (FileNotFoundError, FileExistsError):
        # A parent is missing, or another worker made it first, or it is a file:
        # makedirs makes the parents, accepts a folder and raises for a file.
        os.makedirs(folder, exist_ok=True)


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
