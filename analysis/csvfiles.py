"""Reading answer tables exported by other survey tools (LimeSurvey, KoboToolbox …) without surprises."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

ENCODINGS = ("utf-8-sig", "latin-1")
"""UTF-8 with or without a byte order mark first; latin-1 (never fails) for old Windows exports."""


def split_codes(cell: str) -> frozenset[str]:
    """Code ids from a ';'-separated cell, as ``stimmen code`` writes them ("" is no code)."""
    return frozenset(part.strip() for part in cell.split(";") if part.strip())


class TableError(ValueError):
    """The file cannot be read as an answer table; the message says why and what to do."""


def read_table(path: Path, required: list[str]) -> pd.DataFrame:
    """All columns as text (never "NA" turned into a missing value); ``required`` columns must exist."""
    raw = path.read_bytes()
    if not raw.strip():
        raise TableError(f"{path} is empty")
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        separator = dialect.delimiter
    except csv.Error:
        separator = ","
    try:
        frame = pd.read_csv(path, sep=separator, dtype=str, keep_default_na=False, encoding=encoding, index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise TableError(f"{path} is not a readable CSV table: {exc}") from None
    if frame.empty:
        raise TableError(f"{path} has a header but no rows")
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise TableError(
            f"{path} has no column {', '.join(repr(c) for c in missing)}; its columns are: "
            + ", ".join(repr(c) for c in frame.columns)
        )
    return frame
