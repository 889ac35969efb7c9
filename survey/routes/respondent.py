"""The resident's survey: consent, pages, submit, thank-you, resume and withdraw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template
from sqlmodel import Session

from survey import responses
from survey.models import Response, ResponseStatus, Wave
from survey.questionnaire import Questionnaire
from survey.questionnaire.answers import FieldError, form_of, parse_page, relevant_questions, values_of
from survey.questionnaire.flow import item_order, next_page, previous_page, shown_pages
from survey.questionnaire.paper import paper_form
from survey.questionnaire.schema import Matrix
from survey.security import normalise_receipt_code
from survey.waves import wave_with_questionnaire
from survey.web import DB, SESSION_RESPONSES, Form, Index, Query, Slug, form_value, redirect, render, translator_of


@dataclass
class Survey:
    wave: Wave
    questionnaire: Questionnaire


def _survey(db: Session, slug: str) -> Survey:
    found = wave_with_questionnaire(db, slug)
    if found is None:
        raise NotFoundException()
    return Survey(*found)


def _active(request: Request, slug: str) -> dict[str, str] | None:
    return (request.session or {}).get(SESSION_RESPONSES, {}).get(slug)


def _remember(request: Request, slug: str, entry: dict[str, str] | None, *, thanks: str | None = None) -> None:
    session = dict(request.session or {})
    active = dict(session.get(SESSION_RESPONSES, {}))
    if entry is None:
        active.pop(slug, None)
    else:
        active[slug] = entry
    session[SESSION_RESPONSES] = active
    flashes = dict(session.get("thanks", {}))
    if thanks:
        flashes[slug] = thanks
    session["thanks"] = flashes
    request.set_session(session)


def _render(request: Request, survey: Survey, template: str, **context: Any) -> Template:
    """A survey page, offered only in the wave's languages."""
    return render(
        request, template, languages=survey.wave.languages, wave=survey.wave, q=survey.questionnaire, **context
    )


def _page_url(slug: str, index: int) -> str:
    return f"/s/{slug}/p/{index}"


def _resume_point(survey: Survey, response: Response, values: dict[str, Any]) -> int:
    pages = shown_pages(survey.questionnaire, values)
    after = next_page(survey.questionnaire, values, response.page_reached)
    return after if after is not None else pages[-1]


def _render_page(
    request: Request,
    survey: Survey,
    index: int,
    form: dict[str, list[str]],
    values: dict[str, Any],
    errors: dict[str, FieldError],
    response: Response,
    *,
    status_code: int = 200,
    missing: bool = False,
) -> Template:
    q = survey.questionnaire
    page = q.pages[index]
    pages = shown_pages(q, values)
    return _render(
        request,
        survey,
        "survey/page.html",
        status_code=status_code,
        page=page,
        index=index,
        position=pages.index(index) + 1 if index in pages else 1,
        total=len(pages),
        is_last=next_page(q, values, index) is None,
        has_previous=previous_page(q, values, index) is not None,
        questions=relevant_questions(page, values),
        form=form,
        errors=errors,
        error_labels={
            f"{qu.id}.{item.id}": item.text for qu in page.questions if isinstance(qu, Matrix) for item in qu.items
        },
        missing=missing,
        items_of=lambda question: item_order(question, response.id),
    )


