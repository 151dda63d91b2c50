"""Whop's dated API versions: `Api-Version-Date` picks the shape of every answer.

No header means the key's default, else the original `2025-01-01` behaviour; an unknown or malformed
date is a 400 naming the supported versions (https://docs.whop.com/developer/api/versioning,
docs/providers/whop.md "Versions"). Versions before `inferred.CURRENT_SHAPE_FROM` read the legacy
shape (whop-sdk 0.0.41, @whop/sdk 0.0.42), the rest the current one (whop-sdk 2.x).
"""

from __future__ import annotations

import re

from starlette.requests import Request

from ...access import header
from ...params import is_ascii_digits
from . import errors, inferred

DEFAULT = "2025-01-01"
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
    "2026-10-14-1", "2026-10-15", "2026-10-15-1",
) + inferred.EXTRA_VERSIONS  # whop-sdk 2.6.0's ApiKeyApiVersionDate enum
_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(-[0-9]+)?")
# the known versions of the documented shape: one set look-up per request instead of a regex match
_SERVED = frozenset(version for version in KNOWN_VERSIONS if _SHAPE.fullmatch(version))


def problem(version: str) -> str | None:
    """Why `version` is not a version the sandbox serves, or None."""
    if version in _SERVED:
        return None
    return f"Unsupported Api-Version-Date '{version[:64]}'. Supported versions: {', '.join(KNOWN_VERSIONS)}"


def resolve(request: Request, key_default: str | None = None) -> str:
    """The request's version: the header, else the key's default, else 2025-01-01."""
    given = header(request, b"api-version-date")
    version = given.strip() if given is not None else key_default or DEFAULT
    message = problem(version)
    if message is not None:
        raise errors.bad_request("Api-Version-Date", message, reason=f"unknown Api-Version-Date {version[:64]!r}")
    return version


def _ordinal(version: str) -> tuple[str, int]:
    suffix = version[11:]
    return version[:10], int(suffix) if is_ascii_digits(suffix) else 0


def is_current(version: str) -> bool:
    """True from the cut-over on: the current shape, params and routes."""
    return _ordinal(version) >= _ordinal(inferred.CURRENT_SHAPE_FROM)
