"""A workshop's participants: find it by its code, answer through the survey flow, vote on the group's statements.

No account is needed: the join code opens the workshop, consent starts a response like online, and the browser
session remembers which response votes on the statements.
"""

from __future__ import annotations

from datetime import date

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template
from sqlmodel import Session

from survey import statements
from survey.models import Vote
from survey.questionnaire.answers import FieldError
from survey.routes.respondent import Survey, SurveyFlow, render_survey
from survey.web import DB, SESSION_VOTERS, Form, Query, form_value, redirect, render
from survey.workshops import workshop_by_code, workshop_with_questionnaire


@get("/w", sync_to_thread=True)
def join(request: Request, db: DB, code: Query[str | None] = None) -> Template | Redirect:
    """The code typed on a phone (or in the QR code's address) leads to the workshop; a wrong one says so."""
    if code is None:
        return render(request, "survey/join.html", code="", error=False)
    found = workshop_by_code(db, code)
    if found is None:
        return render(request, "survey/join.html", status_code=400, code=code[:40], error=True)
    return redirect(f"/w/{found.join_code}")


def _voter(request: Request, survey: Survey) -> str | None:
    return (request.session or {}).get(SESSION_VOTERS, {}).get(survey.key)


class WorkshopController(SurveyFlow):
    path = "/w/{code:str}"

    def survey_of(self, request: Request, db: Session) -> Survey:
        found = workshop_with_questionnaire(db, request.path_params["code"])
        if found is None:
            raise NotFoundException()
        workshop, wave, questionnaire = found
        code = workshop.join_code
        return Survey(wave, questionnaire, f"/w/{code}", f"w:{code}", workshop.languages, workshop)

    @get("/statements", sync_to_thread=True)
    def statements(self, request: Request, db: DB, saved: Query[bool] = False) -> Template | Redirect:
        survey = self.survey_of(request, db)
        voter = _voter(request, survey)
        if voter is None:
            return redirect(survey.base)
        votes = statements.votes_of(db, survey.workshop, voter)
        return _statements_page(request, db, survey, {str(k): v.value for k, v in votes.items()}, {}, saved=saved)

    @post("/statements", sync_to_thread=True)
    def vote(self, request: Request, db: DB, data: Form) -> Template | Redirect:
        """Votes left empty are not cast; a vote can be changed while the workshop is open."""
        survey = self.survey_of(request, db)
        voter = _voter(request, survey)
        if voter is None:
            return redirect(survey.base)
        if not survey.accepts_answers(date.today()):
            return redirect(f"{survey.base}/statements")
        chosen: dict[int, Vote] = {}
        errors: dict[str, FieldError] = {}
        for statement in statements.statements_of(db, survey.workshop):
            value = form_value(data, f"vote.{statement.id}")
            if value in Vote._value2member_map_:
                chosen[statement.id] = Vote(value)
            elif value:
                errors[f"vote.{statement.id}"] = FieldError("invalid_choice")
        if errors:
            form = {name.removeprefix("vote."): form_value(data, name) for name in data if name.startswith("vote.")}
            return _statements_page(request, db, survey, form, errors, status_code=400)
        try:
            statements.cast_votes(db, survey.workshop, voter, chosen)
        except statements.StatementError:  # the response was withdrawn meanwhile: nothing to vote with
            return redirect(survey.base)
        return redirect(f"{survey.base}/statements?saved=true")


def _statements_page(
    request: Request,
    db: Session,
    survey: Survey,
    chosen: dict[str, str],
    errors: dict[str, FieldError],
    *,
    saved: bool = False,
    status_code: int = 200,
) -> Template:
    return render_survey(
        request,
        survey,
        "survey/statements.html",
        status_code=status_code,
        statements=statements.statements_of(db, survey.workshop),
        chosen=chosen,
        errors=errors,
        saved=saved and not errors,
        open_now=survey.accepts_answers(date.today()),
        votes=list(Vote),
    )
