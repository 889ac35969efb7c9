"""The workshop benchmark's machinery at a tiny size: every request answered as expected, every participant stored.

Correctness only; the figures and the timing targets belong to ``python -m bench --only workshop``.
"""

from __future__ import annotations

from bench import workshop


def test_a_tiny_workshop_run_completes_without_errors() -> None:
    result = workshop.run(workshop.Settings(participants=5, window_s=3), progress=False)

    assert result.samples == []
    assert result.rows[workshop.ALL].failed == 0
    assert result.rows[workshop.ALL].ok == 5 * 11  # intro, consent, four pages read and sent, thanks
    assert result.rows[workshop.POLL].ok >= 2  # at the start and after the last participant
    assert result.baseline.failed == 0
    assert sum(result.submitted.values()) == 5
    assert result.submitted == result.languages
    assert "| `results.json` (projector) |" in workshop.markdown(result)
