"""The whole questionnaire by keyboard alone, left to right and right to left, in real Chromium.

Only ``page.keyboard`` is used after opening the survey: Tab and Shift+Tab to move, Space to tick, arrow
keys inside radio groups, typing into text fields, Enter on buttons and links. On the way the focus must be
visible on every control that is used. What the server stored is then checked in its database.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from survey.i18n import language
from tests.browser.flow import (
    ALL_PAGES,
    CHECKBOX_PLAN,
    CONSENT_IDS,
    MAX_PAGES,
    NUMBERS,
    RADIO_PLAN,
    SURVEY,
    assert_focus_visible,
    assert_stored,
    expect_language,
    focused,
    open_consent,
    page_index,
    receipt_code,
    submitted_ids,
    tab_to,
    texts_for,
)

pytestmark = pytest.mark.browser

MAX_TABS_PER_PAGE = 250
ERROR_PAGE_QUESTION = "discrimination_any"
"""The required question on the page that is first sent unanswered, to recover from the error by keyboard."""


class KeyboardResident:
    """Answers the shown page by keyboard, following the same plan as the clicking resident."""

    def __init__(self, page: Page, lang: str) -> None:
        self.page = page
        self.lang = lang
        self.rtl = language(lang).direction == "rtl"
        self.texts = texts_for(lang)
        self.answered: dict[str, Any] = {}
        self.visible_focus_checks = 0
        self.horizontal_arrows = 0

    # -- one control

    def group_values(self, name: str) -> list[str]:
        return self.page.locator(f'main form input[name="{name}"]').evaluate_all("els => els.map(el => el.value)")

    def arrow(self, forward: bool, horizontal: bool) -> str:
        """The key that moves to the next/previous radio; left and right swap on right-to-left pages."""
        if not horizontal:
            return "ArrowDown" if forward else "ArrowUp"
        self.horizontal_arrows += 1
        return "ArrowLeft" if forward == self.rtl else "ArrowRight"

    def choose_radio(self, now: dict[str, Any]) -> None:
        name = now["name"]
        values = self.group_values(name)
        checked = self.page.locator(f'main form input[name="{name}"]:checked')
        target = RADIO_PLAN.get(name) or (checked.get_attribute("value") if checked.count() else values[0])
        steps = values.index(target) - values.index(now["value"])
        if steps == 0 and not now["checked"]:
            self.page.keyboard.press("Space")
        horizontal = name == "welcome"  # a scale: use the keys for "left" and "right"
        for _ in range(abs(steps)):
            self.page.keyboard.press(self.arrow(steps > 0, horizontal))
        after = focused(self.page)
        assert after["name"] == name, f"the arrow keys left the group {name}: {after}"
        assert after["value"] == target, f"{name}: wanted {target}, the keys reached {after['value']}"
        assert after["checked"], after
        self.check_focus(f"radio {name}={target}")
        self.answered[name] = target

    def tick_checkbox(self, now: dict[str, Any]) -> None:
        name, value = now["name"], now["value"]
        if value in CHECKBOX_PLAN.get(name, []) and not now["checked"]:
            self.page.keyboard.press("Space")
            assert focused(self.page)["checked"], f"Space did not tick {name}={value}"
            self.check_focus(f"checkbox {name}={value}")
            if name in self.answered:
                self.answered[name].append(value)
            else:
                self.answered[name] = [value]

    def type_text(self, now: dict[str, Any]) -> None:
        name = now["name"]
        text = self.texts.get(name) or NUMBERS.get(name)
        if text is None or name in self.answered:
            return
        if name.endswith(".other") and "other" not in CHECKBOX_PLAN.get(name.removesuffix(".other"), []):
            return
        self.page.keyboard.type(text)
        assert focused(self.page)["value"] == text, f"typing into {name} gave {focused(self.page)['value']!r}"
        self.check_focus(f"text field {name}")
        self.answered[name] = text

    def check_focus(self, what: str) -> None:
        assert_focus_visible(self.page, f"{self.lang} {self.page.url} {what}")
        self.visible_focus_checks += 1

    # -- one page

    def act_on(self, now: dict[str, Any]) -> None:
        if now["type"] == "radio" and now["name"] not in self.answered:
            self.choose_radio(now)
        elif now["type"] == "checkbox" and now["name"]:
            self.tick_checkbox(now)
        elif now["tag"] == "textarea" or (now["tag"] == "input" and now["type"] == "text"):
            self.type_text(now)

    def answer_until_button(self) -> str:
        """Tab through the page, answering on the way, until the Next or Submit button has the focus."""
        for _ in range(MAX_TABS_PER_PAGE):
            self.page.keyboard.press("Tab")
            now = focused(self.page)
            if now["tag"] == "button" and now["value"] in ("next", "submit"):
                self.check_focus(f"the {now['value']} button")
                return now["value"]
            self.act_on(now)
        pytest.fail(f"no Next or Submit button reached with {MAX_TABS_PER_PAGE} presses of Tab on {self.page.url}")

    def press_enter_and_wait(self) -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def send_unanswered_and_recover(self) -> None:
        """Send the page empty, follow the error summary's link by keyboard, answer, go back with Shift+Tab."""
        tab_to(self.page, lambda f: f["tag"] == "button" and f["value"] == "next", "the Next button", 120)
        self.press_enter_and_wait()
        summary = self.page.locator(".error-summary")
        expect(summary).to_be_visible()
        link = tab_to(self.page, lambda f: f["tag"] == "a" and f["id"] == "" and self._in_summary(), "the error link")
        assert link
        self.check_focus("the error summary link")
        self.page.keyboard.press("Enter")
        expect(self.page).to_have_url(re.compile(rf"#q-{ERROR_PAGE_QUESTION}$"))
        # The link moved the keyboard's starting point: the next Tab enters the question in error.
        self.page.keyboard.press("Tab")
        now = focused(self.page)
        assert now["name"] == ERROR_PAGE_QUESTION, f"Tab after the error link went to {now}"
        self.choose_radio(now)
        # Shift+Tab goes back to the question before it, entering its radio group at the last choice.
        self.page.keyboard.press("Shift+Tab")
        now = focused(self.page)
        assert now["type"] == "radio", now
        assert now["name"] != ERROR_PAGE_QUESTION, now
        self.choose_radio(now)

    def _in_summary(self) -> bool:
        return self.page.evaluate("() => !!document.activeElement.closest('.error-summary')")


