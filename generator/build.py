"""Build: the recipe that runs the stages in order, from site folder to output folder."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from generator.annotate import Registry, annotate
from generator.config import Config, load_config
from generator.executor import default_jobs, map_items
from generator.index import build_index
from generator.model import AnnotatedArticle, Article, BuildResult, Diagnostic, SourceFile
from generator.parse import parse_article, parse_entity
from generator.registry import check_registry
from generator.render import check_templates, environment, render_page, template_dirs
from generator.routes import Urls, check_article_url, plan
from generator.sources import find_sources, static_files
from generator.views import Views
from generator.write import WriteError, write_site


@dataclass(frozen=True, slots=True)
class Options:
    out: Path | None = None
    drafts: bool = False
    strict: bool = False
    jobs: int = 0  # 0: all cores
    overrides: dict[str, Any] | None = None
    write: bool = True


def build(site: Path, options: Options | None = None) -> BuildResult:
    """Build the site in `site`; the output is replaced only if there are no errors."""
    options = options or Options()
    started = time.perf_counter()
    result = BuildResult()
    config, problems = load_config(site, options.overrides)
    result.diagnostics += problems
    if result.errors:
        return result
    sources = find_sources(site, config)
    result.diagnostics += sources.diagnostics
    registry = _registry(sources.entities, result)
    jobs = options.jobs or default_jobs()
    parsed = map_items(partial(_parse, config=config), sources.articles, jobs)
    articles: list[Article] = []
    for article, problems in parsed:
        result.diagnostics += problems
        if article is not None and (options.drafts or not article.draft):
            articles.append(article)
    result.diagnostics += [p for a in articles if (p := check_article_url(a))]
    annotated = map_items(
        partial(_annotate, registry=registry, auto=config.auto_annotate), articles, jobs
    )
    for item in annotated:
        result.diagnostics += item.diagnostics
    archive = build_index(annotated, registry)
    urls = Urls(config)
    pages, collisions = plan(archive, urls, Views(archive, config, urls))
    result.diagnostics += collisions
    dirs = template_dirs(site, config.templates_dir)
    env = environment(dirs)
    result.diagnostics += check_templates(env, site)
    if _failed(result, options):
        return result
    rendered: dict[str, bytes] = {}
    for job in pages:
        data, problem = render_page(env, job, site)
        if problem is not None:
            result.diagnostics.append(problem)
        elif data is not None:
            rendered[job.output] = data
            result.rendered.append(job.url)
    result.pages = len(rendered)
    if _failed(result, options) or not options.write:
        return result
    output = options.out or site / config.output_dir
    try:
        write_site(output, rendered, static_files(site, dirs, config))
    except WriteError as exc:
        result.diagnostics.append(Diagnostic("error", str(output), None, str(exc)))
        return result
    result.written = sorted(rendered)
    result.seconds = time.perf_counter() - started
    return result


def _registry(files: tuple[SourceFile, ...], result: BuildResult) -> Registry:
    entities = []
    for source in files:
        entity, problems = parse_entity(source)
        result.diagnostics += problems
        if entity is not None:
            entities.append(entity)
    result.diagnostics += check_registry(entities)
    return Registry(entities)


def _parse(source: SourceFile, config: Config) -> tuple[Article | None, list[Diagnostic]]:
    return parse_article(source, config)


def _annotate(article: Article, registry: Registry, auto: bool) -> AnnotatedArticle:
    return annotate(article, registry, auto)


def _failed(result: BuildResult, options: Options) -> bool:
    if options.strict:
        return bool(result.diagnostics)
    return bool(result.errors)
