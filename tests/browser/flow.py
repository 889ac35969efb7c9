"""Shared steps of the browser tests: a resident's way through the default questionnaire.

The pages are driven the way people use them: by clicking the visible labels and typing into text fields.
What the server stored is checked directly in its database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from survey.i18n import language
from survey.models import Answer, Response, ResponseStatus
from survey.security import hash_receipt_code

SURVEY = "/s/browser"
"""The open wave the ``live_database`` fixture creates."""
RECEIPT_CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
PAGE_URL = re.compile(rf"{SURVEY}/p/(\d+)$")
MAX_PAGES = 15
ALL_PAGES = list(range(9))
"""The default questionnaire has 9 pages; answering "yes" to discrimination_any and writing free text shows all."""

CONSENT_IDS = ["q-consent-participation", "q-consent-special_categories"]
FREE_TEXT_QUESTIONS = (
    "belonging_situation_positive",
    "belonging_situation_negative",
    "discrimination_experience",
    "city_wishes",
)

# What the resident types, in the language they chose.
TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "belonging_situation_positive": "Beim Straßenfest in der Altstadt haben mich die Nachbarn zum Grillen "
        "eingeladen – da wusste ich: Ich gehöre hierher.",
        "belonging_situation_negative": "Im Bürgeramt wurde ich gefragt, wann ich „zurück“ gehe.",
        "discrimination_experience": "Bei der Wohnungssuche bekam ich nach dem ersten Telefonat keine Antwort mehr.",
        "city_wishes": "Mehr Orte, an denen man sich ohne Geld treffen kann.",
        "discrimination_grounds.other": "Mein Akzent",
    },
    "de-simple": {
        "belonging_situation_positive": "Beim Straßen-Fest haben mich die Nachbarn eingeladen. "
        "Da wusste ich: Ich gehöre hierher.",
        "belonging_situation_negative": "Im Amt hat man mich gefragt, wann ich zurück gehe.",
        "discrimination_experience": "Ich habe eine Wohnung gesucht. Nach dem ersten Anruf hat mir niemand "
        "mehr geantwortet.",
        "city_wishes": "Mehr Orte zum Treffen, die nichts kosten.",
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
    "tr": {
        "belonging_situation_positive": "Eski şehirdeki sokak şenliğinde komşularım beni mangala davet etti – "
        "o zaman anladım: Buraya aitim.",
        "belonging_situation_negative": "Vatandaşlık bürosunda bana ne zaman „geri“ döneceğim soruldu.",
        "discrimination_experience": "Ev ararken ilk telefon görüşmesinden sonra kimse cevap vermedi.",
        "city_wishes": "İnsanların para harcamadan buluşabileceği daha fazla yer.",
        "discrimination_grounds.other": "Aksanım",
    },
    "ar": {
        "belonging_situation_positive": "في حفلة الشارع في البلدة القديمة دعاني الجيران إلى الشواء – "
        "عندها عرفت: أنا أنتمي إلى هنا.",
        "belonging_situation_negative": "في مكتب المواطنين سألوني متى سأعود «إلى بلدي».",
        "discrimination_experience": "عندما كنت أبحث عن شقة، لم يرد أحد بعد المكالمة الأولى.",
        "city_wishes": "أماكن أكثر يمكن للناس أن يلتقوا فيها دون أن يدفعوا المال.",
        "discrimination_grounds.other": "لهجتي",
    },
    "fa": {
        # With zero-width non-joiners (U+200C), as Persian is written.
        "belonging_situation_positive": "در جشن خیابانی در محله قدیمی، همسایه\u200cها مرا به کباب دعوت کردند – "
        "آن\u200cجا فهمیدم: من به این\u200cجا تعلق دارم.",
        "belonging_situation_negative": "در اداره شهروندی از من پرسیدند کی «برمی\u200cگردم».",
        "discrimination_experience": "وقتی دنبال خانه می\u200cگشتم، بعد از اولین تماس تلفنی دیگر کسی جواب نداد.",
        "city_wishes": "جاهای بیشتری که مردم بتوانند بدون خرج کردن پول هم را ببینند.",
        "discrimination_grounds.other": "لهجه\u200cام",
    },
    "ru": {
        "belonging_situation_positive": "На уличном празднике в старом городе соседи пригласили меня на шашлык – "
        "тогда я понял: я здесь свой.",
        "belonging_situation_negative": "В бюро по делам граждан меня спросили, когда я вернусь «домой».",
        "discrimination_experience": "Когда я искал квартиру, после первого звонка мне больше никто не ответил.",
        "city_wishes": "Больше мест, где люди могут встречаться, не тратя денег.",
        "discrimination_grounds.other": "Мой акцент",
    },
    "uk": {
        "belonging_situation_positive": "На вуличному святі в старому місті сусіди запросили мене на шашлик – "
        "тоді я зрозуміла: я тут своя.",
        "belonging_situation_negative": "У бюро громадян мене запитали, коли я повернуся «додому».",
        "discrimination_experience": "Коли я шукала квартиру, після першого дзвінка мені ніхто більше не відповів.",
        "city_wishes": "Більше місць, де люди можуть зустрічатися без грошей.",
        "discrimination_grounds.other": "Мій акцент",
    },
}


def texts_for(lang: str) -> dict[str, str]:
    """What a resident types in ``lang`` (English for a language added later without sample text here)."""
    return TEXTS.get(lang, TEXTS["en"])


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


# ---------------------------------------------------------------------------------------------- navigation


def page_index(page: Page) -> int:
    match = PAGE_URL.search(page.url.split("?")[0].split("#")[0])
    assert match, f"not on a questionnaire page: {page.url}"
    return int(match.group(1))


def click_label_for(page: Page, input_id: str) -> None:
    """Choose an option the way people do: by clicking (tapping) its visible label."""
    page.locator(f'label[for="{input_id}"]').click()


def submit_with(page: Page, selector: str) -> None:
    """Click a submit button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.locator(selector).click()