def keyboard_consent(page: Page) -> None:
    for input_id in CONSENT_IDS:
        tab_to(page, lambda f, input_id=input_id: f["id"] == input_id, input_id)
        assert_focus_visible(page, input_id)
        page.keyboard.press("Space")
        expect(page.locator(f"#{input_id}")).to_be_checked()
    # Shift+Tab goes back to the first statement, and Tab forward again.
    page.keyboard.press("Shift+Tab")
    assert focused(page)["id"] == CONSENT_IDS[0]
    assert_focus_visible(page, "first consent statement after Shift+Tab")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == CONSENT_IDS[1]
    tab_to(page, lambda f: f["tag"] == "button", "the start button")
    assert_focus_visible(page, "the start button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page_index(page) == 0, page.url


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_whole_questionnaire_by_keyboard(page: Page, lang: str, db_engine: Engine, live_database) -> None:
    before = submitted_ids(db_engine, live_database.wave_id)
    open_consent(page, lang)
    keyboard_consent(page)

    resident = KeyboardResident(page, lang)
    visited: list[int] = []
    for _ in range(MAX_PAGES):
        index = page_index(page)
        visited.append(index)
        expect_language(page, lang)
        if page.locator(f'main form input[name="{ERROR_PAGE_QUESTION}"]').count():
            resident.send_unanswered_and_recover()
        button = resident.answer_until_button()
        resident.press_enter_and_wait()
        if button == "submit":
            break
        summary = page.locator(".error-summary")
        assert summary.count() == 0, f"page {index + 1} was not accepted: {summary.inner_text()}"
    else:
        pytest.fail(f"no submit button after {MAX_PAGES} pages: {visited}")

    assert page.url.split("?")[0].endswith(f"{SURVEY}/thanks"), page.url
    assert visited == ALL_PAGES, "the keyboard should reach the discrimination and quote pages too"
    assert resident.horizontal_arrows > 0
    assert resident.visible_focus_checks > 30
    code = receipt_code(page)
    assert_stored(db_engine, live_database.wave_id, before, code, lang, resident.answered)
