"""A workshop on loopback: 200 participants join on their phones and submit within one minute.

The issue's target: no errors, p99 under 500 ms over every participant request. How it is measured:

* **The server** is Stimmen's own app (``survey.app:create_app``, one uvicorn worker) on a fresh SQLite file
  with an open wave and one workshop asking ``questionnaires/workshop.yaml`` in German, English, Turkish and
  Arabic; the clients run in this process on the same machine.
* **The plan** is drawn from one seed before anything runs: each participant's arrival (uniform over the first
  three quarters of the window, 45 s of 60), language (the demo's language mix over the workshop's languages),
  answers (``survey.demo.synthetic.fill`` on the workshop questionnaire: choices, the top three, free text from
  the demo bank in the participant's language; drawn again until the server's own parser accepts every page)
  and think times (0.5–3 s before the consent and before sending each page, stretched or shrunk with the
  window, so that even the slowest participant arriving last is due to finish within it).
* **Each participant** has its own HTTP client (own cookies) and walks the real flow: the intro page with
  ``?lang=`` (its CSRF token), consent, every page read (GET) and sent (POST, ``next``, the last ``submit``),
  the thank-you page. Every answer is checked: status and redirect target. A participant whose request fails
  stops there; what it did not send counts as not sent.
* **Latency counts from when a request was due**: the arrival for the intro page, otherwise the previous answer
  plus the think time (a redirect is followed at once). Arrivals never wait for the server (open loop), so a
  slow server cannot thin out its own load, and lateness of this process's event loop counts too.
* **The projector** polls ``results.json`` every 5 s on a fixed schedule (a poll due while the last one is out is
  sent when it returns, timed from when it was due), and once more after the last participant: that answer must
  count every participant who submitted.
* **After the server stopped**, the database must hold exactly one submitted response with channel
  ``workshop`` per participant, in the planned languages, and nothing else.
* **Baseline in the same run**: the plan's POSTs (consent and every page: same bodies, arrivals and think
  times) against the bare insert of ``bench.baseline_app``. The survey ÷ baseline ratios of their p50 and p99
  make the figures comparable across machines; the target stays the absolute p99.

Exceptions in the servers' logs are listed with the figures, so a failed run says why after its temporary
directory is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
import ssl
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.progress import Progress

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
from bench.workshop_plan import (
    ARRIVAL_SHARE,
    DEFAULT_WINDOW_S,
    KINDS,
    LANGUAGES,
    POSTS,
    SEED,
    THINK_S,
    Participant,
    Request,
    plan,
    prepare,
    stored_responses,
)

DEFAULT_PARTICIPANTS = 200
MAX_PARTICIPANTS = 2_000
MIN_WINDOW_S = 2.0
MAX_WINDOW_S = 600.0
GRACE_S = 5.0
"""The last submission may end this long after the window."""
MAX_P99_MS = 500.0
POLL_S = 5.0
"""The projector's refresh interval."""
REQUEST_TIMEOUT_S = 10.0
KEEPALIVE_S = 4.0
"""Clients drop a connection idle this long, before uvicorn's 5 s keep-alive timeout can close it under a new
request (browsers retry such a request; httpx reports it as an error)."""
GIVE_UP_S = 60.0
"""No participant sends anything this long after the window: the run is bounded whatever the server does."""
LEAD_S = 0.2
"""The window opens this long after the clients are built, so the first arrivals are not late from the start."""
POLL = "results.json"
ALL = "all participant requests"
EXCEPTION_LINE = re.compile(r"^(?:\w+\.)*\w+(?:Error|Exception): .*$", re.MULTILINE)
LABELS = {
    "intro": "intro page (GET, `?lang=`)",
    "start": "consent (POST)",
    "page GET": "page (GET)",
    "page POST": "page sent (POST, next)",
    "submit": "last page sent (POST, submit)",
    "thanks": "thank-you page (GET)",
    ALL: "**all participant requests**",
    "POSTs": "POSTs: consent and pages",
    POLL: "`results.json` (projector)",
}


@dataclass(frozen=True)
class Settings:
    participants: int = DEFAULT_PARTICIPANTS
    window_s: float = DEFAULT_WINDOW_S

    def check(self) -> None:
        if not 1 <= self.participants <= MAX_PARTICIPANTS:
            raise ValueError(f"participants must be 1…{MAX_PARTICIPANTS}")
        if not MIN_WINDOW_S <= self.window_s <= MAX_WINDOW_S:
            raise ValueError(f"window must be {MIN_WINDOW_S:g}…{MAX_WINDOW_S:g} s")


