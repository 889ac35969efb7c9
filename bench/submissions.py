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

For each concurrency level N, N clients first set up and warm up (a few at a time, untimed), wait for
one another, and then each sends R requests back to back; only those are timed. The clients run in
this process and share the machine with the servers, as they would on a small host.

Every phase has a fixed number of requests and a time limit; a phase whose server fails requests stops
early, and that server is restarted (same database) so the next phase starts clean. Both servers are
always stopped at the end.

Closed-loop clients without think time: by Little's law the mean latency at N clients is N ÷ req/s,
so p99 < 100 ms at 32 clients needs well over 320 page submissions per second.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_CONCURRENCY = [1, 8, 32]
DEFAULT_REQUESTS_PER_CLIENT = 100
DEFAULT_WARMUP_PER_CLIENT = 10

MAX_COST_RATIO = 2.0
"""A page submission may cost at most this many bare inserts (baseline req/s ÷ survey req/s)."""
P99_CONCURRENCY = 32
MAX_P99_MS = 100.0
"""Survey p99 latency limit at ``P99_CONCURRENCY`` concurrent clients."""

WAVE_SLUG = "bench"
WAVE_DISTRICTS = [f"Bezirk {n}" for n in range(1, 11)]
WAVE_LANGUAGES = ["de", "en"]
QUESTIONNAIRE_FILE = "belonging-discrimination.yaml"
PAGE_INDEX = 0

SETUP_CONCURRENCY = 4
"""Clients setting up and warming up at the same time (untimed)."""
REQUEST_TIMEOUT_S = 10.0
"""A timed request not answered within this counts as an error."""
SETUP_TIMEOUT_S = 60.0
PHASE_TIMEOUT_S = 120.0
"""Clients stop sending after this long; requests not sent by then count as "not sent"."""
ERRORS_PER_CLIENT_LIMIT = 2
"""A phase stops early once it has this many failed requests per client: the server is overloaded."""
STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0

CSRF_INPUT = re.compile(r'name="_csrf_token"\s+value="([^"]+)"|value="([^"]+)"\s+name="_csrf_token"')


class BenchError(RuntimeError):
    """The benchmark could not be run (a server did not start, a client could not set up, a time limit)."""


# --------------------------------------------------------------------------------------------- figures


def percentile(ordered: list[float], p: float) -> float:
    """Linear-interpolated percentile of an already sorted list (``p`` in 0…100)."""
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Phase:
    """What one timed phase measured."""

    concurrency: int
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    not_sent: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def record_error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(what)

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


