"""Properties of parse, annotate, render and incremental builds on generated input.

Hypothesis generates hostile text and front matter; every property is a promise of
issue 7: only diagnostics, never exceptions; offsets point at the words they claim;
content never puts a script or an event handler into the output; an incremental
rebuild after any sequence of edits equals a clean build. The budgets are fixed so
the whole file runs in well under a minute on two cores.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import shutil
import string
import tempfile
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import make_site
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
)

from generator.annotate import annotate
from generator.build import Builder, Options, build
from generator.config import Config
from generator.extract.lexicon import find_whole, whole_words
from generator.model import AnnotatedArticle, Article, Diagnostic, RegistryEntity, SourceFile
from generator.parse import ARTICLE_FIELDS, parse_article
from generator.registry import Registry
from generator.slugs import slugify
from generator.sources import decode

FAST = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLOW = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- generated text and front matter ------------------------------------------------

# Any character a UTF-8 file can hold, except NUL (refused before parsing).
CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
MARKDOWN_BITS = (
    "# ", "## ", "> ", "- ", "* ", "1. ", "```", "~~~", "`", "*", "**", "_", "__", "~~",
    "[a](b)", "[x](javascript:alert(1))", "![i](data:x)", "<div>", "</div>", "<b>", "&amp;",
    "&#0;", "&bogus;", "\\*", "\\", "    code", "\t", "|a|b|\n|-|-|", "---", "+++", "===",
    "\u00a0", "\u2028", "\u0085", "\ufeff", "\u200b", "e\u0301", "\U0001f600", "[ref]: /x",
    "<!--", "-->", "\n", "\n\n", " ", "  \n",
)
WORDS = st.text(string.ascii_letters, min_size=1, max_size=8)
FRAGMENT = st.one_of(st.sampled_from(MARKDOWN_BITS), WORDS, st.text(CHARS, max_size=6))
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def bodies(draw: st.DrawFn) -> str:
    """Markdown-ish text: markup fragments, words and arbitrary characters."""
    return "".join(draw(st.lists(FRAGMENT, max_size=40)))


@st.composite
def mixed_newlines(draw: st.DrawFn, text: str) -> str:
    """The same lines, each ended by LF, CRLF or a lone CR."""
    lines = text.split("\n")
    return "".join(line + draw(NEWLINES) for line in lines[:-1]) + lines[-1]


def _tz(minutes: int) -> timezone:
    return timezone(timedelta(minutes=minutes))


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(CHARS, max_size=20),
    st.sampled_from(["yes", "no", "", " ", "2024-01-30", "30 January 2024", "Jan 30, 2024",
                     "2024-02-30", "Tue, 30 Jan 2024 10:00:00 +0100", "<script>x</script>"]),
    st.dates(),
    st.datetimes(timezones=st.one_of(st.none(), st.just(UTC),
                                     st.integers(-23 * 60, 23 * 60).map(_tz))),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(CHARS, max_size=6), inner, max_size=3),
    max_leaves=8,
)
KEYS = st.one_of(st.sampled_from(ARTICLE_FIELDS), st.text(CHARS, min_size=1, max_size=10))
MAPPINGS = st.dictionaries(KEYS, VALUES, max_size=8)
# A usable title and date, then any field with any type: reaches the body most times.
USABLE = st.builds(
    lambda title, day, rest: {"title": title, "date": day, **rest},
    st.text(CHARS, min_size=1, max_size=20),
    st.one_of(st.dates(), st.sampled_from(["2024-01-30", "30 January 2024", "2024-01-30 18:05"])),
    st.dictionaries(KEYS, VALUES, max_size=4),
)


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def toml_value(value: Any) -> str:
    """TOML for a generated value; what TOML cannot hold becomes invalid TOML (also input)."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        return str(value) if isinstance(value, int) else _toml_string(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else repr(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    items = ", ".join(f"{_toml_string(str(k))} = {toml_value(v)}" for k, v in value.items())
    return "{" + items + "}"


def toml_dump(mapping: dict[str, Any]) -> str:
    return "".join(f"{_toml_string(k)} = {toml_value(v)}\n" for k, v in mapping.items())


