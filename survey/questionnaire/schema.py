"""The questionnaire file format as typed models; German source text, translations live in gettext."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]

NO_ANSWER = "_na"
"""Stored value of "keine Angabe" (prefer not to say); choice values may not start with "_"."""
OTHER = "other"
"""Choice value added by ``other: true``; its free text is stored beside it."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(Strict):
    value: Identifier
    text: Text
    exclusive: bool = False
    """In a multiple choice: selecting it excludes every other choice (e.g. "none of these")."""


class Item(Strict):
    id: Identifier
    text: Text


class QuestionBase(Strict):
    id: Identifier
    text: Text
    hint: Text | None = None
    required: bool = False
    relevant: str | None = None
    """Skip logic: show the question only when this expression holds (earlier pages only)."""
    constraint: str | None = None
    """Extra check on the answer; ``value`` is the answer itself."""
    constraint_message: Text | None = None

    @property
    def collects_answer(self) -> bool:
        return True


class ClosedQuestion(QuestionBase):
    no_answer: bool = True
    """Offer "keine Angabe" (prefer not to say)."""


class SingleChoice(ClosedQuestion):
    type: Literal["single_choice"]
    choices: list[Choice] | Identifier
    other: bool = False


class MultipleChoice(ClosedQuestion):
    type: Literal["multiple_choice"]
    choices: list[Choice] | Identifier
    other: bool = False
    min_selected: int | None = Field(default=None, ge=1)
    max_selected: int | None = Field(default=None, ge=1)


class Scale(ClosedQuestion):
    """A rating scale of numbered points with labelled ends."""

    type: Literal["scale"]
    min: int = 1
    max: int = 5
    min_label: Text
    max_label: Text


class Matrix(ClosedQuestion):
    """Several items on one scale, e.g. attachment to district, city and Germany."""

    type: Literal["matrix"]
    items: list[Item] = Field(min_length=1)
    choices: list[Choice] | Identifier
    rotate: bool = False
    """Shuffle item order per respondent against order effects (stable for that respondent)."""


class ShortText(QuestionBase):
    type: Literal["short_text"]
    max_length: int = Field(default=200, ge=1, le=1000)


class LongText(QuestionBase):
    type: Literal["long_text"]
    max_length: int = Field(default=3000, ge=1, le=20000)


class Number(QuestionBase):
    type: Literal["number"]
    min: float | None = None
    max: float | None = None
    integer: bool = True
    unit: Text | None = None


class District(ClosedQuestion):
    """A choice among the wave's districts, which differ from city to city."""

    type: Literal["district"]


class Consent(QuestionBase):
    """A single checkbox for a specific, separate consent (e.g. quoting free text)."""

    type: Literal["consent"]


class Note(Strict):
    """Text between questions; collects nothing."""

    type: Literal["note"]
    id: Identifier
    text: Text
    relevant: str | None = None

    @property
    def collects_answer(self) -> bool:
        return False


Question = Annotated[
    SingleChoice | MultipleChoice | Scale | Matrix | ShortText | LongText | Number | District | Consent | Note,
    Field(discriminator="type"),
]
QUESTION_TYPES = tuple(get_args(model.model_fields["type"].annotation)[0] for model in get_args(get_args(Question)[0]))


class Page(Strict):
    id: Identifier
    title: Text
    intro: Text | None = None
    relevant: str | None = None
    questions: list[Question] = Field(min_length=1)


class ConsentBlock(Strict):
    """Shown before anything is stored; every statement must be ticked to take part."""

    title: Text
    text: Text
    statements: list[Item] = Field(min_length=1)


class Questionnaire(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=100)]
    title: Text
    description: Text | None = None
    estimated_minutes: int | None = Field(default=None, ge=1, le=120)
    consent: ConsentBlock
    choice_lists: dict[Identifier, list[Choice]] = Field(default_factory=dict)
    pages: list[Page] = Field(min_length=1)

    def questions(self) -> list[QuestionBase | Note]:
        return [question for page in self.pages for question in page.questions]

    def question(self, question_id: str) -> QuestionBase | Note:
        for question in self.questions():
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def choices_of(self, question: SingleChoice | MultipleChoice | Matrix) -> list[Choice]:
        """Choices written inline or taken from ``choice_lists``."""
        return list(self.choice_lists[question.choices] if isinstance(question.choices, str) else question.choices)
