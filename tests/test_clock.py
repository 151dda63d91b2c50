"""The sandbox clock: frozen by default, or running (`--clock realtime`, `--clock speed=N`);
never backwards; deadlines due on a running clock take effect on the next read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sandbox import clock as clock_module
from sandbox.clock import Clock, ClockError, parse_clock_mode
from sandbox.providers import load_providers
from sandbox.runtime import Sandbox

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def fake_monotonic(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(clock_module.time, "monotonic", lambda: now[0])
    return now


def test_modes_parse():
    assert parse_clock_mode("frozen") == 0.0
    assert parse_clock_mode("realtime") == 1.0
    assert parse_clock_mode("speed=60") == 60.0
    for bad in ("speed=0", "speed=-2", "fast", "speed=x"):
        with pytest.raises(ValueError):
            parse_clock_mode(bad)


def test_frozen_clock_only_moves_when_told(fake_monotonic):
    clock = Clock(START)
    fake_monotonic[0] += 3600
    assert clock.now() == START
    assert clock.advance(timedelta(days=1)) == START + timedelta(days=1)
    with pytest.raises(ClockError):
        clock.set(START)
    with pytest.raises(ClockError):
        clock.advance(timedelta(seconds=-1))


def test_speed_clock_runs_and_can_still_jump(fake_monotonic):
    clock = Clock(START, speed=60)
    fake_monotonic[0] += 10
    assert clock.now() == START + timedelta(minutes=10)
    clock.advance(timedelta(hours=1))
    fake_monotonic[0] += 1
    assert clock.now() == START + timedelta(minutes=71)


def test_deadlines_fire_on_read_when_the_clock_runs(fake_monotonic):
    text = """
version: 1
clock: {start: "2026-01-01T00:00:00Z"}
providers:
  whop:
    companies:
      - id: biz_A
        title: A
        api_keys: [{key: k}]
        cases: [{id: reso_Soon, status: merchant_response_needed, created_at: "-6d23h"}]
"""
    sandbox = Sandbox(load_providers(["whop"]), clock_speed=3600)  # an hour a second
    sandbox.load_text(text)
    assert sandbox.state("whop").cases.get("reso_Soon").status == "merchant_response_needed"
    fake_monotonic[0] += 1.5
    case = sandbox.state("whop").cases.get("reso_Soon")
    assert case.status == "under_platform_review"
    assert case.updated_at == START + timedelta(hours=1)  # the deadline instant, not the read time


def test_demo_prints_each_change_as_the_clock_moves():
    """`dispute-sandbox demo` moves the clock by itself and prints what each move changed."""
    import subprocess
    import sys
    import time

    from sandbox.testing import free_port

    command = [sys.executable, "-m", "sandbox", "demo", "expiring-disputes", "--port", str(free_port()),
               "--auto", "1h", "--every", "0.05", "--until", "1h"]
    demo = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any("reso_Expires1h" in line for line in seen):
            line = demo.stdout.readline()
            if not line:
                break
            seen.append(line)
    finally:
        demo.terminate()
        demo.wait(timeout=10)
    change = next(line for line in seen if "reso_Expires1h" in line)
    assert "2026-11-26T10:00:00+00:00" in change
    assert "merchant_response_needed -> under_platform_review" in change
    assert any(line.startswith("-- clock +1h") for line in seen)
