"""Parse: a SourceFile becomes an Article (or a RegistryEntity), or diagnostics."""

from __future__ import annotations

import os
import re
import tomllib
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

import yaml

from generator import frontmatter as fm
from generator.body import markdown_blocks, parse_markdown, text_blocks, text_paragraphs
from generator.config import Config
from generator.model import (
    ENTITY_TYPES,
    Article,
    Diagnostic,
    EditorQuote,
    RegistryEntity,
    SourceFile,
)

ARTICLE_FIELDS = (
    "title", "date", "updated", "authors", "source", "source_url", "tags", "section",
    "summary", "slug", "url", "draft", "entities", "quotes",
)
ENTITY_FIELDS = ("name", "type", "aliases", "wikidata", "id")
_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})[-_ ]")


def parse_article(source: SourceFile, config: Config) -> tuple[Article | None, list[Diagnostic]]:
    """Front matter and body of one article; never raises for content mistakes."""
    problems: list[Diagnostic] = []
    lines: dict[str, int] = {}
    try:
        head = fm.split(source.text)
        data = dict(head.data)
        lines = dict(head.key_lines)
        if source.sidecar is not None and source.sidecar_path:
            for key, value in _load_sidecar(source.sidecar, source.sidecar_path).items():
                data.setdefault(key, value)
        article = _build_article(source, config, head, data, problems)
    except fm.FrontMatterError as exc:
        path, line = source.path, exc.line
        key = _key_in(exc.message)
        if line is None and key:
            line = lines.get(key)
            if line is None and source.sidecar_path:
                path = source.sidecar_path  # the field came from the metadata file
        return None, [*problems, Diagnostic("error", path, line, exc.message)]
    return article, problems


def _key_in(message: str) -> str | None:
    match = re.match(r"'([^']+)'", message)
    return match.group(1) if match else None


def _load_sidecar(text: str, path: str) -> dict[str, Any]:
    try:
        if path.endswith(".toml"):
            data = tomllib.loads(text)
        else:
            data = yaml.load(text, Loader=fm._StrictLoader) or {}
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise fm.FrontMatterError(f"invalid metadata file {path}: {exc}", None) from None
    if not isinstance(data, dict):
        raise fm.FrontMatterError(f"metadata file {path} must be a mapping")
    return data


def _build_article(
    source: SourceFile,
    config: Config,
    head: fm.FrontMatter,
    data: dict[str, Any],
    problems: list[Diagnostic],
) -> Article | None:
    is_text = source.path.lower().endswith(".txt")
    body_start, body_line = head.body_start, head.body_line
    title = fm.text_field(data, "title")
    if is_text:
        paragraphs = text_paragraphs(source.text, body_start, body_line)
        if paragraphs and title is None:
            first = paragraphs.pop(0)
            title = first.text.replace("\n", " ")
        if paragraphs and _is_boilerplate(paragraphs[-1].text, config):
            paragraphs.pop()
        blocks = text_blocks(paragraphs)
    else:
        tokens = parse_markdown(source.text[body_start:], body_start, body_line, config.raw_html)
        blocks = markdown_blocks(tokens)
    if not source.text[body_start:].strip() and title is None:
        problems.append(Diagnostic("warning", source.path, None, "empty article, skipped"))
        return None
    if not title:
        raise fm.FrontMatterError("'title' is required")
    date, date_from = fm.date_field(data, "date"), "front matter"
    if date is None:
        date, date_from = _fallback_date(source)
        problems.append(
            Diagnostic("warning", source.path, None, f"no 'date'; using the {date_from}")
        )
    extra = tuple(sorted((k, v) for k, v in data.items() if k not in ARTICLE_FIELDS))
    return Article(
        path=source.path,
        text=source.text,
        format="text" if is_text else "markdown",
        title=title,
        date=date,
        updated=fm.date_field(data, "updated"),
        slug=fm.text_field(data, "slug") or "",
        authors=fm.list_field(data, "authors"),
        source=fm.text_field(data, "source"),
        source_url=fm.text_field(data, "source_url"),
        tags=fm.list_field(data, "tags"),
        section=fm.text_field(data, "section"),
        summary=fm.text_field(data, "summary"),
        draft=fm.bool_field(data, "draft"),
        url=fm.text_field(data, "url"),
        body_start=body_start,
        body_line=body_line,
        blocks=blocks,
        editor_entities=tuple(
            (name, head.key_lines.get("entities")) for name in fm.list_field(data, "entities")
        ),
        editor_quotes=_editor_quotes(data, head.key_lines.get("quotes")),
        extra=extra,
        date_from=date_from,
        digest=source.digest,
    )


def _is_boilerplate(text: str, config: Config) -> bool:
    if "\n" in text.strip():
        return False
    return re.sub(r"[\W_]+", " ", text).strip().lower() in config.boilerplate


def _fallback_date(source: SourceFile) -> tuple[datetime, str]:
    match = _DATED_NAME.match(PurePosixPath(source.path).name)
    if match:
        parsed = fm.parse_date(match.group(1))
        if parsed is not None:
            return parsed, "date in the file name"
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC), "SOURCE_DATE_EPOCH"
    return datetime.fromtimestamp(int(source.mtime), UTC), "file's modification time"


def _editor_quotes(data: dict[str, Any], line: int | None) -> tuple[EditorQuote, ...]:
    value = data.get("quotes")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise fm.FrontMatterError("'quotes' must be a list of {text, speaker}")
    quotes = []
    for item in value:
        if not isinstance(item, dict):
            raise fm.FrontMatterError("'quotes' must be a list of {text, speaker}")
        unknown = sorted(set(item) - {"text", "speaker"})
        if unknown:
            raise fm.FrontMatterError(f"'quotes' items take text and speaker, not '{unknown[0]}'")
        text = fm.text_field(item, "text", required=True)
        speaker = fm.text_field(item, "speaker", required=True)
        assert text is not None and speaker is not None
        quotes.append(EditorQuote(text, speaker, line))
    return tuple(quotes)


def parse_entity(source: SourceFile) -> tuple[RegistryEntity | None, list[Diagnostic]]:
    """A registry file content/entities/<id>.md: front matter, description body."""
    entity_id = PurePosixPath(source.path).stem
    head = None
    try:
        head = fm.split(source.text)
        data = head.data
        name = fm.text_field(data, "name", required=True)
        kind = (fm.text_field(data, "type") or "other").lower()
        if kind == "organisation":
            kind = "organization"
        if kind not in ENTITY_TYPES:
            raise fm.FrontMatterError(
                f"'type' must be one of {', '.join(ENTITY_TYPES)}, got '{kind}'"
            )
        declared = fm.text_field(data, "id")
        if declared and declared != entity_id:
            raise fm.FrontMatterError(
                f"'id' is '{declared}' but the file name says '{entity_id}'; rename one"
            )
        assert name is not None
        entity = RegistryEntity(
            id=entity_id,
            name=name,
            type=kind,
            aliases=fm.list_field(data, "aliases"),
            wikidata=fm.text_field(data, "wikidata"),
            description=source.text[head.body_start :].strip(),
            path=source.path,
            extra=tuple(sorted((k, v) for k, v in data.items() if k not in ENTITY_FIELDS)),
        )
    except fm.FrontMatterError as exc:
        line = exc.line
        if line is None and head is not None:
            key = _key_in(exc.message)
            line = head.key_lines.get(key) if key else None
        return None, [Diagnostic("error", source.path, line, exc.message)]
    return entity, []