@st.composite
def front_matters(draw: st.DrawFn) -> str:
    """A fenced head: a generated mapping in YAML or TOML, or YAML/TOML-ish lines."""
    kind = draw(st.sampled_from(["yaml", "yaml", "toml", "toml", "raw-yaml", "raw-toml",
                                 "unclosed"]))
    if kind in ("yaml", "toml"):
        mapping = draw(st.one_of(MAPPINGS, USABLE))
        if kind == "yaml":
            try:
                dumped = yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False)
            except yaml.YAMLError:
                dumped = "title: x\n"
            return "---\n" + dumped + "---\n"
        return "+++\n" + toml_dump(mapping) + "+++\n"
    lines = draw(st.lists(st.one_of(
        st.builds(lambda k, v: f"{k}: {v}", KEYS, st.text(CHARS, max_size=12)),
        st.builds(lambda k, v: f"{k} = {v}", KEYS, st.text(CHARS, max_size=12)),
        st.sampled_from(["&a [1]", "*a", "!!python/object:os.system x", "[table]", "- x",
                         "title: [", "a = \"", "  - nested", "? key", "%YAML 1.1", "..."]),
    ), max_size=6))
    fence = "+++" if kind == "raw-toml" else "---"
    closer = "" if kind == "unclosed" else fence + "\n"
    return fence + "\n" + "\n".join(lines) + "\n" + closer


@st.composite
def source_files(draw: st.DrawFn) -> SourceFile:
    """A SourceFile as sources.read_source makes one, from generated bytes."""
    suffix = draw(st.sampled_from([".md", ".markdown", ".txt", ".MD"]))
    stem = draw(st.sampled_from(["story", "2024-01-30-story", "2024-13-45-x", "é x"]))
    head = draw(st.one_of(st.just(""), front_matters()))
    body = draw(st.one_of(bodies(), st.text(CHARS, max_size=300)))
    raw = draw(st.sampled_from(["", "\ufeff"])) + head + body
    text = decode(draw(mixed_newlines(raw)).encode("utf-8"))
    sidecar = sidecar_path = None
    if suffix == ".txt" and draw(st.booleans()):
        sidecar_kind = draw(st.sampled_from(["toml", "yaml"]))
        mapping = draw(MAPPINGS)
        if sidecar_kind == "toml":
            sidecar = toml_dump(mapping)
        else:
            try:
                sidecar = yaml.safe_dump(mapping, allow_unicode=True)
            except yaml.YAMLError:
                sidecar = "- not a mapping\n"
        sidecar_path = f"content/{stem}.meta.{sidecar_kind}"
    return SourceFile(f"content/{stem}{suffix}", text, "digest", 0.0, sidecar, sidecar_path)


# --- parse ---------------------------------------------------------------------------


def check_runs(article: Article) -> None:
    """Every run of plain text is a verbatim slice of the file, inside the body."""
    for block in article.blocks:
        previous_end = 0
        for run in block.runs:
            assert run.length >= 0 and run.plain >= previous_end, (block, run)
            assert run.plain + run.length <= len(block.text), (block, run)
            assert article.body_start <= run.source
            assert run.source + run.length <= len(article.text)
            in_file = article.text[run.source : run.source + run.length]
            in_block = block.text[run.plain : run.plain + run.length]
            assert in_file == in_block, (in_file, in_block, block)
            previous_end = run.plain + run.length


@FAST
@given(source_files())
def test_parse_gives_an_article_or_diagnostics_and_never_raises(source: SourceFile) -> None:
    article, problems = parse_article(source, Config())
    paths = {source.path, source.sidecar_path}
    for problem in problems:
        assert isinstance(problem, Diagnostic) and problem.path in paths, problem
        assert problem.line is None or problem.line >= 1, problem
    event(f"{source.path.rsplit('.', 1)[-1]}: {'article' if article else 'diagnostics'}")
    if article is None:
        assert problems, "an article dropped without a word"
        return
    assert not [p for p in problems if p.severity == "error"], problems
    assert article.title.strip() and article.date.tzinfo is not None
    assert article.text == source.text and 0 <= article.body_start <= len(article.text)
    check_runs(article)


