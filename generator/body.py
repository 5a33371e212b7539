"""Article bodies: Markdown and plain text as plain-text blocks mapped to the source,
and back to HTML with entity mentions linked and quotes marked.

Every text token is located in the source file, so offsets found by annotation on
the plain text point into the file, and rendering can mark exactly those spans.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from generator.model import Block, Run

SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:", "ftp:", "ftps:")


# How deep blocks may be nested (a list in a list item counts two: the list and the
# item). Past it the parser drops the rest of the body without a word, so a deeper
# body is an error (`too_deep`). CommonMark's preset stops at 20 (ten lists).
MAX_NESTING = 100


@lru_cache(maxsize=4)
def markdown(raw_html: bool) -> MarkdownIt:
    """The one Markdown parser: CommonMark plus tables and strikethrough."""
    md = MarkdownIt(
        "commonmark", {"html": raw_html, "typographer": False, "maxNesting": MAX_NESTING}
    )
    md.enable(["table", "strikethrough"])
    # Keep escapes and entities as their own tokens, so every "text" token is a
    # verbatim slice of the source and can be located in it.
    md.disable("text_join")
    md.validateLink = safe_url
    return md


def safe_url(url: str) -> bool:
    """A link a reader can follow safely: relative, or http(s), mailto, tel, ftp."""
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
        cursor = begin = starts[token.map[0]] if token.map[0] < len(starts) else len(body)
        limit = starts[token.map[1]] if token.map[1] < len(starts) else len(body)
        for child in token.children:
            if child.type in ("text", "code_inline") and child.content:
                found = body.find(child.content, cursor, limit)
                if found != -1:
                    child.meta["src"] = body_start + found
                    cursor = found + len(child.content)
        token.meta["line"] = body_line + token.map[0]
        token.meta["range"] = (body_start + begin, body_start + limit)
    return tokens


def too_deep(tokens: Sequence[Token]) -> int | None:
    """The line (0-based, in the body) of the block nested so deep that the parser
    dropped what follows it, or None when it dropped nothing."""
    for token in tokens:
        if token.nesting == 1 and token.level >= MAX_NESTING - 1:
            return token.map[0] if token.map else 0
    return None


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
    blocks = []
    for paragraph in paragraphs:
        runs, position, plain = [], paragraph.start, 0
        for line in paragraph.text.split("\n"):
            runs.append(Run(plain, position, len(line)))
            position += len(line) + 1
            plain += len(line) + 1  # the space standing for the line break is in no run
        blocks.append(Block("p", paragraph.text.replace("\n", " "), tuple(runs), paragraph.line))
    return tuple(blocks)


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
    category: str = ""  # an entity's type, for styling


def quote_link(mark: Mark) -> str:
    return (
        f'<a class="quote-link" href="{escape(mark.href)}">'
        f'<span aria-hidden="true">\u2197</span>'
        f'<span class="visually-hidden">{escape(mark.label)}</span></a>'
    )


class Marks:
    """An article's marks, sorted so those touching a stretch of text are found by
    bisection: a long article with thousands of mentions stays linear."""

    def __init__(self, marks: Sequence[Mark]) -> None:
        self.quotes = _SortedMarks([m for m in marks if m.kind == "quote"])
        self.entities = _SortedMarks([m for m in marks if m.kind == "entity"])
        # Each mention's opening tag, made once for each entity (an article names
        # a few entities many times).
        made: dict[tuple[str, str, str], str] = {}
        self.links: dict[int, str] = {}
        for mark in self.entities.marks:
            named = (mark.category, mark.href, mark.key)
            tag = made.get(named)
            if tag is None:
                tag = made[named] = (
                    f'<a class="entity entity-{escape(mark.category or "other")}" '
                    f'href="{escape(mark.href)}" data-entity="{escape(mark.key)}">'
                )
            self.links[id(mark)] = tag


class _SortedMarks:
    def __init__(self, marks: list[Mark]) -> None:
        self.marks = sorted(marks, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.marks]
        self.reach: list[int] = []  # the furthest end of any mark up to each index
        for mark in self.marks:
            self.reach.append(max(mark.end, self.reach[-1] if self.reach else mark.end))

    def touching(self, start: int, end: int) -> list[Mark]:
        low = bisect.bisect_right(self.reach, start)
        high = bisect.bisect_left(self.starts, end)
        return [m for m in self.marks[low:high] if m.end > start]


def mark_text(
    text: str,
    offset: int,
    marks: Marks,
    in_link: bool = False,
    linked: set[str] | None = None,
) -> str:
    """Escaped HTML for `text`, which sits at `offset` in the file, with `marks` applied.

    Quotes become <span class="quote"> with a small link to their page after the
    last word; entity mentions become links, unless already inside a link. The ids
    of quotes whose link was written are added to `linked`. One pass, in order.
    """
    end = offset + len(text)
    quotes = marks.quotes.touching(offset, end)
    entities = [] if in_link else marks.entities.touching(offset, end)
    if not quotes and not entities:
        return escape(text, quote=False)
    next_entity = 0
    links = marks.links

    def piece(left: int, right: int) -> str:
        """Text in [left, right) with the entity mentions wholly inside it linked."""
        nonlocal next_entity
        parts, position = [], left
        while next_entity < len(entities) and entities[next_entity].start < right:
            mark = entities[next_entity]
            if mark.start >= position and mark.end <= right:
                parts.append(escape(text[position - offset : mark.start - offset], quote=False))
                words = escape(text[mark.start - offset : mark.end - offset], quote=False)
                parts.append(f"{links[id(mark)]}{words}</a>")
                position = mark.end
            elif mark.end > right:
                break  # crosses the edge of a quote: dropped when the next piece starts
            next_entity += 1
        parts.append(escape(text[position - offset : right - offset], quote=False))
        return "".join(parts)

    out: list[str] = []
    position = offset
    for quote in quotes:
        left, right = max(quote.start, offset), min(quote.end, end)
        if left < position:
            continue  # overlaps the quote before it
        out.append(piece(position, left))
        out.append(
            f'<span class="quote" data-quote="{escape(quote.key)}">{piece(left, right)}</span>'
        )
        if quote.end == right and not in_link:
            out.append(quote_link(quote))
            if linked is not None:
                linked.add(quote.key)
        position = right
    out.append(piece(position, end))
    return "".join(out)


_RAW_OPEN = re.compile(r"<a[\s>]", re.IGNORECASE)
_RAW_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


# A Markdown body rendered but for what marks change: HTML, and between its pieces
# (text, offset, in_link) for a text located in the file, where mentions and quotes
# are marked, and (start, end) for the end of a paragraph-like run of inline text,
# where a quote whose last word could not be marked gets its page link. Made once,
# when the article is parsed; filled with each build's marks (`fill`).
Skeleton = tuple[str | tuple[str, int, bool] | tuple[int, int], ...]


class _SkeletonRenderer(RendererHTML):
    """Renders tokens as a Skeleton; never nests links; prefixes root-relative URLs."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix
        self.links = 0

    def render(self, tokens: Sequence[Token], options: Any, env: Any) -> Skeleton:  # type: ignore[override]
        parts: list[str | tuple[str, int, bool] | tuple[int, int]] = []
        html: list[str] = []

        def hole(part: tuple[str, int, bool] | tuple[int, int]) -> None:
            if html:
                parts.append("".join(html))
                html.clear()
            parts.append(part)

        for index, token in enumerate(tokens):
            if token.type != "inline":
                rule = self.rules.get(token.type)
                html.append(
                    rule(tokens, index, options, env)
                    if rule
                    else self.renderToken(tokens, index, options, env)
                )
                continue
            children = token.children or []
            for at, child in enumerate(children):
                if child.type == "text" and "src" in child.meta:
                    hole((child.content, child.meta["src"], self.links > 0))
                elif child.type in self.rules:
                    html.append(self.rules[child.type](children, at, options, env))
                else:
                    html.append(self.renderToken(children, at, options, env))
            if "range" in token.meta:
                hole(token.meta["range"])
        if html:
            parts.append("".join(html))
        return tuple(parts)

    def _local(self, url: str) -> str:
        if self.prefix != "/" and url.startswith("/") and not url.startswith(("//", self.prefix)):
            return self.prefix + url[1:]
        return url

    def text(self, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        return escape(tokens[idx].content, quote=False)  # not located: never marked

    def text_special(self, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        return escape(tokens[idx].content, quote=False)

    def link_open(self, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        self.links += 1
        href = tokens[idx].attrGet("href")
        if isinstance(href, str):
            tokens[idx].attrSet("href", self._local(href))
        return self.renderToken(tokens, idx, options, env)

    def link_close(self, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        self.links = max(0, self.links - 1)
        return self.renderToken(tokens, idx, options, env)

    def image(self, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        src = tokens[idx].attrGet("src")
        if isinstance(src, str):
            tokens[idx].attrSet("src", self._local(src))
        return super().image(tokens, idx, options, env)

    def html_inline(self, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        content = tokens[idx].content
        if _RAW_OPEN.match(content):
            self.links += 1
        elif _RAW_CLOSE.match(content):
            self.links = max(0, self.links - 1)
        return content


def skeleton(tokens: list[Token], raw_html: bool, prefix: str = "/") -> Skeleton:
    """A parsed Markdown body rendered but for its marks (see Skeleton)."""
    return _SkeletonRenderer(prefix).render(tokens, markdown(raw_html).options, {})


def fill(parts: Skeleton, marks: Sequence[Mark]) -> str:
    """The HTML of a Skeleton with `marks` applied to its located texts.

    Quotes become <span class="quote"> with a small link to their page after the
    last word; one whose last word sits inside a link (or in text that could not be
    located) gets its link at the end of the paragraph instead."""
    index = Marks(marks)
    linked: set[str] = set()
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif len(part) == 3:
            text, offset, in_link = part  # type: ignore[misc]
            out.append(mark_text(text, offset, index, in_link, linked))
        else:
            start, end = part  # type: ignore[misc]
            for quote in index.quotes.touching(start, end + 1):
                if quote.key not in linked and start < quote.end <= end:
                    out.append(quote_link(quote))
                    linked.add(quote.key)
    return "".join(out)


def render_markdown(
    tokens: list[Token], marks: Sequence[Mark], raw_html: bool, prefix: str = "/"
) -> str:
    """HTML of parsed Markdown tokens with `marks` applied to located text."""
    return fill(skeleton(tokens, raw_html, prefix), marks)


def render_text(paragraphs: Sequence[Paragraph], marks: Sequence[Mark]) -> str:
    """HTML of plain-text paragraphs with `marks` applied."""
    index = Marks(marks)
    return "\n".join(f"<p>{mark_text(p.text, p.start, index)}</p>" for p in paragraphs) + "\n"
