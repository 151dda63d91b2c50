"""Time parsing shared by scenarios and the control plane: absolute instants, offsets, durations.

Scenario times are either absolute ISO 8601 instants or offsets from the clock start (`-3d`,
`+36h`, `+1d12h30m`). Everything inside the sandbox is an aware UTC `datetime`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

UTC = UTC

_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def parse_duration(text: str) -> timedelta:
    """`3d12h`, `90m`, `1w2d`, `45s` → timedelta; raises ValueError on anything else."""
    match = _DURATION.match(text.strip())
    if not text.strip() or match is None:
        raise ValueError(f"not a duration like '3d12h' or '90m': {text!r}")
    seconds = sum(int(n) * s for n, s in zip(match.groups(), _UNIT_SECONDS.values(), strict=True) if n)
    return timedelta(seconds=seconds)


def parse_instant(text: str) -> datetime:
    """ISO 8601 (with `Z` or an offset; naive is read as UTC) → aware UTC datetime."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


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
    """Validator for scenario fields: keep the text, fail early if it can never resolve."""
    try:
        resolve_time(value, datetime(2000, 1, 1, tzinfo=UTC))
    except OverflowError:  # a date beyond datetime's range is a bad value, not a crash
        raise ValueError(f"time out of range: {value[:40]!r}") from None
    return value


def iso_millis(value: datetime) -> str:
    """`2023-12-01T05:00:00.401Z`: the millisecond UTC form most providers emit."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def iso_seconds(value: datetime) -> str:
    """`2023-12-01T05:00:00Z`."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
