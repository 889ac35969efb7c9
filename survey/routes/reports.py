"""Report authors see a wave's combined report section in the admin area and download it in every format."""

from __future__ import annotations

import re

from litestar import Controller, Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from markupsafe import Markup
from sqlmodel import select

from analysis.render import render as render_section
from survey.auth import require
from survey.i18n import language as language_info
from survey.models import Role, Wave
from survey.report_data import section_for
from survey.report_output import MEDIA_TYPES, download
from survey.waves import status_counts, wave_by_slug
from survey.web import DB, Query, Slug, render, translator_of

AUTHORS = require(Role.admin, Role.author)
REPORT_LANGUAGES = ("de", "en")
FileName = FromPath[str]
"""``section.<format>``."""
CONTENT = (
    re.compile(r"<main[^>]*>(.*)</main>", re.DOTALL | re.IGNORECASE),
    re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE),
)
"""Where the rendered document keeps its content; the admin page has its own ``<main>`` landmark."""


def _wave(db: DB, slug: str) -> Wave:
    wave = wave_by_slug(db, slug)
    if wave is None:
        raise NotFoundException()
    return wave


def _language(request: Request, language: str | None) -> str:
    """The report's language as asked, else the page's when the report speaks it, else German."""
    if language in REPORT_LANGUAGES:
        return language
    page = translator_of(request).language.code
    return page if page in REPORT_LANGUAGES else "de"


def embedded(document: bytes) -> Markup:
    """The rendered section's content, to show inside the admin page (the renderer escapes all answer text)."""
    html = document.decode("utf-8")
    for pattern in CONTENT:
        match = pattern.search(html)
        if match:
            return Markup(match.group(1))  # noqa: S704 - our own renderer's output
    return Markup(html)  # noqa: S704


class ReportsController(Controller):
    path = "/admin/reports"

    @get("/", guards=[AUTHORS], sync_to_thread=True)
    def index(self, request: Request, db: DB) -> Template:
        waves = db.exec(select(Wave).order_by(Wave.created_at.desc())).all()
        return render(request, "reports/index.html", waves=waves, counts=status_counts(db))

    @get("/{slug:str}", guards=[AUTHORS], sync_to_thread=True)
    def wave(
        self, request: Request, db: DB, slug: Slug, language: Query[str | None] = None, weighted: Query[bool] = False
    ) -> Template:
        wave = _wave(db, slug)
        report_language = _language(request, language)
        section = section_for(db, wave, report_language, weighted=weighted)
        return render(
            request,
            "reports/wave.html",
            wave=wave,
            section=section,
            body=embedded(render_section(section, "html")),
            report_language=report_language,
            report_languages=REPORT_LANGUAGES,
            language_names={code: language_info(code).native_name for code in REPORT_LANGUAGES},
            weighted=weighted,
        )

    @get("/{slug:str}/{filename:str}", guards=[AUTHORS], sync_to_thread=True)
    def file(
        self,
        request: Request,
        db: DB,
        slug: Slug,
        filename: FileName,
        language: Query[str | None] = None,
        weighted: Query[bool] = False,
    ) -> Response:
        wave = _wave(db, slug)
        stem, _, fmt = filename.partition(".")
        if stem != "section" or fmt not in MEDIA_TYPES:
            raise NotFoundException()
        section = section_for(db, wave, _language(request, language), weighted=weighted, figures=fmt != "json")
        content, name = download(section, fmt)
        return Response(
            content,
            media_type=MEDIA_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"},
        )