# --------------------------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A uvicorn subprocess serving one app factory on a free loopback port."""

    def __init__(self, name: str, factory: str, env: dict[str, str], log_path: Path) -> None:
        self.name = name
        self.factory = factory
        self.env = env
        self.log_path = log_path
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.port = free_port()
        env = {**os.environ, **self.env}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH", "")]))
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                self.factory,
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT_S) -> None:
        """Uvicorn binds its socket only after the app was built and started, so any answer means ready."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise BenchError(f"{self.name} server exited during start-up:\n{self.log_tail()}")
            try:
                httpx.get(self.url + "/", timeout=2.0)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        raise BenchError(f"{self.name} server did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def restart(self) -> None:
        self.stop()
        self.start()
        self.wait_ready()

    def log_tail(self, lines: int = 30) -> str:
        if self._log is not None:
            self._log.flush()
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT_S)
        if self._log is not None:
            self._log.close()
            self._log = None


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


def prepare_survey_database(database_url: str, questionnaire_path: Path) -> None:
    """Schema plus an open wave, created before the survey server starts."""
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
                languages=WAVE_LANGUAGES,
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


def _csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    if match is None:
        raise BenchError("no _csrf_token input on the survey intro page")
    return match.group(1) or match.group(2)


async def _survey_setup(client: httpx.AsyncClient, forms: Forms) -> tuple[str, dict[str, str]]:
    """A new respondent: intro page (CSRF cookie and token), consent, then the first page is theirs."""
    intro = await client.get(f"/s/{WAVE_SLUG}")
    if intro.status_code != 200:
        raise BenchError(f"GET /s/{WAVE_SLUG} answered {intro.status_code}, not 200")
    token = _csrf_token(intro.text)
    started = await client.post(f"/s/{WAVE_SLUG}/start", data={"_csrf_token": token, **forms.consent})
    if started.status_code != 303 or not started.headers.get("location", "").endswith(f"/p/{PAGE_INDEX}"):
        raise BenchError(f"POST /s/{WAVE_SLUG}/start answered {started.status_code}, not 303 to page {PAGE_INDEX}")
    return f"/s/{WAVE_SLUG}/p/{PAGE_INDEX}", {**forms.page, "_csrf_token": token}


async def _baseline_setup(_client: httpx.AsyncClient, forms: Forms) -> tuple[str, dict[str, str]]:
    return "/insert", forms.page


SURVEY = Endpoint("survey", _survey_setup, 303)
BASELINE = Endpoint("baseline", _baseline_setup, 204)


async def _timed_post(
    client: httpx.AsyncClient, path: str, form: dict[str, str], expected: int, timeout: float, phase: Phase
) -> None:
    started = time.perf_counter()
    try:
        response = await client.post(path, data=form, timeout=timeout)
    except httpx.HTTPError as exc:
        phase.record_error(f"{type(exc).__name__} after {time.perf_counter() - started:.1f} s")
        return
    elapsed_ms = (time.perf_counter() - started) * 1000
    if response.status_code == expected:
        phase.latencies_ms.append(elapsed_ms)
    else:
        phase.record_error(f"HTTP {response.status_code} (expected {expected})")


async def _client(
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
    async with httpx.AsyncClient(base_url=url, follow_redirects=False, timeout=REQUEST_TIMEOUT_S) as client:
        try:
            # Set-up and warm-up are not timed and run only a few clients at a time, so they cannot
            # overload the server before the measurement starts.
            async with gate:
                path, form = await endpoint.setup(client, forms)
                for _ in range(warmup):
                    response = await client.post(path, data=form)
                    if response.status_code != endpoint.expected:
                        raise BenchError(
                            f"warm-up POST {path} answered {response.status_code}, not {endpoint.expected}"
                        )
                    advance()
        except BaseException:
            await barrier.abort()
            raise
        await barrier.wait()
        deadline = time.monotonic() + PHASE_TIMEOUT_S
        for sent in range(requests):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or phase.errors >= ERRORS_PER_CLIENT_LIMIT * phase.concurrency:
                phase.not_sent += requests - sent
                break
            await _timed_post(client, path, form, endpoint.expected, min(REQUEST_TIMEOUT_S, remaining), phase)
            advance()


async def _phase(
    endpoint: Endpoint, url: str, forms: Forms, concurrency: int, warmup: int, requests: int, advance: Advance
) -> Phase:
    """N clients set up and warm up, wait for one another, then each sends ``requests`` timed requests."""
    phase = Phase(concurrency=concurrency)
    gate = asyncio.Semaphore(SETUP_CONCURRENCY)
    barrier = asyncio.Barrier(concurrency + 1)
    tasks = [
        asyncio.create_task(_client(endpoint, url, forms, warmup, requests, gate, barrier, phase, advance))
        for _ in range(concurrency)
    ]

    async def timed() -> None:
        try:
            await asyncio.wait_for(barrier.wait(), timeout=SETUP_TIMEOUT_S)
        except asyncio.BrokenBarrierError:
            pass  # a client failed to set up; gather below raises its error
        except TimeoutError:
            raise BenchError(
                f"{endpoint.name}: {concurrency} clients not set up within {SETUP_TIMEOUT_S:.0f} s"
            ) from None
        started = time.perf_counter()
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        phase.seconds = time.perf_counter() - started
        failures = [o for o in outcomes if isinstance(o, BaseException)]
        if failures:
            # The client that failed first aborted the barrier; report its error, not the others'.
            first = next((f for f in failures if not isinstance(f, asyncio.BrokenBarrierError)), failures[0])
            if isinstance(first, BenchError):
                raise first
            raise BenchError(f"{endpoint.name}: a client failed to set up: {type(first).__name__}: {first}") from first

    try:
        # Clients stop sending at PHASE_TIMEOUT_S and no request waits longer than REQUEST_TIMEOUT_S;
        # this outer limit only catches what should not happen.
        await asyncio.wait_for(timed(), timeout=SETUP_TIMEOUT_S + PHASE_TIMEOUT_S + REQUEST_TIMEOUT_S + 5)
    except TimeoutError:
        raise BenchError(f"{endpoint.name}: phase with {concurrency} clients did not end in time") from None
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return phase


# ------------------------------------------------------------------------------------------------ run


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=True,
    )


async def _measure(
    servers: dict[str, Server],
    forms: Forms,
    concurrency: list[int],
    requests_per_client: int,
    warmup_per_client: int,
    progress: Progress,
) -> list[dict[str, Any]]:
    levels = []
    for position, n in enumerate(concurrency):
        measured: dict[str, dict[str, Any]] = {}
        for endpoint in (BASELINE, SURVEY):
            more_to_come = position < len(concurrency) - 1 or endpoint is BASELINE
            server = servers[endpoint.name]
            task = progress.add_task(
                f"{endpoint.name}, {n} client(s)", total=n * (warmup_per_client + requests_per_client)
            )
            try:
                phase = await _phase(
                    endpoint,
                    server.url,
                    forms,
                    n,
                    warmup_per_client,
                    requests_per_client,
                    lambda task=task: progress.advance(task),
                )
            finally:
                progress.remove_task(task)
            measured[endpoint.name] = phase.figures()
            if (phase.errors or phase.not_sent) and more_to_come:
                # An overloaded server may take long to work off what clients gave up on; a fresh
                # process (same database) keeps the next phase independent of this one.
                measured[endpoint.name]["restarted"] = True
                await asyncio.to_thread(server.restart)
        levels.append(_level(n, measured["baseline"], measured["survey"]))
    return levels


def _ratio(a: float, b: float) -> float:
    return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan


def _level(n: int, baseline: dict[str, Any], survey: dict[str, Any]) -> dict[str, Any]:
    return {
        "concurrency": n,
        "baseline": baseline,
        "survey": survey,
        "throughput_ratio": _ratio(baseline["rps"], survey["rps"]),
        "p50_ratio": _ratio(survey["p50_ms"], baseline["p50_ms"]),
        "mean_ratio": _ratio(survey["mean_ms"], baseline["mean_ms"]),
    }


def _failed(figures: dict[str, Any]) -> int:
    return figures["errors"] + figures["not_sent"]


def check_targets(levels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per target; ``passed`` is None when its concurrency level was not run.

    Failed or unsent requests fail a target whatever the figures say.
    """
    targets = []
    for level in levels:
        failed = _failed(level["survey"]) + _failed(level["baseline"])
        targets.append(
            {
                "name": f"cost × at {level['concurrency']} client(s)",
                "measured": level["throughput_ratio"],
                "limit": f"≤ {MAX_COST_RATIO:g}",
                "passed": level["throughput_ratio"] <= MAX_COST_RATIO and not failed,
                "note": f"{failed} failed or unsent request(s)" if failed else "",
            }
        )
    at = next((lvl for lvl in levels if lvl["concurrency"] == P99_CONCURRENCY), None)
    if at is None:
        targets.append(
            {
                "name": f"survey p99 at {P99_CONCURRENCY} clients (ms)",
                "measured": math.nan,
                "limit": f"< {MAX_P99_MS:g}",
                "passed": None,
                "note": f"not measured: {P99_CONCURRENCY} is not among the concurrency levels",
            }
        )
        return targets
    failed = _failed(at["survey"])
    targets.append(
        {
            "name": f"survey p99 at {P99_CONCURRENCY} clients (ms)",
            "measured": at["survey"]["p99_ms"],
            "limit": f"< {MAX_P99_MS:g}",
            "passed": at["survey"]["p99_ms"] < MAX_P99_MS and not failed,
            "note": f"{failed} failed or unsent request(s)"
            if failed
            else f"baseline p99 in the same run: {_fmt(at['baseline']['p99_ms'])} ms",
        }
    )
    return targets


