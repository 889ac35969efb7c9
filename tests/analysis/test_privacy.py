"""Suppression checked by an attacker who solves for withheld cells; masking checked in every shipped language."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from analysis.privacy import (
    ENGLISH_PLACEHOLDERS,
    mask_personal_data,
    small_base,
    suppress_counts,
    suppress_table,
    suppressed_districts,
)

# --- the attacker ------------------------------------------------------------------------------------------


def feasible_range(values: np.ndarray, withheld: np.ndarray, cell: tuple[int, int]) -> tuple[float, float]:
    """Smallest and largest value of ``cell`` consistent with shown cells and row/column totals.

    The attacker knows withheld cells hold at least one person (zeros are always shown).
    """
    cells = list(zip(*np.nonzero(withheld), strict=True))
    rows = [
        [1.0 if (r, c) in cells and index == (r if axis == 0 else c) else 0.0 for r, c in cells]
        for axis, size in ((0, values.shape[0]), (1, values.shape[1]))
        for index in range(size)
    ]
    residual = [values[i][withheld[i]].sum() for i in range(values.shape[0])] + [
        values[:, j][withheld[:, j]].sum() for j in range(values.shape[1])
    ]
    target = [1.0 if other == cell else 0.0 for other in cells]
    bounds = [(1, None)] * len(cells)
    low = linprog(target, A_eq=rows, b_eq=residual, bounds=bounds)
    high = linprog([-t for t in target], A_eq=rows, b_eq=residual, bounds=bounds)
    assert low.success
    assert high.success
    return low.fun, -high.fun


def recoverable_cells(counts: pd.DataFrame, withheld: pd.DataFrame) -> list[tuple[int, int]]:
    values, marks = counts.to_numpy(), withheld.to_numpy()
    return [
        (int(r), int(c))
        for r, c in zip(*np.nonzero(marks), strict=True)
        if np.isclose(*feasible_range(values, marks, (int(r), int(c))))
    ]


# --- small base --------------------------------------------------------------------------------------------


def test_small_base_flags_fewer_than_thirty() -> None:
    assert small_base(29)
    assert not small_base(30)


# --- districts ---------------------------------------------------------------------------------------------

DEMO = {
    "Altstadt": 61,
    "Nordviertel": 54,
    "Südstadt": 48,
    "Hafen": 3,
    "Weststadt": 57,
    "Oststadt": 50,
    "Bahnhofsviertel": 44,
    "Neustadt": 39,
    "Gartenstadt": 52,
    "Bergheim": 41,
}


def test_demo_district_with_three_respondents_is_hidden_also_from_the_city_total() -> None:
    withheld = suppressed_districts(DEMO, 5)
    assert withheld == {"Hafen", "Neustadt"}
    city_total = sum(DEMO.values())
    residual = city_total - sum(n for name, n in DEMO.items() if name not in withheld)
    # the difference is all an attacker gets: 42, which Hafen (1–4) and Neustadt share in many ways
    assert residual == 42


def test_without_secondary_suppression_the_city_total_reveals_the_small_district() -> None:
    shown = {name: n for name, n in DEMO.items() if name != "Hafen"}
    assert sum(DEMO.values()) - sum(shown.values()) == DEMO["Hafen"]


def test_no_small_district_means_nothing_withheld() -> None:
    assert suppressed_districts({"A": 5, "B": 40, "C": 0}, 5) == set()


def test_two_small_districts_too_few_together_get_a_complement() -> None:
    assert suppressed_districts({"A": 1, "B": 2, "C": 30, "D": 20}, 5) == {"A", "B", "D"}


def test_two_small_districts_with_enough_together_protect_each_other() -> None:
    assert suppressed_districts({"A": 2, "B": 4, "C": 30, "D": 20}, 5) == {"A", "B"}


def test_single_persons_only_are_not_protected_by_each_other() -> None:
    # five districts with one person each: the residual 5 pins every one of them at 1
    respondents = {"A": 1, "B": 1, "C": 1, "D": 1, "E": 1, "F": 20}
    assert suppressed_districts(respondents, 5) == set(respondents)


def test_small_unassigned_group_hides_in_the_residual_and_counts_as_a_cell() -> None:
    assert suppressed_districts({"A": 3, "B": 40, "C": 20}, 5, unassigned=2) == {"A"}


def test_large_unassigned_group_is_published_and_protects_nothing() -> None:
    assert suppressed_districts({"A": 3, "B": 40, "C": 20}, 5, unassigned=12) == {"A", "C"}


def test_small_unassigned_group_alone_needs_a_complementary_district() -> None:
    # city total minus all districts would be exactly the two people who gave no district
    assert suppressed_districts({"A": 30, "B": 40, "C": 20}, 5, unassigned=2) == {"C"}


def test_zero_districts_are_never_complements() -> None:
    assert suppressed_districts({"A": 3, "Z": 0, "B": 9, "C": 8}, 5) == {"A", "C"}


# --- one-dimensional counts --------------------------------------------------------------------------------


def test_counts_primary_only_without_total() -> None:
    assert suppress_counts({"yes": 40, "no": 3, "unsure": 0}, 5) == {"no"}


def test_partition_with_total_withholds_the_next_smallest() -> None:
    counts = {"yes": 40, "no": 3, "unsure": 12, "never": 0}
    withheld = suppress_counts(counts, 5, total=55)
    assert withheld == {"no", "unsure"}
    assert 55 - sum(n for key, n in counts.items() if key not in withheld) == 15


def test_overlapping_counts_need_no_secondary_suppression() -> None:
    assert suppress_counts({"housing": 40, "work": 3, "school": 12}, 5, total=50, partition=False) == {"work"}


def test_partition_of_single_persons_gets_a_complement() -> None:
    assert suppress_counts({"a": 1, "b": 1, "c": 20, "d": 30}, 5, total=52) == {"a", "b", "c"}


# --- tables ------------------------------------------------------------------------------------------------


def table(rows: list[list[int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, index=[f"d{i}" for i in range(len(rows))], columns=[f"o{j}" for j in range(len(rows[0]))])


def test_primary_suppression_alone_is_undone_by_the_totals() -> None:
    counts = table([[20, 3, 15], [12, 30, 9], [8, 11, 25]])
    primary = (counts > 0) & (counts < 5)
    row_total = counts.sum(axis=1)["d0"]
    shown = counts.loc["d0"][~primary.loc["d0"]].sum()
    assert row_total - shown == 3  # the attack the secondary step prevents
    assert recoverable_cells(counts, primary) == [(0, 1)]


TABLES = [
    [[20, 3, 15], [12, 30, 9], [8, 11, 25]],
    [[2, 0, 7, 9], [6, 1, 0, 12], [10, 8, 3, 20], [15, 14, 0, 2]],
    [[1, 1, 30], [40, 50, 60], [7, 8, 9]],
    [[4, 10, 10], [0, 0, 0], [10, 10, 4]],
    [[3, 0, 6], [0, 4, 7], [6, 7, 2], [9, 9, 9]],
]


@pytest.mark.parametrize("rows", TABLES)
def test_no_withheld_cell_can_be_solved_for(rows: list[list[int]]) -> None:
    counts = table(rows)
    withheld = suppress_table(counts, 5)
    assert withheld.shape == counts.shape
    assert withheld.index.equals(counts.index)
    assert withheld.columns.equals(counts.columns)
    assert (withheld | ~((counts > 0) & (counts < 5))).all().all(), "every small cell is withheld"
    assert not (withheld & (counts == 0)).any().any(), "zeros are never withheld"
    for axis in (0, 1):
        per_line = withheld.sum(axis=axis)
        assert not (per_line == 1).any(), "no line with a single withheld cell"
    assert recoverable_cells(counts, withheld) == []


def test_secondary_prefers_a_cell_that_also_protects_the_crossing_line() -> None:
    counts = table([[3, 20, 10], [30, 2, 6], [40, 50, 60]])
    withheld = suppress_table(counts, 5)
    # (0,1) = 20 protects row 0 and column 1 at once, like (1,0) = 30; the smaller 10 would expose column 2
    assert withheld.to_numpy().tolist() == [[True, True, False], [True, True, False], [False, False, False]]


def test_bridge_between_two_safe_blocks_gets_a_cycle() -> None:
    counts = table(
        [
            [2, 3, 4, 0, 50],
            [3, 2, 0, 0, 50],
            [0, 0, 2, 3, 50],
            [0, 0, 3, 2, 50],
            [50, 50, 50, 50, 50],
        ]
    )
    # the 4 links two blocks that each protect themselves; on its own it is pinned by the totals
    primary_and_lines = (counts > 0) & (counts < 5)
    assert recoverable_cells(counts, primary_and_lines) == [(0, 2)]
    withheld = suppress_table(counts, 5)
    assert recoverable_cells(counts, withheld) == []
    assert withheld.to_numpy().sum() == 11, "two cells close the cycle: the blocks share no positive cell"


def test_exhaustive_small_tables_leave_nothing_recoverable() -> None:
    checked = 0
    for cells in itertools.product([0, 2, 6], repeat=6):
        counts = table([list(cells[:3]), list(cells[3:])])
        withheld = suppress_table(counts, 5)
        protectable = all(((counts.loc[i] > 0).sum() > 1) for i in counts.index if withheld.loc[i].any()) and all(
            ((counts[c] > 0).sum() > 1) for c in counts.columns if withheld[c].any()
        )
        if protectable:
            assert recoverable_cells(counts, withheld) == [], counts
            checked += 1
    assert checked > 100


def test_suppress_table_is_deterministic() -> None:
    counts = table(TABLES[1])
    assert suppress_table(counts, 5).equals(suppress_table(counts.copy(), 5))


# --- masking -----------------------------------------------------------------------------------------------

MASKED = {
    "de": [
        (
            "Mein Name ist Anna Schmidt, ich wohne in der Hauptstraße 12, 12345 Musterstadt.",
            "Mein Name ist [Name], ich wohne in der [Adresse].",
        ),
        (
            "Frau Dr. Müller vom Jobcenter hat mir geholfen, Herr Yılmaz nicht.",
            "Frau Dr. [Name] vom Jobcenter hat mir geholfen, Herr [Name] nicht.",
        ),
        ("Schreiben Sie mir: anna.schmidt@web.de oder 0171 1234567.", "Schreiben Sie mir: [E-Mail] oder [Telefon]."),
        ("Tel. (030) 123 456-78, mobil +49 (0)171/1234567", "Tel. [Telefon], mobil [Telefon]"),
        ("Aktenzeichen: 123/45-K, BG-Nummer 12345BG0012345", "Aktenzeichen: [Nummer], BG-Nummer [Nummer]"),
        ("IBAN DE89 3704 0044 0532 0130 00 bitte", "IBAN [Nummer] bitte"),
        ("Ich bin am 03.05.1985 geboren, geboren am 3. Mai 1985.", "Ich bin am [Datum] geboren, geboren am [Datum]."),
        ("Wir wohnen Am See 3 in Musterstadt.", "Wir wohnen [Adresse] in Musterstadt."),
        ("Mehr unter https://example.org/verein?id=7 und @anna_s", "Mehr unter [Link] und [Name]"),
    ],
    "de-simple": [
        ("Ich heiße Fatma. Ich wohne in der Goethestr. 5a.", "Ich heiße [Name]. Ich wohne in der [Adresse]."),
        ("Meine Nummer ist 0176-98765432.", "Meine Nummer ist [Telefon]."),
        ("Frau Weber hilft mir beim Amt.", "Frau [Name] hilft mir beim Amt."),
    ],
    "en": [
        (
            "My name is John Smith and I live at Berliner Straße 7, 10115 Berlin.",
            "My name is [Name] and I live at [Adresse].",
        ),
        (
            "Mrs. Brown at the Jobcenter gave me her number +49 30 1234 5678.",
            "Mrs. [Name] at the Jobcenter gave me her number [Telefon].",
        ),
        ("I'm called Jo, mail me at jo.smith@gmail.com", "I'm called [Name], mail me at [E-Mail]"),
    ],
    "tr": [
        (
            "Benim adım Ayşe Yılmaz, Kantstraße 4 adresinde oturuyorum.",
            "Benim adım [Name], [Adresse] adresinde oturuyorum.",
        ),
        ("Jobcenter'da Mehmet Bey bana çok yardım etti.", "Jobcenter'da [Name] Bey bana çok yardım etti."),
        ("Sayın Kaya, numaram 0152 1234 5678.", "Sayın [Name], numaram [Telefon]."),
        ("Ayşe Hanım'a e-posta attım: ayse.k@hotmail.de", "[Name] Hanım'a e-posta attım: [E-Mail]"),
    ],
    "ar": [
        ("اسمي أحمد الخطيب وأنا من سوريا.", "اسمي [Name] وأنا من سوريا."),
        ("السيدة فاطمة قالت إن رقم هاتفي 0157 12345678 خطأ.", "السيدة [Name] قالت إن رقم هاتفي [Telefon] خطأ."),
        ("أسكن في Lindenweg 14, 50667 Köln", "أسكن في [Adresse]"),
        ("بريدي ahmad.k@gmx.de", "بريدي [E-Mail]"),
    ],
    "fa": [
        ("اسم من مریم رضایی است.", "اسم من [Name] است."),
        ("آقای احمدی گفت شماره من ۰۱۷۱ ۱۲۳۴۵۶۷ را بدهم.", "آقای [Name] گفت شماره من [Telefon] را بدهم."),
        ("خانم کریمی در Schillerplatz 2 زندگی می‌کند.", "خانم [Name] در [Adresse] زندگی می‌کند."),
    ],
    "ru": [
        ("Меня зовут Ольга Петрова, мой телефон +49 171 2345678.", "Меня зовут [Name], мой телефон [Telefon]."),
        ("Господин Иванов из Jobcenter помог мне.", "Господин [Name] из Jobcenter помог мне."),
        ("Пишите на olga.p@mail.ru, живу на Ringstraße 21.", "Пишите на [E-Mail], живу на [Adresse]."),
    ],
    "uk": [
        ("Мене звати Олена Коваленко.", "Мене звати [Name]."),
        ("пані Шевченко дала мені номер 0160 9876543.", "пані [Name] дала мені номер [Telefon]."),
        ("Живу на Bahnhofstraße 3, мій e-mail olena@ukr.net", "Живу на [Adresse], мій e-mail [E-Mail]"),
    ],
}

UNCHANGED = {
    "de": [
        "Seit 2015 lebe ich hier, ich bin 34 Jahre alt und zahle 40 % meines Einkommens für Miete.",
        "Das Jobcenter in Musterstadt hat meinen Antrag nach §24 nach 3 Jahren abgelehnt.",
        "Eine Frau im Bus hat mich beschimpft. Die Wohnung war zu klein für 5 Personen.",
        "Im Jahr 2019 habe ich 1.200 Euro verdient, von 2015-2020 und seit 10/2020 Deutschkurs.",
        "Am Montag 3 Stunden gewartet, Termin um 10:30 Uhr.",
        "Ich heiße Sie herzlich willkommen in Köln und Berlin.",
    ],
    "de-simple": ["Ich bin 8 Jahre in Deutschland. Das Amt ist gut. Ich habe 2 Kinder."],
    "en": ["I have lived in Germany since 2016, I am 29, and 60% of my neighbours are kind."],
    "tr": ["2018'den beri Almanya'dayım, 45 yaşındayım. Bir adım daha atmak istiyorum."],
    "ar": ["أعيش في ألمانيا منذ 2017 وعمري 31 سنة."],
    "fa": ["یک خانم در اداره گفت که باید ۳ ماه صبر کنم."],
    "ru": ["Я живу в Германии с 2014 года, мне 52 года, Jobcenter помог."],
    "uk": ["Я в Німеччині з 2022 року, мені 40 років, 70 % людей привітні."],
}


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [(lang, text, expected) for lang, cases in MASKED.items() for text, expected in cases],
)
def test_personal_data_is_masked(language: str, text: str, expected: str) -> None:
    assert mask_personal_data(text, language) == expected


@pytest.mark.parametrize(("language", "text"), [(lang, text) for lang, texts in UNCHANGED.items() for text in texts])
def test_ordinary_text_stays_untouched(language: str, text: str) -> None:
    assert mask_personal_data(text, language) == text


def test_every_shipped_language_is_covered() -> None:
    shipped = {"de", "de-simple", "en", "tr", "ar", "fa", "ru", "uk"}
    assert set(MASKED) == shipped
    assert set(UNCHANGED) == shipped


@pytest.mark.parametrize("text", [text for cases in MASKED.values() for text, _ in cases])
def test_masking_is_idempotent(text: str) -> None:
    once = mask_personal_data(text)
    assert once != text
    assert mask_personal_data(once) == once


def test_english_placeholders() -> None:
    masked = mask_personal_data(
        "Mr. Smith, call +44 20 7946 0958 or mail j.smith@example.com", "en", placeholders=ENGLISH_PLACEHOLDERS
    )
    assert masked == "Mr. [name], call [phone] or mail [email]"


def test_language_limits_foreign_cues() -> None:
    assert mask_personal_data("The Bay Area is far away.", "en") == "The Bay Area is far away."
    assert mask_personal_data("Bay Yılmaz geldi.", "tr") == "Bay [Name] geldi."


def test_german_forms_of_address_are_masked_in_any_language() -> None:
    assert mask_personal_data("Frau Becker hat mir geholfen", "ar") == "Frau [Name] hat mir geholfen"
