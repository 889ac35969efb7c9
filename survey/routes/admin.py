"""Administration: sign-in, dashboard, waves and users. Every handler is guarded by role."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template
from sqlmodel import select

from survey.auth import SESSION_USER, STAFF, require
from survey.models import Role, User, Wave
from survey.questionnaire import QuestionnaireError
from survey.users import UserError, add_user, authenticate
from survey.waves import WaveError, create_wave, status_counts, wave_by_slug
from survey.web import DB, Form, Query, Slug, form_value, languages_of, redirect, render, settings_of

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}$")


def _safe_next(target: str) -> str:
    """Only ever return to a page of this admin area (no open redirect)."""
    return target if target.startswith("/admin") and not target.startswith("//") else "/admin"


class AuthController(Controller):
    path = "/admin"

    @get("/login", sync_to_thread=False)
    def login_form(self, request: Request, next: Query[str] = "/admin") -> Template:
        return render(request, "admin/login.html", next=_safe_next(next), error=False, email="")

    @post("/login", sync_to_thread=True)
    def login(self, request: Request, db: DB, data: Form) -> Template | Redirect:
        user = authenticate(db, form_value(data, "email"), form_value(data, "password"))
        target = _safe_next(form_value(data, "next"))
        if user is None:
            return render(
                request, "admin/login.html", status_code=400, next=target, error=True, email=form_value(data, "email")
            )
        request.set_session({SESSION_USER: user.id})
        return redirect(target)

    @post("/logout", sync_to_thread=False, guards=[require(*STAFF)])
    def logout(self, request: Request) -> Redirect:
        request.clear_session()
        return redirect("/admin/login")


def _questionnaire_files(request: Request) -> list[str]:
    return sorted(path.name for path in settings_of(request).questionnaires_dir.glob("*.yaml"))


def _parse_date(raw: str) -> date | None:
    return date.fromisoformat(raw) if raw else None


class AdminController(Controller):
    path = "/admin"

    @get("/", guards=[require(*STAFF)], sync_to_thread=True)
    def dashboard(self, request: Request, db: DB) -> Template:
        waves = db.exec(select(Wave).order_by(Wave.created_at.desc())).all()
        return render(request, "admin/dashboard.html", waves=waves, counts=status_counts(db))

    @get("/waves/new", guards=[require(Role.admin)], sync_to_thread=False)
    def new_wave(self, request: Request) -> Template:
        return self._wave_form(request, {}, {})

    def _wave_form(
        self, request: Request, data: dict[str, Any], errors: dict[str, str], status_code: int = 200
    ) -> Template:
        return render(
            request,
            "admin/wave_new.html",
            status_code=status_code,
            data=data,
            errors=errors,
            files=_questionnaire_files(request),
            all_languages=languages_of(request),
        )

    @get("/waves", guards=[require(Role.admin)], sync_to_thread=False)
    def waves_form_again(self, lang: Query[str | None] = None) -> Redirect:
        """The wave form's address after an error; switching language there reloads the empty form."""
        return redirect("/admin/waves/new" + (f"?lang={lang}" if lang else ""))

    @post("/waves", guards=[require(Role.admin)], sync_to_thread=True)
    def create(self, request: Request, db: DB, data: Form) -> Template | Redirect:
        errors: dict[str, str] = {}
        slug, title = form_value(data, "slug"), form_value(data, "title")
        if not SLUG.match(slug):
            errors["slug"] = "slug_invalid"
        if not title:
            errors["title"] = "title_missing"
        districts = [line.strip() for line in form_value(data, "districts").splitlines() if line.strip()]
        if not districts:
            errors["districts"] = "districts_missing"
        languages = data.get("languages", [])
        languages = [languages] if isinstance(languages, str) else languages
        languages = [code for code in languages if code in languages_of(request)]
        filename = form_value(data, "questionnaire")
        path = settings_of(request).questionnaires_dir / filename
        if filename not in _questionnaire_files(request):
            errors["questionnaire"] = "questionnaire_missing"
        try:
            opens_on, closes_on = _parse_date(form_value(data, "opens_on")), _parse_date(form_value(data, "closes_on"))
        except ValueError:
            errors["opens_on"] = "date_invalid"
            opens_on = closes_on = None
        try:
            min_cell = int(form_value(data, "min_cell_size") or 5)
        except ValueError:
            min_cell = 0
        if not 3 <= min_cell <= 100:
            errors["min_cell_size"] = "min_cell_invalid"
        if not errors:
            try:
                wave = create_wave(
                    db,
                    questionnaire_path=path,
                    slug=slug,
                    title=title,
                    districts=list(dict.fromkeys(districts)),
                    languages=languages,
                    opens_on=opens_on,
                    closes_on=closes_on,
                    min_cell_size=min_cell,
                    is_open=form_value(data, "is_open") == "yes",
                )
            except WaveError as exc:
                errors["slug" if exc.code == "slug_taken" else "form"] = exc.code
                db.rollback()
            except QuestionnaireError:
                errors["questionnaire"] = "questionnaire_broken"
                db.rollback()
            else:
                return redirect(f"/admin/waves/{wave.slug}")
        return self._wave_form(request, data, errors, status_code=400)

    @get("/waves/{slug:str}", guards=[require(Role.admin, Role.author)], sync_to_thread=True)
    def wave(self, request: Request, db: DB, slug: Slug) -> Template:
        wave = wave_by_slug(db, slug)
        if wave is None:
            raise NotFoundException()
        return render(request, "admin/wave.html", wave=wave, counts=status_counts(db).get(wave.id, {}))

    @post("/waves/{slug:str}/open", guards=[require(Role.admin)], sync_to_thread=True)
    def open(self, db: DB, slug: Slug) -> Redirect:
        return self._set_open(db, slug, True)

    @post("/waves/{slug:str}/close", guards=[require(Role.admin)], sync_to_thread=True)
    def close(self, db: DB, slug: Slug) -> Redirect:
        return self._set_open(db, slug, False)

    def _set_open(self, db: DB, slug: Slug, is_open: bool) -> Redirect:
        wave = wave_by_slug(db, slug)
        if wave is None:
            raise NotFoundException()
        wave.is_open = is_open
        db.add(wave)
        db.commit()
        return redirect(f"/admin/waves/{slug}")

    @get("/users", guards=[require(Role.admin)], sync_to_thread=True)
    def users(self, request: Request, db: DB) -> Template:
        return self._users_page(request, db, {}, None)

    def _users_page(
        self, request: Request, db: DB, data: dict[str, Any], error: str | None, status_code: int = 200
    ) -> Template:
        users = db.exec(select(User).order_by(User.email)).all()
        return render(
            request, "admin/users.html", status_code=status_code, users=users, roles=list(Role), data=data, error=error
        )

    @post("/users", guards=[require(Role.admin)], sync_to_thread=True)
    def add(self, request: Request, db: DB, data: Form) -> Template | Redirect:
        try:
            role = Role(form_value(data, "role"))
            add_user(
                db, form_value(data, "email"), role, form_value(data, "password"), form_value(data, "organisation")
            )
        except ValueError as exc:
            db.rollback()
            code = exc.code if isinstance(exc, UserError) else "role_invalid"
            return self._users_page(request, db, {k: v for k, v in data.items() if k != "password"}, code, 400)
        return redirect("/admin/users")
