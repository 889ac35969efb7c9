"""Workshops: facilitated group sessions of a wave that participants join with a short code."""

from __future__ import annotations

import re
import secrets
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from survey.models import QuestionnaireVersion, Role, User, Wave, Workshop, WorkshopStatus, utcnow
from survey.questionnaire import Questionnaire
from survey.waves import parsed_version, snapshot

JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""Digits and capitals without 0/O and 1/I/L, so a code read aloud or copied from a flip chart survives."""
JOIN_CODE_LENGTH = 6
"""31⁶ ≈ 890 million codes: collisions are rare, guessing an open workshop's code is impractical."""
QUESTIONNAIRES = ("default", "workshop")
"""The wave's own questionnaire, or the shorter group questionnaire questionnaires/workshop.yaml."""
_CODE_ATTEMPTS = 10
_SEPARATORS = re.compile(r"[\s\-_.]+")


class WorkshopError(ValueError):
    """A workshop cannot be created or changed as asked; ``code`` names the reason for translated messages."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


def new_join_code() -> str:
    """A random join code from the unambiguous alphabet (``secrets``: codes must not be predictable)."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_code(code: str) -> str:
    """The stored form of a typed code: upper case, without the spaces and hyphens people add."""
    return _SEPARATORS.sub("", code).upper()


def _unused_code(session: Session) -> str:
    for _ in range(_CODE_ATTEMPTS):
        code = new_join_code()
        if session.exec(select(Workshop.id).where(Workshop.join_code == code)).first() is None:
            return code
    raise WorkshopError("no_free_code")


def create_workshop(
    session: Session,
    *,
    wave: Wave,
    organisation: str,
    title: str,
    held_on: date,
    languages: list[str],
    questionnaire: str = "workshop",
    facilitator: User | None = None,
    questionnaires_dir: Path | None = None,
) -> Workshop:
    """Create an open workshop with a fresh join code.

    ``questionnaire`` is "default" (the wave's frozen version) or "workshop" (questionnaires/workshop.yaml,
    frozen now like a wave's, so later edits of the file never change what this workshop asked).
    """
    organisation, title = " ".join(organisation.split()), " ".join(title.split())
    if not organisation:
        raise WorkshopError("no_organisation")
    if not title:
        raise WorkshopError("no_title")
    languages = list(dict.fromkeys(languages))
    if not languages:
        raise WorkshopError("no_language")
    if not set(languages) <= set(wave.languages):
        raise WorkshopError("language_not_in_wave")
    if questionnaire == "default":
        version_id = wave.questionnaire_version_id
    elif questionnaire == "workshop":
        if questionnaires_dir is None:
            from survey.settings import get_settings

            questionnaires_dir = get_settings().questionnaires_dir
        version_id = snapshot(session, questionnaires_dir / "workshop.yaml").id
    else:
        raise WorkshopError("unknown_questionnaire")
    workshop = Workshop(
        wave_id=wave.id,
        organisation=organisation,
        title=title,
        held_on=held_on,
        languages=languages,
        questionnaire_version_id=version_id,
        join_code=_unused_code(session),
        facilitator_id=facilitator.id if facilitator else None,
    )
    session.add(workshop)
    session.commit()
    return workshop


def workshop_by_code(session: Session, code: str) -> Workshop | None:
    """The workshop a typed code names, however it was cased or spaced ("abc def", "ABC-DEF")."""
    normalised = normalise_code(code)
    if not normalised:
        return None
    return session.exec(select(Workshop).where(Workshop.join_code == normalised)).first()


def workshop_with_questionnaire(session: Session, code: str) -> tuple[Workshop, Wave, Questionnaire] | None:
    """A workshop, its wave and its own questionnaire version in one query (every participant page needs all three)."""
    normalised = normalise_code(code)
    if not normalised:
        return None
    row = session.exec(
        select(Workshop, Wave, QuestionnaireVersion.content_hash)
        .join(Wave, Wave.id == Workshop.wave_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Workshop.questionnaire_version_id)
        .where(Workshop.join_code == normalised)
    ).first()
    if row is None:
        return None
    workshop, wave, digest = row
    return workshop, wave, parsed_version(session, workshop.questionnaire_version_id, digest)


def _same_organisation(a: str, b: str) -> bool:
    """Organisations are typed by hand on both the user and the workshop: compare them case- and space-blind,
    in Python, because SQLite's lower() leaves letters like Ü alone."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def may_manage(user: User, workshop: Workshop) -> bool:
    """Admins manage every workshop, facilitators their organisation's, nobody else any."""
    if user.role == Role.admin:
        return True
    return (
        user.role == Role.facilitator
        and bool(user.organisation)
        and _same_organisation(user.organisation, workshop.organisation)
    )


def managed_workshop(session: Session, user: User, workshop_id: int) -> Workshop | None:
    """The workshop if ``user`` may manage it; None alike for a missing and another organisation's one."""
    workshop = session.get(Workshop, workshop_id)
    return workshop if workshop is not None and may_manage(user, workshop) else None


def workshops_for(session: Session, user: User, organisation: str | None = None) -> list[Workshop]:
    """Workshops a staff member may manage, newest first; ``organisation`` narrows an admin's list further."""
    workshops = session.exec(select(Workshop).order_by(Workshop.held_on.desc(), Workshop.id.desc())).all()
    return [
        workshop
        for workshop in workshops
        if may_manage(user, workshop) and (not organisation or _same_organisation(organisation, workshop.organisation))
    ]


def close_workshop(session: Session, workshop: Workshop) -> Workshop:
    """Stop taking answers; closing twice keeps the first closing time."""
    if workshop.status != WorkshopStatus.closed:
        workshop.status = WorkshopStatus.closed
        workshop.closed_at = utcnow()
        session.add(workshop)
        session.commit()
    return workshop


def accepts_answers(workshop: Workshop, today: date, wave: Wave | None = None) -> bool:
    """Open workshop of a wave that accepts answers today; the wave is loaded unless given."""
    if workshop.status != WorkshopStatus.open:
        return False
    if wave is None:
        session = Session.object_session(workshop)
        if session is None:
            raise WorkshopError("detached")
        wave = session.get(Wave, workshop.wave_id)
    return wave is not None and wave.id == workshop.wave_id and wave.accepts_answers(today)
