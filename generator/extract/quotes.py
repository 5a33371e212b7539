"""Extraction stage for quotes: tell direct quotes from scare quotes and find who said them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as lx
from .fragments import (
    LINKING_VERBS,
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
# A speaker phrase after its verb runs to the sentence's end; the periods of "Dr." and
# "U.S." do not end it.
_PHRASE = rf"(?:\b(?:{_ABBR})\.|\b[A-Z]\.|[^.;!?\"“”\n]){{1,100}}"
# `," said Ambassador Mohib`, `," said Dr. Lena Verhoeven, an ecologist`
_TRAIL_VERB_WHO = re.compile(rf"[\s,]*(?:[—–-]+\s*)?(?P<verb>{_VERBS})\s+(?P<who>{_PHRASE})")
_ACCORDING = re.compile(rf"\baccording\s+to\s+(?P<who>{_PHRASE})", re.IGNORECASE)
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
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be|get|got|gets)[ \t]+(?:\w+ly[ \t]+)?$")
_QUOTED_AS = re.compile(r"\b(?:was|were|is|are|been|being)\s+quoted(?=\s+as\s+$)")
_THAT_RE = re.compile(r"\bthat\b")
# "said she had won": reported speech without "that", its subject a pronoun.
_SAID_PRONOUN = re.compile(r"[ \t]+(?:he|she|they|we|it)\b")
# "one poster writing", "a reader asking": a speaker the article does not name.
_GENERIC_SPEAKER = re.compile(
    r"\b(?:one|a|an|another|some|many|several|other|most)\s+(?:[a-z-]+\s+){0,2}?[a-z-]+\s*$"
)
# "Health ministers from several countries", "The report's authors": people, unnamed.
_UNNAMED = re.compile(
    r"(?:(?:[Tt]he|[Ss]ome|[Mm]any|[Ss]everal|[Oo]ther)\s+)?"
    r"(?:[A-Za-z][\w’']*\s+){0,2}[a-z]+s\b(?![’'])"
)
# "One resident, who asked not to be named, put it bluntly:": a subject the story leaves unnamed.
_ONE_OF_THEM = re.compile(r"[ \t]*(?:One|A|An|Another)[ \t]+(?:[a-z-]+[ \t]+){0,2}?[a-z-]+\b")
# Between two quotes of one list: a conjunction, perhaps after a bracketed note.
_COORDINATED = re.compile(
    r"[ \t,]*(?:\([^()\n]{0,30}\)+[ \t,]*|\([^\n]{0,30}?\)\)[ \t,]*)?"
    r"(?:(?:and|or|but|as well as)[ \t]+)?"
)
# "the 24-year-old", "the Frenchman", "the mother-of-two": the person the story just named.
_EPITHET = re.compile(
    r"[Tt]he[ \t]+(?:[a-z]+[ \t]+)?(?P<noun>\d+-year-old|teenager|youngster|veteran|pensioner|"
    r"[a-z]+-of-[a-z]+|[A-Z][a-z]+)[ \t]*(?:,|$)"
)
# "Delaney's lawyer said": someone else speaks; "Delaney's spokesman" speaks for him.
_POSSESSED = re.compile(
    r"[’']s?[ \t]+(?!(?:office|spokes\w+|campaign|team|aides?|"
    r"representatives?|camp|administration|government)\b)[a-z][\w-]*[ \t]*(?:,|$)"
)
# "lawyers for Martin Cole", "a friend of the singer": "a spokesman for" speaks for them.
_AGENT_OF = re.compile(r"\b(?![Ss]pokes)[A-Za-z][a-z-]*[ \t]+(?:for|of)[ \t]+$")
# "a nurse in Bucharest", "a lecturer from Harbin": the place only says where the
# speaker is; a place speaks only as the head of the phrase ("Beijing said").
_WHERE_FROM = re.compile(
    r"\b[A-Za-z][a-z]*[ \t]+(?:in|at|from|near|outside|across)[ \t]+(?:the[ \t]+)?$"
)
# "The mayor of Brackenridge": a role held in a place.
_ROLE_OF = re.compile(
    r"\s*(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir)\s+(?:[\w-]+\s+)?(?P<role>[a-z][\w-]*)\s+(?:of|in|for)\b"
)
# `would be a "significant public benefit."`: a noun phrase, not a sentence someone said.
_ARTICLE_END = re.compile(r"\b(?:a|an|the)[ \t]+$")
_HEADLINE_COLON = re.compile(r"[ \t]*:[ \t]*[a-z]")
_TRAIL_STOP = re.compile(r"[\n\"“”«]")
_LOOKBACK = 400
_FORWARD = 1200  # how far below a role in the lede its holder may be named


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
        if who is None and kept is not None and _resumes(text, kept[0], passage.open_at):
            who = kept[1]  # `"We," said Maria Lopez, "are not done."`: one sentence, split
        if who is None:
            who = _from_lead(
                text, (lead[0], lead[1], para_start), passage.open_at, quoted, words, index
            )
        if who is None and clipped and _VERB_RE.search(text, lead[0], lead[1]):
            # `X said A "...", and said it was "..."`: the second verb shares the subject
            # that stands before the previous quotation.
            clause = _sentence_start(text, max(para_start, before_prev - _LOOKBACK), before_prev)
            verb = _last(_VERB_RE, text, clause, before_prev)
            if verb is not None:
                who = _subject(text, max(clause, verb.start() - 160), verb.start(), index)
        if (
            who is None
            and passage.open_at == para_start
            and _HEADLINE_COLON.match(text, passage.close_at + 1)
        ):
            who = _Who(None, None)  # "'We will not back down': nurses vote to strike"
        if (
            who is None
            and kept is not None
            and _COORDINATED.fullmatch(text, kept[0] + 1, passage.open_at)
        ):
            who = kept[1]  # `called it "dangerous" and "ideological"`: one speaker, two quotes
        if who is None and words >= 3 and is_predicate(quoted):
            who = _Who(None, None)  # words of a document or someone unnamed
        if who is None:
            if (
                not sentence_like
                or words < 3
                or (quoted[:1].islower() and _ARTICLE_END.search(text, lead[0], lead[1]))
                or looks_like_title(text, quoted, lead)
            ):
                continue
            complete = quoted.rstrip("”’\"')")[-1:] in ".!?…"
            who = _continuing(
                text,
                (para_start, lead_from if complete else None),
                passage.open_at,
                para_no,
                last,
                index,
            )
            if who.entity is None and not complete:
                continue  # a headline or slogan in quotation marks, not somebody's words
        if who.entity is not None or who.span is not None:
            last = (who, para_no + passage.pieces - 1)
        out.append(Attributed(passage.start, passage.end, who.entity, who.span))
        kept = (passage.close_at, who)
    return out


def _resumes(text: str, closed_at: int, open_at: int) -> bool:
    """True when a quote goes on after an attribution inside its sentence: `"A," X said, "b`."""
    between = text[closed_at + 1 : open_at]
    return (
        text[closed_at - 1 : closed_at] == ","
        and len(between) < 160
        and between.rstrip().endswith(",")
        and "\n" not in between
        and _VERB_RE.search(between) is not None
        and _sentence_start(text, closed_at + 1, open_at) == closed_at + 1
    )


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


def _from_trail(
    text: str, trail: tuple[int, int], passage: Passage, sentence_like: bool, index: EntityIndex
) -> _Who | None:
    start, end = trail
    closes_clause = sentence_like or text[start : start + 2].lstrip()[:1] in (",", "—", "–")
    if not closes_clause:
        return None
    m = _TRAIL_ACCORDING.match(text, start, end)
    if m:
        return _resolve(text, m.start("who"), m.end("who"), passage.open_at, index, first=True)
    m = _TRAIL_WHO_VERB.match(text, start, end)
    if m and not (
        text[passage.end - 1] == "."
        and m.group("who")[:1].isupper()
        and len(_WORD_RE.findall(text, m.end(), _sentence_end(text, m.end(), end))) > 6
    ):
        # After a full stop a capitalised subject with a long report of its own starts a
        # new sentence: `"... broken leg." One of them, Henrik Salo, said he had ...`.
        return _resolve(text, m.start("who"), m.end("who"), passage.open_at, index)
    m = _TRAIL_VERB_WHO.match(text, start, end)
    if m:
        return _resolve(text, m.start("who"), m.end("who"), passage.open_at, index, first=True)
    return None


def _from_lead(
    text: str, lead: tuple[int, int, int], open_at: int, quoted: str, words: int, index: EntityIndex
) -> _Who | None:
    start, end, para_start = lead
    sentence_like = _sentence_like(quoted, words)
    if end - start < 3:
        return None
    m = _ACCORDING.search(text, start, end)
    if m:
        return _resolve(text, m.start("who"), m.end("who"), open_at, index, first=True)
    if text[start:end].rstrip().endswith(":"):
        m = _ONE_OF_THEM.match(text, start, end)
        if m and not index.mentions_between(start, end):
            return _Who(None, (m.start() + len(m.group()) - len(m.group().lstrip()), m.end()))
    verb = _last(_VERB_RE, text, start, end)
    if verb is not None and verb.group() == "saying":
        # "X was quoted as saying": X said it.
        verb = _QUOTED_AS.search(text, max(start, verb.start() - 30), verb.start()) or verb
    if (
        verb is not None
        and verb.group().startswith("accus")
        and _PASSIVE.search(text, max(start, verb.start() - 30), verb.start())
    ):
        return None  # "was accused of "fraud"": the accused does not speak
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
        if (
            near
            and index.types[near[-1].entity] in ("person", "organization")
            and (not _WORD_RE.search(text, near[-1].end, verb.start()))
        ):
            return _Who(near[-1].entity, (near[-1].start, near[-1].end))
        # "with one poster writing": someone unnamed, not the organisation named earlier.
        m = _GENERIC_SPEAKER.search(text, max(start, verb.start() - 60), verb.start())
        if m:
            return _resolve(text, m.start(), m.end(), open_at, index)
    gap = len(_WORD_RE.findall(text, verb.end(), end))
    tail = text[verb.end() : end].rstrip()
    introduces = tail.endswith((":", ",", "that")) or gap <= 2
    # Reported speech: `said in a statement that it was "fully committed"`, or a list of
    # that-clauses after one speech verb: a partial quote far from its verb still counts.
    reported = _THAT_RE.search(text, verb.end(), end) is not None or bool(
        _SAID_PRONOUN.match(text, verb.end(), end)
    )
    before = WORD_BEFORE.search(text, max(start, end - 20), end)
    # `it would "engage"`, `they felt "abandoned"`
    after_aux = before is not None and (
        before.group(1) in PREDICATE_START or before.group(1) in LINKING_VERBS
    )
    if not sentence_like and not partial_quote(
        quoted, words, verb.group(), gap, reported, after_aux
    ):
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
        m = (
            _WHO_BEFORE.search(text, max(start, verb.start() - 160), verb.start())
            if (reported and not sentence_like)
            else None
        )
        if m:  # `Hospital managers said that they were "disappointed"`: nobody we can name
            return _resolve(text, m.start("who"), m.end("who"), open_at, index)
    who = _owner_phrase(text, _first_actor(text, start, verb.start(), index), verb.start())
    if who.entity is None and not sentence_like and not verb.group().endswith("ing"):
        # `The report's authors say iodine deficiency is "the sleeper health issue"`: a quote
        # whose speaker we cannot name is still a quote.
        m = _WHO_BEFORE.search(text, max(start, verb.start() - 160), verb.start())
        if m:
            return _resolve(text, m.start("who"), m.end("who"), open_at, index)
    return who if who.entity is not None else None


def _owner_phrase(text: str, who: _Who, verb_at: int) -> _Who:
    """`PC World's recent analysis of its traffic concluded,`: the organisation speaks
    through what it owns, and the whole phrase is the attributing mention."""
    if who.span is None or who.entity is None or not text.startswith(("'s", "’s"), who.span[1]):
        return who
    phrase = text[who.span[1] : verb_at]
    if len(phrase) > 80 or any(c in phrase for c in ',;:\n"“”'):
        return who
    return _Who(who.entity, (who.span[0], who.span[1] + len(phrase.rstrip())))


def _subject(
    text: str, lo: int, verb_at: int, index: EntityIndex, before: int | None = None
) -> _Who | None:
    """The named speaker right before a speech verb: `Wilkins, 54, also said`."""
    m = _WHO_BEFORE.search(text, lo, verb_at)
    if m is None:
        return None
    who = _resolve(text, m.start("who"), m.end("who"), verb_at if before is None else before, index)
    return who if who.entity is not None else None


def _first_actor(text: str, start: int, end: int, index: EntityIndex) -> _Who:
    """The clause subject of `..., warning:`: its first person, else its first organisation."""
    found: Mention | None = None
    for m in index.mentions_between(start, end):
        kind = index.types[m.entity]
        if kind == "person":
            if _represented(text, m, start, end):
                return _Who(None, None)  # "Defence lawyers for Martin Cole ... called"
            return _Who(m.entity, (m.start, m.end))
        if kind == "organization" and found is None:
            found = m
    if found is not None:
        return _Who(found.entity, (found.start, found.end))
    for m in re.finditer(r"\b(?:he|she|He|She)\b", text[start:end]):
        return _pronoun(text, m.group(), start + m.start(), start + m.end(), start, index)
    return _Who(None, None)


def _represented(text: str, m: Mention, start: int, end: int) -> bool:
    """True when someone else speaks about or for the person: "Delaney's lawyer", "lawyers
    for Martin Cole" ("a spokesman for Martin Cole" speaks as him)."""
    return bool(
        _POSSESSED.match(text, m.end, end)
        or _AGENT_OF.search(text, max(start, m.start - 40), m.start)
    )


