"""Build: the recipe that runs the stages in order, from site folder to output folder.

Every build redoes only what changed since the last one, in this process (`serve`
keeps a `Builder`) or an earlier one (parse and annotate results and the output's
manifest live in the site's cache folder): nothing changed, nothing is done; an edit
that only its article's own page shows redraws that page alone (quick.py); in `serve`,
which keeps the index, an edit that leaves the index's shape of the article as it was
(a title, a summary) redraws only the pages whose keys named it (`Builder._patch`);
otherwise a page is rendered again only when what it shows or its template changed,
and a file is written only when its bytes changed. The output is byte-identical to a
clean build's.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import time
import uuid
from array import array
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from generator import __version__
from generator.annotate import ANNOTATOR_VERSION, annotate
from generator.cache import CACHE_DIR, DiskCache
from generator.cache import key as cache_key
from generator.config import Config, load_config
from generator.depends import PageKeys
from generator.executor import WorkerDied, default_jobs, map_indices, map_items, release_memory
from generator.index import Archive, as_indexed, build_index, replaced
from generator.manifest import (
    Entry,
    Manifest,
    Stored,
    load_manifest,
    pack_entry,
    same_key,
    save_manifest,
)
from generator.model import (
    AnnotatedArticle,
    Article,
    Block,
    BuildResult,
    Diagnostic,
    Run,
    SourceFile,
    Spans,
)
from generator.opendata import Lines
from generator.parse import parse_article
from generator.quick import MOST, QuickState, contribution, quick_state, shape
from generator.registry import Registry, load_registry
from generator.render import (
    check_templates,
    environment,
    forget_reused,
    is_template,
    render_page,
    template_dirs,
)
from generator.routes import PageJob, Plan, Urls, article_job, check_article_url, plan
from generator.sources import (
    ArticleTexts,
    Known,
    SourceChanged,
    Sources,
    find_sources,
    keep_skeleton,
    read_source,
    refresh_sources,
    static_files,
)
from generator.views import Views
from generator.write import Staging, WriteError, check_output, digest

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Options:
    out: Path | None = None
    drafts: bool = False
    future: bool = False  # include articles dated after now
    cache: bool = True  # keep parse and annotate results in the site's .broadsheet-cache/
    strict: bool = False
    jobs: int = 0  # 0: all cores
    overrides: dict[str, Any] | None = None
    search: bool = False  # a search index will be built over the output


# An article's pages' material, the parse's problems, and `_moment`.
_Item = tuple[AnnotatedArticle | None, tuple[Diagnostic, ...], str]


@dataclass(slots=True)
class _Memory:
    """What the last build made, keyed so a changed input can never reuse it."""

    items: dict[str, tuple[str, _Item]] = field(default_factory=dict)  # path -> (print, item)
    manifest: Manifest | None = None  # what is in the output folder now
    # The files found, without their texts, under this config, and when the site was
    # last walked: the next build reads again only what a watcher says changed.
    sources: tuple[str, Sources, float] | None = None
    index: _Index | None = None  # a watching builder's last archive, while it holds


@dataclass(slots=True)
class _Index:
    """What a watching builder's last build knew of the whole archive: enough to redo
    an edit that keeps the index's shape of an article (quick.shape: a new title,
    summary or section, a paragraph changed around a quote, an entity named once more)
    by remaking only the pages whose keys were made from the edited articles'."""

    build_id: str  # of the record it goes with
    prints: dict[str, str]
    keys: PageKeys  # with what they made, to take over
    lines: Lines  # of articles.json (opendata.Lines)
    uses: dict[str, list[str]]  # what a page's key is made from -> those pages' URLs
    # Articles redone the quick way since (path -> as indexed), not yet in `archive`:
    # of the same shape as the ones there, they are put in by the next `_patch`.
    pending: dict[str, AnnotatedArticle] = field(default_factory=dict)

    @property
    def archive(self) -> Archive:
        return self.keys.archive


@dataclass(slots=True)
class _Run:
    """What one build found before it made anything."""

    config: Config
    output: Path
    manifest: Manifest | None  # the output's record of the last build, if any
    frame: str  # print of every input but the article files
    inputs: str  # print of every input
    known: Known  # what the article files were, for the next build
    dirs: list[Path]  # template folders
    templates: str  # their print
    lap: _Laps
    started: float
    checked: int  # diagnostics every build makes afresh (config, sources): not recorded


