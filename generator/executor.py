"""Executor: map a pure per-item function over picklable records, serially or in processes."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

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


_FORKED: Callable[[int], object] | None = None


def _call_forked(index: int) -> object:
    assert _FORKED is not None
    return _FORKED(index)


def map_indices(
    function: Callable[[int], R], count: int, jobs: int = 1, each: int = 0
) -> list[R]:
    """[function(i) for i in range(count)], in forked processes when worth it.

    Forked workers inherit `function` and everything it closes over (the archive,
    the views, the templates) without pickling them; only results come back. Used
    only where the process has no other threads (not inside `serve`). `each`: items
    handed to a worker at a time (default: a sixteenth of its share). A worker that
    dies (the system out of memory kills it) raises WorkerDied, never hangs.
    """
    global _FORKED
    fork = "fork" in multiprocessing.get_all_start_methods()
    if jobs <= 1 or count < POOL_THRESHOLD or not fork:
        return [function(i) for i in range(count)]
    _FORKED = function
    # Objects the garbage collector never visits keep their memory shared with the
    # workers; a collection would touch (and so copy) every page of the archive.
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            chunksize = each or max(1, count // (jobs * 16))
            return list(pool.map(_call_forked, range(count), chunksize=chunksize))
    except BrokenProcessPool as exc:
        raise WorkerDied(DIED) from exc
    finally:
        _FORKED = None
        gc.unfreeze()


class WorkerDied(Exception):
    """A worker process ended abruptly; the build cannot go on."""
