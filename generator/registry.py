"""Registry: the editors' entities, looked up by id, name or alias, and checked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from generator.model import Diagnostic, RegistryEntity, SourceFile
from generator.parse import parse_entity
from generator.slugs import short_hash, slugify


class Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...


def name_table(entities: Sequence[Named]) -> dict[str, str]:
    """Name or alias -> entity id. A name always wins over another entity's alias, and
    between two aliases the entity that comes first (by id) wins."""
    table: dict[str, str] = {}
    for entity in entities:
        table.setdefault(entity.name, entity.id)
    for entity in entities:
        for alias in entity.aliases:
            table.setdefault(alias, entity.id)
    return table


class Registry:
    """The editors' entities, looked up by id, name or alias."""

    def __init__(self, entities: Sequence[RegistryEntity] = ()) -> None:
        self.entities = tuple(sorted(entities, key=lambda e: e.id))
        self.by_id = {e.id: e for e in self.entities}
        self.by_name = {name: self.by_id[i] for name, i in name_table(self.entities).items()}
        self.by_folded: dict[str, RegistryEntity] = {}
        for name, entity in self.by_name.items():
            self.by_folded.setdefault(name.casefold(), entity)
        self.digest = short_hash(
            *(f"{e.id}|{e.name}|{e.type}|{'|'.join(e.aliases)}" for e in self.entities),
            length=16,
        )

    def resolve(self, reference: str) -> RegistryEntity | None:
        """An editor's reference (an id, a name or an alias) to a registry entity."""
        return (
            self.by_id.get(reference)
            or self.by_name.get(reference)
            or self.by_id.get(slugify(reference))
            or self.by_folded.get(reference.casefold())
        )


def check_registry(entities: Sequence[RegistryEntity]) -> list[Diagnostic]:
    """Ids must be slugs and unique regardless of case; a name or alias names one entity."""
    problems = []
    ordered = sorted(entities, key=lambda e: e.id)
    by_folded: dict[str, RegistryEntity] = {}
    for entity in ordered:
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
    table = name_table(ordered)
    paths = {e.id: e.path for e in ordered}
    for entity in ordered:
        for name in (entity.name, *entity.aliases):
            owner = table.get(name)
            if owner is not None and owner != entity.id:
                problems.append(
                    Diagnostic(
                        "warning",
                        entity.path,
                        None,
                        f"'{name}' also names {paths[owner]}; it links to '{owner}'",
                    )
                )
    return problems


def load_registry(files: Sequence[SourceFile]) -> tuple[Registry, list[Diagnostic]]:
    """The registry from its files, with every problem in them and between them."""
    entities, problems = [], []
    for source in files:
        entity, found = parse_entity(source)
        problems += found
        if entity is not None:
            entities.append(entity)
    return Registry(entities), problems + check_registry(entities)
