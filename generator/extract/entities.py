"""Extraction stage for names: find people, organisations and places and merge their mentions."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from . import lexicon as lx
from .index import EntityIndex, Mention
from .names import (
    CANDIDATE_RE,
    CORE_TITLES,
    PARTICLES,
    Token,
    candidate_parts,
    is_sentence_start,
    quoted_titles,
    split_candidate,
    strip_title,
    tokens_of,
)
from .shortnames import merge_bracketed_acronyms, merge_name_prefixes, merge_short_forms

_SPEECH_AFTER_RE = re.compile(
    r"(?:,[^,\n]{1,60},)?[ \t]+(?:[a-z]+ly[ \t]+)?" + lx.alternation(lx.SPEECH_VERBS) + r"\b"
)
# "chief executive of Iberiana", "an analyst at Nordbank": where people work is an organisation.
_WORKPLACE_BEFORE_RE = re.compile(
    r"\b(?:chief executive|executive|chief|CEO|chairman|chairwoman|chair|founder|co-founder|"
    r"director|boss|owner|spokesman|spokeswoman|spokesperson|employees?|staff|shareholders|"
    r"analysts?|economist|managers?|engineers?|researchers?|workers)[ \t]+(?:of|at|for)[ \t]+$"
)
# "Tom Iredale of Green Futures": the body a named person belongs to.
_MEMBER_OF_RE = re.compile(r"[A-Z][\w’'-]*[a-z][ \t]+of[ \t]+$")
# "Northern Horizon Capital": a direction word opens the name of a body.
# "BBC Radio 4", "Channel 4", "Formula 1": a number that ends a name.
_NUMBERED = lx.words("Radio Channel Formula Terminal Apollo Ligue")
_NUMBER_AFTER_RE = re.compile(r"[ \t](\d{1,3})\b(?![.,]\d)")
_DETERMINERS = lx.words("The A An This That These Those Its Their His Her Our My Your")
_WORD_BEFORE_RE = re.compile(r"\b([A-Z][a-z]+)[ \t]+$")
_DIRECTION_BEFORE_RE = re.compile(r"\b(Northern|Southern|Eastern|Western|Central)[ \t]+$")
# "his brother Ewan", "his wife, Joan,": a relative named by a given name alone.
_KIN_BEFORE_RE = re.compile(
    r"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Oo]ur)[ \t]+(?:late[ \t]+)?"
    r"(?:brother|sister|son|daughter|wife|husband|mother|father|uncle|aunt|cousin|partner|grandson|granddaughter|nephew|niece)"
    r",?[ \t]+$"
)
_PLACE_BEFORE_RE = re.compile(
    r"(?<!according )\b(?:in|at|from|near|across|outside|inside|into|to|of)[ \t]+$"
)
# "her first Grand Slam", "the annual Burns Supper": an article never stands before a name.
_ARTICLE_BEFORE_RE = re.compile(
    r"\b(?:(?:his|her|their|its|our|my|your)[ \t]+|(?:a|an|the|this|that)[ \t]+(?=[a-z]))"
    r"(?:(?:first|second|third|last|next|new|annual|same|only|latest)[ \t]+)?$"
)
# "MediPlan", "GreenGrid": a word with a capital inside is a brand ("McAdam" is not).
_CAMEL_RE = re.compile(r"(?!Mc|Mac|De|Di|Le|La|Van|Von|Du)[A-Z][a-z]+[A-Z][A-Za-z]*")
_ACRONYM_RE = re.compile(r"(?:[A-Z]\.?){2,6}s?")
_ROMAN_RE = re.compile(r"(?:II|III|IV|VI|VII|VIII|IX|XI|XII)")
_LETTERS_RE = re.compile(r"[A-Z]{2,6}")
_LOWER_WORD_RE = re.compile(r"[a-z](?<![\w’'-].)[a-z’'-]*")  # letter first: a fast scan
_SPEECH_BEFORE_RE = re.compile(r"\b(?:said|says|told|added|according to)[ \t]+$")
_DATELINE_RE = re.compile(
    r"(?:^|\n)[ \t]*(?P<city>[A-Z][A-Z'.-]+(?:[ \t][A-Z][A-Z'.-]+){0,2})"
    r"(?:,[ \t](?P<region>[A-Z][\w.]*(?:[ \t][A-Z][\w.]*)?))?[ \t]*"
    # `(AP) -`; without an agency, only a dash that cannot be a hyphen: `PARIS — `
    r"(?:\((?P<agency>[\w ]{2,25})\)[ \t]*[-—–]|[—–][ \t])"
)
# Names joined by an ampersand are a firm's: "Johnson & Johnson", "Marks & Spencer", "AT&T".
_AMPERSAND_RE = re.compile(
    r"(?<![\w&])(?:[A-Z][A-Za-z'.-]+(?:[ \t][A-Z][A-Za-z'.-]+)?[ \t]+&[ \t]+[A-Z][A-Za-z'.-]+"
    r"|[A-Z]{2,}&[A-Z]+)(?![\w&])(?![ \t]+[A-Z])"  # a longer name is left to the rest
)
# Capitals before a dash at a paragraph's start that are not a place.
_NOT_DATELINES = frozenset(
    {"BREAKING", "UPDATE", "UPDATED", "EXCLUSIVE", "ANALYSIS", "CORRECTION", "OPINION"}
    | {"EDITORIAL", "LIVE", "WATCH", "COMMENT", "REVIEW", "OBITUARY", "NOTE", "FACT"}
    | {"CHECK", "FACTCHECK", "URGENT", "ALERT", "SPONSORED"}
)
# "Northline said it would appeal", "Redstone, which owns the mine": not a person.
# "Vantora, the Finnish maker of industrial robots,": an apposition that says what it is.
_ORG_APPOSITION_RE = re.compile(
    r",[ \t]+(?:the|a|an)[ \t]+(?:[\w’'-]+[ \t]+){0,3}?(?:company|firm|maker|carmaker|group|"
    r"operator|retailer|chain|bank|lender|insurer|airline|broadcaster|charity|start-?up|"
    r"manufacturer|producer|developer|publisher|giant|conglomerate|club|union|agency|party|"
    r"newspaper|website|app|platform|brand|label|supermarket|utility|regulator)\b"
)
_ORG_CUE_RE = re.compile(
    r"(?:,[ \t]+which\b|[ \t]+(?:said|says|announced)[ \t]+(?:it|its)\b"
    r"|[’']s[ \t]+(?:shares|shareholders|chief executive|board)\b"
    r"|[ \t]+(?:spokesman|spokeswoman|spokesperson|shareholders)\b)"
)
_PREFIXED = re.compile(r"[a-z]{1,3}-[A-Z]")
_LANGUAGE_BEFORE_RE = re.compile(r"\b(?:in|into|from|speaks?|spoke|speaking)[ \t]+$")
_COUNTRY_CODES = frozenset(k for k in lx.PLACE_ALIASES if k.replace(".", "").isupper())
# "X, TikTok and YouTube", "a post on X": the platform, not a letter.
_PLATFORM_CUE_RE = re.compile(
    r"\bon[ \t]+X\b|\b(?:TikTok|YouTube|Instagram|Facebook|Twitter|"
    r"Telegram|Threads|Bluesky|Reddit|Meta|WhatsApp)\b"
)
# "near Ravenna and Forli": the last of a list of places after a preposition.
_PLACE_LIST_RE = re.compile(
    r"\b(?:in|at|from|near|across|outside|inside|between)[ \t]+[A-Z][\w’'-]+"
    r"(?:[ \t]+[A-Z][\w’'-]+)?(?:,[ \t]+[A-Z][\w’'-]+(?:[ \t]+[A-Z][\w’'-]+)?)*,?"
    r"[ \t]+(?:and|or)[ \t]+$"
)
# "the technology forum Whirlpool", "the journal Nature": a name in apposition to a kind
# of organisation.
_ORG_NOUN_BEFORE_RE = re.compile(
    r"\b(?:forum|website|site|platform|app|newspaper|magazine|journal|broadcaster|start-?up|"
    r"retailer|airline|outlet|blog)[ \t]+$"
)
# "The company, Roverly,", "campaign group Clean Tides": with these nouns a lone word needs
# the commas ("the group O'Driscoll belongs to" names a person).
_ORG_KIND_BEFORE_RE = re.compile(
    r"\b(?:company|firm|group|operator|chain|charity|union|insurer|lender|carrier|carmaker|"
    r"studio|label|club|brand|network|agency|watchdog|regulator|think[ -]tank|retailer|airline|"
    r"broadcaster)s?(?:(?P<comma>,)|[ \t]+(?:called|named))?[ \t]+$"
)
_ALL_PLACES = lx.COUNTRIES | lx.CAPITALS | lx.OTHER_PLACES
_LEXICAL_PLACES = _ALL_PLACES | frozenset(lx.DEMONYM_COUNTRY) | frozenset(lx.PLACE_ALIASES)


@dataclass(slots=True)
class _Builder:
    """Mutable accumulator for one entity while the article is read; frozen on output."""

    name: str
    type: str
    known_id: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    gender: str | None = None
    titles: set[str] = field(default_factory=set)


@lru_cache(maxsize=64)
def _known_pattern(known: tuple) -> tuple[re.Pattern[str] | None, dict[str, int]]:
    forms: dict[str, int] = {}
    for index, entity in enumerate(known):
        for form in (entity.name, *entity.aliases):
            form = form.strip()
            if form and form not in forms:
                forms[form] = index
    return lx.whole_words(forms), forms


class _Collector:
    """Gathers mentions per canonical key, then merges surnames into full names."""

    def __init__(self, text: str, known: tuple) -> None:
        self.text = text
        self.builders: dict[tuple[str, str], _Builder] = {}
        self.known = known

    def add(self, key: tuple[str, str], name: str, type_: str, start: int, end: int) -> _Builder:
        builder = self.builders.get(key)
        if builder is None:
            builder = self.builders[key] = _Builder(name, type_)
        builder.spans.append((start, end))
        return builder


def find_entities(text: str, known: tuple = ()) -> EntityIndex:
    """All named entities of `text`, merged within the article."""
    col = _Collector(text, known)
    occupied = _match_known(text, known, col)
    occupied += _datelines(text, col) + _ampersands(text, col)
    occupied = sorted(occupied + quoted_titles(text))
    raw: list[tuple[list[Token], bool]] = []
    mid_sentence: set[str] = set()
    for m in CANDIDATE_RE.finditer(text):
        start = m.start()
        if occupied and _overlaps(occupied, start, m.end()):
            toks = [t for t in tokens_of(text, start, m.end()) if not _inside(occupied, t)]
            if not toks:
                continue
            start = toks[0].start
            parts = split_candidate(toks)
        else:
            parts = [
                [Token(t.text, t.start + start, t.end + start, t.possessive) for t in part]
                for part in candidate_parts(m.group())
            ]
        if not parts:
            continue
        first_start = is_sentence_start(text, start)
        for part in parts:
            at_start = first_start and part[0].start == start
            raw.append((part, at_start))
            for tok in part[1:] if at_start else part:
                mid_sentence.add(tok.text)
                if tok.text[:1].islower():  # "al-Assad" makes "Assad" a name at a sentence start
                    mid_sentence.add(tok.text.partition("-")[2])
    common = frozenset(_LOWER_WORD_RE.findall(text))
    for part, at_start in raw:
        _classify(col, part, at_start, mid_sentence, common)
    merge_bracketed_acronyms(text, col.builders)
    merge_name_prefixes(col.builders, lx.GIVEN_NAMES)
    merge_short_forms(col.builders, _LEXICAL_PLACES)
    _merge_surnames(col)
    return _freeze(col)


# The last entities matched, and their pattern: a build annotates every article with
# the same tuple, whose hash (for the cache above) costs a call for each entity.
_last_known: tuple[tuple, tuple[re.Pattern[str] | None, dict[str, int]]] = ((), (None, {}))


def _match_known(text: str, known: tuple, col: _Collector) -> list[tuple[int, int]]:
    global _last_known
    last = _last_known
    if last[0] is known:
        pattern, forms = last[1]
    else:
        pattern, forms = _known_pattern(tuple(known))
        _last_known = (known, (pattern, forms))
    spans: list[tuple[int, int]] = []
    if pattern is None:
        return spans
    for m in lx.find_whole(pattern, text):
        entity = known[forms[m.group()]]
        builder = col.add(("known", entity.id), entity.name, entity.type, m.start(), m.end())
        builder.known_id = entity.id
        spans.append((m.start(), m.end()))
    return spans


def _datelines(text: str, col: _Collector) -> list[tuple[int, int]]:
    """`LONDON (Reuters) -` and `NAIROBI, Kenya (AP) —`: the place, then the agency."""
    spans: list[tuple[int, int]] = []
    for m in _DATELINE_RE.finditer(text):
        if m.group("agency") is None and set(m.group("city").split()) & _NOT_DATELINES:
            continue
        city = m.group("city").title()
        kind = "organization" if city in lx.KNOWN_ORGS else "place"  # UNITED NATIONS (AP)
        col.add((kind, city), city, kind, m.start("city"), m.end("city"))
        spans.append((m.start("city"), m.end("city")))
        region = m.group("region")  # "Kenya", "Puerto Rico", "Calif.": where the city is
        if region and not region.endswith("."):
            col.add(("place", region), region, "place", m.start("region"), m.end("region"))
            spans.append((m.start("region"), m.end("region")))
        agency = m.group("agency")
        if agency and (agency in lx.ORG_ALIASES or agency in lx.KNOWN_ORGS):
            name = lx.ORG_ALIASES.get(agency, agency)
            col.add(
                ("organization", name), name, "organization", m.start("agency"), m.end("agency")
            )
            spans.append((m.start("agency"), m.end("agency")))
    return spans


def _ampersands(text: str, col: _Collector) -> list[tuple[int, int]]:
    """Organisations named with an ampersand, which a name's words never join across."""
    spans: list[tuple[int, int]] = []
    for m in _AMPERSAND_RE.finditer(text):
        name = re.sub(r"[ \t]+", " ", m.group()).rstrip(".")
        end = m.start() + len(m.group().rstrip("."))
        col.add(("organization", name), name, "organization", m.start(), end)
        spans.append((m.start(), end))
    return spans


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect_right(spans, (end, 0)) - 1
    return i >= 0 and spans[i][1] > start


