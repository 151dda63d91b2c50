"""Methods a path does not serve, and paths the router could lose (issue 20, item 4), for every
registered provider: each answers in the provider's own shape, never the core's generic one.

- A method no route serves on a path some route does: `Provider.method_not_allowed` — by default a
  405 in the provider's `fault_response` shape with `Allow` naming the path's methods; a provider
  whose framework answers it as an unknown route (`unserved_method_is_unknown_path`) gives its 404.
- A path with an encoded newline stays inside its provider (Starlette's `{path:path}` is `.*`).
- Integers the core reads from a query or path are ASCII digits only (`sandbox/params.py`).
"""

from __future__ import annotations

import orjson
import pytest

from sandbox.provider import Provider
from sandbox.providers import load_providers
from sandbox.testing import asgi_client, make_sandbox

PROVIDERS = {p.key: p for p in load_providers()}
ODD_METHODS = ["TRACE", "CONNECT", "OPTIONS", "PUT", "DELETE", "PROPFIND"]


@pytest.fixture(scope="module")
def client():
    with asgi_client(make_sandbox("default")) as client:
        yield client


@pytest.fixture(scope="module")
def probes(client) -> dict[str, tuple[str, dict[str, str]]]:
    """Provider key → (its probe path filled for the first tenant, that tenant's credential)."""
    listed = client.get("/_sandbox/scenario").json()["providers"]
    out = {}
    for key, info in listed.items():
        tenant = info["tenants"][0]
        fields = {k: v for k, v in tenant.items() if isinstance(v, str)}
        fields["tenant"] = tenant["id"]
        credential = tenant["credentials"][0]
        out[key] = (PROVIDERS[key].probe_path.format(**fields), {credential["header"]: credential["value"]})
    return out


def is_core_body(response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"].startswith("no route ")


def answers_unknown_route(provider: Provider) -> bool:
    return type(provider).method_not_allowed is Provider.unserved_method_is_unknown_path


@pytest.mark.parametrize("key", PROVIDERS)
@pytest.mark.parametrize("method", ODD_METHODS)
def test_an_unserved_method_on_a_served_path(client, probes, key, method):
    path, headers = probes[key]
    response = client.request(method, path, headers=headers)
    assert not is_core_body(response), response.text
    if answers_unknown_route(PROVIDERS[key]):
        unknown = client.get(PROVIDERS[key].base_path + "/no-such-route", headers=headers)
        assert response.status_code == unknown.status_code == 404
        assert sorted(response.json()) == sorted(unknown.json())  # the same shape as any unknown route
        assert "allow" not in response.headers
        return
    assert response.status_code == 405, response.text
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert "GET" in allowed and method not in allowed
    fault = PROVIDERS[key].fault_response(405, 0)
    assert sorted(response.json()) == sorted(orjson.loads(fault.body))


@pytest.mark.parametrize("key", PROVIDERS)
def test_allow_names_what_the_path_serves(client, probes, key):
    """Every method `Allow` names is served on the path: none of them answers 405 again."""
    path, headers = probes[key]
    response = client.request("TRACE", path, headers=headers)
    if response.status_code != 405:
        return  # answered as an unknown route (checked above)
    for method in response.headers["allow"].split(","):
        again = client.request(method.strip(), path, headers=headers)
        assert again.status_code != 405, (method, again.text)


def test_whop_checks_the_key_before_the_method(client, probes):
    """Whop authenticates before routing (401 on every path): a 405 is for a valid key only."""
    path, _ = probes["whop"]
    response = client.request("TRACE", path)
    assert response.status_code == 401 and not is_core_body(response)


@pytest.mark.parametrize("key", PROVIDERS)
def test_a_newline_in_a_path_stays_in_the_provider(client, probes, key):
    _, headers = probes[key]
    base = PROVIDERS[key].base_path
    plain = client.get(f"{base}/no-such-route-abc", headers=headers)
    broken = client.get(f"{base}/no-such-route%0Aabc", headers=headers)
    assert not is_core_body(broken), broken.text
    assert broken.status_code == plain.status_code
    assert sorted(broken.json()) == sorted(plain.json())


def test_a_newline_in_a_whop_case_id_is_whops_404(client, probes):
    _, headers = probes["whop"]
    response = client.get("/whop/api/v1/resolution_center_cases/cse_%0Aabc", headers=headers)
    assert response.status_code == 404 and response.json()["error"]["type"] == "not_found"


def test_the_control_plane_405_names_its_methods(client):
    response = client.request("TRACE", "/_sandbox/clock")
    assert response.status_code == 405 and "error" in response.json()
    assert {m.strip() for m in response.headers["allow"].split(",")} >= {"GET"}
    assert client.request("PUT", "/_sandbox/faults").headers["allow"]


@pytest.mark.parametrize("value", ["٣", "1_0", "²", " 5", "+5", "-1", "5 "])
def test_control_plane_integers_are_ascii_digits(client, value):
    for url, params in [
        ("/_sandbox/requests", {"status": value}),
        ("/_sandbox/requests", {"limit": value}),
        ("/_sandbox/events", {"since": value}),
    ]:
        response = client.get(url, params=params)
        assert response.status_code == 400, (url, params, response.text)
        assert isinstance(response.json()["error"], str)
    assert client.post(f"/_sandbox/webhooks/deliveries/{value}/redeliver").status_code == 404


@pytest.mark.parametrize("name", ["since", "limit", "status", "method", "path"])
def test_an_empty_journal_filter_is_refused(client, name):
    response = client.get(f"/_sandbox/requests?{name}=")
    assert response.status_code == 400 and response.json()["error"].startswith(name)


def test_an_empty_events_filter_is_refused(client):
    for query in ("since=", "provider="):
        assert client.get(f"/_sandbox/events?{query}").status_code == 400


@pytest.mark.parametrize("key", list(PROVIDERS))
def test_a_provider_path_tries_no_other_providers_mount(key, client, probes, monkeypatch):
    """The router's shortcut (sandbox/app.py `_Router`): only the request's own provider's mount
    matches its path, and the answer is the walk's (the rest of this file: 404s, 405s, newlines)."""
    from starlette.routing import Mount

    path, headers = probes[key]
    walked = client.get(path + ("&" if "?" in path else "?") + "walk=1", headers=headers)
    tried: list[str] = []
    matches = Mount.matches

    def counted(self, scope):
        tried.append(self.path)
        return matches(self, scope)

    monkeypatch.setattr(Mount, "matches", counted)
    response = client.get(path + ("&" if "?" in path else "?") + "walk=2", headers=headers)
    assert tried == [PROVIDERS[key].prefix]
    assert (response.status_code, len(response.content)) == (walked.status_code, len(walked.content))
