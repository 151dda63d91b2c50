"""Events are plain slotted objects (sandbox/events.py): equal by value, shown by field, each
with its own data; Whop's review draw (`generate.random_for`) is `rng_for(...).random()`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sandbox.events import Event, EventLog
from sandbox.generate import random_for, rng_for

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_events_are_equal_by_value_and_each_has_its_own_data():
    one = Event(1, "whop", "resolution_center_case.updated", "reso_1", "biz_A", T0, {"action": "responded"})
    assert one == Event(1, "whop", "resolution_center_case.updated", "reso_1", "biz_A", T0, {"action": "responded"})
    assert one != Event(2, "whop", "resolution_center_case.updated", "reso_1", "biz_A", T0, {"action": "responded"})
    assert one != (1, "whop")
    bare, other = Event(3, "p", "t", "o", "x", T0), Event(4, "p", "t", "o", "x", T0)
    bare.data["k"] = 1
    assert other.data == {}
    assert repr(bare) == ("Event(seq=3, provider='p', type='t', object_id='o', tenant='x', "
                          f"at={T0!r}, data={{'k': 1}})")
    with pytest.raises(TypeError):
        hash(one)
    with pytest.raises(AttributeError):
        one.extra = 1  # type: ignore[attr-defined]  # slotted: no stray attributes


def test_the_log_numbers_events_and_hands_each_to_every_listener():
    log, seen = EventLog(limit=2), []
    log.listeners.append(seen.append)
    made = [log.emit("whop", "t", f"reso_{n}", "biz_A", T0, n=n) for n in range(3)]
    assert [e.seq for e in made] == [1, 2, 3] and seen == made
    assert made[2].to_json() == {"seq": 3, "provider": "whop", "type": "t", "object_id": "reso_2",
                                 "tenant": "biz_A", "at": "2026-01-01T00:00:00.000Z", "data": {"n": 2}}
    assert log.query() == made[1:]


@pytest.mark.parametrize("scope", [("whop-review", "reso_Ab3", 4), (), ("ünïcode", 0, None), ("x" * 300, -1)])
def test_random_for_draws_what_rng_for_draws(scope):
    for seed in (0, 1, 7, 2**40):
        assert random_for(seed, *scope) == rng_for(seed, *scope).random()
