"""Quantitative indicator tables (KGSt-style integration monitoring) read into one long table.

Three layouts are recognised by their shape, so nobody has to say which one a file is:

**Long format** (CSV with ``,`` or ``;``, UTF-8 or latin-1, or XLSX): one row per indicator, district and
year. Column names in English or German, in any order and capitalisation:

======================  ==========================================  =========================================
column                  German names                                content
======================  ==========================================  =========================================
``indicator``           Indikator                                   name, e.g. "SGB-II-Quote Ausländer"
``field_of_action``     Handlungsfeld                               e.g. "Bildung", "Abbau von Diskriminierung"
``district``            Stadtteil, Bezirk, Stadtbezirk, Gebiet      name or official code; empty, "Gesamtstadt",
                                                                    "Stadt insgesamt", "insgesamt" or "total":
                                                                    the whole city
``district_code``       Schlüssel, Gebietsschlüssel, Kennziffer     optional official code
``year``                Jahr                                        2024 or 31.12.2024
``value``               Wert                                        1234.5, 1.234,5 or an official symbol
``missing_reason``      Grund                                       optional: why the value is missing
``unit``                Einheit                                     e.g. "%", "Personen", "m² je Person"
``target``              Zielwert                                    optional
``threshold``           Schwellenwert                               optional: the value that calls for action
``direction``           Richtung                                    "higher"/"höher ist besser" or
                                                                    "lower"/"niedriger ist besser"
``source``              Quelle                                      optional
``comment``             Bemerkung, Anmerkung                        ignored
======================  ==========================================  =========================================

Lines starting with ``#`` before the header are comments. ``indicator``, ``year`` and ``value`` are required
columns; ``field_of_action``, ``unit``, ``direction`` and ``source`` may come from keyword arguments instead,
which also fill empty cells.

**GENESIS / Destatis** table exports (``;``, decimal comma): title lines, a header block whose last lines hold
the years (``2023`` or ``31.12.2023``), then rows of region code, region name and one value per year, and a
footer after ``__________`` (symbol legend, copyright).

**Regionalstatistik** exports (regionalstatistik.de, also GENESIS): the same frame, but each row starts with
the year or reference date, then region code and name, then one or more value columns named in the header.

Official tables do not say which field of action they serve nor whether higher is better; those come from
the keyword arguments. Their symbols become missing values with the official meaning kept as the reason:
``.`` secret or unknown, ``-``/``–`` nothing, ``...`` later, ``x`` not meaningful, ``/`` not reliable.
Flags after a number (``p`` provisional, ``r`` corrected, ``s`` estimated) keep the number.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

INDICATOR_COLUMNS = [
    "indicator",
    "field_of_action",
    "district",
    "district_code",
    "year",
    "value",
    "missing_reason",
    "unit",
    "target",
    "threshold",
    "higher_is_better",
    "source",
]
MISSING_SYMBOLS = {
    ".": "Zahlenwert unbekannt oder geheim zu halten",
    "-": "nichts vorhanden",
    "–": "nichts vorhanden",
    "...": "Angabe fällt später an",
    "…": "Angabe fällt später an",
    "x": "Tabellenfach gesperrt, weil Aussage nicht sinnvoll",
    "/": "keine Angabe, da Zahlenwert nicht sicher genug",
}
"""Official statistics symbols (Zeichenerklärung of the statistical offices) and what they mean."""
CITY_WIDE = {"", "gesamtstadt", "stadt insgesamt", "insgesamt", "total", "gesamt", "stadt"}
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
"""UTF-8 (with or without byte order mark), then the Windows and ISO variants official exports use."""
ALIASES = {
    "indicator": ("indicator", "indikator", "kennzahl"),
    "field_of_action": ("field of action", "handlungsfeld"),
    "district": ("district", "stadtteil", "bezirk", "stadtbezirk", "gebiet", "sozialraum", "region"),
    "district_code": ("district code", "schlüssel", "gebietsschlüssel", "kennziffer", "regionalschlüssel", "ags"),
    "year": ("year", "jahr"),
    "value": ("value", "wert"),
    "missing_reason": ("missing reason", "grund", "grund für fehlenden wert"),
    "unit": ("unit", "einheit"),
    "target": ("target", "zielwert", "ziel"),
    "threshold": ("threshold", "schwellenwert", "schwelle"),
    "higher_is_better": ("direction", "richtung", "higher is better"),
    "source": ("source", "quelle"),
    "comment": ("comment", "bemerkung", "anmerkung"),
}
HEADER = {alias: column for column, names in ALIASES.items() for alias in names}
HIGHER = {"higher", "higher is better", "höher", "höher ist besser", "hoch", "true", "yes", "ja", "1", "+"}
LOWER = {"lower", "lower is better", "niedriger", "niedriger ist besser", "niedrig", "false", "no", "nein", "0"}
YEAR = re.compile(r"^(?:\d{1,2}\.\d{1,2}\.)?(\d{4})$")
REGION_CODE = re.compile(r"^[0-9A-Z]{1,12}$")
"""Official region keys: "DG" (Germany), "05" (a Land), "05315" (a Kreis), "05315000" (a municipality)."""
FLAGGED = re.compile(r"^(.*\d)\s*([prs])$")
GERMAN = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
ENGLISH = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")

Cell = Any
Row = tuple[int, list[Cell]]


class IndicatorError(ValueError):
    """A file that cannot be imported as it is; says where (file, line, column) so it can be fixed."""

    def __init__(self, file: str, line: int | None, column: str | None, message: str) -> None:
        self.file, self.line, self.column, self.message = file, line, column, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


def text(cell: Cell) -> str:
    """A cell as trimmed text; whole numbers from spreadsheets lose their ``.0``."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).replace("\u00a0", " ").strip()


