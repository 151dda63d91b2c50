"""Issue 14 on the control plane: no file read, YAML limits, validated bodies, no silent wrong answer.

Every refusal is a 400 naming what is wrong, and a read after it shows nothing changed.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from sandbox.providers import load_providers
from sandbox.scenario import ScenarioError, ScenarioLimits, parse_scenario, shipped_scenarios
from sandbox.settings import Settings
from sandbox.testing import asgi_client, make_sandbox

ROOT = Path(__file__).resolve().parent.parent
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
        generate: {count: 12}
"""
YAML = {"content-type": "application/yaml"}


@pytest.fixture
def client():
    with asgi_client(make_sandbox(text=SCENARIO, providers=["whop"])) as c:
        yield c


@pytest.fixture
def full():
    """Every provider, so shipped scenarios load."""
    with asgi_client(make_sandbox(text=SCENARIO)) as c:
        yield c


def info(client) -> dict:
    response = client.get("/_sandbox/scenario")
    assert response.status_code == 200
    return response.json()


# -- 1. no file read -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["/etc/passwd", "/dev/zero", "../scenarios/default", "default.yaml",
                                  str(ROOT / "scenarios" / "default.yaml"), "/proc/self/environ"])
def test_a_request_names_only_shipped_scenarios(client, name):
    started = time.monotonic()
    response = client.post("/_sandbox/scenario", json={"name": name})
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    assert "root:" not in response.text and "version: 1" not in response.text
    assert "shipped" in response.json()["problems"][0]
    assert info(client)["name"] == "tiny"


def test_shipped_names_load_and_are_listed():
    names = shipped_scenarios()
    assert {"default", "expiring-disputes"} <= set(names)
    with asgi_client(make_sandbox(text=SCENARIO)) as c:
        loaded = c.post("/_sandbox/scenario", json={"name": "expiring-disputes"})
        assert loaded.status_code == 200 and loaded.json()["name"] == "expiring-disputes"


# -- 2. YAML limits before any work ----------------------------------------------------------------

def alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        (alias_bomb(), "--max-yaml-aliases"),
        ("a: &a [1, *a]\n", "recursive alias"),
        ("version: 1\nx: " + "[" * 40 + "]" * 40 + "\n", "--max-yaml-depth"),
        ("version: 1\n" + "#" * (1024 * 1024) + "\n", "--max-scenario-bytes"),
        ("version: 1\nproviders:\n  whop:\n    companies:\n" + "".join(
            f"      - {{id: biz_{i}, title: T, api_keys: [{{key: k{i}}}], generate: {{count: 2000000}}}}\n"
            for i in range(10)), "--max-records"),
    ],
)
def test_each_yaml_limit_is_a_400_naming_it_and_answers_fast(client, text, limit, monkeypatch):
    """Refused before any work: no provider builds anything (counted, not timed)."""
    assert len(text) < 2 * 1024 * 1024
    from sandbox.runtime import Sandbox

    builds: list[object] = []
    monkeypatch.setattr(Sandbox, "_build", lambda self, *a: builds.append(a) or pytest.fail("built"))
    response = client.post("/_sandbox/scenario", content=text.encode(), headers=YAML)
    assert builds == []
    assert response.status_code == 400, response.text[:300]
    assert any(limit in p for p in response.json()["problems"]), response.json()
    assert info(client)["name"] == "tiny"


def test_a_1kb_alias_bomb_is_refused_in_milliseconds():
    bomb = alias_bomb()
    assert len(bomb) < 1024
    started = time.monotonic()
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(bomb, "bomb.yaml", load_providers(["whop"]))
    assert time.monotonic() - started < 0.05
    assert re.match(r"bomb\.yaml:\d+: \(document\): aliases copy in \d+ nodes", caught.value.lines[0])


def test_limits_are_configurable_and_a_few_aliases_pass():
    text = SCENARIO + "x-defaults: &d {title: A}\n"
    small = ScenarioLimits(max_records=11)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(SCENARIO, "s.yaml", load_providers(["whop"]), small)
    assert caught.value.lines == [
        "s.yaml:12: providers.whop.companies[0].generate.count: "
        "the scenario generates more than 11 records in all (--max-records)"
    ]
    shared = "version: 1\nname: &n tiny\ndescription: *n\n"
    assert parse_scenario(shared, "s.yaml", []).description == "tiny"
    with pytest.raises(ScenarioError):  # an unknown key, not a limit
        parse_scenario(text, "s.yaml", load_providers(["whop"]))
    sandbox = make_sandbox(text=SCENARIO, providers=["whop"])
    with asgi_client(sandbox, settings=Settings(limits=small)) as c:
        refused = c.post("/_sandbox/scenario", content=SCENARIO.encode(), headers=YAML)
        assert refused.status_code == 400 and "--max-records" in refused.json()["problems"][0]


