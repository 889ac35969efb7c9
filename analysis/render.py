"""One entry point for every output format of the report section.

"md" links its figures as ``figures/<id>.png``: write the files of ``markdown_figures(section)`` into a
``figures/`` folder beside it.
"json" is ``Section.to_dict()`` (no image bytes; figures keep id, title and alt) and follows ``JSON_SCHEMA``.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from analysis.render_docx import render_docx
from analysis.render_html import render_html
from analysis.render_markdown import markdown_figures, render_markdown
from analysis.report_model import Section
from analysis.report_schema import JSON_SCHEMA

__all__ = ["FORMATS", "JSON_SCHEMA", "markdown_figures", "render"]


def render_json(section: Section) -> bytes:
    return json.dumps(section.to_dict(), ensure_ascii=False, indent=2).encode()


FORMATS: dict[str, Callable[[Section], bytes]] = {
    "md": render_markdown,
    "html": render_html,
    "docx": render_docx,
    "json": render_json,
}


def render(section: Section, fmt: str) -> bytes:
    """The section in ``fmt`` ("md", "html", "docx" or "json"); ValueError for any other format."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r}; one of {', '.join(FORMATS)}") from None
    return renderer(section)
