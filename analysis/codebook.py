"""The codebook: hierarchical codes with stable dotted ids, labels per language, coding rules and patterns.

Codebooks are data (``analysis/codebooks/*.yaml``); this module only loads and checks them.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
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
    negated_patterns: dict[str, list[str]] = Field(default_factory=dict)
    """Lemma phrases that suggest the code only when negated ("ciddiye almadılar": not taken seriously)."""
    questions: list[str] = Field(default_factory=list)
    """Question ids whose answers the code and its children apply to (empty: inherited, or any question)."""
    children: list[Code] = Field(default_factory=list)

    def walk(self) -> Iterator[Code]:
        yield self
        for child in self.children:
            yield from child.walk()


class Negation(BaseModel):
    """When a pattern does not count: "keine Probleme bei der Wohnungssuche" is no housing experience."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    window: int = Field(default=3, ge=0, le=10)
    """Words before a match in which a cue negates it (words in ``skip`` do not count)."""
    window_after: dict[str, int] = Field(default_factory=dict)
    """Per language, words after a match that can negate it (Turkish and Farsi negate the verb after the noun)."""
    exempt: list[str] = Field(default_factory=list)
    """Codes that are never negated ("Nein, zum Glück nicht" is the evidence of ``experience.none``)."""
    cues: dict[str, list[str]] = Field(default_factory=dict)
    """Negating lemmas per language."""
    skip: dict[str, list[str]] = Field(default_factory=dict)
    """Small words that do not count towards the window (articles, prepositions)."""
    breaks: dict[str, list[str]] = Field(default_factory=dict)
    """Words that end a negation's reach ("aber", "but"), like punctuation."""
    surface_cues: dict[str, list[str]] = Field(default_factory=dict)
    """Negating word forms, matched before lemmatisation removes the negation."""
    surface_regex: dict[str, str] = Field(default_factory=dict)
    """A regular expression per language matching negated verb forms (Turkish -me/-ma, Farsi ن/نمی)."""


class Codebook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    version: int
    languages: list[str]
    negation: Negation = Field(default_factory=Negation)
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

    @cached_property
    def _scopes(self) -> dict[str, frozenset[str]]:
        scopes: dict[str, frozenset[str]] = {}

        def visit(code: Code, inherited: frozenset[str]) -> None:
            scope = frozenset(code.questions) or inherited
            scopes[code.id] = scope
            for child in code.children:
                visit(child, scope)

        for top in self.codes:
            visit(top, frozenset())
        return scopes

    @cached_property
    def scoped_questions(self) -> frozenset[str]:
        return frozenset().union(*self._scopes.values())

    def applies(self, code_id: str, question: str | None) -> bool:
        """Whether the code may be given to an answer to ``question``.

        Questions the codebook does not name (another questionnaire, a CSV from another tool) are not
        restricted, so the codebook stays usable beyond the default questionnaire.
        """
        if question is None or question not in self.scoped_questions:
            return True
        scope = self._scopes[code_id]
        return not scope or question in scope

    def code(self, code_id: str) -> Code:
        for code in self.all_codes():
            if code.id == code_id:
                return code
        raise KeyError(code_id)


def load_codebook(path: Path = DEFAULT_CODEBOOK) -> Codebook:
    with path.open(encoding="utf-8") as handle:
        return Codebook.model_validate(yaml.safe_load(handle))
