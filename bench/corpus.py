"""Benchmark corpus: a seeded synthetic news archive, written for Broadsheet, Pelican and Hugo.

    python bench/corpus.py N OUT_DIR [--seed S]

writes OUT_DIR/broadsheet/ (site.toml, content/articles/YYYY/*.md, content/entities/),
OUT_DIR/pelican/ (pelicanconf.py, content/YYYY/*.md) and OUT_DIR/hugo/ (hugo.toml,
content/posts/*.md, layouts/ from bench/hugo_theme/), the same N articles in each, and
OUT_DIR/manifest.json. Same N and seed, same bytes; article i does not depend on N.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import prose as p
from prose import Organisation, Person, Place

HUGO_THEME = Path(__file__).resolve().parent / "hugo_theme"
PATTERNS = (
    "said_after", "said_before", "told_reporters", "according_to", "appositive",
    "colon", "partial", "pronoun", "continuation", "organisation",
)
START = datetime(2012, 1, 1, tzinfo=UTC)
SPAN_DAYS = 13 * 365  # 2012 to 2024
REGISTRY = {"person": 25, "organization": 12, "place": 10}
# Share of paragraphs (after the lead) that quote someone: about 15 quotes per article,
# the quote-heavy end of political reporting; every quote becomes a Broadsheet page.
QUOTE_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class Cast:
    people: list[Person]
    orgs: list[Organisation]
    places: list[Place]
    reporters: list[str]


@dataclass(frozen=True, slots=True)
class NewsArticle:
    title: str
    slug: str
    date: datetime
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    section: str
    summary: str
    body: str  # Markdown, paragraphs separated by blank lines
    entities: tuple[str, ...]  # registry ids an editor listed (most articles list none)

    @property
    def words(self) -> int:
        return len(self.body.split())


def make_cast(seed: int) -> Cast:
    rng = random.Random(f"{seed}:cast")
    people, orgs, places = p.make_cast(rng, people=300, orgs=120, places=90)
    reporters = [f"{rng.choice(p.GIVEN_F + p.GIVEN_M)} {s.surname}" for s in people[-40:]]
    return Cast(people, orgs, places, reporters)


def _zipf(rng: random.Random, items: list, k: int, s: float = 1.07) -> list:
    """k distinct items, the first ones far more often (rank-frequency 1/rank^s)."""
    weights = [1 / (r + 1) ** s for r in range(len(items))]
    chosen: list = []
    while len(chosen) < k:
        item = rng.choices(items, weights)[0]
        if item not in chosen:
            chosen.append(item)
    return chosen


class _Writer:
    """One article's prose: who has been introduced, which quote marks it uses."""

    def __init__(self, rng: random.Random, fill: dict[str, str], curly: bool) -> None:
        self.rng, self.fill = rng, fill
        self.o, self.c = ("“", "”") if curly else ('"', '"')
        self.introduced: set[str] = set()
        self.decks: dict[int, list[str]] = {}

    def draw(self, pool: tuple[str, ...]) -> str:
        """The next template of a pool, not repeated until the pool is used up."""
        deck = self.decks.get(id(pool))
        if not deck:
            deck = self.decks[id(pool)] = list(pool)
            self.rng.shuffle(deck)
        return self.text(deck.pop())

    def text(self, template: str) -> str:
        numbers = {"number": str(self.rng.randint(3, 90)), "number2": str(self.rng.randint(3, 90))}
        return template.format(**{**self.fill, **numbers})

    def quote(self) -> str:
        return self.draw(p.QUOTES)

    def ref(self, person: Person, start: bool = False) -> str:
        """Title and full name on first mention, surname after."""
        if person.id in self.introduced:
            return person.surname
        self.introduced.add(person.id)
        if start and not person.title:  # "Marta Voss, a nurse, ..." rather than "Nurse Marta Voss"
            return f"{person.name}, {person.appositive},"
        return person.first_mention

    def paragraph(self, pattern: str, who: Person, org: Organisation) -> list[str]:
        rng, o, c, q = self.rng, self.o, self.c, self.quote()
        said = self.text(rng.choice(p.SAID))
        if pattern == "said_after":
            return [f"{o}{q},{c} {self.ref(who)} {said}."]
        if pattern == "said_before":
            return [f"{o}{q},{c} said {self.ref(who)}."]
        if pattern == "told_reporters":
            where = rng.choice(("after the meeting", f"in {self.fill['place']}",
                                f"on {self.fill['weekday']}"))
            return [f"{o}{q},{c} {self.ref(who)} told reporters {where}."]
        if pattern == "according_to":
            if rng.random() < 0.5:
                return [f"According to {self.ref(who)}, {o}{q}.{c}"]
            frag = self.draw(p.FRAGMENTS)
            return [f"The proposal is {o}{frag}{c}, according to {self.ref(who)}."]
        if pattern == "appositive":
            name = who.surname if who.id in self.introduced else who.name
            self.introduced.add(who.id)
            return [f"{o}{q},{c} {name}, {who.appositive}, said."]
        if pattern == "colon":
            warn = rng.choice(p.WARN)
            return [f"{self.ref(who, start=True)} {warn}: {o}{q}.{c}"]
        if pattern == "partial":
            frag = self.draw(p.FRAGMENTS)
            rest = self.draw(p.INDIRECT)
            return [f"{self.ref(who, start=True)} described {self.fill['object']} as "
                    f"{o}{frag}{c} and said {rest}."]
        if pattern == "pronoun":
            action = self.draw(p.ACTIONS)
            return [f"{self.ref(who, start=True)} {action}. {o}{q},{c} {who.pronoun} said."]
        if pattern == "continuation":
            second, third = self.quote(), self.quote()
            return [f"{o}{q},{c} {self.ref(who)} said. {o}{second}.", f"{o}{third}.{c}"]
        # organisation
        ref = org.ref
        form = rng.randrange(3)
        if form == 0:
            return [f"{o}{q},{c} {ref} said in a statement."]
        if form == 1:
            frag = self.draw(p.FRAGMENTS)
            return [f"{_cap(ref)} said the decision was {o}{frag}{c}."]
        return [f"{_cap(ref)} said: {o}{q}.{c}"]


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def make_article(index: int, seed: int, cast: Cast, used_slugs: set[str]) -> NewsArticle:
    rng = random.Random(f"{seed}:article:{index}")
    topic = rng.choice(sorted(p.TOPICS))
    people = _zipf(rng, cast.people, rng.randint(3, 6))
    orgs = _zipf(rng, cast.orgs, rng.randint(2, 3))
    places = _zipf(rng, cast.places, 3)
    date = START + timedelta(days=rng.randrange(SPAN_DAYS), hours=rng.randint(6, 22),
                             minutes=rng.randrange(60))
    fill = {
        "object": rng.choice(p.TOPICS[topic]), "group": rng.choice(p.GROUPS),
        "place": places[0].name, "place2": places[1].name, "service": rng.choice(p.SERVICES),
        "month": rng.choice(p.MONTHS), "year": str(date.year - rng.randint(1, 4)),
        "weekday": rng.choice(p.WEEKDAYS), "org": orgs[0].ref, "org2": orgs[-1].ref,
    }
    w = _Writer(rng, fill, curly=rng.random() < 0.25)
    lead_person = people[0]
    action = w.draw(p.ACTIONS)
    dateline = f"{places[0].name.upper()} — " if rng.random() < 0.3 else ""
    lead = rng.choice((", as the row over {object} deepened.",
                       " on {weekday}, the latest turn in the dispute over {object}.",
                       ", raising fresh questions about {object}."))
    units = [[f"{dateline}{w.ref(lead_person, start=True)} {action}{w.text(lead)}"]]
    # Every pattern appears in every run of len(PATTERNS) consecutive articles.
    units.append(w.paragraph(PATTERNS[index % len(PATTERNS)], lead_person, orgs[0]))
    target = rng.randint(520, 860)
    while sum(len(x.split()) for u in units for x in u) < target:
        kind = rng.random()
        if kind < QUOTE_SHARE:
            units.append(w.paragraph(rng.choice(PATTERNS), rng.choice(people), rng.choice(orgs)))
        elif kind < 0.88:
            units.append([" ".join(_cap(w.draw(p.CONTEXT)) for _ in range(rng.randint(2, 3)))])
        elif kind < 0.94:
            units.append([f"## {rng.choice(p.SUBHEADS)}"])
        else:
            units.append([rng.choice(p.TRANSITIONS)])
    while sum(len(x.split()) for u in units for x in u) > 900:
        units.pop()
    body = "\n\n".join(x for u in units for x in u) + "\n"
    head = {**fill, "org": orgs[0].name, "org2": orgs[-1].name, "surname": people[0].surname}
    title = _cap(rng.choice(p.HEADLINES).format(**head))
    slug = base = p._slug(title)
    n = 2
    while slug in used_slugs:
        slug, n = f"{base}-{n}", n + 1
    used_slugs.add(slug)
    registry_ids = {e.id for e in _registry(cast)}
    listed = [e.id for e in (*people, *orgs) if e.id in registry_ids]
    return NewsArticle(
        title=title, slug=slug, date=date,
        authors=tuple(_zipf(rng, cast.reporters, rng.choice((1, 1, 1, 2)))),
        tags=tuple(sorted({topic, *rng.sample(sorted(p.TOPICS), rng.randint(0, 2))})),
        section=topic.capitalize(),
        summary=f"{people[0].name} and {orgs[0].name} at odds over {fill['object']}.",
        body=body, entities=tuple(listed) if rng.random() < 0.2 else (),
    )


