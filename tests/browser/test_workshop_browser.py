"""A workshop from start to finish in real Chromium: the facilitator creates it and types in two paper forms,
three participants join by code on their phones in German, English and Arabic (right to left), answer and vote,
and the projector's live screen shows the room's aggregates without being reloaded. axe checks every page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from survey.models import Channel, Response, ResponseStatus, Role, StatementVote, Workshop
from survey.users import add_user
from tests.browser.conftest import LANGUAGES
from tests.browser.flow import AxeChecker, click_label_for, expect_language

pytestmark = pytest.mark.browser

ORGANISATION = "Brücke e.V."
EMAIL, PASSWORD = "moderation@bruecke.example", "workshop-browser-2026"
TITLE = "Nachbarschaftsrunde im Browser"
STATEMENT = "Wir wünschen uns Beratung in unseren Sprachen."
PARTICIPANTS = {  # language → what they write about what concerns their community
    "de": "Die Mieten im Viertel steigen zu schnell.",
    "en": "Finding a doctor who takes new patients is hard.",
    "ar": "نحتاج إلى دورات لغة في المساء.",
}
DESKTOP = {"width": 1280, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}
LIVE_UPDATE_TIMEOUT_MS = 20_000
"""live.js asks every 5 s; a few rounds of slack for a busy CI machine."""


@pytest.fixture(scope="module")
def facilitator(db_engine: Engine) -> str:
    assert {"de", "en", "ar"} <= set(LANGUAGES)
    with Session(db_engine) as session:
        add_user(session, EMAIL, Role.facilitator, PASSWORD, ORGANISATION)
    return EMAIL


def sign_in(page: Page) -> None:
    page.goto("/admin/login?lang=en")
    page.fill("#q-email", EMAIL)
    page.fill("#q-password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/admin/login"))


def create_workshop(page: Page, axe: AxeChecker) -> str:
    """Through the form, as a facilitator would; returns the join code the detail page shows."""
    page.goto("/admin/workshops?lang=en")
    axe("workshop list")
    page.select_option("#q-wave", label=f"Browser-Test ({', '.join(LANGUAGES)})")
    page.fill("#q-title", TITLE)
    page.fill("#q-held_on", date.today().isoformat())
    for code in ("de", "en", "ar"):
        page.check(f"#q-languages-{code}")
    page.get_by_role("button", name="Create workshop").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    axe("workshop detail")
    code = page.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{6}", code), code
    return code


def enter_paper_form(page: Page, workshop_id: str, number: str) -> None:
    """Keyboard first: the form number has the focus, the rest is reached by label clicks like a typist's tabbing."""
    page.goto(f"/admin/workshops/{workshop_id}/paper?lang=de")
    expect(page.locator("#q-paper_form")).to_be_focused()
    page.keyboard.type(number)
    for consent in ("participation", "special_categories"):
        click_label_for(page, f"q-consent-{consent}")
    page.fill("#q-community_concerns", "Zu wenige Kitaplätze im Stadtteil.")
    click_label_for(page, "q-age_group-c1")  # everyone in the same age group: a count of 5 may be shown
    page.get_by_role("button", name="Diesen Fragebogen speichern").click()
    expect(page).to_have_url(re.compile(rf"/admin/workshops/{workshop_id}/paper\?.*saved={number}"))


def answer_workshop(page: Page, code: str, lang: str, text: str, axe: AxeChecker) -> None:
    """Join by the code as typed on a phone, consent, answer every page, submit, vote on the statement."""
    page.goto(f"/w?lang={lang}")
    page.fill("#q-code", code.lower()[:3] + " " + code.lower()[3:])
    page.locator("form[action='/w'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/w/{code}$"))
    expect_language(page, lang)
    axe(f"workshop consent {lang}")
    click_label_for(page, "q-consent-participation")
    click_label_for(page, "q-consent-special_categories")
    page.locator("form[action$='/start'] button[type=submit]").click()
    for _ in range(6):
        expect(page).to_have_url(re.compile(rf"/w/{code}/p/\d+$"))
        if page.locator("#q-community_concerns").count():
            page.fill("#q-community_concerns", text)
            axe(f"workshop page {lang}")
        for group in ("age_group", "migration_experience"):
            if page.locator(f"#q-{group}-c1").count():
                click_label_for(page, f"q-{group}-c1")
        submit = page.locator("button[value=submit]")
        if submit.count():
            submit.click()
            break
        page.locator("button[value=next]").click()
    expect(page).to_have_url(re.compile(rf"/w/{code}/thanks$"))
    axe(f"workshop thanks {lang}")
    page.locator(f"a[href='/w/{code}/statements']").click()
    axe(f"statements {lang}")
    click_label_for(page, page.locator("input[value=agree]").get_attribute("id"))
    page.locator("form[action$='/statements'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/statements\?saved=true$"))


def test_a_workshop_runs_from_creation_to_live_results(
    new_page: Callable[..., Page], facilitator: str, db_engine: Engine
) -> None:
    desk = new_page(viewport=DESKTOP)
    desk_axe = AxeChecker(desk, "en")
    sign_in(desk)
    code = create_workshop(desk, desk_axe)
    workshop_id = re.search(r"/admin/workshops/(\d+)", desk.url).group(1)

    desk.fill("#q-text", STATEMENT)
    desk.get_by_role("button", name="Add statement").click()
    expect(desk.locator("#statements")).to_contain_text(STATEMENT)

    for number in ("P-1", "P-2"):
        enter_paper_form(desk, workshop_id, number)
    desk_axe("paper entry")

    projector = new_page(viewport=PROJECTOR)
    projector_axe = AxeChecker(projector, "de")
    projector.goto(f"/w/{code}/live?lang=de")
    expect(projector.locator(".live-count")).to_have_attribute("data-participants", "2")
    expect(projector.locator(".live-waiting")).to_be_visible()  # 2 of 5: nothing shown yet
    projector_axe("live screen waiting")

    for lang, text in PARTICIPANTS.items():
        phone = new_page()
        axe = AxeChecker(phone, lang)
        answer_workshop(phone, code, lang, text, axe)
        if lang == "ar":
            assert phone.locator("html").get_attribute("dir") == "rtl"
        axe.assert_clean()

    # Five have answered: the projector shows the counts without anyone reloading it.
    expect(projector.locator(".live-count")).to_have_attribute("data-participants", "5", timeout=LIVE_UPDATE_TIMEOUT_MS)
    expect(projector.locator(".live-waiting")).to_have_count(0)
    ages = projector.locator(".live-question", has_text="Wie alt sind Sie?")
    expect(ages.locator(".bar-value").first).to_have_text("5")
    assert projector.evaluate("performance.getEntriesByType('navigation').length") == 1  # never reloaded
    projector_axe("live screen with results")
    projector_axe.assert_clean()
    desk_axe.assert_clean()

    with Session(db_engine) as session:
        workshop = session.exec(select(Workshop).where(Workshop.join_code == code)).one()
        answered = session.exec(select(Response).where(Response.workshop_id == workshop.id)).all()
        assert sorted(r.channel for r in answered) == [Channel.paper, Channel.paper] + [Channel.workshop] * 3
        assert {r.status for r in answered} == {ResponseStatus.submitted}
        assert sorted(r.language for r in answered if r.channel == Channel.workshop) == ["ar", "de", "en"]
        assert sorted(r.paper_form for r in answered if r.paper_form) == ["P-1", "P-2"]
        assert len(session.exec(select(StatementVote)).all()) == 3
