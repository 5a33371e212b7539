"""Review: `broadsheet annotate` — what annotation finds in article files, for editors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.annotate import annotate
from generator.config import Config, load_config
from generator.model import AnnotatedArticle, Diagnostic
from generator.parse import parse_article
from generator.registry import Registry, load_registry
from generator.sources import entity_sources, read_source


def find_site(path: Path) -> Path | None:
    """The site folder a file belongs to: the nearest parent with site.toml or content/."""
    for folder in path.resolve().parents:
        if (folder / "site.toml").is_file() or (folder / "content" / "entities").is_dir():
            return folder
    return None


def annotate_files(paths: Sequence[Path]) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
    """Annotate any article files, with their site's registry when they are inside one."""
    problems: list[Diagnostic] = []
    registries: dict[Path | None, tuple[Config, Registry]] = {}
    results = []
    for path in paths:
        site = find_site(path)
        if site not in registries:
            registries[site] = _site_registry(site, problems)
        config, registry = registries[site]
        root = site or path.resolve().parent
        if not path.is_file():
            said = "a folder, not an article file" if path.is_dir() else "no such file"
            problems.append(Diagnostic("error", str(path), None, said))
            continue
        source = read_source(path, root, config, problems)
        if source is None:
            continue
        source_path = str(path)
        article, found = parse_article(source, config)
        problems += found
        if article is None:
            continue
        item = annotate(article, registry, config.auto_annotate)
        problems += item.diagnostics
        results.append(as_json(item, source_path))
    return results, problems


def _site_registry(site: Path | None, problems: list[Diagnostic]) -> tuple[Config, Registry]:
    if site is None:
        return Config(), Registry()
    config, found = load_config(site)
    problems += found
    registry, found = load_registry(entity_sources(site, config, problems))
    problems += found
    return config, registry


def as_json(item: AnnotatedArticle, path: str) -> dict[str, Any]:
    """One article in the `annotate --json` format."""
    names = {e.id: e.name for e in item.entities}
    return {
        "path": path,
        "title": item.article.title,
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "origin": e.origin,
                "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in e.mentions],
            }
            for e in item.entities
        ],
        "quotes": [
            {
                "id": q.id,
                "text": q.text,
                "start": q.start,
                "end": q.end,
                "origin": q.origin,
                "speaker": None
                if q.speaker_id is None
                else {
                    "id": q.speaker_id,
                    "name": names.get(q.speaker_id, q.speaker_name),
                    "start": q.speaker_mention.start if q.speaker_mention else None,
                    "end": q.speaker_mention.end if q.speaker_mention else None,
                    "text": q.speaker_mention.text if q.speaker_mention else None,
                },
            }
            for q in item.quotes
        ],
    }


def print_review(articles: list[dict[str, Any]]) -> None:
    """A readable review: each quote with its speaker, each entity with its mentions."""
    for article in articles:
        print(f"{article['path']}: {article['title']}")
        print(f"  Quotes ({len(article['quotes'])}):")
        for quote in article["quotes"]:
            speaker = quote["speaker"]
            who = "UNKNOWN SPEAKER" if speaker is None else speaker["name"]
            via = f' (via "{speaker["text"]}")' if speaker and speaker["text"] else ""
            words = quote["text"] if len(quote["text"]) <= 100 else quote["text"][:97] + "..."
            print(f"    - {who}{via} [{quote['origin']}]: \u201c{words}\u201d")
        print(f"  Entities ({len(article['entities'])}):")
        for entity in article["entities"]:
            forms = sorted({m["text"] for m in entity["mentions"]})
            print(
                f"    - {entity['name']} ({entity['type']}, {entity['origin']}): "
                f"{len(entity['mentions'])} mention(s): {', '.join(forms)}"
            )
        print()
