"""Shoplazza's OAuth install flow: authorize redirects with a signed code, the token endpoint trades
it (once, while fresh) for an Access-Token that reads disputes, refresh tokens rotate, every check
the docs name is enforced, in host mode and under the `/shoplazza` prefix."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, urlsplit

import pytest

SECRET = "app_secret_alpha"
SCENARIO = """
version: 1
seed: 11
clock: {start: "2026-03-10T12:00:00Z"}
providers:
  shoplazza:
    stores:
      - id: "1001"
        subdomain: alpha
        tokens: [{token: tok_alpha}]
        apps:
          - {client_id: app_alpha, client_secret: app_secret_alpha, redirect_uri: "https://app.example/cb",
             scopes: [read_finance], token_lifetime: 2h}
          - {client_id: app_any, client_secret: s2}
        disputes:
          - {id: dp_one, status: needs_response, created_at: "2026-03-08T09:30:00Z"}
      - id: "1002"
        subdomain: beta
        tokens: [{token: tok_beta}]
        apps: [{client_id: app_beta, client_secret: s3, scopes: [read_product]}]
      - id: "1003"
        subdomain: gamma
        active: false
        apps: [{client_id: app_gamma, client_secret: s4}]
"""
AUTHORIZE = "/shoplazza/admin/oauth/authorize"
TOKEN_URL = "/shoplazza/admin/oauth/token"
DISPUTES = "/shoplazza/openapi/2024-07/shoplazza-payment/disputes"


@pytest.fixture
def oauth(sandbox_from):
    return sandbox_from(SCENARIO, providers=["shoplazza"])


def authorize(client, path=AUTHORIZE, headers=None, **params):
    query = {"client_id": "app_alpha", "redirect_uri": "https://app.example/cb", "response_type": "code",
             "scope": "read_finance", "state": "xyz-123", **params}
    return client.get(path, params={k: v for k, v in query.items() if v is not None}, headers=headers or {},
                      follow_redirects=False)


def callback(response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://app.example/cb"
    return dict(parse_qsl(location.query))


def signature_valid(params: dict[str, str], secret: str) -> bool:
    """What an app does with the callback, as the signature-verification page documents it."""
    message = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "hmac")
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(digest, params["hmac"])


def exchange(client, code, path=TOKEN_URL, headers=None, **extra):
    form = {"client_id": "app_alpha", "client_secret": SECRET, "grant_type": "authorization_code", "code": code,
            "redirect_uri": "https://app.example/cb", **extra}
    return client.post(path, data={k: v for k, v in form.items() if v is not None}, headers=headers or {})


def test_install_flow_end_to_end_in_path_mode(oauth):
    _, client = oauth
    back = callback(authorize(client))
    assert set(back) == {"code", "shop", "state", "hmac"}
    assert back["shop"] == "alpha.myshoplaza.com" and back["state"] == "xyz-123"
    assert signature_valid(back, SECRET) and not signature_valid(back, "other")
    r = exchange(client, back["code"])
    assert r.status_code == 200, r.text
    token = r.json()
    assert list(token) == ["access_token", "token_type", "refresh_token", "expires_in", "expires_at", "scope",
                           "created_at", "store_id", "store_name", "locale"]
    assert token["store_id"] == "1001" and token["scope"] == "read_finance" and token["expires_in"] == 7200
    assert token["expires_at"] - token["created_at"] == 7200
    assert r.headers["request-id"]
    disputes = client.get(DISPUTES, headers={"Access-Token": token["access_token"]})
    assert disputes.status_code == 200 and [d["id"] for d in disputes.json()["data"]["list"]] == ["dp_one"]
    tenants = client.get("/_sandbox/scenario").json()["providers"]["shoplazza"]["tenants"]
    assert any(c["value"] == token["access_token"] for t in tenants for c in t["credentials"])


def test_host_mode_on_the_store_host(oauth):
    _, client = oauth
    host = {"Host": "alpha.myshoplaza.com"}
    back = callback(authorize(client, "/admin/oauth/authorize", headers=host))
    token = exchange(client, back["code"], "/admin/oauth/token", headers=host).json()
    got = client.get("/openapi/2026-01/shoplazza-payment/disputes", headers={**host, "Access-Token": token["access_token"]})
    assert got.status_code == 200
    wrong = authorize(client, "/admin/oauth/authorize", headers={"Host": "beta.myshoplaza.com"})
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_client"


def test_a_code_works_once_and_expires(oauth):
    _, client = oauth
    code = callback(authorize(client))["code"]
    assert exchange(client, code).status_code == 200
    again = exchange(client, code)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    late = callback(authorize(client))["code"]
    client.post("/_sandbox/clock/advance", json={"duration": "11m"})
    expired = exchange(client, late)
    assert expired.status_code == 400 and expired.json() == {"error": "invalid_grant", "error_description": "code has expired"}


def test_tokens_expire_on_the_sandbox_clock_and_refresh_rotates_them(oauth):
    _, client = oauth
    token = exchange(client, callback(authorize(client))["code"]).json()
    refreshed = client.post(TOKEN_URL, data={"client_id": "app_alpha", "client_secret": SECRET,
                                             "grant_type": "refresh_token", "refresh_token": token["refresh_token"]})
    assert refreshed.status_code == 200
    new = refreshed.json()
    assert new["access_token"] != token["access_token"] and new["scope"] == token["scope"]
    assert client.get(DISPUTES, headers={"Access-Token": token["access_token"]}).status_code == 400  # replaced
    assert client.get(DISPUTES, headers={"Access-Token": new["access_token"]}).status_code == 200
    reuse = client.post(TOKEN_URL, data={"client_id": "app_alpha", "client_secret": SECRET,
                                         "grant_type": "refresh_token", "refresh_token": token["refresh_token"]})
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    client.post("/_sandbox/clock/advance", json={"duration": "2h"})
    expired = client.get(DISPUTES, headers={"Access-Token": new["access_token"]})
    assert (expired.status_code, expired.json()) == (400, {"error": "Unauthorized"})


def test_granted_scopes_decide_what_the_token_reads(oauth):
    _, client = oauth
    back = callback(authorize(client, scope="read_product"))
    token = exchange(client, back["code"]).json()
    assert token["scope"] == "read_product"
    assert client.get(DISPUTES, headers={"Access-Token": token["access_token"]}).status_code == 403


@pytest.mark.parametrize(
    ("params", "status", "error"),
    [
        ({"client_id": "nope"}, 401, "invalid_client"),
        ({"client_id": None}, 401, "invalid_client"),
        ({"redirect_uri": "https://evil.example/cb"}, 400, "invalid_request"),
        ({"response_type": "token"}, 400, "unsupported_response_type"),
        ({"client_id": "app_any", "redirect_uri": "javascript:alert(1)"}, 400, "invalid_request"),
        ({"client_id": "app_any", "redirect_uri": None}, 400, "invalid_request"),
    ],
)
def test_authorize_refusals_never_redirect(oauth, params, status, error):
    _, client = oauth
    r = authorize(client, **params)
    assert (r.status_code, r.json()["error"]) == (status, error)
    assert "location" not in r.headers


def test_inactive_store_cannot_install(oauth):
    _, client = oauth
    r = authorize(client, client_id="app_gamma", redirect_uri="https://g.example/cb")
    assert (r.status_code, r.json()) == (400, {"error": "store is not active"})


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "app_beta", "client_secret": "s3"}, 400, "invalid_grant"),  # another app's code
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": None}, 400, "unsupported_grant_type"),
        ({"code": "forged"}, 400, "invalid_grant"),
        ({"redirect_uri": "https://app.example/other"}, 400, "invalid_grant"),
    ],
)
def test_token_refusals_store_nothing(oauth, form, status, error):
    sandbox, client = oauth
    code = callback(authorize(client))["code"]
    tokens = set(sandbox.state("shoplazza").tokens)
    r = exchange(client, **{"code": code, **form})
    assert (r.status_code, r.json()["error"]) == (status, error), r.text
    assert set(sandbox.state("shoplazza").tokens) == tokens


@pytest.mark.parametrize(
    ("content", "ctype"),
    [(b"[1]", "application/json"), (b"{", "application/json"), (b'{"client_id": 5}', "application/json"),
     (b"\xff\xfe", "application/x-www-form-urlencoded"), (b"x=" + b"a" * 20000, "application/x-www-form-urlencoded"),
     (b"", "application/json")],
)
def test_token_bad_bodies(oauth, content, ctype):
    _, client = oauth
    r = client.post(TOKEN_URL, content=content, headers={"content-type": ctype})
    assert r.status_code in (400, 401) and "error" in r.json()


def test_token_takes_json_too(oauth):
    _, client = oauth
    code = callback(authorize(client))["code"]
    r = client.post(TOKEN_URL, json={"client_id": "app_alpha", "client_secret": SECRET,
                                     "grant_type": "authorization_code", "code": code})
    assert r.status_code == 200 and r.json()["access_token"]


def test_methods(oauth):
    _, client = oauth
    assert client.post(AUTHORIZE).status_code == 405
    assert client.get(TOKEN_URL).status_code == 405


def test_app_scenario_keys_are_checked(sandbox_from):
    from sandbox.scenario import ScenarioError
    from sandbox.testing import make_sandbox

    with pytest.raises(ScenarioError, match="token_lifetime"):
        make_sandbox(text=SCENARIO.replace("token_lifetime: 2h", "token_lifetime: soon"), providers=["shoplazza"])
    with pytest.raises(ScenarioError, match="duplicate app client_id"):
        make_sandbox(text=SCENARIO.replace("client_id: app_beta", "client_id: app_alpha"), providers=["shoplazza"])


def test_reinstall_loops_keep_codes_and_tokens_bounded(oauth, monkeypatch):
    from sandbox.providers.shoplazza import inferred

    sandbox, client = oauth
    monkeypatch.setattr(inferred, "OAUTH_PENDING_CODES", 3)
    monkeypatch.setattr(inferred, "OAUTH_TOKENS_PER_APP", 2)
    codes = [callback(authorize(client))["code"] for _ in range(5)]
    state = sandbox.state("shoplazza")
    assert len(state.grants) == 3 and set(state.grants) == set(codes[2:])  # the oldest went first
    assert exchange(client, codes[0]).json()["error"] == "invalid_grant"
    tokens = [exchange(client, code).json()["access_token"] for code in codes[2:]]
    live = [t for t in tokens if client.get(DISPUTES, headers={"Access-Token": t}).status_code == 200]
    assert live == tokens[1:]  # the oldest of three was revoked
    assert len(state.refresh) == 2 and set(state.refresh.values()) == set(tokens[1:])
