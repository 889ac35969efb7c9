"""The take-home summary: the room's privacy-safe results as blocks, in a workshop language, as HTML and Word."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.oxml.ns import qn
from sqlmodel import Session

from analysis.report_layout import Block, Bullets, FigureBlock, Heading, Paragraph, Table
from survey.i18n import translator
from survey.models import Vote, Wave, Workshop
from survey.settings import get_settings
from survey.statements import add_statement, cast_votes
from survey.waves import create_wave
from survey.workshop_summary import render_summary, workshop_summary
from survey.workshops import close_workshop, create_workshop
from tests.conftest import DEFAULT_QUESTIONNAIRE
from tests.routes.test_workshop_results import participant, workshop

STATEMENT = "Wir brauchen mehr Treffpunkte im Viertel."
TEXTS = {"community_concerns": "Die Miete ist zu hoch und eine Wohnung zu finden ist schwer."}


def room_with(db: Session, room: Workshop, ages: list[str], language: str = "de") -> Workshop:
    """Participants of the given ages, each with a free text and a vote on the one statement; then closed."""
    statement = add_statement(db, room, STATEMENT, room.languages[0])
    for age in ages:
        person = participant(db, room, {"age_group": age}, texts=TEXTS, language=language)
        cast_votes(db, room, person.id, {statement.id: Vote.agree})
    return close_workshop(db, room)


def texts(blocks: list[Block]) -> str:
    """Every word the blocks print, to search in."""
    found = []
    for block in blocks:
        match block:
            case Heading(_, text) | Paragraph(text):
                found.append(text)
            case Bullets(items):
                found.extend(items)
            case Table():
                found.extend(
                    [block.caption, *block.header, *(cell for row in block.rows for cell in row), *block.notes]
                )
            case FigureBlock():
                found.extend([block.caption, block.figure.alt])
    return "\n".join(found)


def table(blocks: list[Block], caption_start: str) -> Table:
    return next(b for b in blocks if isinstance(b, Table) and b.caption.startswith(caption_start))


def test_the_summary_has_overview_answers_cloud_statements_and_privacy_note(db: Session, wave: Wave) -> None:
    room = room_with(db, workshop(db, wave), ["age_30_44"] * 6)
    summary = workshop_summary(db, room, "en")
    blocks = summary.blocks
    assert blocks[0] == Heading(1, "Abendrunde")
    overview = next(b for b in blocks if isinstance(b, Bullets))
    assert overview.items == ["Organisation: Verein A", "Date: May 20, 2025", "Participants: 6"]
    ages = table(blocks, "How old are you?")
    assert ages.caption == "How old are you? (6 answers)"
    assert ["30 to 44 years", "6"] in ages.rows
    (cloud,) = [b for b in blocks if isinstance(b, FigureBlock)]
    assert cloud.figure.png.startswith(b"\x89PNG")
    assert cloud.figure.alt.startswith("Word cloud of the answers in German. Most frequent words: ")
    assert "Miete" in cloud.figure.alt
    votes = table(blocks, "How the group voted")
    assert votes.header == ["Statement", "Agree", "Disagree", "Pass", "Votes"]
    assert votes.rows == [[STATEMENT, "6", "0", "0", "6"]]
    assert [b.text for b in blocks if isinstance(b, Heading) and b.level == 2][-1] == "Privacy"
    assert "at least 5 people" in texts(blocks)


def test_withheld_counts_are_dashes_with_a_footnote_never_numbers(db: Session, wave: Wave) -> None:
    room = room_with(db, workshop(db, wave), ["age_30_44"] * 7 + ["age_65_plus"] * 2)
    blocks = workshop_summary(db, room, "en").blocks
    ages = table(blocks, "How old are you?")
    assert ["65 years and older", "–¹"] in ages.rows
    assert ["30 to 44 years", "–¹"] in ages.rows
    assert ages.notes[0].startswith("¹ Fewer than 5")
    assert {"2", "7"}.isdisjoint(cell for row in ages.rows for cell in row)
    assert "Fewer than 5 people answered “Did you yourself" in texts(blocks)


def test_too_few_participants_show_no_answers_and_no_cloud(db: Session, wave: Wave) -> None:
    room = room_with(db, workshop(db, wave), ["age_30_44"] * 4)
    blocks = workshop_summary(db, room, "en").blocks
    everything = texts(blocks)
    assert "Participants: fewer than 5" in everything
    assert "Fewer than 5 people took part" in everything
    assert not any(isinstance(b, FigureBlock) for b in blocks)
    assert "How old are you?" not in everything
    assert table(blocks, "How the group voted").rows == [[STATEMENT, "–¹", "–¹", "–¹", "–¹"]]
    assert "4" not in everything.replace("2025", "")


def test_the_word_file_opens_and_holds_the_statements_tables_and_cloud(db: Session, wave: Wave) -> None:
    room = room_with(db, workshop(db, wave), ["age_30_44"] * 6)
    document = Document(io.BytesIO(render_summary(workshop_summary(db, room, "de"), "docx")))
    assert document.core_properties.title == "Abendrunde"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Abendrunde"
    cells = [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    assert STATEMENT in cells
    assert "30 bis 44 Jahre" in cells
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0]._inline.docPr.get("descr").startswith("Wortwolke der Antworten auf Deutsch")


def test_the_summary_in_german_and_in_arabic_right_to_left(db: Session) -> None:
    wave = create_wave(
        db,
        questionnaire_path=DEFAULT_QUESTIONNAIRE,
        slug="arabic-wave",
        title="Welle",
        districts=["Altstadt"],
        languages=["de", "ar"],
        is_open=True,
    )
    room = create_workshop(
        db, wave=wave, organisation="Verein A", title="Abendrunde", held_on=date(2025, 5, 20), languages=["de", "ar"]
    )
    room_with(db, room, ["age_30_44"] * 6)
    german = render_summary(workshop_summary(db, room, "de"), "html").decode()
    assert '<html lang="de" dir="ltr">' in german
    assert "30 bis 44 Jahre" in german
    arabic_summary = workshop_summary(db, room, "ar")
    arabic = render_summary(arabic_summary, "html").decode()
    assert '<html lang="ar" dir="rtl">' in arabic
    label = translator(get_settings().locales_dir, "ar").content_text("30 bis 44 Jahre")
    assert label != "30 bis 44 Jahre"
    assert label in arabic
    assert "30 bis 44 Jahre" not in arabic
    assert STATEMENT in arabic  # the group's own words stay as written
    document = Document(io.BytesIO(render_summary(arabic_summary, "docx")))
    assert document.styles["Normal"].element.pPr.find(qn("w:bidi")) is not None
    assert document.core_properties.language == "ar"
