"""Page submissions per second and latency: Stimmen against a bare Litestar + SQLModel insert.

Two servers run as uvicorn subprocesses on loopback, one worker each, with the same SQLite set-up
(``survey.db.make_engine``: WAL, ``synchronous=FULL``), each on its own database file in a temporary
directory:

* **survey** – ``survey.app:create_app`` with an open wave ``bench`` of the default questionnaire.
  Every simulated respondent has its own HTTP client (own cookies): it opens the intro page, reads the
  CSRF token, gives consent, and then submits the first questionnaire page again and again
  (``POST /s/bench/p/0``, ``action=next``, every matrix line answered). That is "a page submission":
  session cookie decrypted and re-encrypted, CSRF checked, answers parsed and checked, the page's
  answers replaced in one transaction, the next page worked out, 303 to it.
* **baseline** – ``bench.baseline_app`` (one sync handler that inserts one row per form field and
  commits), sent the very same form body.

The clients run in this process and share the machine with the servers, as they would on a small host.
Two scenarios:

1. **Cost ratio: closed loop, interleaved rounds.** For each concurrency level N, R rounds each run a
   baseline phase and a survey phase, alternating which goes first (B S, S B, B S, …). In a phase N
   fresh clients set up (a few at a time), send a short warm-up together, wait for one another, and
   then each sends a fixed number of requests back to back; only those are timed. Why: on a small
   shared machine throughput drifts by tens of percent from one minute to the next, so two long phases
   run one after the other compare the machine's mood as much as the code (repeating the same run gave
   cost ratios from 1.6 to 2.6). A round's two phases run seconds apart, so the ratio of the round –
   baseline req/s ÷ survey req/s – cancels most of the drift; the median over rounds drops the odd
   round that caught a hiccup, and the min–max spread shows how far a single run can be trusted.
   The cost target is checked on that median ratio at every level.
2. **Latency: 32 respondents at a steady pace (open loop).** Closed-loop clients without a pause
   saturate the server, so their latency is queueing: by Little's law the mean latency at N clients is
   N ÷ req/s, and at 32 clients even the bare insert has a p99 of 200–300 ms. That says how long the
   queue is, not how a page feels. Here 32 clients each send one page submission every 250 ms on a
   fixed schedule – client i's k-th request is due at start + i × 250 ms ÷ 32 + k × 250 ms (independent
   respondents do not send in lockstep, so the schedules are spread evenly over the period). That
   offers 128 page submissions per second, far above any real survey's peak (a person needs tens of
   seconds per page) yet below saturation. The schedule does not wait for answers: a request due while
   the previous one is still out is sent as soon as that one returns, and its latency is counted from
   when it was due, so a slow server cannot hide its backlog (no coordinated omission). The first
   few sends of every client are an untimed warm-up on the same schedule. Both endpoints run for the
   same fixed time; the p99 target is checked on the survey here, and the closed-loop p99 at 32 clients
   is reported for information only, labelled as saturation.

Everything is bounded: a fixed number of requests per phase, a time limit per request and per phase,
and a phase stops early once it has too many failed requests (the server is overloaded). Failed or
unsent requests fail the targets they belong to. A server that failed requests is restarted (same
database) so the next phase starts clean, and both servers are always stopped at the end.
"""

from __future__ import annotations

import asyncio
import math
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich import box
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bench.harness import (
    BenchError,
    baseline_server,
    csrf_token,
    fmt,
    percentile,
    progress_bars,
    ratio,
    serving,
    survey_server,
    verdict,
)
from bench.server import Server

DEFAULT_CONCURRENCY = [1, 8, 32]
DEFAULT_ROUNDS = 5
DEFAULT_REQUESTS_PER_CLIENT = 60
DEFAULT_WARMUP_PER_CLIENT = 5
MAX_ROUNDS = 50
MAX_REQUESTS_PER_CLIENT = 10_000
MAX_WARMUP_PER_CLIENT = 1_000

PACE_CLIENTS = 32
DEFAULT_PACE_MS = 250.0
DEFAULT_PACE_SECONDS = 15.0
MIN_PACE_MS = 1.0
MAX_PACE_MS = 10_000.0
MAX_PACE_SECONDS = 120.0
PACE_WARMUP_SENDS = 4
"""Untimed sends at the start of every paced client's schedule (one second at the default pace)."""
PACE_GRACE_S = 10.0
"""A paced client sends nothing more once it is this far behind the end of its schedule."""

