"""Slugs: the URL-safe names that ids and paths are made of."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 80) -> str:
    """ "Sergei Shoigu" -> "sergei-shoigu"; accents folded; "" when nothing is left."""
    folded = unicodedata.normalize("NFKD", text.replace("&", " and "))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_WORD.sub("-", ascii_text.replace("'", "").replace("\u2019", "")).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def short_hash(*parts: str, length: int = 10) -> str:
    """A short stable hash of some strings, for ids that must not move between builds."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=16)
    return digest.hexdigest()[:length]


# The folders of the entity index by kind (routes.TYPE_SEGMENTS: /entities/people/),
# which no entity's own folder (/entities/<id>/) may take.
KIND_FOLDERS = frozenset({"people", "organizations", "places", "other"})


def entity_id(name: str) -> str:
    """A stable id for an entity named `name`; names with no Latin letters get a hash,
    and so do names whose slug is the folder of a kind ("People", "Other")."""
    slug = slugify(name)
    if slug in KIND_FOLDERS:
        return f"{slug}-{short_hash(name, length=6)}"
    return slug or f"e-{short_hash(name, length=8)}"