@FAST
@given(st.sampled_from(["", "\ufeff"]), st.sampled_from(["---", "+++"]), bodies(), st.data())
def test_markdown_runs_are_verbatim_slices_of_the_file(
    bom: str, fence: str, body: str, data: st.DataObject
) -> None:
    """The same property with a valid head, so that every example reaches the body."""
    sep = ":" if fence == "---" else " ="
    head = f'{fence}\ntitle{sep} "T"\ndate{sep} 2024-01-30\n{fence}\n'
    raw = data.draw(mixed_newlines(bom + head + body))
    text = decode(raw.encode("utf-8"))
    article, problems = parse_article(SourceFile("content/a.md", text, "d"), Config())
    assert article is not None, problems
    check_runs(article)


def test_text_article_runs_are_verbatim_slices_of_the_file() -> None:
    """A .txt paragraph over two lines: its run must not claim a space is a newline."""
    text = "Headline\n\nFirst line\nsecond line.\n"
    article, _ = parse_article(SourceFile("content/2024-01-30-a.txt", text, "d"), Config())
    assert article is not None
    check_runs(article)


# --- annotate ------------------------------------------------------------------------

PEOPLE = ["Jonas Brandt", "Ilse Varga", "Marta Oyelaran", "Pieter Kals", "Seán O'Neill",
          "Anna-Lena Ström"]
TITLES = ["", "President ", "Dr. ", "Mayor ", "Minister "]
VERBS = ["said", "says", "told reporters", "added", "warned", "asked", "insisted", "wrote"]
PAIRS = [('"', '"'), ("\u201c", "\u201d"), ("\u2018", "\u2019"), ("'", "'"),
         ("\u00ab", "\u00bb"), ("\u201e", "\u201c"), ("\u2039", "\u203a"), ("\u300c", "\u300d"),
         ("\u00bb", "\u00ab"), ('"', "\u201d")]
LONE = ['"', "\u201c", "\u201d", "\u2018", "\u2019", "'", "\u00ab", "\u00bb", "\u201e"]
PLAIN = ["the", "harbour", "council", "don't", "Brandt's", "workers\u2019", "rock 'n' roll",
         "it's", "'90s", "on", "Monday", "we", "will", "not", "stop", "Port", "Halden",
         "Harbour", "Authority", "*strike*", "**deal**", "and", "she", "he", "they", "—", ","]
ORGS = ["Port Halden Harbour Authority", "the Dockworkers Union", "Halden City Council"]


def _name() -> st.SearchStrategy[str]:
    invented = st.builds(
        lambda a, b: a.capitalize() + " " + b.capitalize(),
        st.text(string.ascii_lowercase, min_size=2, max_size=7),
        st.text(string.ascii_lowercase, min_size=2, max_size=9),
    )
    known = st.builds(lambda t, n: t + n, st.sampled_from(TITLES), st.sampled_from(PEOPLE))
    return st.one_of(known, invented, st.sampled_from(ORGS), st.sampled_from(["she", "He"]))


PHRASE = st.lists(st.one_of(st.sampled_from(PLAIN), _name(), WORDS), min_size=1, max_size=12).map(
    " ".join
)


@st.composite
def sentences(draw: st.DrawFn) -> str:
    who, verb, words = draw(_name()), draw(st.sampled_from(VERBS)), draw(PHRASE)
    left, right = draw(st.sampled_from(PAIRS))
    form = draw(st.integers(0, 8))
    if form == 0:
        return f"{left}{words},{right} {who} {verb}."
    if form == 1:
        return f"{left}{words},{right} {verb} {who}."
    if form == 2:
        return f"{who} {verb}: {left}{words}.{right}"
    if form == 3:
        return f"According to {who}, {left}{words}{right}."
    if form == 4:  # a quote that runs on into the next paragraph, reopened there
        more = draw(PHRASE)
        return f"{left}{words}.\n\n{left}{more},{right} {who} {verb}."
    if form == 5:
        return f"{draw(st.sampled_from(LONE))}{words} {who} {verb}"
    if form == 6:
        return f"{who} {verb} {left}{words}{right} and {left}{draw(PHRASE)}{right}."
    if form == 7:
        return " ".join(draw(st.lists(st.sampled_from(LONE + PLAIN), max_size=15)))
    return f"{words}."


