"""The scheduler runs actions in time order at the instant they were due; `Deadlines` keeps one
live deadline per record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sandbox.scheduler import Deadlines, Scheduler

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _deadlines():
    fired: list[tuple[str, datetime]] = []
    scheduler = Scheduler()
    return scheduler, Deadlines(scheduler, lambda record_id, at: fired.append((record_id, at))), fired


def test_actions_run_in_time_order_with_their_own_instant():
    scheduler, seen = Scheduler(), []
    for hours in (3, 1, 2):
        scheduler.at(T0 + timedelta(hours=hours), seen.append)
    scheduler.run_until(T0 + timedelta(hours=2))
    assert seen == [T0 + timedelta(hours=1), T0 + timedelta(hours=2)]
    scheduler.run_until(T0 + timedelta(days=1))
    assert seen[-1] == T0 + timedelta(hours=3)


def test_rearming_silences_the_earlier_deadline():
    scheduler, deadlines, fired = _deadlines()
    deadlines.arm("a", T0 + timedelta(hours=1))
    deadlines.arm("a", T0 + timedelta(hours=5))
    deadlines.arm("b", T0 + timedelta(hours=2))
    deadlines.arm("b", None)  # b's status runs no timer any more
    scheduler.run_until(T0 + timedelta(days=1))
    assert fired == [("a", T0 + timedelta(hours=5))]


def test_a_streamed_first_deadline_holds_until_the_record_is_armed():
    scheduler, deadlines, fired = _deadlines()
    scheduler.stream(iter([(T0 + timedelta(hours=1), lambda at: deadlines.first("a", at)),
                           (T0 + timedelta(hours=2), lambda at: deadlines.first("b", at))]))
    deadlines.arm("b", T0 + timedelta(hours=3))  # b moved on before its column deadline
    scheduler.run_until(T0 + timedelta(days=1))
    assert fired == [("a", T0 + timedelta(hours=1)), ("b", T0 + timedelta(hours=3))]


def test_rearming_again_and_again_keeps_the_heap_bounded_and_the_order():
    """A record re-armed on every write (a Pandabase reply restarts its auto-close) leaves a dead
    entry each time; they are dropped as the heap grows, and what stays runs in the same order."""
    scheduler, deadlines, fired = _deadlines()
    seen: list[str] = []
    due = T0 + timedelta(hours=1)
    scheduler.at(due, lambda at: seen.append("before"))
    for i in range(10_000):
        deadlines.arm("a", due)
        deadlines.arm(f"r{i % 3}", due + timedelta(minutes=i % 3))
    scheduler.at(due, lambda at: seen.append("after"))
    assert len(scheduler) < 2100  # 4 live entries and what is left since the last purge, not 20,002
    deadlines.expire = lambda record_id, at: seen.append(record_id)
    scheduler.run_until(T0 + timedelta(days=1))
    assert seen == ["before", "a", "r0", "after", "r1", "r2"] and fired == []


def test_a_heap_of_live_deadlines_is_never_walked_and_dead_ones_still_go(monkeypatch):
    """A clock move over bulk records arms one live deadline each: purging walked the whole heap
    at every doubling, finding nothing dead (a pause of tens of ms at 200k); now a purge waits
    until half the heap is dead, so memory stays bounded by twice the live entries."""
    scheduler, deadlines, fired = _deadlines()
    walks: list[int] = []
    purge = Scheduler._purge
    monkeypatch.setattr(Scheduler, "_purge", lambda self: (walks.append(len(self)), purge(self)))
    for i in range(5000):
        deadlines.arm(f"r{i}", T0 + timedelta(minutes=i))
    assert walks == [] and len(scheduler) == 5000
    for i in range(5000):  # every one armed again: the first 5,000 entries are dead
        deadlines.arm(f"r{i}", T0 + timedelta(minutes=i, seconds=30))
    assert walks and len(scheduler) <= 2 * 5000 and scheduler.stale < 5000
    scheduler.run_until(T0 + timedelta(days=10))
    assert fired == [(f"r{i}", T0 + timedelta(minutes=i, seconds=30)) for i in range(5000)]
    assert scheduler.stale == 0 and len(scheduler) == 0
    deadlines.arm("x", T0)
    deadlines.arm("x", T0 + timedelta(hours=1))
    deadlines.arm("y", T0)
    deadlines.arm("y", None)
    assert scheduler.stale == 2
    scheduler.run_until(T0)  # both dead entries leave the heap as they come due
    assert scheduler.stale == 0 and len(scheduler) == 1


def test_a_stream_and_single_actions_at_equal_instants_run_in_insertion_order():
    """A stream's next action is filed when the one before fires, so at an equal instant it runs
    after what was filed before that: the order one heap entry per action would give."""
    scheduler, seen = Scheduler(), []
    scheduler.at(T0 + timedelta(hours=2), lambda at: seen.append("single 2h, filed first"))
    scheduler.stream(iter([(T0 + timedelta(hours=1), lambda at: seen.append("stream 1h")),
                           (T0 + timedelta(hours=2), lambda at: seen.append("stream 2h")),
                           (T0 + timedelta(hours=2), lambda at: seen.append("stream 2h again"))]))
    scheduler.at(T0 + timedelta(hours=2), lambda at: seen.append("single 2h, filed second"))
    assert len(scheduler) == 3  # the stream is one entry
    scheduler.run_until(T0 + timedelta(hours=1))
    scheduler.at(T0 + timedelta(hours=2), lambda at: seen.append("single 2h, filed after 1h ran"))
    scheduler.run_until(T0 + timedelta(days=1))
    assert seen == ["stream 1h", "single 2h, filed first", "single 2h, filed second", "stream 2h",
                    "single 2h, filed after 1h ran", "stream 2h again"]
    assert len(scheduler) == 0