class Builder:
    """Builds one site again and again, redoing only the work whose inputs changed."""

    def __init__(
        self,
        site: Path,
        options: Options | None = None,
        fork: bool = False,
        save_later: bool = False,
        watching: bool = False,
    ) -> None:
        self.site = site
        self.options = options or Options()
        self.fork = fork  # may make pages in forked processes: only without other threads
        # Whether the record of each build is written by `save()`, when the caller
        # likes, rather than at the end of the build: `serve` saves it once the
        # browser has been told to reload (at 10,000 articles it takes 40 ms).
        self.save_later = save_later
        # Whether it will be asked again after an edit (`serve`): it then keeps the
        # index and what each page's key is made from (about 20 MB at 10,000 articles),
        # and an edit that listings show remakes only the pages that show it.
        self.watching = watching
        self._unsaved = False
        self.cache = DiskCache(site / CACHE_DIR if self.options.cache else None)
        self.memory = _Memory()
        self._templates: tuple[str, Any, list[Diagnostic]] | None = None

    @property
    def output(self) -> Path:
        config, _ = load_config(self.site, self.options.overrides)
        return self.options.out or self.site / config.output_dir

    def forget(self) -> None:
        """Trust nothing kept from earlier builds: the next build starts afresh."""
        self.memory = _Memory()

    def build(self, changed: Collection[str] | None = None) -> BuildResult:
        """Build, doing only what the changes since the last build need. `changed`:
        the absolute paths of the files changed since the last build of this
        builder, when a watcher knows them; None, when anything may have changed."""
        result = BuildResult()
        try:
            with _Collector() as collector:
                return self._build(result, collector, changed)
        except WorkerDied as exc:
            self.memory = _Memory()
            result.diagnostics.append(Diagnostic("error", ".", None, str(exc)))
            return result

    def _build(
        self, result: BuildResult, collector: _Collector, changed: Collection[str] | None
    ) -> BuildResult:
        started = time.perf_counter()
        lap = _Laps(result.timings)
        config, problems = load_config(self.site, self.options.overrides)
        result.diagnostics += problems
        if result.errors:
            return result
        output = (self.options.out or self.site / config.output_dir).resolve()
        manifest = self._manifest(output)
        sources = self._sources(config, manifest, changed)
        result.diagnostics += sources.diagnostics
        checked = len(result.diagnostics)
        dirs = template_dirs(self.site, config.templates_dir)
        static = static_files(self.site, dirs, config)
        templates = _templates_print(dirs, config)
        stamps = _stamps(sources.articles)
        frame, inputs = self._inputs_print(config, sources.entities, stamps, static, templates)
        lap("inputs")
        # A watching builder's first build goes on, though nothing changed, to keep the
        # index for the edits to come.
        kept = not self.watching or self.memory.index is not None
        if manifest is not None and manifest.inputs == inputs and not _due(manifest) and kept:
            result.diagnostics += manifest.warnings
            result.scheduled, result.pages = list(manifest.scheduled), manifest.pages
            result.seconds = time.perf_counter() - started
            return result
        registry, problems = load_registry(sources.entities)
        result.diagnostics += problems
        run = _Run(
            config, output, manifest, frame, inputs, sources.known, dirs, templates, lap, started,
            checked,
        )  # fmt: skip
        last = manifest.quick if manifest is not None else None
        index, self.memory.index = self.memory.index, None  # kept again if all goes well
        if last is not None and self._quick(run, last, sources, stamps, registry, result, index):
            return result
        annotated, prints, due, problems = self._articles(
            sources.articles, registry, config, result
        )
        del sources
        release_memory()  # what parsing and annotating left
        lap("articles")
        archive = build_index(annotated, registry)
        state = quick_state(frame, stamps, annotated, archive, problems, config.feed_entries, last)
        del annotated
        lap("index")
        lines: Lines | None = {} if self.watching else None
        urls, keys, views = self._views(archive, config, prints, run.templates, lines)
        uses: dict[str, list[str]] | None = {} if self.watching else None
        pages = plan(archive, urls, views, keys, uses=uses)
        compared = _compared(pages, manifest)
        if not _claims_as_before(pages, static, manifest, compared):
            result.diagnostics += pages.collisions(
                {output: _display(path, self.site) for output, path in static.items()}
            )
        collector.resume()  # rendering makes short-lived cycles (Jinja's contexts)
        self._write(run, pages, static, state, due, result, compared, quick=False)
        if uses is not None and lines is not None:
            index = _Index("", prints, keys, lines=lines, uses=uses)
            self._keep(run, index, result)
        return result

    def _keep(self, run: _Run, index: _Index, result: BuildResult) -> None:
        """Hold what this build knew of the archive for the next, if it succeeded."""
        record = self.memory.manifest
        if record is not None and not self._failed(result) and record.build_id == run.inputs:
            self.memory.index = replace(index, build_id=record.build_id)

    def _quick(
        self,
        run: _Run,
        state: QuickState,
        sources: Sources,
        files: dict[str, str],
        registry: Registry,
        result: BuildResult,
        index: _Index | None,
    ) -> bool:
        """Redo an edit to a few articles without the rest of the archive, if it is one
        that allows it: False, having reported nothing, if it is not. Either the edit
        changes only the articles' own pages (quick.py), or this builder keeps the
        index (`watching`) and the edit changes only what listings show of them: then
        only the pages whose keys were made from the articles' keys are made."""
        if state.frame != run.frame or run.manifest is None or _due(run.manifest):
            return False
        config = run.config
        if files.keys() != state.files.keys():
            return False
        changed = [s for s in sources.articles if files[s.path] != state.files[s.path]]
        if not changed or len(changed) > MOST or any(s.sidecar_path for s in changed):
            return False
        if index is not None and index.build_id != run.manifest.build_id:
            index = None  # not the build whose record this is
        known = self.memory.items
        before = {s.path: known[s.path][1][0] for s in changed if s.path in known}
        prints = self._load(changed, registry, config)
        now = build_time()
        items, problems, quick = {}, dict(state.problems), True
        for source in changed:
            item, found = self._admitted(source.path, prints, now)
            if (
                not isinstance(item, AnnotatedArticle)
                or source.path not in state.given
                or any(d.severity == "error" for d in found)
            ):
                return False
            indexed = as_indexed(item, state.aliases, state.shared)
            given = contribution(item, indexed)
            alone = given == state.given[source.path] and source.path not in state.feed
            if not alone and not (index and _same_shape(index, before, item, indexed, config)):
                return False
            quick = quick and alone
            items[source.path] = (indexed, given)
            problems[source.path] = found
        run.lap("articles")
        problems = {path: found for path, found in problems.items() if found}
        state = replace(
            state,
            files=files,
            problems=problems,
            given={**state.given, **{path: given for path, (_, given) in items.items()}},
        )
        if not quick and index is not None:
            return self._patch(run, state, index, items, prints, result)
        result.diagnostics += [d for found in problems.values() for d in found]
        archive = state.archive([indexed for indexed, _ in items.values()])
        urls, keys, views = self._views(archive, config, prints, run.templates)
        pages = Plan([article_job(indexed, urls, views, keys) for indexed, _ in items.values()])
        compared = _compared(pages, run.manifest, whole=False)
        self._write(run, pages, {}, state, run.manifest.due, result, compared, quick=True)
        if index is not None:  # the index takes them in at the next edit that needs it
            pending = {**index.pending, **{path: indexed for path, (indexed, _) in items.items()}}
            prints = {**index.prints, **{path: prints[path] for path in items}}
            self._keep(run, replace(index, prints=prints, pending=pending), result)
        return True

    def _patch(
        self,
        run: _Run,
        state: QuickState,
        index: _Index,
        items: dict[str, tuple[AnnotatedArticle, str]],
        loaded: dict[str, str],
        result: BuildResult,
    ) -> bool:
        """Redo an edit to these articles, each of the shape it had, from the index the
        last build left: make again the pages whose keys were made from theirs (and
        from those of the articles redone the quick way since, whose pages are as
        the last build left them)."""
        fresh = {**index.pending, **{path: indexed for path, (indexed, _) in items.items()}}
        try:
            archive = replaced(index.archive, fresh)
        except ValueError:  # not as the index has it (never seen): make every page
            return False
        prints = {**index.prints, **{path: loaded[path] for path in items}}
        urls, keys, views = self._views(archive, run.config, prints, run.templates, index.lines)
        urls.carry(index.keys.urls)
        changed = keys.carry(index.keys, fresh)
        wanted = {url for token in changed for url in index.uses.get(token, ())}
        pages = plan(archive, urls, views, keys, only=wanted, quotes=keys.quotes_of(changed))
        if len(pages.jobs) != len(wanted):  # a page it cannot make alone: make them all
            return False
        result.diagnostics += [d for found in state.problems.values() for d in found]
        compared = _compared(pages, run.manifest, whole=False)
        self._write(run, pages, {}, state, run.manifest.due, result, compared, quick=True)
        self._keep(run, replace(index, prints=prints, keys=keys, pending={}), result)
        return True

    def _write(
        self,
        run: _Run,
        pages: Plan,
        static: dict[str, Path],
        state: QuickState,
        due: float | None,
        result: BuildResult,
        compared: _Compared,
        quick: bool,
    ) -> BuildResult:
        """Make the pages whose key changed, put what changed in the output, and record
        it all for the next build. A quick build is given only the pages it redoes,
        and keeps the record of the others. Empties `pages` once they are all made."""
        env, problems = self._environment(run.dirs, run.templates)
        result.diagnostics += problems
        run.lap("plan")
        if self._failed(result):
            return result
        output, manifest = run.output, run.manifest
        try:
            config = run.config
            inputs_dirs = [
                *(self.site / d for d in config.article_dirs),
                self.site / config.entity_dir,
                self.site / config.templates_dir,
                self.site / config.static_dir,
            ]
            check_output(output, self.site, inputs_dirs)
            staging = Staging(output, full=manifest is None)
        except WriteError as exc:
            result.diagnostics.append(
                Diagnostic("error", _display(output, self.site), None, str(exc))
            )
            return result
        try:
            made = self._make(pages, compared, static, env, run.templates, staging, result)
            quote_pages = pages.quote_groups()
            pages.clear()  # made: the record needs only `made` (1.6 million jobs at 100k)
            run.lap("pages")
            if self._failed(result):
                staging.discard()
                return result
            if not quick:  # every file of the output is in `made`
                result.deleted = sorted(set(manifest.entries() if manifest else ()) - set(made))
            # The output is a function of its inputs: a clean build of the same inputs
            # leaves the same marker, so the output stays byte-identical.
            build_id = run.inputs or uuid.uuid4().hex
            staging.commit(result.written, result.deleted, build_id)
            run.lap("commit")
        except WorkerDied:
            staging.discard()
            raise
        except WriteError as exc:
            staging.discard()
            self.memory.manifest = None
            where = _display(output, self.site)
            result.diagnostics.append(Diagnostic("error", where, None, str(exc)))
            return result
        if quick and manifest is not None:
            result.scheduled, result.pages = list(manifest.scheduled), manifest.pages
            manifest.update(made)  # the others are as they were
            manifest.quote_pages.update(quote_pages)
            record = manifest
        else:
            result.pages = len(made)
            record = Manifest(
                str(output), build_id, run.inputs, files=made, quote_pages=quote_pages
            )
        self.memory.manifest = replace(
            record,
            build_id=build_id,
            inputs=run.inputs,
            due=due,
            pages=result.pages,
            warnings=result.diagnostics[run.checked :],
            scheduled=list(result.scheduled),
            sources=run.known,
            quick=state,
        )
        self._unsaved = True
        if not self.save_later:
            release_memory()  # the pages' and jobs' leftovers: room for the record's pickles
            self.save()
        run.lap("manifest")
        result.seconds = time.perf_counter() - run.started
        return result

    def save(self) -> None:
        """Write the record of the last build for the next process, if not yet done."""
        if self._unsaved and self.memory.manifest is not None:
            save_manifest(self.cache.folder, self.memory.manifest)
        self._unsaved = False

    def _views(
        self,
        archive: Archive,
        config: Config,
        prints: Mapping[str, str],
        templates: str,
        lines: Lines | None = None,
    ) -> tuple[Urls, PageKeys, Views]:
        """What the pages of an archive are made from: their URLs, their keys, and the
        views, which read the bodies kept in the cache (or the files again)."""
        urls = Urls(config)
        keys = PageKeys(archive, prints, self._base(templates), urls)
        texts = ArticleTexts(self.site, config, self.cache)
        return urls, keys, Views(archive, config, urls, self.options.search, texts, lines)

    def _environment(self, dirs: list[Path], templates: str) -> tuple[Any, list[Diagnostic]]:
        """The templates, compiled, and their problems: compiled again only when a file
        of the template folders or the config changed (`templates` is their print)."""
        if self._templates is None or self._templates[0] != templates:
            compiled = self.cache.folder / "templates" if self.cache.folder else None
            env = environment(dirs, compiled)
            self._templates = (templates, env, check_templates(env, self.site))
        forget_reused(self._templates[1])
        return self._templates[1], list(self._templates[2])

    def _manifest(self, output: Path) -> Manifest | None:
        """What is in the output folder, if it is whole and as a build of ours left it."""
        memory = self.memory.manifest
        if memory is not None and memory.matches(output):
            return memory
        self.memory.manifest = load_manifest(self.cache.folder, output)
        return self.memory.manifest

    def _base(self, templates: str) -> str:
        """What every page depends on: the versions, the templates and the config."""
        return f"{__version__}|{templates}|{self.options.search}"

    def _sources(
        self, config: Config, manifest: Manifest | None, changed: Collection[str] | None
    ) -> Sources:
        """The site's files: those a watcher says changed read again, or a walk of the
        site (at least every WALK_EVERY seconds, for any change a watcher missed)."""
        last, now, found, settings = self.memory.sources, time.monotonic(), None, repr(config)
        if (
            changed is not None
            and last is not None
            and last[0] == settings
            and now - last[2] < WALK_EVERY
            and manifest is not None
        ):
            found = refresh_sources(self.site, config, last[1], changed)
        walked = last[2] if found is not None and last is not None else now
        if found is None:
            found = find_sources(self.site, config, manifest.sources if manifest else None)
        # Without their texts: the process annotating an article reads it again (one
        # more read of each file in a cold build: 700 MB less held at 100k articles).
        textless = tuple(
            s if s.text is None else replace(s, text=None, sidecar=None) for s in found.articles
        )
        found = replace(found, articles=textless)
        self.memory.sources = (settings, found, walked)
        return found

    def _inputs_print(
        self,
        config: Config,
        entities: tuple[SourceFile, ...],
        stamps: dict[str, str],
        static: dict[str, Path],
        templates: str,
    ) -> tuple[str, str]:
        """Prints of every input but the article files, and of every input: each
        changes whenever anything the output is made from changes."""
        parts = [
            __version__,
            ANNOTATOR_VERSION,
            repr(config),
            repr(self.options.drafts),
            repr(self.options.future),
            repr(self.options.search),
            templates,
            os.environ.get("SOURCE_DATE_EPOCH", ""),
        ]
        parts += (f"{s.path}|{s.digest}|{s.mtime}" for s in entities)
        for rel, path in static.items():
            try:
                stat = path.stat()
            except OSError:
                return "", ""  # vanished: the build will say so
            parts.append(f"{rel}|{path}|{stat.st_size}|{stat.st_mtime_ns}")
        frame = digest("\0".join(parts).encode("utf-8", "surrogatepass"))
        articles = (f"{path}|{stamp}" for path, stamp in stamps.items())
        return frame, digest("\0".join([frame, *articles]).encode("utf-8", "surrogatepass"))

    def _articles(
        self,
        files: tuple[SourceFile, ...],
        registry: Registry,
        config: Config,
        result: BuildResult,
    ) -> tuple[list[AnnotatedArticle], dict[str, str], float | None, dict[str, list[Diagnostic]]]:
        """Every article parsed and annotated, from this process's memory or the disk
        cache where its inputs are unchanged; also each one's print, when the first
        article left out as scheduled falls due, and each one's problems, where any.

        Drafts and scheduled articles are annotated too (their results are ready
        when they appear), but their problems are not reported until then."""
        prints = self._load(files, registry, config)
        for stale in set(self.memory.items) - set(prints):
            del self.memory.items[stale]
        annotated, dates, reported = [], [], {}
        now = build_time()
        for source in files:
            item, problems = self._admitted(source.path, prints, now)
            result.diagnostics += problems
            if problems:
                reported[source.path] = problems
            if item is None:
                continue
            if isinstance(item, float):
                result.scheduled.append(source.path)
                dates.append(item)
            else:
                annotated.append(item)
        return annotated, prints, min(dates, default=None), reported

    def _load(
        self, files: Iterable[SourceFile], registry: Registry, config: Config
    ) -> dict[str, str]:
        """Parse and annotate these files into this process's memory, from the disk
        cache where their inputs are unchanged; returns each one's print."""
        config_print = _config_print(config)
        settings = f"{config_print}|{ANNOTATOR_VERSION}|{registry.digest}|{config.auto_annotate}"
        memory = self.memory.items
        prints = {s.path: f"{s.digest}|{settings}" for s in files}
        missing = []
        for source in files:
            known = memory.get(source.path)
            if known is not None and known[0] == prints[source.path] and _fresh(known[1], source):
                continue
            cached = self.cache.get("items", cache_key(source.path, prints[source.path]))
            if isinstance(cached, tuple) and len(cached) == 3 and _fresh(cached, source):
                memory[source.path] = (prints[source.path], cached)
            else:
                missing.append(source)
        work = partial(
            _parsed_and_annotated,
            site=self.site,
            config=config,
            registry=registry,
            cache=self.cache,
        )
        jobs = [
            (s, cache_key(s.path, f"{s.digest}|{config_print}"), cache_key(s.path, prints[s.path]))
            for s in missing
        ]
        for source, item in zip(missing, self._map(work, jobs), strict=True):
            memory[source.path] = (prints[source.path], item)
            if item[2] == CHANGED:  # maybe unseen by a watcher: walk next time
                self.memory.sources = None
        return prints

    def _admitted(
        self, path: str, prints: dict[str, str], now: datetime
    ) -> tuple[AnnotatedArticle | float | None, list[Diagnostic]]:
        """A loaded article as this build takes it, and the problems it reports: the
        article if published, when it falls due (epoch seconds) if scheduled, None if
        a draft or unreadable. Adds its date to its print (it may come from the
        file's time)."""
        item, problems, _ = self.memory.items[path][1]
        if item is None:
            return None, list(problems)
        prints[path] += f"|{item.article.date.isoformat()}"
        if not self.options.future and item.article.date > now:
            return item.article.date.timestamp(), list(problems)
        if item.article.draft and not self.options.drafts:
            return None, list(problems)
        found = check_article_url(item.article)
        return item, [*problems, *item.diagnostics, *([found] if found else [])]

    def _make(
        self,
        pages: Plan,
        compared: _Compared,
        static: dict[str, Path],
        env: Any,
        templates: str,
        staging: Staging,
        result: BuildResult,
    ) -> dict[str, Stored]:
        """Render the pages whose key changed since the last build (`compared`) and
        stage the files whose bytes changed. Returns output path -> (key, print,
        digest), packed (manifest.pack_entry).

        Pages are made in forked processes, each writing what it renders, so no
        process holds the whole site; `serve` has threads and makes them in-process."""
        previous = compared.manifest.get if compared.manifest else _NOTHING.get
        due, files = compared.due, compared.same  # the record grows from it

        def one(index: int) -> tuple[Stored, int] | _Made:
            """A page made: its record's entry, packed, and whether it was drawn (1)
            and written (2); or, when it could not be, what went wrong."""
            job = pages[due[index]]
            made = _make_one(job, env, self.site, templates, previous(job.output), staging)
            if made.problem is not None or made.failed:
                return made
            return pack_entry((job.key, made.print, made.digest)), made.drawn + 2 * made.written

        jobs = self._jobs() if self.fork else 1
        self.cache.close()  # a child must not share this process's connection
        failed = ""
        reported: set[Diagnostic] = set()
        for index, made in zip(due, map_indices(one, len(due), jobs), strict=True):
            if isinstance(made, _Made):
                failed = failed or made.failed
                if made.problem is not None and made.problem not in reported:
                    reported.add(made.problem)  # an article's and the feed's
                    result.diagnostics.append(made.problem)
                if made.stale:  # changed unseen by a watcher, maybe: walk next time
                    self.memory.sources = None
                continue
            stored, done = made
            output = pages.output(index)
            files[output] = stored
            if done & 1:
                result.rendered.append(output)
            if done & 2:
                result.written.append(output)
        if failed:
            raise WriteError(failed)
        for rel, path in static.items():
            known = previous(rel) or ("", "", "")
            try:
                stat = path.stat()
                stamp = f"{path}|{stat.st_size}|{stat.st_mtime_ns}"
                if known[0] == stamp:
                    files[rel] = pack_entry(known)
                    continue
                data = path.read_bytes()
            except OSError as exc:
                raise WriteError(f"cannot read {path}: {exc.strerror or exc}") from exc
            value = digest(data)
            files[rel] = pack_entry((stamp, "", value))
            if known[2] != value:
                staging.write(rel, data)
                result.written.append(rel)
        result.written.sort()
        return files

    def _map(self, function: Callable[[T], R], items: list[T]) -> Iterable[R]:
        """function(item) for item in items, in order, over all cores: forked workers
        inherit the items (nothing to pickle on the way there) where forking is safe."""
        self.cache.close()  # a child must not share this process's connection
        if self.fork:
            return map_indices(lambda i: function(items[i]), len(items), self._jobs())
        return map_items(function, items, self._jobs())

    def _jobs(self) -> int:
        return self.options.jobs or default_jobs()

    def _failed(self, result: BuildResult) -> bool:
        if self.options.strict:
            return bool(result.diagnostics)
        return bool(result.errors)


WALK_EVERY = 30.0  # seconds: the longest a build trusts a watcher to name what changed
_NOTHING: dict[str, Entry] = {}  # the last build's files, when there was none


def _same_shape(
    index: _Index,
    before: dict[str, AnnotatedArticle | None],
    item: AnnotatedArticle,
    indexed: AnnotatedArticle,
    config: Config,
) -> bool:
    """Whether an edited article has the shape (quick.shape) and URL it had in the
    index: then the index, but for what listings show of it, is as it was."""
    path = item.article.path
    raw = before.get(path)
    old = index.pending.get(path) or next(
        (i for i in index.archive.articles if i.article.path == path), None
    )
    if not isinstance(raw, AnnotatedArticle) or old is None:
        return False
    return (
        shape(item, indexed) == shape(raw, old)
        # two Urls: one keeps the first URL it finds for a path
        and Urls(config).article(item.article) == Urls(config).article(old.article)
    )


def _stamps(articles: Iterable[SourceFile]) -> dict[str, str]:
    """Article path -> what its text and time were (QuickState.files)."""
    return {s.path: f"{s.digest}|{s.mtime}" for s in articles}


@dataclass(slots=True)
class _Compared:
    """The pages of a plan against the last build's record of them."""

    manifest: Manifest | None
    due: Sequence[int]  # the pages whose key changed, by number
    same: dict[str, Stored]  # output file -> its record, of every other page


