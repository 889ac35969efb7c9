"""The bare baseline: the least a Litestar + SQLModel app must do to store one questionnaire page.

One sync handler parses a URL-encoded form of the same size as a questionnaire page and inserts one
row per field in one transaction, using the engine Stimmen uses (same SQLite WAL and synchronous
pragmas). No sessions, CSRF, templates, questionnaire logic or security headers: whatever a page
submission costs beyond this is Stimmen's own overhead.

Run with ``uvicorn bench.baseline_app:create_baseline_app --factory``; the database URL comes from
``STIMMEN_BENCH_BASELINE_URL``.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

from litestar import Litestar, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body
from sqlalchemy.orm import registry
from sqlmodel import Field, Session, SQLModel

from survey.db import make_engine

BASELINE_URL_ENV = "STIMMEN_BENCH_BASELINE_URL"

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


class BaselineBase(SQLModel, registry=registry()):
    """Own registry and MetaData, so nothing clashes with (or is created alongside) ``survey.models``."""


class BenchRow(BaselineBase, table=True):
    __tablename__ = "bench_row"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    value: str = Field(max_length=200)


@post("/insert", status_code=204, sync_to_thread=True)
def insert(state: State, data: FormData) -> None:
    with Session(state.engine) as session:
        for name, raw in data.items():
            value = raw[-1] if isinstance(raw, list) else raw
            session.add(BenchRow(name=name, value=str(value)))
        session.commit()


def create_baseline_app(database_url: str | None = None) -> Litestar:
    url = database_url or os.environ.get(BASELINE_URL_ENV, "sqlite:///./bench-baseline.db")
    engine = make_engine(url)
    BaselineBase.metadata.create_all(engine)
    return Litestar(route_handlers=[insert], state=State({"engine": engine}), on_shutdown=[engine.dispose])