MAX_COST_RATIO = 2.0
"""A page submission may cost at most this many bare inserts (median over rounds of baseline req/s ÷ survey req/s)."""
MAX_P99_MS = 100.0
"""Survey p99 latency limit with ``PACE_CLIENTS`` respondents at the steady pace."""
SATURATION_CONCURRENCY = 32
"""The closed-loop level whose p99 is shown next to the paced one (for information: it is saturation)."""

WAVE_SLUG = "bench"
WAVE_DISTRICTS = [f"Bezirk {n}" for n in range(1, 11)]
WAVE_LANGUAGES = ["de", "en"]
QUESTIONNAIRE_FILE = "belonging-discrimination.yaml"
PAGE_INDEX = 0

SETUP_CONCURRENCY = 4
"""Clients setting up at the same time (untimed)."""
REQUEST_TIMEOUT_S = 10.0
"""A timed request not answered within this counts as an error."""
SETUP_TIMEOUT_S = 60.0
PHASE_TIMEOUT_S = 120.0
"""Closed-loop clients stop sending after this long; requests not sent by then count as "not sent"."""
ERRORS_PER_CLIENT_LIMIT = 2
"""A phase stops early once it has this many failed requests per client: the server is overloaded."""

# --------------------------------------------------------------------------------------------- figures


def median(values: list[float]) -> float:
    """Median of the values that are numbers; NaN when there are none."""
    numbers = [v for v in values if v is not None and not math.isnan(v)]
    return statistics.median(numbers) if numbers else math.nan


@dataclass
class Phase:
    """What one timed phase measured."""

    concurrency: int
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    not_sent: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    last_done: float = -math.inf
    """``time.perf_counter()`` when the last timed request ended (paced phases measure their time with it)."""

    def record_error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(what)

    def too_many_errors(self) -> bool:
        return self.errors >= ERRORS_PER_CLIENT_LIMIT * self.concurrency

    def figures(self) -> dict[str, Any]:
        ordered = sorted(self.latencies_ms)
        return {
            "concurrency": self.concurrency,
            "requests": len(ordered) + self.errors,
            "ok": len(ordered),
            "errors": self.errors,
            "not_sent": self.not_sent,
            "error_samples": self.error_samples,
            "seconds": self.seconds,
            "rps": len(ordered) / self.seconds if self.seconds > 0 else math.nan,
            "mean_ms": sum(ordered) / len(ordered) if ordered else math.nan,
            "p50_ms": percentile(ordered, 50),
            "p90_ms": percentile(ordered, 90),
            "p99_ms": percentile(ordered, 99),
            "max_ms": ordered[-1] if ordered else math.nan,
        }


# ------------------------------------------------------------------------------------------ test data


@dataclass(frozen=True)
class Forms:
    consent: dict[str, str]
    """Consent boxes ticked, without the CSRF token."""
    page: dict[str, str]
    """A valid submission of the first page, with a placeholder CSRF token of the real length."""


def build_forms(questionnaire_path: Path) -> Forms:
    """Consent fields and a complete, valid first page, derived from the questionnaire itself."""
    from survey.questionnaire import load
    from survey.questionnaire.schema import Matrix, SingleChoice

    q = load(questionnaire_path)
    consent = {f"consent.{s.id}": "yes" for s in q.consent.statements}
    page: dict[str, str] = {}
    for question in q.pages[PAGE_INDEX].questions:
        if getattr(question, "relevant", None):
            continue
        if isinstance(question, Matrix):
            first = q.choices_of(question)[0].value
            for item in question.items:
                page[f"{question.id}.{item.id}"] = first
        elif isinstance(question, SingleChoice):
            page[question.id] = q.choices_of(question)[0].value
        elif getattr(question, "required", False):
            raise BenchError(f"benchmark cannot answer required question {question.id!r} on page {PAGE_INDEX}")
    page["action"] = "next"
    # Same length as a real Litestar CSRF token (64 hex + 64 hex HMAC), so both servers get equal bodies.
    page["_csrf_token"] = secrets.token_hex(64)
    return Forms(consent=consent, page=page)


def prepare_survey_database(database_url: str, questionnaire_path: Path, languages: list[str] | None = None) -> None:
    """Schema plus an open wave (in ``WAVE_LANGUAGES`` unless given ``languages``), made before the server starts."""
    from survey.db import make_engine, session_scope, upgrade
    from survey.waves import create_wave

    engine = make_engine(database_url)
    try:
        upgrade(engine)
        for session in session_scope(engine):
            create_wave(
                session,
                questionnaire_path=questionnaire_path,
                slug=WAVE_SLUG,
                title="Benchmark",
                districts=WAVE_DISTRICTS,
                languages=languages or WAVE_LANGUAGES,
                is_open=True,
            )
    finally:
        engine.dispose()


