"""Registry checks: the editors' entity files must agree with each other."""

from __future__ import annotations

from collections.abc import Sequence

from generator.model import Diagnostic, RegistryEntity
from generator.slugs import slugify


def check_registry(entities: Sequence[RegistryEntity]) -> list[Diagnostic]:
    """Ids must be slugs and unique regardless of case; a name or alias names one entity."""
    problems = []
    by_folded: dict[str, RegistryEntity] = {}
    names: dict[str, RegistryEntity] = {}
    for entity in sorted(entities, key=lambda e: e.path):
        if slugify(entity.id) != entity.id:
            problems.append(
                Diagnostic(
                    "error",
                    entity.path,
                    None,
                    f"entity file name must be a lower-case slug such as "
                    f"'{slugify(entity.id) or 'name'}.md'",
                )
            )
        other = by_folded.setdefault(entity.id.casefold(), entity)
        if other is not entity:
            problems.append(
                Diagnostic(
                    "error",
                    entity.path,
                    None,
                    f"entity id '{entity.id}' differs only by case from {other.path}",
                )
            )
        for name in (entity.name, *entity.aliases):
            owner = names.setdefault(name, entity)
            if owner is not entity:
                problems.append(
                    Diagnostic(
                        "warning",
                        entity.path,
                        None,
                        f"'{name}' also names {owner.path}; it links to '{owner.id}'",
                    )
                )
    return problems
