"""The `/_sandbox` contract from DESIGN.md: health, scenario, load, reset, clock, events, faults."""

from __future__ import annotations

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
URL = "/whop/api/v1/resolution_center_cases"
H = {"Authorization": "Bearer k"}


def test_health_and_scenario(sandbox_from):
    _, client = sandbox_from(SCENARIO, ["whop"])
    assert client.get("/_sandbox/health").json() == {"status": "ok"}
    info = client.get("/_sandbox/scenario").json()
    assert info["name"] == "tiny" and info["seed"] == 5
    assert info["now"] == "2026-02-01T00:00:00.000Z"
    whop = info["providers"]["whop"]
    assert whop["base_path"] == "/whop/api/v1"
    assert whop["tenants"][0]["id"] == "biz_A"
    assert whop["tenants"][0]["credentials"] == [
        {"header": "Authorization", "value": "Bearer k", "scopes": ["payment:resolution_center_case:read"]}
    ]


def test_bad_scenario_post_lists_problems_and_keeps_state(sandbox_from):
    _, client = sandbox_from(SCENARIO, ["whop"])
    before = client.get(URL, headers=H).content
    bad = SCENARIO.replace("count: 12", "count: -1").replace("seed: 5", "seed: 5\nbogus: 1")
    response = client.post("/_sandbox/scenario", content=bad, headers={"content-type": "application/yaml"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid scenario"
    assert any("bogus: unknown key" in p for p in body["problems"])
    assert any("generate.count" in p for p in body["problems"])
    assert client.get(URL, headers=H).content == before


def test_loading_a_new_scenario_replaces_state(sandbox_from):
    _, client = sandbox_from(SCENARIO, ["whop"])
    response = client.post("/_sandbox/scenario", content=SCENARIO.replace("count: 12", "count: 3"))
    assert response.status_code == 200 and response.json()["name"] == "tiny"
    assert len(client.get(URL, headers=H).json()["data"]) == 3
    missing = client.post("/_sandbox/scenario", json={"name": "no-such-scenario"})
    assert missing.status_code == 400 and "no such file" in missing.json()["problems"][0]


def test_clock_routes_validate_input(sandbox_from):
    _, client = sandbox_from(SCENARIO, ["whop"])
    assert client.post("/_sandbox/clock/advance", json={"duration": "3d12h"}).json()["now"] == "2026-02-04T12:00:00.000Z"
    for body in ({}, {"duration": "soon"}, {"seconds": "ten"}):
        response = client.post("/_sandbox/clock/advance", json=body)
        assert response.status_code == 400 and "error" in response.json()
    assert client.post("/_sandbox/clock/advance", content=b"{not json").status_code == 400
    assert client.post("/_sandbox/clock/set", json={"now": "not a time"}).status_code == 400
    moved = client.post("/_sandbox/clock/set", json={"now": "2026-03-01T00:00:00+01:00"})
    assert moved.json()["now"] == "2026-02-28T23:00:00.000Z"


def test_faults_validate_and_apply(sandbox_from):
    _, client = sandbox_from(SCENARIO, ["whop"])
    assert client.post("/_sandbox/faults", json={"provider": "nope", "status": 500}).status_code == 400
    assert client.post("/_sandbox/faults", json={"provider": "whop", "status": 200}).status_code == 400
    assert client.post("/_sandbox/faults", json={"status": 500}).status_code == 400
    added = client.post("/_sandbox/faults", json={"provider": "whop", "status": 500, "path": "/reso_"})
    assert added.status_code == 201
    assert client.get(URL, headers=H).status_code == 200  # path does not match
    failed = client.get(URL + "/reso_x", headers=H)
    assert failed.status_code == 500
    assert failed.json() == {"error": {"type": "internal_server_error", "message": "An unexpected error occurred"}}
    assert client.get(URL + "/reso_x", headers=H).status_code == 404


def test_unknown_control_route_is_json(sandbox_from):
    _, client = sandbox_from(SCENARIO, ["whop"])
    response = client.get("/_sandbox/nothing")
    assert response.status_code == 404 and "error" in response.json()
    assert client.get("/nowhere").json()["error"].startswith("no route")


def test_events_filter_by_provider_id_and_since(sandbox_from):
    sandbox, client = sandbox_from(SCENARIO, ["whop"])
    case_ids = [c.id for c in sandbox.state("whop").cases][:2]
    for case_id in case_ids:
        client.post(f"/_sandbox/whop/cases/{case_id}/resolve", json={"outcome": "merchant_won"})
    every = client.get("/_sandbox/events").json()["events"]
    assert {e["object_id"] for e in every} == set(case_ids)
    assert client.get("/_sandbox/events", params={"provider": "shoplazza"}).json() == {"events": []}
    one = client.get("/_sandbox/events", params={"provider": "whop", "id": case_ids[0]}).json()["events"]
    assert one and all(e["object_id"] == case_ids[0] for e in one)
    later = client.get("/_sandbox/events", params={"since": every[0]["seq"]}).json()["events"]
    assert [e["seq"] for e in later] == [e["seq"] for e in every[1:]]
    assert client.get("/_sandbox/events", params={"since": "x"}).status_code == 400


def test_every_flag_reads_its_environment_variable(monkeypatch):
    from sandbox.cli import build_parser

    for name, value in {"HOST": "0.0.0.0", "PORT": "9123", "SCENARIO": "/s/x.yaml", "SEED": "7", "CLOCK": "speed=60"}.items():
        monkeypatch.setenv(f"SANDBOX_{name}", value)
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.scenario, args.seed, args.clock) == ("0.0.0.0", 9123, "/s/x.yaml", 7, "speed=60")
    assert build_parser().parse_args(["serve", "--port", "1"]).port == 1  # a flag beats its variable
