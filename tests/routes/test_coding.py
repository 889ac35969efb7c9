"""The coding area over HTTP, on SQLite and PostgreSQL: queue, decisions, segments, agreement, terms, clouds."""

from __future__ import annotations

import html
import re

import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from survey.i18n import translator
from survey.models import Answer, Coding, CodingReview, CodingStatus, Role, User, Wave
from survey.settings import PROJECT_ROOT
from survey.users import add_user
from tests.conftest import PASSWORD, add_text_answers, csrf_token, login

QUESTION = "discrimination_experience"
HOUSING = "domain.housing"
ORIGIN = "ground.origin"
IGNORED = "form.ignored"
GERMAN = translator(PROJECT_ROOT / "locales", "de")


def answers(db: Session, wave: Wave, *texts: str, language: str = "de") -> list[int]:
    return add_text_answers(db, wave, [(QUESTION, text, language) for text in texts])


def share(db: Session, wave: Wave, value: float) -> None:
    wave.double_coding_share = value
    db.add(wave)
    db.commit()


def suggest(db: Session, answer_id: int, code: str, span: tuple[int, int] | None, source: str = "rules") -> None:
    start, end = span or (None, None)
    db.add(
        Coding(
            answer_id=answer_id,
            code=code,
            start=start,
            end=end,
            source=source,
            confidence=0.7,
            status=CodingStatus.suggested,
        )
    )
    db.commit()


def user_id(db: Session, email: str) -> int:
    return db.exec(select(User.id).where(User.email == email)).one()


def next_location(client: TestClient, wave: Wave) -> str | None:
    response = client.get(f"/admin/coding/{wave.slug}/next", follow_redirects=False)
    if response.status_code == 200:
        assert 'data-queue="empty"' in response.text
        return None
    assert response.status_code == 303
    return response.headers["location"]


def save(client: TestClient, wave: Wave, answer_id: int, lang: str = "en", **fields: object):
    page = client.get(f"/admin/coding/{wave.slug}/answers/{answer_id}?lang={lang}")
    assert page.status_code == 200, page.text
    data = {"_csrf_token": csrf_token(page.text), **fields}
    return client.post(f"/admin/coding/{wave.slug}/answers/{answer_id}?lang={lang}", data=data, follow_redirects=False)


def counts(html: str) -> dict[str, int]:
    return {name: int(value) for name, value in re.findall(r'data-count="(\w+)">(\d+)', html)}


def human_codings(db: Session, answer_id: int) -> dict[str, Coding]:
    db.expire_all()
    rows = db.exec(select(Coding).where(Coding.answer_id == answer_id, Coding.source == "user")).all()
    return {row.code: row for row in rows}


# ---------------------------------------------------------------------------------------------- queue


def test_queue_goes_through_the_answers_in_order(
    client: TestClient, db: Session, users: dict[Role, str], wave: Wave
) -> None:
    share(db, wave, 0.0)
    ids = answers(db, wave, "Erste Antwort.", "Zweite Antwort.", "Dritte Antwort.")
    login(client, users[Role.coder])
    for answer_id in ids:
        assert next_location(client, wave) == f"/admin/coding/{wave.slug}/answers/{answer_id}"
        saved = save(client, wave, answer_id)
        assert saved.status_code == 303
        assert saved.headers["location"] == f"/admin/coding/{wave.slug}/next"
    assert next_location(client, wave) is None
    page = client.get(f"/admin/coding/{wave.slug}/next?lang=en")
    assert "Nothing left in your queue" in page.text


def test_progress_counts(client: TestClient, db: Session, users: dict[Role, str], wave: Wave) -> None:
    share(db, wave, 0.0)
    ids = answers(db, wave, "Eins.", "Zwei.", "Drei.", "Vier.")
    add_text_answers(db, wave, [("belonging_situation_positive", "", "de")])  # empty: nothing to code
    login(client, users[Role.coder])
    save(client, wave, ids[0])
    save(client, wave, ids[1])
    overview = counts(client.get(f"/admin/coding/{wave.slug}").text)
    assert overview == {"answers": 4, "done": 2, "double": 0, "mine": 2}
    listing = client.get("/admin/coding").text
    assert f'data-wave="{wave.slug}"' in listing
    assert counts(listing) == {"answers": 4, "done": 2, "double": 0, "mine": 2}
    login(client, users[Role.admin])
    assert counts(client.get(f"/admin/coding/{wave.slug}").text)["mine"] == 0


# ---------------------------------------------------------------------------------------------- saving


def test_saving_accepts_rejects_and_adds_codes_with_segments(
    client: TestClient, db: Session, users: dict[Role, str], wave: Wave
) -> None:
    share(db, wave, 0.0)
    text = "Bei der Wohnungssuche bekam ich wegen meiner Herkunft keine Antwort mehr."
    (answer_id,) = answers(db, wave, text)
    suggest(db, answer_id, HOUSING, (8, 21))
    suggest(db, answer_id, ORIGIN, (44, 52))
    login(client, users[Role.coder])
    page = client.get(f"/admin/coding/{wave.slug}/answers/{answer_id}?lang=en").text
    assert "<mark" in page
    assert 'data-shortcut="1"' in page
    assert 'data-shortcut="2"' in page
    response = save(
        client, wave, answer_id, code=[HOUSING, IGNORED], **{f"span:{IGNORED}": "50-72"}, memo="  Eindeutig.  "
    )
    assert response.status_code == 303
    coder = user_id(db, users[Role.coder])
    rows = human_codings(db, answer_id)
    assert set(rows) == {HOUSING, ORIGIN, IGNORED}
    assert all(row.user_id == coder for row in rows.values())
    assert (rows[HOUSING].status, rows[HOUSING].start, rows[HOUSING].end) == (CodingStatus.accepted, 8, 21)
    assert rows[ORIGIN].status == CodingStatus.rejected
    assert (rows[IGNORED].status, rows[IGNORED].start, rows[IGNORED].end) == (CodingStatus.accepted, 50, 72)
    machine = {c.code: c.status for c in db.exec(select(Coding).where(Coding.source == "rules"))}
    assert machine == {HOUSING: CodingStatus.accepted, ORIGIN: CodingStatus.rejected}
    review = db.exec(select(CodingReview).where(CodingReview.answer_id == answer_id)).one()
    assert (review.user_id, review.memo) == (coder, "Eindeutig.")


def test_no_code_is_a_decision_too(client: TestClient, db: Session, users: dict[Role, str], wave: Wave) -> None:
    (answer_id,) = answers(db, wave, "Nichts davon.")
    suggest(db, answer_id, HOUSING, None)
    login(client, users[Role.coder])
    assert save(client, wave, answer_id).status_code == 303
    assert {code: c.status for code, c in human_codings(db, answer_id).items()} == {HOUSING: CodingStatus.rejected}
    assert db.exec(select(CodingReview).where(CodingReview.answer_id == answer_id)).one()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"code": "domain.no_such_code"},
            "The code “%(code)s” is not in the codebook. Please choose codes from the list.",
        ),
        ({"code": "wish.housing"}, "The code “%(code)s” is not used for answers to this question."),
        (
            {"code": HOUSING, f"span:{HOUSING}": "5-500"},
            "The marked segment for “%(code)s” is not inside the answer (it has %(length)s characters). "
            "Please mark the segment again.",
        ),
        (
            {"code": HOUSING, f"span:{HOUSING}": "9-3"},
            "The marked segment for “%(code)s” is not inside the answer (it has %(length)s characters). "
            "Please mark the segment again.",
        ),
        (
            {"code": HOUSING, f"span:{HOUSING}": "all of it"},
            "The marked segment for “%(code)s” is not inside the answer (it has %(length)s characters). "
            "Please mark the segment again.",
        ),
    ],
)
def test_invalid_codes_and_segments_are_refused(
    client: TestClient, db: Session, users: dict[Role, str], wave: Wave, fields: dict, message: str
) -> None:
    text = "Bei der Wohnungssuche abgelehnt."
    (answer_id,) = answers(db, wave, text)
    login(client, users[Role.coder])
    code = fields["code"]
    for lang, t in (("en", None), ("de", GERMAN)):
        response = save(client, wave, answer_id, lang=lang, **fields)
        assert response.status_code == 400
        assert 'class="error-summary"' in response.text
        params = {"code": code, "length": str(len(text))} if "length" in message else {"code": code}
        expected = message % params if t is None else t.gettext(message, **params)
        assert expected in response.text, expected
        if t is not None:
            assert expected != message % params, "the message is not translated into German"
    assert human_codings(db, answer_id) == {}
    assert db.exec(select(CodingReview)).first() is None


def test_revisiting_shows_previous_decisions(
    client: TestClient, db: Session, users: dict[Role, str], wave: Wave
) -> None:
    (answer_id,) = answers(db, wave, "Bei der Wohnungssuche abgelehnt, im Amt ignoriert.")
    suggest(db, answer_id, HOUSING, (8, 21))
    login(client, users[Role.coder])
    save(client, wave, answer_id, code=[HOUSING, IGNORED], **{f"span:{IGNORED}": "34-48"}, memo="Zweimal.")
    page = client.get(f"/admin/coding/{wave.slug}/answers/{answer_id}").text
    checked = set(re.findall(r'name="code" value="([\w.]+)"[^>]*\bchecked\b', page))
    assert checked == {HOUSING, IGNORED}
    assert f'name="span:{IGNORED}" value="34-48"' in page
    assert '<mark class="segment"' in page
    assert ">Zweimal.</textarea>" in page


# ---------------------------------------------------------------------------------------------- quotes


def quotable_box(page: str) -> str:
    box = re.search(r'<input type="checkbox" name="quotable"[^>]*>', page)
    assert box, "the form has no quotable checkbox"
    return box.group(0)


def test_quote_approval_is_saved_and_shown_again_to_the_same_coder_only(
    client: TestClient, db: Session, users: dict[Role, str], wave: Wave
) -> None:
    share(db, wave, 1.0)  # both coders see the answer
    (answer_id,) = answers(db, wave, "Meine Nachbarn haben mir beim Umzug geholfen.")
    login(client, users[Role.coder])
    assert " checked" not in quotable_box(client.get(f"/admin/coding/{wave.slug}/answers/{answer_id}").text)
    assert save(client, wave, answer_id, quotable="yes").status_code == 303
    coder = user_id(db, users[Role.coder])
    db.expire_all()
    assert db.exec(select(CodingReview.quotable).where(CodingReview.user_id == coder)).one() is True
    assert " checked" in quotable_box(client.get(f"/admin/coding/{wave.slug}/answers/{answer_id}").text)

    login(client, users[Role.admin])
    assert " checked" not in quotable_box(client.get(f"/admin/coding/{wave.slug}/answers/{answer_id}").text)
    save(client, wave, answer_id)
    db.expire_all()
    by_coder = dict(db.exec(select(CodingReview.user_id, CodingReview.quotable)).all())
    assert by_coder == {coder: True, user_id(db, users[Role.admin]): False}

    login(client, users[Role.coder])
    save(client, wave, answer_id)  # unticked again
    db.expire_all()
    assert db.exec(select(CodingReview.quotable).where(CodingReview.user_id == coder)).one() is False


def test_quote_approval_is_kept_when_the_form_has_errors(
    client: TestClient, db: Session, users: dict[Role, str], wave: Wave
) -> None:
    (answer_id,) = answers(db, wave, "Eine Antwort.")
    login(client, users[Role.coder])
    refused = save(client, wave, answer_id, code="domain.no_such_code", quotable="yes")
    assert refused.status_code == 400
    assert " checked" in quotable_box(refused.text)
    assert db.exec(select(CodingReview)).first() is None


def test_the_page_says_whether_the_respondent_allows_quotes(
    client: TestClient, db: Session, users: dict[Role, str], wave: Wave
) -> None:
    agreed, refused, unanswered = answers(db, wave, "Erste.", "Zweite.", "Dritte.")
    for answer_id, value in ((agreed, True), (refused, False)):
        response_id = db.get(Answer, answer_id).response_id
        db.add(Answer(response_id=response_id, question_id="quote_consent", value=value))
    db.commit()
    login(client, users[Role.coder])
    shown = {
        answer_id: re.search(
            r'data-quote-consent="([\w-]+)"', client.get(f"/admin/coding/{wave.slug}/answers/{answer_id}?lang=en").text
        )[1]
        for answer_id in (agreed, refused, unanswered)
    }
    assert shown == {agreed: "yes", refused: "no", unanswered: "no"}
    page = client.get(f"/admin/coding/{wave.slug}/answers/{agreed}?lang=en").text
    assert "The respondent agreed to be quoted." in page
    assert "masked automatically" in page


# ---------------------------------------------------------------------------------------------- double coding


