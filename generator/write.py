"""Write: put rendered pages on disk, all or nothing.

A full build is written into a fresh folder beside the output and swapped in whole,
so a failure at any point leaves the previous output exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath


class WriteError(Exception):
    """The output could not be written; the previous output is untouched."""


def safe_relative(path: str) -> PurePosixPath:
    """An output path that cannot climb out of the output folder."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path or "\0" in path or not pure.parts:
        raise WriteError(f"refusing to write outside the output folder: {path!r}")
    return pure


def write_site(output: Path, pages: Mapping[str, bytes], static: Mapping[str, Path]) -> None:
    """Replace `output` with exactly `pages` and `static` (output path -> bytes or file)."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        for rel, source in static.items():
            target = staging / safe_relative(rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        for rel, data in pages.items():
            target = staging / safe_relative(rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.chmod(staging, 0o755)
        _swap(staging, output)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise WriteError(f"cannot write {output}: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
    shutil.rmtree(retired, ignore_errors=True)
