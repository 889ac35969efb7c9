"""XLSForm names → Stimmen identifiers (lowercase letters, digits and ``_``, starting with a letter).

XLSForm allows ``Q1``, ``age-group`` or choice names like ``1``; Stimmen stores answers under ids that
skip logic can name, so such names are rewritten once, predictably, and the author is told.
"""

from __future__ import annotations

import re

from survey.questionnaire.loader import RESERVED_IDS

MAX_LENGTH = 60


def identifier(name: str, prefix: str) -> str:
    """``Q1`` → ``q1``; ``1`` → ``<prefix>1``; reserved words (``value``, ``count``) get the prefix too."""
    text = re.sub(r"[^a-z0-9_]+", "_", name.strip().lower()).strip("_")
    text = re.sub(r"_+", "_", text)
    if not text or not text[0].isalpha() or text in RESERVED_IDS:
        text = f"{prefix}{text}"
    return text[:MAX_LENGTH].rstrip("_")


def questionnaire_id(name: str) -> str:
    """Questionnaire ids use hyphens: ``Belonging_Survey`` → ``belonging-survey``."""
    text = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")
    if not text or not text[0].isalpha():
        text = f"form-{text}".rstrip("-")
    return text[:100].rstrip("-")
