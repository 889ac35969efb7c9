"""Checking gettext catalogs: complete, in sync with their templates, placeholders and plurals right, compilable.

``stimmen i18n check`` runs this over every language; the server offers a language only once both of its
catalogs are complete, so a half-done translation never reaches residents.
"""

from __future__ import annotations

import gettext
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

DOMAINS = ("messages", "questionnaires")
PARAGRAPH = "\n\n"


@dataclass(frozen=True)
class CatalogProblem:
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def catalog_path(locales_dir: Path, code: str, domain: str) -> Path:
    return locales_dir / code / "LC_MESSAGES" / f"{domain}.po"


def check_catalog(path: Path, template: Path | None = None) -> list[CatalogProblem]:
    """Every reason this catalog is not ready for residents."""
    try:
        catalog = _read(path)
    except Exception as exc:
        return [CatalogProblem(path, None, f"cannot be read: {exc}")]
    problems: list[CatalogProblem] = []

    def report(message, text: str) -> None:
        line = message.lineno if hasattr(message, "lineno") else None
        problems.append(CatalogProblem(path, line, f"{text}: {_short(message.id)}"))

    if catalog.fuzzy:
        problems.append(CatalogProblem(path, 1, "header is marked fuzzy"))
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            report(message, "missing translation")
            continue
        if message.fuzzy:
            report(message, "fuzzy translation")
        for error in message.check(catalog):
            if "placeholder" not in str(error):  # the stricter comparison below covers placeholders
                report(message, str(error))
        expected = _placeholders(message.id)
        if expected and any(_placeholders(s) != expected for s in strings):
            report(message, f"placeholders differ from the source ({', '.join(sorted(expected))})")
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        if any(s.count(PARAGRAPH) != singular.count(PARAGRAPH) for s in strings):
            report(message, "paragraph breaks differ from the source (pages split text at blank lines)")
    if template is not None and template.exists():
        expected = {m.id for m in _read(template) if m.id}
        present = {m.id for m in catalog if m.id}
        for missing in sorted(expected - present, key=str):
            problems.append(CatalogProblem(path, None, f"entry missing (run pybabel update): {_short(missing)}"))
        for obsolete in sorted(present - expected, key=str):
            problems.append(
                CatalogProblem(path, None, f"entry no longer used (run pybabel update): {_short(obsolete)}")
            )
    try:
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        gettext.GNUTranslations(buffer)
    except Exception as exc:
        problems.append(CatalogProblem(path, None, f"does not compile: {exc}"))
    problems += _msgfmt_problems(path)
    return problems


def _msgfmt_problems(path: Path) -> list[CatalogProblem]:
    """GNU msgfmt's strict syntax check, where gettext is installed (Babel's reader is lenient).

    Placeholders are compared above, so msgfmt's own format check is left out to report each fault once.
    """
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return []
    result = subprocess.run(  # noqa: S603 - fixed program, our own file
        [msgfmt, "--check-header", "--check-domain", "--output-file", os.devnull, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode == 0:
        return []
    lines = [
        line for line in result.stderr.splitlines() if line.strip() and not re.search(r"warning|fatal error", line)
    ]
    return [CatalogProblem(path, None, f"does not compile (msgfmt): {line.strip()}") for line in lines[:5]]


def _placeholders(text: str | tuple[str, ...]) -> set[str]:
    """Named %(...)s placeholders; a translation must keep every one (a lost date is a lost fact)."""
    joined = " ".join(text) if isinstance(text, tuple) else text
    return set(re.findall(r"%\((\w+)\)", joined))


def _short(msgid: str | tuple[str, ...]) -> str:
    text = msgid[0] if isinstance(msgid, tuple) else msgid
    text = text.replace("\n", " ")
    return repr(text if len(text) <= 60 else text[:57] + "...")


def check_all(locales_dir: Path) -> dict[str, list[CatalogProblem]]:
    """Problems per language directory, for both domains."""
    result: dict[str, list[CatalogProblem]] = {}
    for directory in sorted(p for p in locales_dir.iterdir() if p.is_dir()):
        problems: list[CatalogProblem] = []
        for domain in DOMAINS:
            path = catalog_path(locales_dir, directory.name, domain)
            if not path.exists():
                problems.append(CatalogProblem(path, None, "catalog missing"))
                continue
            problems += check_catalog(path, locales_dir / f"{domain}.pot")
        result[directory.name] = problems
    return result


def is_complete(path: Path) -> bool:
    """Every entry translated and none fuzzy (cached until the file changes)."""
    return path.exists() and _complete(path, path.stat().st_mtime_ns)


@cache
def _complete(path: Path, _mtime: int) -> bool:
    catalog = _read(path)
    return not catalog.fuzzy and all(
        all(m.string if isinstance(m.string, tuple) else (m.string,)) and not m.fuzzy for m in catalog if m.id
    )


EXTRACTION = {
    "messages": ("babel.cfg", ["--keyword", "N_", "--no-location", "--sort-output"]),
    "questionnaires": ("babel-questionnaires.cfg", ["--sort-by-file"]),
}


def update_catalogs(project_root: Path, locales_dir: Path) -> dict[str, int]:
    """Re-extract both templates and merge them into every language's catalogs.

    Babel's own ``pybabel update`` insists on locale names, which rejects codes such as ``de-simple``;
    merging here works for every folder. Returns the number of untranslated entries per catalog.
    """
    from babel.messages.frontend import CommandLineInterface

    untranslated: dict[str, int] = {}
    for domain, (config, options) in EXTRACTION.items():
        template_path = locales_dir / f"{domain}.pot"
        CommandLineInterface().run(
            [
                "pybabel",
                "-q",
                "extract",
                "-F",
                str(project_root / config),
                "-o",
                str(template_path),
                "--project",
                "Stimmen",
                "--copyright-holder",
                "Stimmen contributors",
                *options,
                str(project_root),
            ]
        )
        template = _read(template_path)
        for directory in sorted(p for p in locales_dir.iterdir() if p.is_dir()):
            path = catalog_path(locales_dir, directory.name, domain)
            if not path.exists():
                continue
            catalog = _read(path)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            with path.open("wb") as handle:
                write_po(handle, catalog, width=100, ignore_obsolete=True)
            untranslated[str(path.relative_to(locales_dir))] = sum(1 for m in catalog if m.id and not m.string)
    return untranslated