@st.composite
def news_text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(sentences(), min_size=1, max_size=10))
    text = parts[0]
    for part in parts[1:]:
        text += draw(st.sampled_from([" ", " ", "\n", "\n\n"])) + part
    if draw(st.integers(0, 9)) == 0:  # one long paragraph: quote context is cut
        text = " ".join([parts[0]] * 60) + "\n\n" + text
    return text


REGISTRY = Registry([
    RegistryEntity("jonas-brandt", "Jonas Brandt", "person", ("Brandt",)),
    RegistryEntity("ilse-varga", "Ilse Varga", "person", ("Varga", "Mayor Varga")),
    RegistryEntity("port-halden", "Port Halden", "place"),
])


def _words(text: str) -> list[str]:
    """Words without emphasis marks (unmatched ones stay in the plain text, so both
    sides drop them)."""
    return re.sub(r"[*_]", "", text).split()


BLOCK_MARKER = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)]|>|#{1,6})(?=\s)", re.MULTILINE)


def _file_words(text: str, markdown: bool) -> list[str]:
    """Words of a slice of the file as the plain text reads them: in Markdown, without
    the block markers (lists, quotes, headings) a slice over a block boundary holds,
    link syntax, code and strike marks, escapes and entities."""
    if markdown:
        text = BLOCK_MARKER.sub("", text)
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("`", "").replace("~~", "")
        text = html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text))
    return _words(text)


REOPEN = "[\"\u201c\u00ab\u2018']"
PARAGRAPH_BREAK_REOPEN = re.compile(rf"\n[ \t]*\n\s*{REOPEN}\s*")
ANY_REOPEN = re.compile(rf"(\s){REOPEN}\s*")


@st.composite
def news_articles(draw: st.DrawFn) -> Article:
    body = draw(news_text())
    fields: dict[str, Any] = {"title": "Harbour news", "date": "2024-01-30"}
    if draw(st.booleans()):
        tokens = body.split()
        start = draw(st.integers(0, max(len(tokens) - 1, 0)))
        length = draw(st.integers(1, 8))
        speaker = draw(st.sampled_from(["Jonas Brandt", "ilse-varga", "Marta Oyelaran"]))
        fields["entities"] = ["Marta Oyelaran"]
        fields["quotes"] = [{"text": " ".join(tokens[start : start + length]) or "x",
                             "speaker": speaker}]
    suffix = draw(st.sampled_from([".md", ".txt"]))
    head = "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n"
    text = head + body + "\n"
    article, problems = parse_article(SourceFile("content/a" + suffix, text, "d"), Config())
    assert article is not None, problems
    return article


def check_annotation(result: AnnotatedArticle, registry: Registry) -> None:
    article = result.article
    text = article.text
    markdown = article.format == "markdown"
    names = {n: e.id for e in registry.entities for n in (e.name, *e.aliases)}

    def check_mention(mention: Any) -> None:
        assert article.body_start <= mention.start < mention.end <= len(text), mention
        assert mention.text == text[mention.start : mention.end], mention
        assert mention.text == mention.text.strip() and "\n\n" not in mention.text, mention

    ids = {e.id for e in result.entities}
    for entity in result.entities:
        for mention in entity.mentions:
            check_mention(mention)
            if entity.origin == "registry" and entity.id in registry.by_id:
                # A registry name, or a case variant extraction resolved by its slug.
                spoken = " ".join(_words(mention.text))
                assert names.get(spoken, slugify(spoken)) == entity.id, (entity, mention)
    quote_ids = [q.id for q in result.quotes]
    assert len(quote_ids) == len(set(quote_ids)), quote_ids
    for quote in result.quotes:
        assert (quote.start is None) == (quote.end is None), quote
        if quote.speaker_id is not None:
            assert quote.speaker_id in ids, quote
        if quote.speaker_mention is not None:
            check_mention(quote.speaker_mention)
        if quote.start is None or quote.end is None:
            assert quote.origin == "editor", quote
            continue
        assert article.body_start <= quote.start < quote.end <= len(text), quote
        in_file = text[quote.start : quote.end]
        shown = quote.paragraph[quote.context[0] : quote.context[1]]
        if quote.origin == "auto":
            in_words = _file_words(PARAGRAPH_BREAK_REOPEN.sub("\n\n", in_file), markdown)
            assert in_words == _words(quote.text), (in_file, quote)
            assert PARAGRAPH_BREAK_REOPEN.sub("\n\n", shown) == quote.text, (shown, quote)
        else:  # an editor's words are found with any spacing, a mark may reopen a word
            said = _words(ANY_REOPEN.sub(r"\1", quote.text))
            assert _file_words(ANY_REOPEN.sub(r"\1", in_file), markdown) == said, (in_file, quote)
            assert _words(ANY_REOPEN.sub(r"\1", shown)) == said, (shown, quote)


