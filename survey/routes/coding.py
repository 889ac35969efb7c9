"""The coding area: coders decide on the codes of free-text answers; agreement, frequent terms, word clouds.

Coders and admins may code; only admins change how many answers are coded twice.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlmodel import select

from survey import coding_reports, statement_coding
from survey.auth import current_user, require
from survey.coding import AnswerView, answer_in_wave, next_answer, progress, save_review, set_double_coding_share, view
from survey.coding_form import code_groups, codebook, form_context, label, language_name, parse_posted
from survey.models import Role, User, Wave
from survey.waves import wave_by_slug
from survey.web import DB, Form, Query, Slug, form_value, redirect, render, translator_of

AnswerId = FromPath[int]
Image = FromPath[str]
"""``<language>.png``."""
CODERS = require(Role.admin, Role.coder)
ADMINS = require(Role.admin)


def _wave(db: DB, slug: str) -> Wave:
    wave = wave_by_slug(db, slug)
    if wave is None:
        raise NotFoundException()
    return wave


def _user(request: Request) -> User:
    user = current_user(request)
    if user is None:  # the guard admits only signed-in users; this keeps the type checker and -O honest
        raise NotAuthorizedException()
    return user


class CodingController(Controller):
    path = "/admin/coding"

    @get("/", guards=[CODERS], sync_to_thread=True)
    def index(self, request: Request, db: DB) -> Template:
        waves = db.exec(select(Wave).order_by(Wave.created_at.desc())).all()
        rows = [(wave, progress(db, wave, _user(request))) for wave in waves]
        return render(request, "coding/index.html", rows=rows)

    @get("/{slug:str}", guards=[CODERS], sync_to_thread=True)
    def wave(self, request: Request, db: DB, slug: Slug) -> Template:
        return self._overview(request, db, _wave(db, slug))

    def _overview(
        self, request: Request, db: DB, wave: Wave, error: str | None = None, share: str = "", status_code: int = 200
    ) -> Template:
        shown = share or translator_of(request).format_number(round(wave.double_coding_share * 100, 1))
        return render(
            request,
            "coding/wave.html",
            status_code=status_code,
            wave=wave,
            progress=progress(db, wave, _user(request)),
            error=error,
            share=shown,
        )

    @post("/{slug:str}/settings", guards=[ADMINS], sync_to_thread=True)
    def settings(self, request: Request, db: DB, slug: Slug, data: Form) -> Template | Redirect:
        wave = _wave(db, slug)
        error = set_double_coding_share(db, wave, form_value(data, "share"))
        if error:
            return self._overview(request, db, wave, error, form_value(data, "share"), status_code=400)
        return redirect(f"/admin/coding/{slug}")

    @get("/{slug:str}/next", guards=[CODERS], sync_to_thread=True)
    def next(self, request: Request, db: DB, slug: Slug) -> Template | Redirect:
        wave = _wave(db, slug)
        answer_id = next_answer(db, wave, _user(request))
        if answer_id is None:
            return render(request, "coding/done.html", wave=wave, progress=progress(db, wave, _user(request)))
        return redirect(f"/admin/coding/{slug}/answers/{answer_id}")

    @get("/{slug:str}/answers/{answer_id:int}", guards=[CODERS], sync_to_thread=True)
    def answer(self, request: Request, db: DB, slug: Slug, answer_id: AnswerId) -> Template:
        wave, shown = self._view(request, db, slug, answer_id)
        return self._form(request, db, wave, shown, checked=shown.decisions, memo=shown.memo, quotable=shown.quotable)

    @post("/{slug:str}/answers/{answer_id:int}", guards=[CODERS], sync_to_thread=True)
    def save(self, request: Request, db: DB, slug: Slug, answer_id: AnswerId, data: Form) -> Template | Redirect:
        wave, shown = self._view(request, db, slug, answer_id)
        answer = shown.answer
        posted = parse_posted(data, codebook(), answer.question_id, answer.text or "")
        if posted.errors:
            return self._form(
                request,
                db,
                wave,
                shown,
                checked=posted.accepted,
                memo=posted.memo,
                quotable=posted.quotable,
                errors=posted.errors,
            )
        save_review(db, answer, _user(request), posted.accepted, posted.memo, quotable=posted.quotable)
        return redirect(f"/admin/coding/{slug}/next")

    def _view(self, request: Request, db: DB, slug: str, answer_id: int) -> tuple[Wave, AnswerView]:
        wave = _wave(db, slug)
        answer = answer_in_wave(db, wave, answer_id)
        if answer is None:
            raise NotFoundException()
        return wave, view(db, wave, answer, _user(request))

    def _form(self, request: Request, db: DB, wave: Wave, shown: AnswerView, **state: Any) -> Template:
        ui = translator_of(request).language
        context = form_context(db, wave, shown, ui, **state)
        return render(request, "coding/answer.html", status_code=400 if state.get("errors") else 200, **context)

    @get("/{slug:str}/statements", guards=[CODERS], sync_to_thread=True)
    def statements(self, request: Request, db: DB, slug: Slug, saved: Query[int | None] = None) -> Template:
        return self._statements(request, db, _wave(db, slug), saved=saved)

    @post("/{slug:str}/statements", guards=[CODERS], sync_to_thread=True)
    def save_statement(self, request: Request, db: DB, slug: Slug, data: Form) -> Template | Redirect:
        wave = _wave(db, slug)
        statement = statement_coding.statement_in_wave(db, wave, form_value(data, "statement"))
        if statement is None:
            raise NotFoundException()
        posted = parse_posted(data, codebook(), None, statement.text)
        if posted.errors:
            ticked = {statement.id: list(posted.accepted)}
            return self._statements(request, db, wave, ticked, statement.id, posted.errors)
        statement_coding.save_codes(db, statement, _user(request), posted.accepted)
        return redirect(f"/admin/coding/{slug}/statements?saved={statement.id}#statement-{statement.id}")

    def _statements(
        self,
        request: Request,
        db: DB,
        wave: Wave,
        ticked: dict[int, list[str]] | None = None,
        failed: int | None = None,
        errors: list | None = None,
        saved: int | None = None,
    ) -> Template:
        return render(
            request,
            "coding/statements.html",
            status_code=400 if errors else 200,
            wave=wave,
            progress=statement_coding.progress(db, wave),
            forms=statement_coding.statement_forms(db, wave, ticked),
            labels=self._labels(request),
            failed=failed,
            errors=errors or [],
            saved=saved,
        )

    @get("/{slug:str}/agreement", guards=[CODERS], sync_to_thread=True)
    def agreement(self, request: Request, db: DB, slug: Slug) -> Template:
        wave = _wave(db, slug)
        report = coding_reports.agreement_report(db, wave, codebook())
        return render(request, "coding/agreement.html", wave=wave, report=report, labels=self._labels(request))

    @get("/{slug:str}/terms", guards=[CODERS], sync_to_thread=True)
    def terms(self, request: Request, db: DB, slug: Slug) -> Template:
        wave = _wave(db, slug)
        found = coding_reports.terms_by_language(db, wave)
        return render(request, "coding/terms.html", wave=wave, found=found, language_name=self._language_name(request))

    @get("/{slug:str}/clouds", guards=[CODERS], sync_to_thread=True)
    def clouds(self, request: Request, db: DB, slug: Slug, code: Query[str | None] = None) -> Template:
        wave = _wave(db, slug)
        code = code if code in self._labels(request) else None
        return render(
            request,
            "coding/clouds.html",
            wave=wave,
            code=code,
            clouds=coding_reports.clouds(db, wave, code),
            groups=code_groups(codebook(), None),
            labels=self._labels(request),
            language_name=self._language_name(request),
        )

    @get("/{slug:str}/clouds/{image:str}", guards=[CODERS], sync_to_thread=True)
    def cloud(self, request: Request, db: DB, slug: Slug, image: Image, code: Query[str | None] = None) -> Response:
        wave = _wave(db, slug)
        lang, _, suffix = image.partition(".")
        png = None
        if suffix == "png" and (code is None or code in self._labels(request)):
            png = coding_reports.cloud_png(db, wave, lang, code)
        if png is None:  # too few answers (privacy), no frequent word, or no such language
            raise NotFoundException()
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, no-store"})

    def _labels(self, request: Request) -> dict[str, str]:
        ui = translator_of(request).language.code
        return {code.id: label(code, ui) for code in codebook().leaves()}

    def _language_name(self, request: Request):
        ui = translator_of(request).language
        return lambda code: language_name(code, ui)
