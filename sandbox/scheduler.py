"""Timed actions on the sandbox clock: deadlines, scenario timelines, webhook retries.

Actions run in (time, insertion) order and receive the instant they were due, not the clock's
new `now`, so advancing in one step or in many small steps yields the same state.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from datetime import datetime

Action = Callable[[datetime], None]


class Scheduler:
    def __init__(self) -> None:
        self._heap: list[tuple[datetime, int, Action]] = []
        self._seq = itertools.count()

    def at(self, when: datetime, action: Action) -> None:
        heapq.heappush(self._heap, (when, next(self._seq), action))

    def next_due(self) -> datetime | None:
        return self._heap[0][0] if self._heap else None

    def run_until(self, now: datetime) -> int:
        """Run every action due at or before `now` (including ones scheduled while running)."""
        ran = 0
        while self._heap and self._heap[0][0] <= now:
            when, _, action = heapq.heappop(self._heap)
            action(when)
            ran += 1
        return ran

    def __len__(self) -> int:
        return len(self._heap)