@FAST
@given(news_articles(), st.sampled_from([Registry(), REGISTRY]), st.booleans())
def test_annotate_never_raises_and_offsets_point_at_the_words(
    article: Article, registry: Registry, auto: bool
) -> None:
    result = annotate(article, registry, auto)
    for problem in result.diagnostics:
        assert problem.path == article.path
    check_annotation(result, registry)


def test_speaker_mention_is_only_the_words_that_name_the_speaker() -> None:
    text = (
        "---\ntitle: T\ndate: 2024-01-01\n---\n"
        "Halden Athletic according to the club, \u201cThree more years. Please.\u201d\n"
    )
    article, _ = parse_article(SourceFile("content/a.md", text, "d"), Config())
    assert article is not None
    check_annotation(annotate(article, Registry(), True), Registry())


_NAME_LETTERS = "aAbB é_1-.' "


@given(
    st.lists(st.text(_NAME_LETTERS, min_size=1, max_size=6), min_size=1, max_size=6),
    st.lists(st.text(_NAME_LETTERS + "xX\n", max_size=8), max_size=12),
)
def test_whole_word_names_are_found_as_a_lookbehind_pattern_finds_them(
    names: list[str], noise: list[str]
) -> None:
    """The registry's names are found with a pattern that leaves out the `(?<!\\w)` it
    stands for (`lexicon.find_whole`): the same matches, in the same order."""
    text = "".join(part for pair in zip(noise, names * 3, strict=False) for part in pair)
    flat = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    expected = [m.span() for m in re.finditer(rf"(?<!\w)(?:{flat})(?!\w)", text)]
    pattern = whole_words(names)
    assert pattern is not None
    assert [m.span() for m in find_whole(pattern, text)] == expected


# --- render --------------------------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    '"><img src=x onerror=alert(1)>', "'><svg/onload=alert(1)>", "</script><script>alert(1)",
    '<script type="application/ld+json">{"a":1}</script>', "javascript:alert(1)",
    "JaVaScRiPt:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "<a href=javascript:x>y</a>",
    "<iframe src=javascript:alert(1)>", "&lt;script&gt;", "{{ 7*7 }}", "{% raw %}", "]]>",
    "<!--", "<style>*{}</style>", "<body onload=alert(1)>", '" onmouseover="alert(1)',
    "\u2028<script>", "<math><mi xlink:href=javascript:1>",
]
BODY_PAYLOADS = [
    *PAYLOADS,
    "[click](javascript:alert(1))", "[c](JAVASCRIPT:alert(1))", "![i](data:image/svg+xml,<svg>)",
    "<https://x.example/\"onmouseover=\"alert(1)>", "<javascript:alert(1)>",
    "[r]: javascript:alert(1)\n\n[r]", "`<script>`", "```\n<script>\n```",
]
HOSTILE = st.one_of(
    st.sampled_from(PAYLOADS),
    st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(CHARS, max_size=5)), min_size=1,
             max_size=3).map("".join),
)