# -------------------------------------------------------------------------------------------- clients

Advance = Callable[[], None]
Setup = Callable[[httpx.AsyncClient, Forms], Awaitable[tuple[str, dict[str, str]]]]


@dataclass(frozen=True)
class Endpoint:
    """One side of the comparison: how a client gets ready, what it posts, what answer is expected."""

    name: str
    setup: Setup
    expected: int


async def _survey_setup(client: httpx.AsyncClient, forms: Forms) -> tuple[str, dict[str, str]]:
    """A new respondent: intro page (CSRF cookie and token), consent, then the first page is theirs."""
    intro = await client.get(f"/s/{WAVE_SLUG}")
    if intro.status_code != 200:
        raise BenchError(f"GET /s/{WAVE_SLUG} answered {intro.status_code}, not 200")
    token = csrf_token(intro.text)
    started = await client.post(f"/s/{WAVE_SLUG}/start", data={"_csrf_token": token, **forms.consent})
    if started.status_code != 303 or not started.headers.get("location", "").endswith(f"/p/{PAGE_INDEX}"):
        raise BenchError(f"POST /s/{WAVE_SLUG}/start answered {started.status_code}, not 303 to page {PAGE_INDEX}")
    return f"/s/{WAVE_SLUG}/p/{PAGE_INDEX}", {**forms.page, "_csrf_token": token}


async def _baseline_setup(_client: httpx.AsyncClient, forms: Forms) -> tuple[str, dict[str, str]]:
    return "/insert", forms.page


SURVEY = Endpoint("survey", _survey_setup, 303)
BASELINE = Endpoint("baseline", _baseline_setup, 204)
ENDPOINTS = (BASELINE, SURVEY)


def _http_client(url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=url, follow_redirects=False, timeout=REQUEST_TIMEOUT_S)


async def _untimed_post(client: httpx.AsyncClient, endpoint: Endpoint, path: str, form: dict[str, str]) -> None:
    """A warm-up request: not measured, but it must succeed, or the set-up is broken."""
    response = await client.post(path, data=form)
    if response.status_code != endpoint.expected:
        raise BenchError(f"warm-up POST {path} answered {response.status_code}, not {endpoint.expected}")


async def _timed_post(
    client: httpx.AsyncClient,
    path: str,
    form: dict[str, str],
    expected: int,
    timeout: float,
    phase: Phase,
    due: float | None = None,
) -> None:
    """One measured request. Its latency runs from ``due`` (its scheduled time) when given, else from sending."""
    started = time.perf_counter()
    try:
        response = await client.post(path, data=form, timeout=timeout)
    except httpx.HTTPError as exc:
        phase.record_error(f"{type(exc).__name__} after {time.perf_counter() - started:.1f} s")
        return
    done = time.perf_counter()
    phase.last_done = max(phase.last_done, done)
    if response.status_code == expected:
        phase.latencies_ms.append((done - (started if due is None else due)) * 1000)
    else:
        phase.record_error(f"HTTP {response.status_code} (expected {expected})")


async def _closed_client(
    endpoint: Endpoint,
    url: str,
    forms: Forms,
    warmup: int,
    requests: int,
    gate: asyncio.Semaphore,
    barrier: asyncio.Barrier,
    phase: Phase,
    advance: Advance,
) -> None:
    """Set up (a few clients at a time), warm up, wait for the others, then send ``requests`` back to back."""
    async with _http_client(url) as client:
        try:
            async with gate:
                path, form = await endpoint.setup(client, forms)
            for _ in range(warmup):
                await _untimed_post(client, endpoint, path, form)
                advance()
        except BaseException:
            await barrier.abort()
            raise
        await barrier.wait()
        deadline = time.monotonic() + PHASE_TIMEOUT_S
        for sent in range(requests):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or phase.too_many_errors():
                phase.not_sent += requests - sent
                break
            await _timed_post(client, path, form, endpoint.expected, min(REQUEST_TIMEOUT_S, remaining), phase)
            advance()


