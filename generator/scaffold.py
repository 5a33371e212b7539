"""Scaffold: `broadsheet new` writes a new article file with its front matter."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from generator.frontmatter import parse_date
from generator.slugs import slugify


def new_article(site: Path, title: str, day: str | None = None) -> Path:
    """Create content/articles/YYYY/<slug>.md and return its path; never overwrites."""
    slug = slugify(title)
    if not slug:
        raise ValueError(f"cannot make a file name from the title {title!r}")
    when = parse_date(day) if day else datetime.now(UTC)
    if when is None:
        raise ValueError(f"not a date: {day!r} (use YYYY-MM-DD)")
    path = site / "content" / "articles" / f"{when.year:04d}" / f"{slug}.md"
    if path.exists():
        raise ValueError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "---\n"
        f"title: {json.dumps(title, ensure_ascii=False)}\n"
        f"date: {when.date().isoformat()}\n"
        "authors: []\n"
        "tags: []\n"
        "draft: true\n"
        "---\n\n"
        "Write the article here.\n",
        encoding="utf-8",
    )
    return path
