"""Riverty's query and path parameters, bound the way ASP.NET Core binds them: names case-blind,
empty values null, every failure collected and answered once as a validation ProblemDetails
(docs/providers/riverty.md §9). `list_params` reads the paging, sorting and filter
parameters both list generations share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import NoReturn

from starlette.requests import Request

from ...access import query_of
from . import errors, inferred

GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\}?$")
INT = re.compile(r"^[\t-\r ]*[+-]?[0-9]{1,20}[\t-\r ]*$")  # what .NET's int.Parse reads: ASCII digits, a sign, spaces
INT32_MAX = 2**31 - 1
US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
FRACTION = re.compile(r"(\.\d{6})\d+")


class Binder:
    def __init__(self, request: Request) -> None:
        self.request = request
        self.errors: dict[str, list[str]] = {}

    @cached_property
    def params(self) -> dict[str, str]:
        """Lower-cased name → first value (ASP.NET binds names case-blind); read on first use, so
        that a page served from the cache never parses its query."""
        params: dict[str, str] = {}
        for key, value in query_of(self.request).multi_items():
            params.setdefault(key.lower(), value)
        return params

    def raw(self, name: str) -> str | None:
        """First value of a query parameter; empty counts as absent (ASP.NET binds null)."""
        value = self.params.get(name.lower())
        return value if value is not None and value.strip() else None

    def blank(self, name: str) -> bool:
        """Sent with an empty value where ASP.NET refuses one (inferred.EMPTY_REFUSED): a
        non-nullable parameter cannot bind null, `The value '' is invalid.`"""
        value = self.params.get(name.lower())
        if value is None or value.strip() or name not in inferred.EMPTY_REFUSED:
            return False
        self.fail(name, f"The value '{value}' is invalid.")
        return True

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def int32(self, name: str, default: int | None = None, minimum: int | None = None) -> int | None:
        raw = self.raw(name)
        if raw is None:
            self.blank(name)
            return default
        if not INT.match(raw) or not -(2**31) <= int(raw) <= INT32_MAX:
            self.fail(*errors.not_valid(name, raw))
            return default
        value = int(raw)
        if minimum is not None and value < minimum:
            self.fail(name, f"The field {name} must be between {minimum} and {INT32_MAX}.")
        if inferred.MAX_PAGE_SIZE and name == "pageSize" and value > inferred.MAX_PAGE_SIZE:
            self.fail(name, f"The field {name} must be between 1 and {inferred.MAX_PAGE_SIZE}.")
        return value

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        raw = self.raw(name)
        if raw is None:
            self.blank(name)
            return default
        for value in allowed:
            if value.lower() == raw.strip().lower():
                return value
        self.fail(*errors.not_valid(name, raw))
        return default

    def boolean(self, name: str) -> bool | None:
        raw = self.raw(name)
        if raw is None:
            return None
        if raw.strip().lower() in ("true", "false"):
            return raw.strip().lower() == "true"
        self.fail(*errors.not_valid(name, raw))
        return None

    def instant(self, name: str, end: bool) -> datetime | None:
        """A creation-time bound; a date-only `endDate` covers the whole day (exclusive next day)."""
        raw = self.raw(name)
        if raw is None:
            return None
        parsed = parse_date(raw.strip())
        if parsed is None:
            self.fail(*errors.not_valid(name, raw))
            return None
        value, date_only = parsed
        return value + timedelta(days=1) - timedelta(microseconds=1) if end and date_only else value

    def guid(self, name: str, raw: str) -> str | None:
        if not GUID.match(raw):
            self.fail(*errors.not_valid(name, raw))
            return None
        text = raw.strip("{}").replace("-", "").lower()
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def stop(self, name: str, message: str) -> NoReturn:
        """Fail `name` and answer at once (nothing after it can be bound)."""
        self.fail(name, message)
        raise errors.validation(self.errors, self.request)

    def check(self) -> None:
        if self.errors:
            raise errors.validation(self.errors, self.request)


def parse_date(text: str) -> tuple[datetime, bool] | None:
    """ISO date, ISO date-time (any offset, up to 7 fractional digits) or `MM/dd/yyyy[ HH:mm[:ss]]`."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC), True
        match = US_DATE.match(text)
        if match:
            mo, dd, yy, hh, mi, ss = match.groups()
            value = datetime(int(yy), int(mo), int(dd), int(hh or 0), int(mi or 0), int(ss or 0), tzinfo=UTC)
            return value, hh is None
        if "T" in text or " " in text:
            value = datetime.fromisoformat(FRACTION.sub(r"\1", text.replace("Z", "+00:00").replace("z", "+00:00")))
            return (value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)), False
    except (ValueError, OverflowError):
        return None
    return None


@dataclass(frozen=True)
class ListQuery:
    """What a list request asks for, once bound: order, filters and the page."""

    sort_by: str
    descending: bool
    status: int | None
    start: datetime | None
    end: datetime | None
    size: int
    number: int
    query: str | None

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def list_params(b: Binder, sorts: tuple[str, ...]) -> ListQuery:
    """The parameters both generations' lists take (Gen 1 with five `sortBy` values, Gen 2 eight)."""
    sort_by = b.choice("sortBy", sorts, inferred.DEFAULT_SORT_BY)
    method = b.choice("sortMethod", ("asc", "desc"), inferred.DEFAULT_SORT_METHOD)
    status = b.int32("status")
    start, end = b.instant("startDate", end=False), b.instant("endDate", end=True)
    size = b.int32("pageSize", inferred.DEFAULT_PAGE_SIZE, minimum=1)
    number = b.int32("pageNumber", inferred.DEFAULT_PAGE_NUMBER, minimum=1)
    return ListQuery(sort_by, method == "desc", status, start, end, size or 0, number or 0, b.raw("query"))
