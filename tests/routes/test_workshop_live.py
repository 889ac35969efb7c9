"""The live screen, its word clouds and the take-home summary downloads, on both databases."""

from __future__ import annotations

import io
import re

from docx import Document
from litestar.testing import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from analysis.text import pipeline
from survey.app import create_app
from survey.models import Role, Vote, Wave, Workshop
from survey.settings import Settings
from survey.statements import add_statement, cast_votes
from survey.users import add_user
from survey.workshop_clouds import room_cloud, warm_pipelines
from survey.workshops import close_workshop
from tests.conftest import PASSWORD, login
from tests.routes.test_workshop_results import participant, workshop

TEXTS = {
    "community_concerns": "Die Miete ist zu hoch und eine Wohnung zu finden ist schwer.",
    "city_wishes": "Mehr Treffpunkte und bezahlbare Wohnungen.",
}


def live(client: TestClient, room: Workshop, lang: str = "en") -> str:
    response = client.get(f"/w/{room.join_code}/live", params={"lang": lang})
    assert response.status_code == 200
    return response.text


def section(html: str, heading: str) -> str:
    """The live-question section under ``heading``."""
    match = re.search(rf"<h3 [^>]*>{re.escape(heading)}</h3>(.*?)</section>", html, re.DOTALL)
    assert match, f"no section {heading!r}"
    return match.group(1)


def bar_values(html: str) -> dict[str, str]:
    """Bar label → the number (or "–") shown beside it."""
    found = re.findall(
        r'<span class="bar-label" dir="auto">([^<]*)</span>.*?<span class="bar-value">(.*?)</span>\s*</span>',
        html,
        re.DOTALL,
    )
    return {label: re.sub(r"<[^>]+>", "", value) for label, value in found}


def test_before_the_minimum_the_screen_shows_only_how_many_have_answered(
    client: TestClient, db: Session, wave: Wave
) -> None:
    room = workshop(db, wave)
    for _ in range(4):
        participant(db, room, {"age_group": "age_30_44"}, texts=TEXTS)
    html = live(client, room)
    assert "4 people have answered" in html
    assert "Results appear once 5 people have answered." in html
    assert "bar-value" not in html
    assert "/cloud/" not in html
    assert "How old are you?" not in html


def test_counts_appear_as_bars_with_their_number_once_enough_have_answered(
    client: TestClient, db: Session, wave: Wave
) -> None:
    room = workshop(db, wave)
    for _ in range(6):
        participant(db, room, {"age_group": "age_30_44"})
    html = live(client, room)
    assert "6 people have answered" in html
    ages = section(html, "How old are you?")
    values = bar_values(ages)
    assert values["30 to 44 years"] == "6"
    assert values["under 18 years"] == "0"
    assert '<rect width="100.0" height="10"/>' in ages  # 6 of 6: a full bar
    assert "Results appear once" not in html


def test_the_screen_says_when_newer_answers_wait_for_the_next_step(client: TestClient, db: Session, wave: Wave) -> None:
    room = workshop(db, wave)
    for _ in range(5):
        participant(db, room, {"age_group": "age_30_44"})
    assert "These results count" not in live(client, room)
    for _ in range(2):
        participant(db, room, {"age_group": "age_65_plus"})
    html = live(client, room)
    assert "7 people have answered" in html
    assert "These results count 5 of the 7 people who answered." in html
    assert bar_values(section(html, "How old are you?"))["65 years and older"] == "0"


def test_withheld_counts_never_appear_as_numbers(client: TestClient, db: Session, wave: Wave) -> None:
    room = workshop(db, wave)
    for age in ["age_30_44"] * 7 + ["age_65_plus"] * 2:
        participant(db, room, {"age_group": age})
    ages = section(live(client, room), "How old are you?")
    values = bar_values(ages)
    assert values["65 years and older"] == "–withheld"
    assert values["30 to 44 years"] == "–withheld"  # 9 − 7 would give the 2 away
    assert not {"2", "7"} & set(values.values())
    assert "fewer than 5 people, or a number from which such a one could be worked out" in ages