@st.composite
def hostile_sites(draw: st.DrawFn) -> dict[str, str]:
    files: dict[str, str] = {}
    speakers = []
    for n in range(draw(st.integers(0, 2))):
        name = f"Person{n} " + draw(HOSTILE).replace("\n", " ")
        speakers.append(f"person{n}")
        entity = {"name": name.strip() or f"P{n}", "type": draw(st.sampled_from(
            ["person", "organization", "place", "other"])),
            "aliases": [draw(HOSTILE).strip() or "x"], "motto": draw(HOSTILE)}
        description = draw(HOSTILE) + "\n\n" + draw(st.sampled_from(BODY_PAYLOADS))
        files[f"content/entities/person{n}.md"] = (
            "---\n" + yaml.safe_dump(entity, allow_unicode=True) + "---\n" + description + "\n"
        )
    for n in range(draw(st.integers(1, 3))):
        said = "We said " + draw(HOSTILE)
        speaker = draw(st.sampled_from([*speakers, "Payload Person"]))
        body_bits = draw(st.lists(st.sampled_from(BODY_PAYLOADS), min_size=1, max_size=4))
        body = (f'"{said}," {speaker} said.\n\n' + "\n\n".join(body_bits)
                + f"\n\nPayload Person said: \u201c{draw(HOSTILE)}\u201d\n")
        fields = {
            "title": f"Story {n} {draw(HOSTILE)}",
            "date": f"2024-0{n + 1}-15",
            "tags": [f"t{n}" + draw(HOSTILE), draw(HOSTILE)],
            "authors": [draw(HOSTILE)],
            "summary": draw(HOSTILE),
            "section": draw(HOSTILE),
            "source": draw(HOSTILE),
            "source_url": draw(st.sampled_from(PAYLOADS)),
            "entities": ["Payload Person", *speakers],
            "quotes": [{"text": said, "speaker": speaker}],
            "note": draw(HOSTILE),
        }
        suffix = draw(st.sampled_from([".md", ".md", ".txt"]))
        files[f"content/story{n}{suffix}"] = (
            "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n" + body
        )
    return files


UNSAFE_URL = re.compile(r"^(javascript|data|vbscript):")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset"}


class ScriptFinder(HTMLParser):
    """Collects what could run: script elements, event handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.in_script = False
        self.script_text: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value is not None:
                bare = re.sub(r"[\x00-\x20]+", "", value).lower()
                if UNSAFE_URL.match(bare):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self.scripts.append(dict(attrs))
            self.in_script, self.script_text = True, []
        # The theme draws its own timelines in <svg>; content may add no active element.
        if tag in ("iframe", "object", "embed", "math", "base", "form", "style", "meta") and (
            tag != "meta" or "http-equiv" in dict(attrs)
        ):
            self.problems.append(f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.in_script:
            self.in_script = False
            try:
                json.loads("".join(self.script_text))
            except ValueError:
                self.problems.append("a JSON-LD block that is not JSON")


def check_html(html: str, where: str) -> None:
    finder = ScriptFinder()
    finder.feed(html)
    finder.close()
    problems = list(finder.problems)
    for attrs in finder.scripts:
        if attrs.get("type") != "application/ld+json" or len(attrs) != 1:
            problems.append(f"<script {attrs}>")
    if len(finder.scripts) > 1:
        problems.append(f"{len(finder.scripts)} script blocks")
    if len(re.findall(r"<script", html, re.IGNORECASE)) != len(finder.scripts):
        problems.append("'<script' outside a script element")
    assert not problems, (where, problems)


def check_output(public: Path) -> int:
    """Check every page and every feed's HTML; return how many pages were read."""
    pages = 0
    for path in sorted(public.rglob("*")):
        where = path.relative_to(public).as_posix()
        if path.suffix == ".html":
            check_html(path.read_text(encoding="utf-8"), where)
            pages += 1
        elif path.suffix == ".xml" and path.name != "sitemap.xml":
            root = ET.fromstring(path.read_text(encoding="utf-8"))  # well-formed XML
            for element in root.iter():
                if element.get("type") == "html" and element.text:
                    check_html(element.text, where)
    return pages


@pytest.mark.parametrize(
    "html",
    [
        "<p>x</p><script>alert(1)</script>",
        '<script type="application/ld+json">{}</script><script type="application/ld+json">{}'
        "</script>",
        '<script type="application/ld+json">{"a": "</script><b>"}</script>',
        '<img src="x" onerror="alert(1)">',
        '<a href=" JaVaScRiPt:alert(1)">x</a>',
        '<iframe src="data:text/html,x"></iframe>',
        "<svg><a xlink:href=javascript:alert(1)>x</a></svg>",
        "<!-- <script>alert(1)</script> -->",
    ],
)
def test_the_script_check_finds_what_content_could_inject(html: str) -> None:
    with pytest.raises(AssertionError):
        check_html(html, "page.html")