async def _paced_client(
    endpoint: Endpoint,
    url: str,
    forms: Forms,
    offset: float,
    pace: float,
    warmup: int,
    requests: int,
    gate: asyncio.Semaphore,
    barrier: asyncio.Barrier,
    start: asyncio.Future[float],
    phase: Phase,
    advance: Advance,
) -> None:
    """Set up, wait for the others, then send on a fixed schedule: due at start + offset + k × pace.

    The schedule never waits for answers, except that one client has one request out at a time: a send
    that falls due while the previous request is still out goes as soon as that one returns, and its
    latency counts from when it was due.
    """
    async with _http_client(url) as client:
        try:
            async with gate:
                path, form = await endpoint.setup(client, forms)
        except BaseException:
            await barrier.abort()
            raise
        await barrier.wait()
        first = await start + offset
        total = warmup + requests
        stop_at = first + total * pace + PACE_GRACE_S
        for k in range(total):
            due = first + k * pace
            wait = due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            if k < warmup:
                await _untimed_post(client, endpoint, path, form)
            else:
                now = time.perf_counter()
                if now >= stop_at or phase.too_many_errors():
                    phase.not_sent += total - k
                    break
                timeout = min(REQUEST_TIMEOUT_S, stop_at + REQUEST_TIMEOUT_S - now)
                await _timed_post(client, path, form, endpoint.expected, timeout, phase, due=due)
            advance()


async def _run_clients(
    endpoint: Endpoint,
    concurrency: int,
    clients: list[Coroutine[Any, Any, None]],
    barrier: asyncio.Barrier,
    limit: float,
    on_start: Callable[[], float],
) -> float:
    """Run the clients of one phase: wait until all passed ``barrier``, call ``on_start``, wait for the ends.

    ``on_start`` returns the moment the timed part starts; the result is that moment. Set-up failures
    raise ``BenchError``; the whole phase is bounded by ``limit`` seconds, and no client outlives it.
    """
    tasks = [asyncio.create_task(client) for client in clients]

    async def timed() -> float:
        try:
            await asyncio.wait_for(barrier.wait(), timeout=SETUP_TIMEOUT_S)
        except asyncio.BrokenBarrierError:
            pass  # a client failed to set up; gather below raises its error
        except TimeoutError:
            raise BenchError(
                f"{endpoint.name}: {concurrency} clients not set up within {SETUP_TIMEOUT_S:.0f} s"
            ) from None
        started = on_start()
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        failures = [o for o in outcomes if isinstance(o, BaseException)]
        if failures:
            # The client that failed first aborted the barrier; report its error, not the others'.
            first = next((f for f in failures if not isinstance(f, asyncio.BrokenBarrierError)), failures[0])
            if isinstance(first, BenchError):
                raise first
            raise BenchError(f"{endpoint.name}: a client failed: {type(first).__name__}: {first}") from first
        return started

    try:
        return await asyncio.wait_for(timed(), timeout=limit)
    except TimeoutError:
        raise BenchError(f"{endpoint.name}: phase with {concurrency} clients did not end in time") from None
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def closed_phase(
    endpoint: Endpoint, url: str, forms: Forms, concurrency: int, warmup: int, requests: int, advance: Advance
) -> Phase:
    """N clients set up, warm up, wait for one another, then each sends ``requests`` timed requests."""
    phase = Phase(concurrency=concurrency)
    gate = asyncio.Semaphore(SETUP_CONCURRENCY)
    barrier = asyncio.Barrier(concurrency + 1)
    clients = [
        _closed_client(endpoint, url, forms, warmup, requests, gate, barrier, phase, advance)
        for _ in range(concurrency)
    ]
    # Clients stop sending at PHASE_TIMEOUT_S and no request waits longer than REQUEST_TIMEOUT_S;
    # the outer limit only catches what should not happen.
    limit = SETUP_TIMEOUT_S * 2 + PHASE_TIMEOUT_S + REQUEST_TIMEOUT_S + 5
    started = await _run_clients(endpoint, concurrency, clients, barrier, limit, time.perf_counter)
    phase.seconds = time.perf_counter() - started
    return phase


async def paced_phase(
    endpoint: Endpoint,
    url: str,
    forms: Forms,
    concurrency: int,
    pace_s: float,
    seconds: float,
    advance: Advance,
) -> Phase:
    """N clients on staggered fixed schedules, one request every ``pace_s`` each, for about ``seconds``."""
    phase = Phase(concurrency=concurrency)
    requests = paced_requests(pace_s, seconds)
    gate = asyncio.Semaphore(SETUP_CONCURRENCY)
    barrier = asyncio.Barrier(concurrency + 1)
    start: asyncio.Future[float] = asyncio.get_running_loop().create_future()
    clients = [
        _paced_client(
            endpoint,
            url,
            forms,
            i * pace_s / concurrency,
            pace_s,
            PACE_WARMUP_SENDS,
            requests,
            gate,
            barrier,
            start,
            phase,
            advance,
        )
        for i in range(concurrency)
    ]

    def on_start() -> float:
        start.set_result(time.perf_counter() + 0.05)
        return start.result()

    schedule = (PACE_WARMUP_SENDS + requests + 1) * pace_s
    limit = SETUP_TIMEOUT_S + schedule + PACE_GRACE_S + REQUEST_TIMEOUT_S + 5
    try:
        started = await _run_clients(endpoint, concurrency, clients, barrier, limit, on_start)
    finally:
        if not start.done():
            start.cancel()
    # Timed from the first timed send that was due to the last answer: the achieved rate.
    first_due = started + PACE_WARMUP_SENDS * pace_s
    phase.seconds = max(phase.last_done - first_due, 0.0)
    return phase