def test_statements_are_shown_with_their_votes(client: TestClient, db: Session, wave: Wave) -> None:
    room = workshop(db, wave)
    meeting = add_statement(db, room, "Wir brauchen mehr Treffpunkte im Viertel.", "de")
    buses = add_statement(db, room, "Die Busse fahren abends zu selten.", "de")
    people = [participant(db, room, {"age_group": "age_30_44"}) for _ in range(11)]
    for i, person in enumerate(people):
        votes = {meeting.id: Vote.agree if i < 6 else Vote.disagree}
        if i < 2:
            votes[buses.id] = Vote.agree
        cast_votes(db, room, person.id, votes)
    html = live(client, room)
    first, second = html.split('<p class="statement"')[1:]
    assert "Wir brauchen mehr Treffpunkte im Viertel." in first
    assert 'lang="de"' in first
    assert "11 votes" in first
    assert bar_values(first) == {"Agree": "6", "Disagree": "5", "Pass": "0"}
    assert "Die Busse fahren abends zu selten." in second
    assert "Votes appear once 5 people have voted." in second
    assert "bar-value" not in second


def test_the_screen_refreshes_without_javascript(client: TestClient, db: Session, wave: Wave) -> None:
    room = workshop(db, wave)
    for _ in range(5):
        participant(db, room, {"age_group": "age_30_44"})
    html = live(client, room)
    refresh = re.search(r'<a class="button secondary" href="([^"]+)">Refresh</a>', html)
    assert refresh
    assert refresh.group(1) == f"/w/{room.join_code}/live?lang=en"
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/live.js" defer>']  # no inline script
    assert 'aria-live="polite"' in html
    participant(db, room, {"age_group": "age_30_44"})
    again = client.get(refresh.group(1)).text
    assert "6 people have answered" in again
    # live.js redraws when results.json's version differs from the page's
    version = re.search(r'data-version="([0-9a-f]+)"', again).group(1)
    assert client.get(f"/w/{room.join_code}/results.json", params={"lang": "en"}).json()["version"] == version
    assert version != re.search(r'data-version="([0-9a-f]+)"', html).group(1)


def test_lang_chooses_among_the_workshops_languages(client: TestClient, db: Session, wave: Wave) -> None:
    room = workshop(db, wave)
    for _ in range(5):
        participant(db, room, {"age_group": "age_30_44"})
    german = live(client, room, "de")
    assert '<html lang="de"' in german
    assert "30 bis 44 Jahre" in german
    assert f'data-results="/w/{room.join_code}/results.json?lang=de"' in german
    english = live(client, room, "en")
    assert '<html lang="en"' in english
    assert "30 to 44 years" in english
    assert "Türkçe" not in live(client, room, "tr")  # only the workshop's languages are offered


def test_the_cloud_is_not_found_below_the_minimum(client: TestClient, db: Session, wave: Wave) -> None:
    room = workshop(db, wave)
    for _ in range(4):
        participant(db, room, {}, texts=TEXTS)
    assert client.get(f"/w/{room.join_code}/cloud/de.png").status_code == 404
    assert client.get(f"/w/{room.join_code}/results.json").json()["clouds"] == []


def test_the_cloud_is_a_png_once_enough_people_have_answered(client: TestClient, db: Session, wave: Wave) -> None:
    room = workshop(db, wave)
    for _ in range(5):
        participant(db, room, {}, texts=TEXTS)
    participant(db, room, {}, texts=TEXTS, language="en")
    (cloud,) = client.get(f"/w/{room.join_code}/results.json").json()["clouds"]
    assert cloud["language"] == "de"
    assert "Miete" in cloud["words"]
    response = client.get(f"/w/{room.join_code}/cloud/de.png", params={"v": cloud["version"]})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert "max-age=" in response.headers["cache-control"]
    html = live(client, room)
    image = re.search(r'<img src="([^"]+)"[^>]*alt="([^"]+)"', html, re.DOTALL)
    assert image.group(1) == f"/w/{room.join_code}/cloud/de.png?v={cloud['version']}"
    assert image.group(2).startswith("Word cloud of the answers in German. Most frequent words: ")
    assert "Miete" in image.group(2)
    for other in ("en.png", "tr.png", "de.gif", "xx.png"):  # one English answer is too few; no such language
        assert client.get(f"/w/{room.join_code}/cloud/{other}").status_code == 404


def test_a_new_answer_draws_a_new_cloud_and_the_same_answers_reuse_it(db: Session, wave: Wave) -> None:
    room = workshop(db, wave)
    for _ in range(5):
        participant(db, room, {}, texts=TEXTS)
    first = room_cloud(db, room, wave.min_cell_size, "de")
    assert room_cloud(db, room, wave.min_cell_size, "de") is first
    participant(db, room, {}, texts={"community_concerns": "Miete"})
    assert room_cloud(db, room, wave.min_cell_size, "de") is first  # one new answer waits for the next step
    for _ in range(4):
        participant(db, room, {}, texts={"community_concerns": "Miete"})
    second = room_cloud(db, room, wave.min_cell_size, "de")
    assert second is not first
    assert second.key.version != first.key.version
    assert second.frequencies["Miete"] == first.frequencies["Miete"] + 5