def _inside(spans: list[tuple[int, int]], tok: Token) -> bool:
    if not spans:
        return False
    i = bisect_right(spans, (tok.start, 1 << 60)) - 1
    return i >= 0 and spans[i][0] <= tok.start < spans[i][1]


def _is_lexical(word: str) -> bool:
    return (
        word in _ALL_PLACES
        or word in lx.DEMONYM_COUNTRY
        or word in lx.PLACE_ALIASES
        or word in lx.KNOWN_ORGS
        or word in lx.GIVEN_NAMES
        or word in lx.TITLE_WORDS
    )


def _classify(
    col: _Collector, part: list[Token], at_start: bool, mid: set[str], common: frozenset[str]
) -> None:
    text = col.text
    while (
        len(part) >= 3
        and part[-1].text not in lx.ORG_WORDS
        and (part[0].text in lx.PARTY_LABELS or (at_start and part[0].text in lx.ROLE_NOUNS))
    ):
        part = part[1:]  # "Parent Isla Baird said", "Republican Tom Hale": then the name
        at_start = False
    if at_start:
        head = part[0].text
        if len(part) == 1:
            if not (
                _is_lexical(head)
                or head in mid
                or _ACRONYM_RE.fullmatch(head)
                or _SPEECH_AFTER_RE.match(text, part[0].end)
            ):
                return
        elif (
            not _is_lexical(head)
            and head not in mid
            and head.lower() in common
            and not (_ORG_APPOSITION_RE.match(text, part[-1].end))
        ):  # "Just Stop Traffic, the group"
            part = part[1:]
            while part and part[0].text.islower():
                part = part[1:]
            if not part:
                return
    title, name = strip_title(part)
    _add_title_words(col, title)
    if not name:
        return
    if (
        len(name) == 1
        and name[0].text in lx.DEMONYM_COUNTRY
        and _LANGUAGE_BEFORE_RE.search(text, max(0, name[0].start - 12), name[0].start)
    ):
        return  # "speaking in English": a language, not a country
    if (
        len(name) > 2
        and name[-1].text in lx.ORG_WORDS
        and (name[0].text in _COUNTRY_CODES or name[0].text in lx.ORG_SHORT)
    ):
        # "U.S. State Department", "U.N. Security Council": a country or body, then its part
        _add_place_word(col, name[0])
        _add_short_org(col, name[0])
        name = name[1:]
    start, end = name[0].start, name[-1].end
    words = [t.text for t in name]
    direction = words[-1] in lx.ORG_WORDS and _DIRECTION_BEFORE_RE.search(
        text, max(0, start - 10), start
    )
    if direction:  # "Northern Horizon Capital"
        start, words = direction.start(), [direction.group(1), *words]
    opener = _opening_word(text, start, end)
    if opener:  # "Just Stop Traffic, the group ...": a name that opens with a common word
        start, words = opener.start(), [opener.group(1), *words]
    number = words[-1] in _NUMBERED and _NUMBER_AFTER_RE.match(text, end)
    if number:  # "BBC Radio 4", "Formula 1"
        end, words = number.end(), [*words, number.group(1)]
    full = " ".join(words)
    if any(t.possessive for t in name[:-1]) and (
        words[-1] in lx.ORG_WORDS or words[-1] in lx.PLACE_SUFFIXES
    ):  # "St James's Hospital" keeps its apostrophe
        full = " ".join(text[start:end].split())
    kind = _type_of(text, full, words, start, end, bool(title), common)
    if kind is None:
        if len(name) > 1:  # "Prime Minister" alone, or "Russian President": keep its place words
            for tok in name:
                _add_place_word(col, tok)
        return
    type_, canonical = kind
    builder = col.add((type_, canonical), canonical, type_, start, end)
    if type_ == "person":
        _note_person(builder, [t.text for t in title], words)