def test_blind_answers_go_to_two_different_coders(
    client: TestClient, db: Session, users: dict[Role, str], wave: Wave
) -> None:
    share(db, wave, 1.0)
    first, second = answers(db, wave, "Erste Antwort zur Wohnungssuche.", "Zweite Antwort.")
    suggest(db, first, HOUSING, (18, 31))
    other = add_user(db, "coder2@example.org", Role.coder, PASSWORD).email

    login(client, users[Role.coder])
    page = client.get(f"/admin/coding/{wave.slug}/answers/{first}?lang=en").text
    assert 'data-blind="true"' in page
    assert "Machine suggestions" not in page
    assert "<mark" not in page
    assert "data-shortcut" not in page
    assert next_location(client, wave).endswith(f"/answers/{first}")
    save(client, wave, first)
    assert next_location(client, wave).endswith(f"/answers/{second}")  # never the same answer twice
    save(client, wave, second)
    assert next_location(client, wave) is None

    login(client, other)
    assert next_location(client, wave).endswith(f"/answers/{first}")  # the second coder of each
    save(client, wave, first, code=HOUSING)
    assert next_location(client, wave).endswith(f"/answers/{second}")
    save(client, wave, second)
    assert next_location(client, wave) is None
    assert counts(client.get(f"/admin/coding/{wave.slug}").text) == {"answers": 2, "done": 2, "double": 2, "mine": 2}
    assert len(db.exec(select(CodingReview)).all()) == 4


def test_admin_sets_the_double_coding_share(
    client: TestClient, db: Session, users: dict[Role, str], wave: Wave
) -> None:
    login(client, users[Role.admin])
    page = client.get(f"/admin/coding/{wave.slug}?lang=de")
    assert 'name="share"' in page.text
    token = csrf_token(page.text)
    ok = client.post(f"/admin/coding/{wave.slug}/settings", data={"_csrf_token": token, "share": "12,5"})
    assert ok.status_code == 200
    db.expire_all()
    assert db.get(Wave, wave.id).double_coding_share == pytest.approx(0.125)
    for wrong in ("150", "-1", "viel", ""):
        refused = client.post(
            f"/admin/coding/{wave.slug}/settings?lang=de", data={"_csrf_token": token, "share": wrong}
        )
        assert refused.status_code == 400
        assert GERMAN.gettext("Please enter a percentage between 0 and 100.") in refused.text
    db.expire_all()
    assert db.get(Wave, wave.id).double_coding_share == pytest.approx(0.125)

    login(client, users[Role.coder])
    page = client.get(f"/admin/coding/{wave.slug}")
    assert 'name="share"' not in page.text
    forbidden = client.post(
        f"/admin/coding/{wave.slug}/settings", data={"_csrf_token": csrf_token(page.text), "share": "50"}
    )
    assert forbidden.status_code == 403


# ---------------------------------------------------------------------------------------------- agreement


