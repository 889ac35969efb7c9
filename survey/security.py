"""Passwords, receipt codes and the keys derived from the server secret."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from survey.models import ServerSetting

_hasher = PasswordHasher()

# No 0/O, 1/I/L: codes are read off paper and typed on phones.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_GROUPS, RECEIPT_GROUP_LENGTH = 3, 4


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_receipt_code() -> str:
    """About 59 bits of randomness, grouped for reading aloud: ``K7QX-M3PA-9TZD``."""
    groups = (
        "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_GROUP_LENGTH)) for _ in range(RECEIPT_GROUPS)
    )
    return "-".join(groups)


def normalise_receipt_code(raw: str) -> str | None:
    """Accept what people type (lower case, spaces, missing dashes); None if it cannot be a code."""
    compact = "".join(ch for ch in raw.upper() if ch.isalnum())
    if len(compact) != RECEIPT_GROUPS * RECEIPT_GROUP_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in compact):
        return None
    step = RECEIPT_GROUP_LENGTH
    return "-".join(compact[i : i + step] for i in range(0, len(compact), step))


def hash_receipt_code(code: str) -> str:
    """Codes are random, not chosen by people, so a plain hash keeps them out of the database safely."""
    return hashlib.sha256(f"stimmen-receipt:{code}".encode()).hexdigest()


def derive_key(secret: str, purpose: str, length: int = 32) -> bytes:
    """Separate keys per purpose from the one configured secret."""
    return hashlib.sha256(f"{purpose}:{secret}".encode()).digest()[:length]


def server_secret(engine: Engine, configured: str) -> str:
    """The configured secret, else one generated on first start and kept in the database.

    Keeping it means a restart or a second worker never logs people out or strands a half-finished survey.
    """
    if configured:
        return configured
    with Session(engine) as session:
        stored = session.get(ServerSetting, "secret_key")
        if stored is not None:
            return stored.value
        session.add(ServerSetting(key="secret_key", value=secrets.token_urlsafe(48)))
        try:
            session.commit()
        except IntegrityError:  # another worker was first
            session.rollback()
        return session.get(ServerSetting, "secret_key").value