def _opening_word(text: str, start: int, end: int) -> re.Match[str] | None:
    """The capitalised common word that opens a sentence and the name after it, when an
    apposition says the whole is an organisation."""
    m = _WORD_BEFORE_RE.search(text, max(0, start - 12), start)
    if (
        m is None
        or m.group(1) not in lx.STOP_CAPS
        or m.group(1) in _DETERMINERS
        or not is_sentence_start(text, m.start())
    ):
        return None
    return m if _ORG_APPOSITION_RE.match(text, end) else None


def _add_title_words(col: _Collector, title: list[Token]) -> None:
    """The places and bodies inside a title: `North Carolina Governor`, `NATO Secretary`."""
    i = 0
    while i < len(title):
        for n in (3, 2):
            run = title[i : i + n]
            name = " ".join(t.text for t in run)
            if len(run) == n and name in _LEXICAL_PLACES:
                name = lx.PLACE_ALIASES.get(name, name)
                col.add(("place", name), name, "place", run[0].start, run[-1].end)
                i += n
                break
        else:
            tok = title[i]
            _add_place_word(col, tok)
            if tok.text in lx.KNOWN_ORGS or (
                _ACRONYM_RE.fullmatch(tok.text)
                and tok.text not in lx.PLACE_ALIASES
                and tok.text not in lx.TITLE_WORDS  # "CEO", "MP"
            ):
                name = lx.ORG_SHORT.get(tok.text, tok.text)
                col.add(("organization", name), name, "organization", tok.start, tok.end)
            i += 1


