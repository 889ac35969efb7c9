"""Questionnaire text for gettext: a Babel extractor, and a completeness check per language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.pofile import read_po

from survey.i18n import available_languages
from survey.questionnaire.loader import _LineLoader

TRANSLATABLE = {"title", "description", "text", "hint", "intro", "constraint_message", "min_label", "max_label", "unit"}


def _walk(node: Any, where: str = "") -> Iterator[tuple[int, str, str]]:
    if isinstance(node, dict):
        here = f"{where}/{node['id']}" if isinstance(node.get("id"), str) else where
        for key, value in node.items():
            if key in TRANSLATABLE and isinstance(value, str):
                yield node.key_lines.get(key, node.line), value, f"{here.lstrip('/') or 'questionnaire'}.{key}"
            else:
                yield from _walk(value, here)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, where)


def messages(source: str) -> Iterator[tuple[int, str, str]]:
    """(line, German text, where) for every translatable string, in file order."""
    import yaml

    yield from _walk(yaml.load(source, Loader=_LineLoader))  # noqa: S506 - SafeLoader subclass


def extract_questionnaire(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extraction method ``stimmen_questionnaire`` (see babel.cfg)."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for line, text, where in messages(source):
        yield line, None, text, [where]


def missing_translations(path: Path, locales_dir: Path) -> dict[str, list[str]]:
    """Per language (except the German source): questionnaire texts without a translation."""
    texts = list(dict.fromkeys(text for _, text, _ in messages(path.read_text(encoding="utf-8"))))
    result: dict[str, list[str]] = {}
    for code in available_languages(locales_dir):
        if code == "de":
            continue
        with (locales_dir / code / "LC_MESSAGES" / "questionnaires.po").open("rb") as handle:
            catalog = read_po(handle)
        result[code] = [text for text in texts if not (catalog.get(text) and catalog.get(text).string)]
    return result
