"""Render: page views through Jinja2 templates into bytes. Touches no output file."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator
from markupsafe import Markup, escape

from generator.model import Diagnostic
from generator.routes import PageJob
from generator.sources import SourceChanged

PACKAGE = Path(__file__).resolve().parent


def default_theme() -> Path:
    """The default theme: inside the installed package, or the repository's templates/."""
    installed = PACKAGE / "theme"
    return installed if installed.is_dir() else PACKAGE.parent / "templates"


def template_dirs(site: Path, templates_dir: str) -> list[Path]:
    """The site's own templates first, then the default theme's."""
    dirs = []
    own = (site / templates_dir).resolve()
    if own.is_dir():
        dirs.append(own)
    theme = default_theme().resolve()
    if theme not in dirs:
        dirs.append(theme)
    return dirs


TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".svg", ".json", ".j2", ".jinja")


def is_template(name: str) -> bool:
    """Templates are text files of these kinds outside static/; the rest is ignored."""
    return not name.startswith("static/") and name.endswith(TEMPLATE_SUFFIXES)


def environment(dirs: Iterable[Path], compiled: Path | None = None) -> jinja2.Environment:
    """The templates of these folders; with `compiled`, a folder where templates compiled
    once are kept for the next process (Jinja checks each against its source)."""
    cache = None
    if compiled is not None:
        try:
            compiled.mkdir(parents=True, exist_ok=True)
            cache = jinja2.FileSystemBytecodeCache(str(compiled))
        except OSError:
            pass  # compiled again each time: slower, no worse
    env = _Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        bytecode_cache=cache,
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no need to stat on each use
    )
    env.globals["reuse"] = Reuse()
    return env


class Reuse:
    """`{% call reuse(key, ...) %}HTML{% endcall %}` in a template: the HTML is made the
    first time a build meets the key, and used as made wherever the key comes again
    in that build. A speaker's newest quotes are listed on each of their quote pages:
    made once, their cards take a quarter of the time of drawing such a page. The key
    must name everything the HTML shows; `forget()` starts each build afresh."""

    KEPT = 4096  # the latest made, not all: a listing shows each quote once

    def __init__(self) -> None:
        self._made: dict[tuple[Any, ...], str] = {}

    def __call__(self, *key: Any, caller: Callable[[], str]) -> str:
        made = self._made.get(key)
        if made is None:
            if len(self._made) >= self.KEPT:
                self._made.clear()
            made = self._made[key] = caller()
        return made

    def forget(self) -> None:
        self._made.clear()


def forget_reused(env: jinja2.Environment) -> None:
    """Start a build: HTML kept by `reuse` in the last one may show what has changed."""
    reuse = env.globals.get("reuse")
    if isinstance(reuse, Reuse):
        reuse.forget()


try:  # markupsafe's own escaping of a str, in C where it is built
    from markupsafe._speedups import _escape_inner as _escape_text
except ImportError:  # pragma: no cover (markupsafe without its C part)

    def _escape_text(text: str) -> str:
        """markupsafe's escape of a str, without wrapping it in Markup."""
        return (
            text.replace("&", "&amp;")
            .replace(">", "&gt;")
            .replace("<", "&lt;")
            .replace("'", "&#39;")
            .replace('"', "&#34;")
        )


def output_escape(value: Any) -> Any:
    """What `{{ value }}` puts in an autoescaped page: markupsafe's escape, but a plain
    str escaped is not wrapped in Markup, nor Markup wrapped again. What a template
    outputs is only joined into the page, never tested for being Markup, so nothing
    else changes. A quote page prints some 50 values: this saves 20 us of its 90."""
    kind = value.__class__
    if kind is str:
        return _escape_text(value)
    if kind is Markup:
        return value
    return escape(value)


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, but what a template outputs with autoescape on goes
    through `output_escape` (the environment's `output_escape`)."""

    def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.output_escape(")
        if finalize.src is not None:
            self.write(finalize.src)


# What a plain dict has as attributes: its methods. Nothing else: no instance dict.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja's environment, but `page.title` on a dict finds the key without first
    failing to find an attribute. Views are dicts: Jinja's way (the attribute, else
    the item) raised and caught an AttributeError some 30 times per page. The result
    is the same: a dict's only attributes are its methods, and those still win."""

    code_generator_class = _CodeGenerator
    output_escape = staticmethod(output_escape)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        try:  # Jinja's first try, without a call to it: the summaries are dataclasses
            return getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)


# C0 controls other than tab and newlines, which XML 1.0 forbids and no page needs:
# they make feeds unreadable to every feed reader. Removed from each page once, which
# costs far less than checking every value a template prints.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The same C0 controls as bytes. In UTF-8 no other character has a byte below 0x20,
# so deleting these bytes from a page's UTF-8 deletes exactly those characters.
_CONTROL_BYTES = bytes(range(0x20)).translate(None, b"\t\n\r")


def check_templates(env: jinja2.Environment, site: Path) -> list[Diagnostic]:
    """Compile every template now, so syntax errors are reported with file and line."""
    problems = []
    for name in sorted(env.list_templates(filter_func=is_template)):
        try:
            env.get_template(name)
        except UnicodeDecodeError:
            problems.append(
                Diagnostic("error", f"templates/{name}", None, "template is not valid UTF-8")
            )
        except jinja2.TemplateSyntaxError as exc:
            problems.append(
                Diagnostic(
                    "error",
                    _display(exc.filename or name, site),
                    exc.lineno,
                    exc.message or "template syntax error",
                )
            )
    return problems


def render_page(
    env: jinja2.Environment, job: PageJob, site: Path, view: Any = None
) -> tuple[bytes | None, Diagnostic | None]:
    """The bytes of one page, or a diagnostic naming the template file and line."""
    if job.template is None:
        return job.content or b"", None
    try:
        template = env.get_template(job.template)
        if view is None:
            view = job.make_view()
        text = template.render(view)
    except jinja2.TemplateSyntaxError as exc:
        return None, Diagnostic(
            "error",
            _display(exc.filename or job.template, site),
            exc.lineno,
            exc.message or "template syntax error",
        )
    except jinja2.TemplateNotFound as exc:
        return None, Diagnostic(
            "error", f"templates/{job.template}", None, f"template not found: {exc.name}"
        )
    except SourceChanged:
        raise  # not the template's doing: the caller reports it
    except Exception as exc:
        filename, line = _template_frame(exc, job.template)
        message = (
            str(exc) if isinstance(exc, jinja2.TemplateError) else (f"{type(exc).__name__}: {exc}")
        )
        return None, Diagnostic(
            "error", _display(filename, site), line, f"{message} (rendering {job.url})"
        )
    return _without_controls(text), None


def _without_controls(text: str) -> bytes:
    """A page's UTF-8 without the characters XML forbids (`_CONTROL`). Five times
    faster than searching the text with the pattern first (16 us on a quote page)."""
    if "\ufffe" in text or "\uffff" in text:
        text = _CONTROL.sub("", text)
    return text.encode("utf-8").translate(None, _CONTROL_BYTES)


def _template_frame(exc: BaseException, fallback: str) -> tuple[str, int | None]:
    """The innermost template file and line in the traceback of an error."""
    found: tuple[str, int | None] = (fallback, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt", ".svg")):
            found = (frame.filename, frame.lineno)
    return found


def _display(filename: str, site: Path) -> str:
    path = Path(filename)
    for root in (site.resolve(), default_theme().resolve().parent):
        try:
            return path.resolve().relative_to(root).as_posix()
        except (ValueError, OSError):
            continue
    return filename
