"""Every language the project ships, in real Chromium: the language switcher and axe-core on every page type.

The languages are those whose catalogs are complete when the tests run (``available_languages``); the
browser wave offers all of them. The tests insist on the seven the project ships for sure; Einfache Sprache
joins by itself once its catalogs are complete.
"""

from __future__ import annotations

import unicodedata

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from survey.i18n import language
from survey.models import Wave
from tests.browser.conftest import LANGUAGES, REQUIRED_LANGUAGES
from tests.browser.flow import (
    ALL_PAGES,
    SURVEY,
    AxeChecker,
    answer_page_at_once,
    complete_survey,
    expect_language,
    give_consent_and_start,
    open_consent,
    receipt_code,
    submit_consent_without_ticking,
    submit_with,
)
from tests.conftest import NATIVE_NAMES

pytestmark = pytest.mark.browser

SCRIPTS = {"ar": "ARABIC", "fa": "ARABIC", "ru": "CYRILLIC", "uk": "CYRILLIC"}
"""The Unicode script of a language's letters (Latin unless listed)."""


def native_name(code: str) -> str:
    """The expected name; a language added later is expected under its name in Babel (CLDR)."""
    return NATIVE_NAMES.get(code) or language(code).native_name


def letters_in_script(text: str, script: str) -> bool:
    return all(unicodedata.name(ch).startswith(script) for ch in text if ch.isalpha())


# ---------------------------------------------------------------------------------------------- languages


def test_all_shipped_languages_are_offered(db_engine, live_database) -> None:
    missing = REQUIRED_LANGUAGES - set(LANGUAGES)
    assert not missing, f"languages with incomplete catalogs, not offered: {sorted(missing)}"
    assert LANGUAGES[0] == "de", LANGUAGES
    with Session(db_engine) as session:
        wave = session.get(Wave, live_database.wave_id)
        assert wave is not None
        assert wave.languages == list(LANGUAGES)


def switcher_entries(page: Page) -> list[dict[str, str | None]]:
    return page.locator("nav.languages li > *").evaluate_all(
        """nodes => nodes.map(node => ({
            tag: node.tagName.toLowerCase(), text: node.textContent.trim(), lang: node.getAttribute('lang'),
            dir: node.getAttribute('dir'), hreflang: node.getAttribute('hreflang'), href: node.getAttribute('href'),
            current: node.getAttribute('aria-current')}))"""
    )


@pytest.mark.parametrize("path", ["/", SURVEY], ids=["landing", "consent"])
@pytest.mark.parametrize("shown_in", ["de", "ar"])
def test_switcher_lists_every_language_in_its_own_script(page: Page, path: str, shown_in: str) -> None:
    page.goto(f"{path}?lang={shown_in}")
    expect_language(page, shown_in)
    nav = page.locator("nav.languages")
    expect(nav).to_be_visible()
    assert nav.get_attribute("aria-label"), "the language navigation has no accessible name"

    entries = switcher_entries(page)
    assert [entry["text"] for entry in entries] == [native_name(code) for code in LANGUAGES]
    for code, entry in zip(LANGUAGES, entries, strict=True):
        spoken = language(code)
        name = entry["text"]
        assert letters_in_script(name, SCRIPTS.get(code, "LATIN")), f"{code}: {name!r} not in its own script"
        assert entry["lang"] == spoken.html_lang, f"{code}: lang={entry['lang']!r}"
        assert entry["dir"] == ("rtl" if code in ("ar", "fa") else "ltr"), f"{code}: dir={entry['dir']!r}"
        if code == shown_in:
            assert entry["tag"] == "span", f"the current language {code} should not be a link"
            assert entry["current"] == "true", entry
        else:
            assert entry["tag"] == "a", entry
            assert entry["href"] == f"?lang={code}", entry
            assert entry["hreflang"] == spoken.html_lang, entry
            assert entry["current"] is None, entry


def test_following_a_switcher_link_switches_the_language(page: Page) -> None:
    """From German, every other language is one click away, and the choice sticks."""
    open_consent(page, "de")
    titles = {"de": page.locator("h1").inner_text()}
    for code in LANGUAGES[1:]:
        with page.expect_navigation():
            page.locator(f'nav.languages a[href="?lang={code}"]').click()
        expect_language(page, code)
        expect(page.locator("nav.languages .current")).to_have_text(native_name(code))
        titles[code] = page.locator("h1").inner_text()
        # The choice is remembered: a page opened without ?lang= stays in this language.
        page.goto(f"{SURVEY}/resume")
        expect_language(page, code)
        page.goto(f"{SURVEY}?lang=de")
    assert len(set(titles.values())) == len(titles), f"some languages show the same title: {titles}"