def test_personal_data_never_becomes_a_word_of_the_cloud(client: TestClient, db: Session, wave: Wave) -> None:
    room = workshop(db, wave)
    text = "Die Miete ist zu hoch. Schreiben Sie an lena.kaya@example.org oder 0171 2345678, Frau Lena Kaya hilft."
    for _ in range(6):
        participant(db, room, {}, texts={"community_concerns": text})
    cloud = room_cloud(db, room, wave.min_cell_size, "de")
    assert {"Miete", "Frau", "hilft"} <= set(cloud.frequencies)
    for word in cloud.frequencies:  # nor do the placeholders that replace them
        assert not re.search(r"[@\d]|example|lena|kaya|mail|telefon|name", word, re.IGNORECASE), word


def facilitator(db: Session, email: str, organisation: str) -> str:
    return add_user(db, email, Role.facilitator, PASSWORD, organisation=organisation).email


def closed_room(db: Session, wave: Wave) -> Workshop:
    room = workshop(db, wave)
    statement = add_statement(db, room, "Wir brauchen mehr Treffpunkte im Viertel.", "de")
    for _ in range(6):
        person = participant(db, room, {"age_group": "age_30_44"}, texts=TEXTS)
        cast_votes(db, room, person.id, {statement.id: Vote.agree})
    return close_workshop(db, room)


def test_the_summary_downloads_for_the_workshops_own_facilitator(client: TestClient, db: Session, wave: Wave) -> None:
    room = closed_room(db, wave)
    login(client, facilitator(db, "own@example.org", "verein a"))  # organisations match in any case
    page = client.get(f"/admin/workshops/{room.id}/summary.html", params={"lang": "en"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-disposition"] == f'attachment; filename="workshop-{room.join_code}-summary-en.html"'
    assert "Wir brauchen mehr Treffpunkte im Viertel." in page.text
    word = client.get(f"/admin/workshops/{room.id}/summary.docx", params={"lang": "de"})
    assert word.status_code == 200
    assert f"workshop-{room.join_code}-summary-de.docx" in word.headers["content-disposition"]
    document = Document(io.BytesIO(word.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Wir brauchen mehr Treffpunkte im Viertel." in cells


def test_another_organisations_facilitator_gets_not_found(client: TestClient, db: Session, wave: Wave) -> None:
    room = closed_room(db, wave)
    login(client, facilitator(db, "other@example.org", "Verein B"))
    for fmt in ("html", "docx"):
        assert client.get(f"/admin/workshops/{room.id}/summary.{fmt}").status_code == 404
    assert client.get(f"/admin/workshops/{room.id + 1000}/summary.html").status_code == 404


def test_other_roles_are_refused(client: TestClient, db: Session, wave: Wave, users: dict[Role, str]) -> None:
    room = closed_room(db, wave)
    login(client, users[Role.coder])
    assert client.get(f"/admin/workshops/{room.id}/summary.html").status_code == 403
    login(client, users[Role.admin])
    assert client.get(f"/admin/workshops/{room.id}/summary.html").status_code == 200


def test_the_summary_waits_until_the_workshop_is_closed(
    client: TestClient, db: Session, wave: Wave, users: dict[Role, str]
) -> None:
    room = workshop(db, wave)
    login(client, users[Role.admin])
    response = client.get(f"/admin/workshops/{room.id}/summary.docx", params={"lang": "en"})
    assert response.status_code == 409
    assert "content-disposition" not in response.headers
    assert "Please close the workshop “Abendrunde” first" in response.text


def test_the_server_loads_the_pipelines_of_open_workshops_at_start(
    db: Session, wave: Wave, settings: Settings, engine: Engine
) -> None:
    """The room's first poll must not be the one that loads lemma tables for seconds."""
    workshop(db, wave)  # languages de and en
    pipeline.cache_clear()
    with TestClient(create_app(settings, engine)):
        hits = pipeline.cache_info().hits
        pipeline("de")
        pipeline("en")
        assert pipeline.cache_info().hits == hits + 2  # both were built before the first request


def test_pipelines_are_warmed_for_what_the_analysis_reads() -> None:
    pipeline.cache_clear()
    warm_pipelines(["de-simple", "xx", "de-simple"])  # Einfache Sprache reads as German; unknown codes are skipped
    assert pipeline.cache_info().currsize == 1
    hits = pipeline.cache_info().hits
    pipeline("de")
    assert pipeline.cache_info().hits == hits + 1
