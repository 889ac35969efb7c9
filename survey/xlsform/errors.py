"""Errors and warnings located by sheet, row and column, the way form authors navigate a spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """A place in the workbook; row numbers are the spreadsheet's own (1 = header row)."""

    sheet: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [f"sheet '{self.sheet}'"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)


class XLSFormError(ValueError):
    """The form cannot be converted; every problem names where to fix it."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Report:
    """Collects problems so one run tells the author about all of them, not just the first."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, where: Location | str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def warn(self, where: Location | str, message: str) -> None:
        text = f"{where}: {message}"
        if text not in self.warnings:
            self.warnings.append(text)

    def raise_errors(self) -> None:
        if self.errors:
            raise XLSFormError(list(self.errors))