def _add_short_org(col: _Collector, tok: Token) -> None:
    name = lx.ORG_SHORT.get(tok.text)
    if name is not None:
        col.add(("organization", name), name, "organization", tok.start, tok.end)


def _add_place_word(col: _Collector, tok: Token) -> None:
    word = tok.text
    country = lx.PLACE_ALIASES.get(word) or lx.DEMONYM_COUNTRY.get(word)
    if country is None and word in lx.COUNTRIES:
        country = word
    if country:
        col.add(("place", country), country, "place", tok.start, tok.end)


_CONTEXT = ("", "")  # _lexical_type's answer when the words alone do not settle it


def _type_of(
    text: str,
    full: str,
    words: list[str],
    start: int,
    end: int,
    titled: bool,
    common: frozenset[str],
) -> tuple[str, str] | None:
    kind = _lexical_type(full, titled)
    if kind is not _CONTEXT:
        return kind
    return _contextual_type(text, full, words, start, end, common)


@lru_cache(maxsize=8192)
def _lexical_type(full: str, titled: bool) -> tuple[str, str] | None:
    """The type the word lists give a name; cached across articles (names repeat)."""
    words = full.split(" ")
    last = words[-1]
    if full in lx.PLACE_ALIASES:
        return "place", lx.PLACE_ALIASES[full]
    if full in _ALL_PLACES:
        return "place", full
    if full in lx.DEMONYM_COUNTRY:
        return "place", lx.DEMONYM_COUNTRY[full]
    if full.isupper() and all(w in lx.CAPS_BOILERPLATE for w in words):
        return None  # "READ MORE": the page's furniture
    if full in lx.ORG_SHORT:
        return "organization", lx.ORG_SHORT[full]
    if full in lx.KNOWN_ORGS:
        return "organization", full
    if all(w in lx.TITLE_WORDS or w in lx.STOP_CAPS or w.islower() for w in words):
        return None
    if full in lx.ORG_ALIASES:
        return "organization", lx.ORG_ALIASES[full]
    if len(words) == 1 and (last in lx.ORG_WORDS or last.lower() in lx.GENERIC_CAPS):
        return None  # "Hospital", "Critics": a common noun at a sentence start
    if words[0] in lx.PLACE_PREFIXES and len(words) > 1:
        return "place", full  # "Cape of Good Hope", "Lake Victoria"
    if words[0] in lx.EVENT_PREFIXES and len(words) > 1:
        return "other", full
    if words[0] in lx.ORG_PREFIXES and len(words) > 1:
        return "organization", full
    if last in lx.ORG_WORDS or (
        len(words) > 1
        and any(w in lx.ORG_WORDS for w in words[:-1])
        and words[0] not in lx.GIVEN_NAMES
    ):
        return "organization", full
    if _ACRONYM_RE.fullmatch(full.replace(" ", "")) and len(words) == 1:
        return None if full in lx.NOT_ORG_ACRONYMS else ("organization", full)
    if len(words) > 1 and _ROMAN_RE.fullmatch(last) and words[0] not in lx.GIVEN_NAMES:
        return "other", full  # "Odyssey II" is a craft; "Charles III" a king
    if len(words) > 1 and _LETTERS_RE.fullmatch(words[0]) and words[0] not in lx.PLACE_ALIASES:
        return "organization", full  # "PSV Eindhoven", "BBC News"
    if last in lx.OTHER_WORDS and len(words) > 1:
        return "other", full
    if last in lx.PLACE_SUFFIXES and len(words) > 1:
        return "place", full
    if titled or (words[0] in lx.GIVEN_NAMES and len(words) > 1):
        return "person", full
    return _CONTEXT


