"""``python -m bench`` (and ``stimmen bench``): run every benchmark, print the figures, check the targets.

``--markdown`` prints a block ready to paste into BENCHMARKS.md, with the machine it ran on.
Exit status 0 when every target is met, 1 otherwise (or when a benchmark could not run).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from datetime import UTC, datetime
from typing import Any

from rich.console import Console

from bench import submissions


def _levels(text: str) -> list[int]:
    try:
        levels = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("expected comma-separated numbers, e.g. 1,8,32") from None
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError("concurrency levels must be positive")
    return levels


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="stimmen bench", description="Benchmarks of Stimmen against a bare baseline.")
    p.add_argument(
        "-c",
        "--concurrency",
        type=_levels,
        default=",".join(map(str, submissions.DEFAULT_CONCURRENCY)),
        help="comma-separated numbers of concurrent clients (default: %(default)s)",
    )
    p.add_argument(
        "-n",
        "--requests",
        type=_positive,
        default=submissions.DEFAULT_REQUESTS_PER_CLIENT,
        help="timed requests per client and level (default: %(default)s)",
    )
    p.add_argument(
        "--warmup",
        type=int,
        default=submissions.DEFAULT_WARMUP_PER_CLIENT,
        help="untimed warm-up requests per client and level (default: %(default)s)",
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
    }


def markdown(result: dict[str, Any], info: dict[str, Any]) -> str:
    verdict = "all targets met" if result["passed"] else "targets missed"
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


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    console = Console()
    try:
        result = submissions.run(
            args.concurrency, args.requests, not args.no_progress, warmup_per_client=max(args.warmup, 0)
        )
    except submissions.BenchError as exc:
        Console(stderr=True).print(f"[bold red]benchmark failed:[/] {exc}", highlight=False)
        return 1
    if args.markdown:
        print(markdown(result, machine()))
    else:
        submissions.print_result(result, console)
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
