"""The facilitators' area: organisation scoping, creating and closing workshops, statements, QR code, invitation."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from survey.models import Response, Role, Vote, Wave, Workshop, WorkshopStatus
from survey.routes.workshop_admin import qr_svg
from survey.statements import add_statement, cast_votes, statements_of
from survey.users import add_user
from survey.workshops import create_workshop
from tests.conftest import PASSWORD, csrf_token, login
from tests.workshop_data import participant

BASE = "http://testserver.local"


def make_workshop(db: Session, wave: Wave, organisation: str = "Verein A", **overrides) -> Workshop:
    options = {"title": f"Runde von {organisation}", "held_on": date(2025, 5, 20), "languages": ["de", "en"]}
    return create_workshop(db, wave=wave, organisation=organisation, **(options | overrides))


def facilitator(db: Session, organisation: str | None = "verein a") -> str:
    """A facilitator (organisation typed in another case than the workshops') signed in by e-mail."""
    return add_user(db, f"{uuid.uuid4().hex[:8]}@example.org", Role.facilitator, PASSWORD, organisation).email


def token(client: TestClient, path: str = "/admin/workshops") -> str:
    return csrf_token(client.get(path).text)


def test_a_facilitator_sees_and_opens_only_their_organisations_workshops(
    client: TestClient, db: Session, wave: Wave
) -> None:
    own, foreign = make_workshop(db, wave), make_workshop(db, wave, "Verein B")
    login(client, facilitator(db))
    listing = client.get("/admin/workshops?lang=en")
    assert listing.status_code == 200
    assert f'href="/admin/workshops/{own.id}"' in listing.text
    assert f'href="/admin/workshops/{foreign.id}"' not in listing.text
    assert 'href="/admin/workshops">Workshops</a>' in listing.text  # in the admin navigation
    assert client.get(f"/admin/workshops/{own.id}").status_code == 200
    csrf = token(client)
    for path in ("", "/paper", "/invitation", "/qr.svg"):
        assert client.get(f"/admin/workshops/{foreign.id}{path}").status_code == 404, path
    for path, form in [
        ("/close", {"confirm": "yes"}),
        ("/statements", {"text": "Fremd", "language": "de"}),
        ("/paper", {"paper_form": "1"}),
    ]:
        assert (
            client.post(f"/admin/workshops/{foreign.id}{path}", data={"_csrf_token": csrf, **form}).status_code == 404
        )
    db.expire_all()
    assert db.get(Workshop, foreign.id).status == WorkshopStatus.open
    assert db.exec(select(Response)).all() == []
    assert client.get("/admin/workshops/999999").status_code == 404  # same answer as a foreign one


def test_admins_see_every_workshop_and_other_roles_none(
    client: TestClient, db: Session, wave: Wave, users: dict[Role, str]
) -> None:
    workshops = [make_workshop(db, wave), make_workshop(db, wave, "Über Brücken e.V.")]
    login(client, users[Role.admin])
    listing = client.get("/admin/workshops").text
    assert all(f'href="/admin/workshops/{w.id}"' in listing for w in workshops)
    assert all(client.get(f"/admin/workshops/{w.id}").status_code == 200 for w in workshops)
    for role in (Role.coder, Role.author):
        login(client, users[role])
        assert client.get("/admin/workshops").status_code == 403
        assert client.get(f"/admin/workshops/{workshops[0].id}").status_code == 403
        assert 'href="/admin/workshops"' not in client.get("/admin").text


def _create_form(csrf: str, wave: Wave, /, **overrides: object) -> dict:
    form = {
        "_csrf_token": csrf,
        "wave": str(wave.id),
        "title": "Frauenfrühstück",
        "held_on": "2025-06-01",
        "languages": ["de", "en"],
        "questionnaire": "default",
        "organisation": "Verein Z",
    }
    return form | overrides


def test_a_facilitator_creates_a_workshop_of_their_own_organisation(
    client: TestClient, db: Session, wave: Wave
) -> None:
    email = facilitator(db, "Verein A")
    login(client, email)
    page = client.get("/admin/workshops?lang=en")
    assert 'name="organisation"' not in page.text  # fixed by the account, shown only
    assert "Verein A" in page.text
    created = client.post("/admin/workshops", data=_create_form(token(client), wave), follow_redirects=False)
    assert created.status_code == 303
    workshop = db.exec(select(Workshop)).one()
    assert created.headers["location"] == f"/admin/workshops/{workshop.id}"
    assert workshop.organisation == "Verein A"  # the posted "Verein Z" is ignored
    assert (workshop.title, workshop.held_on, workshop.languages) == ("Frauenfrühstück", date(2025, 6, 1), ["de", "en"])
    assert workshop.questionnaire_version_id == wave.questionnaire_version_id
    assert workshop.facilitator_id is not None


def test_an_admin_types_the_organisation(client: TestClient, db: Session, wave: Wave, users: dict[Role, str]) -> None:
    login(client, users[Role.admin])
    form = _create_form(token(client), wave, questionnaire="workshop", languages="en")
    assert client.post("/admin/workshops", data=form, follow_redirects=False).status_code == 303
    workshop = db.exec(select(Workshop)).one()
    assert (workshop.organisation, workshop.languages) == ("Verein Z", ["en"])
    assert workshop.questionnaire_version_id != wave.questionnaire_version_id


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Please enter a title."),
        ({"languages": ["de", "tr"]}, "languages", "Please choose only languages the chosen wave offers."),
        ({"languages": []}, "languages", "Please choose at least one language."),
        ({"held_on": "1.6.2025"}, "held_on", "Please enter the date as YYYY-MM-DD."),
        ({"wave": "999999"}, "wave", "Please choose a wave."),
        ({"organisation": ""}, "organisation", "Please enter the organisation that holds the workshop."),
    ],
)
def test_create_errors_are_explained_and_values_kept(
    client: TestClient, db: Session, wave: Wave, users: dict[Role, str], overrides: dict, field: str, message: str
) -> None:
    login(client, users[Role.admin])
    form = _create_form(token(client), wave, **({"title": "Erzählcafé"} | overrides))
    response = client.post("/admin/workshops?lang=en", data=form)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.text
    assert f'href="#q-{field}"' in response.text
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    if field != "title":
        assert 'value="Erzählcafé"' in response.text
    assert 'value="Verein Z"' in response.text or field == "organisation"
    assert db.exec(select(Workshop)).all() == []


