"""Configuration: site.toml read, checked and completed with defaults."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.model import Diagnostic

CONFIG_FILE = "site.toml"
DEFAULT_ARTICLE_DIRS = ("content", "seeds")  # either may be missing; named ones may not
OVERRIDDEN = "command line"  # where a setting given by a flag (--base-url) is reported


@dataclass(frozen=True, slots=True)
class Config:
    title: str = "Broadsheet"
    description: str = "An annotated news archive."
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    author: str = ""
    article_dirs: tuple[str, ...] = DEFAULT_ARTICLE_DIRS
    entity_dir: str = "content/entities"
    static_dir: str = "static"
    templates_dir: str = "templates"
    output_dir: str = "public"
    per_page: int = 10
    quotes_per_page: int = 50
    entity_per_page: int = 50
    tag_per_page: int = 50
    feed_entries: int = 20
    raw_html: bool = False
    auto_annotate: bool = True
    slug_source: str = "title"
    boilerplate: tuple[str, ...] = (
        "source link",
        "source",
        "read more",
        "continue reading",
        "advertisement",
    )
    max_file_size: int = 5_000_000
    cname: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def base_path(self) -> str:
        """The path prefix every internal link starts with: "/" or "/archive/"."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def origin(self) -> str:
        """Scheme and host of base_url, without the path: "https://example.org"."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"


_TYPES: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "description": str,
    "base_url": str,
    "language": str,
    "author": str,
    "article_dirs": list,
    "entity_dir": str,
    "static_dir": str,
    "templates_dir": str,
    "output_dir": str,
    "per_page": int,
    "quotes_per_page": int,
    "entity_per_page": int,
    "tag_per_page": int,
    "feed_entries": int,
    "raw_html": bool,
    "auto_annotate": bool,
    "slug_source": str,
    "boilerplate": list,
    "max_file_size": int,
    "cname": str,
    "extra": dict,
}
KNOWN_KEYS = tuple(f.name for f in fields(Config))


def load_config(
    site: Path, overrides: dict[str, Any] | None = None
) -> tuple[Config, list[Diagnostic]]:
    """Read site.toml (if any) and return the config and every problem found in it."""
    path = site / CONFIG_FILE
    raw: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    if path.is_file():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            line = _toml_error_line(str(exc))
            message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
            return Config(), [Diagnostic("error", CONFIG_FILE, line, f"invalid TOML: {message}")]
        except (OSError, UnicodeDecodeError) as exc:
            return Config(), [Diagnostic("error", CONFIG_FILE, None, f"cannot read: {exc}")]
    raw.update(overrides or {})
    lines = _key_lines(path) if path.is_file() else {}

    def where(key: str) -> tuple[str, int | None]:
        """Where a setting was given: its line of site.toml, or the command line."""
        if key in (overrides or {}):
            return OVERRIDDEN, None
        return CONFIG_FILE, lines.get(key)

    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _TYPES:
            hint = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            problems.append(Diagnostic("error", *where(key), f"unknown key '{key}'{suggestion}"))
            continue
        expected = _TYPES[key]
        if (isinstance(value, bool) and expected is int) or not isinstance(value, expected):
            name = expected.__name__ if isinstance(expected, type) else "value"
            problems.append(
                Diagnostic("error", *where(key), f"'{key}' must be a {_type_word(name)}")
            )
            continue
        if isinstance(value, list):
            if not all(isinstance(item, str) for item in value):
                problems.append(
                    Diagnostic("error", *where(key), f"'{key}' must be a list of strings")
                )
                continue
            value = tuple(value)
        values[key] = value
    problems.extend(_check_values(values, where))
    if any(p.severity == "error" for p in problems):
        return Config(), problems
    return Config(**values), problems


def _check_values(
    values: dict[str, Any], where: Callable[[str], tuple[str, int | None]]
) -> list[Diagnostic]:
    problems = []
    base = values.get("base_url")
    if base is not None:
        problem = _url_problem(base)
        if problem:
            message = f"'base_url' must be an absolute http(s) URL ({problem}), got '{base}'"
            problems.append(Diagnostic("error", *where("base_url"), message))
        elif not base.endswith("/"):
            values["base_url"] = base + "/"
    per_page = ("per_page", "quotes_per_page", "entity_per_page", "tag_per_page")
    for key in (*per_page, "feed_entries", "max_file_size"):
        if key in values and values[key] < 1:
            problems.append(Diagnostic("error", *where(key), f"'{key}' must be at least 1"))
    for key in ("entity_dir", "static_dir", "templates_dir", "output_dir", "article_dirs"):
        folders = values.get(key)
        for folder in (folders,) if isinstance(folders, str) else folders or ():
            parts = Path(folder).parts
            if Path(folder).is_absolute() or ".." in parts or "\\" in folder:
                problems.append(
                    Diagnostic(
                        "error",
                        *where(key),
                        f"'{key}' must be a folder inside the site, got '{folder}'",
                    )
                )
    if values.get("slug_source", "title") not in ("title", "filename"):
        problems.append(
            Diagnostic(
                "error",
                *where("slug_source"),
                "'slug_source' must be 'title' or 'filename'",
            )
        )
    if "boilerplate" in values:
        values["boilerplate"] = tuple(item.strip().lower() for item in values["boilerplate"])
    return problems


def _url_problem(url: str) -> str:
    """What is wrong with a base URL, or "" when nothing is."""
    if re.search(r"[\x00-\x20\x7f]", url):
        return "spaces and control characters must be written as %20 and the like"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "a scheme and a host"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return "no query or fragment: every page's address is made from it"
    if re.search(r"%(?![0-9A-Fa-f]{2})", url):
        return "'%' starts an escape such as %20"
    return ""


def _type_word(name: str) -> str:
    return {
        "str": "string",
        "int": "whole number",
        "bool": "true or false",
        "list": "list",
        "dict": "table",
    }.get(name, name)


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"at line (\d+)", message)
    return int(match.group(1)) if match else None


def _key_lines(path: Path) -> dict[str, int]:
    """Line of each top-level key, so diagnostics can point at it."""
    lines: dict[str, int] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return lines
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("["):
            break
        match = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines
