"""The workshop benchmark's machinery at a tiny size: every request answered as expected, every participant stored.

Correctness only; the figures and the timing targets belong to ``python -m bench --only workshop``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bench import workshop


def test_a_tiny_workshop_run_completes_without_errors() -> None:
    # In a thread of its own: the benchmark runs its own event loop, and in a full test run Playwright's sync API
    # (the browser tests) keeps one running in the main thread, where asyncio.run() is refused.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(workshop.run, workshop.Settings(participants=5, window_s=3), progress=False).result()

    assert result.samples == []
    assert result.rows[workshop.ALL].failed == 0
    assert result.rows[workshop.ALL].ok == 5 * 11  # intro, consent, four pages read and sent, thanks
    assert result.rows[workshop.POLL].ok >= 2  # at the start and after the last participant
    assert result.baseline.failed == 0
    assert sum(result.submitted.values()) == 5
    assert result.submitted == result.languages
    assert "| `results.json` (projector) |" in workshop.markdown(result)