def expect_language(page: Page, lang: str) -> None:
    """The page speaks ``lang``: ``<html lang dir>`` as the language's BCP 47 tag and writing direction."""
    spoken = language(lang)
    expect(page.locator("html")).to_have_attribute("lang", spoken.html_lang)
    expect(page.locator("html")).to_have_attribute("dir", spoken.direction)


def open_consent(page: Page, lang: str) -> None:
    page.goto(f"{SURVEY}?lang={lang}")
    expect_language(page, lang)


def submit_consent_without_ticking(page: Page) -> None:
    submit_with(page, f'form[action="{SURVEY}/start"] button[type=submit]')
    expect(page.locator(".error-summary")).to_be_visible()


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


def answer_page_at_once(page: Page, texts: dict[str, str]) -> dict[str, Any]:
    """The same answers as :func:`answer_page`, set in one step: for tests about the pages, not the clicking."""
    return page.evaluate(
        """([texts, numbers, radios, checkboxes]) => {
            const form = document.querySelector('main form');
            const answered = {};
            const inputs = name => [...form.querySelectorAll('input')].filter(el => el.name === name);
            for (const area of form.querySelectorAll('textarea')) {
                if (area.name in texts) { area.value = texts[area.name]; answered[area.name] = area.value; }
            }
            for (const [name, value] of Object.entries(numbers)) {
                for (const field of inputs(name)) { field.value = value; answered[name] = value; }
            }
            const boxes = [...new Set([...form.querySelectorAll('input[type=checkbox]')].map(el => el.name))];
            for (const name of boxes.filter(name => name in checkboxes)) {
                for (const box of inputs(name)) {
                    if (checkboxes[name].includes(box.value)) box.checked = true;
                }
                answered[name] = checkboxes[name];
                if (checkboxes[name].includes('other')) {
                    inputs(name + '.other')[0].value = texts[name + '.other'];
                    answered[name + '.other'] = texts[name + '.other'];
                }
            }
            const groups = [...new Set([...form.querySelectorAll('input[type=radio]')].map(el => el.name))];
            for (const name of groups) {
                const group = inputs(name);
                const target = name in radios ? group.find(el => el.value === radios[name])
                    : group.find(el => el.checked) || group[0];
                target.checked = true;
                answered[name] = target.value;
            }
            return answered;
        }""",
        [texts, NUMBERS, RADIO_PLAN, CHECKBOX_PLAN],
    )


def complete_survey(
    page: Page,
    lang: str,
    *,
    on_page: Callable[[Page, int], None] | None = None,
    answer: Callable[[Page, dict[str, str]], dict[str, Any]] = answer_page,
) -> tuple[list[int], dict[str, Any]]:
    """From the first questionnaire page to the thank-you page; returns the pages seen and the answers."""
    visited: list[int] = []
    answered: dict[str, Any] = {}
    for _ in range(MAX_PAGES):
        index = page_index(page)
        visited.append(index)
        if on_page:
            on_page(page, index)
        answered.update(answer(page, texts_for(lang)))
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