def _resolve(
    text: str, start: int, end: int, before: int, index: EntityIndex, first: bool = False
) -> _Who:
    """Turn a speaker phrase into an entity: a name in it, a pronoun, or a title."""
    phrase = text[start:end]
    head = phrase.split(None, 1)[0] if phrase.strip() else ""
    if head in _PRONOUNS or head in _GROUP_PRONOUNS:
        at = start + phrase.index(head)
        return _pronoun(text, head, at, at + len(head), before, index)
    epithet = _epithet(phrase.strip())
    mention = index.first_in(start, end) if first else index.entity_in(start, end)
    role_holder = mention is not None and _holds_role(phrase, index.types[mention.entity], epithet)
    if role_holder:
        mention = None  # "the Spaniard", "the mayor of Brackenridge": a person, not the place
    if (
        mention is not None
        and index.types[mention.entity] == "place"
        and _WHERE_FROM.search(text, max(start, mention.start - 40), mention.start)
    ):
        mention = None  # "one nurse in Bucharest, who asked not to be named, said"
    if mention is not None:
        if index.types[mention.entity] == "person" and _represented(text, mention, start, end):
            return _Who(None, (start, start + len(phrase.rstrip())))
        return _Who(mention.entity, (mention.start, mention.end))
    m = _titled(phrase, before, index)
    if m is not None:
        return _Who(m.entity, (start, end))
    if epithet is not None:
        m = index.recent(before, ("person",), gender=epithet or None, limit=1500)
        if m is not None:
            m = _sentence_subject(text, m, epithet, index)
            return _Who(m.entity, (start, start + len(phrase.strip())))
    lowered = {w.lower() for w in _WORD_RE.findall(phrase)}
    if lowered & lx.ORG_ROLES and not role_holder:
        # "the company", "a spokeswoman for the ministry"; the newspaper it told or the
        # platform it posted on is not the company itself.
        m = index.recent(before, ("organization",), limit=2500, skip=index.outlets)
        if m is not None:
            return _Who(m.entity, (start, end))
    stripped = phrase.strip()
    # "officials", "the report's authors": a speaker we cannot name is better than a wrong one.
    return _Who(None, (start, start + len(stripped))) if stripped else _Who(None, None)


