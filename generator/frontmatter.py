"""Front matter: split it from the body, load YAML or TOML safely, check field types."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime
from typing import Any

import yaml

BOM = "\ufeff"


class FrontMatterError(Exception):
    """A mistake in front matter; `line` is 1-based in the whole file."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class FrontMatter:
    data: dict[str, Any]
    body_start: int  # offset of the body in the file text
    body_line: int  # 1-based line where the body starts
    key_lines: dict[str, int]  # line of each top-level key
    format: str  # "yaml", "toml" or "none"


_FENCES = {"---": "yaml", "+++": "toml"}


def split(text: str) -> FrontMatter:
    """Separate front matter from the body. No front matter gives empty data."""
    start = 1 if text.startswith(BOM) else 0
    first_end = text.find("\n", start)
    first = text[start : first_end if first_end != -1 else len(text)].rstrip()
    if first not in _FENCES:
        return FrontMatter({}, start, 1, {}, "none")
    kind = _FENCES[first]
    closers = ("---", "...") if kind == "yaml" else ("+++",)
    position = first_end + 1 if first_end != -1 else len(text)
    line = 2
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end == -1 else end
        if text[position:end].rstrip() in closers:
            raw = text[first_end + 1 : position]
            body_start = min(end + 1, len(text))
            data = _load(raw, kind)
            return FrontMatter(data, body_start, line + 1, _key_lines(raw, kind), kind)
        position = end + 1
        line += 1
    raise FrontMatterError(f"front matter is not closed (no line '{first}' after the first)", 1)


def _load(raw: str, kind: str) -> dict[str, Any]:
    if kind == "toml":
        try:
            return tomllib.loads(raw)
        except RecursionError:
            raise FrontMatterError("invalid TOML front matter: nested too deeply", 2) from None
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
            line = int(match.group(1)) + 1 if match else _last_line(raw) + 2
            message = re.sub(r"\s*\(at end of document\)", "", str(exc))
            message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
            raise FrontMatterError(f"invalid TOML front matter: {message}", line) from None
        except ValueError:  # (after its subclass above) a number too long to turn into one
            found = re.search(r"\d{1000,}", raw)
            line = raw.count("\n", 0, found.start()) + 2 if found else 2
            message = "invalid TOML front matter: a number too long to read"
            raise FrontMatterError(message, line) from None
    try:
        data = _load_yaml(raw)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        index = mark.line if mark is not None else None
        if index is not None and index >= raw.count("\n"):
            # The problem shows at the end (an unclosed bracket or quote): point at the
            # line that opened it, or at least at the last line with something on it.
            context = exc.context_mark.line if exc.context_mark is not None else index
            index = min(context, _last_line(raw))
        line = index + 2 if index is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise FrontMatterError(f"invalid YAML front matter: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"invalid YAML front matter: {exc}", 1) from None
    except RecursionError:
        raise FrontMatterError("invalid YAML front matter: nested too deeply", 1) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError("front matter must be a mapping of 'key: value' lines", 2)
    fields = {str(key): value for key, value in data.items()}
    for key, value in fields.items():
        if _not_text(key) or _not_text(value):  # "\ud800": an escape of half a character
            message = f"invalid YAML front matter: '{key}' holds an escape that is no character"
            raise FrontMatterError(message.translate(_SHOWN), _key_lines(raw, "yaml").get(key, 2))
    return fields


_SHOWN = {c: "?" for c in range(0xD800, 0xE000)}  # lone surrogates cannot be printed
_SURROGATE = re.compile("[\ud800-\udfff]")


def _not_text(value: Any) -> bool:
    """Whether a value holds a lone surrogate, which no file or page can hold."""
    if isinstance(value, str):
        return not value.isascii() and _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_not_text(k) or _not_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_not_text(item) for item in value)
    return False


def _last_line(raw: str) -> int:
    """0-based index of the last line of `raw` that is not blank."""
    lines = raw.rstrip().split("\n")
    return max(len(lines) - 1, 0)


def _load_yaml(raw: str) -> Any:
    """Strict safe YAML, parsed by libyaml when PyYAML has it (several times faster).

    The strict checks of aliases happen while composing, which libyaml does in C: so
    text that could hold an alias (a '*'), and any text libyaml refuses (for the
    same diagnostics everywhere), goes through the pure-Python loader."""
    if _FastLoader is not None and "*" not in raw:
        try:
            return yaml.load(raw, Loader=_FastLoader)
        except yaml.YAMLError:
            pass
    return yaml.load(raw, Loader=_StrictLoader)