def _compared(pages: Plan, manifest: Manifest | None, whole: bool = True) -> _Compared:
    """Which pages' keys changed since the last build: after one edit, a handful; in a
    first build, all, whose jobs are made (and quote pages' keys found) by the
    processes that draw them. `whole`: the pages are every page of the site, so every
    entry of the record is unpacked at once, not looked for shard by shard."""
    if manifest is None:
        return _Compared(None, range(len(pages)), {})
    due, same = array("q"), {}
    stored = manifest.entries().get if whole else manifest.stored
    for index, (output, key) in enumerate(pages.keyed(manifest.quote_pages)):
        known = stored(output)
        if known is not None and (key is None or same_key(known, key)):
            same[output] = known
        else:
            due.append(index)
    return _Compared(manifest, due, same)


def _claims_as_before(
    pages: Plan, static: dict[str, Path], manifest: Manifest | None, compared: _Compared
) -> bool:
    """Whether the pages and static files claim exactly the files the last build made,
    each once: that build found no two claiming one file, so there are none now.
    The pages whose keys are the same claim files the last build made, once each
    if there are as many files as pages: only the others are looked at (166,000
    pages at 10,000 articles, nearly all the same after an edit)."""
    if manifest is None:
        return False
    made = manifest.entries()  # unpacked here, before the collector runs again
    same, due = compared.same, compared.due
    if len(pages) + len(static) != len(made) or len(same) + len(due) != len(pages):
        return False
    others = {pages.output(index) for index in due}
    others.update(static)
    return (
        len(others) == len(due) + len(static)
        and others.isdisjoint(same)
        and all(output in made for output in others)
    )


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that scheduled articles are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return datetime.fromtimestamp(int(epoch) if epoch.isdigit() else time.time(), UTC)