def run(
    concurrency: list[int],
    requests_per_client: int,
    progress: bool,
    *,
    warmup_per_client: int = DEFAULT_WARMUP_PER_CLIENT,
) -> dict[str, Any]:
    """Start both servers, measure every concurrency level, stop the servers; returns the figures."""
    if not concurrency or min(concurrency) < 1 or requests_per_client < 1 or warmup_per_client < 0:
        raise ValueError("concurrency levels and requests per client must be positive")
    from survey.settings import get_settings

    questionnaire_path = get_settings().questionnaires_dir / QUESTIONNAIRE_FILE
    forms = build_forms(questionnaire_path)
    workdir = Path(tempfile.mkdtemp(prefix="stimmen-bench-"))
    survey_db = f"sqlite:///{workdir / 'survey.db'}"
    baseline_db = f"sqlite:///{workdir / 'baseline.db'}"
    servers = [
        Server(
            "survey",
            "survey.app:create_app",
            {"STIMMEN_DATABASE_URL": survey_db, "STIMMEN_SECRET_KEY": secrets.token_urlsafe(32)},
            workdir / "survey.log",
        ),
        Server(
            "baseline",
            "bench.baseline_app:create_baseline_app",
            {"STIMMEN_BENCH_BASELINE_URL": baseline_db},
            workdir / "baseline.log",
        ),
    ]
    try:
        prepare_survey_database(survey_db, questionnaire_path)
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        by_name = {server.name: server for server in servers}
        with _progress(progress) as bar:
            levels = asyncio.run(_measure(by_name, forms, concurrency, requests_per_client, warmup_per_client, bar))
        for server in servers:
            if server.process is not None and server.process.poll() is not None:
                raise BenchError(f"{server.name} server exited during the benchmark:\n{server.log_tail()}")
    finally:
        for server in servers:
            with contextlib.suppress(Exception):
                server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    targets = check_targets(levels)
    return {
        "benchmark": "submissions",
        "requests_per_client": requests_per_client,
        "warmup_per_client": warmup_per_client,
        "levels": levels,
        "targets": targets,
        "passed": all(t["passed"] is not False for t in targets),
    }


