"""Database tables. Nothing here identifies a respondent: no IP, no user agent, no e-mail, no clock time."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def _stored_as_text(enum: type[StrEnum]) -> SAEnum:
    """Enum values as plain text (no native PostgreSQL type), so new values need no type migration."""
    return SAEnum(
        enum, native_enum=False, create_constraint=False, length=20, values_callable=lambda e: [m.value for m in e]
    )


class Role(StrEnum):
    admin = "admin"
    coder = "coder"
    author = "author"
    facilitator = "facilitator"


class Channel(StrEnum):
    online = "online"
    workshop = "workshop"
    paper = "paper"
    import_ = "import"


class CodingStatus(StrEnum):
    suggested = "suggested"
    accepted = "accepted"
    rejected = "rejected"


class ResponseStatus(StrEnum):
    in_progress = "in_progress"
    submitted = "submitted"
    withdrawn = "withdrawn"


class WorkshopStatus(StrEnum):
    open = "open"
    closed = "closed"


class Vote(StrEnum):
    agree = "agree"
    disagree = "disagree"
    pass_ = "pass"  # noqa: S105 - a vote, not a password


class User(SQLModel, table=True):
    """Staff account (never a respondent)."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    role: Role = Field(sa_type=_stored_as_text(Role))
    password_hash: str = Field(max_length=200)
    organisation: str | None = Field(default=None, max_length=200)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class QuestionnaireVersion(SQLModel, table=True):
    """Frozen copy of a questionnaire file, so answers always point at the text they were given."""

    __tablename__ = "questionnaire_version"

    id: int | None = Field(default=None, primary_key=True)
    questionnaire_id: str = Field(max_length=100, index=True)
    content_hash: str = Field(max_length=64, unique=True)
    source: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Wave(SQLModel, table=True):
    """One survey round."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True, index=True)
    title: str = Field(max_length=200)
    questionnaire_version_id: int = Field(foreign_key="questionnaire_version.id")
    districts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    opens_on: date | None = None
    closes_on: date | None = None
    is_open: bool = False
    min_cell_size: int = 5
    double_coding_share: float = 0.2
    """Share of free-text answers that two coders code blind, to measure their agreement."""
    created_at: datetime = Field(default_factory=utcnow)

    def accepts_answers(self, today: date) -> bool:
        """Open by hand and inside its date window."""
        if not self.is_open:
            return False
        if self.opens_on and today < self.opens_on:
            return False
        return not (self.closes_on and today > self.closes_on)


class Workshop(SQLModel, table=True):
    """A facilitated group session of a wave (e.g. at a migrant organisation) that participants join by code."""

    id: int | None = Field(default=None, primary_key=True)
    wave_id: int = Field(foreign_key="wave.id", index=True)
    organisation: str = Field(max_length=200, index=True)
    title: str = Field(max_length=200)
    held_on: date
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    """Languages offered in the room: a non-empty subset of the wave's."""
    questionnaire_version_id: int = Field(foreign_key="questionnaire_version.id")
    join_code: str = Field(max_length=12, unique=True, index=True)
    """Short code participants type in; stored normalised (upper case, no separators)."""
    facilitator_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    status: WorkshopStatus = Field(default=WorkshopStatus.open, sa_type=_stored_as_text(WorkshopStatus))
    created_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None


class Response(SQLModel, table=True):
    """One person's filled-in questionnaire, known only by a random id and a hashed receipt code."""

    __table_args__ = (UniqueConstraint("workshop_id", "paper_form", name="uq_response_paper_form"),)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    wave_id: int = Field(foreign_key="wave.id", index=True)
    questionnaire_version_id: int = Field(foreign_key="questionnaire_version.id")
    channel: Channel = Field(default=Channel.online, sa_type=_stored_as_text(Channel))
    language: str = Field(max_length=20)
    status: ResponseStatus = Field(
        default=ResponseStatus.in_progress, sa_type=_stored_as_text(ResponseStatus), index=True
    )
    code_hash: str = Field(max_length=64, unique=True)
    page_reached: int = -1
    """Highest page index saved so far; -1 before the first."""
    started_on: date = Field(default_factory=date.today)
    updated_on: date = Field(default_factory=date.today)
    submitted_on: date | None = None
    workshop_id: int | None = Field(default=None, foreign_key="workshop.id", ondelete="SET NULL", index=True)
    """The workshop it was given in; deleting a workshop keeps its answers (they belong to the wave)."""
    room_step: int | None = None
    """The step of its workshop's live results this response was first counted in (None: not yet). The room's
    results grow only in steps of at least the wave's minimum, so no change on the screen is one person's."""
    paper_form: str | None = Field(default=None, max_length=40)
    """Number written on a paper form entered by hand; unique per workshop so no form is entered twice."""