def build(site: Path, options: Options | None = None) -> BuildResult:
    """Build the site in `site`; the output is replaced only if there are no errors."""
    return Builder(site, options, fork=True).build()


class _Collector:
    """Pauses Python's cyclic garbage collector while the archive's records are read
    and indexed: they are long-lived and make next to no cycles (14 objects in 300
    articles), and every full collection walks all of them; it took two thirds of
    the time of loading 10,000 cached articles. When it runs again (rendering makes
    short-lived cycles), what exists by then is frozen, out of its sight, until the
    build ends: at 10,000 articles that took 1.8 s off the pages of one edit."""

    def __enter__(self) -> _Collector:
        self.paused = gc.isenabled()
        gc.disable()
        return self

    def resume(self) -> None:
        if self.paused:
            gc.freeze()
            gc.enable()
            self.paused = False

    def __exit__(self, *_: object) -> None:
        self.resume()
        gc.unfreeze()


class _Laps:
    """Adds the time since the last lap to a stage's total, and notes the process's
    peak memory so far: `build --timings`."""

    def __init__(self, timings: dict[str, tuple[float, float]]) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        seconds = self.timings.get(stage, (0.0, 0.0))[0] + now - self.last
        self.timings[stage] = (seconds, _peak_mb())
        self.last = now