def parse_value(cell: Cell, *, decimal_comma: bool = True) -> tuple[float, str | None]:
    """(number, None), or (NaN, reason) for an official symbol; ValueError when it is neither."""
    if isinstance(cell, int | float) and not isinstance(cell, bool) and not math.isnan(cell):
        return float(cell), None
    raw = text(cell)
    if raw in MISSING_SYMBOLS:
        return math.nan, MISSING_SYMBOLS[raw]
    flagged = FLAGGED.match(raw)
    number = (flagged.group(1) if flagged else raw).replace(" ", "")
    german, english = GERMAN.match(number), ENGLISH.match(number)
    if german and (decimal_comma or not english):
        return float(number.replace(".", "").replace(",", ".")), None
    if english:
        return float(number.replace(",", "")), None
    raise ValueError(f"{raw!r} is not a number")


def read_district_map(path: Path) -> dict[str, str]:
    """Official or municipal district codes → names, from a CSV with a header row and columns code, name."""
    rows, _ = _csv_rows(path)
    mapping: dict[str, str] = {}
    for line, cells in rows[1:]:
        values = [text(c) for c in cells]
        if len(values) < 2 or not values[0]:
            raise IndicatorError(path.name, line, None, "expected two columns: code, name")
        if values[0] in mapping:
            raise IndicatorError(path.name, line, None, f"code {values[0]!r} appears twice")
        mapping[values[0]] = values[1]
    if not mapping:
        raise IndicatorError(path.name, None, None, "the district list is empty")
    return mapping


@dataclass
class _Reader:
    """What every row needs: the file's name for errors, the district list and the caller's defaults."""

    file: str
    districts: Mapping[str, str] | None
    defaults: dict[str, Any]
    decimal_comma: bool

    def fail(self, line: int | None, column: str | None, message: str) -> IndicatorError:
        return IndicatorError(self.file, line, column, message)

    def default(self, name: str, line: int | None, column: str) -> Any:
        value = self.defaults.get(name)
        if value is None:
            raise self.fail(line, column, f"no {name.replace('_', ' ')} given (neither in the file nor as an option)")
        return value

    def value(self, cell: Cell, line: int, column: str, reason: str = "") -> tuple[float, str | None]:
        if not text(cell):
            if reason:
                return math.nan, reason
            raise self.fail(line, column, "the value is empty; use an official symbol such as '.' or give a reason")
        try:
            number, symbol_reason = parse_value(cell, decimal_comma=self.decimal_comma)
        except ValueError as exc:
            raise self.fail(line, column, str(exc)) from None
        return (number, None) if symbol_reason is None else (number, reason or symbol_reason)

    def number(self, cell: Cell, line: int, column: str) -> float | None:
        if not text(cell):
            return None
        try:
            number, reason = parse_value(cell, decimal_comma=self.decimal_comma)
        except ValueError as exc:
            raise self.fail(line, column, str(exc)) from None
        if reason:
            raise self.fail(line, column, f"{text(cell)!r} is not a number")
        return number

    def year(self, cell: Cell, line: int, column: str) -> int:
        match = YEAR.match(text(cell))
        if not match or not 1900 <= int(match.group(1)) <= 2100:
            raise self.fail(line, column, f"{text(cell)!r} is not a year")
        return int(match.group(1))

    def district(self, name: str, code: str, line: int, column: str) -> tuple[str | None, str | None]:
        """(district name or None for the whole city, code or None), checked against the district list."""
        if self.districts is None:
            return (None if name.casefold() in CITY_WIDE else name), code or None
        if not code and name in self.districts:
            code = name
        if code:
            if code not in self.districts:
                raise self.fail(line, column, f"district code {code!r} is not in the district list")
            mapped = self.districts[code]
            return (None if mapped.casefold() in CITY_WIDE else mapped), code
        if name.casefold() in CITY_WIDE:
            return None, None
        codes = {v: k for k, v in self.districts.items()}
        if name not in codes:
            raise self.fail(line, column, f"{name!r} is not a district in the district list")
        return name, codes[name]


