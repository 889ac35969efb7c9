"""Reflow (WCAG 1.4.10): no horizontal scrolling at 320 CSS px (1280 px at 400 % zoom) nor at 640 px (200 %).

Each page of a resident's way is measured at both widths, in German and in Arabic (right to left).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.flow import (
    ALL_PAGES,
    SURVEY,
    answer_page_at_once,
    complete_survey,
    expect_language,
    give_consent_and_start,
    open_consent,
    submit_consent_without_ticking,
    submit_with,
)

pytestmark = pytest.mark.browser

WIDTHS = {320: "400 %", 640: "200 %"}
HEIGHT = 800


def overflow(page: Page) -> dict[str, Any]:
    """How far the page is wider than the window, and the elements that stick out."""
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            const wide = [];
            for (const el of document.body.querySelectorAll('*')) {
                const r = el.getBoundingClientRect();
                if (r.width && (r.right > width + 0.5 || r.left < -0.5)) {
                    const classes = typeof el.className === 'string' && el.className.trim()
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
                    const id = el.id ? '#' + el.id : '';
                    const where = `[${Math.round(r.left)}..${Math.round(r.right)}]`;
                    wide.push(`${el.tagName.toLowerCase()}${id}${classes} ${where}`);
                }
            }
            // Try to scroll sideways (to the left too: right-to-left pages overflow on that side).
            const shifts = [];
            for (const x of [100000, -100000]) {
                window.scrollTo(x, 0);
                shifts.push(window.scrollX);
            }
            window.scrollTo(0, 0);
            return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width,
                    scrolls: shifts.some(x => x !== 0), wide: wide.slice(0, 8)};
        }"""
    )


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_no_horizontal_scrolling_at_400_and_200_percent(page: Page, lang: str) -> None:
    problems: list[str] = []
    measured: list[str] = []

    def measure(name: str) -> None:
        for width, zoom in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": HEIGHT})
            found = overflow(page)
            measured.append(f"{name} @ {width}px")
            if found["scrollWidth"] > found["innerWidth"] or found["scrolls"]:
                problems.append(
                    f"[{lang}] {name} at {width}px ({zoom}): scrollWidth {found['scrollWidth']} > "
                    f"{found['innerWidth']}, sticking out: {found['wide']}"
                )
        page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"/?lang={lang}")
    expect_language(page, lang)
    measure("landing")
    open_consent(page, lang)
    measure("consent")
    submit_consent_without_ticking(page)
    measure("consent with errors")
    give_consent_and_start(page)

    def on_page(page: Page, index: int) -> None:
        measure(f"questionnaire page {index + 1}")
        if index == 0:
            submit_with(page, "button[value=next]")
            expect(page.locator(".error-summary")).to_be_visible()
            measure("questionnaire page 1 with errors")

    visited, _ = complete_survey(page, lang, on_page=on_page, answer=answer_page_at_once)
    assert visited == ALL_PAGES
    expect(page.locator("[data-receipt-code]")).to_be_visible()
    measure("thank-you")
    for path, name in (
        (f"{SURVEY}/resume", "resume"),
        (f"{SURVEY}/withdraw", "withdraw"),
        ("/privacy", "privacy notice"),
        ("/accessibility", "accessibility statement"),
    ):
        page.goto(path)
        measure(name)

    assert len(measured) == 2 * (3 + 1 + len(ALL_PAGES) + 1 + 4)
    assert not problems, "horizontal scrolling needed:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_paper_version_reflows(page: Page, lang: str) -> None:
    """The paper version's answer grids (matrix tables) must not make the whole page scroll sideways.

    A grid may need two dimensions (WCAG 1.4.10 allows that part to scroll), but then inside its own
    scrolling box, not by widening the page.
    """
    page.goto(f"{SURVEY}/print?lang={lang}")
    expect_language(page, lang)
    problems = []
    for width, zoom in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": HEIGHT})
        found = overflow(page)
        if found["scrollWidth"] > found["innerWidth"] or found["scrolls"]:
            problems.append(
                f"[{lang}] paper version at {width}px ({zoom}): scrollWidth {found['scrollWidth']} > "
                f"{found['innerWidth']}, sticking out: {found['wide']}"
            )
    assert not problems, "horizontal scrolling needed:\n" + "\n".join(problems)
