"""A resident's way through the default questionnaire in real headless Chromium.

The pages are driven the way people use them: by clicking the visible labels, typing into text fields,
or with the keyboard alone. What the server stored is then checked directly in its database.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from tests.browser.flow import (
    ALL_PAGES,
    CONSENT_IDS,
    SURVEY,
    assert_stored,
    click_label_for,
    complete_survey,
    expect_language,
    focused,
    give_consent_and_start,
    open_consent,
    outline_style,
    page_index,
    receipt_code,
    submit_with,
    submitted_ids,
    tab_to,
)

pytestmark = pytest.mark.browser


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
        expect_language(page, lang)
        if index == 0:
            page.screenshot(path=screenshots_dir / f"page-1-{lang}.png", full_page=True)

    visited, answered = complete_survey(page, lang, on_page=on_page)
    assert visited == ALL_PAGES, "the discrimination and quote pages should follow the answers given"

    code = receipt_code(page)
    page.screenshot(path=screenshots_dir / f"thanks-{lang}.png", full_page=True)
    assert_stored(db_engine, live_database.wave_id, before, code, lang, answered)


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


def test_keyboard_only_first_page(page: Page) -> None:
    open_consent(page, "en")

    for input_id in CONSENT_IDS:
        tab_to(page, lambda f, input_id=input_id: f["id"] == input_id, input_id)
        assert outline_style(page) != "none", f"no visible focus on {input_id}"
        page.keyboard.press("Space")
        expect(page.locator(f"#{input_id}")).to_be_checked()
    tab_to(page, lambda f: f["tag"] == "button", "the start button")
    assert outline_style(page) != "none", "no visible focus on the start button"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page_index(page) == 0, page.url

    lines = {"attachment.district", "attachment.city", "attachment.germany", "attachment.europe"}
    answered: dict[str, str] = {}
    for _ in range(len(lines)):
        line = tab_to(
            page, lambda f: f["type"] == "radio" and f["name"] in lines - answered.keys(), "an unanswered matrix line"
        )
        assert outline_style(page) != "none", f"no visible focus on {line['id']}"
        if not answered:
            page.keyboard.press("ArrowDown")  # moves to the second choice and selects it
        else:
            page.keyboard.press("Space")  # selects the focused (first) choice
        now = focused(page)
        assert now["checked"], now
        answered[now["name"]] = now["value"]
    assert set(answered) == lines
    first, *others = answered.values()
    assert first == "close"
    assert others == ["very_close"] * 3

    tab_to(page, lambda f: f["tag"] == "button" and f["value"] == "next", "the Next button")
    assert outline_style(page) != "none", "no visible focus on the Next button"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page_index(page) == 1, page.url
    expect(page.locator(".error-summary")).to_have_count(0)
