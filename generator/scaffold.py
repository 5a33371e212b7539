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
    if not site.is_dir():
        raise ValueError(f"no site folder at {site}")
    text = (
        "---\n"
        f"title: {json.dumps(title, ensure_ascii=False)}\n"
        f"date: {when.date().isoformat()}\n"
        "authors: []\n"
        "tags: []\n"
        "draft: true\n"
        "---\n\n"
        "Write the article here.\n"
    )
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # bytes of the command line that were not UTF-8
        raise ValueError(f"the title {title!r} is not valid UTF-8 text") from None
    path = site / "content" / "articles" / f"{when.year:04d}" / f"{slug}.md"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as stream:  # never overwrites
            stream.write(data)
    except FileExistsError:
        raise ValueError(f"{path} already exists") from None
    except OSError as exc:
        raise ValueError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
