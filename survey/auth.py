"""Staff sign-in state and role guards; every /admin route names the roles it admits."""

from __future__ import annotations

from collections.abc import Callable

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from sqlmodel import Session

from survey.models import Role, User

SESSION_USER = "uid"
STAFF = (Role.admin, Role.coder, Role.author, Role.facilitator)

Guard = Callable[[ASGIConnection, BaseRouteHandler], None]


def current_user(connection: ASGIConnection) -> User | None:
    """The signed-in, active user (looked up once per request)."""
    if "user" in connection.state:
        return connection.state.user
    user_id = (connection.scope.get("session") or {}).get(SESSION_USER)
    user = None
    if isinstance(user_id, int):
        with Session(connection.app.state.engine, expire_on_commit=False) as db:
            user = db.get(User, user_id)
        if user is not None and not user.is_active:
            user = None
    connection.state.user = user
    return user


def require(*roles: Role) -> Guard:
    """Guard admitting signed-in users with one of ``roles``."""

    def guard(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
        user = current_user(connection)
        if user is None:
            raise NotAuthorizedException()
        if user.role not in roles:
            raise PermissionDeniedException()

    guard.roles = roles  # type: ignore[attr-defined] - lets tests check every admin route's guard
    return guard
