"""Privacy of every published aggregate and quote: answers reveal origin and religion (Art. 9 GDPR).

Suppression assumes a reader who knows every published figure and total, knows that a withheld cell holds
at least one person (zero cells are always shown) and subtracts. A withheld cell is safe when no such
arithmetic pins down its value: every line it is published in holds at least two withheld cells that do not
all hold exactly one person, and (for tables) the withheld cells form cycles, so any value can move
against another one without changing a total.

Quotes are masked with patterns, not a model: cues per shipped language (introductions, forms of address)
find names; e-mails, phones, street addresses, links and ID numbers have shapes of their own. Masking is
deliberately greedy next to a cue: a masked noun costs a word, a missed name costs a person's privacy.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Mapping
from functools import cache

import numpy as np
import pandas as pd

SMALL_BASE = 30
"""Shares on fewer answers are flagged as uncertain."""


def small_base(n: int) -> bool:
    """Whether a share on ``n`` answers needs the small-base flag."""
    return n < SMALL_BASE


# --- suppression -----------------------------------------------------------------------------------------


def _exposed(values: list[int]) -> bool:
    """Withheld values whose published sum pins each of them: a single one, or all ones (each is ≥ 1)."""
    return bool(values) and (len(values) == 1 or sum(values) == len(values))


def suppressed_districts(respondents: Mapping[str, int], min_cell: int, unassigned: int = 0) -> set[str]:
    """Districts whose figures must all be withheld, so city total minus shown districts pins none of them.

    Primary: every district with ``0 < respondents < min_cell``. The residual a reader can compute is the
    city total minus the shown districts minus the respondents without a district, so complementary
    districts (smallest first, ties by name) are withheld until the withheld group holds at least two cells,
    at least ``min_cell`` respondents and not only single persons.

    Rule for ``unassigned`` (respondents who gave no district): they are a cell of the same partition.
    With ``unassigned >= min_cell`` their count is published (it is the "keine Angabe" line of the district
    question) and protects nothing. With ``0 < unassigned < min_cell`` the group is small itself: callers
    withhold its figures like a suppressed district's, it hides in the residual and counts as one withheld
    cell — and because the residual would otherwise be exactly that small group, it also triggers
    complementary districts on its own. If even withholding every district cannot protect the residual,
    all districts with respondents are returned.
    """
    positive = {name: n for name, n in respondents.items() if n > 0}
    withheld = {name for name, n in positive.items() if n < min_cell}
    hidden_unassigned = [unassigned] if 0 < unassigned < min_cell else []

    def unsafe() -> bool:
        values = [positive[name] for name in withheld] + hidden_unassigned
        return bool(values) and (_exposed(values) or sum(values) < min_cell)

    remaining = sorted((n, name) for name, n in positive.items() if name not in withheld)
    for _, name in remaining:
        if not unsafe():
            break
        withheld.add(name)
    return withheld


def suppress_counts(
    counts: Mapping[str, int], min_cell: int, total: int | None = None, *, partition: bool = True
) -> set[str]:
    """Keys of one-dimensional counts to withhold (e.g. answer options or codes with a published ``n``).

    Primary: ``0 < count < min_cell``. When ``total`` is published and the counts ``partition`` it (single
    choice), the total minus the shown counts is the sum of the withheld ones, so the next smallest positive
    counts are withheld too until that sum pins none of them. Overlapping counts (multiple choice, codes:
    ``partition=False``) have no such sum and need no secondary suppression. Counts missing from the mapping
    are assumed published. If a lone withheld count has no positive partner, the total itself discloses it
    and must not be published.
    """
    withheld = {key for key, n in counts.items() if 0 < n < min_cell}
    if total is None or not partition:
        return withheld
    remaining = sorted((n, key) for key, n in counts.items() if n > 0 and key not in withheld)
    for _, key in remaining:
        if not _exposed([counts[k] for k in withheld]):
            break
        withheld.add(key)
    return withheld


def suppress_table(counts: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Cells to withhold (True) in a table published with its row and column totals.

    Primary: ``0 < count < min_cell``. Secondary, repeated until nothing changes: a row or column whose
    withheld cells are exposed (exactly one, or all ones) gets its smallest other positive cell withheld,
    preferring cells whose crossing line is exposed too (then lines that already have a withheld cell);
    then a withheld cell that lies on no cycle of withheld cells (a bridge: the totals on either side pin
    it) gets the positive cells of least total value that close a cycle through it. Zero cells are never withheld.
    Lines rows before columns, top to bottom, so the result is deterministic. A line whose only positive
    cell is withheld cannot be protected by cells: its total equals that cell and must not be published.
    """
    withheld = suppress_cells(counts.to_numpy(dtype=np.int64), min_cell)
    return pd.DataFrame(withheld, index=counts.index, columns=counts.columns)


