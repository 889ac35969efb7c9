"""Questionnaire catalogs (``<locales>/<code>/LC_MESSAGES/questionnaires.po``): read for export, merge on import."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel import UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from survey.xlsform.languages import SOURCE_CODE

DOMAIN = "questionnaires"
WIDTH = 100
"""Line width of the project's catalogs, so a merge changes only the entries it touches."""


def catalog_path(locales_dir: Path, code: str) -> Path:
    return locales_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_codes(locales_dir: Path) -> list[str]:
    """Languages with a questionnaire catalog, German first."""
    codes = (
        [p.name for p in locales_dir.iterdir() if catalog_path(locales_dir, p.name).exists()]
        if locales_dir.is_dir()
        else []
    )
    return sorted(set(codes), key=lambda code: (code != SOURCE_CODE, code))


def read_catalog(locales_dir: Path, code: str) -> dict[str, str]:
    """German text → translation, for entries that are translated and not marked fuzzy."""
    with catalog_path(locales_dir, code).open("rb") as handle:
        catalog = read_po(handle)
    return {
        message.id: message.string
        for message in catalog
        if isinstance(message.id, str)
        and message.id
        and isinstance(message.string, str)
        and message.string
        and not message.fuzzy
    }


def read_catalogs(locales_dir: Path) -> dict[str, dict[str, str]]:
    return {code: read_catalog(locales_dir, code) for code in catalog_codes(locales_dir)}


@dataclass(frozen=True)
class Merge:
    code: str
    path: Path
    created: bool
    added: int
    updated: int

    def __str__(self) -> str:
        if not (self.created or self.added or self.updated):
            return f"{self.code}: {self.path} already up to date"
        verb = "created" if self.created else "updated"
        return f"{self.code}: {verb} {self.path} ({self.added} new, {self.updated} changed)"


def merge_translations(locales_dir: Path, translations: dict[str, dict[str, str]], origin: str) -> list[Merge]:
    """Add or update entries; entries of other questionnaires stay as they are."""
    merges = []
    for code, entries in sorted(translations.items()):
        path = catalog_path(locales_dir, code)
        created = not path.exists()
        catalog = _new_catalog(code) if created else _read(path)
        added = updated = 0
        for source, text in entries.items():
            message = catalog.get(source)
            if message is None:
                catalog.add(source, text, auto_comments=[origin])
                added += 1
            elif message.string != text or message.fuzzy:
                message.string = text
                message.flags.discard("fuzzy")
                updated += 1
        if created or added or updated:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, catalog, width=WIDTH)
        merges.append(Merge(code, path, created, added, updated))
    return merges


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _new_catalog(code: str) -> Catalog:
    try:
        catalog = Catalog(locale=code.replace("-", "_"), domain=DOMAIN, project="Stimmen")
    except (UnknownLocaleError, ValueError):
        catalog = Catalog(domain=DOMAIN, project="Stimmen")
    catalog.fuzzy = False
    return catalog
