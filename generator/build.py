"""Build: the recipe that runs the stages in order, from site folder to output folder.

`build()` is one clean build. A `Builder` keeps what it parsed, annotated and
rendered, so the next build (in `serve`) redoes only what changed; its output is
byte-identical to a clean build's.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from generator.annotate import ANNOTATOR_VERSION, annotate
from generator.cache import CACHE_DIR, DiskCache
from generator.cache import key as cache_key
from generator.config import Config, load_config
from generator.executor import default_jobs, map_indices, map_items
from generator.index import build_index
from generator.model import AnnotatedArticle, Article, BuildResult, Diagnostic, SourceFile
from generator.parse import parse_article
from generator.registry import Registry, load_registry
from generator.render import (
    check_templates,
    environment,
    is_template,
    render_page,
    template_dirs,
)
from generator.routes import PageJob, Urls, check_article_url, collisions, plan
from generator.sources import find_sources, static_files
from generator.views import Views
from generator.write import WriteError, check_output, update_site, write_site


@dataclass(frozen=True, slots=True)
class Options:
    out: Path | None = None
    drafts: bool = False
    future: bool = False  # include articles dated after now
    cache: bool = True  # keep parse and annotate results in the site's .broadsheet-cache/
    strict: bool = False
    jobs: int = 0  # 0: all cores
    overrides: dict[str, Any] | None = None
    write: bool = True
    search: bool = False  # a search index will be built over the output


@dataclass(slots=True)
class _Memory:
    """What the last build made, keyed so a changed input can never reuse it."""

    parsed: dict[str, tuple[str, tuple[Article | None, list[Diagnostic]]]] = field(
        default_factory=dict
    )
    annotated: dict[str, tuple[str, AnnotatedArticle]] = field(default_factory=dict)
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # output -> (print, bytes)
    written: dict[str, str] | None = None  # output -> digest of what is on disk


class Builder:
    """Builds one site again and again, redoing only the work whose inputs changed."""

    def __init__(self, site: Path, options: Options | None = None, remember: bool = True) -> None:
        self.site = site
        self.options = options or Options()
        self.remember = remember  # keep page fingerprints for the next build
        self.cache = DiskCache(site / CACHE_DIR if self.options.cache else None)
        self.memory = _Memory()

    @property
    def output(self) -> Path:
        config, _ = load_config(self.site, self.options.overrides)
        return self.options.out or self.site / config.output_dir

    def build(self, incremental: bool = False) -> BuildResult:
        """Build; write everything anew, or (incremental) only the files that changed."""
        started = time.perf_counter()
        result = BuildResult()
        config, problems = load_config(self.site, self.options.overrides)
        result.diagnostics += problems
        if result.errors:
            return result
        sources = find_sources(self.site, config)
        result.diagnostics += sources.diagnostics
        registry, problems = load_registry(sources.entities)
        result.diagnostics += problems
        articles = self._parse(sources.articles, config, result)
        result.diagnostics += [p for a in articles if (p := check_article_url(a))]
        annotated = self._annotate(articles, registry, config, result)
        archive = build_index(annotated, registry)
        urls = Urls(config)
        pages = plan(archive, urls, Views(archive, config, urls, self.options.search))
        dirs = template_dirs(self.site, config.templates_dir)
        static = static_files(self.site, dirs, config)
        result.diagnostics += collisions(
            pages, {output: _display(path, self.site) for output, path in static.items()}
        )
        env = environment(dirs)
        result.diagnostics += check_templates(env, self.site)
        if self._failed(result):
            return result
        rendered = self._render(pages, env, _templates_print(dirs, config), result)
        result.pages = len(rendered)
        if self._failed(result) or not self.options.write:
            return result
        self._write(config, rendered, static, incremental, result)
        result.seconds = time.perf_counter() - started
        return result

    def _parse(
        self, files: tuple[SourceFile, ...], config: Config, result: BuildResult
    ) -> list[Article]:
        config_key = _config_print(config)
        memory = self.memory.parsed
        # The file's time is part of the key: an undated article takes its date from it.
        config_key += os.environ.get("SOURCE_DATE_EPOCH", "")
        todo = [s for s in files if memory.get(s.path, ("",))[0] != _source_print(s, config_key)]
        keys = {s.path: cache_key(s.path, _source_print(s, config_key)) for s in todo}
        missing = []
        for source in todo:
            cached = self.cache.get("parse", keys[source.path])
            if cached is None:
                missing.append(source)
            else:
                memory[source.path] = (_source_print(source, config_key), cached)
        work = partial(parse_article, config=config)
        for source, parsed in zip(missing, map_items(work, missing, self._jobs()), strict=True):
            memory[source.path] = (_source_print(source, config_key), parsed)
            self.cache.put("parse", keys[source.path], parsed)
        for stale in set(memory) - {s.path for s in files}:
            del memory[stale]
        articles = []
        now = build_time()
        for source in files:
            article, problems = memory[source.path][1]
            result.diagnostics += problems
            if article is not None and not self.options.future and article.date > now:
                result.scheduled.append(article.path)
            elif article is not None and (self.options.drafts or not article.draft):
                articles.append(article)
        return articles

    def _annotate(
        self, articles: list[Article], registry: Registry, config: Config, result: BuildResult
    ) -> list[AnnotatedArticle]:
        settings = f"{ANNOTATOR_VERSION}|{registry.digest}|{config.auto_annotate}"
        memory = self.memory.annotated
        todo = [a for a in articles if memory.get(a.path, ("",))[0] != _article_print(a, settings)]
        missing = []
        for article in todo:
            cached = self.cache.get(
                "annotate", cache_key(article.path, _article_print(article, settings))
            )
            if cached is None:
                missing.append(article)
            else:
                memory[article.path] = (_article_print(article, settings), cached)
        work = partial(annotate, registry=registry, auto=config.auto_annotate)
        for article, item in zip(missing, map_items(work, missing, self._jobs()), strict=True):
            memory[article.path] = (_article_print(article, settings), item)
            self.cache.put(
                "annotate", cache_key(article.path, _article_print(article, settings)), item
            )
        for stale in set(memory) - {a.path for a in articles}:
            del memory[stale]
        annotated = [memory[a.path][1] for a in articles]
        for item in annotated:
            result.diagnostics += item.diagnostics
        return annotated

    def _render(
        self, pages: list[PageJob], env: Any, templates: str, result: BuildResult
    ) -> dict[str, bytes]:
        """Render every page whose view or templates changed since the last build.

        A one-shot build keeps no fingerprints and renders in parallel processes."""
        memory = self.memory.pages
        remember = self.remember

        def one(index: int) -> tuple[bytes | None, str | None, Diagnostic | None, bool]:
            return _render_one(
                pages[index], env, self.site, templates, memory.get(pages[index].output), remember
            )

        jobs = 1 if remember else self._jobs()
        done = map_indices(one, len(pages), jobs)
        rendered: dict[str, bytes] = {}
        fresh: dict[str, tuple[str, bytes]] = {}
        for job, (data, fingerprint, problem, drawn) in zip(pages, done, strict=True):
            if problem is not None:
                result.diagnostics.append(problem)
                continue
            assert data is not None
            rendered[job.output] = data
            if drawn:
                result.rendered.append(job.url)
            if fingerprint is not None:
                fresh[job.output] = (fingerprint, data)
        if not result.errors:
            self.memory.pages = fresh
        return rendered

    def _write(
        self,
        config: Config,
        rendered: dict[str, bytes],
        static: dict[str, Path],
        incremental: bool,
        result: BuildResult,
    ) -> None:
        output = self.options.out or self.site / config.output_dir
        inputs = [
            *(self.site / d for d in config.article_dirs),
            self.site / config.entity_dir,
            self.site / config.templates_dir,
            self.site / config.static_dir,
        ]
        try:
            check_output(output, self.site, inputs)
            if incremental and self.memory.written is not None and output.is_dir():
                changed, deleted, self.memory.written = update_site(
                    output, rendered, static, self.memory.written
                )
                result.written, result.deleted = changed, deleted
            else:
                self.memory.written = write_site(output, rendered, static)
                result.written = sorted(self.memory.written)
        except WriteError as exc:
            self.memory.written = None
            where = _display(output, self.site)
            result.diagnostics.append(Diagnostic("error", where, None, str(exc)))

    def _jobs(self) -> int:
        return self.options.jobs or default_jobs()

    def _failed(self, result: BuildResult) -> bool:
        if self.options.strict:
            return bool(result.diagnostics)
        return bool(result.errors)


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that scheduled articles are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return datetime.fromtimestamp(int(epoch) if epoch.isdigit() else time.time(), UTC)


def build(site: Path, options: Options | None = None) -> BuildResult:
    """Build the site in `site`; the output is replaced only if there are no errors."""
    return Builder(site, options, remember=False).build()


def _render_one(
    job: PageJob,
    env: Any,
    site: Path,
    templates: str,
    previous: tuple[str, bytes] | None,
    remember: bool,
) -> tuple[bytes | None, str | None, Diagnostic | None, bool]:
    """One page: (bytes, fingerprint, problem, whether it was drawn anew)."""
    if job.template is None:
        return job.content or b"", None, None, False
    try:
        view = job.view() if job.view else {}
    except Exception as exc:  # a bug must be reported, never shown as a traceback
        message = f"cannot make the page {job.url}: {type(exc).__name__}: {exc}"
        return None, None, Diagnostic("error", job.source or job.output, None, message), False
    fingerprint = _view_print(job, view, templates) if remember else None
    if previous is not None and previous[0] == fingerprint:
        return previous[1], fingerprint, None, False
    data, problem = render_page(env, job, site, view)
    return data, fingerprint, problem, True


def _display(path: Path, site: Path) -> str:
    """A path as diagnostics show it: relative to the site when inside it."""
    try:
        return path.resolve().relative_to(site.resolve()).as_posix()
    except ValueError:
        return str(path)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _source_print(source: SourceFile, config_key: str) -> str:
    return f"{source.digest}|{source.mtime}|{config_key}"


def _config_print(config: Config) -> str:
    return _digest(repr(config).encode())


def _article_print(article: Article, settings: str) -> str:
    return f"{article.digest}|{article.draft}|{article.date.isoformat()}|{settings}"


def _templates_print(dirs: list[Path], config: Config) -> str:
    """Changes whenever any template or the config changes: then every page is redrawn."""
    parts = [repr(config).encode()]
    for folder in dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and is_template(path.relative_to(folder).as_posix()):
                parts += [str(path).encode(), path.read_bytes()]
    return _digest(b"\0".join(parts))


def _view_print(job: PageJob, view: Any, templates: str) -> str:
    return _digest(
        pickle.dumps((job.url, job.template, templates, view), protocol=pickle.HIGHEST_PROTOCOL)
    )
