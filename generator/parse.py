"""Parse: a SourceFile becomes an Article (or a RegistryEntity), or diagnostics."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from generator import frontmatter as fm
from generator.body import (
    MAX_NESTING,
    markdown_blocks,
    parse_markdown,
    text_blocks,
    text_paragraphs,
    too_deep,
)
from generator.body import skeleton as render_skeleton
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
    "title",
    "date",
    "updated",
    "authors",
    "source",
    "source_url",
    "tags",
    "section",
    "summary",
    "slug",
    "url",
    "draft",
    "entities",
    "quotes",
)
ENTITY_FIELDS = ("name", "type", "aliases", "wikidata", "id")
_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})[-_ ]")


def parse_article(
    source: SourceFile, config: Config, render_body: bool = False
) -> tuple[Article | None, list[Diagnostic]]:
    """Front matter and body of one article; never raises for content mistakes. With
    `render_body`, a Markdown body is also rendered but for its marks (Article.skeleton),
    for a build that keeps it in its cache."""
    problems: list[Diagnostic] = []
    is_text = source.path.lower().endswith(".txt")
    try:
        head = fm.split(source.text)
    except fm.FrontMatterError as exc:
        if not is_text:
            return None, [Diagnostic("error", source.path, exc.line, exc.message)]
        head = fm.FrontMatter({}, 1 if source.text.startswith(fm.BOM) else 0, 1, {}, "none")
    data = dict(head.data)
    from_sidecar: set[str] = set()
    if source.sidecar is not None and source.sidecar_path:
        try:
            side = fm.load_mapping(source.sidecar, source.sidecar_path)
        except fm.FrontMatterError as exc:
            return None, [Diagnostic("error", source.sidecar_path, exc.line, exc.message)]
        for key, value in side.items():
            if key not in data:
                data[key] = value
                from_sidecar.add(key)
    fields = _Fields(data, source, head.key_lines, from_sidecar)
    article = _build_article(source, config, head, fields, problems, render_body)
    if fields.errors:
        return None, problems + fields.errors
    return article, problems


class _Fields:
    """Reads front matter fields, collecting every mistake instead of stopping at one."""

    def __init__(
        self, data: dict[str, Any], source: SourceFile, lines: dict[str, int], sidecar: set[str]
    ) -> None:
        self.data, self.source, self.lines, self.sidecar = data, source, lines, sidecar
        self.errors: list[Diagnostic] = []

    def read(
        self, reader: Callable[[dict[str, Any], str], Any], key: str, default: Any = None
    ) -> Any:
        try:
            return reader(self.data, key)
        except fm.FrontMatterError as exc:
            self.error(key, exc.message)
            return default

    def error(self, key: str, message: str) -> None:
        if key in self.sidecar and self.source.sidecar_path:
            self.errors.append(Diagnostic("error", self.source.sidecar_path, None, message))
        else:
            self.errors.append(Diagnostic("error", self.source.path, self.lines.get(key), message))


def _build_article(
    source: SourceFile,
    config: Config,
    head: fm.FrontMatter,
    fields: _Fields,
    problems: list[Diagnostic],
    render_body: bool,
) -> Article | None:
    is_text = source.path.lower().endswith(".txt")
    body_start, body_line = head.body_start, head.body_line
    title = fields.read(fm.text_field, "title")
    skeleton = None
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
        if (deep := too_deep(tokens)) is not None:
            message = (
                f"lists or block quotes nested too deeply (over {MAX_NESTING} levels); "
                "nothing after this line could be read"
            )
            problems.append(Diagnostic("error", source.path, body_line + deep, message))
            return None
        blocks = markdown_blocks(tokens)
        if render_body:
            skeleton = render_skeleton(tokens, config.raw_html, config.base_path)
    if not source.text[body_start:].strip() and not fields.data:
        problems.append(Diagnostic("warning", source.path, None, "empty article, skipped"))
        return None
    if not title and "title" not in fields.data:
        fields.errors.append(
            Diagnostic("error", source.path, 1 if fields.data else None, "'title' is required")
        )
    elif not title and not fields.errors:
        fields.error("title", "'title' must not be empty")
    date, date_from = fields.read(fm.date_field, "date"), "front matter"
    if date is None and "date" in fields.data and fields.data["date"] in (None, ""):
        fields.error("date", "'date' is empty")
    elif date is None and "date" not in fields.data:
        date, date_from = _fallback_date(source)
        problems.append(
            Diagnostic("warning", source.path, None, f"no 'date'; using the {date_from}")
        )
    extra = tuple(sorted((k, v) for k, v in fields.data.items() if k not in ARTICLE_FIELDS))
    article = dict(
        updated=fields.read(fm.date_field, "updated"),
        slug=fields.read(fm.text_field, "slug") or "",
        authors=fields.read(fm.list_field, "authors", ()),
        source=fields.read(fm.text_field, "source"),
        source_url=fields.read(fm.text_field, "source_url"),
        tags=fields.read(fm.list_field, "tags", ()),
        section=fields.read(fm.text_field, "section"),
        summary=fields.read(fm.text_field, "summary"),
        draft=fields.read(fm.bool_field, "draft", False),
        url=fields.read(fm.text_field, "url"),
        editor_entities=tuple(
            (name, head.key_lines.get("entities"))
            for name in fields.read(fm.list_field, "entities", ())
        ),
        editor_quotes=fields.read(
            lambda data, key: _editor_quotes(data, head.key_lines.get(key)), "quotes", ()
        ),
    )
    if fields.errors or not title or date is None:
        return None
    return Article(
        path=source.path,
        text=source.text,
        format="text" if is_text else "markdown",
        title=title,
        date=date,
        body_start=body_start,
        body_line=body_line,
        blocks=blocks,
        extra=extra,
        date_from=date_from,
        digest=source.digest,
        skeleton=skeleton,
        **article,
    )


def _key_in(message: str) -> str | None:
    """The field a message is about: "'type' must be ..." -> "type"."""
    match = re.match(r"'([^']+)'", message)
    return match.group(1) if match else None


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
