"""The reports area: authors read a wave's report section and download it; small districts stay hidden."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from docx import Document
from litestar.testing import TestClient
from sqlmodel import Session

from survey.demo.seed import SMALL_DISTRICT
from survey.models import Role, Wave
from survey.settings import Settings
from tests.conftest import login
from tests.report_demo import coded_demo


@pytest.fixture
def demo(db: Session, settings: Settings) -> Wave:
    return coded_demo(db, settings)


def _shares_of(node: Any, district: str) -> Iterator[dict]:
    """Every figure reported for ``district`` anywhere in the section's JSON."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "by_district" and district in value:
                yield value[district]
            yield from _shares_of(value, district)
    elif isinstance(node, list):
        for value in node:
            yield from _shares_of(value, district)


def test_author_reads_the_section_and_switches_language(client: TestClient, users: dict[Role, str], demo: Wave) -> None:
    login(client, users[Role.author])
    listing = client.get("/admin/reports")
    assert listing.status_code == 200
    assert f'href="/admin/reports/{demo.slug}"' in listing.text
    assert 'href="/admin/reports"' in client.get("/admin").text  # in the navigation
    german = client.get(f"/admin/reports/{demo.slug}")
    assert german.status_code == 200
    assert '<article class="report-section" lang="de"' in german.text
    assert demo.title in german.text
    assert "<body" not in german.text.split("<main", 1)[1]  # the section is embedded, not a second document
    english = client.get(f"/admin/reports/{demo.slug}?language=en&weighted=true")
    assert '<article class="report-section" lang="en"' in english.text
    assert 'id="report-weighted" value="true" aria-describedby="weighted-hint" checked' in english.text
    assert f'href="/admin/reports/{demo.slug}/section.docx?language=en&amp;weighted=true"' in english.text


def test_downloads_in_every_format(client: TestClient, users: dict[Role, str], demo: Wave) -> None:
    login(client, users[Role.author])
    base = f"/admin/reports/{demo.slug}"
    markdown = client.get(f"{base}/section.md")
    assert markdown.status_code == 200
    assert markdown.headers["content-disposition"] == f'attachment; filename="{demo.slug}-section.zip"'
    archive = zipfile.ZipFile(io.BytesIO(markdown.content))
    names = archive.namelist()
    assert f"{demo.slug}-section.md" in names
    figures = [name for name in names if name.startswith("figures/")]
    assert figures
    text = archive.read(f"{demo.slug}-section.md").decode()
    assert all(name in text for name in figures)
    html = client.get(f"{base}/section.html?language=en")
    assert html.headers["content-type"].startswith("text/html")
    assert 'lang="en"' in html.text
    docx = client.get(f"{base}/section.docx")
    assert any(demo.title in p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert client.get(f"{base}/section.json").json()["wave"] == demo.slug
    assert client.get(f"{base}/section.pdf").status_code == 404
    assert client.get("/admin/reports/no-such-wave").status_code == 404


@pytest.mark.parametrize("role", [Role.coder, Role.facilitator])
def test_other_roles_are_refused(client: TestClient, users: dict[Role, str], demo: Wave, role: Role) -> None:
    login(client, users[role])
    for path in ("/admin/reports", f"/admin/reports/{demo.slug}", f"/admin/reports/{demo.slug}/section.json"):
        assert client.get(path).status_code == 403, path
    assert 'href="/admin/reports"' not in client.get("/admin").text


def test_small_district_shows_no_numbers(client: TestClient, users: dict[Role, str], demo: Wave) -> None:
    login(client, users[Role.author])
    section = client.get(f"/admin/reports/{demo.slug}/section.json").json()
    assert SMALL_DISTRICT in section["suppressed_districts"]
    shares = list(_shares_of(section, SMALL_DISTRICT))
    assert shares  # the district appears in the breakdowns, withheld
    for share in shares:
        assert share["suppressed"] is True
        assert share["count"] is None
        assert share["n"] is None
        assert share["share"] is None
    page = client.get(f"/admin/reports/{demo.slug}").text
    section_html = page.split('class="report-section"', 1)[1]
    assert page.count("<main") == 1
    # survey tables have a row per district; the indicators by district (official statistics, not people counted
    # here) keep their values
    survey_tables = [t for t in section_html.split("<table")[1:] if "Kennzahlen nach Stadtteil" not in t]
    rows = re.findall(rf'<tr><th scope="row">{SMALL_DISTRICT}</th>.*?</tr>', "".join(survey_tables), re.DOTALL)
    assert rows
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        assert cells
        assert not any(re.search(r"\d", cell) for cell in cells), row