def make_articles(n: int, seed: int, cast: Cast) -> list[NewsArticle]:
    used: set[str] = set()
    return [make_article(i, seed, cast, used) for i in range(n)]


def _registry(cast: Cast) -> list[Person | Organisation | Place]:
    return [*cast.people[: REGISTRY["person"]], *cast.orgs[: REGISTRY["organization"]],
            *cast.places[: REGISTRY["place"]]]


def _yaml_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(json.dumps(i, ensure_ascii=False) for i in items) + "]"


def _yaml_head(a: NewsArticle, extra: list[str]) -> str:
    lines = [
        f"title: {json.dumps(a.title, ensure_ascii=False)}",
        f"date: {a.date.isoformat()}",
        f"authors: {_yaml_list(a.authors)}",
        f"tags: {_yaml_list(a.tags)}",
        f"summary: {json.dumps(a.summary, ensure_ascii=False)}",
        f"slug: {a.slug}",
        *extra,
    ]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def write_broadsheet(root: Path, articles: list[NewsArticle], cast: Cast) -> list[str]:
    _write(root / "site.toml", 'title = "Benchmark Gazette"\nbase_url = "http://localhost:8000/"\n'
           'article_dirs = ["content"]\n')
    for e in _registry(cast):
        if isinstance(e, Person):
            kind, aliases = "person", [e.surname] + ([e.first_mention] if e.title else [])
            about = f"{e.name} is {e.role}."
        elif isinstance(e, Organisation):
            kind, aliases, about = "organization", [], f"{e.name} appears often in the news."
        else:
            kind, aliases, about = "place", [], f"{e.name} is a place in the archive."
        _write(root / "content" / "entities" / f"{e.id}.md",
               f"---\nname: {e.name}\ntype: {kind}\naliases: {_yaml_list(tuple(aliases))}\n"
               f"---\n{about}\n")
    paths = []
    for a in articles:
        extra = [f"section: {a.section}"]
        if a.entities:
            extra.append(f"entities: {_yaml_list(a.entities)}")
        rel = f"content/articles/{a.date.year}/{a.slug}.md"
        _write(root / rel, _yaml_head(a, extra) + a.body)
        paths.append(rel)
    return paths


