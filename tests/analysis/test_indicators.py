"""Reading indicator tables: the long format (CSV, XLSX) and official GENESIS / Regionalstatistik exports."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from analysis.indicators import (
    INDICATOR_COLUMNS,
    IndicatorError,
    parse_value,
    read_district_map,
    read_indicators,
)

DATA = Path(__file__).parent.parent / "data" / "indicators"
OFFICIAL = {"field_of_action": "Arbeit und Beschäftigung", "unit": "%", "higher_is_better": False}


def _row(frame, indicator: str, district: str | None, year: int):
    match = frame[(frame.indicator == indicator) & (frame.year == year)]
    match = match[match.district.isna()] if district is None else match[match.district == district]
    assert len(match) == 1, match
    return match.iloc[0]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1.234,5", 1234.5), ("12,4", 12.4), ("11,2p", 11.2), ("4,9 r", 4.9), ("7 s", 7.0), ("-3,5", -3.5), (2.5, 2.5)],
)
def test_german_numbers_and_flags(cell: object, expected: float) -> None:
    assert parse_value(cell) == (expected, None)


def test_decimal_point_files_read_english_numbers() -> None:
    assert parse_value("1,234.5", decimal_comma=False) == (1234.5, None)
    assert parse_value("12.5", decimal_comma=False) == (12.5, None)
    assert parse_value("1.234", decimal_comma=True) == (1234.0, None)


@pytest.mark.parametrize(
    ("symbol", "reason"),
    [
        (".", "Zahlenwert unbekannt oder geheim zu halten"),
        ("-", "nichts vorhanden"),
        ("–", "nichts vorhanden"),
        ("...", "Angabe fällt später an"),
        ("x", "Tabellenfach gesperrt, weil Aussage nicht sinnvoll"),
        ("/", "keine Angabe, da Zahlenwert nicht sicher genug"),
    ],
)
def test_official_symbols_are_missing_with_a_reason_never_zero(symbol: str, reason: str) -> None:
    value, why = parse_value(symbol)
    assert math.isnan(value)
    assert why == reason


def test_long_csv_with_semicolons_decimal_comma_and_german_headers() -> None:
    frame = read_indicators(DATA / "long_semikolon.csv")
    assert list(frame.columns) == INDICATOR_COLUMNS
    assert len(frame) == 5
    hafen = _row(frame, "SGB-II-Quote Ausländer", "Hafen", 2024)
    assert hafen.value == 1021.5
    assert (hafen.unit, hafen.target, hafen.threshold, hafen.source) == ("%", 15.0, 20.0, "Jobcenter")
    assert not hafen.higher_is_better
    city = _row(frame, "SGB-II-Quote Ausländer", None, 2024)  # "Gesamtstadt"
    assert city.value == 19.1
    secret = _row(frame, "Einbürgerungsquote", None, 2025)  # empty district: the whole city
    assert math.isnan(secret.value)
    assert secret.missing_reason == "Zahlenwert unbekannt oder geheim zu halten"
    assert bool(secret.higher_is_better)
    assert math.isnan(secret.threshold)


def test_long_xlsx_with_english_headers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Indicator", "Field of action", "District", "Year", "Value", "Unit", "Target", "Direction"])
    sheet.append(
        ["Einbürgerungsquote", "Politische Teilhabe und Einbürgerung", "Hafen", 2024, 1.75, "%", 2.5, "higher"]
    )
    sheet.append(
        ["Einbürgerungsquote", "Politische Teilhabe und Einbürgerung", "Total", 2024, "2,1", "%", 2.5, "higher"]
    )
    sheet.append(
        ["Einbürgerungsquote", "Politische Teilhabe und Einbürgerung", "Hafen", 2025, "...", "%", None, "higher"]
    )
    book.save(tmp_path / "werte.xlsx")
    frame = read_indicators(tmp_path / "werte.xlsx")
    assert _row(frame, "Einbürgerungsquote", "Hafen", 2024).value == 1.75
    assert _row(frame, "Einbürgerungsquote", None, 2024).value == 2.1
    later = _row(frame, "Einbürgerungsquote", "Hafen", 2025)
    assert later.missing_reason == "Angabe fällt später an"
    assert frame["year"].tolist() == [2024, 2024, 2025]


def test_xlsx_errors_name_the_spreadsheet_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["indicator", "field_of_action", "year", "value", "direction"])
    sheet.append(["A", "Bildung", 2024, 1, "higher"])
    sheet.append(["A", "Bildung", "zwanzig", 1, "higher"])
    book.save(tmp_path / "kaputt.xlsx")
    with pytest.raises(IndicatorError) as caught:
        read_indicators(tmp_path / "kaputt.xlsx")
    assert str(caught.value) == "kaputt.xlsx, line 3, column 'year': 'zwanzig' is not a year"


def test_genesis_export_with_years_across_symbols_and_district_codes() -> None:
    districts = read_district_map(DATA / "districts.csv")
    frame = read_indicators(DATA / "genesis_arbeitslosenquote.csv", districts=districts, **OFFICIAL)
    assert len(frame) == 4 * 2 * 3  # 3 districts + city, foreigners and Germans, 3 years
    foreigners = "Arbeitslosenquote aller zivilen Erwerbspersonen: Stadtteile: Ausländer"
    assert set(frame.indicator) == {foreigners, foreigners.replace("Ausländer", "Deutsche")}
    altstadt = _row(frame, foreigners, "Altstadt", 2025)
    assert (altstadt.value, altstadt.district_code) == (11.2, "05999001")  # "11,2p": provisional
    assert _row(frame, foreigners, None, 2023).value == 1234.5  # "Stadt insgesamt", "1.234,5"
    reasons = {
        ("Hafen", 2024): "Zahlenwert unbekannt oder geheim zu halten",
        ("Westend", 2024): "nichts vorhanden",
        ("Westend", 2025): "Angabe fällt später an",
    }
    for (district, year), reason in reasons.items():
        row = _row(frame, foreigners, district, year)
        assert math.isnan(row.value)
        assert row.missing_reason == reason
    germans = foreigners.replace("Ausländer", "Deutsche")
    assert _row(frame, germans, "Westend", 2024).missing_reason.startswith("Tabellenfach gesperrt")
    assert _row(frame, germans, "Westend", 2025).missing_reason.startswith("keine Angabe")
    assert _row(frame, germans, "Altstadt", 2024).value == 4.9  # "4,9r": corrected
    assert not frame.higher_is_better.any()
    assert frame.source.iloc[0].startswith("GENESIS-Tabelle: 13211-9001; © Statistisches Bundesamt")
    assert frame.value.isna().sum() == 6  # symbols are missing, never zero
    assert (frame.value.fillna(-1) != 0).all()


def test_regionalstatistik_latin1_with_header_and_footer_and_own_district_numbers() -> None:
    raw = (DATA / "regionalstatistik_auslaender.csv").read_bytes()
    assert "Ausländer".encode("latin-1") in raw  # the file really is latin-1
    districts = read_district_map(DATA / "districts_numbers.csv")
    frame = read_indicators(
        DATA / "regionalstatistik_auslaender.csv",
        districts=districts,
        field_of_action="Zusammenleben und Teilhabe",
        unit="Personen",
        higher_is_better=True,
    )
    base = "Ausländer nach Geschlecht - Stichtag 31.12."
    assert set(frame.indicator) == {f"{base}: Insgesamt", f"{base}: männlich", f"{base}: weiblich"}
    assert sorted(frame.year.unique()) == [2023, 2024]
    assert _row(frame, f"{base}: Insgesamt", "Hafen", 2024).value == 4305
    assert _row(frame, f"{base}: Insgesamt", None, 2023).value == 7452  # code 00 → "Stadt insgesamt"
    westend = _row(frame, f"{base}: männlich", "Westend", 2023)
    assert math.isnan(westend.value)
    assert westend.missing_reason == "Zahlenwert unbekannt oder geheim zu halten"
    assert westend.district_code == "03"
    assert frame.source.iloc[0] == (
        "GENESIS-Tabelle: 12521-01-02-4; (C)opyright Statistische Ämter des Bundes und der Länder, 2025"
    )


def test_official_table_takes_indicator_name_and_source_from_the_caller() -> None:
    frame = read_indicators(
        DATA / "regionalstatistik_auslaender.csv",
        indicator="Ausländerinnen und Ausländer",
        source="Regionalstatistik",
        field_of_action="Zusammenleben und Teilhabe",
        higher_is_better=True,
    )
    assert "Ausländerinnen und Ausländer: Insgesamt" in set(frame.indicator)
    assert set(frame.source) == {"Regionalstatistik"}
    assert _row(frame, "Ausländerinnen und Ausländer: Insgesamt", "Altstadt", 2023).district_code == "01"


def test_official_table_needs_field_of_action_and_direction() -> None:
    with pytest.raises(IndicatorError, match="no field of action"):
        read_indicators(DATA / "genesis_arbeitslosenquote.csv", higher_is_better=False)
    with pytest.raises(IndicatorError, match="no higher is better"):
        read_indicators(DATA / "genesis_arbeitslosenquote.csv", field_of_action="Arbeit und Beschäftigung")


def test_district_code_not_in_the_map_names_the_line() -> None:
    districts = {"05999001": "Altstadt", "05999002": "Hafen"}
    with pytest.raises(IndicatorError) as caught:
        read_indicators(DATA / "genesis_arbeitslosenquote.csv", districts=districts, **OFFICIAL)
    assert (caught.value.line, caught.value.column) == (13, "region code")
    assert "'05999003'" in caught.value.message


def _write(tmp_path: Path, content: str, name: str = "indicators.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return path


HEAD = "indicator;field_of_action;district;year;value;unit;direction\n"
GOOD = "Einbürgerungsquote;Politische Teilhabe und Einbürgerung;Hafen;2024;1,5;%;höher ist besser\n"


@pytest.mark.parametrize(
    ("content", "line", "column", "message"),
    [
        (HEAD + GOOD + GOOD.replace("1,5", "abc"), 3, "value", "'abc' is not a number"),
        (HEAD + GOOD.replace("2024", "24/25"), 2, "year", "'24/25' is not a year"),
        (HEAD + GOOD.replace("1,5", ""), 2, "value", "the value is empty"),
        (HEAD + GOOD.replace("höher ist besser", "egal"), 2, "direction", "'egal' is neither"),
        (HEAD + GOOD + GOOD, 3, None, "appears twice (also line 2)"),
        (HEAD + GOOD.replace(";Politische Teilhabe und Einbürgerung;", ";;"), 2, "field_of_action", "no field"),
        (HEAD.replace("value", "Wret") + GOOD, 1, "Wret", "unknown column"),
        (HEAD.replace(";value", "") + GOOD, 1, None, "no column 'value'"),
        (HEAD, None, None, "a header but no rows"),
        ("# nur ein Kommentar\n\n", None, None, "the file is empty"),
        ("Hallo;Welt\n1;2\n", None, None, "unknown layout"),
    ],
)
def test_errors_name_file_line_and_column(
    tmp_path: Path, content: str, line: int | None, column: str | None, message: str
) -> None:
    with pytest.raises(IndicatorError) as caught:
        read_indicators(_write(tmp_path, content))
    error = caught.value
    assert (error.file, error.line, error.column) == ("indicators.csv", line, column)
    assert message in error.message
    assert str(error).startswith("indicators.csv" + (f", line {line}" if line else ""))


def test_error_message_format(tmp_path: Path) -> None:
    content = "# a comment line still counts\nIndikator;Handlungsfeld;Jahr;Wert;Richtung\nA;Bildung;2024;abc;höher\n"
    with pytest.raises(IndicatorError) as caught:
        read_indicators(_write(tmp_path, content))
    assert str(caught.value) == "indicators.csv, line 3, column 'Wert': 'abc' is not a number"


def test_district_name_not_in_the_map(tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD + GOOD.replace("Hafen", "Hafn"))
    with pytest.raises(IndicatorError) as caught:
        read_indicators(path, districts={"02": "Hafen"})
    assert (caught.value.line, caught.value.column) == (2, "district")
    assert "'Hafn' is not a district" in caught.value.message


def test_district_by_code_in_the_long_format(tmp_path: Path) -> None:
    frame = read_indicators(_write(tmp_path, HEAD + GOOD.replace("Hafen", "02")), districts={"02": "Hafen"})
    assert (frame.district[0], frame.district_code[0]) == ("Hafen", "02")


def test_latin1_long_file_and_keyword_defaults(tmp_path: Path) -> None:
    content = "Indikator;Stadtteil;Jahr;Wert\nÜberbelegung;Südstadt;2024;12,5\n"
    frame = read_indicators(
        _write(tmp_path, content, encoding="latin-1"), field_of_action="Wohnen", unit="%", higher_is_better=False
    )
    row = frame.iloc[0]
    assert (row.indicator, row.district, row.field_of_action, row.unit, row.value) == (
        "Überbelegung",
        "Südstadt",
        "Wohnen",
        "%",
        12.5,
    )
    assert not row.higher_is_better


def test_binary_file_is_an_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes("indicator;year;value\n".encode("utf-16"))
    with pytest.raises(IndicatorError, match="encoding"):
        read_indicators(path)


def test_district_map_errors(tmp_path: Path) -> None:
    with pytest.raises(IndicatorError) as caught:
        read_district_map(_write(tmp_path, "code;name\n01;Altstadt\n01;Hafen\n", "map.csv"))
    assert caught.value.line == 3
    with pytest.raises(IndicatorError, match="empty"):
        read_district_map(_write(tmp_path, "code;name\n", "map.csv"))


def test_demo_table_is_complete_and_labelled_synthetic() -> None:
    demo = Path(__file__).parents[2] / "survey" / "demo" / "indicators.csv"
    frame = read_indicators(demo)
    assert frame.indicator.nunique() == 20
    assert set(frame.field_of_action) == {
        "Arbeit und Beschäftigung",
        "Bildung",
        "Wohnen",
        "Gesundheit",
        "Sprache",
        "Zusammenleben und Teilhabe",
        "Abbau von Diskriminierung",
        "Interkulturelle Öffnung der Verwaltung",
        "Politische Teilhabe und Einbürgerung",
    }
    assert set(frame.source) == {"Synthetische Demodaten – keine echten Werte"}
    assert sorted(frame.year.unique()) == [2023, 2024, 2025]
    population = frame[frame.indicator == "Einwohnerinnen und Einwohner"]
    assert set(population.unit) == {"Personen"}
    assert set(population.field_of_action) == {"Zusammenleben und Teilhabe"}
    assert population.district.nunique() == 10
    assert population.district.isna().sum() == 3
    assert frame.value.isna().sum() >= 3
    assert frame.target.notna().any()
    assert frame.threshold.notna().any()
    assert frame.higher_is_better.any()
    assert not frame.higher_is_better.all()
