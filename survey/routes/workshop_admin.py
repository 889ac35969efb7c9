"""The facilitators' area: create and run workshops, record the group's statements, type in paper forms.

Facilitators manage their own organisation's workshops, admins all. Any other workshop answers 404, so a
facilitator cannot even learn that another organisation's workshop exists.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from urllib.parse import urlencode

import segno
from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlmodel import Session, select

from survey.auth import current_user, require
from survey.i18n import language, translator
from survey.models import Role, User, Wave, Workshop
from survey.paper_entry import (
    MAX_FORM_NUMBER_LENGTH,
    PaperEntryError,
    accepts_paper_forms,
    enter_paper_form,
    entry_pages,
    paper_forms_entered,
    read_paper_form,
)
from survey.questionnaire.answers import ERROR_MESSAGES, N_, FieldError
from survey.statements import MAX_STATEMENT_LENGTH, StatementError, add_statement, remove_statement, tallies
from survey.waves import questionnaire_version
from survey.web import DB, Form, Query, form_value, redirect, render, settings_of, translator_of
from survey.workshop_clouds import warm_pipelines_in_background
from survey.workshops import WorkshopError, close_workshop, create_workshop, managed_workshop, workshops_for

FACILITATORS = require(Role.admin, Role.facilitator)
WorkshopId = FromPath[int]

MESSAGES = {
    **ERROR_MESSAGES,
    "wave_missing": N_("Please choose a wave."),
    "date_invalid": N_("Please enter the date as YYYY-MM-DD."),
    "no_organisation": N_("Please enter the organisation that holds the workshop."),
    "account_without_organisation": N_(
        "Your account belongs to no organisation yet, so you cannot create workshops. "
        "Please ask an administrator to add your organisation."
    ),
    "no_title": N_("Please enter a title."),
    "no_language": N_("Please choose at least one language."),
    "language_not_in_wave": N_("Please choose only languages the chosen wave offers."),
    "unknown_questionnaire": N_("Please choose a questionnaire."),
    "no_free_code": N_("No free join code was found. Please try again."),
    "statement_empty": N_("Please write the statement."),
    "statement_too_long": N_("Please shorten the statement to at most %(max)s characters."),
    "language_not_in_workshop": N_("Please choose one of the workshop's languages."),
    "close_unconfirmed": N_("Please tick the box to confirm that the workshop should close."),
    "form_number_missing": N_("Please enter the number written on the paper form."),
    "form_number_too_long": N_("Please enter a form number of at most %(max)s characters."),
    "form_number_taken": N_("Paper form %(number)s has already been entered for this workshop. Nothing was saved."),
    "paper_consent": N_("Enter only forms on which every consent box is ticked."),
    "wave_closed": N_("The wave no longer accepts answers, so no paper forms can be entered."),
}
"""Every message these pages show, by error code (the questionnaire's own messages included)."""

_FIELD_OF = {
    "no_organisation": "organisation",
    "no_title": "title",
    "no_language": "languages",
    "language_not_in_wave": "languages",
    "unknown_questionnaire": "questionnaire",
}
"""The form field a ``WorkshopError`` is shown at (the title when it is about no field)."""


def _user(request: Request) -> User:
    user = current_user(request)
    if user is None:  # the guard admits only signed-in users
        raise NotAuthorizedException()
    return user


def managed(request: Request, db: Session, workshop_id: int) -> Workshop:
    """The workshop if the signed-in user may manage it; 404 alike for missing and foreign ones."""
    workshop = managed_workshop(db, _user(request), workshop_id)
    if workshop is None:
        raise NotFoundException()
    return workshop


def _wave(db: Session, workshop: Workshop) -> Wave:
    wave = db.get(Wave, workshop.wave_id)
    if wave is None:
        raise NotFoundException()
    return wave


def join_url(request: Request, workshop: Workshop) -> str:
    """The absolute address participants open, from the address this server was reached at."""
    return f"{str(request.base_url).rstrip('/')}/w/{workshop.join_code}"


def qr_svg(url: str) -> bytes:
    """A QR code as a size-less SVG (viewBox only), so CSS draws it as large as the page needs."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", omitsize=True, xmldecl=False)
    return buffer.getvalue()


def _posted(data: dict[str, Any]) -> dict[str, list[str]]:
    """The posted fields as lists, to fill the form in again."""
    return {name: value if isinstance(value, list) else [value] for name, value in data.items()}


def _page(request: Request, template: str, *, status_code: int = 200, **context: Any) -> Template:
    return render(request, template, status_code=status_code, messages=MESSAGES, **context)


class WorkshopAdminController(Controller):
    path = "/admin/workshops"

    @get("/", guards=[FACILITATORS], sync_to_thread=True)
    def index(self, request: Request, db: DB) -> Template:
        return self._index(request, db, {}, {})

    def _index(
        self,
        request: Request,
        db: Session,
        data: dict[str, list[str]],
        errors: dict[str, FieldError],
        status: int = 200,
    ) -> Template:
        waves = db.exec(select(Wave).order_by(Wave.created_at.desc())).all()
        today = date.today()
        offered = [wave for wave in waves if not (wave.closes_on and wave.closes_on < today)]
        return _page(
            request,
            "workshops/index.html",
            status_code=status,
            workshops=workshops_for(db, _user(request)),
            wave_titles={wave.id: wave.title for wave in waves},
            waves=offered,
            wave_languages=[language(code) for code in dict.fromkeys(c for w in offered for c in w.languages)],
            data=data,
            errors=errors,
        )

    @post("/", guards=[FACILITATORS], sync_to_thread=True)
    def create(self, request: Request, db: DB, data: Form) -> Template | Redirect:
        user = _user(request)
        errors: dict[str, FieldError] = {}
        organisation = user.organisation if user.role == Role.facilitator else form_value(data, "organisation")
        if user.role == Role.facilitator and not organisation:
            errors["organisation"] = FieldError("account_without_organisation")
        wave = db.get(Wave, int(form_value(data, "wave"))) if form_value(data, "wave").isdigit() else None
        if wave is None:
            errors["wave"] = FieldError("wave_missing")
        try:
            held_on = date.fromisoformat(form_value(data, "held_on"))
        except ValueError:
            errors["held_on"] = FieldError("date_invalid")
        if not errors:
            languages = _posted(data).get("languages", [])
            try:
                workshop = create_workshop(
                    db,
                    wave=wave,
                    organisation=organisation or "",
                    title=form_value(data, "title"),
                    held_on=held_on,
                    languages=[code for code in languages if code],
                    questionnaire=form_value(data, "questionnaire"),
                    facilitator=user,
                    questionnaires_dir=settings_of(request).questionnaires_dir,
                )
            except WorkshopError as exc:
                db.rollback()
                errors[_FIELD_OF.get(exc.code, "title")] = FieldError(exc.code)
            else:
                warm_pipelines_in_background(workshop.languages)
                return redirect(f"/admin/workshops/{workshop.id}")
        return self._index(request, db, _posted(data), errors, 400)

    @get("/{workshop_id:int}", guards=[FACILITATORS], sync_to_thread=True)
    def detail(self, request: Request, db: DB, workshop_id: WorkshopId) -> Template:
        return self._detail(request, db, managed(request, db, workshop_id))

    def _detail(
        self,
        request: Request,
        db: Session,
        workshop: Workshop,
        errors: dict[str, FieldError] | None = None,
        data: dict[str, list[str]] | None = None,
    ) -> Template:
        wave = _wave(db, workshop)
        return _page(
            request,
            "workshops/detail.html",
            status_code=400 if errors else 200,
            workshop=workshop,
            wave=wave,
            address=join_url(request, workshop),
            workshop_languages=[language(code) for code in workshop.languages],
            tallies=tallies(db, workshop, wave.min_cell_size),
            minimum=wave.min_cell_size,
            paper_count=paper_forms_entered(db, workshop),
            errors=errors or {},
            data=data or {},
        )

    @get("/{workshop_id:int}/qr.svg", guards=[FACILITATORS], sync_to_thread=True)
    def qr(self, request: Request, db: DB, workshop_id: WorkshopId) -> Response:
        workshop = managed(request, db, workshop_id)
        return Response(qr_svg(join_url(request, workshop)), media_type="image/svg+xml")

    @get("/{workshop_id:int}/invitation", guards=[FACILITATORS], sync_to_thread=True)
    def invitation(self, request: Request, db: DB, workshop_id: WorkshopId) -> Template:
        """One block per workshop language, each wholly in that language, to print and hang up."""
        workshop = managed(request, db, workshop_id)
        locales_dir = settings_of(request).locales_dir
        return _page(
            request,
            "workshops/invitation.html",
            workshop=workshop,
            address=join_url(request, workshop),
            blocks=[translator(locales_dir, code) for code in workshop.languages],
        )

    @post("/{workshop_id:int}/statements", guards=[FACILITATORS], sync_to_thread=True)
    def add_statement(self, request: Request, db: DB, workshop_id: WorkshopId, data: Form) -> Template | Redirect:
        workshop = managed(request, db, workshop_id)
        try:
            add_statement(db, workshop, form_value(data, "text"), form_value(data, "language"))
        except StatementError as exc:
            db.rollback()
            field = "language" if exc.code == "language_not_in_workshop" else "text"
            error = FieldError(exc.code, {"max": MAX_STATEMENT_LENGTH})
            return self._detail(request, db, workshop, {field: error}, _posted(data))
        return redirect(f"/admin/workshops/{workshop.id}#statements")

    @post("/{workshop_id:int}/statements/remove", guards=[FACILITATORS], sync_to_thread=True)
    def remove_statement(self, request: Request, db: DB, workshop_id: WorkshopId, data: Form) -> Redirect:
        """Removing a statement that is already gone changes nothing and is no error (a reloaded page)."""
        workshop = managed(request, db, workshop_id)
        statement = form_value(data, "statement")
        if statement.isdigit():
            remove_statement(db, workshop, int(statement))
        return redirect(f"/admin/workshops/{workshop.id}#statements")

    @post("/{workshop_id:int}/close", guards=[FACILITATORS], sync_to_thread=True)
    def close(self, request: Request, db: DB, workshop_id: WorkshopId, data: Form) -> Template | Redirect:
        workshop = managed(request, db, workshop_id)
        if form_value(data, "confirm") != "yes":
            return self._detail(request, db, workshop, {"confirm": FieldError("close_unconfirmed")})
        close_workshop(db, workshop)
        return redirect(f"/admin/workshops/{workshop.id}")

    @get("/{workshop_id:int}/paper", guards=[FACILITATORS], sync_to_thread=True)
    def paper(self, request: Request, db: DB, workshop_id: WorkshopId, saved: Query[str | None] = None) -> Template:
        return self._paper(request, db, managed(request, db, workshop_id), {}, {}, saved=saved)

    def _paper(
        self,
        request: Request,
        db: Session,
        workshop: Workshop,
        form: dict[str, list[str]],
        errors: dict[str, FieldError],
        *,
        saved: str | None = None,
    ) -> Template:
        """The whole questionnaire as one form, in a workshop language chosen with ``?lang=``."""
        wave = _wave(db, workshop)
        q = questionnaire_version(db, workshop.questionnaire_version_id)
        return _page(
            request,
            "workshops/paper.html",
            status_code=400 if errors else 200,
            languages=workshop.languages,
            workshop=workshop,
            wave=wave,
            q=q,
            pages=entry_pages(q),
            accepting=accepts_paper_forms(wave, date.today()),
            workshop_languages=[language(code) for code in workshop.languages],
            form=form,
            errors=errors,
            saved=saved,
            count=paper_forms_entered(db, workshop),
            max_number=MAX_FORM_NUMBER_LENGTH,
            items_of=lambda question: question.items,
        )

    @post("/{workshop_id:int}/paper", guards=[FACILITATORS], sync_to_thread=True)
    def enter_paper(self, request: Request, db: DB, workshop_id: WorkshopId, data: Form) -> Template | Redirect:
        workshop = managed(request, db, workshop_id)
        wave = _wave(db, workshop)
        form = _posted(data)
        if not accepts_paper_forms(wave, date.today()):
            return self._paper(request, db, workshop, form, {"paper_form": FieldError("wave_closed")})
        form_language = translator_of(request, workshop.languages).language
        q = questionnaire_version(db, workshop.questionnaire_version_id)
        paper = read_paper_form(q, form, districts=wave.districts, locale=form_language.locale)
        if paper.errors:
            return self._paper(request, db, workshop, form, paper.errors)
        try:
            enter_paper_form(db, workshop, wave, paper, form_language.code)
        except PaperEntryError as exc:
            error = FieldError(exc.code, {"number": paper.number})
            return self._paper(request, db, workshop, form, {"paper_form": error})
        query = urlencode({"lang": form_language.code, "saved": paper.number})
        return redirect(f"/admin/workshops/{workshop.id}/paper?{query}")
