"""Dated API versions: `Api-Version-Date` picks the response shape per request.

Minimal stand-in with the interface the versioning branch provides (that file replaces this one
at merge): header, else the key's default, else `2025-01-01`; a malformed or unknown date is a 400
(https://docs.whop.com/developer/api/versioning, docs/providers/whop-disputes.md "Versions").
"""

from __future__ import annotations

import re

from starlette.requests import Request

from . import errors, inferred

KNOWN_VERSIONS: tuple[str, ...] = (
    "2025-01-01", "2026-06-08", "2026-06-09", "2026-06-20", "2026-07-01", "2026-07-08", "2026-07-08-1",
    "2026-07-18", "2026-07-20", "2026-07-22", "2026-07-23", "2026-07-25", "2026-07-26", "2026-07-27",
    "2026-07-29", "2026-07-29-1", "2026-07-31", "2026-08-03", "2026-08-05", "2026-08-05-1", "2026-08-10",
    "2026-08-12", "2026-08-13", "2026-08-14", "2026-08-21", "2026-08-21-1", "2026-08-25", "2026-08-25-1",
    "2026-08-25-2", "2026-08-31", "2026-09-02", "2026-09-02-1", "2026-09-02-2", "2026-09-04", "2026-09-06",
    "2026-09-09", "2026-09-09-1", "2026-09-11", "2026-09-11-1", "2026-09-13", "2026-09-15", "2026-09-22",
    "2026-09-22-1", "2026-09-22-2", "2026-09-22-3", "2026-09-22-4", "2026-09-23", "2026-09-24",
    "2026-09-24-1", "2026-09-25", "2026-09-28", "2026-09-29", "2026-10-05", "2026-10-05-1", "2026-10-06",
    "2026-10-06-1", "2026-10-06-2", "2026-10-07", "2026-10-07-1", "2026-10-07-2", "2026-10-08",
    "2026-10-09", "2026-10-09-1", "2026-10-09-2", "2026-10-13", "2026-10-13-1", "2026-10-14",
    "2026-10-14-1", "2026-10-15", "2026-10-15-1", "2026-11-04-1",
)
_KNOWN = frozenset(KNOWN_VERSIONS)
_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}(-\d+)?$")
DEFAULT_VERSION = "2025-01-01"


def resolve(request: Request, key_default: str | None = None) -> str:
    """The request's version: header, else the key's default, else the documented `2025-01-01`."""
    raw = request.headers.get("api-version-date")
    value = raw.strip() if raw is not None else (key_default or DEFAULT_VERSION)
    if not _PATTERN.match(value) or value not in _KNOWN:
        error = errors.bad_request(
            "Api-Version-Date",
            f"Unsupported Api-Version-Date '{value[:40]}'. Supported versions: {', '.join(KNOWN_VERSIONS)}",
        )
        error.reason = f"unknown Api-Version-Date {value[:40]!r}"
        raise error
    return value


def is_current(version: str) -> bool:
    """True from the cut-over date on (`YYYY-MM-DD[-N]` compares in date order as text)."""
    return version >= inferred.CURRENT_SHAPE_FROM
