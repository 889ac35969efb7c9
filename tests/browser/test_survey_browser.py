"""A resident's way through the default questionnaire in real headless Chromium.

The pages are driven the way people use them: by clicking the visible labels, typing into text fields,
or with the keyboard alone. What the server stored is then checked directly in its database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from survey.models import Answer, Response, ResponseStatus
from survey.security import hash_receipt_code

pytestmark = pytest.mark.browser

SURVEY = "/s/browser"
"""The open wave the ``live_database`` fixture creates."""
RECEIPT_CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
PAGE_URL = re.compile(rf"{SURVEY}/p/(\d+)$")
MAX_PAGES = 15
ALL_PAGES = list(range(9))
"""The default questionnaire has 9 pages; answering "yes" to discrimination_any and writing free text shows all."""

CONSENT_IDS = ["q-consent-participation", "q-consent-special_categories"]

# What the resident types, in the language they chose.
TEXTS = {
    "de": {
        "belonging_situation_positive": "Beim Straßenfest in der Altstadt haben mich die Nachbarn zum Grillen "
        "eingeladen – da wusste ich: Ich gehöre hierher.",
        "belonging_situation_negative": "Im Bürgeramt wurde ich gefragt, wann ich „zurück“ gehe.",
        "discrimination_experience": "Bei der Wohnungssuche bekam ich nach dem ersten Telefonat keine Antwort mehr.",
        "city_wishes": "Mehr Orte, an denen man sich ohne Geld treffen kann.",
        "discrimination_grounds.other": "Mein Akzent",
    },
    "en": {
        "belonging_situation_positive": "At the street party in the old town my neighbours invited me to their "
        "barbecue – that is when I knew: I belong here.",
        "belonging_situation_negative": "At the citizens' office I was asked when I would go “back”.",
        "discrimination_experience": "When I was looking for a flat, nobody answered after the first phone call.",
        "city_wishes": "More places where people can meet without spending money.",
        "discrimination_grounds.other": "My accent",
    },
}

# Choices the resident makes on purpose; every other radio group gets its first choice.
RADIO_PLAN = {
    "attachment.city": "close",
    "other_country": "yes",
    "welcome": "4",
    "discriminated_group": "no",
    "discrimination_any": "yes",
    "discrimination_frequency": "several_times",
    "discrimination_support": "partly",
    "district": "Hafen",
}
CHECKBOX_PLAN = {
    "helps_at_home": ["neighbourhood", "friends"],
    "contribution": ["languages", "volunteering"],
    "discrimination_domains": ["housing", "public_space"],
    "discrimination_grounds": ["origin", "other"],
    "discrimination_forms": ["stared_at", "not_taken_seriously"],
    "discrimination_reactions": ["talked_to_others"],
    "city_priorities": ["meeting_places", "affordable_housing"],
    "quote_consent": ["yes"],
    "home_languages": ["german", "turkish"],
}
NUMBERS = {"household_size": "3"}

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


# ---------------------------------------------------------------------------------------------- helpers


def page_index(page: Page) -> int:
    match = PAGE_URL.search(page.url.split("?")[0])
    assert match, f"not on a questionnaire page: {page.url}"
    return int(match.group(1))


def click_label_for(page: Page, input_id: str) -> None:
    """Choose an option the way people do: by clicking (tapping) its visible label."""
    page.locator(f'label[for="{input_id}"]').click()


def submit_with(page: Page, selector: str) -> None:
    """Click a submit button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.locator(selector).click()


