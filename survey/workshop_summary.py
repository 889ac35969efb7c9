"""The take-home summary of a closed workshop: what the room saw, as one document for the organisation.

It is laid out once as the report's blocks (``analysis.report_layout``) from the same privacy-safe data the live
screen shows (``workshop_results``, the word clouds), in one of the workshop's languages, so the HTML and the Word
file say the same thing. Interface words come from the gettext catalogs, the questions from the questionnaire's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from analysis.render_docx import render_blocks_docx
from analysis.render_html import render_blocks_html
from analysis.report_layout import SUPPRESSED, SUPPRESSED_MARK, Block, Bullets, FigureBlock, Heading, Paragraph, Table
from analysis.report_model import Figure
from survey.coding_form import language_name
from survey.i18n import Language, Translator, translator
from survey.models import Workshop
from survey.questionnaire.answers import N_
from survey.settings import get_settings
from survey.workshop_clouds import RoomCloud, room_clouds
from survey.workshop_results import workshop_results

VOTE_LABELS = {"agree": N_("Agree"), "disagree": N_("Disagree"), "pass": N_("Pass")}
"""Vote values as people read them, for the live screen and the summary alike."""


def steps_note(t: Translator, results: dict[str, Any]) -> str:
    """Why fewer people are counted than answered (``survey.room_steps``), for the screen and the summary alike."""
    return t.gettext(
        "These results count %(counted)s of the %(total)s people who answered. They grow in steps of at least "
        "%(min)s people, so that nobody's answers can be read off a change.",
        counted=t.format_number(results["counted"]),
        total=t.format_number(results["participants"]),
        min=t.format_number(results["minimum"]),
    )


@dataclass(frozen=True)
class Summary:
    title: str
    language: Language
    blocks: list[Block]


def workshop_summary(session: Session, workshop: Workshop, language: str) -> Summary:
    """The summary in ``language`` (one of the workshop's)."""
    t = translator(get_settings().locales_dir, language)
    results = workshop_results(session, workshop, language)
    clouds = room_clouds(session, workshop, results["minimum"]) if results["shown"] else []
    writer = _Writer(t, results)
    writer.overview(workshop)
    writer.questions()
    writer.clouds(clouds)
    writer.statements()
    writer.privacy()
    return Summary(workshop.title, t.language, writer.blocks)


def render_summary(summary: Summary, fmt: str) -> bytes:
    """The summary as "html" (self-contained) or "docx"; KeyError for any other format."""
    tag, direction = summary.language.html_lang, summary.language.direction
    renderers = {
        "html": lambda: render_blocks_html(summary.blocks, summary.title, tag, direction),
        "docx": lambda: render_blocks_docx(summary.blocks, summary.title, tag, rtl=direction == "rtl"),
    }
    return renderers[fmt]()


class _Writer:
    """Collects the summary's blocks in reading order."""

    def __init__(self, t: Translator, results: dict[str, Any]) -> None:
        self.t = t
        self.results = results
        self.minimum = t.format_number(results["minimum"])
        self.blocks: list[Block] = []

    def count(self, value: int | None) -> str:
        return SUPPRESSED + SUPPRESSED_MARK if value is None else self.t.format_number(value)

    def notes(self, withheld: bool) -> list[str]:
        """The footnote that explains "–¹", for a table that has one."""
        if not withheld:
            return []
        note = self.t.gettext(
            "Fewer than %(min)s, or a number from which such a one could be worked out: withheld for privacy.",
            min=self.minimum,
        )
        return [f"{SUPPRESSED_MARK} {note}"]

    def overview(self, workshop: Workshop) -> None:
        t, results = self.t, self.results
        participants = (
            t.format_number(results["participants"])
            if results["shown"]
            else t.gettext("fewer than %(min)s", min=self.minimum)
        )
        self.blocks += [
            Heading(1, workshop.title),
            Paragraph(t.gettext("Summary of the workshop")),
            Bullets(
                [
                    t.gettext("Organisation: %(organisation)s", organisation=workshop.organisation),
                    t.gettext("Date: %(date)s", date=t.format_date(workshop.held_on)),
                    t.gettext("Participants: %(count)s", count=participants),
                ]
            ),
        ]
        if results["shown"] and results["counted"] < results["participants"]:
            self.blocks.append(Paragraph(steps_note(t, results)))
        if not results["shown"]:
            self.blocks.append(
                Paragraph(
                    t.gettext(
                        "Fewer than %(min)s people took part, so no answers are shown: in so small a group they "
                        "could be traced back to individuals.",
                        min=self.minimum,
                    )
                )
            )

    def questions(self) -> None:
        if not self.results["shown"]:
            return
        t = self.t
        self.blocks.append(Heading(2, t.gettext("Answers")))
        for question in self.results["questions"]:
            if question["suppressed"]:
                note = t.gettext(
                    "Fewer than %(min)s people answered “%(question)s”, so its numbers are not shown.",
                    min=self.minimum,
                    question=question["label"],
                )
                self.blocks.append(Paragraph(note))
                continue
            options = question["options"]
            rows = [[option["label"], self.count(option["count"])] for option in options]
            caption = t.gettext(
                "%(question)s (%(count)s answers)", question=question["label"], count=self.count(question["n"])
            )
            notes = self.notes(any(option["suppressed"] for option in options))
            self.blocks.append(Table(caption, [t.gettext("Answer"), t.gettext("People")], rows, notes))

    def clouds(self, clouds: list[RoomCloud]) -> None:
        if not self.results["shown"]:
            return
        t = self.t
        self.blocks.append(Heading(2, t.gettext("Word clouds")))
        drawn = [cloud for cloud in clouds if cloud.png]
        for number, cloud in enumerate(drawn, start=1):
            title = t.gettext(
                "Word cloud of the answers in %(language)s", language=language_name(cloud.language, t.language)
            )
            alt = t.gettext("%(title)s. Most frequent words: %(words)s", title=title, words=", ".join(cloud.words))
            caption = t.gettext("Figure %(number)s: %(title)s", number=t.format_number(number), title=title)
            self.blocks.append(FigureBlock(Figure(f"cloud-{cloud.language}", title, alt, cloud.png), number, caption))
        if not drawn:
            no_cloud = t.gettext(
                "No word was used in at least %(min)s answers, so there is no word cloud.", min=self.minimum
            )
            self.blocks.append(Paragraph(no_cloud))

    def statements(self) -> None:
        t = self.t
        self.blocks.append(Heading(2, t.gettext("Collective statements")))
        statements = self.results["statements"]
        if not statements:
            self.blocks.append(Paragraph(t.gettext("The group recorded no statements.")))
            return
        header = [t.gettext("Statement"), *(t.gettext(label) for label in VOTE_LABELS.values()), t.gettext("Votes")]
        rows, withheld = [], False
        for statement in statements:
            counts = {vote["vote"]: vote["count"] for vote in statement["votes"]}
            withheld |= statement["voters"] is None or None in counts.values()
            rows.append(
                [statement["text"], *(self.count(counts[v]) for v in VOTE_LABELS), self.count(statement["voters"])]
            )
        caption = t.gettext("How the group voted on its statements")
        self.blocks.append(Table(caption, header, rows, self.notes(withheld)))

    def privacy(self) -> None:
        t = self.t
        self.blocks += [
            Heading(2, t.gettext("Privacy")),
            Paragraph(
                t.gettext(
                    "Numbers are shown only when at least %(min)s people stand behind them; smaller numbers are "
                    "withheld (“–”) so that nobody can be recognised. Names, e-mail addresses, phone numbers and "
                    "other personal data are removed from the answers before the word clouds are drawn, and a word "
                    "appears only if at least %(min)s answers use it.",
                    min=self.minimum,
                )
            ),
        ]
