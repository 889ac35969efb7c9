"""Loading and checking codebooks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from analysis.codebook import Codebook, load_codebook

SMALL = {
    "id": "small",
    "version": 1,
    "languages": ["de", "en"],
    "negation": {"window": 4, "cues": {"de": ["kein", "nie"], "en": ["no", "never"]}, "skip": {"de": ["der"]}},
    "codes": [
        {
            "id": "domain",
            "label": {"de": "Lebensbereich", "en": "Life domain"},
            "definition": "Where it happened.",
            "children": [
                {
                    "id": "domain.housing",
                    "label": {"de": "Wohnen", "en": "Housing"},
                    "definition": "Flat hunting, landlords.",
                    "patterns": {"de": ["wohnung", "vermieter"], "en": ["flat", "landlord"]},
                },
                {
                    "id": "domain.work",
                    "label": {"de": "Arbeit", "en": "Work"},
                    "definition": "Jobs.",
                    "patterns": {"de": ["arbeit"], "en": ["job"]},
                },
            ],
        }
    ],
}


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_loads_hierarchy(tmp_path: Path) -> None:
    codebook = load_codebook(write(tmp_path, SMALL))
    assert [code.id for code in codebook.leaves()] == ["domain.housing", "domain.work"]
    assert [code.id for code in codebook.all_codes()] == ["domain", "domain.housing", "domain.work"]
    assert codebook.code("domain.work").label["en"] == "Work"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["codes"][0]["children"][1].update(id="domain.housing"), "used twice"),
        (lambda d: d["codes"][0]["children"][0]["label"].pop("en"), "no label in en"),
        (lambda d: d["codes"][0]["children"][0].update(id="ground.housing"), "must start with its parent"),
        (lambda d: d["codes"][0]["children"][0].update(id="Domain Housing"), "should match pattern"),
        (lambda d: d["negation"].update(window=99), "less than or equal"),
    ],
)
def test_inconsistent_codebooks_are_refused(tmp_path: Path, change, message: str) -> None:
    import copy

    data = copy.deepcopy(SMALL)
    change(data)
    with pytest.raises(ValidationError, match=message):
        Codebook.model_validate(data)
