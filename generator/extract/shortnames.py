"""Extraction helpers: short forms that name an entity found in full elsewhere in the article."""

from __future__ import annotations

import re
from typing import Protocol

# "the World Health Organization (WHO)": the bracketed letters name what stands before them.
_BRACKETED_ACRONYM = re.compile(r"[ \t]*\(([A-Z][A-Z0-9&]{1,7})\)")


class _Entity(Protocol):
    name: str
    type: str
    known_id: str | None
    spans: list[tuple[int, int]]


def merge_bracketed_acronyms(text: str, builders: dict[tuple[str, str], _Entity]) -> None:
    """Fold `WHO` into `World Health Organization` when the text defines it in brackets."""
    if "(" not in text:
        return
    ends = {
        end: key
        for key, b in builders.items()
        if b.type in ("organization", "place") and " " in b.name
        for _, end in b.spans
    }
    for m in _BRACKETED_ACRONYM.finditer(text):
        key = ends.get(m.start())
        acronym = m.group(1)
        if key is None or builders[key].name[:1] != acronym[:1]:
            continue
        for short_key in [k for k, b in builders.items() if b.name == acronym and k != key]:
            if builders[short_key].known_id is None:
                builders[key].spans.extend(builders.pop(short_key).spans)


def merge_name_prefixes(
    builders: dict[tuple[str, str], _Entity], given_names: frozenset[str]
) -> None:
    """`Calder Finch chair Deborah Ng`: the first words of `Calder Finch Logistics` are the
    company's short name, not a person. `Andy Warhol` stays apart from his foundation."""
    prefixes: dict[str, tuple[str, str]] = {}
    for key, b in sorted(builders.items()):
        words = b.name.split()
        if b.type == "organization" and len(words) > 2:
            for n in range(2, len(words)):
                prefixes.setdefault(" ".join(words[:n]), key)
    if not prefixes:
        return
    for key in list(builders):
        b = builders[key]
        target = prefixes.get(b.name)
        if (
            target is not None
            and target != key
            and b.known_id is None
            and b.type in ("person", "unknown")
            and b.name.split()[0] not in given_names
        ):
            builders[target].spans.extend(builders.pop(key).spans)


def merge_short_forms(builders: dict[tuple[str, str], _Entity], lexical: frozenset[str]) -> None:
    """Single words that stand for a name given in full: `Scientology` after `Church of
    Scientology`, `Gloria` after `Gloria Hernandez` (when only one Gloria is named)."""
    tails: dict[str, tuple[str, str]] = {}
    firsts: dict[str, tuple[str, str] | None] = {}
    for key, b in sorted(builders.items()):
        words = b.name.split()
        if b.type == "organization" and len(words) == 3 and words[1] == "of":
            tails.setdefault(words[2], key)
        if b.type == "person" and len(words) > 1 and b.known_id is None:
            firsts[words[0]] = None if words[0] in firsts else key
    for key in list(builders):
        b = builders[key]
        if " " in b.name or b.known_id or b.name in lexical or b.type not in ("unknown", "person"):
            continue
        target = tails.get(b.name) or firsts.get(b.name)
        if target is not None and target != key:
            builders[target].spans.extend(builders.pop(key).spans)
