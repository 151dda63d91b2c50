"""Timed actions on the sandbox clock: deadlines, scenario timelines, webhook retries.

Actions run in (time, insertion) order and receive the instant they were due, not the clock's
new `now`, so advancing in one step or in many small steps yields the same state.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable, Iterator
from datetime import datetime

Action = Callable[[datetime], None]
PURGE_FLOOR = 1024  # below this many entries stale ones are left to fire as no-ops


class Scheduler:
    def __init__(self) -> None:
        self._heap: list[tuple[datetime, int, Action]] = []
        self._seq = itertools.count()
        self._purge_at = PURGE_FLOOR  # heap size at which stale entries are dropped next
        self.stale = 0  # entries in the heap whose deadline was armed again since (`Deadlines`)

    def at(self, when: datetime, action: Action) -> None:
        heapq.heappush(self._heap, (when, next(self._seq), action))
        if len(self._heap) >= self._purge_at and 2 * self.stale >= len(self._heap):
            self._purge()

    def _purge(self) -> None:
        """Drop the entries of deadlines armed again since (`_Due.stale`): a record re-armed on
        every write (a reply restarts its auto-close) would otherwise leave one dead entry per
        write until its instant came. Taken when the heap doubled since the last purge and at
        least half of it is dead, so it costs O(1) a push and never walks a heap of live
        deadlines (a clock move over 200k bulk records arms 200k: each walk of them paused
        requests for tens of ms); (time, sequence) keys are unique, so the order actions run in is kept."""
        heap = self._heap  # in place: `run_for` holds it while an action it runs may push
        heap[:] = [e for e in heap if not (isinstance(e[2], _Due) and e[2].stale)]
        heapq.heapify(heap)
        self.stale = 0
        self._purge_at = max(PURGE_FLOOR, 2 * len(self._heap))

    def stream(self, items: Iterator[tuple[datetime, Action]]) -> None:
        """A time-sorted run of actions held as one heap entry, the next pushed as each fires:
        a million bulk deadlines cost one slot, not a million."""
        first = next(items, None)
        if first is not None:
            self.at(first[0], _Stream(self, first[1], items))

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

    def run_for(self, now: datetime, seconds: float) -> datetime | None:
        """Like `run_until`, but stop once `seconds` of real time have passed (after the action then
        running): a long clock move runs in slices with the event loop free between them. Returns
        the instant the last action run was due at (None: nothing was due)."""
        stop = time.perf_counter() + seconds
        last = None
        heap = self._heap
        while heap and heap[0][0] <= now:
            last, _, action = heapq.heappop(heap)
            action(last)
            if time.perf_counter() >= stop:
                break
        return last

    def __len__(self) -> int:
        return len(self._heap)


class Deadlines:
    """One live deadline per record. Arming a record again silences its earlier deadline, so a
    record's timer always follows its latest state. A bulk record's first deadline, streamed from
    its columns (`Scheduler.stream` and `bulk.deadlines` call `first`), counts as arming 0 and is
    silenced the same way, by the record's first `arm`."""

    def __init__(self, scheduler: Scheduler, expire: Callable[[str, datetime], None]) -> None:
        self.scheduler, self.expire = scheduler, expire
        # record id → how many times it was armed; negative once no entry of it waits in the
        # heap (it fired, or was armed with none), so arming again knows whether it leaves a
        # dead entry behind (`Scheduler.stale`)
        self.armed: dict[str, int] = {}

    def arm(self, record_id: str, when: datetime | None) -> None:
        """The record's deadline is now `when` (None: it has none)."""
        previous = self.armed.get(record_id, 0)
        if previous > 0:  # its entry still waits: from now on a dead one
            self.scheduler.stale += 1
        token = abs(previous) + 1
        if when is None:
            self.armed[record_id] = -token
        else:  # a slotted object, not a closure: a million may wait
            self.armed[record_id] = token
            self.scheduler.at(when, _Due(self, record_id, token))

    def first(self, record_id: str, at: datetime) -> None:
        """A streamed first deadline fell due: it fires unless the record was armed since (armed
        counts are never 0)."""
        if record_id not in self.armed:
            self.expire(record_id, at)


class _Due:
    """One armed deadline: fires unless its record was armed again since (`stale`), when it
    leaves the heap as a dead entry."""

    __slots__ = ("deadlines", "record_id", "token")

    def __init__(self, deadlines: Deadlines, record_id: str, token: int) -> None:
        self.deadlines, self.record_id, self.token = deadlines, record_id, token

    def __call__(self, at: datetime) -> None:
        deadlines, record_id, token = self.deadlines, self.record_id, self.token
        if deadlines.armed.get(record_id, 0) == token:
            deadlines.armed[record_id] = -token  # fired: no entry of it waits any more
            deadlines.expire(record_id, at)
        else:  # a dead entry left the heap
            deadlines.scheduler.stale -= 1

    @property
    def stale(self) -> bool:
        return self.deadlines.armed.get(self.record_id, 0) != self.token


class _Stream:
    """The heap entry of a `Scheduler.stream`: runs its action, then files itself again at the
    next one's instant. One slotted object for the whole run, not a closure per action."""

    __slots__ = ("scheduler", "action", "rest")

    def __init__(self, scheduler: Scheduler, action: Action, rest: Iterator[tuple[datetime, Action]]) -> None:
        self.scheduler, self.action, self.rest = scheduler, action, rest

    def __call__(self, at: datetime) -> None:
        self.action(at)
        following = next(self.rest, None)
        if following is not None:
            when, self.action = following
            self.scheduler.at(when, self)
