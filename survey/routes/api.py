"""The JSON API for report authors: waves, questions and the report section's figures, read only.

Authentication: ``Authorization: Bearer <token>`` (see ``stimmen token``) or a signed-in session; roles
author and admin. Figures come from the report section, through the privacy layer, built without charts and
kept for a minute per wave, language and weighting.
"""

from __future__ import annotations

from typing import Literal

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException

from analysis.report_model import Section
from survey import api_views, report_data
from survey.api_auth import require_api
from survey.i18n import translator
from survey.models import Role, Wave
from survey.section_cache import SectionCache
from survey.waves import wave_by_slug
from survey.web import DB, Query, Slug, settings_of

Language = Literal["de", "en"]
CACHE = "api_sections"
"""App state key of the :class:`SectionCache`."""


def _wave(db: DB, slug: str) -> Wave:
    wave = wave_by_slug(db, slug)
    if wave is None:
        raise NotFoundException(detail="wave_not_found")
    return wave


def _section(request: Request, db: DB, slug: str, lang: str, weighted: bool) -> Section:
    wave = _wave(db, slug)
    cache: SectionCache = request.app.state.setdefault(CACHE, SectionCache())
    return cache.get(
        (wave.id, lang, weighted),
        lambda: report_data.section_for(db, wave, lang, weighted=weighted, figures=False),
    )


class ApiController(Controller):
    path = "/api/v1"
    guards = (require_api(Role.admin, Role.author),)
    tags = ("report authors",)

    @get("/waves", sync_to_thread=True)
    def waves(self, db: DB) -> list[api_views.WaveOut]:
        """Every wave with its dates, districts and number of submitted responses, newest first."""
        return api_views.waves(db)

    @get("/waves/{slug:str}/questions", sync_to_thread=True)
    def questions(self, request: Request, db: DB, slug: Slug, lang: Query[Language] = "de") -> api_views.QuestionsOut:
        """The wave's closed and free-text questions with their options, labelled in ``lang``."""
        return api_views.questions(db, _wave(db, slug), translator(settings_of(request).locales_dir, lang))

    @get("/waves/{slug:str}/results", sync_to_thread=True)
    def results(
        self, request: Request, db: DB, slug: Slug, lang: Query[Language] = "de", weighted: Query[bool] = False
    ) -> api_views.ResultsOut:
        """Closed-question results per field of action: a share per option for the city and each district.

        A suppressed cell (fewer answers than the wave's minimum) has ``suppressed: true`` and no numbers."""
        return api_views.results(_section(request, db, slug, lang, weighted))

    @get("/waves/{slug:str}/codes", sync_to_thread=True)
    def codes(
        self, request: Request, db: DB, slug: Slug, lang: Query[Language] = "de", weighted: Query[bool] = False
    ) -> api_views.CodesOut:
        """Coded free text per field of action: strengths and barriers.

        ``count`` holds answers with the code accepted by coders; ``suggested`` holds answers with only a
        machine suggestion of it, which no coder has decided on yet (never part of ``count``)."""
        return api_views.codes(_section(request, db, slug, lang, weighted))

    @get("/waves/{slug:str}/quotes", sync_to_thread=True)
    def quotes(self, request: Request, db: DB, slug: Slug, lang: Query[Language] = "de") -> api_views.QuotesOut:
        """Quotes a coder approved and their authors allowed, with personal data masked."""
        return api_views.quotes(_section(request, db, slug, lang, False))

    @get("/waves/{slug:str}/report", sync_to_thread=True)
    def report(
        self, request: Request, db: DB, slug: Slug, lang: Query[Language] = "de", weighted: Query[bool] = False
    ) -> Section:
        """The whole report section (as ``stimmen report --format json``), without the charts."""
        return _section(request, db, slug, lang, weighted)
