"""``python -m bench`` (and ``stimmen bench``): run every benchmark, print the figures, check the targets.

The page-submission benchmark (``bench.submissions``) has two scenarios: the cost ratio against a bare
insert, measured closed-loop in interleaved rounds at each concurrency level (``-c``, ``--rounds``,
``-n``, ``--warmup``) and judged on the median ratio, because this machine's throughput drifts too much
for one long phase per endpoint; and latency with 32 respondents at a steady pace (``--pace-ms``,
``--pace-seconds``), because closed-loop clients without a pause saturate the server and their p99
only measures the queue. ``--pace-seconds 0`` skips the paced scenario.

The coding benchmark (``bench.coding``) codes ``--answers`` answers with the shipped codebook and the
newest trained model (``--model``, default: the newest under STIMMEN_MODELS_DIR, else one trained on the
development set first)
against bare ``spacy.blank`` tokenisation of the same answers, in ``--coding-rounds`` alternating rounds.
The report benchmark (``bench.report``) fills a database with ``--responses`` synthetic responses (not timed)
and times the combined report section on it in a fresh process, against reading the answer table.
The workshop benchmark (``bench.workshop``) lets ``--participants`` join a workshop on their own clients and
submit its questionnaire within ``--window-seconds``, while a projector polls the room's results, and replays
the same schedule's POSTs against the bare insert.
``--only coding``, ``--only submissions``, ``--only report`` or ``--only workshop`` runs one of them.

``--markdown`` prints a block ready to paste into BENCHMARKS.md, with the machine it ran on.
Exit status 0 when every target is met, 1 otherwise (or when a benchmark could not run).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from bench import coding, report, submissions, workshop


def _levels(text: str) -> list[int]:
    try:
        levels = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("expected comma-separated numbers, e.g. 1,8,32") from None
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError("concurrency levels must be positive")
    return levels


def _bounded(kind: type, low: float, high: float) -> Any:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {low:g}…{high:g}")
        return value

    return parse


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="stimmen bench", description="Benchmarks of Stimmen against a bare baseline.")
    p.add_argument(
        "-c",
        "--concurrency",
        type=_levels,
        default=",".join(map(str, submissions.DEFAULT_CONCURRENCY)),
        help="closed loop: comma-separated numbers of concurrent clients (default: %(default)s)",
    )
    p.add_argument(
        "--rounds",
        type=_bounded(int, 1, submissions.MAX_ROUNDS),
        default=submissions.DEFAULT_ROUNDS,
        help="closed loop: interleaved baseline/survey rounds per level (default: %(default)s)",
    )
    p.add_argument(
        "-n",
        "--requests",
        type=_bounded(int, 1, submissions.MAX_REQUESTS_PER_CLIENT),
        default=submissions.DEFAULT_REQUESTS_PER_CLIENT,
        help="closed loop: timed requests per client and phase (default: %(default)s)",
    )
    p.add_argument(
        "--warmup",
        type=_bounded(int, 0, submissions.MAX_WARMUP_PER_CLIENT),
        default=submissions.DEFAULT_WARMUP_PER_CLIENT,
        help="closed loop: untimed warm-up requests per client and phase (default: %(default)s)",
    )
    p.add_argument(
        "--pace-ms",
        type=_bounded(float, submissions.MIN_PACE_MS, submissions.MAX_PACE_MS),
        default=submissions.DEFAULT_PACE_MS,
        help=f"paced: each of the {submissions.PACE_CLIENTS} clients sends one request per this many ms "
        "(default: %(default)g)",
    )
    p.add_argument(
        "--pace-seconds",
        type=_bounded(float, 0, submissions.MAX_PACE_SECONDS),
        default=submissions.DEFAULT_PACE_SECONDS,
        help="paced: seconds per endpoint, 0 skips the paced scenario (default: %(default)g)",
    )
    p.add_argument("--only", choices=["submissions", "coding", "report", "workshop"], help="run one benchmark only")
    p.add_argument(
        "--responses",
        type=_bounded(int, 100, 2_000_000),
        default=report.DEFAULT_RESPONSES,
        help="report: submitted responses in the benchmark wave (default: %(default)s)",
    )
    p.add_argument(
        "--answers",
        type=_bounded(int, 1_000, 10_000_000),
        default=coding.DEFAULT_ANSWERS,
        help="coding: answers to code per round (default: %(default)s)",
    )
    p.add_argument(
        "--coding-rounds",
        type=_bounded(int, 1, 20),
        default=coding.DEFAULT_ROUNDS,
        help="coding: alternating tokenise/code rounds (default: %(default)s)",
    )
    p.add_argument("--model", type=Path, default=None, help="coding: trained classifier folder")
    p.add_argument(
        "--participants",
        type=_bounded(int, 1, workshop.MAX_PARTICIPANTS),
        default=workshop.DEFAULT_PARTICIPANTS,
        help="workshop: participants joining and submitting (default: %(default)s)",
    )
    p.add_argument(
        "--window-seconds",
        type=_bounded(float, workshop.MIN_WINDOW_S, workshop.MAX_WINDOW_S),
        default=workshop.DEFAULT_WINDOW_S,
        help="workshop: seconds in which they all arrive and submit (default: %(default)g)",
    )
    p.add_argument("--markdown", action="store_true", help="print a Markdown block for BENCHMARKS.md")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    return p


def _memory() -> str:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return "unknown"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _load() -> str:
    """1, 5 and 15 minute load averages: on a shared machine, other work shows in latencies."""
    try:
        return " / ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def machine() -> dict[str, Any]:
    import sqlite3
    from importlib.metadata import version

    def ver(name: str) -> str:
        try:
            return version(name)
        except Exception:
            return "?"

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory": _memory(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "sqlite": sqlite3.sqlite_version,
        "litestar": ver("litestar"),
        "sqlmodel": ver("sqlmodel"),
        "sqlalchemy": ver("sqlalchemy"),
        "uvicorn": ver("uvicorn"),
        "httpx": ver("httpx"),
        "spacy": ver("spacy"),
        "lingua": ver("lingua-language-detector"),
        "simplemma": ver("simplemma"),
        "load": _load(),
    }


def _verdict(passed: bool) -> str:
    return "all targets met" if passed else "targets missed"


def coding_markdown(result: coding.Result, info: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"## Coding throughput vs. bare tokenisation – {info['date']} ({_verdict(result.passed)})",
            "",
            f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory']} memory, {info['system']}; "
            f"Python {info['python']}, spaCy {info['spacy']}, lingua {info['lingua']}, "
            f"simplemma {info['simplemma']}; one process.",
            "",
            coding.markdown(result),
            "",
        ]
    )


def markdown(result: dict[str, Any], info: dict[str, Any]) -> str:
    verdict = _verdict(result["passed"])
    return "\n".join(
        [
            f"## Page submissions vs. bare insert – {info['date']} ({verdict})",
            "",
            f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory']} memory, {info['system']}; "
            f"Python {info['python']}, SQLite {info['sqlite']}, Litestar {info['litestar']}, "
            f"SQLModel {info['sqlmodel']}, SQLAlchemy {info['sqlalchemy']}, uvicorn {info['uvicorn']}, "
            f"client httpx {info['httpx']} (same machine, loopback).",
            "",
            submissions.markdown(result),
            "",
        ]
    )


def run_coding(args: argparse.Namespace, console: Console) -> bool:
    from rich.progress import Progress

    coder = coding.bench_coder(args.model)
    with Progress(console=Console(stderr=True), transient=True, disable=args.no_progress) as bar:
        task = bar.add_task("Coding benchmark rounds", total=args.coding_rounds)
        result = coding.run(coder, args.answers, args.coding_rounds, lambda: bar.advance(task))
    if args.markdown:
        print(coding_markdown(result, machine()))
    else:
        console.print(coding.markdown(result), highlight=False)
    return result.passed


def report_markdown(result: report.Result, info: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"## Report section on {result.responses:,} responses – {info['date']} ({_verdict(result.passed)})",
            "",
            f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory']} memory, {info['system']}; "
            f"Python {info['python']}, SQLite {info['sqlite']}, SQLAlchemy {info['sqlalchemy']}.",
            "",
            report.markdown(result),
            "",
        ]
    )


def run_report(args: argparse.Namespace, console: Console) -> bool:
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True, disable=args.no_progress) as bar:
        task = bar.add_task("Filling the report benchmark database", total=args.responses)
        result = report.run(args.responses, lambda done: bar.advance(task, done))
    if args.markdown:
        print(report_markdown(result, machine()))
    else:
        console.print(report.markdown(result), highlight=False)
    return result.passed


def run_submissions(args: argparse.Namespace, console: Console) -> bool:
    try:
        settings = submissions.Settings(
            concurrency=args.concurrency,
            rounds=args.rounds,
            requests_per_client=args.requests,
            warmup_per_client=args.warmup,
            pace_ms=args.pace_ms,
            pace_seconds=args.pace_seconds,
        )
        result = submissions.run(settings, not args.no_progress)
    except submissions.BenchError as exc:
        Console(stderr=True).print(f"[bold red]benchmark failed:[/] {exc}", highlight=False)
        return False
    if args.markdown:
        print(markdown(result, machine()))
    else:
        submissions.print_result(result, console)
    return result["passed"]


def workshop_markdown(result: workshop.Result, info: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"## Workshop: {result.settings.participants} participants in {result.settings.window_s:g} s – "
            f"{info['date']} ({_verdict(result.passed)})",
            "",
            f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory']} memory, {info['system']}, load "
            f"average {info['load']} before the run; Python {info['python']}, SQLite {info['sqlite']}, Litestar "
            f"{info['litestar']}, uvicorn {info['uvicorn']}, client httpx {info['httpx']} (same machine, loopback).",
            "",
            workshop.markdown(result),
            "",
        ]
    )


def run_workshop(args: argparse.Namespace, console: Console) -> bool:
    info = machine()  # the load before the run: other work on the machine shows in the latencies
    try:
        settings = workshop.Settings(participants=args.participants, window_s=args.window_seconds)
        result = workshop.run(settings, not args.no_progress)
    except workshop.BenchError as exc:
        Console(stderr=True).print(f"[bold red]benchmark failed:[/] {exc}", highlight=False)
        return False
    if args.markdown:
        print(workshop_markdown(result, info))
    else:
        console.print(workshop.markdown(result), markup=False, highlight=False)
    return result.passed


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    console = Console()
    runs = {"submissions": run_submissions, "coding": run_coding, "report": run_report, "workshop": run_workshop}
    chosen = [args.only] if args.only else list(runs)
    passed = [runs[name](args, console) for name in chosen]
    return 0 if all(passed) else 1


if __name__ == "__main__":
    sys.exit(main())
