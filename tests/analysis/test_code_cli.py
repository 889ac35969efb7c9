"""``stimmen code`` on CSV exports from other tools: columns kept, codes added, clear errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from survey.cli import main
from tests.analysis.test_codebook import SMALL


@pytest.fixture
def codebook(tmp_path: Path) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(SMALL, allow_unicode=True), encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(main, ["code", *args])


def test_codes_every_row_and_keeps_the_input_columns(tmp_path: Path, codebook: Path) -> None:
    source = tmp_path / "limesurvey.csv"
    source.write_text(
        "id;lang;answer\n"
        "1;de;Der Vermieter hat mich abgelehnt. Auf der Arbeit war es auch schwer.\n"
        "2;en;The landlord never called back after the viewing of the flat.\n"
        "3;de;Keine Probleme bei der Wohnung.\n"
        "4;de;\n",
        encoding="utf-8-sig",
    )
    out = tmp_path / "coded.csv"
    result = run(
        "--input",
        str(source),
        "--text-column",
        "answer",
        "--lang-column",
        "lang",
        "--out",
        str(out),
        "--codebook",
        str(codebook),
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["id", "lang", "answer", "language", "codes", "evidence", "confidence"]
    assert [row["codes"] for row in rows] == ["domain.housing;domain.work", "domain.housing", "", ""]
    assert rows[0]["evidence"] == "domain.housing: Vermieter | domain.work: Arbeit"
    assert rows[0]["confidence"] == "0.70;0.70"
    assert [row["language"] for row in rows] == ["de", "en", "de", "de"]


def test_latin1_export(tmp_path: Path, codebook: Path) -> None:
    source = tmp_path / "old.csv"
    source.write_bytes('text\n"Ärger mit dem Vermieter wegen der Wohnung, große Probleme."\n'.encode("latin-1"))
    out = tmp_path / "coded.csv"
    result = run("--input", str(source), "--text-column", "text", "--out", str(out), "--codebook", str(codebook))
    assert result.exit_code == 0, result.output
    [row] = list(csv.DictReader(out.open(encoding="utf-8")))
    assert row["text"].startswith("Ärger")
    assert row["codes"] == "domain.housing"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"id,text\n", "has a header but no rows"),
        (b"id,answer\n1,hello\n", "has no column 'text'; its columns are: 'id', 'answer'"),
    ],
)
def test_clear_errors(tmp_path: Path, codebook: Path, content: bytes, message: str) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    result = run(
        "--input", str(source), "--text-column", "text", "--out", str(tmp_path / "o.csv"), "--codebook", str(codebook)
    )
    assert result.exit_code != 0
    assert message in result.output