class Answer(SQLModel, table=True):
    """One value per question (and matrix item) of a response."""

    __table_args__ = (UniqueConstraint("response_id", "question_id", "item", name="uq_answer_cell"),)

    id: int | None = Field(default=None, primary_key=True)
    response_id: str = Field(foreign_key="response.id", ondelete="CASCADE", max_length=36)
    """Indexed through the unique (response_id, question_id, item) constraint, which leads with it."""
    question_id: str = Field(max_length=100)
    item: str = Field(default="", max_length=100)
    value: Any = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    language: str | None = Field(default=None, max_length=8)
    """The language the free text is written in, as detected when it was coded."""


class Coding(SQLModel, table=True):
    """One code on one answer: a machine suggestion, or a coder's decision (accept, reject, add)."""

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="answer.id", ondelete="CASCADE", index=True)
    code: str = Field(max_length=100)
    start: int | None = None
    end: int | None = None
    """Character span of the coded segment; none when the code is for the whole answer."""
    source: str = Field(max_length=60)
    """"user", "rules" or "model@<version>"."""
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    confidence: float | None = None
    status: CodingStatus = Field(sa_type=_stored_as_text(CodingStatus))


class CodingReview(SQLModel, table=True):
    """A coder has decided on every code of an answer (choosing none is a decision too), with a memo."""

    __tablename__ = "coding_review"
    __table_args__ = (UniqueConstraint("answer_id", "user_id", name="uq_coding_review"),)

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="answer.id", ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True)
    memo: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    quotable: bool = False
    """The coder approves the answer for quoting in reports (it still needs the respondent's quote consent)."""
    reviewed_at: datetime = Field(default_factory=utcnow)


class WorkshopStatement(SQLModel, table=True):
    """A statement the group wrote down, for participants to vote on."""

    __tablename__ = "workshop_statement"

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    language: str = Field(max_length=20)
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    suggestions: list[dict[str, Any]] | None = Field(
        default=None, sa_column=Column(JSON(none_as_null=True), nullable=True)
    )
    """Machine suggestions (code, confidence, source) like an answer's; None until ``stimmen code`` ran."""
    codes: list[str] | None = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))
    """Codes a coder accepted; None until a coder decided (an empty list: no code applies)."""
    coded_by: int | None = None
    """The deciding coder's user id; no foreign key, which SQLite could only add by rebuilding the table."""


class StatementVote(SQLModel, table=True):
    """A participant's vote on a statement, tied to their response so it can be withdrawn with it."""

    __tablename__ = "statement_vote"
    __table_args__ = (UniqueConstraint("statement_id", "response_id", name="uq_statement_vote"),)

    id: int | None = Field(default=None, primary_key=True)
    statement_id: int = Field(foreign_key="workshop_statement.id", ondelete="CASCADE")
    """Indexed through the unique (statement_id, response_id) constraint, which leads with it."""
    response_id: str = Field(foreign_key="response.id", ondelete="CASCADE", max_length=36, index=True)
    vote: Vote = Field(sa_type=_stored_as_text(Vote))


class IndicatorValue(SQLModel, table=True):
    """One value of a quantitative indicator for a district (none: the whole city) and year."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("indicator", "district", "year", name="uq_indicator_value"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator: str = Field(max_length=200, index=True)
    field_of_action: str = Field(max_length=200)
    district: str | None = Field(default=None, max_length=200)
    district_code: str | None = Field(default=None, max_length=40)
    year: int
    value: float | None = None
    missing_reason: str | None = Field(default=None, max_length=200)
    """Why there is no value, from an official statistics symbol ("." secret or unknown, "-" nothing, …)."""
    unit: str | None = Field(default=None, max_length=60)
    target: float | None = None
    threshold: float | None = None
    higher_is_better: bool = True
    source: str | None = Field(default=None, max_length=300)


class ApiToken(SQLModel, table=True):
    """A report author's token for the JSON API; only its hash is kept."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    revoked: bool = False


class ServerSetting(SQLModel, table=True):
    """Values the server generates once and keeps, such as its secret key when none is configured."""

    __tablename__ = "server_setting"

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(sa_column=Column(Text, nullable=False))