def _peak_mb() -> float:
    """This process's largest resident set so far, in MB (0 where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024  # bytes on macOS


@dataclass(frozen=True, slots=True)
class _Made:
    print: str = ""
    digest: str = ""
    drawn: bool = False  # rendered anew
    written: bool = False  # its bytes changed, so it was staged
    problem: Diagnostic | None = None
    failed: str = ""  # the file could not be written
    stale: bool = False  # an article file changed since the build read it


def _make_one(
    job: PageJob,
    env: Any,
    site: Path,
    templates: str,
    previous: Entry | None,
    staging: Staging,
) -> _Made:
    """One page whose key changed: view it, render it unless its print is kept and
    unchanged, stage it if its bytes changed. `previous` is what the last build made of it."""
    _, old_print, old_digest = previous or ("", "", "")
    try:
        view = job.make_view()
    except SourceChanged as exc:
        return _stale(exc)
    except Exception as exc:  # a bug must be reported, never shown as a traceback
        return _broken(job, exc)
    if job.template is None:  # a file made whole: its bytes are its print
        data = job.content if job.content is not None else view
        if not isinstance(data, bytes):
            return _made_in_parts(job, data, old_digest, staging)
        fingerprint = digest(data)
        if fingerprint == old_print:
            return _Made(old_print, old_digest)
        drawn = False
    else:
        fingerprint = _view_print(job, view, templates) if job.printed else ""
        if fingerprint and fingerprint == old_print:
            return _Made(old_print, old_digest)
        try:
            rendered, problem = render_page(env, job, site, view)
        except SourceChanged as exc:  # read by the body, drawn lazily
            return _stale(exc)
        if rendered is None:
            return _Made(problem=problem)
        data, drawn = rendered, True
    value = digest(data)
    if value == old_digest:
        return _Made(fingerprint, value, drawn)
    try:
        staging.write(job.output, data)
    except WriteError as exc:
        return _Made(fingerprint, value, drawn, failed=str(exc))
    return _Made(fingerprint, value, drawn, True)


def _made_in_parts(job: PageJob, parts: Iterable[bytes], old: str, staging: Staging) -> _Made:
    """A file made whole, in parts (the open data): written as it is made, its digest
    is known only once it is whole, and it is dropped if that is the output's already."""
    try:
        value = staging.write_parts(job.output, parts)
    except WriteError as exc:
        return _Made(failed=str(exc))
    except Exception as exc:  # a bug must be reported, never shown as a traceback
        return _broken(job, exc)
    if value == old:  # written for nothing (50 MB at 10k): its bytes are the output's
        staging.drop(job.output)
        return _Made(value, value)
    return _Made(value, value, written=True)