def test_agreement_for_two_coders(client: TestClient, db: Session, users: dict[Role, str], wave: Wave) -> None:
    """Housing: coder A yes, yes, no, no; coder B yes, no, no, no.

    Percent agreement 3/4. Cohen's kappa: observed 3 of 4, chance (2·1 + 2·3)/16 = 1/2, so (3/4 − 1/2)/(1/2) = 0.5.
    Krippendorff's alpha: 8 values (3 yes, 5 no), one disagreeing pair counted twice, so
    1 − 7·2/(64 − 9 − 25) = 1 − 14/30 = 0.53.
    """
    share(db, wave, 1.0)
    login(client, users[Role.coder])
    empty = client.get(f"/admin/coding/{wave.slug}/agreement?lang=en").text
    assert "Not enough double-coded answers yet." in empty

    ids = answers(db, wave, "Wohnung eins.", "Wohnung zwei.", "Drei.", "Vier.")
    for answer_id, given in zip(ids, (True, True, False, False), strict=True):
        save(client, wave, answer_id, **({"code": HOUSING} if given else {}))
    login(client, users[Role.admin])
    for answer_id, given in zip(ids, (True, False, False, False), strict=True):
        save(client, wave, answer_id, **({"code": HOUSING} if given else {}))

    page = client.get(f"/admin/coding/{wave.slug}/agreement?lang=en").text
    row = re.search(rf'<tr data-code="{HOUSING}">(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r'<td class="num"[^>]*>([^<]*)</td>', row)
    assert cells == ["4", "3", "75%", "0.5", "0.53"]
    assert 'data-agreement="overall"' in page
    # Overall alpha over all 57 codes × 4 answers × 2 coders = 456 values, 3 of them "yes": 1 − 455·2/2718.
    assert "Overall: Krippendorff's alpha 0.67, percent agreement 99.6%, mean Cohen's kappa 0.5." in html.unescape(page)
    disagreement = re.search(rf'<tr data-answer="{ids[1]}">(.*?)</tr>', page, re.S).group(1)
    assert f'href="/admin/coding/{wave.slug}/answers/{ids[1]}"' in disagreement
    assert users[Role.coder] in disagreement
    assert users[Role.admin] in disagreement
    assert disagreement.index(users[Role.coder]) < disagreement.index(users[Role.admin])  # gave it, did not
    assert f'data-answer="{ids[0]}"' not in page


# ---------------------------------------------------------------------------------------------- terms and clouds


def test_terms_of_answers_without_codes(client: TestClient, db: Session, users: dict[Role, str], wave: Wave) -> None:
    ids = answers(
        db,
        wave,
        "Der Busfahrer hat mich nicht mitgenommen.",
        "Wieder hat der Busfahrer einfach die Tür geschlossen.",
        "Im Ausländeramt wartete ich Stunden.",
        "Das Ausländeramt hat nie geantwortet.",
    )
    suggest(db, ids[2], "domain.authorities", None)
    coder = add_user(db, "coder2@example.org", Role.coder, PASSWORD)
    db.add(CodingReview(answer_id=ids[3], user_id=coder.id))
    db.add(Coding(answer_id=ids[3], code="domain.authorities", source="user", user_id=coder.id, status="accepted"))
    db.commit()
    login(client, users[Role.coder])
    page = client.get(f"/admin/coding/{wave.slug}/terms?lang=en").text
    table = re.search(r'<table data-language="de">(.*?)</table>', page, re.S).group(1)
    assert "Busfahrer" in table
    assert "Ausländeramt" not in page


def word_answers(db: Session, wave: Wave, n: int) -> list[int]:
    return answers(db, wave, *[f"Die Nachbarn im Sommerfest, Antwort {i}." for i in range(n)])


def test_clouds_need_the_minimum_cell_size(client: TestClient, db: Session, users: dict[Role, str], wave: Wave) -> None:
    ids = word_answers(db, wave, wave.min_cell_size)
    for answer_id in ids:
        suggest(db, answer_id, "helps.neighbours", None)
    login(client, users[Role.coder])
    page = client.get(f"/admin/coding/{wave.slug}/clouds?lang=en").text
    img = re.search(r'<img src="([^"]+)"[^>]*alt="([^"]+)"', page)
    assert img
    assert img.group(1) == f"/admin/coding/{wave.slug}/clouds/de.png"
    assert "Nachbarn" in img.group(2)
    assert "Sommerfest" in img.group(2)
    png = client.get(img.group(1))
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    by_code = client.get(f"/admin/coding/{wave.slug}/clouds?code=helps.neighbours").text
    assert "/clouds/de.png?code=helps.neighbours" in by_code
    assert client.get(f"/admin/coding/{wave.slug}/clouds/de.png?code=helps.neighbours").status_code == 200
    assert "<img" not in client.get(f"/admin/coding/{wave.slug}/clouds?code=domain.work").text

    wave.min_cell_size = len(ids) + 1
    db.add(wave)
    db.commit()
    refused = client.get(f"/admin/coding/{wave.slug}/clouds?lang=en").text
    assert "<img" not in refused
    assert 'data-cloud="too-few"' in refused
    assert "Too few answers for a word cloud" in refused
    assert client.get(f"/admin/coding/{wave.slug}/clouds/de.png").status_code == 404


# ---------------------------------------------------------------------------------------------- access


@pytest.mark.parametrize("role", [Role.author, Role.facilitator])
def test_other_staff_may_not_code(client: TestClient, db: Session, users: dict[Role, str], wave: Wave, role) -> None:
    (answer_id,) = answers(db, wave, "Eine Antwort.")
    login(client, users[role])
    for path in ("", f"/{wave.slug}", f"/{wave.slug}/next", f"/{wave.slug}/answers/{answer_id}"):
        assert client.get(f"/admin/coding{path}", follow_redirects=False).status_code == 403
    assert 'href="/admin/coding"' not in client.get("/admin").text


def test_coders_see_the_coding_area(client: TestClient, users: dict[Role, str], wave: Wave) -> None:
    assert client.get("/admin/coding", follow_redirects=False).headers["location"].startswith("/admin/login")
    login(client, users[Role.coder])
    assert 'href="/admin/coding"' in client.get("/admin").text
    assert client.get("/admin/coding").status_code == 200


def test_saving_needs_the_csrf_token(client: TestClient, db: Session, users: dict[Role, str], wave: Wave) -> None:
    (answer_id,) = answers(db, wave, "Bei der Wohnungssuche abgelehnt.")
    login(client, users[Role.coder])
    response = client.post(f"/admin/coding/{wave.slug}/answers/{answer_id}", data={"code": HOUSING})
    assert response.status_code == 403
    assert db.exec(select(CodingReview)).first() is None
    assert db.exec(select(Answer).where(Answer.id == answer_id)).one()