def _holds_role(phrase: str, kind: str, epithet: str | None) -> bool:
    """True when the phrase names a person by a role in the place or body it mentions:
    "the mayor of Brackenridge", "the chairman of a Premier League club" (not "a spokesman
    for the club", who speaks for it)."""
    if kind == "place" and epithet is not None:
        return True
    m = _ROLE_OF.match(phrase)
    if m is None or kind not in ("place", "organization"):
        return False
    role = m.group("role")
    return kind == "place" or (
        role.capitalize() in lx.TITLE_WORDS and not role.startswith("spokes")
    )


def _titled(phrase: str, before: int, index: EntityIndex) -> Mention | None:
    """The person a role names: "the prime minister" is whoever was Prime Minister X."""
    words = _WORD_RE.findall(phrase)
    for i in range(len(words) - 1, -1, -1):
        role = words[i].lower()
        if role.capitalize() not in lx.TITLE_WORDS:
            continue
        role = lx.TITLE_ABBREVIATIONS.get(role, role)
        if i > 0 and words[i - 1].lower() not in ("the", "a", "an"):
            m = index.recent(before, ("person",), title=f"{words[i - 1].lower()} {role}")
            if m is not None:
                return m
        m = index.recent(before, ("person",), title=role) or _named_later(before, role, index)
        if m is not None:
            return m
    return None


