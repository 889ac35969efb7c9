"""``stimmen report``: the combined report section written in every format."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from docx import Document
from sqlmodel import Session

from analysis.render import JSON_SCHEMA
from survey.cli import main
from survey.models import Wave
from survey.settings import Settings
from tests.report_demo import coded_demo


@pytest.fixture
def demo(env: str, db: Session, settings: Settings) -> Wave:
    return coded_demo(db, settings)


def _report(wave: Wave, fmt: str, out: Path, *extra: str):
    result = CliRunner().invoke(main, ["report", "--wave", wave.slug, "--format", fmt, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result


def test_markdown_with_its_figures(demo: Wave, tmp_path: Path) -> None:
    out = tmp_path / "bericht" / "section.md"
    result = _report(demo, "md", out)
    text = out.read_text(encoding="utf-8")
    assert demo.title in text
    figures = sorted((out.parent / "figures").glob("*.png"))
    assert figures
    assert all(path.read_bytes().startswith(b"\x89PNG") for path in figures)
    assert all(f"figures/{path.name}" in text for path in figures)
    assert str(out) in result.output


def test_html_and_docx(demo: Wave, tmp_path: Path) -> None:
    _report(demo, "html", tmp_path / "section.html", "--language", "en")
    html = (tmp_path / "section.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert 'lang="en"' in html
    _report(demo, "docx", tmp_path / "section.docx")
    document = Document(str(tmp_path / "section.docx"))
    assert any(demo.title in paragraph.text for paragraph in document.paragraphs)


def test_json_follows_the_schema_and_suppresses_small_districts(demo: Wave, tmp_path: Path) -> None:
    out = tmp_path / "section.json"
    _report(demo, "json", out, "--weighted", "--no-compare")
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, JSON_SCHEMA)
    assert data["wave"] == demo.slug
    assert data["weighting"]
    assert data["previous_wave"] is None
    assert "Feldmark" in data["suppressed_districts"]


def test_unknown_wave_names_the_existing_ones(demo: Wave, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--wave", "nope", "--format", "md", "--out", str(tmp_path / "x.md")])
    assert result.exit_code == 2
    assert "'nope'" in result.output
    assert demo.slug in result.output
    assert not (tmp_path / "x.md").exists()


def test_every_field_of_action_appears_with_its_demo_indicators(demo: Wave, tmp_path: Path) -> None:
    """On the demo: one heading per field of action, and each indicator's status read from its own demo rows."""
    import pandas as pd

    from analysis.fields import load_catalogue
    from analysis.indicators import read_indicators
    from survey.demo.seed import HERE

    out = tmp_path / "section.json"
    _report(demo, "json", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [field["title"] for field in data["fields"]] == [field.title("de") for field in load_catalogue().fields]
    table = read_indicators(HERE / "indicators.csv")
    city = table[table["district"].isna()]
    rows = [row for field in data["fields"] for row in field["indicators"] if row["district"] is None]
    assert len(rows) == 20
    for row in rows:
        values = city[city["indicator"] == row["indicator"]].sort_values("year")
        latest = values.dropna(subset=["value"]).iloc[-1]
        higher = row["higher_is_better"]
        reached = latest["value"] >= latest["target"] if higher else latest["value"] <= latest["target"]
        if pd.notna(latest["target"]) and reached:
            assert row["status"] == "target_reached", row
        elif pd.notna(latest["threshold"]) and (
            latest["value"] < latest["threshold"] if higher else latest["value"] > latest["threshold"]
        ):
            assert row["status"] == "below_threshold", row
        else:
            assert row["status"] in {"between", "on_track", "no_target", "missing"}, row