def suppress_cells(values: np.ndarray, min_cell: int) -> np.ndarray:
    """:func:`suppress_table` on a plain integer array, for callers that count in numpy."""
    withheld = (values > 0) & (values < min_cell)
    # without a primary cell no line is exposed and no bridge exists: the common case costs one comparison
    while withheld.any() and (cells := _line_complement(values, withheld) or _cycle_complement(values, withheld)):
        for cell in cells:
            withheld[cell] = True
    return withheld


def _line_complement(values: np.ndarray, withheld: np.ndarray) -> list[tuple[int, int]]:
    for axis in (0, 1):
        lines = values if axis == 0 else values.T
        marks = withheld if axis == 0 else withheld.T
        crossing_marks = withheld.T if axis == 0 else withheld
        crossing_values = values.T if axis == 0 else values
        for i in np.flatnonzero(marks.any(axis=1)):  # a line without withheld cells is never exposed
            if not _exposed(lines[i][marks[i]].tolist()):
                continue
            candidates = [j for j in range(lines.shape[1]) if lines[i, j] > 0 and not marks[i, j]]
            if not candidates:
                continue

            j = min(
                candidates, key=lambda j: (_crossing_preference(crossing_values[j][crossing_marks[j]]), lines[i, j], j)
            )
            return [(i, j) if axis == 0 else (j, i)]
    return []


def _crossing_preference(crossing_withheld: np.ndarray) -> int:
    """0: the candidate also protects its crossing line; 1: it adds to one already safe; 2: it exposes one."""
    values = crossing_withheld.tolist()
    return 0 if _exposed(values) else 1 if values else 2


def _cycle_complement(values: np.ndarray, withheld: np.ndarray) -> list[tuple[int, int]]:
    """Cells closing a cycle through the first withheld cell that lies on none (the cheapest such path)."""
    for r, c in zip(*np.nonzero(withheld), strict=True):
        path = _cheapest_path(values, withheld, int(r), int(c))
        if path:
            return path
    return []


def _cheapest_path(values: np.ndarray, withheld: np.ndarray, r: int, c: int) -> list[tuple[int, int]]:
    """Unwithheld positive cells on the cheapest path from row ``r`` to column ``c`` avoiding cell (r, c).

    Withheld cells cost nothing, others their value; an empty list means a cycle exists or none can.
    """
    start, goal = ("r", r), ("c", c)
    best: dict[tuple[str, int], tuple[int, int]] = {start: (0, 0)}
    previous: dict[tuple[str, int], tuple[tuple[str, int], tuple[int, int]]] = {}
    queue: list[tuple[int, int, tuple[str, int]]] = [(0, 0, start)]
    while queue:
        cost, added, node = heapq.heappop(queue)
        if node == goal:
            break
        if (cost, added) > best[node]:
            continue
        kind, k = node
        for other in range(values.shape[1] if kind == "r" else values.shape[0]):
            cell = (k, other) if kind == "r" else (other, k)
            if values[cell] <= 0 or cell == (r, c):
                continue
            step = (0, 0) if withheld[cell] else (int(values[cell]), 1)
            nxt = ("c" if kind == "r" else "r", other)
            candidate = (cost + step[0], added + step[1])
            if nxt not in best or candidate < best[nxt]:
                best[nxt] = candidate
                previous[nxt] = (node, cell)
                heapq.heappush(queue, (*candidate, nxt))
    if goal not in previous:
        return []
    path, node = [], goal
    while node != start:
        node, cell = previous[node]
        if not withheld[cell]:
            path.append(cell)
    return sorted(path)


# --- masking personal data in quotes ---------------------------------------------------------------------