class _StrictConstructor:
    """Refuses duplicate keys and impossible dates (which plain PyYAML lets escape
    as ValueError)."""

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"impossible date '{node.value}' ({exc})", node.start_mark
            ) from None

    def construct_yaml_int(self, node: Any) -> Any:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python turns into a number
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"a number too long to read ({len(node.value):,} characters)",
                node.start_mark,
            ) from None

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain value", key_node.start_mark
                ) from None
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}'", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _key_lines(raw: str, kind: str) -> dict[str, int]:
    pattern = re.compile(r"([A-Za-z0-9_-]+)\s*:" if kind == "yaml" else r"([A-Za-z0-9_-]+)\s*=")
    lines: dict[str, int] = {}
    for number, line in enumerate(raw.split("\n"), 2):
        if kind == "toml" and line.lstrip().startswith("["):
            match = re.match(r"\s*\[+\s*([A-Za-z0-9_-]+)", line)
            if match:
                lines.setdefault(match.group(1), number)
            continue
        match = pattern.match(line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines


# --- field types -------------------------------------------------------------


def text_field(data: dict[str, Any], key: str, required: bool = False) -> str | None:
    """A string field; numbers are accepted as their text (`title: 1984`)."""
    value = data.get(key)
    if value is None:
        if required:
            raise FrontMatterError(f"'{key}' is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise FrontMatterError(f"'{key}' must be text, got {_describe(value)}")
    text = str(value).strip()
    if required and not text:
        raise FrontMatterError(f"'{key}' must not be empty")
    return text


def list_field(data: dict[str, Any], key: str) -> tuple[str, ...]:
    """A list of strings; a single string is a list of one."""
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise FrontMatterError(f"'{key}' must be a list of text, got {_describe(value)}")
    items = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise FrontMatterError(f"'{key}' must be a list of text, found {_describe(item)}")
        if str(item).strip():
            items.append(str(item).strip())
    return tuple(items)


def bool_field(data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise FrontMatterError(f"'{key}' must be true or false, got {_describe(value)}")
    return value


def date_field(data: dict[str, Any], key: str) -> datetime | None:
    value = data.get(key)
    if value is None:
        return None
    parsed = parse_date(value)
    if parsed is None:
        shown = _describe(value) if not isinstance(value, str) else repr(value)
        raise FrontMatterError(
            f"'{key}' is not a date: {shown} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)"
        )
    return parsed


_TEXT_FORMATS = (
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M%z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%d %B %Y %H:%M",
    "%B %d, %Y %H:%M",
)


def parse_date(value: Any) -> datetime | None:
    """A timezone-aware datetime from YAML/TOML dates or the common written forms."""
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), UTC)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        for pattern in _TEXT_FORMATS:
            try:
                parsed = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if parsed is None and "," in text:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, (date, datetime)):
        return f"the date {value}"
    if isinstance(value, time):  # TOML's local time: a time of day without a date
        return f"the time {value.isoformat()} (no day)"
    return repr(value)


class _StrictLoader(_StrictConstructor, yaml.SafeLoader):
    """Safe YAML that also refuses aliases (no "billion laughs")."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in front matter", event.start_mark
            )
        return super().compose_node(parent, index)  # type: ignore[misc]


_FastLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(_StrictConstructor, yaml.CSafeLoader):  # type: ignore[no-redef]
        """The same, parsed by libyaml; only for text without aliases."""


for _loader in (_StrictLoader, _FastLoader):
    if _loader is not None:
        _loader.add_constructor(
            "tag:yaml.org,2002:timestamp", _StrictConstructor.construct_yaml_timestamp
        )
        _loader.add_constructor("tag:yaml.org,2002:int", _StrictConstructor.construct_yaml_int)


def load_mapping(text: str, path: str) -> dict[str, Any]:
    """A whole YAML or TOML file (a metadata sidecar) as a mapping with text keys."""
    kind = "toml" if path.endswith(".toml") else "yaml"
    try:
        data = _load(text, kind)
    except FrontMatterError as exc:
        line = exc.line - 1 if exc.line else None  # _load counts the opening fence
        raise FrontMatterError(exc.message.replace(" front matter", ""), line) from None
    return data