def test_the_script_check_lets_the_theme_through() -> None:
    check_html('<script type="application/ld+json">{"a": "\\u003c/script\\u003e"}</script>'
               '<svg class="timeline"><rect width="3"/></svg><a href="/x/">x</a>', "page.html")


@SLOW
@given(hostile_sites())
def test_hostile_content_never_puts_a_script_into_the_output(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = make_site(Path(folder) / "site", {k: v.encode() for k, v in files.items()})
        result = build(site, Options(jobs=1))
        assert all(isinstance(d, Diagnostic) for d in result.diagnostics)
        assert not result.errors, [str(d) for d in result.diagnostics]
        assert check_output(site / "public") > 5


def test_control_characters_keep_feeds_well_formed(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/a.md": b'---\ntitle: "Story \\x0e"\ndate: 2024-01-15\n---\nBody \x0b text.\n',
        "content/b.md": b'---\ntitle: "Other \\ufffe"\ndate: 2024-01-16\n---\nMore\x1f text.\n',
    })
    assert not build(site, Options(jobs=1)).errors
    for feed in sorted((site / "public").rglob("*.xml")):
        ET.fromstring(feed.read_bytes())
    story = (site / "public" / "articles" / "2024" / "01" / "story" / "index.html").read_text()
    assert ">Story </h1>" in story and "Body  text." in story
    other = (site / "public" / "articles" / "2024" / "01" / "other" / "index.html").read_text()
    assert ">Other </h1>" in other and "More text." in other
    for page in (site / "public").rglob("*.html"):
        assert not any(c in page.read_text() for c in "\x0b\x0e\x1f\ufffe"), page


# --- incremental ---------------------------------------------------------------------


