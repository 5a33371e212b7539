"""Extraction helpers: capitalised-name candidates, sentence starts and title stripping."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from . import lexicon as lx

_UPPER = "A-ZÀ-ÖØ-Þ"
_WORD = r"[\w’'-]"
# One capitalised token. Abbreviations with a period are listed so that a period
# ending a sentence ("... in Russia.") is never swallowed into a name.
_ABBREV = (
    "Mr|Mrs|Ms|Dr|St|Jr|Sr|Inc|Co|Corp|Ltd|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Prof|Rev|"
    "Adm|Maj|Mt|Ft|Messrs"
)
# Arabic articles and patronymics join the next word with a hyphen: "al-Assad", "bin-Zayed".
_NAME_PREFIX = "(?:al|el|ad|ar|as|ash|at|az|bin|ibn|abu|abd|ul)-"
_TOKEN = (
    rf"(?:(?:[{_UPPER}]\.){{2,}}|(?:{_ABBREV})\.|[{_UPPER}]\.(?=[ ][{_UPPER}])"
    rf"|{_NAME_PREFIX}[{_UPPER}]{_WORD}*"
    rf"|[{_UPPER}]{_WORD}*(?:\.(?=[{_UPPER}]))?{_WORD}*)"
)
_CONNECTORS = "and|of|for|to|the|de|da|del|della|van|von|der|den|al|bin|ibn|la|le|du|dos|das|y"
_LINK = rf"(?:[ \t]+(?:(?:{_CONNECTORS})[ \t]+)*)"
# The lookahead comes first so the engine can skip to capitals instead of trying the
# lookbehind at every position.
CANDIDATE_RE = re.compile(rf"(?=[{_UPPER}ae])(?<![\w’'.])(?:al-|el-)?{_TOKEN}(?:{_LINK}{_TOKEN})*")
TOKEN_RE = re.compile(rf"{_TOKEN}|[a-z]+")
_POSSESSIVE_RE = re.compile(r"(?:[’'](?:s|m|re|ve|ll|d)?|-[a-z][\w-]*)$")

# Words after which "of"/"for"/"to" stay inside a name: "Bank of England".
_JOIN_OF = (
    lx.ORG_WORDS
    | lx.TITLE_WORDS
    | lx.words(
        "Republic Kingdom Gulf Isle Duke Bay Sea Statue House Church Cathedral Province State "
        "Strait Cape Straits Sisters Friends Daughters Sons People Federation Islands"
    )
)
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
_TITLE_PREFIX = (
    lx.TITLE_WORDS
    | frozenset(lx.DEMONYM_COUNTRY)
    | lx.COUNTRIES
    | frozenset(lx.PLACE_ALIASES)
    | lx.CAPITALS
    | lx.OTHER_PLACES
    | lx.KNOWN_ORGS
    | lx.words("to of for the")
)
_ACRONYM_RE = re.compile(r"(?:[A-Z]\.?){2,6}")
_COMPOUND_ROLES = ("minister", "präsident", "kanzler", "sekretär")

_KNOWN_NAMES = (
    lx.COUNTRIES
    | lx.CAPITALS
    | lx.OTHER_PLACES
    | lx.KNOWN_ORGS
    | frozenset(lx.PLACE_ALIASES)
    | frozenset(lx.DEMONYM_COUNTRY)
)
_SENTENCE_END_RE = re.compile(r"[.!?:;]")
_LEADING_OPENERS = " \t\"“‘'«(["


class Token(NamedTuple):
    text: str
    start: int
    end: int
    possessive: bool = False  # "Russia's": the name ends here even if capitals follow


def tokens_of(text: str, start: int, end: int) -> list[Token]:
    """Tokens of one candidate, possessives and lowercase hyphen tails cut off."""
    out: list[Token] = []
    for m in TOKEN_RE.finditer(text, start, end):
        word = m.group()
        possessive = False
        if word[0].isupper() and len(word) > 1:
            cut = _POSSESSIVE_RE.search(word)
            if cut and cut.start() > 0:
                possessive = word[cut.start()] in "’'"
                word = word[: cut.start()]
        out.append(Token(word, m.start(), m.start() + len(word), possessive))
    return out


@lru_cache(maxsize=8192)
def candidate_parts(candidate: str) -> tuple[tuple[Token, ...], ...]:
    """`split_candidate` of a whole candidate string, offsets relative to its start.

    Cached across articles: names and sentence-opening words repeat, and the split
    depends on the words alone.
    """
    return tuple(tuple(part) for part in split_candidate(tokens_of(candidate, 0, len(candidate))))


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


def is_core_title(word: str) -> bool:
    """A role word: "Judge", "Director-General", or a compound like "Finanzminister"."""
    if word in CORE_TITLES:
        return True
    if "-" in word:
        return any(part in CORE_TITLES for part in word.split("-") if part[:1].isupper())
    return word.lower().endswith(_COMPOUND_ROLES) and word.lower() not in _COMPOUND_ROLES


def split_candidate(tokens: list[Token]) -> list[list[Token]]:
    """Cut a capitalised run at stop words, dates and loose connectors."""
    parts: list[list[Token]] = []
    current: list[Token] = []
    joins: dict[int, Token] = {}  # part index -> the "and" after it
    for tok in tokens:
        word = tok.text
        if word == "and" and current:
            joins[len(parts)] = tok
        if current and _starts_person(current, word):
            parts.append(current)  # "Refugee Council Enver Solomon": organisation, then person
            current = []
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
        if tok.possessive and (
            _is_known_name(current) or (len(current) == 1 and _ACRONYM_RE.fullmatch(word))
        ):  # "DAB's Starry Lee"
            parts.append(current)  # "Russia's Defence Ministry": two names
            current = []
    if current:
        parts.append(current)
    for index in sorted(joins, reverse=True):
        if index + 1 < len(parts) and _joins_with_and(parts[index], parts[index + 1]):
            parts[index : index + 2] = [parts[index] + [joins[index]] + parts[index + 1]]
    # Connectors never end a name: "Bank of" left dangling loses "of".
    cleaned = []
    for part in [piece for whole in parts for piece in _split_org_person(whole)]:
        while part and part[-1].text.islower():
            part = part[:-1]
        if part:
            cleaned.append(part)
    return cleaned


def _is_known_name(part: list[Token]) -> bool:
    name = " ".join(t.text for t in part)
    return (name in _KNOWN_NAMES or part[-1].text in lx.ORG_WORDS) and not part[-1].text.islower()


def _starts_person(current: list[Token], word: str) -> bool:
    """A given name right after an organisation or a place starts a person's name."""
    last = current[-1].text
    if word not in lx.GIVEN_NAMES or last in lx.GIVEN_NAMES or last in lx.TITLE_WORDS:
        return False
    return last in lx.ORG_WORDS or " ".join(t.text for t in current) in _KNOWN_NAMES


