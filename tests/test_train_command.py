"""``stimmen train`` and ``stimmen code`` with trained models: saved versions, model use, evaluation, clear errors."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlmodel import Session

from survey.cli import main
from survey.coding import save_review
from survey.models import Answer, Role, Wave
from survey.users import add_user
from tests.conftest import DATA, PASSWORD, add_text_answers

EXPERIENCE = "discrimination_experience"
TRAINING = [
    ("de", "Der Vermieter hat uns die Wohnung nicht gegeben.", "domain.housing;ground.origin"),
    ("de", "Bei der Wohnungssuche sagte der Makler, die Wohnung sei schon weg.", "domain.housing"),
    ("en", "The landlord would not rent the flat to us because of our name.", "domain.housing;ground.name"),
    ("de", "Die Hausverwaltung hat unseren Mietvertrag nicht verlängert.", "domain.housing"),
    ("de", "Mein Chef gibt mir bei der Arbeit nur die schlechten Schichten.", "domain.work"),
    ("de", "Die Kollegen reden bei der Arbeit nicht mit mir, weil ich Ausländer bin.", "domain.work;ground.origin"),
    ("en", "My boss only gives me the worst shifts at work.", "domain.work"),
    ("de", "Die Firma hat mich nach der Probezeit entlassen.", "domain.work"),
    ("de", "Nein, so etwas habe ich nicht erlebt.", "experience.none"),
]
VERSION = re.compile(r"saved model ([0-9a-f]{12}) in ")


def write_coded(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["language", "question", "text", "codes"])
        writer.writerows((language, EXPERIENCE, text, codes) for language, text, codes in rows)
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def trained_version(result: Result) -> str:
    assert result.exit_code == 0, result.output
    match = VERSION.search(result.output)
    assert match, result.output
    return match.group(1)


@pytest.fixture
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """STIMMEN_MODELS_DIR pointing to an empty folder, so no model from elsewhere is ever picked up."""
    from survey.settings import get_settings

    directory = tmp_path / "models"
    monkeypatch.setenv("STIMMEN_MODELS_DIR", str(directory))
    get_settings.cache_clear()
    yield directory
    get_settings.cache_clear()


# -------------------------------------------------------------------------------------------- train --input


def test_train_saves_model_metrics_and_a_reproducible_version(tmp_path: Path, models_dir: Path) -> None:
    source = write_coded(tmp_path / "small.csv", TRAINING)
    out = tmp_path / "out"
    result = run("train", "--input", str(source), "--out", str(out), "--folds", "2")
    version = trained_version(result)
    saved = out / version
    assert [path.name for path in out.iterdir()] == [version]
    assert (saved / "pipeline").is_dir()
    meta = json.loads((saved / "meta.json").read_text(encoding="utf-8"))
    assert meta["version"] == version
    assert meta["training_size"] == len(TRAINING)
    assert meta["codes"] == ["domain.work", "domain.housing"]  # codebook order; ground.origin has only 2
    metrics = json.loads((saved / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["folds"] == 2
    assert metrics["examples"] == len(TRAINING)
    assert set(metrics["codes"]) == {"domain.work", "domain.housing"}
    for figures in metrics["codes"].values():
        assert set(figures) == {"precision", "recall", "f1", "support"}
        assert 0 <= figures["f1"] <= 1
    assert metrics["codes"]["domain.housing"]["support"] == 4
    assert "micro-F1 (model alone)" in result.output
    assert not models_dir.exists()  # --out, not the default folder

    again = run("train", "--input", str(source), "--out", str(out), "--folds", "2")
    assert trained_version(again) == version
    assert [path.name for path in out.iterdir()] == [version]


def test_train_saves_in_the_models_dir_by_default(tmp_path: Path, models_dir: Path) -> None:
    source = write_coded(tmp_path / "small.csv", TRAINING)
    version = trained_version(run("train", "--input", str(source), "--folds", "2"))
    assert (models_dir / version / "meta.json").is_file()


def test_train_without_enough_examples_is_a_clear_error(tmp_path: Path, models_dir: Path) -> None:
    source = write_coded(tmp_path / "few.csv", [TRAINING[0], TRAINING[1], TRAINING[4]])
    out = tmp_path / "out"
    result = run("train", "--input", str(source), "--out", str(out), "--folds", "2")
    assert result.exit_code == 1
    assert "no code has 3 accepted examples yet" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert not out.exists()


def test_train_input_without_codes_column_is_a_clear_error(tmp_path: Path, models_dir: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("text,code\nDer Vermieter sagte nein.,domain.housing\n", encoding="utf-8")
    result = run("train", "--input", str(source), "--folds", "2")
    assert result.exit_code == 1
    assert "has no column 'codes'" in result.output
    assert isinstance(result.exception, SystemExit)


def test_train_needs_exactly_one_source(tmp_path: Path, models_dir: Path) -> None:
    source = write_coded(tmp_path / "small.csv", TRAINING)
    assert run("train").exit_code == 2
    both = run("train", "--input", str(source), "--wave", "test-wave")
    assert both.exit_code == 2
    assert "give either --input or --wave" in both.output


# ------------------------------------------------------------------------------------- code with a model


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A folder with two models trained on small CSVs: (folder, older version, newer version)."""
    folder = tmp_path_factory.mktemp("trained")
    older = write_coded(folder / "older.csv", TRAINING)
    newer = write_coded(folder / "newer.csv", [*TRAINING, ("de", "Der Vermieter will keine Kinder.", "domain.housing")])
    models = folder / "models"
    versions = [
        trained_version(run("train", "--input", str(path), "--out", str(models), "--folds", "2"))
        for path in (older, newer)
    ]
    assert versions[0] != versions[1]
    return models, versions[0], versions[1]


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.csv"
    path.write_text(
        "id,text\n"
        "1,Der Vermieter hat mich wegen meines Namens abgelehnt.\n"
        "2,Bei der Arbeit sagt mein Chef nur schlechte Dinge über Ausländer.\n"
        "3,The landlord never called back after the viewing of the flat.\n",
        encoding="utf-8",
    )
    return path


