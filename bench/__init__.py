"""Benchmarks for Stimmen, run with ``python -m bench`` (or ``stimmen bench``).

Performance targets are checked here as ratios against a baseline measured in the same run, never in
timed unit tests: absolute figures depend on the machine, ratios much less so.
"""