def _contextual_type(
    text: str, full: str, words: list[str], start: int, end: int, common: frozenset[str]
) -> tuple[str, str] | None:
    if full == "X":
        cue = _PLATFORM_CUE_RE.search(text, max(0, start - 40), min(len(text), end + 40))
        return ("organization", full) if cue else None
    if len(words) <= 3 and _WORKPLACE_BEFORE_RE.search(text, max(0, start - 24), start):
        return "organization", full
    if len(words) >= 2 and _MEMBER_OF_RE.search(text, max(0, start - 30), start):
        return "organization", full  # "Tom Iredale of Green Futures"
    if (
        len(words) <= 2
        and words[0] not in lx.GIVEN_NAMES
        and (
            _PLACE_BEFORE_RE.search(text, max(0, start - 8), start)
            or (
                text.endswith(("and ", "or "), 0, start)
                and _PLACE_LIST_RE.search(text, max(0, start - 80), start)
            )
        )
    ):
        return "place", full
    if len(words) <= 3 and _org_noun_before(text, start, end, len(words)):
        return "organization", full
    # "de", "van", "al-": particles say nothing about whether the rest is a name.
    core = [w for w in words if w not in PARTICLES]
    plain = not any(w.lower() in common for w in core)
    speech_cue = _SPEECH_AFTER_RE.match(text, end) or _SPEECH_BEFORE_RE.search(
        text, max(0, start - 16), start
    )
    if _ORG_CUE_RE.match(text, end) or _ORG_APPOSITION_RE.match(text, end):
        return "organization", full
    if len(words) == 1 and _CAMEL_RE.fullmatch(full):
        return "organization", full
    if len(words) > 1 and (
        _ARTICLE_BEFORE_RE.search(text, max(0, start - 24), start)
        or text.endswith(("the ", "The "), 0, start)
    ):
        return None  # "her first Grand Slam": a name after an article is not a person's
    if len(core) <= 4 and plain and speech_cue:
        return "person", full
    if 2 <= len(core) <= 3 and plain and all(_name_word(w) for w in core):
        return "person", full
    if len(words) == 1:
        if _KIN_BEFORE_RE.search(text, max(0, start - 30), start):
            return "person", full
        return "unknown", full
    return None  # a capitalised phrase with no cue: no entity page beats a wrong one


