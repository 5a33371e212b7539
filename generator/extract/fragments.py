"""Extraction helpers for quotes: a fragment of someone's words, or a name, title or modifier?"""

from __future__ import annotations

import re

from . import lexicon as lx

_VERB_RE = re.compile(rf"\b(?:{lx.alternation(lx.SPEECH_VERBS)})\b")
_WORD_RE = re.compile(r"[\w’'-]+")
_TITLE_CUE = re.compile(
    r"\b(?:titled|entitled|called|named|dubbed|film|movie|book|novel|song|album|show|series|"
    r"play|poem|headline|slogan|motto|term|word|words|phrase|label|nickname|hashtag)\s*$",
    re.IGNORECASE,
)
# "a robot named "Better Idea"", "a thread headed "Part 4"": a name or title, whoever wrote it.
_NAMING_CUE = re.compile(r"\b(?:titled|entitled|named|nicknamed|dubbed|headlined|headed|heading)\b")
# `the so-called "peace dividend"`, `its "reform", as it is known`: the writer's distance
# from a word, nobody's speech.
_SCARE_CUE = re.compile(r"\b(?:so-called|so called|supposed|self-styled)[ \t]*$", re.IGNORECASE)
# A fragment that opens with a function word is a piece of a sentence, not a coined term:
# `supported the idea "for months"` quotes someone; `the so-called "peace dividend"` does not.
_FRAGMENT_START = lx.words("""
for since until by at in on with without from over under after before about against among
between during through into within not never no very too so more less already still just only
all is are was were will would must should can could may might has have had be been being
""")
# Verbs that give a description in the speaker's words: `called the ruling "dangerous"`.
_DESCRIBE = lx.words(
    "called calls described describes labelled labeled branded termed characterized characterised"
    " accused accuses"  # `accused the state of "starving" the city`
)
# Plain verbs of saying: a fragment in the clause they report is the speaker's words.
_SAY = lx.words("said says say told tells added adds")
# A partial quote that is a predicate: `The form, officials said, "must be completed in English"`.
PREDICATE_START = lx.words(
    "must will would should can could may might shall is are was were has have had"
)
# Linking verbs: `said they felt "abandoned"`, `said it had become "unworkable"`.
LINKING_VERBS = lx.words(
    "be been being feel feels felt seem seems seemed look looks looked "
    "sound sounds sounded become becomes became remain remains remained"
)
_DETERMINERS = lx.words("a an the this its their his her our your such")
_JOINERS = lx.words(
    "and or but nor to of as that which who when while if because than "
    "yesterday today tomorrow tonight"
)
WORD_BEFORE = re.compile(r"([\w’'-]+)[ \t]*$")
_WORD_AFTER = re.compile(r"[ \t]+([a-z][\w’'-]*)")


def looks_like_title(text: str, quoted: str, lead: tuple[int, int]) -> bool:
    """Title case ("The Long Night Home") or a cue just before (`the film "..."`)."""
    words = quoted.split()
    if (
        len(words) <= 8
        and quoted[-1:] not in ".!?,"
        and all(
            w[:1].isupper() or w.lower() in ("of", "the", "a", "and", "in", "to", "on", "for")
            for w in words
        )
    ):
        return True
    return bool(_TITLE_CUE.search(text, max(lead[0], lead[1] - 40), lead[1]))


def named_not_quoted(
    text: str, quoted: str, words: int, lead: tuple[int, int], close_at: int
) -> bool:
    """A name, a title or a modifier in quotation marks, not anybody's words.

    `a robot named "Better Idea of Afghan Girls,"`, `was called "Salt and Iron"`,
    `promised a "fair and transparent" review`.
    """
    if words > 12 or quoted.rstrip("”’\"') ")[-1:] in ".!?…":
        return False
    if _SCARE_CUE.search(text, max(lead[0], lead[1] - 20), lead[1]):
        return True
    if words >= 2 and looks_like_title(text, quoted.rstrip(",;: "), (lead[1], lead[1])):
        return True
    verb = _last_verb(text, lead[0], lead[1])
    if _NAMING_CUE.search(text, verb.end() if verb else lead[0], lead[1]):
        return True
    before = WORD_BEFORE.search(text, max(lead[0], lead[1] - 20), lead[1])
    after = _WORD_AFTER.match(text, close_at + 1)
    return bool(
        words <= 4
        and before
        and before.group(1).lower() in _DETERMINERS
        and after
        and after.group(1) not in _FRAGMENT_START
        and after.group(1) not in _JOINERS
    )


def first_word(quoted: str) -> str:
    m = _WORD_RE.search(quoted)
    return m.group() if m else ""


def is_predicate(quoted: str) -> bool:
    return quoted[:1].islower() and first_word(quoted) in PREDICATE_START


def partial_quote(
    quoted: str, words: int, verb: str, gap: int, reported: bool, after_aux: bool
) -> bool:
    """A fragment after a speech verb in its sentence: the speaker's words, or a scare quote?"""
    if words >= 3:
        # The lead is the quote's own sentence: a speech verb in it reports what follows.
        return (gap <= 45 and not verb.endswith("ing")) or gap <= 12
    if reported and after_aux and gap <= 20:
        return True  # `said it had cut emissions and was "fully compliant"`
    if gap > 8:
        return False
    fragment = quoted[:1].islower() and first_word(quoted) in _FRAGMENT_START
    said = verb in _SAY and gap >= 2  # `said early estimates suffered from "chronic optimism"`
    return reported or fragment or after_aux or said or (verb in _DESCRIBE and gap <= 6)


def _last_verb(text: str, start: int, end: int) -> re.Match[str] | None:
    found = None
    for found in _VERB_RE.finditer(text, start, end):  # noqa: B007 - keeps the last match
        pass
    return found
