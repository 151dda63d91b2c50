"""The core's two rate-limit algorithms (sandbox/faults.py): sliding window and leaky bucket, with
memory bounded however many client-chosen keys arrive."""

from __future__ import annotations

import time

import pytest

from sandbox import faults
from sandbox.faults import LeakyBucket, RateLimiter


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 1000.0
        monkeypatch.setattr(faults.time, "monotonic", lambda: self.now)


def test_sliding_window_admits_limit_then_waits_for_the_oldest_hit(monkeypatch):
    clock = Clock(monkeypatch)
    limiter = RateLimiter(2, window=10.0)
    assert limiter.check("k", "op") is None
    clock.now += 4
    assert limiter.check("k", "op") is None
    assert limiter.check("k", "op") == 6  # the first hit leaves the window 6 s from now
    assert limiter.check("k", "other") is None  # operations count apart
    assert limiter.usage("k", "op")[0] == 0
    clock.now += 6
    assert limiter.check("k", "op") is None
    assert limiter.usage("k", "op")[0] == 0 and limiter.usage("new", "op")[0] == 2


def test_usage_reset_is_when_the_oldest_hit_leaves(monkeypatch):
    Clock(monkeypatch)
    limiter = RateLimiter(3, window=60.0)
    limiter.check("k", "op")
    remaining, reset = limiter.usage("k", "op")
    assert remaining == 2
    assert 59 <= reset - time.time() <= 61


def test_no_limit_counts_nothing():
    limiter = RateLimiter(None)
    assert all(limiter.check("k", "op") is None for _ in range(100))
    assert len(limiter._keys) == 0


def test_leaky_bucket_fills_then_drains(monkeypatch):
    clock = Clock(monkeypatch)
    bucket = LeakyBucket(3, leak=0.5)
    assert [bucket.check("t", "s") for _ in range(4)] == [None, None, None, 2]
    assert bucket.check("t", "other") is None
    clock.now += 2  # one request drained
    assert bucket.check("t", "s") is None
    assert bucket.check("t", "s") == 2


@pytest.mark.parametrize("make", [lambda: RateLimiter(1, max_keys=50), lambda: LeakyBucket(1, 1.0, max_keys=50)])
def test_client_chosen_keys_are_capped(make):
    limiter = make()
    assert limiter.check("first", "op") is None
    assert limiter.check("first", "op") is not None
    for i in range(10_000):
        limiter.check(f"ip:{i}", "op")
    assert len(limiter._keys) == 50
    assert ("first", "op") not in limiter._keys  # forgotten: that client starts afresh
    assert limiter.check("first", "op") is None


def test_count_is_check_then_usage(monkeypatch):
    """`count` (one look-up, for replies that carry the window) answers as `check` then `usage`
    do: while there is room, when full, after the window slides, uncounted, and with no limit."""
    clock = Clock(monkeypatch)
    monkeypatch.setattr(faults.time, "time", lambda: clock.now + 5e8)
    for limit in (3, None):
        one, two = RateLimiter(limit, window=10.0), RateLimiter(limit, window=10.0)
        for step in range(8):
            clock.now += 2.5
            if step == 5:
                token = faults.UNCOUNTED.set(True)
            expected = (one.check("k", "op"), *one.usage("k", "op"))
            assert two.count("k", "op") == expected, (limit, step)
            if step == 5:
                faults.UNCOUNTED.reset(token)
