"""Staff accounts."""

from __future__ import annotations

from sqlmodel import Session, select

from survey.models import Role, User
from survey.security import hash_password, verify_password

MIN_PASSWORD_LENGTH = 10


class UserError(ValueError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


def add_user(session: Session, email: str, role: Role, password: str, organisation: str | None = None) -> User:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise UserError("email_invalid")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError("password_short")
    if session.exec(select(User).where(User.email == email)).first():
        raise UserError("email_taken")
    user = User(email=email, role=role, password_hash=hash_password(password), organisation=organisation or None)
    session.add(user)
    session.commit()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.is_active:
        verify_password(_DUMMY_HASH, password)  # same work either way: no user enumeration by timing
        return None
    return user if verify_password(user.password_hash, password) else None


_DUMMY_HASH = hash_password("not a real password")
