"""Article bodies: Markdown and plain text as plain-text blocks mapped to the source,
and back to HTML with entity mentions linked and quotes marked.

Every text token is located in the source file, so offsets found by annotation on
the plain text point into the file, and rendering can mark exactly those spans.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from generator.model import Block, Run

SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:", "ftp:", "ftps:")


@lru_cache(maxsize=4)
def markdown(raw_html: bool) -> MarkdownIt:
    """The one Markdown parser: CommonMark plus tables and strikethrough."""
    md = MarkdownIt("commonmark", {"html": raw_html, "typographer": False})
    md.enable(["table", "strikethrough"])
    # Keep escapes and entities as their own tokens, so every "text" token is a
    # verbatim slice of the source and can be located in it.
    md.disable("text_join")
    md.validateLink = _safe_link
    return md


def _safe_link(url: str) -> bool:
    candidate = re.sub(r"[\x00-\x20]+", "", url).lower()
    if ":" not in candidate.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return True  # relative link
    return candidate.startswith(SAFE_SCHEMES)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def parse_markdown(body: str, body_start: int, body_line: int, raw_html: bool) -> list[Token]:
    """Parse a Markdown body and record, on each text token, its offset in the file."""
    tokens = markdown(raw_html).parse(body)
    starts = _line_starts(body)
    for token in tokens:
        if token.type != "inline" or not token.map or not token.children:
            continue
        cursor = starts[token.map[0]] if token.map[0] < len(starts) else len(body)
        limit = starts[token.map[1]] if token.map[1] < len(starts) else len(body)
        for child in token.children:
            if child.type in ("text", "code_inline") and child.content:
                found = body.find(child.content, cursor, limit)
                if found != -1:
                    child.meta["src"] = body_start + found
                    cursor = found + len(child.content)
        token.meta["line"] = body_line + token.map[0]
    return tokens


_KIND_OF_OPEN = {"bullet_list_open": "li", "ordered_list_open": "li", "blockquote_open": "quote"}


def markdown_blocks(tokens: Sequence[Token]) -> tuple[Block, ...]:
    """The plain-text paragraphs, headings and list items of a parsed Markdown body."""
    blocks = []
    context: list[str] = []
    heading = False
    for token in tokens:
        if token.type in _KIND_OF_OPEN:
            context.append(_KIND_OF_OPEN[token.type])
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            if context:
                context.pop()
        elif token.type == "heading_open":
            heading = True
        elif token.type == "heading_close":
            heading = False
        elif token.type == "inline" and token.children is not None:
            kind = "h" if heading else (context[-1] if context else "p")
            block = _inline_block(token, kind)
            if block.text.strip():
                blocks.append(block)
    return tuple(blocks)


def _inline_block(token: Token, kind: str) -> Block:
    parts: list[str] = []
    runs: list[Run] = []
    length = 0
    for child in token.children or ():
        if child.type in ("text", "text_special", "code_inline"):
            piece = child.content
        elif child.type in ("softbreak", "hardbreak"):
            piece = " "
        else:
            continue
        if "src" in child.meta:
            runs.append(Run(length, child.meta["src"], len(piece)))
        parts.append(piece)
        length += len(piece)
    return Block(kind, "".join(parts), tuple(runs), token.meta.get("line", 1))


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    start: int  # offset in the file text
    line: int


def text_paragraphs(text: str, start: int, line: int) -> list[Paragraph]:
    """Blank-line separated paragraphs of a plain-text body, with their offsets."""
    paragraphs = []
    for match in re.finditer(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", text[start:]):
        raw = match.group(0)
        lead = len(raw) - len(raw.lstrip())
        paragraphs.append(
            Paragraph(
                raw.strip(),
                start + match.start() + lead,
                line + text.count("\n", start, start + match.start()),
            )
        )
    return paragraphs


def text_blocks(paragraphs: Sequence[Paragraph]) -> tuple[Block, ...]:
    """Plain-text paragraphs as blocks; line breaks inside a paragraph read as spaces."""
    return tuple(
        Block("p", p.text.replace("\n", " "), (Run(0, p.start, len(p.text)),), p.line)
        for p in paragraphs
    )


# --- rendering ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mark:
    """A span of the file to mark up: an entity mention or a quote."""

    start: int
    end: int
    kind: str  # "entity" or "quote"
    href: str
    label: str  # entity name, or "Quote by <speaker>"
    key: str  # entity id or quote id


def mark_text(text: str, offset: int, marks: Sequence[Mark], in_link: bool = False) -> str:
    """Escaped HTML for `text`, which sits at `offset` in the file, with `marks` applied.

    Quotes become <span class="quote"> with a small link to their page after the
    last word; entity mentions become links, unless already inside a link.
    """
    end = offset + len(text)
    relevant = [m for m in marks if m.start < end and m.end > offset]
    if not relevant:
        return escape(text, quote=False)
    quotes = [m for m in relevant if m.kind == "quote"]
    entities = [m for m in relevant if m.kind == "entity" and not in_link]
    out: list[str] = []
    edges = {offset, end}
    for quote in quotes:
        edges.update((max(quote.start, offset), min(quote.end, end)))
    events = sorted(edges)
    for left, right in itertools.pairwise(events):
        quote = next((q for q in quotes if q.start <= left and q.end >= right), None)
        inner = _entities_html(text, offset, left, right, entities)
        if quote is None:
            out.append(inner)
            continue
        out.append(f'<span class="quote" data-quote="{escape(quote.key)}">{inner}</span>')
        if quote.end == right and not in_link:
            out.append(
                f'<a class="quote-link" href="{escape(quote.href)}">'
                f'<span aria-hidden="true">\u2197</span>'
                f'<span class="visually-hidden">{escape(quote.label)}</span></a>'
            )
    return "".join(out)


def _entities_html(text: str, offset: int, left: int, right: int, marks: Sequence[Mark]) -> str:
    out = []
    position = left
    for mark in sorted(marks, key=lambda m: m.start):
        if mark.start < position or mark.end > right:
            continue  # overlaps something already linked, or crosses a quote edge
        out.append(escape(text[position - offset : mark.start - offset], quote=False))
        words = escape(text[mark.start - offset : mark.end - offset], quote=False)
        out.append(
            f'<a class="entity entity-{escape(mark.kind)}" href="{escape(mark.href)}" '
            f'data-entity="{escape(mark.key)}">{words}</a>'
        )
        position = mark.end
    out.append(escape(text[position - offset : right - offset], quote=False))
    return "".join(out)


def render_markdown(tokens: list[Token], marks: Sequence[Mark], raw_html: bool) -> str:
    """HTML of parsed Markdown tokens with `marks` applied to located text."""
    renderer = RendererHTML()
    ordered = sorted(marks, key=lambda m: m.start)
    depth = {"links": 0}

    def text_rule(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        if "src" not in token.meta:
            return escape(token.content, quote=False)
        return mark_text(token.content, token.meta["src"], ordered, depth["links"] > 0)

    def link_open(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        depth["links"] += 1
        return renderer.renderToken(tokens, idx, options, env)

    def link_close(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        depth["links"] -= 1
        return renderer.renderToken(tokens, idx, options, env)

    rules: dict[str, Callable[..., str]] = {
        "text": text_rule,
        "text_special": lambda tokens, idx, options, env: escape(tokens[idx].content, quote=False),
        "link_open": link_open,
        "link_close": link_close,
    }
    renderer.rules.update(rules)
    return renderer.render(tokens, markdown(raw_html).options, {})


def render_text(paragraphs: Sequence[Paragraph], marks: Sequence[Mark]) -> str:
    """HTML of plain-text paragraphs with `marks` applied."""
    ordered = sorted(marks, key=lambda m: m.start)
    return "\n".join(f"<p>{mark_text(p.text, p.start, ordered)}</p>" for p in paragraphs) + "\n"
