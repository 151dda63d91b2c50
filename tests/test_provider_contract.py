"""The contract every registered provider is held to (docs/adding-a-provider.md).

Parametrised over the registry, so a new provider folder is checked by these tests with no other
change: forced faults and unknown paths answer in the provider's own shape, a request without or
with a bad credential is refused, a reset is byte-identical, one clock step equals many small ones,
host mode equals path mode, and both shipped demo scenarios hold a section for it. A provider class
that lacks a required part is refused when its module is imported. The folder that
`scripts/scaffold.py` writes passes every check with no other change.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import timedelta
from pathlib import Path

import pytest

import sandbox.providers
from sandbox.provider import REQUIRED_ATTRIBUTES, REQUIRED_METHODS, Provider, ProviderContractError
from sandbox.providers import REGISTRY, load_providers
from sandbox.scenario import find_scenario
from sandbox.testing import asgi_client, make_sandbox, shipped_text

PROVIDERS = {p.key: p for p in load_providers()}
SCAFFOLDED = "scaffolded_acme"
TEXTS = {key: shipped_text("default", [key]) for key in REGISTRY}
CORE_MESSAGES = ("no route ", "internal sandbox error")  # the core's own 404 and 500 (sandbox/app.py)
FAULT_STATUSES = [400, 401, 403, 404, 405, 409, 413, 418, 422, 429, 500, 502, 503, 504, 599]


def scaffold_provider(folder: Path) -> None:
    """Write scripts/scaffold.py's folder into `folder` and make it importable as a provider."""
    spec = importlib.util.spec_from_file_location("scaffold", Path(__file__).parent.parent / "scripts" / "scaffold.py")
    assert spec is not None and spec.loader is not None
    scaffold = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scaffold)
    scaffold.scaffold(SCAFFOLDED, folder)
    sandbox.providers.__path__.append(str(folder))
    PROVIDERS[SCAFFOLDED] = load_providers([SCAFFOLDED])[0]
    TEXTS[SCAFFOLDED] = f"version: 1\nproviders:\n{scaffold.example_section(SCAFFOLDED)}"


def world(key: str):
    """The default scenario cut down to one provider, in-process, with its first tenant's probe."""
    sandbox = make_sandbox(text=TEXTS[key], providers=[key])
    provider = PROVIDERS[key]
    tenant = provider.tenants(sandbox.state(key))[0]
    fields = {"tenant": tenant.id, **{k: v for k, v in tenant.extra.items() if isinstance(v, str)}}
    credential = tenant.credentials[0]
    headers = {credential.header: credential.value}
    return sandbox, asgi_client(sandbox), provider.probe_path.format(**fields), provider.probe_host.format(**fields), headers


@pytest.fixture(scope="session")
def scaffolded(tmp_path_factory):
    scaffold_provider(tmp_path_factory.mktemp("providers"))
    yield SCAFFOLDED
    sys.modules.pop(f"sandbox.providers.{SCAFFOLDED}", None)


@pytest.fixture(params=[*REGISTRY, SCAFFOLDED])
def contract(request):
    if request.param == SCAFFOLDED:
        request.getfixturevalue("scaffolded")
    sandbox, client, path, host, headers = world(request.param)
    yield PROVIDERS[request.param], sandbox, client, path, host, headers
    client.close()


def is_core_body(response) -> bool:
    """The core's generic 404 or 500, which a provider route must never fall through to."""
    try:
        body = response.json()
    except ValueError:
        return False
    message = body.get("error") if isinstance(body, dict) else None
    return isinstance(message, str) and message.startswith(CORE_MESSAGES)


def test_probe_answers_200(contract):
    _, _, client, path, _, headers = contract
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("status", FAULT_STATUSES)
def test_forced_fault_keeps_its_status_in_the_provider_shape(contract, status):
    provider, _, client, path, _, headers = contract
    armed = client.post("/_sandbox/faults", json={"provider": provider.key, "status": status, "count": 1})
    assert armed.status_code == 201, armed.text
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert not is_core_body(response), response.text
    assert client.get(path, headers=headers).status_code == 200  # count 1: spent


def test_unknown_path_gets_the_provider_404(contract):
    provider, _, client, _, _, headers = contract
    for method in ("GET", "POST", "DELETE"):
        response = client.request(method, provider.base_path + "/no-such-route-xyz", headers=headers)
        assert response.status_code == 404, (method, response.text)
        assert not is_core_body(response), response.text


