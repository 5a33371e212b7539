"""Typed records passed between the stages. Imports nothing of ours."""

from __future__ import annotations

import bisect
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter
from typing import Any, Literal, TypeVar, overload

R = TypeVar("R")


def fast_pickle(cls: type[R] | None = None, *, shared: tuple[str, ...] = ()) -> Any:
    """Pickle a slots dataclass as (class, field values).

    The __getstate__ that dataclasses generate looks the fields up on every call;
    builds pickle hundreds of thousands of records (the cache, page fingerprints),
    and this is several times faster. The `shared` fields are strings that recur in
    many records (an entity's id, name and type in each article naming it): interned
    when unpickled, each is held once however many articles are loaded (17 MB less
    at 10,000 articles). Such records are made without calling __init__, which in a
    frozen dataclass sets each field through object.__setattr__: that pays for the
    interning (a quote is made about as fast as by __init__)."""

    def decorate(cls: type[R]) -> type[R]:
        names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
        values = attrgetter(*names)
        if shared:
            restore = _restorer(cls, names, shared)
            cls.__reduce__ = lambda self: (restore, (values(self),))  # type: ignore[method-assign, assignment]
        elif len(names) == 1:
            cls.__reduce__ = lambda self: (cls, (values(self),))  # type: ignore[method-assign, assignment]
        else:
            cls.__reduce__ = lambda self: (cls, values(self))  # type: ignore[method-assign, assignment]
        return cls

    return decorate if cls is None else decorate(cls)


def _restorer(cls: type[R], names: tuple[str, ...], shared: tuple[str, ...]) -> Callable[..., R]:
    """The function that makes a record of `cls` from its pickled field values, the
    `shared` ones interned: written out field by field, as dataclasses writes
    __init__, since a loop over the fields took a third longer (150,000 quotes are
    unpickled whenever a build loads 10,000 articles). It is this module's
    `_restore_<class>`, which is how pickle names it."""
    name = f"_restore_{cls.__name__}"
    count = len(names)
    setters = ", ".join(f"s{i}=s{i}" for i in range(count))
    lines = [
        f"def {name}(values, new=object.__new__, cls=cls, intern=sys.intern, {setters}):",
        "    record = new(cls)",
        f"    {', '.join(f'v{i}' for i in range(count))}, = values",
    ]
    for i, field_name in enumerate(names):
        value = f"v{i} if v{i} is None else intern(v{i})" if field_name in shared else f"v{i}"
        lines.append(f"    s{i}(record, {value})")
    lines.append("    return record")
    scope: dict[str, Any] = {"cls": cls, "sys": sys}
    scope.update((f"s{i}", getattr(cls, n).__set__) for i, n in enumerate(names))  # slots'
    exec("\n".join(lines), scope)  # our own source, made of numbered names only
    restore = scope[name]
    restore.__module__, restore.__qualname__ = __name__, name
    globals()[name] = restore
    return restore  # type: ignore[no-any-return]


# Control characters as escapes, so that a diagnostic stays on one line.
_ONE_LINE = {c: f"\\x{c:02x}" for c in (*range(32), 127)} | {10: "\\n", 13: "\\r", 9: "\\t"}

Severity = Literal["error", "warning"]
EntityType = Literal["person", "organization", "place", "other"]
ENTITY_TYPES: tuple[str, ...] = ("person", "organization", "place", "other")


@fast_pickle
@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem in the user's content or configuration, with where it is."""

    severity: Severity
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        """One line, whatever the file's name or the message hold (a newline is shown
        as \\n): tools and people read a diagnostic a line at a time."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}".translate(_ONE_LINE)

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line or 0, self.message)


@fast_pickle
@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file read from the site: its path relative to the site, its text and digest."""

    path: str  # posix, relative to the site root: "content/articles/a.md"
    # Decoded, universal newlines: what open(path, encoding="utf-8") gives; None for a
    # file unchanged since the last build and so not read (sources.find_sources), and
    # in the sources a build holds (it reads a file again where it needs the text).
    text: str | None
    digest: str
    mtime: float = 0.0
    sidecar: str | None = None  # text of "<stem>.meta.toml|yaml" beside a .txt article
    sidecar_path: str | None = None


@fast_pickle
@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of a block's plain text copied verbatim from the source file."""

    plain: int  # offset in Block.text
    source: int  # offset in the file's full text
    length: int


@fast_pickle
@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph-like unit of an article's body as plain text, mapped to the source."""

    kind: str  # "p", "h", "li", "quote"
    text: str
    runs: tuple[Run, ...]
    line: int  # 1-based line in the source file

    def to_source(self, offset: int, end: bool = False) -> int | None:
        """Source offset of plain offset `offset`, or None if it falls in no run.

        An end offset (`end=True`) belongs to the run it closes, not to the run that
        starts there: "Brandt" in "**Brandt** said" ends before the "**".
        """
        # Runs are in order: look only at the run starting at or before the offset
        # (or, for an end offset, strictly before it).
        index = (
            bisect.bisect_left(self.runs, offset, key=lambda r: r.plain)
            if end
            else (bisect.bisect_right(self.runs, offset, key=lambda r: r.plain))
        )
        if index == 0:
            return None
        run = self.runs[index - 1]
        inside = offset <= run.plain + run.length if end else offset < run.plain + run.length
        return run.source + offset - run.plain if inside else None