def _broken(job: PageJob, exc: Exception) -> _Made:
    message = f"cannot make the page {job.url}: {type(exc).__name__}: {exc}"
    return _Made(problem=Diagnostic("error", job.source or job.output, None, message))


def _stale(exc: SourceChanged) -> _Made:
    return _Made(problem=Diagnostic("error", exc.path, None, str(exc)), stale=True)


def _parsed_and_annotated(
    job: tuple[SourceFile, str, str],
    site: Path,
    config: Config,
    registry: Registry,
    cache: DiskCache,
) -> _Item:
    """One article file parsed (or taken from the parse cache) and annotated, with
    only what its pages need (`_slim`); both results are cached on disk. Runs in
    workers: the parent never holds a whole parsed archive."""
    source, parse_key, item_key = job
    parsed = cache.get("parse", parse_key)
    if not (isinstance(parsed, tuple) and len(parsed) == 3 and _fresh(parsed, source)):
        if source.text is None:  # a build holds no texts: read where it is needed
            found = read_source(
                site / source.path, site, config, [], sidecars=source.sidecar_path is not None
            )
            if found is None or found.digest != source.digest:  # not what the keys name
                changed = Diagnostic("error", source.path, None, str(SourceChanged(source.path)))
                return None, (changed,), CHANGED  # the build fails; the next one walks
            source = found
        try:
            # its body rendered only where the cache keeps it for the article's page
            article, problems = parse_article(source, config, cache.folder is not None)
        except Exception as exc:  # a bug must be reported, never shown as a traceback
            message = f"cannot read this article: {type(exc).__name__}: {exc}"
            return None, (Diagnostic("error", source.path, None, message),), ""
        if article is not None:
            article = keep_skeleton(article, config, cache)
        parsed = (article, tuple(problems), _moment(article, source))
        cache.put("parse", parse_key, parsed)
    article, problems, moment = parsed
    if article is None:
        value: _Item = (None, problems, "")
    else:
        try:
            item = annotate(article, registry=registry, auto=config.auto_annotate)
        except Exception as exc:  # the article can still be published, unannotated
            message = (
                f"annotation failed ({type(exc).__name__}: {exc}); "
                "the article is published without entities and quotes"
            )
            warning = Diagnostic("warning", source.path, None, message)
            return AnnotatedArticle(article, (), (), (warning,)), problems, moment
        value = (_slim(item), problems, moment)
    cache.put("items", item_key, value)
    return value


