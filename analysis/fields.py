"""The fields of action (Handlungsfelder) the report is organised by, and which indicators, codes and closed
questions belong to each; the catalogue is data (``fields_of_action.yaml``) so a municipality can adapt it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

FIELDS_FILE = Path(__file__).resolve().parent / "fields_of_action.yaml"


@dataclass(frozen=True)
class FieldOfAction:
    id: str
    titles: dict[str, str]
    aliases: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    options: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles.get("de") or self.id

    def has_code(self, code: str) -> bool:
        return any(code == prefix or code.startswith(prefix + ".") for prefix in self.codes)

    def closed_options(self, question: str) -> tuple[str, ...] | None:
        """Options of ``question`` shown in this field: () for the whole question, None if it is not shown."""
        if question in self.questions:
            return ()
        return self.options.get(question)


@dataclass(frozen=True)
class Catalogue:
    fields: tuple[FieldOfAction, ...]
    strength: tuple[str, ...]
    barrier: tuple[str, ...]

    def kind(self, code: str) -> str:
        """ "strength", "barrier" or "other": strengths are always shown beside barriers."""
        for kind in ("strength", "barrier"):
            if any(code == prefix or code.startswith(prefix + ".") for prefix in getattr(self, kind)):
                return kind
        return "other"

    def fields_of_code(self, code: str) -> list[str]:
        return [item.id for item in self.fields if item.has_code(code)]

    def field_of_indicator(self, title: str) -> str:
        """The id of the field an indicator table's ``field_of_action`` names; an unknown name is its own field."""
        key = _normal(title)
        for item in self.fields:
            names = (item.id, *item.titles.values(), *item.aliases)
            if key in {_normal(name) for name in names}:
                return item.id
        return extra_field_id(title)


def extra_field_id(title: str) -> str:
    return re.sub(r"\W+", "_", title.casefold()).strip("_") or "other"


def _normal(name: str) -> str:
    return " ".join(name.casefold().replace("_", " ").split())


@cache
def load_catalogue(path: Path = FIELDS_FILE) -> Catalogue:
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    fields = tuple(
        FieldOfAction(
            id=item["id"],
            titles=dict(item["titles"]),
            aliases=tuple(item.get("aliases", ())),
            codes=tuple(item.get("codes", ())),
            questions=tuple(item.get("questions", ())),
            options={question: tuple(values) for question, values in item.get("options", {}).items()},
        )
        for item in raw["fields"]
    )
    return Catalogue(fields, tuple(raw["kinds"]["strength"]), tuple(raw["kinds"]["barrier"]))
