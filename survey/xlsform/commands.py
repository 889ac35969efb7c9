"""What ``stimmen questionnaire import|export|validate`` do with XLSForm files; returns exit codes.

Kept out of :mod:`survey.cli` so the command module stays a thin list of commands.
"""

from __future__ import annotations

from pathlib import Path

import click

from survey.questionnaire import QuestionnaireError, load
from survey.xlsform.catalogs import merge_translations, read_catalogs
from survey.xlsform.errors import XLSFormError
from survey.xlsform.exporter import ExportError, export_rows
from survey.xlsform.importer import Conversion, import_xlsform
from survey.xlsform.writer import write_workbook


def _convert(file: Path) -> Conversion | None:
    try:
        conversion, _ = import_xlsform(file)
    except XLSFormError as exc:
        for problem in exc.problems:
            click.echo(f"{file}: {problem}", err=True)
        return None
    for warning in conversion.warnings:
        click.echo(f"{file}: warning: {warning}", err=True)
    return conversion


def _counts(conversion: Conversion) -> str:
    pages = conversion.questionnaire["pages"]
    return f"{len(pages)} pages, {sum(len(page['questions']) for page in pages)} questions"


def validate_xlsform(file: Path) -> int:
    conversion = _convert(file)
    if conversion is None:
        return 1
    click.echo(f"{file}: OK ({_counts(conversion)}) as questionnaire '{conversion.id}'")
    source = conversion.translations.get(conversion.source_language or "", {})
    for code, texts in sorted(conversion.translations.items()):
        if code != conversion.source_language:
            click.echo(f"  {code}: {len(texts)} of {len(source) or '?'} text(s) translated in the form")
    return 0


def import_xlsform_files(file: Path, out_dir: Path, locales_dir: Path) -> int:
    conversion = _convert(file)
    if conversion is None:
        return 1
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{conversion.id}.yaml"
    replaced = " (replaced the existing file)" if target.exists() else ""
    target.write_text(conversion.yaml(), encoding="utf-8")
    click.echo(f"Wrote {target}{replaced}: {_counts(conversion)}.")
    origin = f"{conversion.id} (imported from {file.name})"
    for merge in merge_translations(locales_dir, conversion.translations, origin):
        click.echo(f"  {merge}")
        if merge.created and not (merge.path.parent / "messages.po").exists():
            click.echo(f"    {merge.code} has no messages.po yet: the survey pages are not translated into it")
    if not conversion.translations:
        click.echo("  no catalogs written: the form's languages are unknown")
    click.echo("Run `stimmen i18n update` to refresh the translation templates.")
    return 0


def export_xlsform_file(file: Path, out: Path, locales_dir: Path) -> int:
    try:
        questionnaire = load(file)
    except QuestionnaireError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        return 1
    try:
        sheets = export_rows(questionnaire, read_catalogs(locales_dir))
    except ExportError as exc:
        click.echo(f"{file}: {exc}", err=True)
        return 1
    write_workbook(sheets, out)
    click.echo(f"Wrote {out}: {len(sheets.survey)} survey rows, languages {', '.join(sheets.languages)}.")
    return 0