def _named_later(pos: int, role: str, index: EntityIndex) -> Mention | None:
    """`The mayor of Brackenridge has accused ...` in the lede, `Mayor Denise Okonkwo` below."""
    for m in index.mentions_between(pos, pos + _FORWARD):
        if index.types[m.entity] == "person" and role in index.titles[m.entity]:
            return m
    return None


def _epithet(phrase: str) -> str | None:
    """For an epithet of a person, the gender it implies ("m", "f", or "" for either)."""
    m = _EPITHET.match(phrase)
    if m is None:
        return None
    noun = m.group("noun")
    if noun[:1].isupper() and noun not in lx.PERSON_DEMONYMS:
        return None  # "the Kremlin", "the Dutch": not one person
    if noun.endswith("woman") or noun.startswith(("mother-", "grandmother-")):
        return "f"
    if noun.endswith("man") or noun.startswith(("father-", "grandfather-")):
        return "m"
    return ""


def _sentence_subject(
    text: str, m: Mention, gender: str, index: EntityIndex, known: bool = False
) -> Mention:
    """The first person of the sentence that names `m` who fits `gender` (a gender known to
    be it, if `known`), else `m`: `Nadal beat Djokovic. "...," the Spaniard said` is Nadal."""
    lo = _sentence_start(text, max(0, m.start - _LOOKBACK), m.start)
    fits = (gender,) if known else (None, gender)
    for x in index.mentions_between(lo, m.end):
        if index.types[x.entity] == "person" and (not gender or index.genders[x.entity] in fits):
            return x
    return m


