"""Pages anyone can open: the landing page, health check, privacy and accessibility statements."""

from __future__ import annotations

from datetime import date

from litestar import Request, get
from litestar.exceptions import ServiceUnavailableException
from litestar.response import Template
from sqlalchemy import text

from survey.waves import open_waves
from survey.web import DB, render


@get("/", sync_to_thread=True)
def landing(request: Request, db: DB) -> Template:
    return render(request, "landing.html", waves=open_waves(db, date.today()))


@get("/privacy", sync_to_thread=True)
def privacy(request: Request) -> Template:
    return render(request, "privacy.html")


@get("/accessibility", sync_to_thread=True)
def accessibility(request: Request) -> Template:
    return render(request, "accessibility.html")


@get("/healthz", sync_to_thread=True)
def healthz(db: DB) -> dict[str, str]:
    try:
        db.execute(text("SELECT 1"))
    except Exception as exc:
        raise ServiceUnavailableException(detail="database unavailable") from exc
    return {"status": "ok"}