def test_switching_language_on_every_page_type(page: Page) -> None:
    """The switcher's links keep the resident on the page they are on, errors shown or not."""
    problems: list[str] = []

    def switch(to: str, where: str) -> None:
        # After a refused consent form the address is the form's target; it leads back to the consent page.
        before = page.url.split("?")[0].removesuffix("/start")
        with page.expect_navigation() as navigation:
            page.locator(f'nav.languages a[href="?lang={to}"]').click()
        response = navigation.value
        after = page.url.split("?")[0]
        spoken = language(to)
        html = page.locator("html")
        if response is None or response.status >= 400:
            status = response.status if response else "no response"
            problems.append(
                f"{where}: switching to {to} opens {page.url} → HTTP {status}, {page.title()!r}: "
                f"{page.locator('main').inner_text()!r}"
            )
        if after != before:
            problems.append(f"{where}: switching to {to} went from {before} to {after}")
        if html.get_attribute("lang") != spoken.html_lang or html.get_attribute("dir") != spoken.direction:
            problems.append(
                f"{where}: after switching to {to}, <html lang={html.get_attribute('lang')!r} "
                f"dir={html.get_attribute('dir')!r}>"
            )

    open_consent(page, "de")
    switch("ar", "consent")
    submit_consent_without_ticking(page)
    switch("en", "consent with errors (after POST /start)")
    open_consent(page, "en")
    give_consent_and_start(page)
    switch("fa", "questionnaire page 1")
    submit_with(page, "button[value=next]")
    expect(page.locator(".error-summary")).to_be_visible()
    switch("tr", "questionnaire page 1 with errors")
    for form in ("resume", "withdraw"):
        page.goto(f"{SURVEY}/{form}?lang=de")
        page.locator("#q-code").fill("AAAA-BBBB-CCCC")
        submit_with(page, f'form[action="{SURVEY}/{form}"] button[type=submit]')
        expect(page.locator(".error-summary")).to_be_visible()
        switch("ru", f"{form} with error")
    for path in ("/privacy", "/accessibility", f"{SURVEY}/print"):
        page.goto(f"{path}?lang=de")
        switch("uk", path)
    assert not problems, "the language switcher fails on some pages:\n" + "\n".join(problems)


# ---------------------------------------------------------------------------------------------- axe


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_on_every_page_type(page: Page, lang: str) -> None:
    """axe-core's WCAG 2.0/2.1 A and AA rules on every respondent page, in one browser context per language."""
    check = AxeChecker(page, lang)

    page.goto(f"/?lang={lang}")
    expect_language(page, lang)
    check("landing")
    for path, name in (("/accessibility", "accessibility statement"), ("/privacy", "privacy notice")):
        page.goto(path)
        expect_language(page, lang)
        check(name)
    page.goto(f"{SURVEY}/print")
    expect_language(page, lang)
    check("paper version")
    page.goto("/s/no-such-survey")
    expect_language(page, lang)
    check("page not found")

    open_consent(page, lang)
    check("consent")
    submit_consent_without_ticking(page)
    expect_language(page, lang)
    check("consent with errors")
    give_consent_and_start(page)

    def on_page(page: Page, index: int) -> None:
        expect_language(page, lang)
        check(f"questionnaire page {index + 1}")
        if index == 0:
            submit_with(page, "button[value=next]")
            expect(page.locator(".error-summary")).to_be_visible()
            check("questionnaire page 1 with errors")
        if index == 1:
            submit_with(page, "button[value=later]")
            expect(page.locator("[data-resume-code]")).to_be_visible()
            check("saved for later")
            with page.expect_navigation():
                page.locator(f'a[href="{SURVEY}/continue"]').click()
            assert page.url.split("?")[0].endswith(f"{SURVEY}/p/1"), page.url

    visited, _ = complete_survey(page, lang, on_page=on_page, answer=answer_page_at_once)
    assert visited == ALL_PAGES
    code = receipt_code(page)
    expect_language(page, lang)
    check("thank-you")

    for form in ("resume", "withdraw"):
        page.goto(f"{SURVEY}/{form}")
        expect_language(page, lang)
        check(form)
        page.locator("#q-code").fill("AAAA-BBBB-CCCC")
        submit_with(page, f'form[action="{SURVEY}/{form}"] button[type=submit]')
        expect(page.locator(".error-summary")).to_be_visible()
        check(f"{form} with error")
    # Withdrawing without ticking the confirmation, then for real.
    page.locator("#q-code").fill(code)
    submit_with(page, f'form[action="{SURVEY}/withdraw"] button[type=submit]')
    expect(page.locator(".error-summary")).to_be_visible()
    check("withdraw without confirmation")
    page.locator('label[for="q-confirm"]').click()
    submit_with(page, f'form[action="{SURVEY}/withdraw"] button[type=submit]')
    expect(page.locator(".error-summary")).to_have_count(0)
    expect_language(page, lang)
    check("withdrawn")

    assert len(check.checked) == 5 + 2 + len(ALL_PAGES) + 2 + 1 + 4 + 2
    check.assert_clean()