def _pronoun(text: str, word: str, start: int, end: int, before: int, index: EntityIndex) -> _Who:
    gender = _PRONOUNS.get(word)
    if gender is not None:
        m = index.recent(before, ("person",), gender=gender)
        if m is not None:
            # "Birgit Osei, Farrow's running mate, said she ...": not the possessor.
            known = not text.startswith(("'s", "’s"), m.end)
            m = _sentence_subject(text, m, gender, index, known=known)
    else:
        m = index.recent(before, ("organization",), limit=600, skip=index.outlets)
        if m is not None and word.lower() != "it" and _people_since(text, m, before, index):
            m = None  # "they" are the people named since, or not the body a paragraph above
    return _Who(m.entity if m else None, (start, end))


def _people_since(text: str, m: Mention, before: int, index: EntityIndex) -> bool:
    """True when a paragraph break or a person stands between an organisation and "they"."""
    return "\n\n" in text[m.end : before] or any(
        index.types[x.entity] == "person" for x in index.mentions_between(m.end, before)
    )


def _continuing(
    text: str,
    bounds: tuple[int, int | None],
    open_at: int,
    para_no: int,
    last: tuple[_Who, int] | None,
    index: EntityIndex,
) -> _Who:
    """A quote with no attribution of its own: the speaker of the quote or report just before.

    `bounds` are the paragraph's start and where the text after the previous quote starts
    (None for words that are not a whole sentence: only a speaker already known takes them).
    """
    para_start, floor = bounds
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
    who = _sentence_before(text, floor, open_at, index) if floor is not None else None
    if who is not None:
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


def _sentence_before(text: str, floor: int, open_at: int, index: EntityIndex) -> _Who | None:
    """`Asked how long she will go on, Olsen laughs. "Until the bees tell me to stop."`: the
    person who is the subject of the sentence just before, in the same paragraph."""
    start = _sentence_start(text, floor, open_at)
    if text[start:open_at].strip():
        return None  # the quote does not open its sentence
    start = _sentence_start(text, floor, start - 1)
    if start >= open_at - 2:
        return None
    who = _first_actor(text, start, open_at, index)
    return who if who.entity is not None and index.types[who.entity] == "person" else None


def _last(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text, start, end):  # noqa: B007 - keeps the last match
        pass
    return found
