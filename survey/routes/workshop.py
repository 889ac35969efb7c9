"""Workshop pages participants open by the workshop's join code, without an account."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from survey.web import DB
from survey.workshop_results import workshop_results
from survey.workshops import workshop_by_code


@get("/w/{code:str}/results.json", sync_to_thread=True)
def results(request: Request, db: DB, code: FromPath[str]) -> dict[str, Any]:
    """The room's aggregates, as the live screen shows them: counts only once enough people have answered."""
    workshop = workshop_by_code(db, code)
    if workshop is None:
        raise NotFoundException(detail="no workshop with this code")
    language = request.query_params.get("lang")
    return workshop_results(db, workshop, language if language in workshop.languages else workshop.languages[0])
