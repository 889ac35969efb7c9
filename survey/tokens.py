"""API tokens for report authors: shown once when created, kept only as a SHA-256 hash.

Tokens are 256 random bits, not chosen by people, so a plain hash is enough to make a stolen database useless
for calling the API, and lets a request's token be found with one indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlmodel import Session, select

from survey.models import ApiToken, Role, User

API_ROLES = (Role.admin, Role.author)
"""Who may hold a token and call the API."""
NAME_MAX = 100


class TokenError(ValueError):
    """A token cannot be created or revoked as asked; ``code`` names the reason for translated messages."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(db: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; the plain token is returned here and never again."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise TokenError("name_invalid")
    if user.role not in API_ROLES or not user.is_active:
        raise TokenError("role_not_allowed")
    token = secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=hash_token(token))
    db.add(row)
    db.commit()
    return row, token


def tokens(db: Session, owner: User | None = None) -> list[tuple[ApiToken, User]]:
    """Tokens with their users, newest first: one user's, or (``owner`` None) everyone's."""
    query = select(ApiToken, User).join(User, User.id == ApiToken.user_id)
    if owner is not None:
        query = query.where(ApiToken.user_id == owner.id)
    return list(db.exec(query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())).all())


def revoke_token(db: Session, token_id: int, owner: User | None = None) -> ApiToken:
    """Revoke a token for good; with ``owner`` only one of theirs (someone else's counts as not found)."""
    row = db.get(ApiToken, token_id)
    if row is None or (owner is not None and row.user_id != owner.id):
        raise TokenError("token_unknown")
    row.revoked = True
    db.add(row)
    db.commit()
    return row


def user_for_token(db: Session, token: str) -> User | None:
    """The active user holding this unrevoked token, else None."""
    row = db.exec(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked == False)  # noqa: E712 - SQL expression
    ).first()
    return row if row is not None and row.is_active else None
