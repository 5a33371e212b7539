"""Timeline: an inline SVG bar chart of how many articles per month name an entity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from html import escape

WIDTH, HEIGHT, PAD = 640, 120, 18


def _months_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    months = []
    year, month = first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def timeline_svg(dates: Sequence[datetime], name: str) -> str:
    """One bar per month from the first mention to the last; empty string with no dates."""
    if not dates:
        return ""
    counts = Counter((d.year, d.month) for d in dates)
    months = _months_between(min(counts), max(counts))
    peak = max(counts.values())
    slot = (WIDTH - 2 * PAD) / len(months)
    bar = max(1.0, slot * 0.7)
    parts = [
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="timeline-title" preserveAspectRatio="none">',
        f'<title id="timeline-title">Articles mentioning {escape(name)} per month, '
        f"{months[0][0]}-{months[0][1]:02d} to {months[-1][0]}-{months[-1][1]:02d}</title>",
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'class="axis"/>',
    ]
    for index, key in enumerate(months):
        count = counts.get(key, 0)
        if not count:
            continue
        height = (HEIGHT - 2 * PAD) * count / peak
        x = PAD + index * slot + (slot - bar) / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{HEIGHT - PAD - height:.1f}" width="{bar:.1f}" '
            f'height="{height:.1f}"><title>{key[0]}-{key[1]:02d}: {count} '
            f"article{'s' if count != 1 else ''}</title></rect>"
        )
    years = sorted({year for year, _ in months})
    for year in years:
        index = months.index((year, 1)) if (year, 1) in months else 0
        x = PAD + index * slot
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 4}" class="year">{year}</text>')
    parts.append("</svg>")
    return "".join(parts)
