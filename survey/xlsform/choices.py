"""The choices sheet: lists of choices, their Stimmen values, and the "prefer not to say" option.

Stimmen offers "keine Angabe" itself (``no_answer``) and stores it as ``_na``; a form's own
prefer-not-to-say choice becomes that flag instead of a second, competing option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from survey.questionnaire.schema import NO_ANSWER
from survey.xlsform.errors import Report
from survey.xlsform.names import identifier
from survey.xlsform.texts import row_text
from survey.xlsform.workbook import Row, Workbook, flag

NO_ANSWER_LABELS = {
    "keine angabe",
    "möchte ich nicht sagen",
    "möchte ich nicht beantworten",
    "ich möchte nicht antworten",
    "keine antwort",
    "prefer not to say",
    "prefer not to answer",
    "i prefer not to say",
    "i prefer not to answer",
    "rather not say",
    "i'd rather not say",
    "no answer",
    "refused",
    "refuse to answer",
    "decline to answer",
    "don't want to answer",
    "do not want to answer",
}


@dataclass
class FormChoice:
    row: Row
    name: str
    value: str
    exclusive: bool = False


@dataclass
class ChoiceList:
    name: str
    id: str
    row: Row
    choices: list[FormChoice] = field(default_factory=list)
    no_answer: FormChoice | None = None

    def renamed(self) -> str | None:
        """A note for the author when choice names had to change to become Stimmen values."""
        pairs = [f"'{c.name}' → '{c.value}'" for c in self.choices if c.name != c.value]
        if not pairs:
            return None
        more = f" and {len(pairs) - 8} more" if len(pairs) > 8 else ""
        return (
            f"list '{self.name}': choice names stored as Stimmen values (lowercase ids): {', '.join(pairs[:8])}{more}"
        )

    @property
    def values(self) -> dict[str, str]:
        """Choice name in the form → Stimmen value, for skip logic that compares with a choice."""
        mapping = {choice.name: choice.value for choice in self.choices}
        if self.no_answer is not None:
            mapping[self.no_answer.name] = NO_ANSWER
        return mapping


def read_choice_lists(book: Workbook, report: Report) -> dict[str, ChoiceList]:
    lists: dict[str, ChoiceList] = {}
    sheet = book.choices
    if sheet is None:
        return lists
    for row in sheet.rows:
        list_name, name = row.word("list_name"), row.word("name")
        if not list_name and not name:
            continue  # a row of filter columns or comments only
        if not list_name:
            report.error(row.at("list_name"), f"choice '{name}' has no list_name")
            continue
        if not name:
            report.error(row.at("name"), f"a choice of list '{list_name}' has no name")
            continue
        choices = lists.get(list_name)
        if choices is None:
            choices = lists[list_name] = ChoiceList(list_name, identifier(list_name, "list_"), row)
        _add(
            choices,
            FormChoice(row, name, identifier(name, "choice_"), flag(row.get("stimmen::exclusive")) is True),
            report,
        )
    return lists


def _add(choices: ChoiceList, choice: FormChoice, report: Report) -> None:
    if choices.no_answer is None and (choice.name == NO_ANSWER or _says_no_answer(choice.row)):
        choices.no_answer = choice
        return
    for other in [*choices.choices, *([choices.no_answer] if choices.no_answer else [])]:
        if other.name == choice.name:
            report.error(
                choice.row.at("name"),
                f"list '{choices.name}' has the choice '{choice.name}' twice (also row {other.row.number})",
            )
            return
        if other.value == choice.value:
            report.error(
                choice.row.at("name"),
                f"choices '{other.name}' (row {other.row.number}) and '{choice.name}' of list '{choices.name}' "
                f"would both be stored as '{choice.value}'; rename one",
            )
            return
    choices.choices.append(choice)


def _says_no_answer(row: Row) -> bool:
    return any(_plain(text) in NO_ANSWER_LABELS for text in row_text(row, "label").values())


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s']", " ", text.replace("’", "'").casefold())).strip()