# ------------------------------------------------------------------------------------------- printing


def _fmt(value: float, digits: int = 1) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.{digits}f}"


def _errors(figures: dict[str, Any]) -> str:
    return f"{figures['errors']} (+{figures['not_sent']} unsent)" if figures["not_sent"] else str(figures["errors"])


def _verdict(passed: bool | None) -> str:
    return "SKIP" if passed is None else ("PASS" if passed else "FAIL")


def figures_table(result: dict[str, Any]) -> Table:
    table = Table(title="Page submissions vs. bare insert (ms)", box=box.SIMPLE_HEAVY)
    for column in ("N", "endpoint", "req/s", "mean", "p50", "p99", "max", "failed", "cost ×"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    for level in result["levels"]:
        for name in ("baseline", "survey"):
            f = level[name]
            table.add_row(
                str(level["concurrency"]) if name == "baseline" else "",
                name,
                _fmt(f["rps"], 0),
                _fmt(f["mean_ms"]),
                _fmt(f["p50_ms"]),
                _fmt(f["p99_ms"]),
                _fmt(f["max_ms"], 0),
                str(_failed(f)),
                "" if name == "baseline" else _fmt(level["throughput_ratio"], 2),
                end_section=name == "survey",
            )
    return table


def targets_table(result: dict[str, Any]) -> Table:
    table = Table(title="Targets", box=box.SIMPLE_HEAVY)
    for column in ("target", "measured", "limit", "result", "note"):
        table.add_column(column, justify="right" if column in ("measured", "limit") else "left")
    for target in result["targets"]:
        verdict = _verdict(target["passed"])
        style = {"PASS": "green", "FAIL": "bold red", "SKIP": "yellow"}[verdict]
        table.add_row(
            target["name"], _fmt(target["measured"], 2), target["limit"], f"[{style}]{verdict}[/]", target["note"]
        )
    return table


def notes(result: dict[str, Any]) -> list[str]:
    lines = [
        "baseline = bare Litestar + SQLModel insert (one row per form field); survey = POST of questionnaire "
        "page 1 by a respondent with a session; cost × = baseline req/s ÷ survey req/s.",
    ]
    for level in result["levels"]:
        lines.append(
            f"{level['concurrency']} client(s): survey ÷ baseline latency p50 {_fmt(level['p50_ratio'], 2)}×, "
            f"mean {_fmt(level['mean_ratio'], 2)}×."
        )
        for name in ("baseline", "survey"):
            f = level[name]
            if f["errors"] or f["not_sent"]:
                samples = "; ".join(dict.fromkeys(f["error_samples"]))
                lines.append(
                    f"  {name}: {f['errors']} failed request(s), {f['not_sent']} not sent (phase stopped early)"
                    + (f", e.g. {samples}" if samples else "")
                    + ("; server restarted afterwards" if f.get("restarted") else "")
                    + "."
                )
    return lines


def print_result(result: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    console.print(figures_table(result))
    for line in notes(result):
        console.print(line, markup=False, highlight=False)
    console.print(targets_table(result))


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"Requests per client: {result['requests_per_client']} timed "
        f"(after {result['warmup_per_client']} warm-up); one uvicorn worker per server; SQLite (WAL, "
        "synchronous=FULL) in a temporary directory.",
        "",
        "| Clients | Endpoint | req/s | mean ms | p50 ms | p99 ms | max ms | errors | cost × |",
        "|--------:|----------|------:|--------:|-------:|-------:|-------:|-------:|-------:|",
    ]
    for level in result["levels"]:
        for name in ("baseline", "survey"):
            f = level[name]
            lines.append(
                f"| {level['concurrency']} | {name} "
                f"| {_fmt(f['rps'])} | {_fmt(f['mean_ms'], 2)} | {_fmt(f['p50_ms'], 2)} | {_fmt(f['p99_ms'], 2)} "
                f"| {_fmt(f['max_ms'], 0)} | {_errors(f)} "
                f"| {'' if name == 'baseline' else _fmt(level['throughput_ratio'], 2)} |"
            )
    lines += ["", *(f"- {line.strip()}" for line in notes(result)), ""]
    lines += [
        "| Target | Measured | Limit | Result | Note |",
        "|--------|---------:|------:|--------|------|",
    ]
    for target in result["targets"]:
        lines.append(
            f"| {target['name']} | {_fmt(target['measured'], 2)} | {target['limit']} "
            f"| {_verdict(target['passed'])} | {target['note']} |"
        )
    return "\n".join(lines)


def main(
    concurrency: list[int] | None = None,
    requests_per_client: int = DEFAULT_REQUESTS_PER_CLIENT,
    progress: bool = True,
) -> int:
    """Run and print the submissions benchmark; 0 when every target is met."""
    result = run(concurrency or DEFAULT_CONCURRENCY, requests_per_client, progress)
    print_result(result)
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