def _org_noun_before(text: str, start: int, end: int, words: int) -> bool:
    before = text[start - 2 : start - 1] if start >= 2 else ""
    if before.islower() and _ORG_NOUN_BEFORE_RE.search(text, max(0, start - 16), start):
        return True
    if not (before.islower() or before == ","):
        return False
    if "'s " in text[start:end] or "’s " in text[start:end]:
        return False  # "group Youngspiration's Baggio Leung": the group's member
    m = _ORG_KIND_BEFORE_RE.search(text, max(0, start - 27), start)
    return m is not None and (
        words > 1 or m.group("comma") is not None or _SPEECH_AFTER_RE.match(text, end) is not None
    )


def _name_word(word: str) -> bool:
    """ "Jean-Baptiste", "O'Connell", "al-Assad": letters joined by hyphens or apostrophes."""
    letters = word.replace("-", "").replace("’", "").replace("'", "")
    return word[:1].isalpha() and letters.isalpha() and not word.islower()


def _note_person(builder: _Builder, title: list[str], words: list[str]) -> None:
    previous = ""
    for word in title:
        if word in lx.MALE_TITLES:
            builder.gender = "m"
        elif word in lx.FEMALE_TITLES:
            builder.gender = "f"
        if word in CORE_TITLES:
            role = word.lower().rstrip(".")
            role = lx.TITLE_ABBREVIATIONS.get(role, role)
            builder.titles.add(role)
            if previous:  # "Prime Minister": later "the prime minister", not any minister
                builder.titles.add(f"{previous} {role}")
        previous = word.lower() if word[:1].isupper() else ""
    if builder.gender is None:
        if words[0] in lx.FEMALE_NAMES:
            builder.gender = "f"
        elif words[0] in lx.MALE_NAMES:
            builder.gender = "m"


