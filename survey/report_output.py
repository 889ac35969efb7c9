"""The report section as files: one per format, Markdown with its figures beside it (or in a zip to download)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from analysis.render import markdown_figures, render
from analysis.report_model import Section

FIGURES = "figures"
"""Folder beside the Markdown file that its image links point into."""
MEDIA_TYPES = {
    "md": "application/zip",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}


def write_report(section: Section, fmt: str, out: Path) -> list[Path]:
    """Write the section to ``out`` (and Markdown's figures to ``figures/`` beside it); returns the files."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(render(section, fmt))
    written = [out]
    if fmt == "md":
        for name, png in markdown_figures(section).items():
            path = out.parent / FIGURES / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(png)
            written.append(path)
    return written


def download(section: Section, fmt: str) -> tuple[bytes, str]:
    """The bytes to download and their file name; Markdown comes zipped with its figures."""
    name = f"{section.wave}-section"
    if fmt != "md":
        return render(section, fmt), f"{name}.{fmt}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.md", render(section, "md"))
        for figure, png in markdown_figures(section).items():
            archive.writestr(f"{FIGURES}/{figure}", png)
    return buffer.getvalue(), f"{name}.zip"
