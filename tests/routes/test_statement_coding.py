"""Workshop texts in the coding area: workshop answers in the queue, and the page to code collective statements."""

from __future__ import annotations

import re

import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from survey.models import Role, User, Wave, WorkshopStatement
from survey.waves import create_wave
from tests.conftest import DEFAULT_QUESTIONNAIRE, csrf_token, login
from tests.workshop_data import CONCERN, HOUSING_STATEMENT, participant, statement, workshop

HOUSING = "domain.housing"
WISH = "wish.housing"
SUGGESTED = [{"code": HOUSING, "confidence": 0.7, "source": "rules"}]


def page_url(wave: Wave) -> str:
    return f"/admin/coding/{wave.slug}/statements"


def checked(html: str, statement_id: int) -> set[str]:
    """Codes ticked in the statement's form."""
    form = html.split(f'id="statement-{statement_id}"', 1)[1].split("</form>", 1)[0]
    return set(re.findall(r'<input type="checkbox" name="code" value="([^"]+)"[^>]* checked>', form))


def post(client: TestClient, wave: Wave, statement_id: int | str, codes: list[str]):
    token = csrf_token(client.get(page_url(wave)).text)
    data = {"_csrf_token": token, "statement": str(statement_id), "code": codes}
    return client.post(f"{page_url(wave)}?lang=en", data=data, follow_redirects=False)


def test_workshop_answers_are_in_the_queue_with_their_question(
    client: TestClient, db: Session, users: dict[Role, str], wave: Wave
) -> None:
    wave.double_coding_share = 0.0
    db.add(wave)
    held = workshop(db, wave)
    participant(db, wave, held, {"community_concerns": CONCERN, "what_works_well": "Der Verein hilft uns."})
    login(client, users[Role.coder])
    assert 'data-count="answers">2<' in client.get(f"/admin/coding/{wave.slug}").text
    location = client.get(f"/admin/coding/{wave.slug}/next", follow_redirects=False).headers["location"]
    answer = client.get(f"{location}?lang=de").text
    assert CONCERN in answer
    assert "Was beschäftigt Sie und die Menschen in Ihrem Umfeld" in answer  # the workshop questionnaire's text
    assert 'value="helps.neighbours"' not in answer  # what helps belongs to what_works_well, not to concerns
    assert f'value="{HOUSING}"' in answer


def test_the_wave_page_links_the_statements(client: TestClient, users: dict[Role, str], wave: Wave) -> None:
    login(client, users[Role.coder])
    overview = client.get(f"/admin/coding/{wave.slug}?lang=en").text
    assert f'href="{page_url(wave)}"' in overview
    empty = client.get(f"{page_url(wave)}?lang=en")
    assert empty.status_code == 200
    assert 'data-statements="none"' in empty.text


def test_suggestions_are_ticked_until_a_coder_decides(
    client: TestClient, db: Session, users: dict[Role, str], wave: Wave
) -> None:
    held = workshop(db, wave, organisation="Frauentreff Nord")
    row = statement(db, wave, held, HOUSING_STATEMENT, suggestions=SUGGESTED)
    login(client, users[Role.coder])
    page = client.get(f"{page_url(wave)}?lang=en").text
    assert HOUSING_STATEMENT in page
    assert "Frauentreff Nord" in page
    assert "May 20, 2025" in page or "20 May 2025" in page
    assert checked(page, row.id) == {HOUSING}
    assert 'data-count="statements">1<' in page
    assert 'data-count="decided">0<' in page

    saved = post(client, wave, row.id, [WISH])
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{page_url(wave)}?saved={row.id}#statement-{row.id}"
    db.expire_all()
    decided = db.get(WorkshopStatement, row.id)
    assert decided.codes == [WISH]
    assert decided.coded_by == db.exec(select(User.id).where(User.email == users[Role.coder])).one()
    assert decided.suggestions == SUGGESTED  # kept, for training and evaluation
    page = client.get(f"{page_url(wave)}?saved={row.id}&lang=en").text
    assert checked(page, row.id) == {WISH}  # the rejected suggestion stays unticked
    assert "The codes of this statement are saved." in page
    assert 'data-count="decided">1<' in page


def test_deciding_on_no_code_is_a_decision(client: TestClient, db: Session, users: dict[Role, str], wave: Wave) -> None:
    row = statement(db, wave, workshop(db, wave), HOUSING_STATEMENT, suggestions=SUGGESTED)
    login(client, users[Role.admin])
    assert post(client, wave, row.id, []).status_code == 303
    db.expire_all()
    assert db.get(WorkshopStatement, row.id).codes == []
    assert checked(client.get(page_url(wave)).text, row.id) == set()


def test_an_unknown_code_is_refused_with_an_error_summary(
    client: TestClient, db: Session, users: dict[Role, str], wave: Wave
) -> None:
    row = statement(db, wave, workshop(db, wave), HOUSING_STATEMENT)
    login(client, users[Role.coder])
    refused = post(client, wave, row.id, [WISH, "no.such.code"])
    assert refused.status_code == 400
    assert 'class="error-summary"' in refused.text
    assert f'href="#statement-{row.id}"' in refused.text
    assert "no.such.code" in refused.text
    assert WISH in checked(refused.text, row.id)  # what the coder ticked is kept
    db.expire_all()
    assert db.get(WorkshopStatement, row.id).codes is None


def test_statements_of_another_wave_are_not_found(
    client: TestClient, db: Session, users: dict[Role, str], wave: Wave
) -> None:
    other = create_wave(
        db, questionnaire_path=DEFAULT_QUESTIONNAIRE, slug="other", title="Andere", districts=[], languages=["de"]
    )
    foreign = statement(db, other, workshop(db, other), HOUSING_STATEMENT)
    login(client, users[Role.coder])
    assert post(client, wave, foreign.id, [WISH]).status_code == 404
    assert post(client, wave, "abc", [WISH]).status_code == 404
    db.expire_all()
    assert db.get(WorkshopStatement, foreign.id).codes is None


@pytest.mark.parametrize("role", [Role.author, Role.facilitator])
def test_only_coders_and_admins_code_statements(
    client: TestClient, db: Session, users: dict[Role, str], wave: Wave, role: Role
) -> None:
    row = statement(db, wave, workshop(db, wave), HOUSING_STATEMENT)
    login(client, users[role])
    assert client.get(page_url(wave), follow_redirects=False).status_code == 403
    token = csrf_token(client.get("/admin").text)
    data = {"_csrf_token": token, "statement": str(row.id), "code": [WISH]}
    assert client.post(page_url(wave), data=data, follow_redirects=False).status_code == 403
    db.expire_all()
    assert db.get(WorkshopStatement, row.id).codes is None