def _merge_surnames(col: _Collector) -> None:
    """Fold "Shoigu" and "Mr. Shoigu" into "Sergei Shoigu"; settle leftover single words."""
    by_surname: dict[str, tuple[str, str]] = {}
    for key, builder in col.builders.items():
        words = builder.name.split()
        if builder.type == "person" and len(words) > 1:
            by_surname.setdefault(words[-1], key)
            if _PREFIXED.match(words[-1]):  # "Assad" after "Bashar al-Assad"
                by_surname.setdefault(words[-1].split("-", 1)[1], key)
            if len(words) > 2 and words[-2][:1].islower():  # "von der Leyen"
                by_surname.setdefault(" ".join(words[-3:]), key)
    by_first = {
        b.name.split()[0]: key
        for key, b in sorted(col.builders.items())
        if b.type == "organization"
        and " " in b.name
        and b.name.split()[0] not in lx.STOP_CAPS
        and b.name.split()[0] not in _LEXICAL_PLACES
    }
    for key in list(col.builders):
        builder = col.builders[key]
        target = by_first.get(builder.name)
        if builder.type == "organization" and target is not None and target != key:
            col.builders[target].spans.extend(builder.spans)
            del col.builders[key]
            continue
        if (
            " " in builder.name
            or builder.known_id
            or builder.name in _LEXICAL_PLACES
            or (builder.type not in ("person", "unknown", "place"))
        ):
            continue
        target = by_surname.get(builder.name)
        if target is not None and target != key:
            full = col.builders[target]
            full.spans.extend(builder.spans)
            full.titles |= builder.titles
            full.gender = full.gender or builder.gender
            del col.builders[key]
        elif builder.type in ("unknown", "person") and by_first.get(builder.name) is not None:
            # "Northline" after "Northline Trains"; "said Brightwater chief executive ..."
            # made "Brightwater" look like a person, but it is the company's short name.
            col.builders[by_first[builder.name]].spans.extend(builder.spans)
            del col.builders[key]
        elif builder.type == "unknown":
            del col.builders[key]  # a lone capitalised word with no cue ("Bay", "God")


def _freeze(col: _Collector) -> EntityIndex:
    builders = sorted(col.builders.values(), key=lambda b: min(b.spans))
    mentions: list[Mention] = []
    spans_out = []
    for index, builder in enumerate(builders):
        spans = tuple(sorted(set(builder.spans)))
        spans_out.append(spans)
        mentions.extend(Mention(s, e, index) for s, e in spans)
    mentions.sort(key=lambda m: (m.start, m.end))
    return EntityIndex(
        names=tuple(b.name for b in builders),
        types=tuple(b.type for b in builders),
        known_ids=tuple(b.known_id for b in builders),
        spans=tuple(spans_out),
        genders=tuple(b.gender for b in builders),
        titles=tuple(frozenset(b.titles) for b in builders),
        mentions=tuple(mentions),
        starts=tuple(m.start for m in mentions),
        outlets=frozenset(i for i, b in enumerate(builders) if _is_outlet(b.name)),
    )


def _is_outlet(name: str) -> bool:
    return (
        name in lx.OUTLETS
        or name in lx.ORG_ALIASES.values()
        or (" " in name and name.rsplit(" ", 1)[1] in lx.OUTLET_WORDS)
    )
