"""The ``stimmen`` command: schema, users, questionnaire validation."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlmodel import Session, select

from survey.cli import main
from survey.db import make_engine
from survey.models import Role, User
from tests.conftest import DATA, DEFAULT_QUESTIONNAIRE


def test_db_upgrade_is_idempotent(env: str) -> None:
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(main, ["db", "upgrade"])
        assert result.exit_code == 0, result.output
    engine = make_engine(env)
    with engine.connect() as connection:
        from sqlalchemy import inspect

        assert {"wave", "response", "answer", "user", "alembic_version"} <= set(inspect(connection).get_table_names())
    engine.dispose()


def test_user_add_with_prompted_password(env: str) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["user", "add", "Coder@Example.org", "--role", "coder"], input="a long password\na long password\n"
    )
    assert result.exit_code == 0, result.output
    engine = make_engine(env)
    with Session(engine) as session:
        user = session.exec(select(User)).one()
        assert (user.email, user.role) == ("coder@example.org", Role.coder)
    again = runner.invoke(main, ["user", "add", "coder@example.org", "--role", "admin", "--password", "x" * 12])
    assert again.exit_code != 0
    assert "email taken" in again.output
    engine.dispose()


def test_validate_good_file_reports_translation_status() -> None:
    result = CliRunner().invoke(main, ["questionnaire", "validate", str(DEFAULT_QUESTIONNAIRE)])
    assert result.exit_code == 0, result.output
    assert "OK (9 pages" in result.output
    assert "en: complete" in result.output


def test_validate_broken_file_names_line_and_question(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        (DATA / "all-types.yaml").read_text(encoding="utf-8").replace("type: scale", "type: slider"), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["questionnaire", "validate", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:40: question 'mood': " in result.output
    assert "unknown question type 'slider'" in result.output
