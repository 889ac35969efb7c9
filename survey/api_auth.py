"""Who calls the JSON API: a bearer token, else a signed-in staff session; authors and admins only.

A request that sends an ``Authorization`` header is judged by it alone, so a bad token is refused even from a
browser that is signed in. Error details are fixed English codes for programs, never translated.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from sqlmodel import Session

from survey.auth import Guard, current_user
from survey.models import Role, User
from survey.tokens import user_for_token

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="stimmen"'}


def _refused(detail: str) -> NotAuthorizedException:
    return NotAuthorizedException(detail=detail, headers=CHALLENGE)


def api_user(connection: ASGIConnection) -> User | None:
    """The token's user, or the session's when no token is sent; raises 401 for a bad token."""
    header = connection.headers.get("authorization")
    if header is None:
        return current_user(connection)
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _refused("invalid_authorization_header")
    with Session(connection.app.state.engine, expire_on_commit=False) as db:
        user = user_for_token(db, token.strip())
    if user is None:
        raise _refused("invalid_token")
    connection.state.user = user
    return user


def require_api(*roles: Role) -> Guard:
    """Guard admitting API callers with one of ``roles``: 401 without valid credentials, 403 for other roles."""

    def guard(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
        user = api_user(connection)
        if user is None:
            raise _refused("authentication_required")
        if user.role not in roles:
            raise PermissionDeniedException(detail="role_not_allowed")

    guard.roles = roles  # type: ignore[attr-defined]
    return guard