GERMAN_PLACEHOLDERS: Mapping[str, str] = {
    "email": "[E-Mail]",
    "phone": "[Telefon]",
    "address": "[Adresse]",
    "name": "[Name]",
    "number": "[Nummer]",
    "date": "[Datum]",
    "link": "[Link]",
}
"""The report section is German, so quotes are masked in German whatever language they are in."""

ENGLISH_PLACEHOLDERS: Mapping[str, str] = {
    "email": "[email]",
    "phone": "[phone]",
    "address": "[address]",
    "name": "[name]",
    "number": "[number]",
    "date": "[date]",
    "link": "[link]",
}

_SPACE = r"[ \t\u00a0]"
_UPPER = "[" + "".join(re.escape(chr(i)) for i in (*range(0x41, 0x250), *range(0x400, 0x530)) if chr(i).isupper()) + "]"
_LATIN_NAME = rf"{_UPPER}[^\W\d_]*(?:['’-]{_UPPER}?[^\W\d_]+)*"
_ARABIC_WORD = r"[\u0621-\u063a\u0641-\u065f\u0670-\u06d3\u06d5][\u0621-\u063a\u0641-\u065f\u0670-\u06d3\u06d5\u200c]*"
_ZERO = "[0\u0660\u06f0]"  # Persian and Arabic-Indic digits are typed on phones too

_LATIN_CUES: dict[str, list[str]] = {
    "de": [r"(?i:ich\s+hei(?:ß|ss)e)", r"(?i:mein\s+name\s+ist)", r"(?i:(?:vor|nach)?name:)", r"Herrn?", r"Frau",
           r"Hr\.", r"Fr\.", r"Dr\.?", r"Prof\.?"],
    "en": [r"(?i:my\s+name\s+is)", r"(?i:i(?:'|’|\s+a)m\s+called)", r"(?i:name:)", r"Mrs?\.?", r"Ms\.?", r"Miss",
           r"Dr\.?"],
    "tr": [r"(?i:benim\s+adım)", r"(?i:adım)", r"(?i:ismim)", r"(?i:ad(?:ı)?\s+soyad(?:ı)?:)", r"Bayan", r"Bay",
           r"Sayın"],
    "ru": [r"(?i:меня\s+зовут)", r"(?i:моя\s+фамилия)", r"(?i:имя:)", r"(?i:господину?|госпож[аеу])"],
    "uk": [r"(?i:мене\s+звати)", r"(?i:моє\s+прізвище)", r"(?i:ім['’]я:)", r"(?i:пані|пан[аиуові]?)"],
}  # fmt: skip
_ARABIC_CUES: dict[str, list[str]] = {
    "ar": ["اسمي", "السيدة", "السيد", "الأستاذة", "الأستاذ", "الدكتورة", "الدكتور"],
    "fa": ["اسم من", "نام من", "اسمم", "آقای", "خانم", "دکتر"],
}
_ARABIC_FUNCTION_WORDS = (
    "و في من إلى على عن مع هو هي أنا وأنا كان كانت قال قالت لم لا ما أن إن قد الذي التي هذا هذه ثم لكن ولكن "
    "يعمل تعمل عمري وعمري أعيش وأعيش أسكن وأسكن جدا "
    "در از به با که را است هست هستم بود بودم گفت این آن یک هم ولی اما برای تا من او خیلی نیست کرد شد دارم "
    "هستند ساله می‌گفت"
)
_ARABIC_STOP = frozenset(_ARABIC_FUNCTION_WORDS.split())
"""Words after a cue that are no name: "یک خانم در اداره" is "a woman at the office"."""
_LATIN_FUNCTION_WORDS = "Sie Ihnen Ihr Ihre Ich Du Wir Er Es Der Die Das Und Oder Aber I The Not"
_LATIN_STOP = frozenset(_LATIN_FUNCTION_WORDS.split())
"""Capitalised words that end a name: "ich heiße Sie willkommen" names nobody."""
_TURKISH_NAME_BEFORE_ADDRESS = re.compile(
    rf"(?<![\w'’])(?:{_LATIN_NAME})(?={_SPACE}+(?:Hanım(?:efendi)?|Beyefendi|Bey)(?![^\W\d_]))"
)
"""Turkish addresses follow the first name: "Ayşe Hanım", "Mehmet Bey"."""