def test_a_facilitator_without_organisation_cannot_create(client: TestClient, db: Session, wave: Wave) -> None:
    login(client, facilitator(db, None))
    page = client.get("/admin/workshops?lang=en")
    assert "Your account belongs to no organisation yet" in page.text
    assert 'action="/admin/workshops"' not in page.text
    refused = client.post("/admin/workshops?lang=en", data=_create_form(token(client), wave))
    assert refused.status_code == 400
    assert "Your account belongs to no organisation yet" in refused.text
    assert db.exec(select(Workshop)).all() == []


def test_the_detail_page_shows_how_to_join_and_the_materials(client: TestClient, db: Session, wave: Wave) -> None:
    workshop = make_workshop(db, wave)
    login(client, facilitator(db))
    page = client.get(f"/admin/workshops/{workshop.id}?lang=en").text
    code = workshop.join_code
    assert f'class="join-code" dir="ltr">{code}<' in page
    assert f'href="{BASE}/w/{code}"' in page
    assert (
        f'<img class="qr" src="/admin/workshops/{workshop.id}/qr.svg" alt="QR code that opens {BASE}/w/{code}">' in page
    )
    assert f'href="/admin/workshops/{workshop.id}/invitation"' in page
    assert f'href="/w/{code}/live"' in page
    assert f'href="/w/{code}/print?lang=de"' in page
    assert f'href="/w/{code}/print?lang=en"' in page
    assert f'href="/admin/workshops/{workshop.id}/paper"' in page
    assert "summary.docx" not in page  # only once the workshop is closed


