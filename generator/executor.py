"""Executor: map a pure per-item function over picklable records, serially or in processes."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a process pool costs more to start than it saves.
POOL_THRESHOLD = 200


def default_jobs() -> int:
    return os.cpu_count() or 1


def map_items(function: Callable[[T], R], items: Sequence[T], jobs: int = 1) -> list[R]:
    """[function(item) for item in items], spread over `jobs` processes when worth it."""
    if jobs <= 1 or len(items) < POOL_THRESHOLD:
        return [function(item) for item in items]
    chunk = max(1, len(items) // (jobs * 8))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(function, items, chunksize=chunk))
