"""Word clouds of a workshop's free texts, one per workshop language, for the live screen and the summary.

A cloud is drawn from the long-text answers given in that language by the participants the room's results count
(``survey.room_steps``: in steps of at least the wave's minimum), with personal data masked and only words that at least
that many answers use. Counting and drawing take about a second and the live screen asks on every change, so
both are kept per (workshop, language, minimum, texts' fingerprint): the number of answers and the highest
answer id, which any new or withdrawn answer changes — a kept cloud is never stale.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from cachetools import LRUCache, cached
from sqlmodel import Session, func, select

from analysis.cloud_words import masked_word_frequencies, top_words
from analysis.clouds import CloudUnavailableError, word_cloud
from analysis.text import pipeline
from survey.coding_reports import drawable, text_language
from survey.models import Answer, Response, Workshop, WorkshopStatus
from survey.room_steps import counted_count, counted_responses
from survey.waves import questionnaire_version

CACHE_SIZE = 64
"""Clouds kept per process: a few languages of the workshops running at the same time."""
WORDS_IN_ALT = 15


@dataclass(frozen=True)
class CloudKey:
    workshop_id: int
    language: str
    minimum: int
    answers: int
    last_answer: int

    @property
    def version(self) -> str:
        """Changes with the texts; a short hash, so the image address does not tell how many answers there are."""
        return hashlib.sha256(f"{self.answers}:{self.last_answer}".encode()).hexdigest()[:12]


class RoomCloud:
    """One language's cloud: its words at once, its picture drawn on first use."""

    def __init__(self, key: CloudKey, reads: str, frequencies: dict[str, int]) -> None:
        self.key = key
        self.language = key.language
        self.reads = reads
        """The text language the analysis reads ("de" for answers in Einfache Sprache)."""
        self.frequencies = frequencies
        self.words = top_words(frequencies, WORDS_IN_ALT)
        self.drawable = drawable(reads)

    @cached_property
    def png(self) -> bytes | None:
        if not self.drawable:
            return None
        try:
            return word_cloud(self.frequencies, self.reads)
        except CloudUnavailableError:
            return None


_kept: LRUCache[CloudKey, RoomCloud | None] = LRUCache(CACHE_SIZE)
_kept_lock = threading.Lock()


def warm_pipelines(languages: Iterable[str]) -> None:
    """Build the text pipelines the clouds of these workshop languages read, before the room's first poll.

    A language's lemma tables take one to two seconds of CPU to load. Inside the first poll that counts cloud
    words, that stalls every participant's request (one worker, one GIL) just when the room is busiest.
    """
    for code in dict.fromkeys(languages):
        reads = text_language(None, code)
        if reads is not None:
            pipeline(reads)


def warm_pipelines_of_open_workshops(session: Session) -> None:
    """At start-up: a server restarted during a workshop is warm before it answers the room again."""
    open_now = session.exec(select(Workshop.languages).where(Workshop.status == WorkshopStatus.open)).all()
    warm_pipelines(code for languages in open_now for code in languages)


def warm_pipelines_in_background(languages: Iterable[str]) -> None:
    """When a workshop is created: usually well before it starts, so the work is out of everyone's way."""
    threading.Thread(target=warm_pipelines, args=(list(languages),), name="warm-pipelines", daemon=True).start()


def room_clouds(session: Session, workshop: Workshop, minimum: int) -> list[RoomCloud]:
    """The clouds of the workshop's languages that have words; none before a step of ``minimum`` participants."""
    found = (room_cloud(session, workshop, minimum, language) for language in workshop.languages)
    return [cloud for cloud in found if cloud is not None]


def room_cloud(session: Session, workshop: Workshop, minimum: int, language: str) -> RoomCloud | None:
    """The cloud of the answers given in ``language``, or None (too few participants or words, no such language)."""
    reads = text_language(None, language)
    if language not in workshop.languages or reads is None or counted_count(session, workshop, minimum) < minimum:
        return None
    texts = _texts(session, workshop, language)
    answers, last = session.exec(select(func.count(), func.max(texts.c.id)).select_from(texts)).one()
    if answers < minimum:  # no word can come from enough answers
        return None
    return _cloud(session, CloudKey(workshop.id, language, minimum, answers, last), reads, texts)


def _texts(session: Session, workshop: Workshop, language: str):
    """Subquery (id, text) of the free-text answers in ``language`` of the workshop's participants."""
    questionnaire = questionnaire_version(session, workshop.questionnaire_version_id)
    long_texts = [question.id for question in questionnaire.questions() if question.type == "long_text"]
    return (
        select(Answer.id, Answer.text)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.id.in_(counted_responses(workshop)),
            Response.language == language,
            Answer.question_id.in_(long_texts),
            Answer.text.is_not(None),
            Answer.text != "",
        )
        .subquery()
    )


@cached(_kept, key=lambda _session, key, *_: key, lock=_kept_lock)
def _cloud(session: Session, key: CloudKey, reads: str, texts) -> RoomCloud | None:
    rows = session.exec(select(texts.c.text).order_by(texts.c.id)).all()
    frequencies = masked_word_frequencies(rows, reads, key.minimum)
    return RoomCloud(key, reads, frequencies) if frequencies else None