# ------------------------------------------------------------------------------------------------- run


@dataclass
class Tally:
    """What one phase measured: latencies and failures per kind of request, and when the last submit ended."""

    latencies: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failed: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    last_submit_s: float = 0.0
    """When the last submission was answered, in seconds after the window opened."""
    logged: Counter[str] = field(default_factory=Counter)
    """Exceptions in the server's log."""

    def fail(self, kind: str, what: str) -> None:
        self.failed[kind] += 1
        if len(self.samples) < 5:
            self.samples.append(f"{kind}: {what}")


async def send(
    client: httpx.AsyncClient, request: Request, token: str, due: float, tally: Tally
) -> httpx.Response | None:
    """One timed request; None, counted as failed, unless it got the expected answer."""
    data = None if request.form is None else {**request.form, "_csrf_token": token}
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT_S):
            response = await client.request(request.method, request.path, data=data)
    except (httpx.HTTPError, TimeoutError) as exc:
        tally.fail(request.kind, f"{type(exc).__name__} after {time.perf_counter() - due:.1f} s")
        return None
    done = time.perf_counter()
    location = response.headers.get("location")
    if response.status_code != request.status:
        tally.fail(request.kind, f"HTTP {response.status_code} (expected {request.status})")
    elif request.location is not None and location != request.location:
        tally.fail(request.kind, f"redirected to {location} (expected {request.location})")
    else:
        tally.latencies[request.kind].append((done - due) * 1000)
        return response
    return None


async def participate(
    client: httpx.AsyncClient, participant: Participant, start: float, stop: float, token: str | None, tally: Tally
) -> None:
    """Send the requests in order, each due its think time after the previous answer; stop at the first failure.

    ``token`` None: read the CSRF token from the first answer (the intro page), as a browser does.
    """
    answered = start + participant.arrival
    for request in participant.requests:
        due = answered + request.think
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        if time.perf_counter() > stop:
            return
        response = await send(client, request, token or "", due, tally)
        if response is None:
            return
        answered = time.perf_counter()
        if request.kind == "submit":
            tally.last_submit_s = max(tally.last_submit_s, answered - start)
        if token is None:
            try:
                token = csrf_token(response.text)
            except BenchError as exc:
                tally.fail(request.kind, str(exc))
                return


async def project(client: httpx.AsyncClient, poll: Request, start: float, done: asyncio.Event, tally: Tally) -> None:
    """Poll every ``POLL_S`` on a fixed schedule until the participants are done, then once more: that answer must
    count every participant who submitted."""
    due = start
    while not done.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), max(0.0, due - time.perf_counter()))
            break
        await send(client, poll, "", due, tally)
        due += POLL_S
    final = await send(client, poll, "", time.perf_counter(), tally)
    submitted = len(tally.latencies["submit"])
    if final is not None and final.json().get("participants") != submitted:
        tally.fail(POLL, f"counts {final.json().get('participants')} participants after {submitted} submitted")


async def run_phase(
    url: str,
    participants: list[Participant],
    token: str | None,
    poll: Request | None,
    window_s: float,
    advance: Callable[[], None],
) -> Tally:
    """All participants (and the projector) against one server; clients are built before the window opens."""
    tally = Tally()
    tls = ssl.create_default_context()  # one for all: building one per client costs 25 ms, and loopback uses none
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(
                    base_url=url,
                    follow_redirects=False,
                    timeout=REQUEST_TIMEOUT_S,
                    limits=httpx.Limits(keepalive_expiry=KEEPALIVE_S),
                    verify=tls,
                )
            )
            for _ in range(len(participants) + 1)
        ]
        start = time.perf_counter() + LEAD_S
        stop = start + window_s + GIVE_UP_S

        async def one(client: httpx.AsyncClient, participant: Participant) -> None:
            await participate(client, participant, start, stop, token, tally)
            advance()

        done = asyncio.Event()
        projector = asyncio.create_task(project(clients[-1], poll, start, done, tally)) if poll else None
        await asyncio.gather(*(one(c, p) for c, p in zip(clients, participants, strict=False)))
        done.set()
        if projector is not None:
            await projector
    return tally


