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
