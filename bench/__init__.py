"""Benchmarks for Stimmen, run with ``python -m bench`` (or ``stimmen bench``).

Performance targets are checked here, never in timed unit tests. Costs are ratios against a bare baseline
measured in the same run – interleaved with it in several short rounds and judged on the median, since
absolute figures depend on the machine and a small shared machine drifts from minute to minute. Latency
is judged at a stated, paced load below saturation, where it says how a page feels rather than how long
the queue is.
"""