def phase(
    server: Server,
    participants: list[Participant],
    token: str | None,
    poll: Request | None,
    settings: Settings,
    bars: Progress,
) -> Tally:
    """Start the server, run the participants against it, stop it; keep what the server logged as errors."""
    with serving([server]):
        task = bars.add_task(f"{server.name}: participants done", total=len(participants))
        try:
            tally = asyncio.run(
                run_phase(server.url, participants, token, poll, settings.window_s, lambda: bars.advance(task))
            )
        finally:
            bars.remove_task(task)
    tally.logged = logged_errors(server.log_path)
    return tally


def logged_errors(log: Path) -> Counter[str]:
    """The exceptions in a server log, by their last line: a failed run says why without its temporary files."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return Counter(line[:160] for line in EXCEPTION_LINE.findall(text))


# --------------------------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figures:
    ok: int
    failed: int
    """Failed, or planned and never sent."""
    p50: float
    p90: float
    p99: float
    max: float


def figures(tally: Tally, kinds: tuple[str, ...], planned: Counter[str]) -> Figures:
    """Latencies of these kinds of request together; what was planned and neither answered nor failed is unsent."""
    ordered = sorted(ms for kind in kinds for ms in tally.latencies[kind])
    failed = sum(tally.failed[kind] for kind in kinds)
    unsent = sum(planned[kind] for kind in kinds) - len(ordered) - failed
    return Figures(
        len(ordered),
        failed + unsent,
        percentile(ordered, 50),
        percentile(ordered, 90),
        percentile(ordered, 99),
        ordered[-1] if ordered else float("nan"),
    )


@dataclass(frozen=True)
class Result:
    settings: Settings
    languages: Counter[str]
    """Participants per language, as planned."""
    rows: dict[str, Figures]
    """Stimmen: each kind of request, all participant requests, the POSTs, and the projector's polls."""
    baseline: Figures
    """The same POSTs against the bare insert."""
    samples: list[str]
    logged: Counter[str]
    """Exceptions in the servers' logs (the baseline's marked)."""
    last_submit_s: float
    stored: dict[tuple[str, str, str], int]
    """Responses per (channel, status, language) in the database after the run."""

    @property
    def submitted(self) -> Counter[str]:
        """Submitted workshop responses per language in the database."""
        return Counter(
            {
                lang: n
                for (channel, status, lang), n in self.stored.items()
                if (channel, status) == ("workshop", "submitted")
            }
        )

    def targets(self) -> list[tuple[str, str, str, bool, str]]:
        """(target, measured, limit, passed, note) for each of the issue's targets."""
        n, window = self.settings.participants, self.settings.window_s
        every = self.rows[ALL]
        failed = every.failed + self.rows[POLL].failed
        stored = sum(self.submitted.values())
        others = sum(self.stored.values()) - stored
        in_time = self.rows["submit"].ok == n and self.last_submit_s <= window + GRACE_S
        as_planned = self.submitted == self.languages and not others
        languages = ", ".join(f"{lang} {self.submitted[lang]}" for lang in LANGUAGES)
        return [
            (
                "p99 of all participant requests (ms)",
                fmt(every.p99),
                f"< {MAX_P99_MS:g}",
                every.p99 < MAX_P99_MS and not failed,
                f"p50 {fmt(every.p50)} ms, max {fmt(every.max, 0)} ms",
            ),
            (
                "failed or unsent requests (participants and projector)",
                str(failed),
                "0",
                not failed,
                "; ".join(self.samples),
            ),
            (
                f"last submission, s after the window opened ({self.rows['submit'].ok} of {n} submitted)",
                fmt(self.last_submit_s),
                f"≤ {window + GRACE_S:g}",
                in_time,
                f"{window:g} s window + {GRACE_S:g} s grace",
            ),
            (
                "submitted workshop responses in the database",
                str(stored),
                f"{n}",
                as_planned,
                languages + ("" if as_planned else f" (planned {dict(self.languages)}; {others} other response(s))"),
            ),
        ]

    @property
    def passed(self) -> bool:
        return all(passed for _, _, _, passed, _ in self.targets())


