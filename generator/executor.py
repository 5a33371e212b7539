"""Executor: map a pure per-item function over picklable records, serially or in processes."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import shutil
import signal
import struct
import tempfile
import weakref
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")
R = TypeVar("R")

DIED = (
    "a worker process died (killed by the system, most likely for want of memory); "
    "try fewer --jobs"
)
# Below this many items a process pool costs more to start than it saves.
POOL_THRESHOLD = 200


def default_jobs() -> int:
    return os.cpu_count() or 1


def map_items(function: Callable[[T], R], items: Sequence[T], jobs: int = 1) -> list[R]:
    """[function(item) for item in items], spread over `jobs` processes when worth it."""
    if jobs <= 1 or len(items) < POOL_THRESHOLD:
        return [function(item) for item in items]
    chunk = max(1, len(items) // (jobs * 8))
    try:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(function, items, chunksize=chunk))
    except BrokenProcessPool as exc:
        raise WorkerDied(DIED) from exc


def map_indices(
    function: Callable[[int], R], count: int, jobs: int = 1, each: int = 0
) -> Iterator[R]:
    """function(i) for i in range(count), in order, done in forked processes when
    worth it.

    The process forks `jobs - 1` workers and works too: they inherit `function` and
    everything it closes over (the archive, the views, the templates) without
    pickling them, and only results come back. Every object a worker reads becomes
    its own copy as its reference count changes, so each worker costs nearly the
    archive's memory again: the calling process taking a share saves one of them.
    Used only where the process has no other threads (not inside `serve`).

    Work is handed out in chunks (of `each` items; by default smaller and smaller,
    `_chunks`) through a pipe filled beforehand, so a worker killed midway holds no
    lock that the others wait for. A worker that dies (the system out of memory kills
    it) raises WorkerDied; the others are stopped.

    Each chunk's results are put in a file of their own as soon as it is done, and
    given back one chunk at a time: no process holds them all (a result for each of
    1.7 million pages at 100,000 articles).
    """
    fork = "fork" in multiprocessing.get_all_start_methods()
    if jobs <= 1 or count < POOL_THRESHOLD or not fork:
        return iter([function(i) for i in range(count)])
    chunks = _chunks(count, jobs, each)
    tickets, filler = os.pipe()
    os.write(filler, b"".join(struct.pack("<I", n) for n in range(len(chunks))))
    os.close(filler)  # an empty pipe now reads as its end: no work is left
    folder = Path(tempfile.mkdtemp(prefix="broadsheet-work-"))
    children: list[int] = []
    # Objects the garbage collector never visits keep their memory shared with the
    # workers; a collection would touch (and so copy) every page of the archive.
    frozen = gc.get_freeze_count() > 0  # by the caller, who unfreezes them
    gc.freeze()
    release_memory()  # what the workers inherit, they hold: none of what was freed
    try:
        for worker in range(jobs - 1):
            pid = os.fork()
            if pid == 0:  # pragma: no cover (runs in the child, which never returns)
                _child(function, chunks, tickets, folder, worker)
            children.append(pid)
        _work(function, chunks, tickets, folder)
        for worker, pid in enumerate(list(children)):
            _, status = os.waitpid(pid, 0)
            children.remove(pid)
            failure = folder / f"failed-{worker}.pickle"
            if failure.exists():
                try:
                    with failure.open("rb") as stream:
                        raised = pickle.load(stream)
                except Exception:
                    raised = WorkerDied(DIED)
                raise raised
            if os.waitstatus_to_exitcode(status) != 0:
                raise WorkerDied(DIED)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        os.close(tickets)
        for pid in children:  # the parent failed: the workers' results are not wanted
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        if not frozen:
            gc.unfreeze()
    results = _results(folder, len(chunks))
    # Removed too if the results are never read: a generator not started has no
    # `finally` to run.
    weakref.finalize(results, shutil.rmtree, folder, ignore_errors=True)
    return results


def _results(folder: Path, chunks: int) -> Iterator[Any]:
    """The results of every chunk, in order, read one chunk at a time; the folder is
    removed once they are all read (or the reader stops)."""
    try:
        for n in range(chunks):
            try:
                with (folder / f"{n}.pickle").open("rb") as stream:
                    done = pickle.load(stream)
            except OSError as exc:  # not left by the process that took it
                raise WorkerDied(DIED) from exc
            yield from done
            del done
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _chunks(count: int, jobs: int, each: int = 0) -> list[range]:
    """range(count) cut in chunks of `each` items or, by default, each a sixteenth of
    a worker's share of what is left: the processes finish within a small chunk of
    each other, not within one sixteenth of all the work (a second or more at 10,000
    articles), while the first chunks stay large (few results files)."""
    least = max(-(-count // LEAST_PARTS), 8)  # a chunk costs a file and a trim
    chunks, start = [], 0
    while start < count:
        size = max(each or max(least, (count - start) // (jobs * 16)), -(-count // MAX_CHUNKS))
        chunks.append(range(start, min(start + size, count)))
        start += size
    return chunks


def release_memory() -> None:
    """Give the system back the memory freed so far. The C library keeps freed memory
    for later; in a build that is the article texts read, annotated and dropped,
    scattered among what is kept (70 MB of 360 at 10,000 articles, given back in 6 ms).
    Does nothing where the C library cannot (it is glibc's malloc_trim)."""
    global _trim
    if _trim is None:
        try:
            import ctypes

            _trim = ctypes.CDLL(None).malloc_trim
            _trim.argtypes, _trim.restype = [ctypes.c_size_t], ctypes.c_int
        except (ImportError, OSError, AttributeError, TypeError):  # not glibc
            _trim = False
    if _trim:
        _trim(0)


_trim: Any = None  # malloc_trim once found, False where there is none


LEAST_PARTS = 256  # the smallest chunks: this part of all the work
MAX_CHUNKS = 1024  # tickets of 4 bytes: even a pipe of one page holds them all unread


def _work(function: Callable[[int], R], chunks: list[range], tickets: int, folder: Path) -> None:
    """Take chunks until none is left, do them, and leave each one's results in the
    folder as it is done."""
    while len(ticket := os.read(tickets, 4)) == 4:
        n = struct.unpack("<I", ticket)[0]
        done = [function(i) for i in chunks[n]]
        try:
            with (folder / f"{n}.pickle").open("wb") as stream:
                pickle.dump(done, stream, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as exc:
            raise WorkerDied(f"cannot keep work done in {folder}: {exc.strerror or exc}") from exc
        del done
        release_memory()  # a chunk's pages are drawn and written: what they freed


def _child(
    function: Callable[[int], R], chunks: list[range], tickets: int, folder: Path, worker: int
) -> NoReturn:  # pragma: no cover (a forked worker)
    """A forked worker: do chunks; an exception is left in the folder for the parent."""
    code = 0
    try:
        try:
            _work(function, chunks, tickets, folder)
        except Exception as exc:  # the parent raises it
            with (folder / f"failed-{worker}.pickle").open("wb") as stream:
                pickle.dump(exc, stream, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # interrupted, or the exception cannot be pickled
        code = 1
    finally:
        os._exit(code)  # no exit handlers: they belong to the parent


class WorkerDied(Exception):
    """A worker process ended abruptly; the build cannot go on."""
