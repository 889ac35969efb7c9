"""API tokens in the admin area: authors manage their own, admins see and revoke everyone's.

A new token is shown once, on the page that answers the creating POST, and never stored in plain text.
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.exceptions import NotAuthorizedException
from litestar.response import Redirect, Template

from survey.auth import current_user, require
from survey.models import Role, User
from survey.tokens import API_ROLES, NAME_MAX, TokenError, create_token, revoke_token, tokens
from survey.web import DB, Form, form_value, redirect, render

TOKEN_HOLDERS = require(*API_ROLES)


def _user(request: Request) -> User:
    user = current_user(request)
    if user is None:  # the guard admits only signed-in users
        raise NotAuthorizedException()
    return user


class TokenController(Controller):
    path = "/admin/tokens"

    @get("/", guards=[TOKEN_HOLDERS], sync_to_thread=True)
    def index(self, request: Request, db: DB) -> Template:
        return self._page(request, db)

    @post("/", guards=[TOKEN_HOLDERS], sync_to_thread=True)
    def create(self, request: Request, db: DB, data: Form) -> Template:
        name = form_value(data, "name")
        try:
            row, plain = create_token(db, _user(request), name)
        except TokenError as exc:
            return self._page(request, db, error=exc.code, name=name, status_code=400)
        return self._page(request, db, created=row, plain=plain)

    @post("/revoke", guards=[TOKEN_HOLDERS], sync_to_thread=True)
    def revoke(self, request: Request, db: DB, data: Form) -> Template | Redirect:
        user = _user(request)
        raw = form_value(data, "id")
        try:
            token_id = int(raw) if raw.isdigit() and len(raw) <= 9 else -1  # fits every database's integer
            revoke_token(db, token_id, None if user.role == Role.admin else user)
        except TokenError as exc:
            return self._page(request, db, error=exc.code, status_code=400)
        return redirect("/admin/tokens")

    def _page(self, request: Request, db: DB, *, status_code: int = 200, **context: object) -> Template:
        user = _user(request)
        rows = tokens(db, None if user.role == Role.admin else user)
        context = {"created": None, "plain": None, "error": None, "name": "", **context}
        return render(request, "tokens/index.html", status_code=status_code, rows=rows, name_max=NAME_MAX, **context)
