"""XLSForm (KoboToolbox, ODK) import and export for Stimmen questionnaires and their translations."""

from __future__ import annotations

from pathlib import Path

from survey.questionnaire import Questionnaire
from survey.xlsform.catalogs import read_catalogs
from survey.xlsform.errors import XLSFormError
from survey.xlsform.exporter import ExportError, export_rows
from survey.xlsform.importer import Conversion, import_xlsform
from survey.xlsform.writer import write_workbook

XLSFORM_SUFFIXES = (".xlsx", ".xls")

__all__ = ["XLSFORM_SUFFIXES", "Conversion", "ExportError", "XLSFormError", "export_xlsform", "import_xlsform"]


def export_xlsform(questionnaire: Questionnaire, locales_dir: Path, out: Path) -> list[str]:
    """Write the questionnaire with every language that has a catalog; returns the language columns."""
    sheets = export_rows(questionnaire, read_catalogs(locales_dir))
    write_workbook(sheets, out)
    return sheets.languages
