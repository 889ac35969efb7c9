"""The report section as an ordered list of blocks — headings, text, tables, figures, quotes — in its language.

Deciding *what* the section says and in which order happens once here; the Markdown, HTML and Word renderers
only decide how a block looks. Table cells are finished strings: a suppressed figure is "–" with a footnote
and never a number, whatever else the model carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.report_model import (
    ClosedResult,
    CodeCount,
    CoOccurrence,
    FieldSection,
    Figure,
    IndicatorRow,
    Section,
    Share,
    Statement,
)
from analysis.report_text import listing, long_date, number, percent, quantity, text

RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi"})
SUPPRESSED = "–"
SUPPRESSED_MARK = "¹"
SMALL_BASE_MARK = "²"


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Paragraph:
    text: str


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    """The first cell of each row names it (a row header)."""
    notes: list[str] = field(default_factory=list)


@dataclass
class FigureBlock:
    figure: Figure
    number: int
    caption: str


@dataclass
class QuoteBlock:
    text: str
    language: str
    attribution: str

    @property
    def rtl(self) -> bool:
        return self.language.split("-")[0] in RIGHT_TO_LEFT


@dataclass
class StatementBlock(QuoteBlock):
    """A workshop group's statement: a quote with its votes and codes. Renderers match it before
    ``QuoteBlock``; one that does not know it still shows it as a quote."""

    details: list[str] = field(default_factory=list)
    """Lines below the attribution: the agreement ("12 of 15 agree" or "–") and the codes."""


Block = Heading | Paragraph | Bullets | Table | FigureBlock | QuoteBlock | StatementBlock


def layout(section: Section) -> list[Block]:
    """Title, overview and summary, one part per field of action, the workshops held, then the methods."""
    writer = _Writer(section)
    writer.overview()
    for field_section in section.fields:
        writer.field(field_section)
    if section.workshops or section.other_statements:
        writer.workshops()
    if section.methods:
        writer.add(Heading(2, writer.t("methods")), Bullets(section.methods))
    return writer.blocks


class _Writer:
    """Collects blocks and numbers tables and figures in reading order."""

    def __init__(self, section: Section) -> None:
        self.section = section
        self.language = section.language
        self.blocks: list[Block] = []
        self.tables = 0
        self.figures = 0

    def t(self, key: str, /, **values: object) -> str:
        return text(self.language, key, **values)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def overview(self) -> None:
        s = self.section
        self.add(Heading(1, s.title))
        meta = [self.t("meta", wave=s.wave, respondents=s.respondents, date=long_date(s.generated_at, self.language))]
        if s.previous_wave:
            meta.append(self.t("previous_wave", wave=s.previous_wave))
        meta.append(self.t("weighted", weighting=s.weighting) if s.weighting else self.t("unweighted"))
        if s.suppressed_districts:
            meta.append(self.t("withheld_districts", districts=listing(s.suppressed_districts)))
        self.add(Paragraph(" ".join(meta)))
        if s.summary:
            self.add(Bullets(s.summary))

    def field(self, f: FieldSection) -> None:
        self.add(Heading(2, f.title))
        self.add(*(Paragraph(sentence) for sentence in f.summary))
        by_kind: dict[str, list[Figure]] = {}
        for figure in f.figures:
            by_kind.setdefault(figure.id.split("-")[0], []).append(figure)
        if f.indicators or "indicators" in by_kind:
            self.add(Heading(3, self.t("indicators")))
            city = [row for row in f.indicators if row.district is None]
            if city:
                self.table(self.indicator_table(city))
            if any(row.district is not None for row in f.indicators):
                self.table(self.indicator_districts(f.indicators))
            self.figure_blocks(by_kind.pop("indicators", []))
        if f.closed or "shares" in by_kind:
            self.add(Heading(3, self.t("survey")))
            for result in f.closed:
                self.table(self.closed_table(result))
                if any(option.by_district for option in result.options):
                    self.table(self.district_table(result))
            self.figure_blocks(by_kind.pop("shares", []))
        if f.strengths:
            self.add(Heading(3, self.t("strengths")))
            self.table(self.codes_table(f.strengths, self.t("strengths_caption")))
        if f.barriers or f.co_occurrences or "codes" in by_kind:
            self.add(Heading(3, self.t("barriers")))
            if f.barriers:
                self.table(self.codes_table(f.barriers, self.t("barriers_caption")))
            self.figure_blocks(by_kind.pop("codes", []))
            if f.co_occurrences:
                self.table(self.pairs_table(f.co_occurrences, f.strengths + f.barriers))
        if f.quotes or "cloud" in by_kind:
            self.add(Heading(3, self.t("voices")))
            self.figure_blocks(by_kind.pop("cloud", []))
            for quote in f.quotes:
                attribution = "— " + self.t("quote_attribution", language=quote.language_name)
                self.add(QuoteBlock(quote.text, quote.language, attribution))
        if f.statements:
            self.add(Heading(3, self.t("statements")))
            self.statement_blocks(f.statements)
        self.figure_blocks([figure for figures in by_kind.values() for figure in figures])

    def workshops(self) -> None:
        """The workshops held, and the statements no field of action took."""
        s = self.section
        self.add(Heading(2, self.t("workshops")))
        if s.workshops:
            self.add(Paragraph(self.t("workshops_intro", count=number(len(s.workshops), self.language))))
            self.table(self.workshops_table())
        if s.other_statements:
            self.add(Heading(3, self.t("other_statements")))
            self.statement_blocks(s.other_statements)

    def workshops_table(self) -> Table:
        marks: set[str] = set()
        rows = []
        for workshop in self.section.workshops:
            if workshop.suppressed or workshop.participants is None:
                marks.add(SUPPRESSED_MARK)
                participants = SUPPRESSED + SUPPRESSED_MARK
            else:
                participants = number(workshop.participants, self.language)
            date = long_date(workshop.held_on, self.language)
            rows.append([workshop.organisation, date, participants, number(workshop.statements, self.language)])
        header = [self.t(key) for key in ("organisation", "date", "participants", "statements_count")]
        return Table(self.t("workshops_caption"), header, rows, self.notes(marks))

    def statement_blocks(self, statements: list[Statement]) -> None:
        for statement in statements:
            date = long_date(statement.held_on, self.language)
            attribution = "— " + self.t("statement_attribution", organisation=statement.organisation, date=date)
            details = [self.t("agreement", agreement=self.agreement(statement))]
            if statement.code_labels:
                key = "statement_codes" if statement.decided else "statement_suggested"
                details.append(self.t(key, codes=", ".join(statement.code_labels)))
            self.add(StatementBlock(statement.text, statement.language, attribution, details))

    def agreement(self, statement: Statement) -> str:
        """ "12 of 15 agree", or "–" where the votes are withheld."""
        agree = statement.votes.get("agree")
        if statement.suppressed or statement.voters is None or agree is None:
            return SUPPRESSED
        voters = number(statement.voters, self.language)
        return self.t("agree_of", agree=number(agree, self.language), voters=voters)

    def table(self, table: Table) -> None:
        self.tables += 1
        table.caption = f"{self.t('table', number=self.tables)}: {table.caption}"
        self.add(table)

    def figure_blocks(self, figures: list[Figure]) -> None:
        for figure in figures:
            self.figures += 1
            self.add(FigureBlock(figure, self.figures, f"{self.t('figure', number=self.figures)}: {figure.title}"))

    def indicator_table(self, rows: list[IndicatorRow]) -> Table:
        """City-wide values over the years; sources go below the table, where long names do not squeeze it."""
        header = ["indicator", "latest", "earlier", "target", "threshold", "status", "trend"]
        body = []
        for row in rows:
            values = [v for v in row.values if v.value is not None]
            latest = values[-1] if values else None
            earlier = [f"{v.year}: {self.quantity(v.value, row.unit)}" for v in values[:-1]]
            body.append(
                [
                    row.indicator,
                    f"{self.quantity(latest.value, row.unit)} ({latest.year})" if latest else self.t("no_value"),
                    listing(earlier),
                    self.quantity(row.target, row.unit),
                    self.quantity(row.threshold, row.unit),
                    self.t(f"status_{row.status}"),
                    self.t(f"trend_{row.trend}"),
                ]
            )
        sources = sorted({row.source for row in rows if row.source})
        notes = [f"{self.t('source')}: {'; '.join(sources)}"] if sources else []
        return Table(self.t("indicators_caption"), [self.t(key) for key in header], body, notes)

    def indicator_districts(self, rows: list[IndicatorRow]) -> Table:
        """Districts as rows and indicators as columns: each latest value with the symbol of its status."""
        indicators = list(dict.fromkeys(row.indicator for row in rows if row.district is not None))
        cells = {(row.district, row.indicator): row for row in rows if row.district is not None}
        districts = list(dict.fromkeys(row.district for row in rows if row.district is not None))
        body = []
        for district in districts:
            line = [district]
            for indicator in indicators:
                row = cells.get((district, indicator))
                values = [v for v in row.values if v.value is not None] if row else []
                if not values:
                    line.append("–")
                    continue
                symbol = self.t(f"status_{row.status}").split(" ", 1)[0]
                line.append(f"{self.quantity(values[-1].value, row.unit)} {symbol}")
            body.append(line)
        statuses = dict.fromkeys(row.status for row in rows if row.district is not None)
        legend = ", ".join(self.t(f"status_{status}") for status in statuses)
        return Table(self.t("indicators_districts_caption"), [self.t("district"), *indicators], body, [legend])

    def closed_table(self, result: ClosedResult) -> Table:
        header = [self.t("option"), self.t("share_interval"), "n"]
        with_previous = any(option.previous for option in result.options)
        if with_previous:
            header.append(self.t("previous"))
        marks: set[str] = set()
        rows = []
        for option in result.options:
            row = [option.label, self.share(option.overall, marks, interval=True), self.base(option.overall)]
            if with_previous:
                row.append(self.share(option.previous, marks) if option.previous else "")
            rows.append(row)
        return Table(self.t("closed_caption", question=result.label), header, rows, self.notes(marks))

    def district_table(self, result: ClosedResult) -> Table:
        """Districts as rows and options as columns, so one question fits one table."""
        lines = [(self.t("city"), [o.overall for o in result.options])]
        for name in self.section.districts:
            if any(name in o.by_district for o in result.options):
                lines.append((name, [o.by_district.get(name) for o in result.options]))
        marks: set[str] = set()
        rows = []
        for name, shares in lines:
            cells = [self.share(share, marks) if share else SUPPRESSED for share in shares]
            base = next((self.base(share) for share in shares if share and not share.suppressed), SUPPRESSED)
            rows.append([name, *cells, base])
        header = [self.t("district"), *(option.label for option in result.options), "n"]
        return Table(self.t("districts_caption", question=result.label), header, rows, self.notes(marks))

    def codes_table(self, codes: list[CodeCount], caption: str) -> Table:
        header = [self.t("code"), self.t("answers"), self.t("share"), "n", self.t("suggested")]
        marks: set[str] = set()
        rows = []
        for code in codes:
            if code.suppressed or code.count is None or code.share is None:
                marks.add(SUPPRESSED_MARK)
                rows.append([code.label, SUPPRESSED + SUPPRESSED_MARK, SUPPRESSED, SUPPRESSED, SUPPRESSED])
                continue
            share = percent(code.share, self.language)
            if code.small_base:
                marks.add(SMALL_BASE_MARK)
                share += SMALL_BASE_MARK
            suggested = number(code.suggested, self.language) if code.suggested else ""
            rows.append([code.label, number(code.count, self.language), share, self.count(code.n), suggested])
        return Table(caption, header, rows, self.notes(marks))

    def pairs_table(self, pairs: list[CoOccurrence], codes: list[CodeCount]) -> Table:
        labels = {code.code: code.label for code in codes}
        marks: set[str] = set()
        rows = []
        for pair in pairs:
            if pair.suppressed or pair.count is None:
                marks.add(SUPPRESSED_MARK)
                count = SUPPRESSED + SUPPRESSED_MARK
            else:
                count = number(pair.count, self.language)
            rows.append([labels.get(pair.first, pair.first), labels.get(pair.second, pair.second), count])
        header = [self.t("first_code"), self.t("second_code"), self.t("answers")]
        return Table(self.t("pairs_caption"), header, rows, self.notes(marks))

    def share(self, share: Share, marks: set[str], interval: bool = False) -> str:
        if share.suppressed or share.share is None:
            marks.add(SUPPRESSED_MARK)
            return SUPPRESSED + SUPPRESSED_MARK
        cell = percent(share.share, self.language)
        if interval and share.low is not None and share.high is not None:
            cell += f" ({percent(share.low, self.language)} – {percent(share.high, self.language)})"
        if share.small_base:
            marks.add(SMALL_BASE_MARK)
            cell += SMALL_BASE_MARK
        return cell

    def base(self, share: Share) -> str:
        return SUPPRESSED if share.suppressed else self.count(share.n)

    def count(self, value: int | None) -> str:
        return SUPPRESSED if value is None else number(value, self.language)

    def quantity(self, value: float | None, unit: str | None) -> str:
        return "" if value is None else quantity(value, unit, self.language)

    def notes(self, marks: set[str]) -> list[str]:
        notes = []
        if SUPPRESSED_MARK in marks:
            notes.append(f"{SUPPRESSED_MARK} {self.t('suppressed_note', min_cell_size=self.section.min_cell_size)}")
        if SMALL_BASE_MARK in marks:
            notes.append(f"{SMALL_BASE_MARK} {self.t('small_base_note')}")
        return notes