def test_missing_and_bad_credentials_are_refused(contract):
    provider, _, client, path, _, headers = contract
    missing = client.get(path)
    bad = client.get(path, headers={name: value[:-1] + "X" for name, value in headers.items()})
    for response in (missing, bad):
        assert 400 <= response.status_code <= 403, response.text
        assert not is_core_body(response), response.text


def test_reset_is_byte_identical(contract):
    _, sandbox, client, path, _, headers = contract
    before = client.get(path, headers=headers)
    assert client.post("/_sandbox/clock/advance", json={"duration": "10d"}).status_code == 200
    assert client.post("/_sandbox/reset").status_code == 200
    after = client.get(path, headers=headers)
    assert (after.status_code, after.content) == (before.status_code, before.content)


def test_one_clock_step_equals_many(contract):
    provider, one, client, path, _, headers = contract
    many, many_client, *_ = world(provider.key)
    one.advance_clock(timedelta(days=30))
    for _ in range(30 * 4):
        many.advance_clock(timedelta(hours=6))
    assert client.get(path, headers=headers).content == many_client.get(path, headers=headers).content

    def trail(sandbox):
        return [(e.type, e.object_id, e.at, e.data) for e in sandbox.events.query(provider.key)]

    assert trail(one) == trail(many)
    many_client.close()


def test_host_mode_answers_like_path_mode(contract):
    provider, _, client, path, host, headers = contract
    assert path.startswith(provider.prefix + "/")
    by_path = client.get(path, headers=headers)
    by_host = client.get(path[len(provider.prefix) :], headers={**headers, "Host": host})
    assert provider.host_match(host) is not None
    assert (by_host.status_code, by_host.content) == (by_path.status_code, by_path.content)


@pytest.mark.parametrize("scenario", ["default", "expiring-disputes"])
@pytest.mark.parametrize("key", list(REGISTRY))
def test_shipped_demo_scenarios_have_a_section(scenario, key):
    import yaml

    data = yaml.safe_load(find_scenario(scenario).read_text(encoding="utf-8"))
    assert data["providers"].get(key), f"{scenario}.yaml has no {key} section"


@pytest.mark.parametrize("part", [*REQUIRED_ATTRIBUTES, *REQUIRED_METHODS])
def test_a_provider_lacking_a_part_is_refused_at_import(part):
    whop = PROVIDERS["whop"]
    namespace = {name: getattr(type(whop), name) for name in (*REQUIRED_ATTRIBUTES, *REQUIRED_METHODS)}
    del namespace[part]
    with pytest.raises(ProviderContractError, match=part):
        type("Incomplete", (Provider,), namespace)
    type("Complete", (Provider,), {name: getattr(type(whop), name) for name in (*REQUIRED_ATTRIBUTES, *REQUIRED_METHODS)})


@pytest.mark.parametrize("key", [*REGISTRY, SCAFFOLDED])
def test_every_part_imported_on_first_use_resolves(key, request):
    """Parts declared by name (sandbox/lazy.py) are not imported at start, so a wrong name would
    only show at its first call: each control endpoint resolves to an async endpoint and the
    dashboard path to a Dashboard."""
    import inspect

    from sandbox.lazy import resolve
    from sandbox.provider import Dashboard

    if key == SCAFFOLDED:
        request.getfixturevalue("scaffolded")
    provider = PROVIDERS[key]
    for route in [*provider.routes, *provider.control_routes]:
        target = getattr(route.endpoint, "target", None)
        if target is not None:
            assert inspect.iscoroutinefunction(resolve(target)), f"{route.path}: {target}"
    if provider.dashboard_path:
        assert isinstance(resolve(provider.dashboard_path), Dashboard)
    assert isinstance(provider.dashboard, Dashboard)


def test_the_core_lazy_routes_resolve():
    """The same for the core's `/_sandbox` routes and the dashboard's pages (sandbox/app.py)."""
    import inspect

    from sandbox.app import CONTROL_ROUTES, UI_ROUTES
    from sandbox.lazy import resolve

    for route in [*CONTROL_ROUTES, *UI_ROUTES]:
        assert inspect.iscoroutinefunction(resolve(route.endpoint.target)), route.path
