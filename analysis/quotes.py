"""Voices for the report: a few quotable answers per field of action, personal data masked.

Only answers a coder approved for quoting and whose author consented (``quotable``) are candidates. The choice
is deterministic (ordered by a hash of the answer id, not by position, so early answers are not favoured)
and spreads over languages and over strengths and barriers, so a field never shows only hardship.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import pandas as pd
from babel import Locale, UnknownLocaleError

from analysis.privacy import ENGLISH_PLACEHOLDERS, mask_personal_data
from analysis.report_model import Quote

MAX_QUOTES = 3
CANDIDATES = 200
"""Candidates looked at per field: enough to find different languages and kinds, bounded for large waves."""


def quotable_answers(texts: pd.DataFrame) -> pd.DataFrame:
    """Quotable answers in the deterministic order, each text once."""
    quotable = texts.loc[texts["quotable"].fillna(False).astype(bool), ["answer_id", "text", "language"]]
    order = pd.util.hash_pandas_object(quotable["answer_id"].astype(str), index=False).to_numpy()
    return quotable.iloc[order.argsort(kind="stable")].drop_duplicates("text")


def choose_quotes(
    quotable: pd.DataFrame,
    accepted: pd.DataFrame,
    field_codes: Collection[str],
    kind: Callable[[str], str],
    language: str,
) -> list[Quote]:
    """Up to three answers with an accepted code of the field, each adding a new kind or language if it can."""
    answers = accepted.loc[accepted["code"].isin(field_codes), ["answer_id", "code"]]
    rows = quotable[quotable["answer_id"].isin(answers["answer_id"])].head(CANDIDATES)
    codes = answers[answers["answer_id"].isin(rows["answer_id"])].groupby("answer_id")["code"].agg(sorted)
    remaining = [(row, codes[row.answer_id]) for row in rows.itertuples(index=False)]
    chosen: list[tuple] = []
    languages: set[str] = set()
    kinds: set[str] = set()
    while remaining and len(chosen) < MAX_QUOTES:

        def novelty(candidate: tuple, languages: set[str] = languages, kinds: set[str] = kinds) -> int:
            row, row_codes = candidate
            return (2 if {kind(code) for code in row_codes} - kinds else 0) + (row.language not in languages)

        best = max(remaining, key=novelty)  # max keeps the first of equals: the choice stays deterministic
        remaining.remove(best)
        chosen.append(best)
        languages.add(best[0].language)
        kinds.update(kind(code) for code in best[1])
    placeholders = ENGLISH_PLACEHOLDERS if language == "en" else None
    return [
        Quote(
            text=mask_personal_data(row.text, row.language, placeholders=placeholders),
            language=str(row.language),
            language_name=language_name(str(row.language), language),
            codes=row_codes,
        )
        for row, row_codes in chosen
    ]


def language_name(code: str, in_language: str) -> str:
    """ "Türkisch" for ``tr`` in a German report; the code itself when Babel does not know it."""
    try:
        names = Locale.parse(in_language).languages
    except (UnknownLocaleError, ValueError):
        return code
    return names.get(code.replace("-", "_"), names.get(code.split("-")[0], code))