def code_csv(answers: Path, out: Path, *extra: str) -> tuple[Result, list[dict[str, str]]]:
    result = run("code", "--input", str(answers), "--text-column", "text", "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    return result, list(csv.DictReader(out.open(encoding="utf-8")))


def confidences(rows: list[dict[str, str]]) -> list[str]:
    return [value for row in rows for value in row["confidence"].split(";") if value]


def test_code_uses_the_given_model(
    tmp_path: Path, models_dir: Path, answers: Path, trained: tuple[Path, str, str]
) -> None:
    models, older, _ = trained
    rules_result, rules_rows = code_csv(answers, tmp_path / "rules.csv")
    assert "Coding with rules." in rules_result.stderr  # no model anywhere yet
    assert set(confidences(rules_rows)) == {"0.70"}

    result, rows = code_csv(answers, tmp_path / "coded.csv", "--model", str(models / older))
    assert f"Coding with rules + model@{older}." in result.stderr
    assert "domain.housing" in rows[0]["codes"].split(";")
    assert any(value != "0.70" for value in confidences(rows))  # the model's probabilities, not the rules'
    assert [row["id"] for row in rows] == ["1", "2", "3"]


def test_code_uses_the_newest_model_by_default_and_rules_only_ignores_it(
    tmp_path: Path, models_dir: Path, answers: Path, trained: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from survey.settings import get_settings

    models, _, newer = trained
    monkeypatch.setenv("STIMMEN_MODELS_DIR", str(models))
    get_settings.cache_clear()

    result, rows = code_csv(answers, tmp_path / "coded.csv")
    assert f"Coding with rules + model@{newer}." in result.stderr
    assert any(value != "0.70" for value in confidences(rows))

    rules_only, rules_rows = code_csv(answers, tmp_path / "rules.csv", "--rules-only")
    assert "Coding with rules." in rules_only.stderr
    assert "model@" not in rules_only.output
    assert set(confidences(rules_rows)) == {"0.70"}


# ----------------------------------------------------------------------------------------- code --evaluate


def test_evaluate_prints_micro_f1_and_a_per_code_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")  # rich wraps tables to the terminal width
    result = run("code", "--evaluate", str(DATA / "coding-gold.csv"), "--folds", "2")
    assert result.exit_code == 0, result.output
    figures = {}
    for label in ("domain + ground", "all codes"):
        pattern = rf"micro-F1 {re.escape(label)}: rules \+ model (\d\.\d+), rules alone (\d\.\d+)"
        match = re.search(pattern, result.output)
        assert match, result.output
        figures[label] = tuple(float(value) for value in match.groups())
        assert all(0 <= value <= 1 for value in figures[label])
    print(figures)
    assert re.search(r"ground\.origin\s*│\s*\d+", result.output)
    assert "2-fold cross-validation" in result.output


@pytest.mark.parametrize("sources", [("--input", "--evaluate"), ("--wave", "--evaluate"), ("--input", "--wave")])
def test_code_takes_one_source_only(tmp_path: Path, sources: tuple[str, ...]) -> None:
    values = {"--input": str(DATA / "coding-gold.csv"), "--evaluate": str(DATA / "coding-gold.csv"), "--wave": "w"}
    result = run("code", *(arg for source in sources for arg in (source, values[source])))
    assert result.exit_code == 2
    assert "give one of --input" in result.output


# -------------------------------------------------------------------------------------------- train --wave


@pytest.fixture
def env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from survey.settings import get_settings

    monkeypatch.setenv("STIMMEN_DATABASE_URL", database_url)
    monkeypatch.setenv("STIMMEN_MODELS_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


WAVE_ANSWERS = [
    (EXPERIENCE, "Der Vermieter hat mich wegen meines Namens abgelehnt.", "de", {"domain.housing", "ground.name"}),
    (EXPERIENCE, "Bei der Wohnungssuche hat der Makler nie zurückgerufen.", "de", {"domain.housing"}),
    (EXPERIENCE, "The landlord would not rent the flat to us.", "en", {"domain.housing"}),
    (EXPERIENCE, "На работе начальник кричал на меня из-за акцента.", "de", {"domain.work", "ground.language"}),
    (EXPERIENCE, "Nein, so etwas habe ich zum Glück nicht erlebt.", "de", set()),  # a decision too
    ("city_wishes", "Mehr bezahlbare Wohnungen und schnellere Termine im Amt.", "de", {"wish.housing"}),
]


def test_train_on_a_wave_uses_the_reviewed_answers(env: str, db: Session, wave: Wave, tmp_path: Path) -> None:
    ids = add_text_answers(db, wave, [(question, text, language) for question, text, language, _ in WAVE_ANSWERS])
    add_text_answers(db, wave, [(EXPERIENCE, "Der Vermieter will keine Ausländer, das ist offen.", "de")])  # undecided
    coder = add_user(db, "coder@example.org", Role.coder, PASSWORD)
    for answer_id, (*_, codes) in zip(ids, WAVE_ANSWERS, strict=True):
        save_review(db, db.get(Answer, answer_id), coder, dict.fromkeys(codes), "")

    out = tmp_path / "out"
    result = run("train", "--wave", wave.slug, "--out", str(out), "--folds", "2")
    version = trained_version(result)
    assert f"Trained on {len(WAVE_ANSWERS)} answers" in result.output
    assert [path.name for path in out.iterdir()] == [version]
    meta = json.loads((out / version / "meta.json").read_text(encoding="utf-8"))
    assert meta["training_size"] == len(WAVE_ANSWERS)  # reviewed answers, the empty decision included
    assert meta["codes"] == ["domain.housing"]  # the only code with 3 accepted examples


def test_train_on_an_unknown_wave_is_a_clear_error(env: str) -> None:
    result = run("train", "--wave", "nope", "--folds", "2")
    assert result.exit_code == 1
    assert "no wave with the slug 'nope'" in result.output
    assert isinstance(result.exception, SystemExit)
