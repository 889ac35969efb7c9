"""The room's results: the JSON the live screen polls, the projector page, its word clouds, and the take-home
summary staff download once the workshop is closed.

The live routes are public like the join code they hang off; every number in them has passed the privacy layer.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from survey.coding_form import language_name
from survey.models import Wave, Workshop, WorkshopStatus
from survey.report_output import MEDIA_TYPES
from survey.routes.workshop_admin import FACILITATORS, WorkshopId, managed
from survey.web import DB, Query, render, translator_of
from survey.workshop_clouds import room_cloud
from survey.workshop_results import workshop_results
from survey.workshop_summary import VOTE_LABELS, render_summary, steps_note, workshop_summary
from survey.workshops import workshop_by_code

Code = FromPath[str]
Image = FromPath[str]
"""``<language>.png``."""
CLOUD_MAX_AGE = 60
"""Seconds a browser may keep a cloud: the live page asks for a new address (``?v=``) whenever the texts change."""


def _by_code(db: DB, code: str) -> Workshop:
    workshop = workshop_by_code(db, code)
    if workshop is None:
        raise NotFoundException(detail="no workshop with this code")
    return workshop


class LiveController(Controller):
    path = "/w/{code:str}"

    @get("/results.json", sync_to_thread=True)
    def results(self, request: Request, db: DB, code: Code) -> dict[str, Any]:
        """The room's aggregates, as the live screen shows them: counts only once enough people have answered."""
        workshop = _by_code(db, code)
        language = request.query_params.get("lang")
        return workshop_results(db, workshop, language if language in workshop.languages else workshop.languages[0])

    @get("/live", sync_to_thread=True)
    def live(self, request: Request, db: DB, code: Code) -> Template:
        """The projector screen; live.js refreshes its results region in place, the Refresh link does without JS."""
        workshop = _by_code(db, code)
        ui = translator_of(request, workshop.languages).language
        language = ui.code if ui.code in workshop.languages else workshop.languages[0]
        return render(
            request,
            "live/live.html",
            languages=workshop.languages,
            workshop=workshop,
            results=workshop_results(db, workshop, language),
            vote_labels=VOTE_LABELS,
            steps_note=steps_note,
            language_name=lambda code: language_name(code, ui),
        )

    @get("/cloud/{image:str}", sync_to_thread=True)
    def cloud(self, db: DB, code: Code, image: Image) -> Response:
        """A language's word cloud as PNG; 404 below the minimum, without frequent words or for another language."""
        workshop = _by_code(db, code)
        language, _, suffix = image.partition(".")
        wave = db.get(Wave, workshop.wave_id)
        found = room_cloud(db, workshop, wave.min_cell_size, language) if suffix == "png" else None
        png = found.png if found else None
        if png is None:
            raise NotFoundException()
        return Response(png, media_type="image/png", headers={"Cache-Control": f"private, max-age={CLOUD_MAX_AGE}"})


class SummaryController(Controller):
    """Take-home summaries for admins and for the facilitators of the workshop's organisation."""

    path = "/admin/workshops/{workshop_id:int}"

    @get("/summary.html", guards=[FACILITATORS], sync_to_thread=True)
    def html(
        self, request: Request, db: DB, workshop_id: WorkshopId, lang: Query[str | None] = None
    ) -> Response | Template:
        return self._download(request, db, workshop_id, lang, "html")

    @get("/summary.docx", guards=[FACILITATORS], sync_to_thread=True)
    def docx(
        self, request: Request, db: DB, workshop_id: WorkshopId, lang: Query[str | None] = None
    ) -> Response | Template:
        return self._download(request, db, workshop_id, lang, "docx")

    def _download(self, request: Request, db: DB, workshop_id: int, lang: str | None, fmt: str) -> Response | Template:
        workshop = managed(request, db, workshop_id)
        if workshop.status != WorkshopStatus.closed:
            return render(request, "live/summary_open.html", status_code=409, workshop=workshop)
        if lang not in workshop.languages:
            page = translator_of(request).language.code
            lang = page if page in workshop.languages else workshop.languages[0]
        content = render_summary(workshop_summary(db, workshop, lang), fmt)
        name = f"workshop-{workshop.join_code}-summary-{lang}.{fmt}"
        return Response(
            content,
            media_type=MEDIA_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"},
        )
