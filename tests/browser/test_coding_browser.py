"""The coding form in real Chromium: keyboard only, segments in code points, axe-core, right to left."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from survey.models import Coding, CodingReview, CodingStatus, Role
from survey.users import add_user
from survey.waves import create_wave
from tests.browser.conftest import QUESTIONNAIRE, WAVE_DISTRICTS
from tests.browser.flow import AxeChecker, expect_language
from tests.conftest import PASSWORD, add_text_answers

pytestmark = pytest.mark.browser

SLUG = "coding-browser"
HOUSING = "domain.housing"
ORIGIN = "ground.origin"
IGNORED = "form.ignored"
PUBLIC_SPACE = "domain.public_space"
UNFRIENDLY = "form.unfriendly"
TEXTS = [
    "Bei der Wohnungssuche bekam ich wegen meiner Herkunft keine Antwort mehr.",
    "😀 Wohnung gesucht, beim Amt übergangen.",
    "Im Bus wurde ich angestarrt.",
    "عند البحث عن شقة لم يرد علي أحد.",
]


@dataclass(frozen=True)
class CodingData:
    wave_id: int
    answer_ids: list[int]
    coder: str
    coder_id: int


@pytest.fixture(scope="module")
def coding_data(db_engine: Engine, base_url: str) -> CodingData:
    """A wave of its own (no answer coded twice), four answers, rule suggestions on two of them, and a coder."""
    with Session(db_engine, expire_on_commit=False) as db:
        wave = create_wave(
            db,
            questionnaire_path=QUESTIONNAIRE,
            slug=SLUG,
            title="Codier-Test",
            districts=WAVE_DISTRICTS,
            languages=["de", "en", "ar"],
        )
        wave.double_coding_share = 0.0
        db.add(wave)
        db.commit()
        ids = add_text_answers(db, wave, [("discrimination_experience", text, "de") for text in TEXTS])
        suggestions = [(0, HOUSING, 8, 21), (0, ORIGIN, 44, 52), (2, PUBLIC_SPACE, 3, 6), (2, UNFRIENDLY, 17, 27)]
        for index, code, start, end in suggestions:
            db.add(
                Coding(
                    answer_id=ids[index],
                    code=code,
                    start=start,
                    end=end,
                    source="rules",
                    confidence=0.7,
                    status=CodingStatus.suggested,
                )
            )
        db.commit()
        coder = add_user(db, "coder@browser.example", Role.coder, PASSWORD)
        return CodingData(wave.id, ids, coder.email, coder.id)


def sign_in(page: Page, email: str) -> None:
    page.goto("/admin/login?lang=en")
    page.locator("#email, input[name=email]").first.fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")


def progress_counts(page: Page) -> dict[str, int]:
    page.goto("/admin/coding?lang=en")
    row = page.locator(f'tr[data-wave="{SLUG}"]')
    return {name: int(row.locator(f'[data-count="{name}"]').inner_text()) for name in ("answers", "done", "mine")}


def decisions(db_engine: Engine, answer_id: int) -> dict[str, tuple[CodingStatus, int | None, int | None]]:
    with Session(db_engine) as db:
        rows = db.exec(select(Coding).where(Coding.answer_id == answer_id, Coding.source == "user")).all()
        return {row.code: (row.status, row.start, row.end) for row in rows}


def test_coding_with_the_keyboard_only(page: Page, coding_data: CodingData, db_engine: Engine) -> None:
    sign_in(page, coding_data.coder)
    before = progress_counts(page)
    assert before == {"answers": len(TEXTS), "done": 0, "mine": 0}
    first = coding_data.answer_ids[0]
    page.goto(f"/admin/coding/{SLUG}/next")
    expect(page).to_have_url(re.compile(rf"/admin/coding/{SLUG}/answers/{first}$"))
    expect(page.locator("#shortcuts")).to_be_visible()
    suggestion = page.locator('input[data-shortcut="1"]')
    expect(suggestion).not_to_be_checked()

    page.keyboard.press("1")
    expect(suggestion).to_be_checked()
    expect(page.locator(f"#c-{HOUSING.replace('.', '-')}")).to_be_checked()  # the codebook entry follows
    page.keyboard.press("/")
    expect(page.locator("#code-filter")).to_be_focused()
    page.keyboard.type("passed ov")
    expect(page.locator(".code-item:not([hidden])")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.locator(f"#c-{IGNORED.replace('.', '-')}")).to_be_checked()
    page.keyboard.press("Escape")
    expect(page.locator("#quotable")).not_to_be_checked()
    page.keyboard.press("q")
    expect(page.locator("#quotable")).to_be_checked()
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    expect(page).to_have_url(re.compile(rf"/admin/coding/{SLUG}/answers/{coding_data.answer_ids[1]}$"))

    assert decisions(db_engine, first) == {
        HOUSING: (CodingStatus.accepted, 8, 21),
        ORIGIN: (CodingStatus.rejected, None, None),
        IGNORED: (CodingStatus.accepted, None, None),
    }
    with Session(db_engine) as db:
        review = db.exec(select(CodingReview).where(CodingReview.answer_id == first)).one()
        assert (review.user_id, review.quotable) == (coding_data.coder_id, True)
    after = progress_counts(page)
    assert after["mine"] == before["mine"] + 1
    assert after["done"] == before["done"] + 1


def test_single_key_shortcuts_can_be_switched_off(page: Page, coding_data: CodingData) -> None:
    sign_in(page, coding_data.coder)
    page.goto(f"/admin/coding/{SLUG}/answers/{coding_data.answer_ids[2]}?lang=en")
    suggestion = page.locator('input[data-shortcut="1"]')
    memo = page.locator("#memo")
    page.keyboard.press("m")
    expect(memo).to_be_focused()
    page.keyboard.type("1a/s")  # typing in a text field never triggers a shortcut
    expect(memo).to_have_value("1a/s")
    expect(suggestion).not_to_be_checked()
    expect(page).to_have_url(re.compile(r"\?lang=en$"))

    page.locator("#single-keys").uncheck()
    page.goto(f"/admin/coding/{SLUG}/answers/{coding_data.answer_ids[2]}?lang=en")
    expect(page.locator("#single-keys")).not_to_be_checked()  # remembered in localStorage
    page.locator("h1").click()
    page.keyboard.press("1")
    page.keyboard.press("a")
    expect(suggestion).not_to_be_checked()
    expect(page.locator("#code-filter")).not_to_be_focused()
    page.locator("#single-keys").check()
    page.locator("h1").click()
    page.keyboard.press("a")
    expect(suggestion).to_be_checked()
    expect(page.locator('input[data-shortcut="2"]')).to_be_checked()


def select_in_answer(page: Page, word: str) -> None:
    """Select ``word`` in the answer text as a person would with the mouse (offsets in UTF-16 units here)."""
    page.evaluate(
        """word => {
            const text = document.getElementById('answer-text');
            const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(word);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + word.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return;
                }
            }
            throw new Error('word not in the answer: ' + word);
        }""",
        word,
    )


def test_segments_are_counted_in_code_points(page: Page, coding_data: CodingData, db_engine: Engine) -> None:
    sign_in(page, coding_data.coder)
    answer_id = coding_data.answer_ids[1]
    page.goto(f"/admin/coding/{SLUG}/answers/{answer_id}?lang=en")
    select_in_answer(page, "Wohnung")
    expect(page.locator("#segment-status")).to_be_visible()
    page.locator(f"#c-{HOUSING.replace('.', '-')}").check()
    expect(page.locator(f'input[name="span:{HOUSING}"]')).to_have_value("2-9")  # 😀 is one code point, two units
    expect(page.locator("#answer-text mark.segment")).to_have_text("Wohnung")
    assert page.locator("#answer-text").text_content() == TEXTS[1]
    page.locator(f"#c-{HOUSING.replace('.', '-')}").uncheck()
    expect(page.locator(f'input[name="span:{HOUSING}"]')).to_have_count(0)
    select_in_answer(page, "übergangen")
    page.locator(f"#c-{IGNORED.replace('.', '-')}").check()
    page.locator(f"#c-{HOUSING.replace('.', '-')}").check()  # no selection left: the whole answer
    page.locator("#save").click()
    page.wait_for_url(re.compile(r"/answers/\d+$"))
    start = TEXTS[1].index("übergangen")
    assert decisions(db_engine, answer_id) == {
        IGNORED: (CodingStatus.accepted, start, start + len("übergangen")),
        HOUSING: (CodingStatus.accepted, None, None),
    }
    page.goto(f"/admin/coding/{SLUG}/answers/{answer_id}?lang=en")
    expect(page.locator("#answer-text mark.segment")).to_have_text("übergangen")


def test_the_form_works_without_javascript(page_without_js: Page, coding_data: CodingData, db_engine: Engine) -> None:
    page = page_without_js
    sign_in(page, coding_data.coder)
    answer_id = coding_data.answer_ids[2]
    page.goto(f"/admin/coding/{SLUG}/answers/{answer_id}?lang=en")
    expect(page.locator("#shortcuts")).to_be_hidden()
    expect(page.locator("#answer-text mark.suggested")).to_have_count(2)
    page.locator(f'label[for="c-{UNFRIENDLY.replace(".", "-")}"]').click()
    page.locator("#memo").fill("Ohne JavaScript.")
    page.locator("#save").click()
    page.wait_for_url(re.compile(r"/answers/\d+$|/next$"))
    assert decisions(db_engine, answer_id) == {
        UNFRIENDLY: (CodingStatus.accepted, 17, 27),  # the suggestion's evidence
        PUBLIC_SPACE: (CodingStatus.rejected, None, None),
    }
    with Session(db_engine) as db:
        memo = db.exec(select(CodingReview.memo).where(CodingReview.answer_id == answer_id)).one()
    assert memo == "Ohne JavaScript."


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_axe_on_the_coding_pages(page: Page, coding_data: CodingData, lang: str) -> None:
    check = AxeChecker(page, lang)
    sign_in(page, coding_data.coder)
    for path, name in (
        ("/admin/coding", "coding overview"),
        (f"/admin/coding/{SLUG}", "wave overview"),
        (f"/admin/coding/{SLUG}/answers/{coding_data.answer_ids[0]}", "coding form"),
        (f"/admin/coding/{SLUG}/answers/{coding_data.answer_ids[3]}", "coding form, Arabic answer"),
        (f"/admin/coding/{SLUG}/agreement", "agreement"),
        (f"/admin/coding/{SLUG}/terms", "frequent terms"),
        (f"/admin/coding/{SLUG}/clouds", "word clouds"),
    ):
        page.goto(f"{path}?lang={lang}")
        expect_language(page, lang)
        check(name)
    page.goto(f"/admin/coding/{SLUG}/answers/{coding_data.answer_ids[0]}?lang={lang}")
    page.keyboard.press("/")
    page.keyboard.type("zzz")
    check("coding form, filter without a match")
    check.assert_clean()


def test_rtl_coding_page(page: Page, coding_data: CodingData) -> None:
    sign_in(page, coding_data.coder)
    page.goto(f"/admin/coding/{SLUG}/answers/{coding_data.answer_ids[3]}?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("#answer-text")).to_have_attribute("dir", "auto")
