"""`POST /v1/oauth/session/verify`: tokens minted as the dashboard would, verified as documented."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest

MINT = "/_sandbox/orderprotection/session_tokens"
KEYS = ["userId", "email", "firstName", "lastName", "storeId", "installationId", "applicationId", "clientId", "scopes"]
INVALID = {"statusCode": 401, "message": "Invalid session token", "error": "Unauthorized"}


def _mint(client, **over):
    body = {"client_id": "op_app_demo", "store_id": "alpha", **over}
    r = client.post(MINT, json=body)
    assert r.status_code == 201, r.text
    return r.json()["session_token"]


def test_verify_returns_the_documented_context(small, k):
    _, client = small
    token = _mint(client, email="merchant@example.com")
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["alg"] == "HS256"  # the docs' example token starts eyJhbGciOiJIUzI1NiIs
    r = client.post(k.BASE + "/oauth/session/verify", json={"session_token": token})
    assert r.status_code == 200
    body = r.json()
    assert list(body) == KEYS
    assert body["email"] == "merchant@example.com" and body["storeId"] == "alpha"
    assert body["clientId"] == "op_app_demo" and body["scopes"] == ["read_claims", "write_claims"]
    assert body["installationId"].startswith("inst_") and body["applicationId"].startswith("app_")
    again = client.post(k.BASE + "/oauth/session/verify", json={"session_token": token}).json()
    assert again == body  # stable within the lifetime


def test_token_lives_60_seconds_on_the_sandbox_clock(small, k):
    sandbox, client = small
    token = _mint(client)
    sandbox.advance_clock(timedelta(seconds=59))
    assert client.post(k.BASE + "/oauth/session/verify", json={"session_token": token}).status_code == 200
    sandbox.advance_clock(timedelta(seconds=1))
    r = client.post(k.BASE + "/oauth/session/verify", json={"session_token": token})
    assert (r.status_code, r.json()) == (401, INVALID)


def test_altered_or_foreign_tokens_are_401(small, k):
    _, client = small
    token = _mint(client)
    head, payload, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["storeId"] = "beta"
    forged = head + "." + base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=") + "." + sig
    for bad in (forged, "eyJhbGciOiJIUzI1NiIs.x.y", "plain", token[:-2]):
        r = client.post(k.BASE + "/oauth/session/verify", json={"session_token": bad})
        assert (r.status_code, r.json()) == (401, INVALID)


@pytest.mark.parametrize("body", [{}, {"session_token": 5}, {"session_token": ""}, {"session_token": ["a"]}])
def test_missing_or_wrong_type_token_is_400(small, k, body):
    _, client = small
    r = client.post(k.BASE + "/oauth/session/verify", json=body)
    assert r.status_code == 400
    assert r.json() == {
        "statusCode": 400, "message": ["session_token should not be empty", "session_token must be a string"],
        "error": "Bad Request",
    }


def test_thirty_verifications_a_minute_per_ip(small, k):
    _, client = small
    token = _mint(client)
    codes = [client.post(k.BASE + "/oauth/session/verify", json={"session_token": token}).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30
    last = client.post(k.BASE + "/oauth/session/verify", json={"session_token": token})
    assert last.status_code == 429 and last.json()["statusCode"] == 429 and int(last.headers["retry-after"]) >= 1


@pytest.mark.parametrize(
    "body,status,field",
    [
        ({}, 400, "client_id"),
        ({"client_id": 1, "store_id": "alpha"}, 400, "client_id"),
        ({"client_id": "op_app_demo", "store_id": "alpha", "email": "nope"}, 400, "email"),
        ({"client_id": "op_app_demo", "store_id": "alpha", "extra": True}, 400, "extra"),
        ({"client_id": "op_app_nope", "store_id": "alpha"}, 404, "op_app_nope"),
        ({"client_id": "op_app_demo", "store_id": "beta"}, 400, "not installed"),
    ],
)
def test_bad_mint_body_is_refused(small, body, status, field):
    _, client = small
    r = client.post(MINT, json=body)
    assert r.status_code == status and field in r.json()["error"]