def paced_requests(pace_s: float, seconds: float) -> int:
    """Timed requests per paced client: as many as fit into ``seconds`` at one per ``pace_s``."""
    return max(1, round(seconds / pace_s))


# ------------------------------------------------------------------------------------------------ run


@dataclass(frozen=True)
class Settings:
    concurrency: list[int]
    rounds: int = DEFAULT_ROUNDS
    requests_per_client: int = DEFAULT_REQUESTS_PER_CLIENT
    warmup_per_client: int = DEFAULT_WARMUP_PER_CLIENT
    pace_ms: float = DEFAULT_PACE_MS
    pace_seconds: float = DEFAULT_PACE_SECONDS
    """0 skips the paced scenario."""

    def check(self) -> None:
        if not self.concurrency or min(self.concurrency) < 1:
            raise ValueError("concurrency levels must be positive")
        if not 1 <= self.rounds <= MAX_ROUNDS:
            raise ValueError(f"rounds must be 1…{MAX_ROUNDS}")
        if not 1 <= self.requests_per_client <= MAX_REQUESTS_PER_CLIENT:
            raise ValueError(f"requests per client must be 1…{MAX_REQUESTS_PER_CLIENT}")
        if not 0 <= self.warmup_per_client <= MAX_WARMUP_PER_CLIENT:
            raise ValueError(f"warm-up requests per client must be 0…{MAX_WARMUP_PER_CLIENT}")
        if not MIN_PACE_MS <= self.pace_ms <= MAX_PACE_MS:
            raise ValueError(f"pace must be {MIN_PACE_MS:g}…{MAX_PACE_MS:g} ms")
        if not 0 <= self.pace_seconds <= MAX_PACE_SECONDS:
            raise ValueError(f"paced duration must be 0…{MAX_PACE_SECONDS:g} s")


class Runner:
    """Runs phases against the two servers, restarting a server after a phase in which it failed requests."""

    def __init__(self, servers: dict[str, Server], forms: Forms, progress: Progress) -> None:
        self.servers = servers
        self.forms = forms
        self.progress = progress

    async def _run(
        self, endpoint: Endpoint, label: str, total: int, make: Callable[[Advance], Awaitable[Phase]]
    ) -> dict[str, Any]:
        task = self.progress.add_task(label, total=total)
        try:
            phase = await make(lambda: self.progress.advance(task))
        finally:
            self.progress.remove_task(task)
        figures = phase.figures()
        if phase.errors or phase.not_sent:
            # An overloaded server may take long to work off what clients gave up on; a fresh process
            # (same database) keeps the next phase independent of this one.
            figures["restarted"] = True
            await asyncio.to_thread(self.servers[endpoint.name].restart)
        return figures

    async def closed(self, endpoint: Endpoint, n: int, settings: Settings, label: str) -> dict[str, Any]:
        url = self.servers[endpoint.name].url
        w, r = settings.warmup_per_client, settings.requests_per_client
        return await self._run(
            endpoint,
            label,
            n * (w + r),
            lambda advance: closed_phase(endpoint, url, self.forms, n, w, r, advance),
        )

    async def paced(self, endpoint: Endpoint, settings: Settings) -> dict[str, Any]:
        url = self.servers[endpoint.name].url
        pace_s = settings.pace_ms / 1000
        total = PACE_CLIENTS * (PACE_WARMUP_SENDS + paced_requests(pace_s, settings.pace_seconds))
        return await self._run(
            endpoint,
            f"{endpoint.name}, paced, {PACE_CLIENTS} clients",
            total,
            lambda advance: paced_phase(
                endpoint, url, self.forms, PACE_CLIENTS, pace_s, settings.pace_seconds, advance
            ),
        )


def _failed(figures: dict[str, Any]) -> int:
    return figures["errors"] + figures["not_sent"]