def read_indicators(
    path: Path,
    *,
    districts: Mapping[str, str] | None = None,
    field_of_action: str | None = None,
    indicator: str | None = None,
    unit: str | None = None,
    higher_is_better: bool | None = None,
    source: str | None = None,
) -> pd.DataFrame:
    """One row per indicator, district and year in :data:`INDICATOR_COLUMNS`; raises :class:`IndicatorError`."""
    path = Path(path)
    is_excel = path.suffix.lower() in (".xlsx", ".xlsm", ".xls")
    rows, separator = (_excel_rows(path), "") if is_excel else _csv_rows(path)
    rows = [(line, cells) for line, cells in rows if any(text(c) for c in cells)]
    while rows and text(rows[0][1][0]).startswith("#"):
        rows.pop(0)
    if not rows:
        raise IndicatorError(path.name, None, None, "the file is empty")
    defaults = {
        "field_of_action": field_of_action or None,
        "indicator": indicator or None,
        "unit": unit or None,
        "higher_is_better": higher_is_better,
        "source": source or None,
    }
    reader = _Reader(path.name, districts, defaults, decimal_comma=separator != ",")
    header = [_normalise(text(c)) for c in rows[0][1]]
    if sum(name in HEADER for name in header) >= 2:
        records = _read_long(reader, rows)
    elif _is_official(rows):
        records = _read_official(reader, rows)
    else:
        raise reader.fail(
            None, None, "unknown layout: neither the long format (indicator, year, value …) nor a GENESIS table"
        )
    return indicator_table(records)


