"""Waves and the frozen questionnaire versions they use."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import bindparam
from sqlmodel import Session, func, select

from survey.models import QuestionnaireVersion, Response, ResponseStatus, Wave
from survey.questionnaire import Questionnaire, content_hash, load, parse


class WaveError(ValueError):
    """A wave cannot be created as asked; ``code`` names the reason for translated messages."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


def snapshot(session: Session, path: Path) -> QuestionnaireVersion:
    """Store the questionnaire file's current text once per distinct content."""
    source = path.read_text(encoding="utf-8")
    questionnaire = load(path)
    digest = content_hash(source)
    existing = session.exec(select(QuestionnaireVersion).where(QuestionnaireVersion.content_hash == digest)).first()
    if existing:
        return existing
    version = QuestionnaireVersion(questionnaire_id=questionnaire.id, content_hash=digest, source=source)
    session.add(version)
    session.flush()
    return version


_parsed: dict[str, Questionnaire] = {}
"""Parsed questionnaires by content hash: versions never change, so each is parsed once per process."""


def parsed_version(session: Session, version_id: int, digest: str) -> Questionnaire:
    """The questionnaire of a version whose content hash is known (from a join), parsed on first use only."""
    if digest not in _parsed:
        source = session.exec(select(QuestionnaireVersion.source).where(QuestionnaireVersion.id == version_id)).one()
        _parsed[digest] = parse(source, f"questionnaire version {digest[:12]}")
    return _parsed[digest]


def questionnaire_for(session: Session, wave: Wave) -> Questionnaire:
    """The questionnaire version a wave was created with."""
    return questionnaire_version(session, wave.questionnaire_version_id)


def questionnaire_version(session: Session, version_id: int) -> Questionnaire:
    """A frozen questionnaire version (a wave's, or a workshop's own), parsed once per process."""
    digest = session.exec(select(QuestionnaireVersion.content_hash).where(QuestionnaireVersion.id == version_id)).one()
    return parsed_version(session, version_id, digest)


_WAVE_WITH_HASH = (
    select(Wave, QuestionnaireVersion.content_hash)
    .join(QuestionnaireVersion, QuestionnaireVersion.id == Wave.questionnaire_version_id)
    .where(Wave.slug == bindparam("slug"))
)


def wave_with_questionnaire(session: Session, slug: str) -> tuple[Wave, Questionnaire] | None:
    """A wave and its questionnaire in one query (the hot path of every survey page)."""
    row = session.exec(_WAVE_WITH_HASH, params={"slug": slug}).first()
    if row is None:
        return None
    wave, digest = row
    return wave, parsed_version(session, wave.questionnaire_version_id, digest)


def create_wave(
    session: Session,
    *,
    questionnaire_path: Path,
    slug: str,
    title: str,
    districts: list[str],
    languages: list[str],
    opens_on: date | None = None,
    closes_on: date | None = None,
    min_cell_size: int = 5,
    is_open: bool = False,
) -> Wave:
    if session.exec(select(Wave).where(Wave.slug == slug)).first():
        raise WaveError("slug_taken")
    if opens_on and closes_on and closes_on < opens_on:
        raise WaveError("dates_reversed")
    if not languages:
        raise WaveError("no_language")
    version = snapshot(session, questionnaire_path)
    wave = Wave(
        slug=slug,
        title=title,
        questionnaire_version_id=version.id,
        districts=districts,
        languages=languages,
        opens_on=opens_on,
        closes_on=closes_on,
        min_cell_size=min_cell_size,
        is_open=is_open,
    )
    session.add(wave)
    session.commit()
    return wave


def wave_by_slug(session: Session, slug: str) -> Wave | None:
    return session.exec(select(Wave).where(Wave.slug == slug)).first()


def open_waves(session: Session, today: date) -> list[Wave]:
    waves = session.exec(select(Wave).where(Wave.is_open).order_by(Wave.created_at.desc())).all()
    return [wave for wave in waves if wave.accepts_answers(today)]


def status_counts(session: Session) -> dict[int, Counter[str]]:
    """Responses per wave and status, counted in the database."""
    rows = session.exec(
        select(Response.wave_id, Response.status, func.count()).group_by(Response.wave_id, Response.status)
    )
    counts: dict[int, Counter[str]] = {}
    for wave_id, status, n in rows:
        counts.setdefault(wave_id, Counter())[ResponseStatus(status).value] = n
    return counts