def receipt_code(page: Page) -> str:
    """The receipt code shown on the thank-you page."""
    code = page.locator("[data-receipt-code]").get_attribute("data-receipt-code")
    assert code is not None
    assert RECEIPT_CODE.match(code), code
    expect(page.locator("[data-receipt-code]")).to_have_text(code)
    return code


# ---------------------------------------------------------------------------------------------- database


def submitted_ids(engine: Engine, wave_id: int) -> set[str]:
    with Session(engine) as session:
        return set(
            session.exec(
                select(Response.id).where(Response.wave_id == wave_id, Response.status == ResponseStatus.submitted)
            ).all()
        )


def assert_stored(
    engine: Engine, wave_id: int, before: set[str], code: str, lang: str, answered: dict[str, Any]
) -> None:
    """Exactly one response was submitted since ``before``, in ``lang``, holding exactly what was answered."""
    new = submitted_ids(engine, wave_id) - before
    assert len(new) == 1, f"expected exactly one new submitted response, got {len(new)}"
    with Session(engine) as session:
        response = session.get(Response, new.pop())
        assert response is not None
        rows = session.exec(select(Answer).where(Answer.response_id == response.id)).all()
    assert response.language == lang
    assert response.status == ResponseStatus.submitted
    assert response.submitted_on is not None
    assert hash_receipt_code(code) == response.code_hash
    cells = {(row.question_id, row.item): row for row in rows}

    texts = texts_for(lang)
    # Free text is stored verbatim (umlauts, dashes, typographic quotes, other scripts and ZWNJ included).
    for question_id in FREE_TEXT_QUESTIONS:
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


# ---------------------------------------------------------------------------------------------- axe


class AxeChecker:
    """Runs axe-core's WCAG 2.0/2.1 A and AA rules on pages and collects the violations.

    axe-core is added to every document of the page's context as it loads, so a check only runs it.
    """

    def __init__(self, page: Page, lang: str) -> None:
        self.page = page
        self.lang = lang
        self.axe = Axe()
        self.checked: list[str] = []
        self.reports: list[str] = []
        page.context.add_init_script(script=self.axe.axe_script)

    def __call__(self, name: str) -> None:
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(self.axe.axe_script)
        results = AxeResults(self.page.evaluate("options => axe.run(document, options)", AXE_OPTIONS))
        self.checked.append(name)
        if results.violations_count != 0:
            self.reports.append(f"--- [{self.lang}] {name} ({self.page.url}):\n{results.generate_report()}")

    def assert_clean(self) -> None:
        assert not self.reports, "axe found WCAG 2.1 A/AA violations:\n" + "\n".join(self.reports)


# ---------------------------------------------------------------------------------------------- keyboard


def focused(page: Page) -> dict[str, Any]:
    """What has the keyboard focus now."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), type: el.type || '', id: el.id, name: el.name || '',
                    value: el.value || '', checked: !!el.checked};
        }"""
    )


def outline_style(page: Page) -> str:
    return page.locator(":focus").evaluate("() => getComputedStyle(document.activeElement).outlineStyle")


def assert_focus_visible(page: Page, what: str) -> None:
    """The focused control shows the focus indicator: matches :focus-visible, with an outline and a halo."""
    style = page.evaluate(
        """() => {
            const el = document.activeElement;
            const s = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return {visible: el.matches(':focus-visible'), outline: s.outlineStyle,
                    width: parseFloat(s.outlineWidth), shadow: s.boxShadow,
                    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight};
        }"""
    )
    assert style["visible"], f"{what}: focus is not :focus-visible ({style})"
    assert style["outline"] != "none", f"{what}: no focus outline ({style})"
    assert style["width"] >= 2, f"{what}: focus outline thinner than 2px ({style})"
    assert style["shadow"] != "none", f"{what}: no focus halo ({style})"
    assert style["onScreen"], f"{what}: the focused control is not scrolled into view ({style})"


def tab_to(page: Page, wanted: Callable[[dict[str, Any]], bool], what: str, limit: int = 60) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted(now):
            return now
    pytest.fail(f"{what} not reached with {limit} presses of Tab")
