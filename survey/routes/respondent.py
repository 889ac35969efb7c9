"""The resident's survey: consent, pages, submit, thank-you, resume and withdraw.

One flow serves two doors: a wave's own survey at /s/{slug}, and a workshop of the wave at /w/{code}, which asks
its own questionnaire version in the workshop's languages and stores answers with channel ``workshop``. The
controllers differ only in ``survey_of``, which resolves the door.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template
from sqlmodel import Session

from survey import responses
from survey.models import Response, ResponseStatus, Wave, Workshop
from survey.questionnaire import Questionnaire
from survey.questionnaire.answers import FieldError, form_of, parse_page, relevant_questions, values_of
from survey.questionnaire.flow import item_order, next_page, previous_page, shown_pages
from survey.questionnaire.paper import paper_form
from survey.questionnaire.schema import Matrix
from survey.security import normalise_receipt_code
from survey.waves import wave_with_questionnaire
from survey.web import (
    DB,
    SESSION_RESPONSES,
    SESSION_VOTERS,
    Form,
    Index,
    Query,
    form_value,
    redirect,
    render,
    translator_of,
)
from survey.workshops import accepts_answers


@dataclass(frozen=True)
class Survey:
    """What one door asks: the wave, the questionnaire version, the address, and the languages offered."""

    wave: Wave
    questionnaire: Questionnaire
    base: str
    """Address of the intro page; every other page lies below it."""
    key: str
    """Session key of a response under way through this door."""
    languages: list[str]
    workshop: Workshop | None = None

    def accepts_answers(self, today: date) -> bool:
        if self.workshop is not None:
            return accepts_answers(self.workshop, today, self.wave)
        return self.wave.accepts_answers(today)

    def owns(self, response: Response) -> bool:
        """A response started through this door: only then do its pages follow this questionnaire."""
        return response.workshop_id == (self.workshop.id if self.workshop else None)


def _active(request: Request, survey: Survey) -> dict[str, str] | None:
    return (request.session or {}).get(SESSION_RESPONSES, {}).get(survey.key)


def _remember(request: Request, survey: Survey, entry: dict[str, str] | None, *, thanks: str | None = None) -> None:
    session = dict(request.session or {})
    active = dict(session.get(SESSION_RESPONSES, {}))
    if entry is None:
        active.pop(survey.key, None)
    else:
        active[survey.key] = entry
    session[SESSION_RESPONSES] = active
    flashes = dict(session.get("thanks", {}))
    if thanks:
        flashes[survey.key] = thanks
    session["thanks"] = flashes
    if entry is not None and survey.workshop is not None:
        voters = dict(session.get(SESSION_VOTERS, {}))
        voters[survey.key] = entry["id"]
        session[SESSION_VOTERS] = voters
    request.set_session(session)


def render_survey(request: Request, survey: Survey, template: str, **context: Any) -> Template:
    """A survey page, offered only in the languages of the wave or workshop."""
    return render(
        request,
        template,
        languages=survey.languages,
        wave=survey.wave,
        workshop=survey.workshop,
        survey_url=survey.base,
        q=survey.questionnaire,
        **context,
    )


def _page_url(survey: Survey, index: int) -> str:
    return f"{survey.base}/p/{index}"


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
    return render_survey(
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


class SurveyFlow(Controller):
    """The pages of one survey; subclasses name the door by their path and :meth:`survey_of`.

    Each handler looks its survey up itself, in its own worker thread: a dependency run in a thread of its own
    would hold the request's pooled connection while the request waits for a second thread, and under load
    every connection ends up held by a request waiting for a thread (a deadlock until the pool times out).
    """

    def survey_of(self, request: Request, db: Session) -> Survey:
        raise NotImplementedError

    @get("/", sync_to_thread=True)
    def intro(self, request: Request, db: DB) -> Template:
        survey = self.survey_of(request, db)
        open_now = survey.accepts_answers(date.today())
        return render_survey(
            request,
            survey,
            "survey/intro.html" if open_now else "survey/closed.html",
            active=_active(request, survey),
            errors={},
        )

    @get("/start", sync_to_thread=True)
    def start_again(self, request: Request, db: DB, lang: Query[str | None] = None) -> Redirect:
        """The consent form's address after an error; switching language there reloads the intro."""
        survey = self.survey_of(request, db)
        return redirect(survey.base + (f"?lang={lang}" if lang else ""))

    @post("/start", sync_to_thread=True)
    def start(self, request: Request, db: DB, data: Form) -> Template | Redirect:
        survey = self.survey_of(request, db)
        if not survey.accepts_answers(date.today()):
            return redirect(survey.base)
        errors = {
            f"consent.{s.id}": FieldError("consent_required")
            for s in survey.questionnaire.consent.statements
            if form_value(data, f"consent.{s.id}") != "yes"
        }
        if errors:
            return render_survey(
                request,
                survey,
                "survey/intro.html",
                status_code=400,
                active=None,
                errors=errors,
            )
        language = translator_of(request, survey.languages).language.code
        started = responses.start(db, survey.wave, language, survey.workshop)
        _remember(request, survey, {"id": started.response.id, "code": started.receipt_code})
        return redirect(_page_url(survey, shown_pages(survey.questionnaire, {})[0]))

    @get("/p/{index:int}", sync_to_thread=True)
    def page(self, request: Request, db: DB, index: Index, missing: Query[bool] = False) -> Template | Redirect:
        survey = self.survey_of(request, db)
        active = _active(request, survey)
        response = responses.get(db, active["id"]) if active else None
        if response is None or response.status == ResponseStatus.withdrawn:
            return redirect(survey.base)
        if response.status == ResponseStatus.submitted:
            return redirect(f"{survey.base}/thanks")
        cells = responses.cells_of(db, response.id)
        values = values_of(cells)
        reachable = _resume_point(survey, response, values)
        if index not in shown_pages(survey.questionnaire, values) or index > reachable:
            return redirect(_page_url(survey, reachable))
        form = form_of(cells, translator_of(request, survey.languages).language.locale)
        return _render_page(request, survey, index, form, values, {}, response, missing=missing)

    @post("/p/{index:int}", sync_to_thread=True)
    def save(self, request: Request, db: DB, index: Index, data: Form) -> Template | Redirect:
        survey = self.survey_of(request, db)
        active = _active(request, survey)
        if active is None:
            return redirect(survey.base)
        q = survey.questionnaire
        if not 0 <= index < len(q.pages):
            raise NotFoundException()
        if not survey.accepts_answers(date.today()):
            return redirect(survey.base)
        action = form_value(data, "action") or "next"
        stored = responses.cells_of(db, active["id"])
        values = values_of(stored)
        locale = translator_of(request, survey.languages).language.locale
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
            return self._finished(request, db, survey, active)
        values = values_of([c for c in stored if c.question_id not in replaced] + cells)
        if action == "back":
            target = previous_page(q, values, index)
            return redirect(_page_url(survey, target if target is not None else index))
        if action == "later":
            return redirect(f"{survey.base}/later")
        following = next_page(q, values, index)
        if following is not None:
            return redirect(_page_url(survey, following))
        outcome = responses.submit(db, active["id"], q)
        if outcome.missing_page is not None:
            return redirect(_page_url(survey, outcome.missing_page) + "?missing=true")
        return self._finished(request, db, survey, active)

    def _finished(self, request: Request, db: Session, survey: Survey, active: dict[str, str]) -> Redirect:
        response = responses.get(db, active["id"])
        if response is not None and response.status == ResponseStatus.submitted:
            _remember(request, survey, None, thanks=active["code"])
            return redirect(f"{survey.base}/thanks")
        _remember(request, survey, None)
        return redirect(survey.base)

    @get("/continue", sync_to_thread=True)
    def continue_(self, request: Request, db: DB) -> Redirect:
        survey = self.survey_of(request, db)
        active = _active(request, survey)
        response = responses.get(db, active["id"]) if active else None
        if response is None or response.status != ResponseStatus.in_progress:
            return redirect(survey.base)
        values = values_of(responses.cells_of(db, response.id))
        return redirect(_page_url(survey, _resume_point(survey, response, values)))

    @get("/later", sync_to_thread=True)
    def later(self, request: Request, db: DB) -> Template | Redirect:
        survey = self.survey_of(request, db)
        active = _active(request, survey)
        if active is None:
            return redirect(survey.base)
        return render_survey(request, survey, "survey/later.html", code=active["code"])

    @get("/thanks", sync_to_thread=True)
    def thanks(self, request: Request, db: DB) -> Template:
        survey = self.survey_of(request, db)
        session = dict(request.session or {})
        flashes = dict(session.get("thanks", {}))
        code = flashes.pop(survey.key, None)
        session["thanks"] = flashes
        request.set_session(session)
        return render_survey(request, survey, "survey/thanks.html", code=code)

    @get("/print", sync_to_thread=True)
    def print_version(self, request: Request, db: DB) -> Template:
        """The whole questionnaire for paper, in any of the door's languages."""
        survey = self.survey_of(request, db)
        return render_survey(request, survey, "survey/print.html", pages=paper_form(survey.questionnaire))

    @get("/resume", sync_to_thread=True)
    def resume_form(self, request: Request, db: DB) -> Template:
        survey = self.survey_of(request, db)
        return _code_form(request, survey, "survey/resume.html", None)

    @post("/resume", sync_to_thread=True)
    def resume(self, request: Request, db: DB, data: Form) -> Template | Redirect:
        survey = self.survey_of(request, db)
        code = normalise_receipt_code(form_value(data, "code"))
        response = responses.by_code(db, survey.wave, code) if code else None
        if response is None or response.status == ResponseStatus.withdrawn or not survey.owns(response):
            return _code_form(request, survey, "survey/resume.html", "code_unknown", status_code=400)
        if response.status == ResponseStatus.submitted:
            return _code_form(request, survey, "survey/resume.html", "already_submitted", status_code=400)
        _remember(request, survey, {"id": response.id, "code": code})
        values = values_of(responses.cells_of(db, response.id))
        return redirect(_page_url(survey, _resume_point(survey, response, values)))

    @get("/withdraw", sync_to_thread=True)
    def withdraw_form(self, request: Request, db: DB) -> Template:
        survey = self.survey_of(request, db)
        return _code_form(request, survey, "survey/withdraw.html", None)

    @post("/withdraw", sync_to_thread=True)
    def withdraw(self, request: Request, db: DB, data: Form) -> Template:
        """Any response of the wave can be withdrawn through either door: a receipt code is all anyone keeps."""
        survey = self.survey_of(request, db)
        code = normalise_receipt_code(form_value(data, "code"))
        response = responses.by_code(db, survey.wave, code) if code else None
        if response is None or response.status == ResponseStatus.withdrawn:
            return _code_form(request, survey, "survey/withdraw.html", "code_unknown", status_code=400)
        if form_value(data, "confirm") != "yes":
            return _code_form(
                request,
                survey,
                "survey/withdraw.html",
                "confirm_missing",
                status_code=400,
                code=form_value(data, "code"),
            )
        responses.withdraw(db, response)
        active = _active(request, survey)
        if active and active["id"] == response.id:
            _remember(request, survey, None)
        return render_survey(request, survey, "survey/withdrawn.html")


def _code_form(
    request: Request,
    survey: Survey,
    template: str,
    error: str | None,
    *,
    status_code: int = 200,
    code: str = "",
) -> Template:
    return render_survey(request, survey, template, status_code=status_code, error=error, code=code)


class SurveyController(SurveyFlow):
    path = "/s/{slug:str}"

    def survey_of(self, request: Request, db: Session) -> Survey:
        slug = request.path_params["slug"]
        found = wave_with_questionnaire(db, slug)
        if found is None:
            raise NotFoundException()
        wave, questionnaire = found
        return Survey(wave, questionnaire, f"/s/{slug}", slug, wave.languages)
