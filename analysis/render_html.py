"""The report section as one self-contained HTML file: inline CSS, figures as ``data:`` PNGs, nothing fetched.

Jinja2 autoescapes every value, because quotes and labels come from respondents and are hostile input; the
template (``templates/report_section.html``) is the place to change how the section looks and prints.
``render_blocks_html`` renders any list of layout blocks the same way (a workshop's take-home summary).
"""

from __future__ import annotations

import base64
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from analysis.report_layout import Block, layout
from analysis.report_model import Section
from analysis.report_text import locale


def render_html(section: Section) -> bytes:
    return render_blocks_html(layout(section), section.title, locale(section.language))


def render_blocks_html(blocks: list[Block], title: str, lang: str, direction: str = "ltr") -> bytes:
    """A self-contained page of ``blocks``; ``lang`` (a BCP 47 tag) and ``direction`` go on ``<html>``."""
    named = [(type(block).__name__, block) for block in blocks]
    page = (
        _environment()
        .get_template("report_section.html")
        .render(lang=lang, direction=direction, title=title, blocks=named)
    )
    return page.encode()


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("analysis", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    return environment
