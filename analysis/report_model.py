"""The combined report section as data: what ``analysis.report`` builds and the renderers and the API show.

Every number that counts people carries its base ``n`` and a ``suppressed`` flag. A suppressed figure has
no value at all (``None``), so no renderer can leak it; ``small_base`` marks shares on fewer than 30
answers, which renderers show with a caution. The model is plain dataclasses so that the JSON output is
``dataclasses.asdict`` and renderers need no knowledge of how figures were made.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Status = Literal["target_reached", "on_track", "below_threshold", "between", "no_target", "missing"]
"""An indicator's latest value against its target and threshold, read with its direction:
``target_reached`` at or beyond the target; ``below_threshold`` on the wrong side of the threshold;
``between`` in between; ``no_target`` when neither is set; ``missing`` without a latest value."""
Trend = Literal["improving", "worsening", "stable", "unknown"]


@dataclass
class Figure:
    """A chart or word cloud: PNG bytes for the renderers, and the alt text that says what it shows."""

    id: str
    title: str
    alt: str
    png: bytes = field(repr=False)


@dataclass
class IndicatorValue:
    year: int
    value: float | None
    missing_reason: str | None = None


@dataclass
class IndicatorRow:
    """One indicator in one district (``district`` None: the whole city), over the years."""

    indicator: str
    district: str | None
    unit: str | None
    values: list[IndicatorValue]
    target: float | None
    threshold: float | None
    higher_is_better: bool
    status: Status
    trend: Trend
    source: str | None


@dataclass
class Share:
    """Part of a group that chose an option: ``count`` of ``n``, with a 95 % Wilson interval.

    ``weighted`` shares come from raking weights; count and n stay the unweighted numbers of answers."""

    count: int | None
    n: int | None
    share: float | None
    low: float | None
    high: float | None
    suppressed: bool
    small_base: bool
    weighted: bool = False


@dataclass
class OptionResult:
    option: str
    label: str
    overall: Share
    by_district: dict[str, Share]
    previous: Share | None = None
    """The same option in the previous wave, when there is one."""


@dataclass
class ClosedResult:
    """A closed question (or one matrix line) of the questionnaire: shares per option, city and districts."""

    question: str
    label: str
    options: list[OptionResult]


@dataclass
class CodeCount:
    """Answers with a code: from accepted human codes; machine suggestions are counted apart and labelled."""

    code: str
    label: str
    kind: Literal["strength", "barrier", "other"]
    count: int | None
    n: int | None
    """Coded answers to the questions the code belongs to."""
    share: float | None
    suppressed: bool
    small_base: bool
    by_district: dict[str, Share]
    by_group: dict[str, dict[str, Share]]
    """Group variable (age_group, gender, …) → its value → share of answers with the code."""
    suggested: int | None
    """Answers with a machine suggestion of the code that no coder has decided on yet (not in ``count``)."""
    previous: Share | None = None


@dataclass
class CoOccurrence:
    first: str
    second: str
    count: int | None
    suppressed: bool


@dataclass
class Quote:
    """An answer a coder approved for quoting and its author allowed to be quoted, personal data masked."""

    text: str
    language: str
    language_name: str
    codes: list[str]


@dataclass
class Statement:
    """A statement a workshop group wrote down and voted on: no one person's words, yet personal data is masked."""

    text: str
    language: str
    organisation: str
    held_on: str
    """The workshop's date (ISO)."""
    codes: list[str]
    code_labels: list[str]
    decided: bool
    """Whether a coder decided on the codes; False: machine suggestions nobody has checked yet."""
    voters: int | None
    votes: dict[str, int | None]
    """"agree", "disagree" and "pass"; None where withheld."""
    suppressed: bool
    """Fewer voters than the minimum: no vote is shown, not even how many voted."""


@dataclass
class WorkshopHeld:
    """A workshop of the wave (e.g. of a migrant self-organisation)."""

    organisation: str
    held_on: str
    participants: int | None
    """Submitted questionnaires; None where withheld."""
    suppressed: bool
    statements: int


@dataclass
class FieldSection:
    """One field of action (Handlungsfeld): indicators, survey results and voices side by side."""

    id: str
    title: str
    indicators: list[IndicatorRow]
    closed: list[ClosedResult]
    strengths: list[CodeCount]
    barriers: list[CodeCount]
    co_occurrences: list[CoOccurrence]
    quotes: list[Quote]
    figures: list[Figure]
    summary: list[str]
    """A few plain-language sentences on the main findings."""
    statements: list[Statement] = field(default_factory=list)
    """Workshop statements with a code of this field."""


@dataclass
class Section:
    """The report section for one wave."""

    wave: str
    title: str
    language: str
    """Language of the section's prose: "de" or "en"."""
    generated_at: str
    respondents: int
    min_cell_size: int
    districts: list[str]
    suppressed_districts: list[str]
    """Districts whose figures are all withheld: too few respondents, or withheld so that they cannot be
    worked out from the city total (secondary suppression)."""
    previous_wave: str | None
    weighting: str | None
    """How shares were weighted (raking to which margins), or None for unweighted shares."""
    summary: list[str]
    fields: list[FieldSection]
    methods: list[str]
    """Notes on sources, coding, suppression and intervals, in the section's language."""
    workshops: list[WorkshopHeld] = field(default_factory=list)
    other_statements: list[Statement] = field(default_factory=list)
    """Workshop statements with no code of any field of action, so that no group's voice is lost."""

    def to_dict(self) -> dict:
        """Everything but the figures' image bytes, for JSON."""
        data = asdict(self)
        for field_section in data["fields"]:
            for figure in field_section["figures"]:
                del figure["png"]
        return data
