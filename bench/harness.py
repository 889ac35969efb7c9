"""What the server benchmarks share: Stimmen and the bare baseline as uvicorn subprocesses, always stopped;
the survey's CSRF token; percentiles, ratios and how figures are printed.

The page-submission and the workshop benchmark both measure Stimmen against ``bench.baseline_app`` on the same
SQLite set-up, so they start the servers, read latencies and print them the same way.
"""

from __future__ import annotations

import contextlib
import math
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bench.server import Server, ServerError

CSRF_INPUT = re.compile(r'name="_csrf_token"\s+value="([^"]+)"|value="([^"]+)"\s+name="_csrf_token"')


class BenchError(ServerError):
    """The benchmark could not be run (a server did not start, a client could not set up, a time limit)."""


def survey_server(workdir: Path, database_url: str) -> Server:
    """Stimmen's own app factory on ``database_url``, with a fresh secret key; its log in ``workdir``."""
    return Server(
        "survey",
        "survey.app:create_app",
        {"STIMMEN_DATABASE_URL": database_url, "STIMMEN_SECRET_KEY": secrets.token_urlsafe(32)},
        workdir / "survey.log",
    )


def baseline_server(workdir: Path, database_url: str) -> Server:
    """The bare insert of ``bench.baseline_app`` on ``database_url``; its log in ``workdir``."""
    return Server(
        "baseline",
        "bench.baseline_app:create_baseline_app",
        {"STIMMEN_BENCH_BASELINE_URL": database_url},
        workdir / "baseline.log",
    )


@contextlib.contextmanager
def serving(servers: list[Server]) -> Iterator[None]:
    """Start the servers and wait until they answer; afterwards a server that died fails the run.

    The servers are stopped whatever happens, so no benchmark leaves a process behind.
    """
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        yield
        for server in servers:
            if server.process is not None and server.process.poll() is not None:
                raise BenchError(f"{server.name} server exited during the benchmark:\n{server.log_tail()}")
    finally:
        for server in servers:
            with contextlib.suppress(Exception):
                server.stop()


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    if match is None:
        raise BenchError("no _csrf_token input on the survey intro page")
    return match.group(1) or match.group(2)


def percentile(ordered: list[float], p: float) -> float:
    """Linear-interpolated percentile of an already sorted list (``p`` in 0…100)."""
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(a: float, b: float) -> float:
    return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan


def fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.{digits}f}"


def verdict(passed: bool | None) -> str:
    return "SKIP" if passed is None else ("PASS" if passed else "FAIL")


def progress_bars(enabled: bool) -> Progress:
    """Bars on stderr that vanish when done, so the figures on stdout stay clean for ``--markdown``."""
    return Progress(
        TextColumn("{task.description:<34}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=True,
    )