def open_consent(page: Page, lang: str) -> None:
    page.goto(f"{SURVEY}?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def give_consent_and_start(page: Page) -> None:
    for input_id in CONSENT_IDS:
        click_label_for(page, input_id)
        expect(page.locator(f"#{input_id}")).to_be_checked()
    submit_with(page, f'form[action="{SURVEY}/start"] button[type=submit]')
    assert page_index(page) == 0, page.url


def group_names(page: Page, kind: str) -> list[str]:
    """Names of the radio or checkbox groups in the page's form, in document order."""
    return page.locator(f"main form input[type={kind}]").evaluate_all(
        "inputs => [...new Set(inputs.map(input => input.name))]"
    )


def choice(page: Page, name: str, value: str):
    return page.locator(f'main form input[name="{name}"][value="{value}"]')


def answer_page(page: Page, texts: dict[str, str]) -> dict[str, Any]:
    """Fill in the shown page like a resident; returns field name → what was chosen or typed."""
    answered: dict[str, Any] = {}
    for area in page.locator("main form textarea").all():
        name = area.get_attribute("name")
        if name in texts:
            area.fill(texts[name])
            answered[name] = texts[name]
    for name, value in NUMBERS.items():
        field = page.locator(f'main form input[name="{name}"]')
        if field.count():
            field.fill(value)
            answered[name] = value
    for name in group_names(page, "checkbox"):
        for value in CHECKBOX_PLAN.get(name, []):
            box = choice(page, name, value)
            if not box.is_checked():
                click_label_for(page, box.get_attribute("id"))
            expect(box).to_be_checked()
        if name in CHECKBOX_PLAN:
            answered[name] = CHECKBOX_PLAN[name]
        if "other" in CHECKBOX_PLAN.get(name, []):
            page.locator(f'main form input[name="{name}.other"]').fill(texts[f"{name}.other"])
            answered[f"{name}.other"] = texts[f"{name}.other"]
    for name in group_names(page, "radio"):
        radios = page.locator(f'main form input[type=radio][name="{name}"]')
        checked = page.locator(f'main form input[type=radio][name="{name}"]:checked')
        if name in RADIO_PLAN:
            target = choice(page, name, RADIO_PLAN[name])
        elif checked.count():
            answered[name] = checked.get_attribute("value")
            continue
        else:
            target = radios.first
        click_label_for(page, target.get_attribute("id"))
        expect(target).to_be_checked()
        answered[name] = target.get_attribute("value")
    return answered


def complete_survey(
    page: Page, lang: str, *, on_page: Callable[[Page, int], None] | None = None
) -> tuple[list[int], dict[str, Any]]:
    """From the first questionnaire page to the thank-you page; returns the pages seen and the answers."""
    visited: list[int] = []
    answered: dict[str, Any] = {}
    for _ in range(MAX_PAGES):
        index = page_index(page)
        visited.append(index)
        if on_page:
            on_page(page, index)
        answered.update(answer_page(page, TEXTS[lang]))
        if page.locator("button[value=submit]").count():
            submit_with(page, "button[value=submit]")
            break
        submit_with(page, "button[value=next]")
        summary = page.locator(".error-summary")
        assert summary.count() == 0, f"page {index} was not accepted: {summary.inner_text()}"
    else:
        pytest.fail(f"no submit button after {MAX_PAGES} pages: {visited}")
    assert page.url.split("?")[0].endswith(f"{SURVEY}/thanks"), page.url
    return visited, answered


def submitted_ids(engine: Engine, wave_id: int) -> set[str]:
    with Session(engine) as session:
        return set(
            session.exec(
                select(Response.id).where(Response.wave_id == wave_id, Response.status == ResponseStatus.submitted)
            ).all()
        )


# ---------------------------------------------------------------------------------------------- tests


@pytest.mark.parametrize("lang", ["de", "en"])
def test_resident_completes_default_questionnaire(
    page: Page, lang: str, db_engine: Engine, live_database, screenshots_dir
) -> None:
    before = submitted_ids(db_engine, live_database.wave_id)

    open_consent(page, lang)
    page.screenshot(path=screenshots_dir / f"consent-{lang}.png", full_page=True)
    give_consent_and_start(page)

    def on_page(page: Page, index: int) -> None:
        expect(page.locator("html")).to_have_attribute("lang", lang)
        if index == 0:
            page.screenshot(path=screenshots_dir / f"page-1-{lang}.png", full_page=True)

    visited, answered = complete_survey(page, lang, on_page=on_page)
    assert visited == ALL_PAGES, "the discrimination and quote pages should follow the answers given"

    code = page.locator("[data-receipt-code]").get_attribute("data-receipt-code")
    assert code is not None
    assert RECEIPT_CODE.match(code), code
    expect(page.locator("[data-receipt-code]")).to_have_text(code)
    page.screenshot(path=screenshots_dir / f"thanks-{lang}.png", full_page=True)

    new = submitted_ids(db_engine, live_database.wave_id) - before
    assert len(new) == 1, f"expected exactly one new submitted response, got {len(new)}"
    with Session(db_engine) as session:
        response = session.get(Response, new.pop())
        assert response is not None
        rows = session.exec(select(Answer).where(Answer.response_id == response.id)).all()
    assert response.language == lang
    assert response.status == ResponseStatus.submitted
    assert response.submitted_on is not None
    assert hash_receipt_code(code) == response.code_hash
    cells = {(row.question_id, row.item): row for row in rows}

    texts = TEXTS[lang]
    # Free text is stored verbatim (umlauts, dashes and typographic quotes included).
    for question_id in (
        "belonging_situation_positive",
        "belonging_situation_negative",
        "discrimination_experience",
        "city_wishes",
    ):
        assert cells[(question_id, "")].text == texts[question_id]
        assert cells[(question_id, "")].value is None
    # The matrix is stored line by line under the item ids, whatever order the lines were shown in.
    attachment = {item: row.value for (qid, item), row in cells.items() if qid == "attachment"}
    assert set(attachment) == {"district", "city", "germany", "europe"}
    assert attachment["city"] == "close"
    assert set(attachment.values()) <= {"very_close", "close", "not_very_close", "not_close_at_all", "_na"}
    assert {item for (qid, item) in cells if qid == "belonging_overall"} == {"germany", "city"}
    assert cells[("discrimination_any", "")].value == "yes"
    assert cells[("discrimination_domains", "")].value == ["housing", "public_space"]
    assert cells[("discrimination_grounds", "")].value == ["origin", "other"]
    assert cells[("discrimination_grounds", "")].text == texts["discrimination_grounds.other"]
    assert cells[("other_country", "")].value == "yes"
    assert ("other_country_attachment", "") in cells
    assert cells[("welcome", "")].value == 4
    assert cells[("district", "")].value == "Hafen"
    assert cells[("household_size", "")].value == 3
    assert cells[("quote_consent", "")].value is True
    # Everything the resident chose was stored, and nothing that was not.
    for name, value in answered.items():
        if name.endswith(".other"):
            continue
        question_id, _, item = name.partition(".")
        row = cells[(question_id, item)]
        if name in texts:
            assert row.text == value, name
        elif name == "quote_consent":
            assert row.value is True
        elif isinstance(value, list):
            assert row.value == value, name
        else:
            assert str(row.value) == value, name
    answered_questions = {name.split(".")[0] for name in answered}
    assert {qid for qid, _ in cells} == answered_questions


def test_error_summary_and_values_kept(page: Page) -> None:
    open_consent(page, "en")
    give_consent_and_start(page)

    click_label_for(page, "q-attachment-city-c2")  # one line of the required matrix: "close"
    click_label_for(page, "q-belonging_overall-germany-c1")  # an optional matrix line
    submit_with(page, "button[value=next]")

    assert page_index(page) == 0, "the page must not be left with required lines unanswered"
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    assert page.title().startswith("Error:"), page.title()
    hrefs = summary.locator("a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert sorted(hrefs) == ["#q-attachment-district", "#q-attachment-europe", "#q-attachment-germany"]
    for href in hrefs:
        assert href.startswith("#")
        assert page.locator(f'[id="{href[1:]}"]').count() == 1, f"error link {href} points nowhere"
    # Each unanswered line says what is wrong, next to it, and is marked invalid.
    for item in ("district", "germany", "europe"):
        line = page.locator(f"#q-attachment-{item}")
        expect(line).to_have_attribute("aria-invalid", "true")
        expect(line.locator(".field-error")).to_be_visible()
        expect(page.locator(f"#attachment-{item}-error")).to_have_count(1)
    expect(page.locator("#q-attachment-city")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#q-attachment-city .field-error")).to_have_count(0)
    # What was already chosen on this page is still chosen.
    expect(page.locator("#q-attachment-city-c2")).to_be_checked()
    expect(page.locator("#q-belonging_overall-germany-c1")).to_be_checked()
    # Following an error link moves to the line in question.
    summary.locator("a").first.click()
    assert page.url.endswith(hrefs[0])


def test_works_without_javascript(page_without_js: Page) -> None:
    page = page_without_js
    page.goto(f"{SURVEY}?lang=de")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    for input_id in CONSENT_IDS:
        page.locator(f'label[for="{input_id}"]').click()
        expect(page.locator(f"#{input_id}")).to_be_checked()
    submit_with(page, f'form[action="{SURVEY}/start"] button[type=submit]')
    assert page_index(page) == 0

    for item in ("district", "city", "germany", "europe"):
        page.locator(f'label[for="q-attachment-{item}-c1"]').click()
        expect(page.locator(f"#q-attachment-{item}-c1")).to_be_checked()
    page.locator('label[for="q-other_country-c2"]').click()
    submit_with(page, "button[value=next]")

    assert page_index(page) == 1, page.url
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.locator("#progress-label")).to_contain_text("2")
    expect(page.locator("textarea#q-belonging_situation_positive")).to_be_visible()


def _focused(page: Page) -> dict[str, Any]:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), type: el.type || '', id: el.id, name: el.name || '',
                    value: el.value || '', checked: !!el.checked};
        }"""
    )


def _outline_style(page: Page) -> str:
    return page.locator(":focus").evaluate("() => getComputedStyle(document.activeElement).outlineStyle")


def _tab_to(page: Page, wanted: Callable[[dict[str, Any]], bool], what: str, limit: int = 60) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if wanted(focused):
            return focused
    pytest.fail(f"{what} not reached with {limit} presses of Tab")


def test_keyboard_only_first_page(page: Page) -> None:
    open_consent(page, "en")

    for input_id in CONSENT_IDS:
        _tab_to(page, lambda f, input_id=input_id: f["id"] == input_id, input_id)
        assert _outline_style(page) != "none", f"no visible focus on {input_id}"
        page.keyboard.press("Space")
        expect(page.locator(f"#{input_id}")).to_be_checked()
    _tab_to(page, lambda f: f["tag"] == "button", "the start button")
    assert _outline_style(page) != "none", "no visible focus on the start button"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page_index(page) == 0, page.url

    lines = {"attachment.district", "attachment.city", "attachment.germany", "attachment.europe"}
    answered: dict[str, str] = {}
    for _ in range(len(lines)):
        focused = _tab_to(
            page, lambda f: f["type"] == "radio" and f["name"] in lines - answered.keys(), "an unanswered matrix line"
        )
        assert _outline_style(page) != "none", f"no visible focus on {focused['id']}"
        if not answered:
            page.keyboard.press("ArrowDown")  # moves to the second choice and selects it
        else:
            page.keyboard.press("Space")  # selects the focused (first) choice
        now = _focused(page)
        assert now["checked"], now
        answered[now["name"]] = now["value"]
    assert set(answered) == lines
    first, *others = answered.values()
    assert first == "close"
    assert others == ["very_close"] * 3

    _tab_to(page, lambda f: f["tag"] == "button" and f["value"] == "next", "the Next button")
    assert _outline_style(page) != "none", "no visible focus on the Next button"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page_index(page) == 1, page.url
    expect(page.locator(".error-summary")).to_have_count(0)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_axe_on_respondent_pages(page: Page, lang: str) -> None:
    axe = Axe()
    reports: list[str] = []
    checked: list[str] = []

    def check(name: str) -> None:
        results = axe.run(page, options=AXE_OPTIONS)
        checked.append(name)
        if results.violations_count != 0:
            reports.append(f"--- {name} ({page.url}):\n{results.generate_report()}")

    page.goto(f"/?lang={lang}")
    check("landing")
    open_consent(page, lang)
    check("consent")
    submit_with(page, f'form[action="{SURVEY}/start"] button[type=submit]')
    expect(page.locator(".error-summary")).to_be_visible()
    check("consent with errors")
    give_consent_and_start(page)

    def on_page(page: Page, index: int) -> None:
        check(f"questionnaire page {index}")
        if index == 0:
            submit_with(page, "button[value=next]")
            expect(page.locator(".error-summary")).to_be_visible()
            check("questionnaire page 0 with errors")

    visited, _ = complete_survey(page, lang, on_page=on_page)
    assert visited == ALL_PAGES
    expect(page.locator("[data-receipt-code]")).to_be_visible()
    check("thank-you")

    for form in ("resume", "withdraw"):
        page.goto(f"{SURVEY}/{form}")
        check(form)
        page.locator("#q-code").fill("AAAA-BBBB-CCCC")
        submit_with(page, f'form[action="{SURVEY}/{form}"] button[type=submit]')
        expect(page.locator(".error-summary")).to_be_visible()
        check(f"{form} with error")

    assert len(checked) == 3 + 1 + len(ALL_PAGES) + 1 + 4
    assert not reports, "axe found WCAG 2.1 A/AA violations:\n" + "\n".join(reports)