_FALLBACK_DATES = ("file's modification time", "SOURCE_DATE_EPOCH")  # parse._fallback_date


def _moment(article: Article | None, source: SourceFile) -> str:
    """For an article dated by its file's time (or SOURCE_DATE_EPOCH), that time:
    its results hold only while it is the same. "" for all others, whose results
    the file's text alone decides (a checkout that touches every file redoes none)."""
    if article is None or article.date_from not in _FALLBACK_DATES:
        return ""
    return _when(source)


# The moment of a result from a file that was gone or changed when it was read to be
# parsed: never fresh, so never reused.
CHANGED = "changed"


def _fresh(value: tuple[Any, ...], source: SourceFile) -> bool:
    """Whether a cached (article or item, problems, moment) still holds for `source`."""
    return value[2] in ("", _when(source))


def _when(source: SourceFile) -> str:
    """What an undated article's date comes from: its file's time, or SOURCE_DATE_EPOCH."""
    return f"{source.mtime}|{os.environ.get('SOURCE_DATE_EPOCH', '')}"


def _slim(item: AnnotatedArticle) -> AnnotatedArticle:
    """An annotated article with only what its pages show. Not its text: the process
    drawing its page reads the file again (sources.ArticleTexts). Of its blocks: the
    first (the summary when it has none) and, in a text article, where each paragraph
    is in the source; the quotes hold their own paragraphs. Of its mentions: where
    they are (pages link them by place), as Spans. Annotation needed the rest, and
    `broadsheet annotate` shows it."""
    article = item.article
    first = article.blocks[0] if article.blocks else None
    if article.format == "text":
        blocks = tuple(
            Block(
                block.kind,
                block.text if block is first else "",
                (Run(0, block.runs[0].source, _end(block) - block.runs[0].source),),
                block.line,
            )
            for block in article.blocks
            if block.runs
        )
    else:
        blocks = (Block(first.kind, first.text, (), first.line),) if first else ()
    entities = tuple(replace(entity, mentions=Spans(entity.mentions)) for entity in item.entities)
    quotes = tuple(replace(quote, speaker_mention=None) for quote in item.quotes)
    article = replace(article, text="", blocks=blocks)
    return replace(item, article=article, entities=entities, quotes=quotes)


def _end(block: Block) -> int:
    return block.runs[-1].source + block.runs[-1].length


def _due(manifest: Manifest) -> bool:
    """True once an article the last build left out as scheduled should appear."""
    return manifest.due is not None and build_time().timestamp() >= manifest.due


def _display(path: Path, site: Path) -> str:
    """A path as diagnostics show it: relative to the site when inside it."""
    try:
        return path.resolve().relative_to(site.resolve()).as_posix()
    except ValueError:
        return str(path)


def _config_print(config: Config) -> str:
    return digest(repr(config).encode())


def _templates_print(dirs: list[Path], config: Config) -> str:
    """Changes whenever any template or the config changes: then every page is redrawn.

    Every file of the template folders counts, not only templates: a template may
    include any of them (an SVG from static/, a stylesheet inlined in <style>)."""
    parts = [repr(config).encode()]
    for folder in dirs:
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            parts.append(str(path).encode())
            if is_template(path.relative_to(folder).as_posix()):
                parts.append(path.read_bytes())
            else:  # possibly large (images): its size and time stand for it
                stat = path.stat()
                parts.append(f"{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest(b"\0".join(parts))


def _view_print(job: PageJob, view: Any, templates: str) -> str:
    return digest(
        pickle.dumps((job.url, job.template, templates, view), protocol=pickle.HIGHEST_PROTOCOL)
    )
