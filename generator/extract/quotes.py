"""Extraction stage for quotes: tell direct quotes from scare quotes and find who said them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as lx
from .fragments import (
    PREDICATE_START,
    WORD_BEFORE,
    is_predicate,
    looks_like_title,
    named_not_quoted,
    partial_quote,
)
from .index import EntityIndex, Mention
from .marks import Passage, find_passages

_VERBS = lx.alternation(lx.SPEECH_VERBS)
_ABBR = "Mr|Mrs|Ms|Dr|St|Jr|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Prof|Rev|Adm|Maj"
_W = rf"(?:(?:[A-Z]\.)+|(?:{_ABBR})\.|[\w’'-]++)"  # one word of a speaker phrase
_ADV = r"(?:(?:also|later|then|further|again|once|previously|\w+ly)\s+)?"
_AUX = r"(?:(?:has|had|have|was|were|is|would|will|had\s+earlier)\s+)?"
_APPOS_PART = r"[^,\"“”«»\n]{1,110}+"
_APPOS = rf"(?:,{_APPOS_PART}(?:,{_APPOS_PART})?,)?"  # "Fiona Strachan, 54, head of X,"
# A speaker phrase never opens with a conjunction: in `", and said it was "` nobody is named.
_NOT_CONJ = r"(?!(?:and|but|or|then|so|as|that|which|who|while|when|if|after|before)\b)"
_WHO = rf"(?P<who>{_NOT_CONJ}(?:{_W}\s+){{0,6}}?{_W}{_APPOS})"

# `," she said`, `" Wallace said in a statement`, `, the Kremlin said`
_TRAIL_WHO_VERB = re.compile(rf"[\s,]*(?:[—–-]+\s*)?{_WHO}\s+{_ADV}{_AUX}(?P<verb>{_VERBS})\b")
# `," said Ambassador Mohib`
_TRAIL_VERB_WHO = re.compile(
    rf"[\s,]*(?:[—–-]+\s*)?(?P<verb>{_VERBS})\s+(?P<who>[^.;!?\"“”\n]{{1,100}})"
)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<who>[^.;!?\"“”\n]{1,100})", re.IGNORECASE)
_TRAIL_ACCORDING = re.compile(r"[\s,]*(?:[—–-]+\s*)?" + _ACCORDING.pattern[2:], re.IGNORECASE)
_VERB_RE = re.compile(rf"\b(?:{_VERBS})\b")
# Anchored at word starts: a phrase never begins inside a word, and trying every
# position inside words made this search the slowest step of attribution.
_WHO_BEFORE = re.compile(rf"(?<![\w’'-]){_WHO}\s+{_ADV}{_AUX}$")
_NOT_ABBR = "".join(rf"(?<!\b{a}.)" for a in _ABBR.split("|"))
# The mark comes first so that the engine skips to candidate marks; the abbreviation
# checks look back from it.
_SENT_BREAK = re.compile(rf"[.!?]{_NOT_ABBR}(?<!\b[A-Z].)[.!?]*[\"”’)]*\s+")
_PRONOUNS = {"he": "m", "she": "f", "He": "m", "She": "f"}
_GROUP_PRONOUNS = lx.words("they it we They It We")
_WORD_RE = re.compile(r"[\w’'-]+")
_PARA_RE = re.compile(r"\n[ \t]*\n")
# Passive attribution: "Staff were told by the deputy director, Marc Olivier, that ..."
_BY_AGENT = re.compile(r"[ \t]+by[ \t]+(?P<who>[^.;!?\"“”\n]{1,150})")
_THAT_RE = re.compile(r"\bthat\b")
# "one poster writing", "a reader asking": a speaker the article does not name.
_GENERIC_SPEAKER = re.compile(
    r"\b(?:one|a|an|another|some|many|several|other|most)\s+(?:[a-z-]+\s+){0,2}?[a-z-]+\s*$")
# "Health ministers from several countries", "The report's authors": people, unnamed.
_UNNAMED = re.compile(r"(?:(?:[Tt]he|[Ss]ome|[Mm]any|[Ss]everal|[Oo]ther)\s+)?"
                      r"(?:[A-Za-z][\w’']*\s+){0,2}[a-z]+s\b(?![’'])")
# Between two quotes of one list: a conjunction, perhaps after a bracketed note.
_COORDINATED = re.compile(r"[ \t,]*(?:\([^()\n]{0,30}\)+[ \t,]*|\([^\n]{0,30}?\)\)[ \t,]*)?"
                          r"(?:and|or|but|as well as)[ \t]+")
_HEADLINE_COLON = re.compile(r"[ \t]*:[ \t]*[a-z]")
_TRAIL_STOP = re.compile(r"[\n\"“”«]")
_LOOKBACK = 400


@dataclass(frozen=True, slots=True)
class Attributed:
    start: int
    end: int
    speaker: int | None
    speaker_span: tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class _Who:
    entity: int | None
    span: tuple[int, int] | None


def find_quotes(text: str, index: EntityIndex) -> list[Attributed]:
    """Direct quotes with speakers, in text order."""
    out: list[Attributed] = []
    passages = find_passages(text)
    para_starts = [0] + [m.end() for m in _PARA_RE.finditer(text)]
    last: tuple[_Who, int] | None = None  # latest speaker and its paragraph number
    kept: tuple[int, _Who] | None = None  # closing mark and speaker of the latest quote kept
    prev_open = prev_close = -1
    para_no = 0
    for passage in passages:
        while para_no + 1 < len(para_starts) and para_starts[para_no + 1] <= passage.open_at:
            para_no += 1
        para_start = para_starts[para_no]
        lead_from = max(para_start, prev_close + 1, passage.open_at - _LOOKBACK)
        lead_start = _sentence_start(text, lead_from, passage.open_at)
        lead = (lead_start, passage.open_at)
        trail = (passage.close_at + 1, _trail_end(text, passage.close_at + 1))
        clipped = lead_start == prev_close + 1 and prev_open >= para_start
        before_prev = prev_open
        prev_open, prev_close = passage.open_at, passage.close_at
        quoted = text[passage.start : passage.end]
        words = len(_WORD_RE.findall(quoted[:400]))
        sentence_like = _sentence_like(quoted, words)
        if named_not_quoted(text, quoted, words, lead, passage.close_at):
            continue
        who = _from_trail(text, trail, passage, sentence_like, index)
        if who is None:
            who = _from_lead(text, (lead[0], lead[1], para_start), passage.open_at,
                             quoted, words, index)
        if who is None and clipped and _VERB_RE.search(text, lead[0], lead[1]):
            # `X said A "...", and said it was "..."`: the second verb shares the subject
            # that stands before the previous quotation.
            clause = _sentence_start(text, max(para_start, before_prev - _LOOKBACK), before_prev)
            verb = _last(_VERB_RE, text, clause, before_prev)
            if verb is not None:
                who = _subject(text, max(clause, verb.start() - 160), verb.start(), index)
        if who is None and passage.open_at == para_start and _HEADLINE_COLON.match(
            text, passage.close_at + 1
        ):
            who = _Who(None, None)  # "'We will not back down': nurses vote to strike"
        if who is None and kept is not None and _COORDINATED.fullmatch(
                text, kept[0] + 1, passage.open_at):
            who = kept[1]  # `called it "dangerous" and "ideological"`: one speaker, two quotes
        if who is None and words >= 3 and is_predicate(quoted):
            who = _Who(None, None)  # words of a document or someone unnamed
        if who is None:
            if not sentence_like or words < 3 or looks_like_title(text, quoted, lead):
                continue
            who = _continuing(text, para_start, passage.open_at, para_no, last, index)
            if who.entity is None and quoted.rstrip("”’\"')")[-1:] not in ".!?…":
                continue  # a headline or slogan in quotation marks, not somebody's words
        if who.entity is not None or who.span is not None:
            last = (who, para_no + passage.pieces - 1)
        out.append(Attributed(passage.start, passage.end, who.entity, who.span))
        kept = (passage.close_at, who)
    return out


def _sentence_start(text: str, lo: int, hi: int) -> int:
    start = lo
    for m in _SENT_BREAK.finditer(text, lo, hi):
        if m.end() <= hi:
            start = m.end()
    return start


def _sentence_end(text: str, pos: int, limit: int) -> int:
    m = _SENT_BREAK.search(text, pos, limit)
    return m.start() if m else limit


def _trail_end(text: str, pos: int) -> int:
    limit = min(len(text), pos + 250)
    m = _TRAIL_STOP.search(text, pos, limit)
    return m.start() if m else limit


def _sentence_like(quoted: str, words: int) -> bool:
    if quoted[-1:] in ".!?,…;" or quoted[-2:-1] in ".!?,":
        return True
    return quoted[:1].isupper() and words >= 6


def _from_trail(text: str, trail: tuple[int, int], passage: Passage, sentence_like: bool,
                index: EntityIndex) -> _Who | None:
    start, end = trail
    closes_clause = sentence_like or text[start:start + 2].lstrip()[:1] in (",", "—", "–")
    if not closes_clause:
        return None
    m = _TRAIL_ACCORDING.match(text, start, end)
    if m:
        return _resolve(text, m.start("who"), m.end("who"), passage.open_at, index, first=True)
    m = _TRAIL_WHO_VERB.match(text, start, end)
    if m and not (text[passage.end - 1] == "." and m.group("who")[:1].isupper() and len(
            _WORD_RE.findall(text, m.end(), _sentence_end(text, m.end(), end))) > 6):
        # After a full stop a capitalised subject with a long report of its own starts a
        # new sentence: `"... broken leg." One of them, Henrik Salo, said he had ...`.
        return _resolve(text, m.start("who"), m.end("who"), passage.open_at, index)
    m = _TRAIL_VERB_WHO.match(text, start, end)
    if m:
        return _resolve(text, m.start("who"), m.end("who"), passage.open_at, index, first=True)
    return None


def _from_lead(text: str, lead: tuple[int, int, int], open_at: int, quoted: str,
               words: int, index: EntityIndex) -> _Who | None:
    start, end, para_start = lead
    sentence_like = _sentence_like(quoted, words)
    if end - start < 3:
        return None
    m = _ACCORDING.search(text, start, end)
    if m:
        return _resolve(text, m.start("who"), m.end("who"), open_at, index, first=True)
    verb = _last(_VERB_RE, text, start, end)
    if verb is None:
        if text[start:end].rstrip().endswith(":"):
            # "Sunak defended the record: "...": the clause before the colon speaks.
            # The lead stops at the last quotation; the colon's clause may begin before it.
            clause = _sentence_start(text, max(para_start, end - _LOOKBACK), end)
            who = _first_actor(text, min(start, clause), end, index)
            return who if who.entity is not None else None
        return None
    if verb.group().endswith("ing"):
        # "with Boswell stating:": the name just before the verb.
        near = index.mentions_between(max(start, verb.start() - 40), verb.start())
        if near and index.types[near[-1].entity] in ("person", "organization") and (
            not _WORD_RE.search(text, near[-1].end, verb.start())
        ):
            return _Who(near[-1].entity, (near[-1].start, near[-1].end))
        # "with one poster writing": someone unnamed, not the organisation named earlier.
        m = _GENERIC_SPEAKER.search(text, max(start, verb.start() - 60), verb.start())
        if m:
            return _resolve(text, m.start(), m.end(), open_at, index)
    gap = len(_WORD_RE.findall(text, verb.end(), end))
    tail = text[verb.end():end].rstrip()
    introduces = tail.endswith((":", ",", "that")) or gap <= 2
    # Reported speech: `said in a statement that it was "fully committed"`, or a list of
    # that-clauses after one speech verb: a partial quote far from its verb still counts.
    reported = _THAT_RE.search(text, verb.end(), end) is not None
    before = WORD_BEFORE.search(text, max(start, end - 20), end)
    after_aux = before is not None and before.group(1) in PREDICATE_START  # it would "engage"
    if not sentence_like and not partial_quote(quoted, words, verb.group(), gap, reported,
                                                after_aux):
        return None
    if sentence_like and not introduces and gap > 12:
        return None
    agent = _BY_AGENT.match(text, verb.end(), end)
    if agent:
        who = _resolve(text, agent.start("who"), agent.end("who"), open_at, index, first=True)
        if who.entity is not None:
            return who
    if not verb.group().endswith("ing"):
        who = _subject(text, max(start, verb.start() - 160), verb.start(), index, open_at)
        if who is not None:
            return who
        m = _WHO_BEFORE.search(text, max(start, verb.start() - 160), verb.start()) if (
            reported and not sentence_like) else None
        if m:  # `Hospital managers said that they were "disappointed"`: nobody we can name
            return _resolve(text, m.start("who"), m.end("who"), open_at, index)
    who = _first_actor(text, start, verb.start(), index)
    if who.entity is None and not sentence_like and not verb.group().endswith("ing"):
        # `The report's authors say iodine deficiency is "the sleeper health issue"`: a quote
        # whose speaker we cannot name is still a quote.
        m = _WHO_BEFORE.search(text, max(start, verb.start() - 160), verb.start())
        if m:
            return _resolve(text, m.start("who"), m.end("who"), open_at, index)
    return who if who.entity is not None else None


def _subject(text: str, lo: int, verb_at: int, index: EntityIndex,
             before: int | None = None) -> _Who | None:
    """The named speaker right before a speech verb: `Wilkins, 54, also said`."""
    m = _WHO_BEFORE.search(text, lo, verb_at)
    if m is None:
        return None
    who = _resolve(text, m.start("who"), m.end("who"), verb_at if before is None else before,
                   index)
    return who if who.entity is not None else None


def _first_actor(text: str, start: int, end: int, index: EntityIndex) -> _Who:
    """The clause subject of `..., warning:`: its first person, else its first organisation."""
    found: Mention | None = None
    for m in index.mentions_between(start, end):
        kind = index.types[m.entity]
        if kind == "person":
            return _Who(m.entity, (m.start, m.end))
        if kind == "organization" and found is None:
            found = m
    if found is not None:
        return _Who(found.entity, (found.start, found.end))
    for m in re.finditer(r"\b(?:he|she|He|She)\b", text[start:end]):
        return _pronoun(m.group(), start + m.start(), start + m.end(), start, index)
    return _Who(None, None)


def _resolve(text: str, start: int, end: int, before: int, index: EntityIndex,
             first: bool = False) -> _Who:
    """Turn a speaker phrase into an entity: a name in it, a pronoun, or a title."""
    phrase = text[start:end]
    head = phrase.split(None, 1)[0] if phrase.strip() else ""
    if head in _PRONOUNS or head in _GROUP_PRONOUNS:
        return _pronoun(head, start + phrase.index(head), start + phrase.index(head) + len(head),
                        before, index)
    mention = index.first_in(start, end) if first else index.entity_in(start, end)
    if mention is not None:
        return _Who(mention.entity, (mention.start, mention.end))
    for word in reversed(_WORD_RE.findall(phrase)):
        role = word.lower()
        if role.capitalize() in lx.TITLE_WORDS:
            m = index.recent(before, ("person",), title=role)
            if m is not None:
                return _Who(m.entity, (start, end))
    lowered = {w.lower() for w in _WORD_RE.findall(phrase)}
    if lowered & lx.ORG_ROLES:  # "the company", "a spokeswoman for the ministry"
        # The newspaper it told or the platform it posted on is not the company itself.
        m = index.recent(before, ("organization",), limit=2500, skip=index.outlets)
        if m is not None:
            return _Who(m.entity, (start, end))
    stripped = phrase.strip()
    # "officials", "the report's authors": a speaker we cannot name is better than a wrong one.
    return _Who(None, (start, start + len(stripped))) if stripped else _Who(None, None)


def _pronoun(word: str, start: int, end: int, before: int, index: EntityIndex) -> _Who:
    gender = _PRONOUNS.get(word)
    if gender is not None:
        m = index.recent(before, ("person",), gender=gender)
    else:
        m = index.recent(before, ("organization",), limit=600, skip=index.outlets)
    return _Who(m.entity if m else None, (start, end))


def _continuing(text: str, para_start: int, open_at: int, para_no: int,
                last: tuple[_Who, int] | None, index: EntityIndex) -> _Who:
    """A quote with no attribution of its own: the speaker of the quote or report just before."""
    # "Wilkins also said Warhol was a businessman. "As a way to ..."": the paragraph's own
    # reported speaker comes before whoever spoke in the paragraph above.
    verb = _last(_VERB_RE, text, para_start, open_at)
    if verb is not None and not verb.group().endswith("ing"):
        m = _WHO_BEFORE.search(text, max(para_start, verb.start() - 160), verb.start())
        if m:
            who = _resolve(text, m.start("who"), m.end("who"), verb.start(), index)
            if who.entity is not None or _UNNAMED.match(text, m.start("who")):
                # "Health ministers responded in a letter.": someone unnamed speaks here.
                return who
    if last is not None and para_no - last[1] <= 1:
        return _Who(last[0].entity, last[0].span)
    lo = max(0, open_at - _LOOKBACK)
    verb = _last(_VERB_RE, text, lo, open_at)
    if verb is not None:
        who = _subject(text, max(lo, verb.start() - 160), verb.start(), index)
        if who is not None:
            return who
    return _Who(None, None)


def _last(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text, start, end):  # noqa: B007 - keeps the last match
        pass
    return found