# -- 5. every control body validated before anything is stored -------------------------------------

@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"provider": "whop", "status": 500, "count": 1e300}, "count"),
        ({"provider": "whop", "status": 500, "count": 10**30}, "count"),
        ({"provider": "whop", "status": "500"}, "status"),
        ({"provider": "whop", "status": 200}, "status"),
        ({"provider": "whop", "status": 500, "retry_after": -1}, "retry_after"),
        ({"provider": "whop", "status": 500, "path": 5}, "path"),
        ({"provider": "whop", "status": 500, "colour": "red"}, "colour"),
        ({"provider": 1, "status": 500}, "provider"),
        ({"provider": "nope", "status": 500}, "provider"),
        ({}, "provider"),
    ],
)
def test_bad_fault_bodies_name_the_field_and_add_nothing(client, body, field):
    response = client.post("/_sandbox/faults", json=body)
    assert response.status_code == 400
    assert response.json()["error"].startswith(field) or f"{field}:" in response.json()["error"]
    assert client.get("/_sandbox/faults").json() == {"faults": []}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/_sandbox/clock/advance", {"seconds": 1e300}, "seconds"),
        ("/_sandbox/clock/advance", {"seconds": float("1e20")}, "seconds"),
        ("/_sandbox/clock/advance", {"seconds": True}, "seconds"),
        ("/_sandbox/clock/advance", {"seconds": -5}, "seconds"),
        ("/_sandbox/clock/advance", {"duration": "99999999999d"}, "duration"),
        ("/_sandbox/clock/advance", {"duration": "36601d"}, "duration"),
        ("/_sandbox/clock/advance", {"duration": 5}, "duration"),
        ("/_sandbox/clock/advance", {"seconds": 1, "duration": "1d"}, "duration"),
        ("/_sandbox/clock/set", {"now": "9999-12-31T23:59:59-23:59"}, "now"),
        ("/_sandbox/clock/set", {"now": "9999-12-31T00:00:00Z"}, "now"),
        ("/_sandbox/clock/set", {"now": 17}, "now"),
        ("/_sandbox/clock/set", {}, "now"),
    ],
)
def test_bad_clock_bodies_name_the_field_and_leave_the_clock(client, path, body, field):
    before = client.get("/_sandbox/clock").json()
    response = client.post(path, json=body)
    assert response.status_code == 400, response.text
    assert field in response.json()["error"]
    assert client.get("/_sandbox/clock").json() == before


def test_the_clock_cannot_be_pushed_past_its_last_instant(client):
    assert client.post("/_sandbox/clock/set", json={"now": "8999-12-31T00:00:00Z"}).status_code == 200
    refused = client.post("/_sandbox/clock/advance", json={"duration": "2d"})
    assert refused.status_code == 400 and "duration" in refused.json()["error"]
    assert client.get("/_sandbox/clock").json() == {"now": "8999-12-31T00:00:00.000Z"}


@pytest.mark.parametrize("body", [{"name": "default", "seed": 1e300}, {"name": "default", "seed": -1},
                                  {"name": "default", "seed": 2**64}, {"name": 5}, {"name": "default", "x": 1}])
def test_bad_load_bodies_name_the_field_and_keep_the_scenario(client, body):
    response = client.post("/_sandbox/scenario", json=body)
    assert response.status_code == 400
    assert list(body)[-1] in response.json()["error"]
    assert info(client)["name"] == "tiny" and info(client)["seed"] == 5


def test_a_huge_seed_in_yaml_is_a_problem(client):
    response = client.post("/_sandbox/scenario", content=SCENARIO.replace("seed: 5", "seed: 1e300").encode())
    assert response.status_code == 400 and "seed" in response.json()["problems"][0]
    huge = client.post("/_sandbox/scenario", content=SCENARIO.replace("seed: 5", f"seed: {2**70}").encode())
    assert huge.status_code == 400 and "seed" in huge.json()["problems"][0]
    assert info(client)["seed"] == 5


@pytest.mark.parametrize("when", ["+99999999999d", "9999-12-31T23:59:59-23:59", "+36601d", "0001-01-01T00:00:00Z"])
def test_scenario_times_that_would_overflow_are_problems(client, when):
    text = SCENARIO.replace('start: "2026-02-01T00:00:00Z"', f'start: "{when}"')
    response = client.post("/_sandbox/scenario", content=text.encode(), headers=YAML)
    assert response.status_code == 400 and "clock.start" in response.json()["problems"][0]
    assert info(client)["name"] == "tiny"


