"""The `/_sandbox` control plane: health, scenario, reset, clock, events, faults.

JSON in, JSON out, errors as `{"error": "..."}` (the contract in DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import orjson
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from .clock import ClockError
from .faults import Fault
from .jsonresp import JSON
from .provider import sandbox_of
from .runtime import WorldReplaced
from .scenario import ScenarioError, load_scenario_file
from .timefmt import iso_millis, parse_duration, parse_instant


def error(message: str, status: int = 400, **extra: Any) -> JSON:
    return JSON({"error": message, **extra}, status_code=status)


def validation_problems(exc: ValidationError) -> list[str]:
    """`path.to.field: message` for each problem pydantic found in a control-plane body."""
    return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]


async def read_json(request: Request) -> dict[str, Any]:
    """The request body as a JSON object; `{}` when empty. Raises ValueError otherwise."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("body must be a JSON object")
    return data


RecordHandler = Callable[[Request, Any, Any, Any, dict[str, Any]], Awaitable[Response]]


def record_action(
    provider: str, collection: str, label: str, normalise: Callable[[str], str] = str
) -> Callable[[RecordHandler], Callable[[Request], Awaitable[Response]]]:
    """For `/_sandbox/<provider>/<things>/{id}/...` controls: finds the record (404 naming it when
    unknown) and reads the JSON body (400 when it is not an object), then calls
    `handler(request, sandbox, state, record, body)`."""

    def wrap(handler: RecordHandler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            sandbox = sandbox_of(request)
            state = sandbox.state(provider)
            record_id = request.path_params["id"]
            record = getattr(state, collection).get(normalise(record_id))
            if record is None:
                return error(f"no {label} {record_id!r}", 404)
            try:
                body = await read_json(request)
            except ValueError as exc:
                return error(str(exc))
            return await handler(request, sandbox, state, record, body)

        return endpoint

    return wrap


async def health(request: Request) -> JSON:
    return JSON({"status": "ok"})


async def scenario_info(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    scenario = sandbox.scenario
    providers = {}
    for provider in sandbox.providers:
        state = sandbox.state(provider.key)
        providers[provider.key] = {
            "base_path": provider.base_path,
            "tenants": [t.to_json() for t in provider.tenants(state)],
        }
    return JSON(
        {
            "name": scenario.name,
            "description": scenario.description,
            "file": scenario.file,
            "seed": scenario.seed,
            "now": iso_millis(sandbox.now()),
            "start": iso_millis(sandbox.start),
            "providers": providers,
        }
    )


async def load_scenario(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    raw = await request.body()
    content_type = request.headers.get("content-type", "")
    try:
        if "json" in content_type:
            body = await read_json(request)
            if "name" not in body:
                return error('a JSON body names a shipped scenario: {"name": "default"}')
            scenario = load_scenario_file(str(body["name"]), sandbox.providers)
            if "seed" in body:
                scenario.seed = int(body["seed"])
        else:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                return error("scenario body must be UTF-8 YAML")
            from .scenario import parse_scenario

            scenario = parse_scenario(text, "<request>", sandbox.providers)
        sandbox.load(scenario)
    except ScenarioError as exc:
        return error("invalid scenario", problems=exc.lines)
    except (ValueError, TypeError) as exc:
        return error(str(exc))
    return await scenario_info(request)


async def reset(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    sandbox.reset()
    return JSON({"status": "reset", "now": iso_millis(sandbox.now())})


async def clock_get(request: Request) -> JSON:
    return JSON({"now": iso_millis(sandbox_of(request).now())})


async def clock_advance(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    try:
        body = await read_json(request)
        if "seconds" in body:
            seconds = body["seconds"]
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
                return error("seconds must be a number")
            delta = timedelta(seconds=seconds)
        elif "duration" in body:
            delta = parse_duration(str(body["duration"]))
        else:
            return error('give {"seconds": N} or {"duration": "3d12h"}')
        move = await sandbox.move_clock(by=delta)
    except (ValueError, OverflowError) as exc:  # ClockError is a ValueError
        return error(str(exc))
    except WorldReplaced as exc:
        return error(str(exc), 409)
    return JSON(move.to_json())


async def clock_set(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    try:
        body = await read_json(request)
        if "now" not in body:
            return error('give {"now": "2026-01-01T00:00:00Z"}')
        move = await sandbox.move_clock(to=parse_instant(str(body["now"])))
    except ClockError as exc:
        return error(str(exc))
    except (ValueError, OverflowError) as exc:
        return error(f"now must be an ISO 8601 instant: {exc}")
    except WorldReplaced as exc:
        return error(str(exc), 409)
    return JSON(move.to_json())


async def events(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    params = request.query_params
    try:
        since = int(params.get("since", "0"))
    except ValueError:
        return error("since must be an integer event seq")
    found = sandbox.events.query(params.get("provider"), params.get("id"), since)
    return JSON({"events": [e.to_json() for e in found]})


async def faults_list(request: Request) -> JSON:
    return JSON({"faults": [f.to_json() for f in sandbox_of(request).faults.pending]})


async def faults_add(request: Request) -> JSON:
    """`{"provider": "whop", "status": 429, "count": 1, "path": "", "retry_after": 1}`."""
    sandbox = sandbox_of(request)
    try:
        body = await read_json(request)
        fault = Fault(
            provider=str(body["provider"]),
            status=int(body["status"]),
            count=int(body.get("count", 1)),
            path=str(body.get("path", "")),
            retry_after=int(body.get("retry_after", 1)),
        )
    except KeyError as exc:
        return error(f"missing {exc.args[0]!r}")
    except (ValueError, TypeError) as exc:
        return error(str(exc))
    if fault.provider not in sandbox.by_key:
        return error(f"unknown provider {fault.provider!r}")
    if not 400 <= fault.status <= 599 or fault.count < 1:
        return error("status must be 400-599 and count at least 1")
    sandbox.faults.add(fault)
    return JSON({"faults": [f.to_json() for f in sandbox.faults.pending]}, status_code=201)


async def faults_clear(request: Request) -> JSON:
    sandbox_of(request).faults.clear()
    return JSON({"faults": []})


def control_routes(extra_routes: list[BaseRoute]) -> Mount:
    return Mount(
        "/_sandbox",
        routes=[
            Route("/health", health),
            Route("/scenario", scenario_info, methods=["GET"]),
            Route("/scenario", load_scenario, methods=["POST"]),
            Route("/reset", reset, methods=["POST"]),
            Route("/clock", clock_get, methods=["GET"]),
            Route("/clock/advance", clock_advance, methods=["POST"]),
            Route("/clock/set", clock_set, methods=["POST"]),
            Route("/events", events, methods=["GET"]),
            Route("/faults", faults_list, methods=["GET"]),
            Route("/faults", faults_add, methods=["POST"]),
            Route("/faults", faults_clear, methods=["DELETE"]),
            *extra_routes,
        ],
    )
