"""Right-to-left: Arabic and Farsi pages are mirrored in real Chromium, and look right in screenshots.

Mirrored means: ``<html dir="rtl">``, the header starts at the right, radio buttons and checkboxes stand to
the right of their labels, the error summary, legends and progress bar start at the right edge, and
free-text fields follow what is typed into them (``dir="auto"``). Dates are formatted by Babel for the
locale. Screenshots of the consent page, a questionnaire page with errors and the thank-you page are
saved to ``screenshots/`` for people to look at.
"""

from __future__ import annotations

import base64
import unicodedata
from typing import Any

import pytest
from babel.dates import format_date
from playwright.sync_api import Locator, Page, expect
from sqlalchemy.engine import Engine

from survey.i18n import language
from tests.browser.conftest import RTL_LANGUAGES, WAVE_CLOSES_ON
from tests.browser.flow import (
    ALL_PAGES,
    assert_stored,
    complete_survey,
    expect_language,
    give_consent_and_start,
    open_consent,
    receipt_code,
    submit_consent_without_ticking,
    submit_with,
    submitted_ids,
)

pytestmark = pytest.mark.browser

TOLERANCE = 1.5
"""Pixels of rounding allowed when comparing edges."""


def test_arabic_and_farsi_are_offered() -> None:
    assert set(RTL_LANGUAGES) == {"ar", "fa"}


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not rendered"
    return {**found, "right": found["x"] + found["width"], "bottom": found["y"] + found["height"]}


def content_box(locator: Locator) -> dict[str, float]:
    """The element's content edges (inside border and padding), in page coordinates."""
    return locator.evaluate(
        """el => {
            const r = el.getBoundingClientRect(), s = getComputedStyle(el);
            const left = r.left + parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft);
            const right = r.right - parseFloat(s.borderRightWidth) - parseFloat(s.paddingRight);
            return {left, right};
        }"""
    )


def text_box(locator: Locator) -> dict[str, float]:
    """Where the element's text itself is drawn (not the block that holds it)."""
    return locator.evaluate(
        """el => {
            const range = document.createRange();
            range.selectNodeContents(el);
            const r = range.getBoundingClientRect();
            return {left: r.left, right: r.right, width: r.width};
        }"""
    )


def computed(locator: Locator, *properties: str) -> dict[str, str]:
    return locator.evaluate(
        "(el, names) => Object.fromEntries(names.map(n => [n, getComputedStyle(el).getPropertyValue(n)]))",
        list(properties),
    )