def indicator_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a frame in :data:`INDICATOR_COLUMNS`: numbers as floats, missing text as None (never NaN)."""
    frame = pd.DataFrame.from_records(records, columns=INDICATOR_COLUMNS)
    frame["year"] = frame["year"].astype(int)
    for column in ("value", "target", "threshold"):
        frame[column] = frame[column].astype(float)
    frame["higher_is_better"] = frame["higher_is_better"].astype(bool)
    for column in ("indicator", "field_of_action", "district", "district_code", "missing_reason", "unit", "source"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def _normalise(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", name.casefold()).strip()


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise IndicatorError(path.name, None, None, "not a text file in UTF-8 or latin-1 (wrong encoding?)")
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IndicatorError(path.name, None, None, "unreadable encoding")  # latin-1 decodes anything


def _csv_rows(path: Path) -> tuple[list[Row], str]:
    """Rows with their line numbers, and the separator (``;`` unless commas are clearly more frequent)."""
    content = _decode(path)
    sample = [line for line in content.splitlines() if line.strip() and not line.startswith("#")][:20]
    separator = ";" if sum(line.count(";") for line in sample) >= sum(line.count(",") for line in sample) else ","
    reader = csv.reader(content.splitlines(), delimiter=separator)
    rows = [(reader.line_num, [cell.strip() for cell in cells] or [""]) for cells in reader]
    return rows, separator


def _excel_rows(path: Path) -> list[Row]:
    try:
        sheet = pd.read_excel(path, engine="calamine", header=None, dtype=object)
    except Exception as exc:  # calamine raises its own error types for broken or foreign files
        raise IndicatorError(path.name, None, None, f"not a readable XLSX file ({exc})") from None
    return [(number + 1, list(cells)) for number, cells in enumerate(sheet.itertuples(index=False, name=None))]


def _read_long(reader: _Reader, rows: list[Row]) -> list[dict[str, Any]]:
    header_line, header_cells = rows[0]
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    for index, cell in enumerate(header_cells):
        name = text(cell)
        if not name:
            continue
        column = HEADER.get(_normalise(name))
        if column is None:
            raise reader.fail(header_line, name, "unknown column (see the documented long format)")
        if column in positions:
            raise reader.fail(header_line, name, f"a second column for {column!r}")
        positions[column], names[column] = index, name
    for required in ("year", "value"):
        if required not in positions:
            raise reader.fail(header_line, None, f"the header has no column {required!r}")

    def name(column: str) -> str:
        return names.get(column, column)

    records = []
    seen: dict[tuple[str, str | None, int], int] = {}
    for line, cells in rows[1:]:

        def cell(column: str, cells: list[Cell] = cells) -> Cell:
            index = positions.get(column)
            return cells[index] if index is not None and index < len(cells) else ""

        def given(column: str, line: int = line) -> Any:
            return text(cell(column)) or reader.default(column, line, name(column))

        raw_direction = text(cell("higher_is_better"))
        record = {
            "indicator": given("indicator"),
            "field_of_action": given("field_of_action"),
            "year": reader.year(cell("year"), line, name("year")),
            "unit": text(cell("unit")) or reader.defaults["unit"],
            "target": reader.number(cell("target"), line, name("target")),
            "threshold": reader.number(cell("threshold"), line, name("threshold")),
            "higher_is_better": _direction(reader, raw_direction, line, name("higher_is_better")),
            "source": text(cell("source")) or reader.defaults["source"],
        }
        record["district"], record["district_code"] = reader.district(
            text(cell("district")), text(cell("district_code")), line, name("district")
        )
        record["value"], record["missing_reason"] = reader.value(
            cell("value"), line, name("value"), text(cell("missing_reason"))
        )
        _check_unique(reader, seen, record, line)
        records.append(record)
    if not records:
        raise reader.fail(None, None, "the file has a header but no rows")
    return records


def _direction(reader: _Reader, raw: str, line: int, column: str) -> bool:
    if not raw:
        return reader.default("higher_is_better", line, column)
    if raw.casefold() in HIGHER:
        return True
    if raw.casefold() in LOWER:
        return False
    raise reader.fail(
        line, column, f"{raw!r} is neither 'higher' (höher ist besser) nor 'lower' (niedriger ist besser)"
    )


def _check_unique(reader: _Reader, seen: dict, record: dict[str, Any], line: int) -> None:
    key = (record["indicator"], record["district"], record["year"])
    if key in seen:
        raise reader.fail(
            line,
            None,
            f"{record['indicator']!r} for {record['district'] or 'the whole city'} in {record['year']} "
            f"appears twice (also line {seen[key]})",
        )
    seen[key] = line


def _is_official(rows: list[Row]) -> bool:
    first = text(rows[0][1][0]).casefold()
    return first.startswith("genesis") or any(text(cells[0]).startswith("___") for _, cells in rows)


def _is_year(cell: Cell) -> bool:
    return bool(YEAR.match(text(cell)))


def _read_official(reader: _Reader, rows: list[Row]) -> list[dict[str, Any]]:
    """GENESIS-Online (years across) and Regionalstatistik (a year column) exports."""
    footer = next((i for i, (_, cells) in enumerate(rows) if text(cells[0]).startswith("___")), len(rows))
    body, tail = rows[:footer], rows[footer:]
    titles = [text(cells[0]) for _, cells in body if not any(text(c) for c in cells[1:])]
    base = reader.defaults["indicator"] or next((t for t in titles if not t.casefold().startswith("genesis")), "")
    base = base.rstrip(" -:;,") or reader.default("indicator", None, "indicator")
    copyright_line = next((text(c[0]) for _, c in tail if "opyright" in text(c[0]) or "©" in text(c[0])), "")
    source = reader.defaults["source"] or "; ".join(t for t in (titles[0] if titles else "", copyright_line) if t)
    field = reader.default("field_of_action", None, "field_of_action")
    direction = reader.default("higher_is_better", None, "direction")
    meta = {"field_of_action": field, "unit": reader.defaults["unit"], "higher_is_better": direction}
    meta |= {"source": source or None, "target": None, "threshold": None}
    first_data = next(
        (i for i, (_, c) in enumerate(body) if _is_year(c[0]) and len(c) > 3 and REGION_CODE.match(text(c[1]))), None
    )
    if first_data is not None:
        return _year_rows(reader, body[:first_data], body[first_data:], base, meta)
    header_end = next((i for i, (_, c) in enumerate(body) if not text(c[0]) and any(_is_year(x) for x in c[2:])), None)
    if header_end is None:
        raise reader.fail(None, None, "unknown layout: a GENESIS table, but neither a year column nor years as columns")
    return _years_across(reader, body[header_end:], base, meta)


def _labels(header: list[Row], start: int, width: int) -> list[list[str]]:
    """Each value column's name parts from the header block, spanning labels carried to the right."""
    parts: list[list[str]] = [[] for _ in range(width)]
    for _, cells in header:
        if not any(text(c) for c in cells[1:]):
            continue  # a title line
        carried = ""
        for index in range(start, width):
            label = text(cells[index]) if index < len(cells) else ""
            carried = label or carried
            if carried and carried not in parts[index]:
                parts[index].append(carried)
    return parts


