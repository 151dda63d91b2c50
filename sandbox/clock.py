"""The one sandbox clock. Frozen by default; moved only by the control plane (or by real time
when started with `--clock realtime` / `--clock speed=N` for demos). It never goes backwards."""

from __future__ import annotations

import time
from datetime import datetime, timedelta


class ClockError(ValueError):
    """Raised when a move would take the clock backwards."""


class Clock:
    def __init__(self, start: datetime, speed: float = 0.0) -> None:
        """`speed` is sandbox seconds per real second: 0 frozen, 1 realtime, 60 a minute a second."""
        self.start = start
        self.speed = speed
        self._base = start
        self._mono_base = time.monotonic()

    def now(self) -> datetime:
        if not self.speed:
            return self._base
        elapsed = time.monotonic() - self._mono_base
        return self._base + timedelta(seconds=elapsed * self.speed)

    def set(self, when: datetime) -> datetime:
        self.target(to=when)
        self._base, self._mono_base = when, time.monotonic()
        return when

    def advance(self, delta: timedelta) -> datetime:
        return self.set(self.target(by=delta))

    def target(self, *, by: timedelta | None = None, to: datetime | None = None) -> datetime:
        """The instant a move `by` a duration or `to` an instant ends at; ClockError if backwards
        (OverflowError past year 9999)."""
        if to is None:
            if by is None or by < timedelta(0):
                raise ClockError("the clock never goes backwards: advance by a positive amount")
            return self.now() + by
        current = self.now()
        if to < current:
            raise ClockError(f"the clock never goes backwards: now is {current.isoformat()}")
        return to


def parse_clock_mode(text: str) -> float:
    """CLI `--clock`: `frozen` (default), `realtime`, or `speed=N` → speed factor."""
    text = text.strip().lower()
    if text in ("", "frozen", "fixed"):
        return 0.0
    if text == "realtime":
        return 1.0
    if text.startswith("speed="):
        factor = float(text.split("=", 1)[1])
        if factor <= 0:
            raise ValueError("speed must be positive")
        return factor
    raise ValueError(f"--clock must be frozen, realtime or speed=N, not {text!r}")