def tree(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


INCREMENTAL_PEOPLE = ["Ilse Varga", "Jonas Brandt", "Marta Oyelaran"]


@st.composite
def stories(draw: st.DrawFn) -> str:
    who = draw(st.sampled_from(INCREMENTAL_PEOPLE))
    words = draw(st.sampled_from(["We have a plan", "Not today", "It is over", "We won"]))
    title = draw(st.sampled_from(["Harbour", "Council", "Strike", "Ferry"]))
    title += f" {draw(st.integers(1, 4))}"
    dated = draw(st.integers(0, 4))
    year = draw(st.sampled_from([2023, 2024]))  # published, or scheduled (SOURCE_DATE_EPOCH)
    date = "" if dated == 0 else f"date: {year}-0{dated}-1{dated}\n"
    tags = draw(st.lists(st.sampled_from(["harbour", "council", "sport"]), max_size=2))
    return (
        f"---\ntitle: {title}\n{date}tags: [{', '.join(tags)}]\n---\n"
        f'"{words}," {who} said.\n\n{draw(st.sampled_from(INCREMENTAL_PEOPLE))} left.\n'
    )


class EditSession(RuleBasedStateMachine):
    """An editor's session: after every edit the incremental build equals a clean one."""

    articles = Bundle("articles")

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="broadsheet-edits-"))
        config = 'title = "Edits"\nentity_per_page = 2\nquotes_per_page = 3\ntag_per_page = 2\n'
        self.site = make_site(self.root / "site", {"site.toml": config})
        self.builder = Builder(self.site, Options(jobs=1), watching=True)  # as `serve` has it
        self.counter = 0
        self.last: dict[str, bytes] = {}
        self.epoch = 1_700_000_000

    def _path(self) -> Path:
        self.counter += 1
        return self.site / "content" / f"story{self.counter}.md"

    @initialize(target=articles, text=stories())
    def first(self, text: str) -> Path:
        path = self._path()
        make_site(self.site, {path.relative_to(self.site).as_posix(): text})
        return path

    @rule(target=articles, text=stories())
    def add(self, text: str) -> Path:
        path = self._path()
        path.write_text(text, encoding="utf-8")
        return path

    @rule(path=articles, text=stories())
    def edit(self, path: Path, text: str) -> None:
        if path.exists():
            path.write_text(text, encoding="utf-8")

    @rule(path=articles, field=st.sampled_from(["summary", "section", "authors"]),
          value=st.sampled_from(["Short", "[Ana Lind]", "Longer words"]))
    def relist(self, path: Path, field: str, value: str) -> None:
        """An edit of what listings show of an article, and nothing else."""
        if not path.exists():
            return
        text = path.read_text(encoding="utf-8")
        if "\ntags:" in text:
            text = re.sub(f"\n{field}: .*", "", text)
            path.write_text(text.replace("\ntags:", f"\n{field}: {value}\ntags:", 1))

    @rule(path=articles, broken=st.sampled_from(["---\ntitle: [\n---\n", "---\ntitle: A\n",
                                                 "---\ntitle: A\ndate: yes\n---\nx\n"]))
    def break_front_matter(self, path: Path, broken: str) -> None:
        if path.exists():
            path.write_text(broken, encoding="utf-8")

    @rule(path=articles, seconds=st.integers(1, 10**8))
    def touch(self, path: Path, seconds: int) -> None:
        if path.exists():
            os.utime(path, (self.epoch + seconds, self.epoch + seconds))

    @rule(target=articles, path=consumes(articles))
    def rename(self, path: Path) -> Path:
        new = self._path()
        if path.exists():
            path.rename(new)
        return new

    @rule(path=consumes(articles))
    def delete(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    @rule(name=st.sampled_from(INCREMENTAL_PEOPLE), alias=st.booleans(),
          kind=st.sampled_from(["person", "organization"]))
    def add_entity(self, name: str, alias: bool, kind: str) -> None:
        aliases = f"[{name.split()[-1]}]" if alias else "[]"
        make_site(self.site, {
            f"content/entities/{name.lower().replace(' ', '-')}.md":
            f"---\nname: {name}\ntype: {kind}\naliases: {aliases}\n---\nAbout {name}.\n"
        })

    @rule(name=st.sampled_from(INCREMENTAL_PEOPLE))
    def delete_entity(self, name: str) -> None:
        (self.site / f"content/entities/{name.lower().replace(' ', '-')}.md").unlink(
            missing_ok=True
        )

    @rule(note=st.integers(0, 3), which=st.sampled_from(["tag.html", "partials/quote_list.html"]))
    def change_template(self, note: int, which: str) -> None:
        theme = Path(__file__).resolve().parent.parent / "templates" / which
        text = theme.read_text(encoding="utf-8")
        make_site(self.site, {f"templates/{which}": (f"<!-- edit {note} -->\n" + text).encode()})

    @rule()
    def drop_templates(self) -> None:
        shutil.rmtree(self.site / "templates", ignore_errors=True)

    @invariant()
    def incremental_equals_clean(self) -> None:
        result = self.builder.build()
        clean_out = self.root / "clean"
        clean = build(self.site, Options(out=clean_out, jobs=1, cache=False))
        assert [str(d) for d in result.diagnostics] == [str(d) for d in clean.diagnostics]
        if clean.errors:
            assert tree(self.site / "public") == self.last, "a failed build changed the output"
        else:
            now = tree(self.site / "public")
            expected = tree(clean_out)
            assert now.keys() == expected.keys()
            assert [k for k in now if now[k] != expected[k]] == []
            self.last = now
        shutil.rmtree(clean_out, ignore_errors=True)

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


EditSession.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_incremental_build_after_any_edits_equals_a_clean_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Undated articles take SOURCE_DATE_EPOCH, as in CI.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    EditSession.TestCase().runTest()


@pytest.mark.parametrize("second", ["incremental", "another one-shot build"])
def test_undated_article_touched_rebuilds_like_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second: str
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = make_site(tmp_path / "site", {"content/a.md": "---\ntitle: Undated\n---\nWords.\n"})
    os.utime(site / "content/a.md", (1_700_000_000, 1_700_000_000))
    builder = Builder(site, Options(jobs=1))
    assert not builder.build().errors
    os.utime(site / "content/a.md", (1_600_000_000, 1_600_000_000))
    if second == "incremental":
        assert not builder.build().errors
    else:
        assert not build(site, Options(jobs=1)).errors
    assert not build(site, Options(out=tmp_path / "clean", jobs=1, cache=False)).errors
    assert tree(site / "public") == tree(tmp_path / "clean")
