"""Report sections for the API are built once per key and rebuilt when they are a minute old."""

from __future__ import annotations

from analysis.report_model import Section
from survey.section_cache import SectionCache


def section(title: str) -> Section:
    return Section("w", title, "de", "", 0, 5, [], [], None, None, [], [], [])


def test_sections_are_kept_per_key_until_they_expire() -> None:
    now = [100.0]
    cache = SectionCache(ttl=60, clock=lambda: now[0])
    built = []

    def build(title: str):
        return lambda: built.append(title) or section(title)

    first = cache.get((1, "de", False), build("a"))
    assert cache.get((1, "de", False), build("b")) is first
    assert cache.get((1, "en", False), build("c")).title == "c"
    now[0] += 61
    assert cache.get((1, "de", False), build("d")).title == "d"
    assert built == ["a", "c", "d"]
