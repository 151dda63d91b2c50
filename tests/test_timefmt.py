"""The instant formats written with `isoformat` (sandbox/timefmt.py `utc_iso`) give the bytes the
`strftime` forms gave, for every instant a sandbox can hold and outside it (years before 1000
keep the `strftime` form), in UTC or any other offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from sandbox.providers.riverty.serialize import ticks, ticks_offset
from sandbox.timefmt import iso_millis, iso_seconds


def _millis(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _seconds(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ticks(value: datetime, tail: str) -> str:
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond:06d}0{tail}"


ZONES = st.sampled_from([UTC, timezone(timedelta(0)), timezone(timedelta(hours=5, minutes=30)),
                         timezone(-timedelta(hours=11))])
INSTANTS = st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 30), timezones=ZONES)


@given(INSTANTS)
def test_formats_match_strftime(value: datetime) -> None:
    assert iso_millis(value) == _millis(value)
    assert iso_seconds(value) == _seconds(value)
    assert ticks(value) == _ticks(value, "Z")
    assert ticks_offset(value) == _ticks(value, "+00:00")


def test_edges() -> None:
    for value in (
        datetime(1970, 1, 1, tzinfo=UTC),
        datetime(999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),  # strftime's three-digit year
        datetime(1000, 1, 1, 0, 0, 0, 999, tzinfo=UTC),
        datetime(2026, 12, 2, 9, 1, 2, 345678, tzinfo=UTC),
        datetime(2026, 12, 2, 9, 1, 2, tzinfo=UTC),  # no fraction: isoformat still writes .000
        datetime(2026, 12, 2, 4, 1, 2, 1, tzinfo=timezone(-timedelta(hours=5))),
    ):
        assert iso_millis(value) == _millis(value)
        assert iso_seconds(value) == _seconds(value)
        assert ticks(value) == _ticks(value, "Z")
        assert ticks_offset(value) == _ticks(value, "+00:00")
    assert iso_millis(datetime(2026, 12, 2, 9, 1, 2, 345678, tzinfo=UTC)) == "2026-12-02T09:01:02.345Z"
