"""Collective statements: recording them, participants' votes, and tallies through the privacy layer."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from survey.models import Response, ResponseStatus, StatementVote, Vote, Wave, Workshop
from survey.statements import (
    MAX_STATEMENT_LENGTH,
    StatementError,
    add_statement,
    cast_votes,
    remove_statement,
    statements_of,
    tallies,
    votes_of,
)
from survey.workshops import create_workshop
from tests.workshop_data import participant


def room(db: Session, wave: Wave, title: str = "Abendrunde") -> Workshop:
    return create_workshop(
        db, wave=wave, organisation="Verein A", title=title, held_on=date(2025, 5, 20), languages=["de", "en"]
    )


def voter(db: Session, workshop: Workshop, status: ResponseStatus = ResponseStatus.submitted) -> str:
    return participant(db, db.get(Wave, workshop.wave_id), workshop, status=status).id


def vote_many(db: Session, workshop: Workshop, statement_id: int, votes: dict[Vote, int]) -> None:
    for vote, n in votes.items():
        for _ in range(n):
            cast_votes(db, workshop, voter(db, workshop), {statement_id: vote})


def test_statements_are_kept_in_order_and_checked(db: Session, wave: Wave) -> None:
    workshop = room(db, wave)
    first = add_statement(db, workshop, "  Mehr   Sprachkurse ", "de")
    second = add_statement(db, workshop, "Longer opening hours", "en")
    assert first.text == "Mehr Sprachkurse"
    assert [s.id for s in statements_of(db, workshop)] == [first.id, second.id]
    for text, language, code in [
        (" ", "de", "statement_empty"),
        ("x" * (MAX_STATEMENT_LENGTH + 1), "de", "statement_too_long"),
        ("Daha fazla kurs", "tr", "language_not_in_workshop"),
    ]:
        with pytest.raises(StatementError) as refused:
            add_statement(db, workshop, text, language)
        assert refused.value.code == code
    assert len(statements_of(db, workshop)) == 2


def test_a_statement_is_removed_only_from_its_own_workshop(db: Session, wave: Wave) -> None:
    workshop, other = room(db, wave), room(db, wave, "Andere Runde")
    statement = add_statement(db, workshop, "Mehr Sprachkurse", "de")
    vote_many(db, workshop, statement.id, {Vote.agree: 1})
    assert remove_statement(db, other, statement.id) is False
    assert remove_statement(db, workshop, statement.id) is True
    assert statements_of(db, workshop) == []
    assert db.exec(select(StatementVote)).all() == []


def test_a_new_vote_replaces_the_earlier_one(db: Session, wave: Wave) -> None:
    workshop = room(db, wave)
    statement = add_statement(db, workshop, "Mehr Sprachkurse", "de")
    response_id = voter(db, workshop)
    cast_votes(db, workshop, response_id, {statement.id: Vote.agree})
    cast_votes(db, workshop, response_id, {statement.id: Vote.disagree})
    assert votes_of(db, workshop, response_id) == {statement.id: Vote.disagree}
    assert db.exec(select(StatementVote.vote)).all() == [Vote.disagree]


def test_votes_are_refused_from_outside_the_workshop(db: Session, wave: Wave) -> None:
    workshop, other = room(db, wave), room(db, wave, "Andere Runde")
    statement = add_statement(db, workshop, "Mehr Sprachkurse", "de")
    foreign_statement = add_statement(db, other, "Mehr Parks", "de")
    own = voter(db, workshop)
    for response_id, votes, code in [
        (voter(db, other), {statement.id: Vote.agree}, "not_a_participant"),
        (voter(db, workshop, ResponseStatus.withdrawn), {statement.id: Vote.agree}, "not_a_participant"),
        (own, {foreign_statement.id: Vote.agree}, "unknown_statement"),
    ]:
        with pytest.raises(StatementError) as refused:
            cast_votes(db, workshop, response_id, votes)
        assert refused.value.code == code
    assert db.exec(select(StatementVote)).all() == []


def test_votes_of_withdrawn_responses_do_not_count(db: Session, wave: Wave) -> None:
    workshop = room(db, wave)
    statement = add_statement(db, workshop, "Mehr Sprachkurse", "de")
    vote_many(db, workshop, statement.id, {Vote.agree: 5, Vote.disagree: 5})
    leaving = db.exec(select(StatementVote.response_id).where(StatementVote.vote == Vote.agree)).first()
    response = db.get(Response, leaving)
    response.status = ResponseStatus.withdrawn
    db.add(response)
    db.commit()
    (tally,) = tallies(db, workshop, minimum=1)
    assert tally.voters == 9
    assert tally.counts[Vote.agree] == 4


def test_tallies_are_withheld_under_the_minimum(db: Session, wave: Wave) -> None:
    workshop = room(db, wave)
    statement = add_statement(db, workshop, "Mehr Sprachkurse", "de")
    vote_many(db, workshop, statement.id, {Vote.agree: 4})
    (tally,) = tallies(db, workshop, minimum=wave.min_cell_size)
    assert wave.min_cell_size == 5
    assert tally.voters is None
    assert tally.counts == dict.fromkeys(Vote)
    vote_many(db, workshop, statement.id, {Vote.agree: 1})
    (tally,) = tallies(db, workshop, minimum=wave.min_cell_size)
    assert tally.voters == 5
    assert tally.counts == {Vote.agree: 5, Vote.disagree: 0, Vote.pass_: 0}


def test_a_small_count_takes_another_with_it(db: Session, wave: Wave) -> None:
    """With the number of voters published, a lone withheld count could be worked out by subtraction."""
    workshop = room(db, wave)
    statement = add_statement(db, workshop, "Mehr Sprachkurse", "de")
    vote_many(db, workshop, statement.id, {Vote.agree: 6, Vote.disagree: 7, Vote.pass_: 2})
    (tally,) = tallies(db, workshop, minimum=5)
    assert tally.voters == 15
    assert tally.counts[Vote.pass_] is None  # primary: under the minimum
    assert tally.counts[Vote.agree] is None  # secondary: the next smallest, so 15 − 7 pins neither
    assert tally.counts[Vote.disagree] == 7
