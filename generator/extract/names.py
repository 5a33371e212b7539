"""Extraction helpers: capitalised-name candidates, sentence starts and title stripping."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as lx

_UPPER = "A-ZÀ-ÖØ-Þ"
_WORD = r"[\w’'-]"
# One capitalised token. Abbreviations with a period are listed so that a period
# ending a sentence ("... in Russia.") is never swallowed into a name.
_ABBREV = ("Mr|Mrs|Ms|Dr|St|Jr|Sr|Inc|Co|Corp|Ltd|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Prof|Rev|"
           "Adm|Maj|Mt|Ft|Messrs")
_TOKEN = (rf"(?:(?:[{_UPPER}]\.){{2,}}|(?:{_ABBREV})\.|[{_UPPER}]\.(?=[ ][{_UPPER}])"
          rf"|[{_UPPER}]{_WORD}*(?:\.(?=[{_UPPER}]))?{_WORD}*)")
_CONNECTORS = "of|for|to|the|de|da|del|della|van|von|der|den|al|bin|ibn|la|le|du|dos|das|y"
_LINK = rf"(?:[ \t]+(?:(?:{_CONNECTORS})[ \t]+)*)"
CANDIDATE_RE = re.compile(rf"(?<![\w’'.])(?:al-|el-)?{_TOKEN}(?:{_LINK}{_TOKEN})*")
TOKEN_RE = re.compile(rf"{_TOKEN}|[a-z]+")
_POSSESSIVE_RE = re.compile(r"(?:[’'](?:s|m|re|ve|ll|d)?|-[a-z][\w-]*)$")

# Words after which "of"/"for"/"to" stay inside a name: "Bank of England".
_JOIN_OF = lx.ORG_WORDS | lx.TITLE_WORDS | lx.words(
    "Republic Kingdom Gulf Isle Duke Bay Sea Statue House Church Cathedral Province State "
    "Strait Cape Straits Sisters Friends Daughters Sons People Federation Islands")
PARTICLES = lx.words("de da del della van von der den al bin ibn la le du dos das y")

# Titles that name a role; the other title words only modify one ("Defence", "Vice").
_MODIFIERS = lx.words("""
Vice Prime Deputy Foreign Defence Defense Interior Finance Health Home Education Trade Energy
Economy State Treasury Agriculture Transport Culture Labour Labor Environment Former Ex Acting
Interim Senior Junior Executive Managing Assistant Associate Crown Supreme Commanding Minority
Majority Private Field Opposition Party Shadow Affairs Security National Homeland Police Army
Team Economic Communications Saint St. Justice Head Member
""")
CORE_TITLES = lx.TITLE_WORDS - _MODIFIERS
_TITLE_PREFIX = lx.TITLE_WORDS | frozenset(lx.DEMONYM_COUNTRY) | lx.COUNTRIES | frozenset(
    lx.PLACE_ALIASES) | lx.CAPITALS | lx.OTHER_PLACES | lx.KNOWN_ORGS | lx.words(
    "to of for the")
_ACRONYM_RE = re.compile(r"(?:[A-Z]\.?){2,6}")

_SENTENCE_END_RE = re.compile(r"[.!?:;]")
_LEADING_OPENERS = " \t\"“‘'«(["


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def tokens_of(text: str, start: int, end: int) -> list[Token]:
    """Tokens of one candidate, possessives and lowercase hyphen tails cut off."""
    out: list[Token] = []
    for m in TOKEN_RE.finditer(text, start, end):
        word = m.group()
        if word[0].isupper() and len(word) > 1:
            cut = _POSSESSIVE_RE.search(word)
            if cut and cut.start() > 0:
                word = word[: cut.start()]
        out.append(Token(word, m.start(), m.start() + len(word)))
    return out


def is_sentence_start(text: str, pos: int) -> bool:
    """True when `pos` opens a sentence, a paragraph or a quotation."""
    i = pos - 1
    opened = False
    while i >= 0 and text[i] in _LEADING_OPENERS:
        opened = opened or text[i] in "\"“‘'«(["
        i -= 1
    if i < 0 or text[i] == "\n":
        return True
    if opened and text[i] in ",:":
        return True
    if not _SENTENCE_END_RE.match(text[i]):
        return False
    if text[i] == ".":
        # "U.S. Ambassador", "Mr. Smith", "J. Smith": an abbreviation, not a sentence end.
        j = i - 1
        while j >= 0 and (text[j].isalpha() or text[j] == "."):
            j -= 1
        before = text[j + 1 : i + 1]
        if re.fullmatch(rf"(?:[{_UPPER}]\.)+|(?:{_ABBREV})\.", before):
            return False
    return True


def split_candidate(tokens: list[Token]) -> list[list[Token]]:
    """Cut a capitalised run at stop words, dates and loose connectors."""
    parts: list[list[Token]] = []
    current: list[Token] = []
    for tok in tokens:
        word = tok.text
        if word.islower():
            prev = current[-1].text if current else ""
            keep = (
                word in PARTICLES
                or (word in ("of", "for", "to") and prev in _JOIN_OF)
                or (word == "the" and prev in ("of", "for"))
            )
            if keep and current:
                current.append(tok)
                continue
            if current:
                parts.append(current)
            current = []
            continue
        if word in lx.STOP_CAPS and not current:
            continue
        if word in lx.STOP_CAPS:
            parts.append(current)
            current = []
            continue
        current.append(tok)
    if current:
        parts.append(current)
    # Connectors never end a name: "Bank of" left dangling loses "of".
    cleaned = []
    for part in parts:
        while part and part[-1].text.islower():
            part = part[:-1]
        if part:
            cleaned.append(part)
    return cleaned


def strip_title(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    """Split `Defense Minister Sergei Shoigu` into the title and the name."""
    cut = 0
    has_core = False
    for index, tok in enumerate(tokens[:-1]):
        if tok.text not in _TITLE_PREFIX and not _ACRONYM_RE.fullmatch(tok.text):
            break
        if tok.text in CORE_TITLES:
            has_core = True
            cut = index + 1
        elif has_core:
            cut = index + 1
    if not has_core or cut == 0:
        return [], tokens
    rest = tokens[cut:]
    while rest and rest[0].text.islower():
        rest = rest[1:]
    if not rest or rest[-1].text in lx.ORG_WORDS:
        return [], tokens
    return tokens[:cut], rest
