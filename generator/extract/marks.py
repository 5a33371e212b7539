"""Extraction helper: pair quotation marks into quoted passages, apostrophes left alone."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Quotation marks and paragraph breaks, scanned together in one left-to-right pass.
_EVENT_RE = re.compile(r"[\"“”„‟«»‹›'‘’]|\n[ \t]*\n")
_ELISIONS = re.compile(r"(?:em|n|til|tis|twas|cause|bout|round)\b", re.IGNORECASE)
_OPENERS_BEFORE = " \t\n([{—–-/\"“‘'«‹:"
_MAX_DEPTH = 6
# After a plural possessive comes what is owned, not a function word: `the workers' pay`,
# but `called them 'thieves and liars' in a speech`.
_LOWER_WORD_AFTER = re.compile(
    r" (?!(?:and|or|but|nor|in|on|to|by|for|at|from|with|that|which|who|as|of|the|a|an|"
    r"is|was|are|were|he|she|they|it|said|says|after|before|over|during|when|while)\b)[a-z]"
)


@dataclass(frozen=True, slots=True)
class Passage:
    """A top-level quotation: words from `start` to `end`, marks at `open_at` / `close_at`."""

    start: int
    end: int
    open_at: int
    close_at: int
    pieces: int  # paragraphs it spans


def _role(text: str, i: int, ch: str) -> tuple[str, str] | None:
    """('open'|'close'|'either', family) for a mark, or None for an apostrophe."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if (
        ch == "“"
        and not prev.isspace()
        and prev not in _OPENERS_BEFORE
        and (nxt.isspace() or nxt in ".,;:!?)]—–-")
    ):
        return "close", "d"  # German „…“, or an English closing mark typed the wrong way
    if ch in "“„‟":
        return "open", "d"
    if ch == "”":
        return ("open", "d") if prev in _OPENERS_BEFORE and not nxt.isspace() else ("close", "d")
    if ch in "«‹":
        return "open", "g"
    if ch in "»›":
        return "close", "g"
    if ch == '"':
        if prev in _OPENERS_BEFORE and not nxt.isspace():
            return "open", "d"
        if not prev.isspace():
            return "close", "d"
        return "either", "d"
    # Single marks: an apostrophe unless the context says otherwise.
    if prev.isalnum() and nxt.isalnum():
        return None  # don't, Russia’s, O'Brien
    if prev in _OPENERS_BEFORE and (nxt.isalpha() or nxt in '"“…'):
        if _ELISIONS.match(text, i + 1):
            return None  # 'em, 'til
        return "open", "s"
    if nxt.isdigit() and not prev.isalnum():
        return None  # the '90s
    if not prev.isspace() and (nxt.isspace() or nxt in '.,;:!?)]—–-"”'):
        return "close", "s"  # may still be a plural possessive: settled in pairing
    return None


def find_passages(text: str) -> list[Passage]:
    """Top-level quoted passages, joined across paragraphs by the news convention."""
    passages: list[Passage] = []
    stack: list[tuple[str, int]] = []  # (family, index of the opening mark)
    carried: tuple[int, int] | None = None  # (first open mark, pieces) of a continuing quote
    para_end = -1  # end of the paragraph being read, found when first needed
    for m in _EVENT_RE.finditer(text):
        i = m.start()
        ch = m.group()
        if ch[0] == "\n":
            carried = _paragraph_break(text, m.end(), stack, carried)
            stack.clear()
            if carried is not None and carried[0] < 0:  # no reopening mark: still open
                carried = (-carried[0] - 1, carried[1])
                stack.append((family_of_open(text, carried[0]), carried[0]))
            continue
        role = _role(text, i, ch)
        if role is None:
            continue
        kind, family = role
        if kind == "either":
            kind = "close" if any(f == family for f, _ in stack) else "open"
        if kind == "open":
            if not stack and carried is not None and _starts_para(text, i):
                # The continuation paragraph's own opening mark resumes the carried quote.
                stack.append((family, carried[0]))
                continue
            if len(stack) >= _MAX_DEPTH:
                del stack[0]
            stack.append((family, i))
            continue
        if family == "s" and text[i - 1 : i] == "s" and _LOWER_WORD_AFTER.match(text, i + 1):
            if para_end < i:
                para_end = text.find("\n\n", i)
                para_end = len(text) if para_end < 0 else para_end
            if _closes_later(text, i + 1, para_end):
                continue  # `'The workers' patience has run out,'`: a plural possessive
        # A close: pop back to the matching family, discarding unclosed marks inside it.
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == family:
                opened = stack[depth][1]
                del stack[depth:]
                if not stack:
                    pieces = carried[1] if carried and carried[0] == opened else 1
                    _emit(text, passages, opened, i, pieces)
                    carried = None
                break
    return passages


def _closes_later(text: str, start: int, end: int) -> bool:
    """True when a single closing mark follows in text[start:end] (the rest of a paragraph)."""
    for m in _EVENT_RE.finditer(text, start, end):
        role = _role(text, m.start(), m.group())
        if role is not None and role == ("close", "s"):
            return True
    return False


def family_of_open(text: str, i: int) -> str:
    role = _role(text, i, text[i])
    return role[1] if role else "d"


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _starts_para(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < 0 or text[j] == "\n"


def _paragraph_break(
    text: str, after: int, stack: list[tuple[str, int]], carried: tuple[int, int] | None
) -> tuple[int, int] | None:
    """A quote left open at a paragraph's end continues only if the next one opens a quote."""
    if not stack:
        return None
    opened = stack[0][1]
    j = _skip_space(text, after)
    pieces = carried[1] + 1 if carried and carried[0] == opened else 2
    if j < len(text) and text[j] in "\"“„«‘'":
        return opened, pieces
    if _closes_first(text, j, stack[-1][0]):
        # Block quotations often drop the reopening mark: the next paragraph just goes on
        # and closes the quote. Carry it there; the next paragraph's close ends it.
        stack[:] = stack[:1]
        return -opened - 1, pieces
    return None


def _closes_first(text: str, i: int, family: str) -> bool:
    """True when the paragraph from `i` closes a quote of `family` before opening any."""
    end = text.find("\n\n", i)
    end = len(text) if end < 0 else end
    for m in _EVENT_RE.finditer(text, i, end):
        role = _role(text, m.start(), m.group())
        if role is None or role[1] != family:
            continue
        return role[0] == "close"
    return False


def _emit(text: str, out: list[Passage], open_at: int, close_at: int, pieces: int) -> None:
    start, end = open_at + 1, close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Passage(start, end, open_at, close_at, pieces))