def in_arabic_script(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(unicodedata.name(ch).startswith("ARABIC") for ch in letters)


def progress_fill(page: Page) -> dict[str, Any]:
    """Which end of the progress bar is filled, read from the pixels Chromium drew."""
    png = page.locator("progress").screenshot()
    return page.evaluate(
        """async (data) => {
            const image = new Image();
            image.src = 'data:image/png;base64,' + data;
            await image.decode();
            const canvas = document.createElement('canvas');
            canvas.width = image.width; canvas.height = image.height;
            const ctx = canvas.getContext('2d');
            ctx.drawImage(image, 0, 0);
            const y = Math.floor(image.height / 2);
            const pixel = x => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3));
            const dark = p => p[0] + p[1] + p[2] < 3 * 140;  // the accent blue, not the light track
            const columns = [];
            for (let x = 2; x < image.width - 2; x++) columns.push(dark(pixel(x)));
            return {width: image.width, left: dark(pixel(3)), right: dark(pixel(image.width - 4)),
                    filled: columns.filter(Boolean).length, firstFilled: columns.indexOf(true) + 2,
                    lastFilled: columns.lastIndexOf(true) + 2};
        }""",
        base64.b64encode(png).decode(),
    )


# ---------------------------------------------------------------------------------------------- checks


def assert_rtl_document(page: Page, lang: str) -> None:
    expect_language(page, lang)
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", lang)
    assert computed(page.locator("body"), "direction")["direction"] == "rtl"


def assert_header_mirrored(page: Page, where: str) -> None:
    """The brand starts at the right; the language switcher is left of it, or on its own line from the right."""
    wrap = content_box(page.locator(".site-header .wrap"))
    brand = box(page.locator(".brand"))
    assert abs(brand["right"] - wrap["right"]) <= TOLERANCE, f"{where}: the brand is not at the right ({brand})"
    nav = page.locator("nav.languages")
    items = page.locator("nav.languages li")
    first, second = box(items.nth(0)), box(items.nth(1))
    if box(nav)["y"] < brand["bottom"] - TOLERANCE:  # on the brand's line: to its left
        assert box(nav)["right"] <= brand["x"] + TOLERANCE, f"{where}: the switcher is not left of the brand"
    else:  # wrapped onto its own line: it starts at the right
        assert abs(first["right"] - wrap["right"]) <= TOLERANCE, f"{where}: the switcher does not start at the right"
    assert second["right"] <= first["x"] + TOLERANCE, f"{where}: switcher entries do not run right to left"


def assert_choices_mirrored(page: Page, where: str) -> int:
    """Every radio button and checkbox stands to the right of its label; returns how many were checked."""
    pairs = page.locator("main form .choice").evaluate_all(
        """choices => choices.map(choice => {
            const input = choice.querySelector('input'), label = choice.querySelector('label');
            const i = input.getBoundingClientRect(), l = label.getBoundingClientRect();
            return {id: input.id, input: [i.left, i.right], label: [l.left, l.right],
                    direction: getComputedStyle(choice).direction};
        })"""
    )
    assert pairs, f"{where}: no choices"
    for pair in pairs:
        assert pair["direction"] == "rtl", pair
        assert pair["input"][0] >= pair["label"][1] - TOLERANCE, (
            f"{where}: the {pair['id']} box is not right of its label: {pair}"
        )
    return len(pairs)


def assert_error_summary_mirrored(page: Page, where: str) -> None:
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert computed(summary, "direction")["direction"] == "rtl"
    inner = content_box(summary)
    title = text_box(page.locator("#error-summary-title"))
    assert abs(title["right"] - inner["right"]) <= TOLERANCE, f"{where}: the summary title does not start at the right"
    assert title["left"] > inner["left"] + 10, f"{where}: the summary title fills the box or runs from the left"
    ul = computed(summary.locator("ul"), "padding-left", "padding-right")
    assert float(ul["padding-right"].removesuffix("px")) > 0, f"{where}: list indent not at the right: {ul}"
    assert float(ul["padding-left"].removesuffix("px")) == 0, f"{where}: list indent at the left: {ul}"
    for link in summary.locator("a").all():
        text = text_box(link)
        assert text["right"] <= inner["right"] + TOLERANCE
        assert text["left"] >= inner["left"] - TOLERANCE, f"{where}: an error link overflows the summary box"


def assert_field_errors_mirrored(page: Page, where: str) -> None:
    errors = page.locator("main form .field-error")
    assert errors.count() > 0, f"{where}: no field errors shown"
    for error in errors.all():
        holder = content_box(error)
        text = text_box(error)
        assert abs(text["right"] - holder["right"]) <= TOLERANCE, f"{where}: a field error does not start at the right"


def assert_legends_mirrored(page: Page, where: str) -> None:
    for legend in page.locator("main form fieldset.question > legend, main form fieldset.matrix-item > legend").all():
        fieldset = content_box(legend.locator("xpath=.."))
        text = text_box(legend)
        assert abs(text["right"] - fieldset["right"]) <= TOLERANCE, (
            f"{where}: legend {legend.inner_text()!r} does not start at the right ({text} in {fieldset})"
        )


def assert_progress_mirrored(page: Page, where: str) -> None:
    progress = page.locator("progress")
    assert computed(progress, "direction")["direction"] == "rtl", f"{where}: progress bar is not rtl"
    position, total = int(progress.get_attribute("value")), int(progress.get_attribute("max"))
    fill = progress_fill(page)
    assert fill["filled"] > 0, f"{where}: no filled part seen on the progress bar: {fill}"
    if position < total:
        assert fill["right"], f"{where}: the progress bar is not filled from the right: {fill}"
        assert not fill["left"], f"{where}: the progress bar is filled from the left: {fill}"
    label = text_box(page.locator("#progress-label"))
    holder = content_box(page.locator("#progress-label"))
    assert abs(label["right"] - holder["right"]) <= TOLERANCE, f"{where}: 'page x of y' does not start at the right"


def assert_free_text_follows_typing(page: Page, where: str) -> int:
    """Text fields have dir="auto": Latin text runs left to right, Arabic script right to left."""
    fields = page.locator('main form textarea, main form input[type="text"]:not([inputmode])')
    for field in fields.all():
        name = field.get_attribute("name")
        assert field.get_attribute("dir") == "auto", f"{where}: {name} has dir={field.get_attribute('dir')!r}"
    areas = page.locator("main form textarea")
    if areas.count():
        area = areas.first
        area.fill("Hello, this is English.")
        assert computed(area, "direction")["direction"] == "ltr", f"{where}: Latin text shown right to left"
        area.fill("مرحبا")
        assert computed(area, "direction")["direction"] == "rtl", f"{where}: Arabic text shown left to right"
        area.fill("")
    return fields.count()


def screenshot(page: Page, screenshots_dir, name: str) -> None:
    """The whole page as a resident sees it, without a focus ring left over from the checks."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.screenshot(path=screenshots_dir / name, full_page=True)


# ---------------------------------------------------------------------------------------------- the test


@pytest.mark.parametrize("lang", RTL_LANGUAGES)
def test_right_to_left_survey(page: Page, lang: str, db_engine: Engine, live_database, screenshots_dir) -> None:
    # Landing page: the closing date is formatted by Babel for the locale, month name in Arabic script.
    page.goto(f"/?lang={lang}")
    assert_rtl_document(page, lang)
    assert_header_mirrored(page, "landing")
    locale = language(lang).locale
    closes = format_date(WAVE_CLOSES_ON, format="long", locale=locale)
    month = format_date(WAVE_CLOSES_ON, format="MMMM", locale=locale)
    assert in_arabic_script(month), f"Babel's {lang} month name is not in Arabic script: {month!r}"
    assert closes != format_date(WAVE_CLOSES_ON, format="long", locale="en")
    card = page.locator(".card")
    expect(card).to_contain_text(closes)
    assert month in card.inner_text()
    card_text = text_box(card.locator("p"))
    assert abs(card_text["right"] - content_box(card.locator("p"))["right"]) <= TOLERANCE

    # The skip link appears at the right when focused.
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert box(skip)["x"] > page.viewport_size["width"] / 2, "the skip link is not at the right"

    # Consent, then consent with errors.
    before = submitted_ids(db_engine, live_database.wave_id)
    open_consent(page, lang)
    assert_rtl_document(page, lang)
    assert_header_mirrored(page, "consent")
    screenshot(page, screenshots_dir, f"consent-{lang}.png")
    submit_consent_without_ticking(page)
    assert_rtl_document(page, lang)
    assert_error_summary_mirrored(page, "consent with errors")
    screenshot(page, screenshots_dir, f"consent-errors-{lang}.png")
    give_consent_and_start(page)

    checked_choices = 0
    free_text_fields = 0

    def on_page(page: Page, index: int) -> None:
        nonlocal checked_choices, free_text_fields
        where = f"{lang} page {index + 1}"
        assert_rtl_document(page, lang)
        assert_progress_mirrored(page, where)
        if page.locator("main form .choice").count():
            checked_choices += assert_choices_mirrored(page, where)
        assert_legends_mirrored(page, where)
        free_text_fields += assert_free_text_follows_typing(page, where)
        if index == 0:
            screenshot(page, screenshots_dir, f"page-1-{lang}.png")
            submit_with(page, "button[value=next]")
            assert_error_summary_mirrored(page, f"{where} with errors")
            assert_field_errors_mirrored(page, f"{where} with errors")
            assert_choices_mirrored(page, f"{where} with errors")
            assert_legends_mirrored(page, f"{where} with errors")
            screenshot(page, screenshots_dir, f"page-1-errors-{lang}.png")
        if index == 1:
            other = page.locator(".other-text").first
            margins = computed(other, "margin-left", "margin-right")
            assert margins["margin-left"] == "0px", f"{where}: 'please specify' indented at the left: {margins}"
            assert margins["margin-right"] != "0px", f"{where}: 'please specify' not indented at the right"
            screenshot(page, screenshots_dir, f"page-2-{lang}.png")

    visited, answered = complete_survey(page, lang, on_page=on_page)
    assert visited == ALL_PAGES
    assert checked_choices > 100
    assert free_text_fields >= 4 + 5

    # Thank-you: the receipt code stays left to right (it is Latin letters and digits) inside the RTL page.
    assert_rtl_document(page, lang)
    code = receipt_code(page)
    strong = page.locator("[data-receipt-code]")
    assert computed(strong, "direction")["direction"] == "ltr"
    heading = text_box(page.locator("main h1"))
    assert abs(heading["right"] - content_box(page.locator("main"))["right"]) <= TOLERANCE
    screenshot(page, screenshots_dir, f"thanks-{lang}.png")

    # What was typed in Arabic script (Farsi with zero-width non-joiners) is stored verbatim.
    assert_stored(db_engine, live_database.wave_id, before, code, lang, answered)
