"""The application factory: the one place that wires settings, database, templates and routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Litestar, Request, Response
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import ResponseHeader, State
from litestar.di import Provide
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.openapi import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template
from litestar.static_files import create_static_files_router
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.template.config import TemplateConfig
from sqlalchemy.engine import Engine
from sqlmodel import Session

from survey.db import make_engine
from survey.routes import (
    admin,
    api,
    coding,
    indicators,
    public,
    reports,
    respondent,
    tokens,
    workshop_admin,
    workshop_join,
    workshop_live,
)
from survey.security import derive_key, server_secret
from survey.settings import Settings, get_settings
from survey.web import render
from survey.workshop_clouds import warm_pipelines_of_open_workshops

HERE = Path(__file__).resolve().parent

SECURITY_HEADERS = [
    ResponseHeader(
        name="Content-Security-Policy",
        value="default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
    ResponseHeader(name="X-Content-Type-Options", value="nosniff"),
    ResponseHeader(name="Referrer-Policy", value="no-referrer"),
    ResponseHeader(name="Permissions-Policy", value="camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


def _jinja_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _error_page(request: Request, exc: Exception) -> Response | Template:
    """Errors in the visitor's language: HTML pages for people, JSON for /api, /healthz and ``.json`` routes."""
    status = exc.status_code if isinstance(exc, HTTPException) else HTTP_500_INTERNAL_SERVER_ERROR
    if isinstance(exc, NotAuthorizedException) and request.url.path.startswith("/admin"):
        return Redirect(path=f"/admin/login?next={request.url.path}", status_code=303)
    accept = request.headers.get("accept", "")
    wants_json = "application/json" in accept and "text/html" not in accept
    if wants_json or request.url.path.startswith(("/api", "/healthz")) or request.url.path.endswith(".json"):
        detail = exc.detail if isinstance(exc, HTTPException) else "internal server error"
        headers = exc.headers if isinstance(exc, HTTPException) else None  # e.g. WWW-Authenticate on a 401
        return Response({"status_code": status, "detail": detail}, status_code=status, headers=headers)
    if status >= 500:
        request.logger.exception("unhandled error", exc_info=exc)
    return render(request, "error.html", status_code=status, status=status)


def _warm(engine: Engine) -> None:
    with Session(engine) as session:
        warm_pipelines_of_open_workshops(session)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Litestar:
    """Build the Litestar app; tests pass their own settings and engine."""
    settings = settings or get_settings()
    engine = engine or make_engine(settings.database_url)
    secret = server_secret(engine, settings.secret_key)

    async def provide_db() -> AsyncIterator[Session]:
        # Closing in the event loop, not a worker thread: cleanup never queues behind handlers that wait
        # for a pooled connection (which deadlocked under load).
        session = Session(engine, expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()

    sessions = CookieBackendConfig(
        secret=derive_key(secret, "session"),
        key="stimmen_session",
        max_age=settings.session_max_age,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        exclude=["/static", "/healthz"],
    )
    csrf = CSRFConfig(
        secret=derive_key(secret, "csrf").hex(),
        cookie_name="stimmen_csrf",
        cookie_httponly=True,
        cookie_samesite="lax",
        cookie_secure=settings.cookie_secure,
        exclude=["/api"],  # read-only GETs, authenticated by bearer token or session
    )
    return Litestar(
        route_handlers=[
            public.landing,
            public.privacy,
            public.accessibility,
            public.healthz,
            respondent.SurveyController,
            workshop_join.join,
            workshop_join.WorkshopController,
            admin.AuthController,
            admin.AdminController,
            coding.CodingController,
            reports.ReportsController,
            indicators.IndicatorController,
            api.ApiController,
            tokens.TokenController,
            workshop_live.LiveController,
            workshop_live.SummaryController,
            workshop_admin.WorkshopAdminController,
            create_static_files_router(path="/static", directories=[HERE / "static"]),
        ],
        dependencies={"db": Provide(provide_db)},
        state=State({"settings": settings, "engine": engine}),
        template_config=TemplateConfig(engine=JinjaTemplateEngine.from_environment(_jinja_environment())),
        csrf_config=csrf,
        openapi_config=OpenAPIConfig(title="Stimmen API", version="1.0.0", path="/schema"),
        middleware=[sessions.middleware],
        exception_handlers={HTTPException: _error_page, Exception: _error_page},
        request_max_body_size=settings.max_body_bytes,
        response_headers=SECURITY_HEADERS,
        on_startup=[lambda: _warm(engine)],
        on_shutdown=[engine.dispose],
        debug=settings.debug,
    )
