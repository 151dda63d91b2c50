"""Time parsing shared by scenarios and the control plane: absolute instants, offsets, durations.

Scenario times are either absolute ISO 8601 instants or offsets from the clock start (`-3d`,
`+36h`, `+1d12h30m`). Everything inside the sandbox is an aware UTC `datetime`. Every parse error,
overflow included, is a ValueError, so callers answer 400 and never 500.

The sandbox clock and scenario times stay within `EARLIEST`..`LATEST` and durations within
`MAX_DURATION`, so that adding any provider window to any sandbox instant stays a valid `datetime`
(year 9999 is Python's last).
"""

from __future__ import annotations

import re
from datetime import UTC as UTC  # re-exported: the sandbox's one time zone
from datetime import datetime, timedelta

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
MAX_DURATION = timedelta(days=36_600)  # about a century

_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"^(?:(\d{1,9})w)?(?:(\d{1,9})d)?(?:(\d{1,9})h)?(?:(\d{1,9})m)?(?:(\d{1,12})s)?$")


def parse_duration(text: str) -> timedelta:
    """`3d12h`, `90m`, `1w2d`, `45s` → timedelta; raises ValueError on anything else."""
    match = _DURATION.match(text.strip())
    if not text.strip() or match is None:
        raise ValueError(f"not a duration like '3d12h' or '90m': {text!r}")
    seconds = sum(int(n) * s for n, s in zip(match.groups(), _UNIT_SECONDS.values(), strict=True) if n)
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"duration {text!r} is longer than {MAX_DURATION.days} days")
    return timedelta(seconds=seconds)


def parse_instant(text: str) -> datetime:
    """ISO 8601 (with `Z` or an offset; naive is read as UTC) → aware UTC datetime."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    except OverflowError:  # `9999-12-31T23:59:59-23:59` is past datetime.max once in UTC
        raise ValueError(f"instant out of range: {text!r}") from None


def check_range(value: datetime, what: str = "instant") -> datetime:
    """`value` if the sandbox can hold it (EARLIEST..LATEST); else a ValueError naming `what`."""
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"{what} {value.isoformat()} is outside {EARLIEST.year}..{LATEST.year}")
    return value


def resolve_time(value: str | datetime, start: datetime) -> datetime:
    """A scenario time: `+36h`/`-3d` relative to `start`, or an absolute instant."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = value.strip()
    if text[:1] in "+-":
        delta = parse_duration(text[1:])
        return start + delta if text[0] == "+" else start - delta
    if text == "now":
        return start
    return parse_instant(text)


def check_time(value: str) -> str:
    """Validator for scenario fields: keep the text, fail early if it can never resolve (an
    absolute instant must also lie within EARLIEST..LATEST; offsets are bounded by MAX_DURATION)."""
    resolved = resolve_time(value, datetime(2000, 1, 1, tzinfo=UTC))
    if value.strip()[:1] not in "+-" and value.strip() != "now":
        check_range(resolved, "time")
    return value


def utc_iso(value: datetime, timespec: str) -> str | None:
    """`value` in UTC as `isoformat` writes it (`2023-12-01T05:00:00.401+00:00` for
    "milliseconds"), or None for a year before 1000, where `strftime("%Y")` writes fewer than four
    digits and `isoformat` four. One C call instead of `strftime` and an f-string: every record a
    write answers carries several instants (bench/inproc.py --writes)."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(timespec=timespec) if value.year >= 1000 else None


def iso_millis(value: datetime) -> str:
    """`2023-12-01T05:00:00.401Z`: the millisecond UTC form most providers emit."""
    text = utc_iso(value, "milliseconds")
    if text is not None:
        return text[:23] + "Z"
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def iso_seconds(value: datetime) -> str:
    """`2023-12-01T05:00:00Z`."""
    text = utc_iso(value, "seconds")
    if text is not None:
        return text[:19] + "Z"
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