def summarise(
    settings: Settings,
    participants: list[Participant],
    survey: Tally,
    baseline: Tally,
    stored: dict[tuple[str, str, str], int],
) -> Result:
    planned = Counter(request.kind for participant in participants for request in participant.requests)
    planned[POLL] = len(survey.latencies[POLL]) + survey.failed[POLL]  # polls are as many as the run was long
    groups = {**{kind: (kind,) for kind in KINDS}, ALL: KINDS, "POSTs": POSTS, POLL: (POLL,)}
    return Result(
        settings=settings,
        languages=Counter(participant.language for participant in participants),
        rows={name: figures(survey, kinds, planned) for name, kinds in groups.items()},
        baseline=figures(baseline, POSTS, planned),
        samples=survey.samples + [f"baseline {sample}" for sample in baseline.samples],
        logged=survey.logged + Counter({f"baseline: {line}": n for line, n in baseline.logged.items()}),
        last_submit_s=survey.last_submit_s,
        stored=stored,
    )


def run(settings: Settings | None = None, progress: bool = True) -> Result:
    """Plan, run the participants against Stimmen and then their POSTs against the bare insert; check the database."""
    from survey.settings import get_settings

    settings = settings or Settings()
    settings.check()
    with tempfile.TemporaryDirectory(prefix="stimmen-bench-", ignore_cleanup_errors=True) as tmp:
        workdir = Path(tmp)
        survey_db = f"sqlite:///{workdir / 'survey.db'}"
        code, questionnaire = prepare(survey_db, get_settings().questionnaires_dir)
        participants = plan(questionnaire, code, settings.participants, settings.window_s)
        poll = Request(POLL, "GET", f"/w/{code}/{POLL}")
        with progress_bars(progress) as bars:
            survey = phase(survey_server(workdir, survey_db), participants, None, poll, settings, bars)
            stored = stored_responses(survey_db)
            # A placeholder of a real CSRF token's length (64 hex + 64 hex HMAC), so both get bodies of one size.
            token = secrets.token_hex(64)
            baseline_db = f"sqlite:///{workdir / 'baseline.db'}"
            posts = [participant.posts() for participant in participants]
            baseline = phase(baseline_server(workdir, baseline_db), posts, token, None, settings, bars)
    return summarise(settings, participants, survey, baseline, stored)


# -------------------------------------------------------------------------------------------- printing


def _row(label: str, f: Figures) -> str:
    return f"| {label} | {f.ok:,} | {fmt(f.p50)} | {fmt(f.p90)} | {fmt(f.p99)} | {fmt(f.max, 0)} | {f.failed} |"


def markdown(result: Result) -> str:
    """The figures and targets as Markdown, for the console and for BENCHMARKS.md."""
    s = result.settings
    low, high = (t * s.window_s / DEFAULT_WINDOW_S for t in THINK_S)
    mix = ", ".join(f"{lang} {result.languages[lang]}" for lang in LANGUAGES)
    posts = result.rows["POSTs"]
    lines = [
        f"{s.participants} participants arriving at random (seed {SEED}) over the first "
        f"{ARRIVAL_SHARE * s.window_s:g} s of a {s.window_s:g} s window, each with its own client, thinking "
        f"{low:.2g}–{high:.2g} s before each POST; the workshop questionnaire in {mix}; a projector polls "
        f"`results.json` every {POLL_S:g} s. One uvicorn worker, SQLite (WAL, synchronous=FULL) in a temporary "
        "directory; latency in ms from when a request was due.",
        "",
        "| Request | answered | p50 ms | p90 ms | p99 ms | max ms | failed |",
        "|---------|---------:|-------:|-------:|-------:|-------:|-------:|",
        *(_row(LABELS[name], f) for name, f in result.rows.items()),
        _row("baseline: the same POSTs, bare insert", result.baseline),
        "",
        f"Stimmen ÷ baseline on the same POSTs: p50 {fmt(ratio(posts.p50, result.baseline.p50), 2)}×, "
        f"p99 {fmt(ratio(posts.p99, result.baseline.p99), 2)}×.",
        *(f"- Server log: {n}× `{line}`" for line, n in result.logged.most_common(5)),
        "",
        "| Target | Measured | Limit | Result | Note |",
        "|--------|---------:|------:|--------|------|",
    ]
    for name, measured, limit, passed, note in result.targets():
        lines.append(f"| {name} | {measured} | {limit} | {verdict(passed)} | {note} |")
    return "\n".join(lines)