PELICAN_CONF = '''AUTHOR = "Benchmark"
SITENAME = "Benchmark Gazette"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
RELATIVE_URLS = True
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
DELETE_OUTPUT_DIRECTORY = False
'''


def write_pelican(root: Path, articles: list[NewsArticle]) -> list[str]:
    _write(root / "pelicanconf.py", PELICAN_CONF)
    paths = []
    for a in articles:
        meta = [
            f"Title: {a.title}", f"Date: {a.date:%Y-%m-%d %H:%M}", f"Category: {a.section}",
            f"Tags: {', '.join(a.tags)}", f"Authors: {', '.join(a.authors)}",
            f"Summary: {a.summary}", f"Slug: {a.slug}",
        ]
        rel = f"content/{a.date.year}/{a.slug}.md"
        _write(root / rel, "\n".join(meta) + "\n\n" + a.body)
        paths.append(rel)
    return paths


HUGO_CONF = '''baseURL = "http://localhost:1313/"
title = "Benchmark Gazette"
languageCode = "en"
[pagination]
pagerSize = 10
[taxonomies]
tag = "tags"
category = "categories"
'''


def write_hugo(root: Path, articles: list[NewsArticle]) -> list[str]:
    _write(root / "hugo.toml", HUGO_CONF)
    shutil.copytree(HUGO_THEME / "layouts", root / "layouts", dirs_exist_ok=True)
    paths = []
    for a in articles:
        rel = f"content/posts/{a.slug}.md"
        _write(root / rel, _yaml_head(a, [f"categories: [{a.section}]"]) + a.body)
        paths.append(rel)
    return paths


def generate(n: int, out: Path, seed: int = 1) -> dict:
    """Write the three sites under `out` (replacing them) and return the manifest."""
    cast = make_cast(seed)
    articles = make_articles(n, seed, cast)
    for name in ("broadsheet", "pelican", "hugo"):
        shutil.rmtree(out / name, ignore_errors=True)
    manifest = {
        "n": n, "seed": seed,
        "words": sum(a.words for a in articles),
        "broadsheet": write_broadsheet(out / "broadsheet", articles, cast),
        "pelican": write_pelican(out / "pelican", articles),
        "hugo": write_hugo(out / "hugo", articles),
    }
    _write(out / "manifest.json", json.dumps(manifest, indent=1) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="output folder (keep it outside the repository)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    manifest = generate(args.n, args.out, args.seed)
    print(f"{args.n} articles, {manifest['words'] / max(args.n, 1):.0f} words each, in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
