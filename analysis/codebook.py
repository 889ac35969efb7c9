"""The codebook: hierarchical codes with stable dotted ids, labels per language, coding rules and patterns.

Codebooks are data (``analysis/codebooks/*.yaml``); this module only loads and checks them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

CODEBOOKS = Path(__file__).resolve().parent / "codebooks"
DEFAULT_CODEBOOK = CODEBOOKS / "default.yaml"


class Anchor(BaseModel):
    """A typical answer for the code, shown to coders."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    language: str
    text: str


class Code(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
    label: dict[str, str]
    definition: str
    rules: str | None = None
    anchors: list[Anchor] = Field(default_factory=list)
    patterns: dict[str, list[str]] = Field(default_factory=dict)
    """Lemma phrases per text language that suggest the code (lower case, words separated by spaces)."""
    children: list[Code] = Field(default_factory=list)

    def walk(self) -> Iterator[Code]:
        yield self
        for child in self.children:
            yield from child.walk()


class Codebook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    version: int
    languages: list[str]
    negation: dict[str, list[str]] = Field(default_factory=dict)
    """Cue lemmas per language that negate a pattern shortly after them ("keine Probleme bei der Wohnungssuche")."""
    window: int = Field(default=5, ge=0, le=10)
    codes: list[Code]

    @model_validator(mode="after")
    def _consistent(self) -> Codebook:
        seen: set[str] = set()
        for top in self.codes:
            for code in top.walk():
                if code.id in seen:
                    raise ValueError(f"code id {code.id!r} is used twice")
                seen.add(code.id)
                missing = [lang for lang in self.languages if not code.label.get(lang)]
                if missing:
                    raise ValueError(f"code {code.id!r} has no label in {', '.join(missing)}")
                for child in code.children:
                    if not child.id.startswith(code.id + "."):
                        raise ValueError(f"code {child.id!r} must start with its parent's id {code.id + '.'!r}")
        return self

    def all_codes(self) -> list[Code]:
        return [code for top in self.codes for code in top.walk()]

    def leaves(self) -> list[Code]:
        """The codes coders assign (parents only group them)."""
        return [code for code in self.all_codes() if not code.children]

    def code(self, code_id: str) -> Code:
        for code in self.all_codes():
            if code.id == code_id:
                return code
        raise KeyError(code_id)


def load_codebook(path: Path = DEFAULT_CODEBOOK) -> Codebook:
    with path.open(encoding="utf-8") as handle:
        return Codebook.model_validate(yaml.safe_load(handle))