def test_the_qr_code_encodes_the_join_address(client: TestClient, db: Session, wave: Wave) -> None:
    workshop = make_workshop(db, wave)
    login(client, facilitator(db))
    response = client.get(f"/admin/workshops/{workshop.id}/qr.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
    assert response.content == qr_svg(f"{BASE}/w/{workshop.join_code}")
    assert response.content != qr_svg(f"{BASE}/w/{workshop.join_code}X")


def test_closing_needs_a_confirmation(client: TestClient, db: Session, wave: Wave) -> None:
    workshop = make_workshop(db, wave)
    login(client, facilitator(db))
    path = f"/admin/workshops/{workshop.id}"
    csrf = token(client, path)
    unconfirmed = client.post(f"{path}/close?lang=en", data={"_csrf_token": csrf})
    assert unconfirmed.status_code == 400
    assert 'href="#q-confirm"' in unconfirmed.text
    assert "Please tick the box to confirm" in unconfirmed.text
    db.expire_all()
    assert db.get(Workshop, workshop.id).status == WorkshopStatus.open
    closed = client.post(f"{path}/close", data={"_csrf_token": csrf, "confirm": "yes"}, follow_redirects=False)
    assert closed.headers["location"] == path
    db.expire_all()
    assert db.get(Workshop, workshop.id).status == WorkshopStatus.closed
    page = client.get(path).text
    assert f'href="{path}/summary.html"' in page
    assert f'href="{path}/summary.docx"' in page
    assert 'action="/admin/workshops/{workshop.id}/close"' not in page


def _voters(db: Session, workshop: Workshop, statement_id: int, votes: dict[Vote, int]) -> None:
    wave = db.get(Wave, workshop.wave_id)
    for vote, n in votes.items():
        for _ in range(n):
            cast_votes(db, workshop, participant(db, wave, workshop).id, {statement_id: vote})


def _cell(page: str, statement_id: int, vote: str) -> str:
    row = re.search(rf'<tr data-statement="{statement_id}">(.*?)</tr>', page, re.S).group(1)
    return re.search(rf'data-vote="{vote}">(.*?)</td>', row, re.S).group(1)


def test_statements_are_added_removed_and_tallied(client: TestClient, db: Session, wave: Wave) -> None:
    workshop = make_workshop(db, wave)
    login(client, facilitator(db))
    path = f"/admin/workshops/{workshop.id}"
    csrf = token(client, path)
    added = client.post(
        f"{path}/statements",
        data={"_csrf_token": csrf, "text": "Mehr Sprachkurse", "language": "de"},
        follow_redirects=False,
    )
    assert added.headers["location"] == f"{path}#statements"
    wrong = client.post(
        f"{path}/statements?lang=en", data={"_csrf_token": csrf, "text": "Daha fazla", "language": "tr"}
    )
    assert wrong.status_code == 400
    assert 'href="#q-language"' in wrong.text
    assert "Daha fazla</textarea>" in wrong.text
    empty = client.post(f"{path}/statements?lang=en", data={"_csrf_token": csrf, "text": " ", "language": "de"})
    assert empty.status_code == 400
    assert "Please write the statement." in empty.text
    (statement,) = statements_of(db, workshop)
    _voters(db, workshop, statement.id, {Vote.agree: 3, Vote.disagree: 1})
    page = client.get(f"{path}?lang=en").text
    assert 'lang="de" dir="auto">Mehr Sprachkurse</th>' in page
    assert _cell(page, statement.id, "agree").startswith('<span aria-hidden="true">–</span>')
    assert "“–” means withheld to protect privacy" in page
    _voters(db, workshop, statement.id, {Vote.agree: 3, Vote.disagree: 5})
    page = client.get(f"{path}?lang=en").text
    assert (_cell(page, statement.id, "agree"), _cell(page, statement.id, "disagree")) == ("6", "6")
    assert _cell(page, statement.id, "voters") == "12"
    other = make_workshop(db, wave, title="Zweite Runde")
    foreign = add_statement(db, other, "Andere Aussage", "de")
    client.post(f"{path}/statements/remove", data={"_csrf_token": csrf, "statement": str(foreign.id)})
    client.post(f"{path}/statements/remove", data={"_csrf_token": csrf, "statement": str(statement.id)})
    page = client.get(path).text
    assert "Mehr Sprachkurse" not in page
    assert "Andere Aussage" in client.get(f"/admin/workshops/{other.id}").text


def test_the_invitation_speaks_each_workshop_language(client: TestClient, db: Session, wave: Wave) -> None:
    wave.languages = ["de", "en", "ar"]
    db.add(wave)
    db.commit()
    workshop = make_workshop(db, wave, languages=["de", "en", "ar"])
    login(client, facilitator(db))
    page = client.get(f"/admin/workshops/{workshop.id}/invitation").text
    blocks = re.findall(r'<section class="invitation" lang="([^"]+)" dir="([^"]+)"', page)
    assert blocks == [("de", "ltr"), ("en", "ltr"), ("ar", "rtl")]
    sections = page.split('<section class="invitation"')[1:]
    assert "20. Mai 2025" in sections[0]
    assert "May 20, 2025" in sections[1]
    assert "Scan the code with your phone" in sections[1]
    for section in sections:
        assert f'src="/admin/workshops/{workshop.id}/qr.svg"' in section
        assert f'class="join-code" dir="ltr">{workshop.join_code}<' in section
        assert f"{BASE}/w/{workshop.join_code}" in section
