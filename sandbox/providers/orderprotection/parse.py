"""Request parsing shared by the claim and order routes: query integers and JSON bodies."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.datastructures import QueryParams
from starlette.requests import Request

from ...access import Query
from ...params import ascii_int
from . import errors, inferred

MAX_DIGITS = 32  # longer is no page size; Python's int() raises past 4300 digits


def int_param(params: QueryParams | Query, name: str, problems: list[str], maximum: int = inferred.MAX_PAGE_SIZE) -> int | None:
    """An integer query parameter in 1..maximum, in ASCII digits; a problem (class-validator
    wording) otherwise, for an empty value too."""
    raw = params.get(name)
    if raw is None:
        return None
    # `first=` is a value, not an absence (inferred.py: empty values); past MAX_DIGITS int() refuses
    value = ascii_int(raw, signed=True) if len(raw) <= MAX_DIGITS else None
    if value is None:
        problems.append(f"{name} must be an integer number")
        return None
    if value < 1:
        problems.append(f"{name} must not be less than 1")
    elif value > maximum:
        problems.append(f"{name} must not be greater than {maximum}")
    return value


async def json_body(request: Request) -> dict[str, Any]:
    """The body as an object. Non-JSON content types leave it empty (as an Express JSON parser
    does), so validation then names the missing fields; malformed JSON is a 400 of its own."""
    raw = await request.body()
    if "json" not in request.headers.get("content-type", "").lower() or not raw.strip():
        return {}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise errors.bad_json(f"Unexpected token in JSON at position {exc.pos}") from None
    return data if isinstance(data, dict) else {}
