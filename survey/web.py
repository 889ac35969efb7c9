"""Request helpers shared by the controllers: language, rendering, redirects, the respondent session."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from sqlmodel import Session

from survey.i18n import LANGUAGE_COOKIE, Translator, available_languages, language, negotiate, translator
from survey.questionnaire.answers import ERROR_MESSAGES
from survey.settings import Settings

DB = NamedDependency[Session]
Slug = FromPath[str]
Index = FromPath[int]
Form = URLEncodedBody[dict[str, Any]]
Query = FromQuery

SESSION_RESPONSES = "responses"
"""Session key: survey key (wave slug, or "w:" + join code) → {"id": response id, "code": receipt code} for
surveys under way in this browser."""
SESSION_VOTERS = "voters"
"""Session key: "w:" + join code → the response id this browser votes on the workshop's statements with; kept after
submitting, because statements are usually written down at the end of the discussion."""


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def languages_of(request: Request) -> tuple[str, ...]:
    return available_languages(settings_of(request).locales_dir)


def translator_of(request: Request, allowed: list[str] | None = None) -> Translator:
    """The request's language, negotiated once per request (and restricted to a wave's languages)."""
    cached = request.state.get("translator")
    if cached is not None and allowed is None:
        return cached
    settings = settings_of(request)
    available = languages_of(request)
    if allowed:
        available = [code for code in available if code in allowed] or available
    code = negotiate(
        available,
        query=request.query_params.get("lang"),
        cookie=request.cookies.get(LANGUAGE_COOKIE),
        accept_language=request.headers.get("accept-language"),
        default=settings.default_language,
    )
    result = translator(settings.locales_dir, code)
    request.state.translator = result
    return result


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> Template:
    """A page in the request's language; remembers an explicit ``?lang=`` choice in a cookie."""
    allowed = context.pop("languages", None)
    t = translator_of(request, allowed)
    switcher = [language(code) for code in languages_of(request) if not allowed or code in allowed]
    cookies = []
    chosen = request.query_params.get("lang")
    if chosen and chosen == t.language.code:
        settings = settings_of(request)
        cookies.append(
            Cookie(
                key=LANGUAGE_COOKIE,
                value=chosen,
                max_age=60 * 60 * 24 * 365,
                httponly=True,
                samesite="lax",
                secure=settings.cookie_secure,
            )
        )
    return Template(
        template_name=template,
        status_code=status_code,
        cookies=cookies,
        context={
            "t": t,
            "lang": t.language,
            "_": t.gettext,
            "gettext": t.gettext,
            "ngettext": t.ngettext,
            "qt": t.content_text,
            "switcher": switcher,
            "today": date.today(),
            "user": request.state.get("user"),
            "messages": ERROR_MESSAGES,
            **context,
        },
    )


def redirect(path: str) -> Redirect:
    """303 See Other: after a POST the browser GETs the next page, so reload never re-posts."""
    return Redirect(path=path, status_code=303)


def form_value(data: dict[str, Any], name: str) -> str:
    raw = data.get(name, "")
    if isinstance(raw, list):
        raw = raw[-1] if raw else ""
    return str(raw).strip()
