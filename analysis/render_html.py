"""The report section as one self-contained HTML file: inline CSS, figures as ``data:`` PNGs, nothing fetched.

Jinja2 autoescapes every value, because quotes and labels come from respondents and are hostile input; the
template (``templates/report_section.html``) is the place to change how the section looks and prints.
"""

from __future__ import annotations

import base64
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from analysis.report_layout import layout
from analysis.report_model import Section
from analysis.report_text import locale


def render_html(section: Section) -> bytes:
    blocks = [(type(block).__name__, block) for block in layout(section)]
    page = (
        _environment()
        .get_template("report_section.html")
        .render(lang=locale(section.language), title=section.title, blocks=blocks)
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
