"""Quick: what a build needs to redo an edit that changes only the article's own page.

Most edits an editor makes are inside an article's body: a typo, a correction, a
paragraph added. No listing, entity page, quote page, feed of summaries or open-data
file shows those words, so the build can redraw the one page without loading or
indexing the rest of the archive. To know that an edit is of that kind, a build
keeps, for every published article, a print of everything it gives the other pages
(`contribution`), and what the index decided for the whole archive that its page
shows: the names and types of entities, tag segments, merged entity ids, shared
quote ids. An edit whose new contribution equals the old one, to an article that
the site feed does not carry whole, takes the quick way; any other change, a
template, the config, the registry, a file added or removed, builds the usual way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.index import Archive, Entity
from generator.model import AnnotatedArticle, Diagnostic
from generator.write import digest

MOST = 16  # more changed articles than this: a full build is as quick


@dataclass(slots=True)
class QuickState:
    """What the last build knew of the archive, for `build` to redo a body edit alone."""

    frame: str  # print of every input but the article files
    files: dict[str, str]  # every article file's path -> its digest and time
    given: dict[str, str]  # published article's path -> its `contribution`
    problems: dict[str, list[Diagnostic]]  # article path -> what it reported, where any
    entities: dict[str, tuple[str, str]]  # entity id -> (name, type)
    tag_slugs: dict[str, str]
    aliases: dict[str, str]
    shared: frozenset[str]
    feed: frozenset[str] = field(default_factory=frozenset)  # carried whole by the site feed

    def archive(self, items: list[AnnotatedArticle]) -> Archive:
        """An archive of these articles that names entities and tags as the whole one
        did: all that an article's page needs of it."""
        entities = {key: Entity(key, name, kind) for key, (name, kind) in self.entities.items()}
        return Archive(
            articles=items,
            entities=entities,
            quotes=[],
            tags={},
            months={},
            tag_slugs=self.tag_slugs,
            aliases=self.aliases,
            shared=self.shared,
        )


def contribution(raw: AnnotatedArticle, indexed: AnnotatedArticle) -> str:
    """Everything an article gives pages other than its own: what listings and feeds of
    summaries show, its entities as annotated and as merged (with their mention counts,
    which entity pages add up), and its quotes whole (their pages show the paragraph
    around them). Not the rest of its body, nor where in it things are."""
    a = raw.article
    first = "" if a.summary or not a.blocks else a.blocks[0].text
    shown = [a.title, repr(a.summary), first, repr(a.section), a.format, repr(a.authors)]
    shown += (f"{e.id}|{len(e.mentions)}" for e in indexed.entities)
    shown += (f"{q.id}|{q.context}|{q.paragraph}" for q in indexed.quotes)
    return digest("\0".join([*shown, *_shape(raw, indexed)]).encode("utf-8", "surrogatepass"))


def shape(raw: AnnotatedArticle, indexed: AnnotatedArticle) -> str:
    """What the index makes of an article, and where it puts it: all of its
    `contribution` but what listings show of it (its title, summary, first words,
    section, format and authors), how often it names each entity (which entity pages
    add up), and the paragraph around each quote (which the quote's page alone shows).
    Two archives whose articles have the same shapes have the same entities, quotes,
    tags, months and order, and their pages the same URLs (when the article's URL does
    not come from its title)."""
    return digest("\0".join(_shape(raw, indexed)).encode("utf-8", "surrogatepass"))


def _shape(raw: AnnotatedArticle, indexed: AnnotatedArticle) -> list[str]:
    a = raw.article
    parts = [a.path, a.url or "", a.slug, repr(a.date), repr(a.updated), repr(a.tags)]
    parts.append(repr(a.draft))
    parts += (f"{e.id}|{e.name}|{e.type}|{e.origin}" for e in raw.entities)
    parts += (f"{e.id}|{e.name}|{e.type}" for e in indexed.entities)
    parts += (f"{q.id}|{q.text}|{q.speaker_id}|{q.speaker_name}|{q.origin}" for q in indexed.quotes)
    return parts


def quick_state(
    frame: str,
    files: dict[str, str],
    raw: list[AnnotatedArticle],
    archive: Archive,
    problems: dict[str, list[Diagnostic]],
    feed_entries: int,
    last: QuickState | None = None,
) -> QuickState:
    """The state a build leaves for the next one's quick way. `last`, the state the last
    build left: an article's contribution is a function of its file, of the frame and
    of how the index merged entities and quote ids, so where none of those changed it
    is taken from there (at 10,000 articles, 0.4 s of an edit that changes a title)."""
    by_path = {item.article.path: item for item in raw}
    kept: dict[str, str] = {}  # path -> its contribution, where it holds still
    if (
        last is not None
        and last.frame == frame
        and last.aliases == archive.aliases
        and last.shared == archive.shared
    ):
        before = last.files
        kept = {path: c for path, c in last.given.items() if before.get(path) == files.get(path)}
    given = {}
    for item in archive.articles:
        path = item.article.path
        given[path] = kept.get(path) or contribution(by_path[path], item)
    return QuickState(
        frame=frame,
        files=files,
        given=given,
        problems=problems,
        entities={key: (e.name, e.type) for key, e in archive.entities.items()},
        tag_slugs=archive.tag_slugs,
        aliases=archive.aliases,
        shared=archive.shared,
        feed=frozenset(item.article.path for item in archive.articles[:feed_entries]),
    )