@fast_pickle
@dataclass(frozen=True, slots=True)
class EditorQuote:
    text: str
    speaker: str
    line: int | None = None


@fast_pickle
@dataclass(frozen=True, slots=True)
class Article:
    """One parsed article: metadata from front matter, body as source and plain blocks."""

    path: str
    text: str  # the full file text (offsets in annotations point into it)
    format: Literal["markdown", "text"]
    title: str
    date: datetime
    updated: datetime | None
    slug: str
    authors: tuple[str, ...] = ()
    source: str | None = None
    source_url: str | None = None
    tags: tuple[str, ...] = ()
    section: str | None = None
    summary: str | None = None
    draft: bool = False
    url: str | None = None  # an explicit URL path from front matter
    body_start: int = 0  # offset of the body in `text`
    body_line: int = 1
    blocks: tuple[Block, ...] = ()
    editor_entities: tuple[tuple[str, int | None], ...] = ()  # (id or name, line)
    editor_quotes: tuple[EditorQuote, ...] = ()
    extra: tuple[tuple[str, Any], ...] = ()
    date_from: str = "front matter"  # or "file name", "modification time"
    digest: str = ""
    # A Markdown body rendered but for its marks (body.Skeleton), when the parse was
    # asked for it: the build moves it to the cache (sources.ArticleTexts.skeleton).
    skeleton: tuple[Any, ...] | None = None

    @property
    def body(self) -> str:
        return self.text[self.body_start :]


@fast_pickle
@dataclass(frozen=True, slots=True)
class RegistryEntity:
    """An entity written by editors in content/entities/<id>.md."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    description: str = ""  # Markdown
    path: str = ""
    extra: tuple[tuple[str, Any], ...] = ()


@fast_pickle
@dataclass(frozen=True, slots=True)
class Mention:
    start: int  # offsets into Article.text
    end: int
    text: str


class Spans(Sequence[Mention]):
    """Mentions without their words, as one array of offsets instead of a record for
    each: what an annotated article keeps of its mentions once annotation is done
    (build._slim). About 16 bytes a mention instead of 130: 300,000 mentions at
    10,000 articles."""

    __slots__ = ("_offsets",)

    def __init__(self, mentions: Iterable[Mention] = ()) -> None:
        self._offsets = array("q", [n for m in mentions for n in (m.start, m.end)])

    def __len__(self) -> int:
        return len(self._offsets) // 2

    @overload
    def __getitem__(self, index: int) -> Mention: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Mention, ...]: ...
    def __getitem__(self, index: int | slice) -> Mention | tuple[Mention, ...]:
        if isinstance(index, slice):
            return tuple(self)[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("mention index out of range")
        return Mention(self._offsets[2 * index], self._offsets[2 * index + 1], "")

    def __iter__(self) -> Iterator[Mention]:
        offsets = self._offsets
        return (Mention(offsets[n], offsets[n + 1], "") for n in range(0, len(offsets), 2))

    def __eq__(self, other: object) -> bool:
        """Equal to Spans of the same offsets, and to the tuple of Mentions it stands for."""
        if isinstance(other, Spans):
            return self._offsets == other._offsets
        return isinstance(other, tuple) and tuple(self) == other

    def __hash__(self) -> int:
        return hash(tuple(self))  # as the equal tuple's

    def __repr__(self) -> str:
        return f"Spans({list(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_spans, (self._offsets.tobytes(),))


def _spans(data: bytes) -> Spans:
    spans = Spans()
    spans._offsets.frombytes(data)
    return spans


@fast_pickle(shared=("id", "name", "type", "origin"))
@dataclass(frozen=True, slots=True)
class ArticleEntity:
    """An entity as one article names it."""

    id: str
    name: str
    type: str
    mentions: Sequence[Mention]  # a tuple; Spans once annotation is done
    origin: Literal["registry", "editor", "auto"] = "auto"


@fast_pickle(shared=("speaker_id", "speaker_name", "origin"))
@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    text: str
    start: int | None  # offsets into Article.text of the words, without quotation marks
    end: int | None
    speaker_id: str | None
    speaker_name: str | None
    speaker_mention: Mention | None
    paragraph: str  # plain text of the paragraph(s) around the quote
    origin: Literal["editor", "auto"] = "auto"
    context: tuple[int, int] = (0, 0)  # where the quote is in `paragraph`


@fast_pickle
@dataclass(frozen=True, slots=True)
class AnnotatedArticle:
    article: Article
    entities: tuple[ArticleEntity, ...]
    quotes: tuple[Quote, ...]
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(slots=True)
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # the files drawn anew
    pages: int = 0
    scheduled: list[str] = field(default_factory=list)  # articles dated in the future
    seconds: float = 0.0
    # stage -> (seconds, the process's peak memory in MB by its end)
    timings: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]