def _split_org_person(part: list[Token]) -> list[list[Token]]:
    """ "Refugee Council Enver Solomon": two plain words after an organisation are a person."""
    if len(part) < 4 or part[-3].text not in lx.ORG_WORDS:
        return [part]
    tail = part[-2:]
    if any(
        t.text in lx.ORG_WORDS
        or t.text in lx.TITLE_WORDS
        or t.text in _KNOWN_NAMES
        or not t.text.isalpha()
        or t.text.isupper()
        or not t.text[:1].isupper()
        for t in tail
    ):
        return [part]
    return [part[:-2], tail]


def _joins_with_and(left: list[Token], right: list[Token]) -> bool:
    """ "National Air and Space Museum" is one name; "Britain and France" are two."""
    if right[-1].text not in lx.ORG_WORDS or left[0].text in lx.GIVEN_NAMES:
        return False
    if all(t.text in lx.ORG_WORDS for t in left):
        return True  # "Securities and Exchange Commission": a name made of plain words
    return not any(t.text in lx.ORG_WORDS for t in left) and not _is_known_name(left)


def strip_title(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    """Split `Defense Minister Sergei Shoigu` into the title and the name."""
    cut = 0
    has_core = False
    for index, tok in enumerate(tokens[:-1]):
        if is_core_title(tok.text):
            # Whatever precedes a role word qualifies it: "U.S. District Judge".
            has_core = True
            cut = index + 1
        elif tok.text not in _TITLE_PREFIX and not _ACRONYM_RE.fullmatch(tok.text):
            if has_core:
                break
        elif has_core:
            cut = index + 1
    if not has_core or cut == 0 or tokens[cut - 1].possessive:
        return [], tokens  # "Prime Minister's Questions" names no person
    rest = tokens[cut:]
    while rest and rest[0].text.islower():
        rest = rest[1:]
    if not rest or rest[-1].text in lx.ORG_WORDS:
        return [], tokens
    return tokens[:cut], rest


# A short phrase in quotation marks whose every word is capitalised: a title or a name
# ("Subsurface Oceans of the Galilean Moons"), whose words name no one.
_QUOTED_TITLE_RE = re.compile(r"[\"“]([A-Z][^\"“”\n.!?]{2,90}?)[\"”]")
_TITLE_SMALL = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "from",
        "by",
        "vs",
        "vs.",
        "de",
        "la",
    }
)


def quoted_titles(text: str) -> list[tuple[int, int]]:
    """Spans of title-like quotations, so that their words are not taken for names."""
    out = []
    for m in _QUOTED_TITLE_RE.finditer(text):
        words = m.group(1).rstrip(",;: ").split()
        if (
            2 <= len(words) <= 10
            and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _TITLE_SMALL for w in words)
            and sum(w[:1].isupper() for w in words) >= 2
        ):
            out.append((m.start(1), m.end(1)))
    return out
