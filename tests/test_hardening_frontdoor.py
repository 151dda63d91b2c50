"""The one middleware (issue 14): body size limit while reading, bodies pre-read, the control token."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from sandbox.app import FrontDoor
from sandbox.settings import Settings
from sandbox.testing import asgi_client, live_sandbox, make_sandbox

SCENARIO = """
version: 1
name: tiny
seed: 5
clock: {start: "2026-02-01T00:00:00Z"}
providers:
  whop:
    companies:
      - id: biz_A
        title: A
        api_keys: [{key: k}]
        cases: [{id: reso_One, status: merchant_response_needed}]
"""
H = {"Authorization": "Bearer k"}
CASE = "/whop/api/v1/resolution_center_cases/reso_One"


@pytest.fixture
def sandbox():
    return make_sandbox(text=SCENARIO, providers=["whop"])


def chunks(total: int, size: int = 4096):
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


# -- body size ------------------------------------------------------------------------------------

def test_over_the_limit_is_413_in_each_shape_and_nothing_is_stored(sandbox):
    with asgi_client(sandbox, settings=Settings(max_body=1000)) as c:
        control = c.post("/_sandbox/faults", content=b'{"provider": "whop", "status": 500, "path": "' + b"x" * 2000 + b'"}',
                         headers={"content-type": "application/json"})
        assert control.status_code == 413
        assert control.json() == {"error": "request body over the limit of 1000 bytes (--max-body)"}
        assert c.get("/_sandbox/faults").json() == {"faults": []}
        provider = c.post(CASE, content=b"{" + b" " * 2000 + b"}", headers=H)
        assert provider.status_code == 413
        assert set(provider.json()) == {"error"} and set(provider.json()["error"]) >= {"type", "message"}
        chunked = c.post("/_sandbox/scenario", content=chunks(5000))  # no Content-Length: counted as read
        assert chunked.status_code == 413
        assert c.get("/_sandbox/scenario").json()["name"] == "tiny"
        assert c.post("/_sandbox/faults", json={"provider": "whop", "status": 500}).status_code == 201


def test_the_default_limit_takes_a_20mb_body(sandbox):
    with asgi_client(sandbox) as c:
        response = c.post("/_sandbox/scenario", content=b"#" * (20 * 1024 * 1024), headers={"content-type": "application/yaml"})
        assert response.status_code == 400  # read whole, then refused by the scenario size limit
        assert "--max-scenario-bytes" in response.json()["problems"][0]


def test_a_live_server_refuses_a_huge_declared_body_without_reading_it(sandbox):
    with live_sandbox(sandbox=sandbox, settings=Settings(max_body=10_000)) as server:
        response = httpx.post(server.url + "/_sandbox/scenario", content=chunks(50_000_000, 65536), timeout=10)
        assert response.status_code == 413
        assert httpx.get(server.url + "/_sandbox/health").status_code == 200


def test_the_body_is_read_before_the_app_runs():
    """The app sees the whole body in one message, however the client sent it."""
    seen: list[dict] = []

    async def app(scope, receive, send):
        seen.append(await receive())
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    from sandbox.journal import Journal

    class FakeSandbox:
        providers: list = []
        journal = Journal(0)

        class faults:
            pending: list = []

        class drills:
            pending: list = []

    parts = [b"ab", b"cd", b"ef"]

    async def receive():
        await asyncio.sleep(0)  # a real server suspends between chunks
        body = parts.pop(0)
        return {"type": "http.request", "body": body, "more_body": bool(parts)}

    async def send(message):
        pass

    scope = {"type": "http", "path": "/x", "headers": [(b"transfer-encoding", b"chunked")]}
    asyncio.run(FrontDoor(app, FakeSandbox(), Settings())(scope, receive, send))  # type: ignore[arg-type]
    assert seen == [{"type": "http.request", "body": b"abcdef", "more_body": False}]


# -- control token --------------------------------------------------------------------------------

def test_the_control_token_guards_every_control_route_but_health(sandbox):
    with asgi_client(sandbox, settings=Settings(control_token="s3cret")) as c:
        for method, path in [("GET", "/_sandbox/scenario"), ("POST", "/_sandbox/reset"), ("GET", "/_sandbox/faults"),
                             ("GET", "/_sandbox/webhooks"), ("POST", "/_sandbox/whop/cases/reso_One/resolve"),
                             ("GET", "/_sandbox/nothing"), ("GET", "/_sandbox")]:
            refused = c.request(method, path)
            assert refused.status_code == 401, path
            assert refused.json() == {"error": "the control plane needs Authorization: Bearer <control token>"}
            assert refused.headers["www-authenticate"].startswith("Bearer")
        wrong = c.post("/_sandbox/faults", json={"provider": "whop", "status": 500}, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        good = {"Authorization": "Bearer s3cret"}
        assert c.get("/_sandbox/faults", headers=good).json() == {"faults": []}  # nothing was added
        assert c.get("/_sandbox/health").json() == {"status": "ok"}
        assert c.get("/_sandbox/scenario", headers=good).json()["name"] == "tiny"
        assert c.get(CASE, headers=H).status_code == 200  # provider routes keep their own auth


def test_without_a_token_the_control_plane_is_open(sandbox):
    with asgi_client(sandbox) as c:
        assert c.get("/_sandbox/scenario").status_code == 200