@pytest.mark.parametrize("key", [p.key for p in load_providers()])
@pytest.mark.parametrize("status", [402, 409, 413, 418, 451, 502, 504, 599])
def test_a_forced_fault_answers_its_own_status_in_the_providers_shape(key, status):
    provider = next(p for p in load_providers() if p.key == key)
    sandbox = make_sandbox("default")
    with asgi_client(sandbox) as c:
        bodies = [bytes(provider.fault_response(code, 1).body) for code in (400, 401, 403, 404, 429, 500)]
        own = [set(_json(body)) for body in bodies if body]  # Riverty's 403 has no body
        assert c.post("/_sandbox/faults", json={"provider": key, "status": status}).status_code == 201
        response = c.get(provider.prefix + "/anything")
        assert response.status_code == status
        assert set(response.json()) in own
        assert c.get("/_sandbox/faults").json() == {"faults": []}


def _json(body: bytes) -> dict:
    import orjson

    return orjson.loads(body)


# -- 6. no silent wrong answers -------------------------------------------------------------------

@pytest.mark.parametrize("content_type", [None, "application/x-www-form-urlencoded", "text/plain"])
def test_a_json_name_body_without_a_json_content_type_loads_that_scenario(full, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = full.post("/_sandbox/scenario", content=b'{"name": "expiring-disputes"}', headers=headers)
    assert response.status_code == 200
    assert response.json()["name"] == "expiring-disputes"
    assert response.json()["providers"]["whop"]["tenants"][0]["id"] == "biz_ExpiringDemo1"


@pytest.mark.parametrize(
    ("content", "headers"),
    [(b"", {}), (b"  \n", YAML), (b"# only a comment\n", YAML), (b'{"name": ""}', {}),
     (b'{"name": ""}', {"content-type": "application/json"}), (b'{"name": "nope"}', {}),
     (b"[1, 2]", {"content-type": "application/json"}), (b"\xff\xfe", YAML)],
)
def test_empty_unknown_and_blank_loads_are_400(client, content, headers):
    response = client.post("/_sandbox/scenario", content=content, headers=headers)
    assert response.status_code == 400
    assert "error" in response.json()
    assert info(client)["name"] == "tiny"


def test_a_webhook_for_an_unknown_tenant_is_refused_on_load(client):
    text = SCENARIO + "webhooks:\n  - {provider: whop, tenant: biz_Nobody, url: 'http://127.0.0.1:9/hook'}\n"
    response = client.post("/_sandbox/scenario", content=text.encode(), headers=YAML)
    assert response.status_code == 400
    assert response.json()["problems"] == [
        "<request>:14: webhooks[0].tenant: unknown whop tenant 'biz_Nobody' (known: biz_A)"
    ]
    assert info(client)["name"] == "tiny"
    assert client.get("/_sandbox/webhooks").json() == {"subscriptions": []}


def test_events_for_an_unknown_provider_is_400(client):
    response = client.get("/_sandbox/events", params={"provider": "nope"})
    assert response.status_code == 400 and "nope" in response.json()["error"]
    assert client.get("/_sandbox/events", params={"provider": "whop"}).status_code == 200


def test_the_readme_scenario_example_loads_as_it_says():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## Scenarios\n\n```yaml\n(.*?)```", readme, re.S)
    assert block is not None
    sandbox = make_sandbox(text=block.group(1), providers=["whop"])
    with asgi_client(sandbox) as c:
        headers = {"Authorization": "Bearer my_key"}
        case = c.get("/whop/api/v1/resolution_center_cases/reso_Mine", headers=headers).json()
        assert case["status"] == "merchant_response_needed"  # what the example writes
        assert c.get("/_sandbox/events", params={"id": "reso_Mine"}).json() == {"events": []}
        c.post("/_sandbox/clock/advance", json={"duration": "1d"})  # the timeline's customer reply
        case = c.get("/whop/api/v1/resolution_center_cases/reso_Mine", headers=headers).json()
        assert case["status"] == "merchant_response_needed"


def test_the_server_seed_applies_to_posted_scenarios_unless_the_body_names_one():
    sandbox = make_sandbox(text=SCENARIO, seed=99)
    with asgi_client(sandbox, settings=Settings(seed=99)) as c:
        assert info(c)["seed"] == 99
        assert c.post("/_sandbox/scenario", content=SCENARIO.encode(), headers=YAML).json()["seed"] == 99
        named = c.post("/_sandbox/scenario", json={"name": "expiring-disputes", "seed": 3}).json()
        assert named["seed"] == 3
        assert c.post("/_sandbox/scenario", json={"name": "expiring-disputes"}).json()["seed"] == 99
        c.post("/_sandbox/reset")
        assert info(c)["seed"] == 99