def summarise_level(n: int, rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over rounds per endpoint, and the cost ratio: median of the per-round ratios."""
    level: dict[str, Any] = {"concurrency": n, "rounds": rounds}
    for name in ("baseline", "survey"):
        phases = [r[name] for r in rounds]
        level[name] = {
            "rps": median([p["rps"] for p in phases]),
            "p50_ms": median([p["p50_ms"] for p in phases]),
            "p99_ms": median([p["p99_ms"] for p in phases]),
            "max_ms": max((p["max_ms"] for p in phases if not math.isnan(p["max_ms"])), default=math.nan),
            "ok": sum(p["ok"] for p in phases),
            "errors": sum(p["errors"] for p in phases),
            "not_sent": sum(p["not_sent"] for p in phases),
            "error_samples": [s for p in phases for s in p["error_samples"]][:5],
            "restarts": sum(1 for p in phases if p.get("restarted")),
        }
    ratios = [r["ratio"] for r in rounds if not math.isnan(r["ratio"])]
    level["ratio"] = median(ratios)
    level["ratio_min"] = min(ratios, default=math.nan)
    level["ratio_max"] = max(ratios, default=math.nan)
    level["p50_ratio"] = median([ratio(r["survey"]["p50_ms"], r["baseline"]["p50_ms"]) for r in rounds])
    return level


async def _measure(settings: Settings, runner: Runner) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    levels = []
    for n in settings.concurrency:
        rounds = []
        for number in range(1, settings.rounds + 1):
            # Alternate the order so that neither endpoint always runs first (or always on a warmer machine).
            order = ENDPOINTS if number % 2 else ENDPOINTS[::-1]
            measured = {}
            for endpoint in order:
                label = f"{endpoint.name}, {n} client(s), round {number}/{settings.rounds}"
                measured[endpoint.name] = await runner.closed(endpoint, n, settings, label)
            rounds.append(
                {
                    "round": number,
                    "first": order[0].name,
                    **measured,
                    "ratio": ratio(measured["baseline"]["rps"], measured["survey"]["rps"]),
                }
            )
        levels.append(summarise_level(n, rounds))
    paced = None
    if settings.pace_seconds > 0:
        paced = {
            "clients": PACE_CLIENTS,
            "pace_ms": settings.pace_ms,
            "seconds": settings.pace_seconds,
            "requests_per_client": paced_requests(settings.pace_ms / 1000, settings.pace_seconds),
            "offered_rps": PACE_CLIENTS * 1000 / settings.pace_ms,
        }
        for endpoint in ENDPOINTS:
            paced[endpoint.name] = await runner.paced(endpoint, settings)
    return levels, paced


def check_targets(levels: list[dict[str, Any]], paced: dict[str, Any] | None) -> list[dict[str, Any]]:
    """One entry per target; ``passed`` is None when it was not measured.

    Failed or unsent requests fail a target whatever the figures say.
    """
    targets = []
    for level in levels:
        failed = _failed(level["survey"]) + _failed(level["baseline"])
        spread = f"rounds {fmt(level['ratio_min'], 2)}–{fmt(level['ratio_max'], 2)}"
        targets.append(
            {
                "name": f"cost × at {level['concurrency']} client(s), median of {len(level['rounds'])} rounds",
                "measured": level["ratio"],
                "limit": f"≤ {MAX_COST_RATIO:g}",
                "passed": level["ratio"] <= MAX_COST_RATIO and not failed,
                "note": f"{spread}; {failed} failed or unsent request(s)" if failed else spread,
            }
        )
    name = f"survey p99 (ms), {PACE_CLIENTS} respondents paced"
    saturated = next((lvl for lvl in levels if lvl["concurrency"] == SATURATION_CONCURRENCY), None)
    saturation = (
        f"closed loop at {SATURATION_CONCURRENCY} (saturation, information only): survey "
        f"{fmt(saturated['survey']['p99_ms'], 0)} ms, baseline {fmt(saturated['baseline']['p99_ms'], 0)} ms"
        if saturated
        else ""
    )
    if paced is None:
        targets.append(
            {
                "name": name,
                "measured": math.nan,
                "limit": f"< {MAX_P99_MS:g}",
                "passed": None,
                "note": "not measured: paced scenario skipped",
            }
        )
        return targets
    name = f"survey p99 (ms), {PACE_CLIENTS} respondents, one page each per {paced['pace_ms']:g} ms"
    failed = _failed(paced["survey"]) + _failed(paced["baseline"])
    note = [f"baseline paced p99 {fmt(paced['baseline']['p99_ms'], 1)} ms"]
    if failed:
        note.insert(0, f"{failed} failed or unsent request(s)")
    if saturation:
        note.append(saturation)
    targets.append(
        {
            "name": name,
            "measured": paced["survey"]["p99_ms"],
            "limit": f"< {MAX_P99_MS:g}",
            "passed": paced["survey"]["p99_ms"] < MAX_P99_MS and not failed,
            "note": "; ".join(note),
        }
    )
    return targets


def run(settings: Settings, progress: bool = True) -> dict[str, Any]:
    """Start both servers, run both scenarios, stop the servers; returns the figures."""
    settings.check()
    from survey.settings import get_settings

    questionnaire_path = get_settings().questionnaires_dir / QUESTIONNAIRE_FILE
    forms = build_forms(questionnaire_path)
    workdir = Path(tempfile.mkdtemp(prefix="stimmen-bench-"))
    survey_db = f"sqlite:///{workdir / 'survey.db'}"
    servers = [survey_server(workdir, survey_db), baseline_server(workdir, f"sqlite:///{workdir / 'baseline.db'}")]
    try:
        prepare_survey_database(survey_db, questionnaire_path)
        with serving(servers), progress_bars(progress) as bar:
            by_name = {server.name: server for server in servers}
            levels, paced = asyncio.run(_measure(settings, Runner(by_name, forms, bar)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    targets = check_targets(levels, paced)
    return {
        "benchmark": "submissions",
        "rounds": settings.rounds,
        "requests_per_client": settings.requests_per_client,
        "warmup_per_client": settings.warmup_per_client,
        "levels": levels,
        "paced": paced,
        "targets": targets,
        "passed": all(t["passed"] is not False for t in targets),
    }


# ------------------------------------------------------------------------------------------- printing


def _errors(figures: dict[str, Any]) -> str:
    return f"{figures['errors']} (+{figures['not_sent']} unsent)" if figures["not_sent"] else str(figures["errors"])


def _spread(level: dict[str, Any]) -> str:
    return f"{fmt(level['ratio_min'], 2)}–{fmt(level['ratio_max'], 2)}"


def closed_table(result: dict[str, Any]) -> Table:
    table = Table(
        title=f"Closed loop, no pause: medians over {result['rounds']} interleaved rounds (ms)", box=box.SIMPLE_HEAVY
    )
    for column in ("N", "endpoint", "req/s", "p50", "p99", "failed", "cost ×", "rounds"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    for level in result["levels"]:
        for name in ("baseline", "survey"):
            f = level[name]
            table.add_row(
                str(level["concurrency"]) if name == "baseline" else "",
                name,
                fmt(f["rps"], 0),
                fmt(f["p50_ms"]),
                fmt(f["p99_ms"]),
                str(_failed(f)),
                "" if name == "baseline" else fmt(level["ratio"], 2),
                "" if name == "baseline" else _spread(level),
                end_section=name == "survey",
            )
    return table


def paced_table(result: dict[str, Any]) -> Table:
    paced = result["paced"]
    table = Table(
        title=f"Paced, open loop: {paced['clients']} respondents, one page each per {paced['pace_ms']:g} ms "
        f"(offered {fmt(paced['offered_rps'], 0)}/s, ms from due time)",
        box=box.SIMPLE_HEAVY,
    )
    for column in ("endpoint", "req/s", "p50", "p99", "max", "failed"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    for name in ("baseline", "survey"):
        f = paced[name]
        table.add_row(name, fmt(f["rps"], 0), fmt(f["p50_ms"]), fmt(f["p99_ms"]), fmt(f["max_ms"]), str(_failed(f)))
    return table


def targets_table(result: dict[str, Any]) -> Table:
    table = Table(title="Targets", box=box.SIMPLE_HEAVY)
    for column in ("target", "measured", "limit", "result", "note"):
        table.add_column(column, justify="right" if column in ("measured", "limit") else "left")
    for target in result["targets"]:
        outcome = verdict(target["passed"])
        style = {"PASS": "green", "FAIL": "bold red", "SKIP": "yellow"}[outcome]
        table.add_row(
            target["name"], fmt(target["measured"], 2), target["limit"], f"[{style}]{outcome}[/]", target["note"]
        )
    return table


def _error_note(name: str, f: dict[str, Any]) -> str | None:
    if not (f["errors"] or f["not_sent"]):
        return None
    samples = "; ".join(dict.fromkeys(f["error_samples"]))
    restarts = f.get("restarts", 1 if f.get("restarted") else 0)
    return (
        f"  {name}: {f['errors']} failed request(s), {f['not_sent']} not sent (phase stopped early)"
        + (f", e.g. {samples}" if samples else "")
        + (f"; server restarted {restarts}×" if restarts else "")
        + "."
    )


def notes(result: dict[str, Any]) -> list[str]:
    lines = [
        "baseline = bare Litestar + SQLModel insert (one row per form field); survey = POST of questionnaire "
        "page 1 by a respondent with a session; cost × = baseline req/s ÷ survey req/s of the same round, "
        "median over rounds (min–max of the rounds beside it).",
    ]
    for level in result["levels"]:
        ratios = ", ".join(f"{fmt(r['ratio'], 2)} ({r['first'][0].upper()} first)" for r in level["rounds"])
        lines.append(
            f"{level['concurrency']} client(s): per-round cost × {ratios}; "
            f"survey ÷ baseline latency p50 {fmt(level['p50_ratio'], 2)}× (median)."
        )
        for name in ("baseline", "survey"):
            note = _error_note(name, level[name])
            if note:
                lines.append(note)
        if level["concurrency"] == SATURATION_CONCURRENCY:
            lines.append(
                f"  Closed-loop p99 at {SATURATION_CONCURRENCY} clients is saturation, not responsiveness: "
                f"every client sends again at once, so latency ≈ clients ÷ throughput (Little's law). "
                f"Survey {fmt(level['survey']['p99_ms'], 0)} ms, baseline {fmt(level['baseline']['p99_ms'], 0)} ms; "
                f"for information only."
            )
    paced = result["paced"]
    if paced is not None:
        lines.append(
            f"Paced: {paced['clients']} clients on fixed schedules spread evenly over the {paced['pace_ms']:g} ms "
            f"period, {paced['requests_per_client']} timed sends each (about {paced['seconds']:g} s, after "
            f"{PACE_WARMUP_SENDS} untimed); latency counts from when a request was due, so lateness is included; "
            f"req/s = answers ÷ time from the first timed due time to the last answer."
        )
        for name in ("baseline", "survey"):
            note = _error_note(name, paced[name])
            if note:
                lines.append(note)
    return lines


def print_result(result: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    console.print(closed_table(result))
    if result["paced"] is not None:
        console.print(paced_table(result))
    for line in notes(result):
        console.print(line, markup=False, highlight=False)
    console.print(targets_table(result))


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"Closed loop: {result['rounds']} rounds per level, baseline and survey phases alternating which goes "
        f"first; {result['requests_per_client']} timed requests per client and phase (after "
        f"{result['warmup_per_client']} warm-up). One uvicorn worker per server; SQLite (WAL, synchronous=FULL) "
        "in a temporary directory.",
        "",
        f"**Closed loop, no pause** – medians over {result['rounds']} rounds:",
        "",
        "| Clients | Endpoint | req/s | p50 ms | p99 ms | max ms | failed | cost × (median) | cost × (min–max) |",
        "|--------:|----------|------:|-------:|-------:|-------:|-------:|----------------:|-----------------:|",
    ]
    for level in result["levels"]:
        for name in ("baseline", "survey"):
            f = level[name]
            survey = name == "survey"
            lines.append(
                f"| {level['concurrency']} | {name} "
                f"| {fmt(f['rps'])} | {fmt(f['p50_ms'], 2)} | {fmt(f['p99_ms'], 2)} | {fmt(f['max_ms'], 0)} "
                f"| {_errors(f)} | {fmt(level['ratio'], 2) if survey else ''} "
                f"| {_spread(level) if survey else ''} |"
            )
    paced = result["paced"]
    if paced is not None:
        lines += [
            "",
            f"**Paced, open loop** – {paced['clients']} respondents, one page each per {paced['pace_ms']:g} ms "
            f"(offered {fmt(paced['offered_rps'], 0)} req/s), about {paced['seconds']:g} s per endpoint; "
            "latency from the due time:",
            "",
            "| Endpoint | req/s | p50 ms | p99 ms | max ms | failed |",
            "|----------|------:|-------:|-------:|-------:|-------:|",
        ]
        for name in ("baseline", "survey"):
            f = paced[name]
            lines.append(
                f"| {name} | {fmt(f['rps'])} | {fmt(f['p50_ms'], 2)} | {fmt(f['p99_ms'], 2)} "
                f"| {fmt(f['max_ms'], 0)} | {_errors(f)} |"
            )
    lines += ["", *(f"- {line.strip()}" for line in notes(result)), ""]
    lines += [
        "| Target | Measured | Limit | Result | Note |",
        "|--------|---------:|------:|--------|------|",
    ]
    for target in result["targets"]:
        lines.append(
            f"| {target['name']} | {fmt(target['measured'], 2)} | {target['limit']} "
            f"| {verdict(target['passed'])} | {target['note']} |"
        )
    return "\n".join(lines)


def main(settings: Settings | None = None, progress: bool = True) -> int:
    """Run and print the submissions benchmark; 0 when every target is met."""
    result = run(settings or Settings(concurrency=DEFAULT_CONCURRENCY), progress)
    print_result(result)
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