class SurveyController(Controller):
    path = "/s/{slug:str}"

    @get("/", sync_to_thread=True)
    def intro(self, request: Request, db: DB, slug: Slug) -> Template:
        survey = _survey(db, slug)
        open_now = survey.wave.accepts_answers(date.today())
        return _render(
            request,
            survey,
            "survey/intro.html" if open_now else "survey/closed.html",
            active=_active(request, slug),
            errors={},
        )

    @get("/start", sync_to_thread=False)
    def start_again(self, slug: Slug, lang: Query[str | None] = None) -> Redirect:
        """The consent form's address after an error; switching language there reloads the intro."""
        return redirect(f"/s/{slug}" + (f"?lang={lang}" if lang else ""))

    @post("/start", sync_to_thread=True)
    def start(self, request: Request, db: DB, slug: Slug, data: Form) -> Template | Redirect:
        survey = _survey(db, slug)
        if not survey.wave.accepts_answers(date.today()):
            return redirect(f"/s/{slug}")
        errors = {
            f"consent.{s.id}": FieldError("consent_required")
            for s in survey.questionnaire.consent.statements
            if form_value(data, f"consent.{s.id}") != "yes"
        }
        if errors:
            return _render(
                request,
                survey,
                "survey/intro.html",
                status_code=400,
                active=None,
                errors=errors,
            )
        language = translator_of(request, survey.wave.languages).language.code
        started = responses.start(db, survey.wave, language)
        _remember(request, slug, {"id": started.response.id, "code": started.receipt_code})
        return redirect(_page_url(slug, shown_pages(survey.questionnaire, {})[0]))

    @get("/p/{index:int}", sync_to_thread=True)
    def page(
        self, request: Request, db: DB, slug: Slug, index: Index, missing: Query[bool] = False
    ) -> Template | Redirect:
        survey = _survey(db, slug)
        active = _active(request, slug)
        response = responses.get(db, active["id"]) if active else None
        if response is None or response.status == ResponseStatus.withdrawn:
            return redirect(f"/s/{slug}")
        if response.status == ResponseStatus.submitted:
            return redirect(f"/s/{slug}/thanks")
        cells = responses.cells_of(db, response.id)
        values = values_of(cells)
        reachable = _resume_point(survey, response, values)
        if index not in shown_pages(survey.questionnaire, values) or index > reachable:
            return redirect(_page_url(slug, reachable))
        form = form_of(cells, translator_of(request, survey.wave.languages).language.locale)
        return _render_page(request, survey, index, form, values, {}, response, missing=missing)

    @post("/p/{index:int}", sync_to_thread=True)
    def save(self, request: Request, db: DB, slug: Slug, index: Index, data: Form) -> Template | Redirect:
        survey = _survey(db, slug)
        active = _active(request, slug)
        if active is None:
            return redirect(f"/s/{slug}")
        q = survey.questionnaire
        if not 0 <= index < len(q.pages):
            raise NotFoundException()
        if not survey.wave.accepts_answers(date.today()):
            return redirect(f"/s/{slug}")
        action = form_value(data, "action") or "next"
        stored = responses.cells_of(db, active["id"])
        values = values_of(stored)
        locale = translator_of(request, survey.wave.languages).language.locale
        page = q.pages[index]
        result = parse_page(
            q,
            page,
            data,
            values=values,
            districts=survey.wave.districts,
            locale=locale,
            check_required=action in ("next", "submit"),
        )
        keep_going = action in ("back", "later")
        if result.errors and not keep_going:
            response = responses.get(db, active["id"])
            form = {k: v if isinstance(v, list) else [v] for k, v in data.items()}
            return _render_page(request, survey, index, form, values, result.errors, response, status_code=400)
        failed = {name.split(".")[0] for name in result.errors}
        replaced = [qu.id for qu in page.questions if qu.id not in failed]
        cells = [cell for cell in result.cells if cell.question_id not in failed]
        if not responses.save_page(db, active["id"], index, replaced, cells, completed=not keep_going):
            return self._finished(request, db, slug, active)
        values = values_of([c for c in stored if c.question_id not in replaced] + cells)
        if action == "back":
            target = previous_page(q, values, index)
            return redirect(_page_url(slug, target if target is not None else index))
        if action == "later":
            return redirect(f"/s/{slug}/later")
        following = next_page(q, values, index)
        if following is not None:
            return redirect(_page_url(slug, following))
        outcome = responses.submit(db, active["id"], q)
        if outcome.missing_page is not None:
            return redirect(_page_url(slug, outcome.missing_page) + "?missing=true")
        return self._finished(request, db, slug, active)

    def _finished(self, request: Request, db: Session, slug: str, active: dict[str, str]) -> Redirect:
        response = responses.get(db, active["id"])
        if response is not None and response.status == ResponseStatus.submitted:
            _remember(request, slug, None, thanks=active["code"])
            return redirect(f"/s/{slug}/thanks")
        _remember(request, slug, None)
        return redirect(f"/s/{slug}")

    @get("/continue", sync_to_thread=True)
    def continue_(self, request: Request, db: DB, slug: Slug) -> Redirect:
        survey = _survey(db, slug)
        active = _active(request, slug)
        response = responses.get(db, active["id"]) if active else None
        if response is None or response.status != ResponseStatus.in_progress:
            return redirect(f"/s/{slug}")
        values = values_of(responses.cells_of(db, response.id))
        return redirect(_page_url(slug, _resume_point(survey, response, values)))

    @get("/later", sync_to_thread=True)
    def later(self, request: Request, db: DB, slug: Slug) -> Template | Redirect:
        survey = _survey(db, slug)
        active = _active(request, slug)
        if active is None:
            return redirect(f"/s/{slug}")
        return _render(
            request,
            survey,
            "survey/later.html",
            code=active["code"],
        )

    @get("/thanks", sync_to_thread=True)
    def thanks(self, request: Request, db: DB, slug: Slug) -> Template:
        survey = _survey(db, slug)
        session = dict(request.session or {})
        flashes = dict(session.get("thanks", {}))
        code = flashes.pop(slug, None)
        session["thanks"] = flashes
        request.set_session(session)
        return _render(
            request,
            survey,
            "survey/thanks.html",
            code=code,
        )

    @get("/print", sync_to_thread=True)
    def print_version(self, request: Request, db: DB, slug: Slug) -> Template:
        """The whole questionnaire for paper, in any of the wave's languages."""
        survey = _survey(db, slug)
        return _render(request, survey, "survey/print.html", pages=paper_form(survey.questionnaire))

    @get("/resume", sync_to_thread=True)
    def resume_form(self, request: Request, db: DB, slug: Slug) -> Template:
        survey = _survey(db, slug)
        return self._code_form(request, survey, "survey/resume.html", None)

    @post("/resume", sync_to_thread=True)
    def resume(self, request: Request, db: DB, slug: Slug, data: Form) -> Template | Redirect:
        survey = _survey(db, slug)
        code = normalise_receipt_code(form_value(data, "code"))
        response = responses.by_code(db, survey.wave, code) if code else None
        if response is None or response.status == ResponseStatus.withdrawn:
            return self._code_form(request, survey, "survey/resume.html", "code_unknown", status_code=400)
        if response.status == ResponseStatus.submitted:
            return self._code_form(request, survey, "survey/resume.html", "already_submitted", status_code=400)
        _remember(request, slug, {"id": response.id, "code": code})
        values = values_of(responses.cells_of(db, response.id))
        return redirect(_page_url(slug, _resume_point(survey, response, values)))

    @get("/withdraw", sync_to_thread=True)
    def withdraw_form(self, request: Request, db: DB, slug: Slug) -> Template:
        survey = _survey(db, slug)
        return self._code_form(request, survey, "survey/withdraw.html", None)

    @post("/withdraw", sync_to_thread=True)
    def withdraw(self, request: Request, db: DB, slug: Slug, data: Form) -> Template:
        survey = _survey(db, slug)
        code = normalise_receipt_code(form_value(data, "code"))
        response = responses.by_code(db, survey.wave, code) if code else None
        if response is None or response.status == ResponseStatus.withdrawn:
            return self._code_form(request, survey, "survey/withdraw.html", "code_unknown", status_code=400)
        if form_value(data, "confirm") != "yes":
            return self._code_form(
                request,
                survey,
                "survey/withdraw.html",
                "confirm_missing",
                status_code=400,
                code=form_value(data, "code"),
            )
        responses.withdraw(db, response)
        active = _active(request, slug)
        if active and active["id"] == response.id:
            _remember(request, slug, None)
        return _render(
            request,
            survey,
            "survey/withdrawn.html",
        )

    def _code_form(
        self,
        request: Request,
        survey: Survey,
        template: str,
        error: str | None,
        *,
        status_code: int = 200,
        code: str = "",
    ) -> Template:
        return _render(
            request,
            survey,
            template,
            status_code=status_code,
            error=error,
            code=code,
        )
