"""Report sections kept for a short while, so that a script calling several API routes builds each once.

Per process and in memory: with several workers each keeps its own, which only costs a rebuild. Sections are
read-only once built, so handing the same object to concurrent requests is safe.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable

from analysis.report_model import Section

TTL_SECONDS = 60.0


class SectionCache:
    def __init__(self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[Hashable, tuple[float, Section]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], Section]) -> Section:
        """The cached section for ``key``, else a fresh one from ``build`` (built outside the lock)."""
        now = self._clock()
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        section = build()
        with self._lock:
            self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
            self._entries[key] = (now + self._ttl, section)
        return section
