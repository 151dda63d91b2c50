"""Request parsing shared by the claim and order routes: query integers and JSON bodies."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.datastructures import QueryParams
from starlette.requests import Request

from . import errors, inferred


def int_param(params: QueryParams, name: str, problems: list[str], maximum: int = inferred.MAX_PAGE_SIZE) -> int | None:
    """An integer query parameter in 1..maximum; a problem (class-validator wording) otherwise."""
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
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
