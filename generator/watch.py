"""Watch: rebuild the site when its files change, one build at a time.

Bursts of saves are gathered into one rebuild; a save during a rebuild causes one
more rebuild after it. Editors' temporary files and the output folder are ignored.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.config import CONFIG_FILE, Config
from generator.sources import ignored

QUIET_SECONDS = 0.05  # a burst of saves is over after this long without events
LONGEST_WAIT = 0.5  # never hold a rebuild back longer than this while events keep coming


def site_folders(site: Path, config: Config) -> list[Path]:
    """The folders a build reads, outermost only, whether or not they exist yet."""
    folders = [site / d for d in config.article_dirs]
    folders += [site / config.entity_dir, site / config.templates_dir, site / config.static_dir]
    found: list[Path] = []
    for folder in (f.resolve() for f in folders):
        if not any(p == folder or p in folder.parents for p in found):
            found = [p for p in found if folder not in p.parents] + [folder]
    return found


class _Events(FileSystemEventHandler):
    def __init__(
        self,
        relevant: Callable[[str], bool],
        poke: Callable[[list[str] | None], None],
        appeared: Callable[[str], None],
    ) -> None:
        self.relevant, self.poke, self.appeared = relevant, poke, appeared

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type in ("created", "moved"):
            self.appeared(str(getattr(event, "dest_path", "") or event.src_path))
        paths = [str(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        relevant = [p for p in paths if self.relevant(p)]
        if not relevant:
            return
        if not event.is_directory:
            self.poke(relevant)
        elif event.event_type == "modified":
            self.poke([])  # its files' own events say what changed in it
        else:  # a folder made, moved or deleted stands for every file in it: walk
            self.poke(None)


class Watcher:
    """Calls `rebuild(changed)` after changes under the site, debounced, never two at
    once: `changed` names the files changed since the last call, or is None when the
    site must be walked to know (a folder moved, or the first call)."""

    def __init__(
        self,
        site: Path,
        config: Config,
        output: Path,
        rebuild: Callable[[set[str] | None], None],
    ) -> None:
        self.site = site.resolve()
        self.output = output.resolve()
        self.rebuild = rebuild
        self.folders = site_folders(site, config)
        self._watched: set[Path] = set()
        self._handler = _Events(self.relevant, self.poke, self._appeared)
        self._pending = threading.Event()
        self._changed: set[str] | None = None  # since the last rebuild; None: unknown
        self._lock = threading.Lock()
        self._last_event = 0.0
        self._stop = threading.Event()
        self._observer = Observer()
        self._thread = threading.Thread(target=self._loop, name="broadsheet-rebuild", daemon=True)

    def relevant(self, path: str) -> bool:
        p = Path(path)
        if p == self.output or self.output in p.parents:
            return False
        if any(ignored(part) for part in p.parts[len(self.site.parts) :]):
            return False
        if p.parent == self.site:
            return p.name == CONFIG_FILE
        return any(folder == p or folder in p.parents for folder in self.folders)

    def poke(self, paths: list[str] | None = None) -> None:
        with self._lock:
            if paths is None:
                self._changed = None
            elif self._changed is not None:
                self._changed.update(paths)
        self._last_event = time.monotonic()
        self._pending.set()

    def start(self) -> None:
        self._observer.schedule(self._handler, str(self.site), recursive=False)
        for folder in self.folders:
            self._watch(folder)
        self._observer.start()
        self._thread.start()

    def _watch(self, folder: Path) -> None:
        if folder.is_dir() and folder not in self._watched:
            self._watched.add(folder)
            self._observer.schedule(self._handler, str(folder), recursive=True)

    def _appeared(self, path: str) -> None:
        """A folder was created at the top of the site: start watching it if it is ours."""
        created = Path(path)
        for folder in self.folders:
            if folder == created or created in folder.parents:
                self._watch(folder)
                self.poke()

    def stop(self) -> None:
        self._stop.set()
        self._pending.set()
        self._observer.stop()
        self._observer.join(timeout=5)
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._pending.wait()
            if self._stop.is_set():
                return
            first = time.monotonic()
            # Sleep until the burst's end as it stands; an event since then moves it on.
            while (left := self._burst_end(first) - time.monotonic()) > 0:
                time.sleep(left)
            self._pending.clear()  # events from now on ask for one more build
            with self._lock:
                changed, self._changed = self._changed, set()
            self.rebuild(changed)

    def _burst_end(self, first: float) -> float:
        """When the burst of events begun at `first` is over, if no event comes."""
        return min(self._last_event + QUIET_SECONDS, first + LONGEST_WAIT)
