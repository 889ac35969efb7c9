"""The report section as GitHub-flavoured Markdown, with its figures as separate PNG files.

Markdown cannot hold images, so the text links ``figures/<id>.png`` and :func:`markdown_figures` returns those
files by name: write each into a ``figures/`` folder beside the ``.md`` file. Everything from the data is escaped —
``<``, ``>`` and ``&`` as entities (so no HTML reaches a renderer that would pass it through) and Markdown's
own punctuation with backslashes — because free-text answers are hostile input.
"""

from __future__ import annotations

import re

from analysis.report_layout import (
    Block,
    Bullets,
    FigureBlock,
    Heading,
    Paragraph,
    QuoteBlock,
    StatementBlock,
    Table,
    layout,
)
from analysis.report_model import Section

FIGURE_FOLDER = "figures"
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n\v\f\u2028\u2029]+[ \t]*")
"""Collapsed so a value stays on its line (a table row, a heading); no-break spaces in numbers are kept."""
_PUNCTUATION = re.compile(r"([\\`*_\[\]|~!#])")


def render_markdown(section: Section) -> bytes:
    return "\n".join(_block(block) for block in layout(section)).encode()


def markdown_figures(section: Section) -> dict[str, bytes]:
    """File name → PNG for every figure the Markdown links; write them into ``figures/`` beside the .md file."""
    return {figure_file(f.id): f.png for field_section in section.fields for f in field_section.figures}


def figure_file(figure_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", figure_id) + ".png"


def escape(value: str) -> str:
    """Text safe inside a Markdown paragraph, table cell or link text: one line, nothing interpreted."""
    value = "".join(_ENTITIES.get(char, char) for char in _LINE_BREAKS.sub(" ", value))
    value = _PUNCTUATION.sub(r"\\\1", value)
    return re.sub(r"^([-+=]|\d+[.)])", r"\\\1", value)


def _block(block: Block) -> str:
    match block:
        case Heading(level, text):
            return f"{'#' * level} {escape(text)}\n"
        case Paragraph(text):
            return f"{escape(text)}\n"
        case Bullets(items):
            return "".join(f"- {escape(item)}\n" for item in items)
        case Table():
            return _table(block)
        case FigureBlock(figure, _, caption):
            return f"![{escape(figure.alt)}]({FIGURE_FOLDER}/{figure_file(figure.id)})\n\n*{escape(caption)}*\n"
        case StatementBlock(text, _, attribution, details):
            return _quote(text, [attribution, *details])
        case QuoteBlock(text, _, attribution):
            return _quote(text, [attribution])
    raise TypeError(f"unknown block {block!r}")


def _quote(text: str, captions: list[str]) -> str:
    """A blockquote: the text's lines, then each caption as a paragraph of its own."""
    lines = [f"> {escape(line)}" for line in text.splitlines() if line.strip()]
    return "\n>\n".join(lines) + "".join(f"\n>\n> {escape(caption)}" for caption in captions) + "\n"


def _table(table: Table) -> str:
    lines = [f"**{escape(table.caption)}**", ""]
    lines.append("| " + " | ".join(escape(cell) for cell in table.header) + " |")
    lines.append("|" + "|".join(["---"] * len(table.header)) + "|")
    lines += ["| " + " | ".join(escape(cell) or " " for cell in row) + " |" for row in table.rows]
    if table.notes:
        lines.append("")
        lines += [f"{escape(note)}  " for note in table.notes]
    return "\n".join(lines) + "\n"