def _languages(language: str | None) -> tuple[str, ...]:
    """Cues of the answer's language plus German ones: "Frau Müller vom Amt" occurs in every language."""
    base = (language or "").lower().split("-")[0].split("_")[0]
    known = _LATIN_CUES.keys() | _ARABIC_CUES.keys()
    return tuple(sorted({base, "de"} if base in known else known))


@cache
def _latin_names(languages: tuple[str, ...]) -> re.Pattern[str]:
    cues = [cue for lang in languages for cue in _LATIN_CUES.get(lang, [])]
    chain = rf"{_LATIN_NAME}(?:{_SPACE}+(?:(?:von|van|de|der|al|el|bin|ibn){_SPACE}+)?{_LATIN_NAME}){{0,2}}"
    titles = rf"(?:{_SPACE}+(?:Dr|Prof|med)\.?)*+"  # possessive: a title is never taken for the name
    return re.compile(rf"(?<!\w)(?P<cue>(?:{'|'.join(cues)})(?!\w){titles}[:,]?{_SPACE}*)(?P<name>{chain})")


@cache
def _arabic_names(languages: tuple[str, ...]) -> re.Pattern[str] | None:
    cues = [re.escape(cue).replace(r"\ ", r"\s+") for lang in languages for cue in _ARABIC_CUES.get(lang, [])]
    if not cues:
        return None
    return re.compile(
        rf"(?<!\w)(?P<cue>و?(?:{'|'.join(cues)})(?![\w\u200c]):?{_SPACE}+)"
        rf"(?P<name>{_ARABIC_WORD})(?P<second>{_SPACE}+{_ARABIC_WORD})?"
    )


def _mask_latin_name(match: re.Match[str], name: str) -> str:
    """Mask the capitalised words after the cue up to the first one that is no name ("Ich", "Sie")."""
    words = match["name"]
    cut = next((w.start() for w in re.finditer(r"\S+", words) if w[0] in _LATIN_STOP), len(words))
    masked = words[:cut].rstrip()
    if not masked:
        return match[0]
    return match["cue"] + name + words[len(masked) :]


def _mask_arabic_name(match: re.Match[str], name: str) -> str:
    if match["name"] in _ARABIC_STOP:
        return match[0]
    second = match["second"] or ""
    if second.strip() in _ARABIC_STOP:
        return match["cue"] + name + second
    return match["cue"] + name


_STREET_WORD = (
    r"(?:[A-ZÄÖÜ][\wäöüß.-]*?(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee|steig|markt)"
    r"|[a-zäöü][\wäöüß-]*?(?:straße|strasse)"
    r"|[A-ZÄÖÜ][\wäöüß-]+(?:-|\s)(?:Straße|Strasse|Str\.|Weg|Platz|Allee|Gasse|Ring|Damm|Ufer|Chaussee))"
)
_HOUSE_NUMBER = r"\d{1,3}(?:\s?[a-zA-Z](?!\w))?(?:\s?[-–/]\s?\d{1,3}[a-z]?)?"
_POSTCODE_CITY = r"(?:,?\s+(?:D-)?\d{5}\s+[A-ZÄÖÜ][\wäöüß-]+)?"
_PREPOSITION_STREET = r"(?:Am|An\s+der|An\s+den|Auf\s+der|Auf\s+dem|Im|In\s+der|Zum|Zur|Hinter\s+der|Unter\s+den)"

_ID_CUES = (
    r"aktenzeichen|az\.|geschäftszeichen|kundennummer|kunden-nr\.|bg-nummer|bg-nr\.|ausweisnummer|passnummer|"
    r"steuer-?id|steuernummer|(?:sozial)?versicherungsnummer|fallnummer|vorgangsnummer|nummer|nr\.|"
    r"case\s+number|file\s+number|reference(?:\s+number)?|customer\s+number|passport\s+number|id|"
    r"dosya\s+numarası|müşteri\s+numarası|kimlik\s+numarası|numara(?:sı)?|номер(?:\s+дела)?|№|رقم|شماره"
)
_BIRTH_CUES = (
    r"geboren\s+am|geb\.|geburtsdatum:?|born\s+on|date\s+of\s+birth:?|doğum\s+tarihi(?:m)?:?|"
    r"дата\s+рождения:?|родил(?:ся|ась)|дата\s+народження:?|народи(?:вся|лася)|تاريخ\s+الميلاد:?|تاریخ\s+تولد:?"
)

_PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    # (placeholder key, pattern, minimum digits — 0: always)
    ("link", re.compile(r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]]"), 0),
    ("email", re.compile(r"[\w.+-]+(?:@|\s?[(\[]at[)\]]\s?)[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"), 0),
    ("number", re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b"), 0),  # IBAN
    ("date", re.compile(rf"(?P<keep>(?i:{_BIRTH_CUES})\s*)\d{{1,2}}\.?\s+[^\W\d_]+\.?\s+\d{{4}}"), 0),
    ("date", re.compile(r"(?<![\w.])(?:\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})|(?:19|20)\d{2}-\d{2}-\d{2})(?![\w.]\d)"),
     0),
    ("address", re.compile(rf"(?<!\w){_STREET_WORD}\s?{_HOUSE_NUMBER}(?!\d){_POSTCODE_CITY}"), 0),
    ("address", re.compile(rf"(?<!\w){_PREPOSITION_STREET}\s[A-ZÄÖÜ][\wäöüß-]+\s{_HOUSE_NUMBER}(?![\d.]|\s+{_UPPER})"
                           rf"{_POSTCODE_CITY}"), 0),
    ("phone", re.compile(rf"(?<![\w+])(?:(?:\+|00)[1-9]\d{{0,2}}[ \u00a0./-]?(?:\({_ZERO}\)[ \u00a0./-]?)?"
                         rf"|\({_ZERO}\d{{1,5}}\)[ \u00a0./-]?|{_ZERO})\d(?:[ \u00a0./-]?\d)+(?!\w)"), 7),
    ("number", re.compile(rf"(?P<keep>(?<!\w)(?i:{_ID_CUES})[:#]?\s*)[A-Za-z0-9][A-Za-z0-9/.-]*[A-Za-z0-9]"), 3),
    ("number", re.compile(r"(?<![\w/.-])[A-Z]{0,3}\d[\dA-Z/-]{4,}[\dA-Z](?![\w/-])"), 6),
    ("name", re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?"), 0),
]  # fmt: skip
_YEAR_SPAN = re.compile(r"\d{4}[-/]\d{2,4}|\d{1,2}[-/]\d{4}")


def mask_personal_data(text: str, language: str | None = None, *, placeholders: Mapping[str, str] | None = None) -> str:
    """``text`` with names, contacts, addresses, links, ID numbers and full dates replaced by placeholders.

    ``language`` (a shipped code such as ``"tr"`` or ``"de-simple"``) chooses which name cues apply besides
    the German ones; ``None`` or an unknown code applies all. ``placeholders`` overrides
    ``GERMAN_PLACEHOLDERS`` by key (``ENGLISH_PLACEHOLDERS`` for English reports). Years, ages,
    percentages and short numbers stay; placeholders contain no digits or cue words, so masking twice
    changes nothing.
    """
    marks = {**GERMAN_PLACEHOLDERS, **(placeholders or {})}
    for key, pattern, digits in _PATTERNS:
        text = pattern.sub(_replacement(marks[key], digits), text)
    languages = _languages(language)
    text = _latin_names(languages).sub(lambda m: _mask_latin_name(m, marks["name"]), text)
    if "tr" in languages:
        text = _TURKISH_NAME_BEFORE_ADDRESS.sub(lambda m: m[0] if m[0] in _LATIN_STOP else marks["name"], text)
    arabic = _arabic_names(languages)
    if arabic is not None:
        text = arabic.sub(lambda m: _mask_arabic_name(m, marks["name"]), text)
    return text


def _replacement(placeholder: str, digits: int) -> Callable[[re.Match[str]], str]:
    """Keep the cue (group ``keep``); replace the rest unless it has too few digits or is a span of years."""

    def replace(match: re.Match[str]) -> str:
        keep = match.groupdict().get("keep") or ""
        value = match[0][len(keep) :]
        if digits and (sum(c.isdigit() for c in value) < digits or _YEAR_SPAN.fullmatch(value)):
            return match[0]
        return keep + placeholder

    return replace
