"""Extraction records: an article's entities and mentions, as quote attribution reads them."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    entity: int


@dataclass(frozen=True, slots=True)
class EntityIndex:
    """The article's entities plus what quote attribution needs to resolve speakers."""

    names: tuple[str, ...]
    types: tuple[str, ...]
    known_ids: tuple[str | None, ...]
    spans: tuple[tuple[tuple[int, int], ...], ...]
    genders: tuple[str | None, ...]
    titles: tuple[frozenset[str], ...]
    mentions: tuple[Mention, ...]  # sorted by start
    starts: tuple[int, ...]
    outlets: frozenset[int] = frozenset()  # news outlets and platforms: they carry speech

    def entity_in(self, start: int, end: int) -> Mention | None:
        """The last mention lying inside [start, end): the head of "the minister, Ana Li"."""
        i = bisect_right(self.starts, end) - 1
        best = None
        while i >= 0 and self.mentions[i].end > start - 200:
            m = self.mentions[i]
            if m.start >= start and m.end <= end:
                if self.types[m.entity] == "person":
                    return m
                best = best or m
            i -= 1
        return best

    def first_in(self, start: int, end: int) -> Mention | None:
        """The first person mention inside [start, end), else the first of any kind."""
        found = None
        for m in self.mentions_between(start, end):
            if self.types[m.entity] == "person":
                return m
            found = found or m
        return found

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        i = bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def recent(
        self,
        pos: int,
        types: tuple[str, ...],
        gender: str | None = None,
        title: str | None = None,
        limit: int = 3000,
        skip: frozenset[int] = frozenset(),
    ) -> Mention | None:
        """The closest mention before `pos` of a compatible entity (for he/she/the minister)."""
        i = bisect_right(self.starts, pos) - 1
        while i >= 0:
            m = self.mentions[i]
            if m.end <= pos:
                if pos - m.end > limit:
                    return None
                e = m.entity
                if (
                    e not in skip
                    and self.types[e] in types
                    and (gender is None or self.genders[e] in (None, gender))
                    and (title is None or title in self.titles[e])
                ):
                    return m
            i -= 1
        return None