def _name(base: str, suffix: list[str]) -> str:
    suffix = [s for s in suffix if s]
    return f"{base}: {' '.join(suffix)}" if suffix else base


def _year_rows(
    reader: _Reader, header: list[Row], data: list[Row], base: str, meta: dict[str, Any]
) -> list[dict[str, Any]]:
    """Regionalstatistik: year; code; name; [label columns;] value columns named in the header block."""
    width = max(len(cells) for _, cells in data)
    labels = _labels(header, 3, width)
    value_columns = [i for i in range(3, width) if labels[i]]
    if not value_columns:
        raise reader.fail(None, None, "the header block names no value column")
    label_columns = [i for i in range(3, width) if not labels[i]]
    shared = [p for p in labels[value_columns[0]] if all(p in labels[i] for i in value_columns)]
    records: list[dict[str, Any]] = []
    seen: dict = {}
    for line, cells in data:
        cells = cells + [""] * (width - len(cells))
        year = reader.year(cells[0], line, "year")
        district = reader.district(text(cells[2]), text(cells[1]), line, "region code")
        for index in value_columns:
            differs = [p for p in labels[index] if p not in shared]
            name = _name(base, [text(cells[i]) for i in label_columns] + differs)
            column = " ".join(labels[index])
            records.append(_official_record(reader, seen, meta, name, district, year, cells[index], line, column))
    return records


def _years_across(reader: _Reader, block: list[Row], base: str, meta: dict[str, Any]) -> list[dict[str, Any]]:
    """GENESIS-Online: code; name; [label columns;] one column per year after a header line of years."""
    _, year_cells = block[0]
    years = {i: reader.year(c, block[0][0], text(c)) for i, c in enumerate(year_cells) if _is_year(c)}
    first_year = min(years)
    records: list[dict[str, Any]] = []
    seen: dict = {}
    for line, cells in block[1:]:
        if not text(cells[0]):
            continue  # the unit line under the years
        cells = cells + [""] * (max(years) + 1 - len(cells))
        district = reader.district(text(cells[1]), text(cells[0]), line, "region code")
        name = _name(base, [text(c) for c in cells[2:first_year]])
        for index, year in years.items():
            column = text(year_cells[index])
            records.append(_official_record(reader, seen, meta, name, district, year, cells[index], line, column))
    if not records:
        raise reader.fail(None, None, "the table has no data rows")
    return records


def _official_record(
    reader: _Reader,
    seen: dict,
    meta: dict[str, Any],
    name: str,
    district: tuple[str | None, str | None],
    year: int,
    cell: Cell,
    line: int,
    column: str,
) -> dict[str, Any]:
    value, reason = reader.value(cell, line, column)
    record = {"indicator": name, "district": district[0], "district_code": district[1], "year": year}
    record |= {"value": value, "missing_reason": reason, **meta}
    _check_unique(reader, seen, record, line)
    return record
