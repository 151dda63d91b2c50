"""What every Store API operation shares: request parsing in Fastify/ajv's words and with its type
coercion (the servers are Fastify: docs/providers/pandabase.md "Errors"), e.g. `querystring/limit
must be <= 100` or 415 for a body that is not JSON, each check raising the PandabaseError the real
server answers with; the store binding; and the `{ok, data}` envelope with its pagination object.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ...access import header, query_of, request_body
from ...jsonresp import spliced
from . import errors, inferred
from .models import TokenRecord
from .state import PandabaseState

ENUM = "must be equal to one of the allowed values"


def js_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def as_string(where: str, value: Any) -> str:
    """ajv coerces scalars to strings (coerceTypes); arrays and objects fail."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return js_number(value)
    if value is None:
        return ""
    raise errors.invalid(where, "must be string")


# JavaScript's `+text` (what ajv's coerceTypes applies to a string) over ASCII only: Python's
# float() also takes `1_0`, `٣` and `nan`, which JavaScript's Number() makes NaN.
_JS_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_JS_RADIX = re.compile(r"0(?:[xX](?P<x>[0-9a-fA-F]+)|[oO](?P<o>[0-7]+)|[bB](?P<b>[01]+))")
_JS_SPACE = " \t\n\r\v\f"


def js_to_number(text: str) -> float:
    """`Number(text)` for the ASCII forms JavaScript reads (`1e1`, ` 7 `, `0x1f`); NaN otherwise."""
    text = text.strip(_JS_SPACE)
    if _JS_DECIMAL.fullmatch(text):
        return float(text)
    radix = _JS_RADIX.fullmatch(text)
    if radix:
        digits, base = next((v, {"x": 16, "o": 8, "b": 2}[k]) for k, v in radix.groupdict().items() if v)
        return float(int(digits, base))
    return math.nan


def as_integer(where: str, value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip():
        number = js_to_number(value)
        if math.isfinite(number) and number.is_integer():
            return int(number)
    if value is None:
        return 0
    raise errors.invalid(where, "must be integer")


def length(where: str, value: str, low: int, high: int) -> str:
    if len(value) < low:
        raise errors.invalid(where, f"must NOT have fewer than {low} characters")
    if len(value) > high:
        raise errors.invalid(where, f"must NOT have more than {high} characters")
    return value


def in_range(where: str, value: int, low: int | None, high: int | None) -> int:
    if low is not None and value < low:
        raise errors.invalid(where, f"must be >= {low}")
    if high is not None and value > high:
        raise errors.invalid(where, f"must be <= {high}")
    return value


def path_id(request: Request, name: str) -> str:
    value: str = request.path_params[name]
    if inferred.ID_MIN <= len(value) <= inferred.ID_MAX:  # the usual case: no error text made
        return value
    return length(f"params/{name}", value, inferred.ID_MIN, inferred.ID_MAX)


def query_value(request: Request, name: str) -> str | None:
    values = query_of(request).getlist(name)
    if not values:
        return None
    if len(values) > 1:  # an array for a scalar: ajv's coerceTypes "array" does not unwrap two items
        raise errors.invalid(f"querystring/{name}", "must be string" if name not in ("page", "limit") else "must be integer")
    return values[0]


def query_int(request: Request, name: str, default: int, high: int | None) -> int:
    raw = query_value(request, name)
    if raw is None:
        return default
    where = f"querystring/{name}"
    if not raw.strip():
        raise errors.invalid(where, "must be integer")
    return in_range(where, as_integer(where, raw), 1, high if high is not None else inferred.MAX_SAFE_PAGE)


def query_enum(request: Request, name: str, allowed: tuple[str, ...]) -> str | None:
    raw = query_value(request, name)
    if raw is not None and raw not in allowed:
        raise errors.invalid(f"querystring/{name}", ENUM)
    return raw


def query_id(request: Request, name: str) -> str | None:
    raw = query_value(request, name)
    if raw is None:
        return None
    return length(f"querystring/{name}", raw, inferred.ID_MIN, inferred.ID_MAX)


def idempotency_key(request: Request) -> None:
    """Documented on every operation (8-32 chars) with no semantics for cases: checked, ignored."""
    key = header(request, b"idempotency-key")
    if key is not None:
        length("headers/idempotency-key", key, inferred.IDEMPOTENCY_KEY_MIN, inferred.IDEMPOTENCY_KEY_MAX)


async def json_body(request: Request, required: bool) -> Any:
    """Fastify's content-type parser: 415 for non-JSON, 400 for empty or broken JSON."""
    raw = await request_body(request)
    content_type = request.headers.get("content-type")
    if content_type is None:
        if raw:
            raise errors.PandabaseError(415, inferred.UNSUPPORTED_MEDIA.format(type="undefined"))
        return None
    media = content_type.split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise errors.PandabaseError(415, inferred.UNSUPPORTED_MEDIA.format(type=content_type))
    if not raw.strip():
        if not required:
            return None
        raise errors.bad_request(inferred.EMPTY_JSON)
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise errors.bad_request(inferred.BAD_JSON) from None


def json_object(body: Any) -> dict:
    if not isinstance(body, dict):
        raise errors.invalid("body", "must be object")
    return body




def query_bool(request: Request, name: str) -> bool | None:
    """ajv coerces only "true" and "false" to a boolean."""
    raw = query_value(request, name)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise errors.invalid(f"querystring/{name}", "must be boolean")
    return raw == "true"


def body_string(body: dict, name: str, low: int, high: int, required: bool = False) -> str | None:
    """A string property of a JSON body (absent: None, or 400 when required)."""
    if name not in body:
        if required:
            raise errors.invalid("body", f"must have required property '{name}'")
        return None
    where = f"body/{name}"
    return length(where, as_string(where, body[name]), low, high)


def as_boolean(where: str, value: Any) -> bool:
    """ajv's coercion to boolean: true/false, "true"/"false", 1/0 (and null → false)."""
    if isinstance(value, bool):
        return value
    if value in ("true", 1) and not isinstance(value, float):
        return True
    if value in ("false", 0, None) and not isinstance(value, float):
        return False
    raise errors.invalid(where, "must be boolean")


def own_store(request: Request, state: PandabaseState, token: TokenRecord) -> str:
    store_id = request.path_params["storeId"]
    if store_id != token.store_id:
        raise errors.other_store(state.rules.other_store_status)
    return store_id



def pagination(page: int, limit: int, total: int) -> dict[str, int]:
    pages = math.ceil(total / limit)
    if total == 0 and inferred.TOTAL_PAGES_WHEN_EMPTY_IS_ONE:
        pages = 1
    return {"page": page, "limit": limit, "total": total, "totalPages": pages}


_ENVELOPE_HEAD, _ENVELOPE_TAIL = b'{"ok":true,"data":', b"}"


def envelope(data: bytes) -> bytes:
    return _ENVELOPE_HEAD + data + _ENVELOPE_TAIL


def enveloped(head: bytes, items: Sequence[bytes], tail: bytes) -> bytes:
    """`envelope` around a list page (sandbox/jsonresp.py `spliced`), the page copied only by
    the splice."""
    return spliced(_ENVELOPE_HEAD + head, items, tail + _ENVELOPE_TAIL)


def ok(data: bytes, status: int = 200) -> Response:
    return errors.json_response(envelope(data), status)


