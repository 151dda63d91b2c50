"""Pandabase's share of the hardening: control bodies validated before anything is stored, forced
faults of every status in the V2 envelope, the core's catch-all answering as Fastify does, and a
timeline action refused when it falls due showing as an event and a log line."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.scenario import ScenarioError, parse_scenario

from .conftest import RW, SCENARIO

CONTROL = "/_sandbox/pandabase"
DISPUTES_SCENARIO = SCENARIO.replace(
    f"secret: {RW}, id: stk_alpha_hmac_token01, scopes: [CASES_READ, CASES_WRITE]",
    f"secret: {RW}, id: stk_alpha_hmac_token01, scopes: [CASES_READ, CASES_WRITE, DISPUTES_READ, DISPUTES_WRITE, "
    "WEBHOOKS_READ, WEBHOOKS_WRITE]",
).replace("        generate:\n          count: 57", "        generate:\n          count: 57\n"
          "        disputes: [{id: dsp_fuzzdispute0000000001}]")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("stores/{store}/cases", {"email": 123}, "email"),
        ("stores/{store}/cases", {"subject": ["x"]}, "subject"),
        ("stores/{store}/cases", {"body": ""}, "body"),
        ("stores/{store}/cases", {"priority": "MEH"}, "priority"),
        ("stores/{store}/cases", {"attachments": [{"sizeBytes": "big"}]}, "attachments.0.sizeBytes"),
        ("stores/{store}/cases", {"attachments": [{}] * 6}, "attachments"),
        ("stores/{store}/cases", {"colour": "red"}, "colour"),
        ("cases/{case}/customer-reply", {"body": 123}, "body"),
        ("cases/{case}/staff-reply", {"message": {"a": 1}}, "message"),
        ("cases/{case}/set-status", {"status": "AWAITING_MERCHANT"}, "status"),
        ("cases/{case}/set-status", {}, "give status and/or priority"),
        ("cases/{case}/close", {"by": "ROBOT"}, "by"),
        ("cases/{case}/dispute", {"reason": 5}, "reason"),
    ],
)
def test_bad_control_bodies_are_400_naming_the_field_and_store_nothing(api, path, body, field):
    before_list = api.get(api.BASE + "?limit=100").json()
    before_case = api.get(f"{api.BASE}/{api.CASE}").json()
    response = api.client.post(f"{CONTROL}/" + path.format(store=api.STORE, case=api.CASE), json=body)
    assert response.status_code == 400, response.text
    assert field in response.json()["error"]
    assert api.get(api.BASE + "?limit=100").json() == before_list  # the list is still readable, unchanged
    assert api.get(f"{api.BASE}/{api.CASE}").json() == before_case
    assert api.client.get("/_sandbox/events?provider=pandabase").json()["events"] == []


def test_bad_dispute_control_bodies_are_refused(api):
    api.client.post(f"{CONTROL}/cases/{api.CASE}/dispute", json={})
    [dispute] = api.client.get(f"{CONTROL}/disputes").json()["disputes"]
    for body in ({"outcome": 1}, {"outcome": "MAYBE"}, {}, {"outcome": "WON", "extra": 1}):
        response = api.client.post(f"{CONTROL}/disputes/{dispute['id']}/resolve", json=body)
        assert response.status_code == 400, body
    assert api.client.post(f"{CONTROL}/disputes/{dispute['id']}/evidence", json={"access_activity_log": 1}).status_code == 400
    assert api.client.post(f"{CONTROL}/disputes/{dispute['id']}/nope", json={}).status_code == 404
    assert api.client.post(f"{CONTROL}/disputes/dsp_nosuchdispute0000001/resolve", json={"outcome": "WON"}).status_code == 404
    assert api.client.post(f"{CONTROL}/disputes/{dispute['id']}/resolve", content=b"[1]").status_code == 400
    assert api.client.get(f"{CONTROL}/disputes").json()["disputes"][0]["status"] == "AWAITING_REVIEW"
    evidence = api.client.post(f"{CONTROL}/disputes/{dispute['id']}/evidence", json={"access_activity_log": "ok"})
    assert evidence.json()["status"] == "UNDER_REVIEW"


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 409, 413, 415, 418, 422, 429, 451, 499, 500, 501, 502, 503, 504, 599])
def test_forced_faults_keep_their_status_in_the_v2_envelope(api, status):
    added = api.client.post("/_sandbox/faults", json={"provider": "pandabase", "status": status, "retry_after": 2})
    assert added.status_code == 201
    response = api.get(api.BASE)
    assert response.status_code == status
    body = response.json()
    assert list(body) == ["ok", "error"] and body["ok"] is False and isinstance(body["error"], str) and body["error"]
    for header in ("x-request-id", "x-version", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-ratelimit-type"):
        assert header in response.headers
    assert (response.headers.get("retry-after") == "2") == (status == 429)
    assert api.get(api.BASE).status_code == 200  # spent


@pytest.mark.parametrize(("method", "path"), [("GET", "/v2/core/nope"), ("DELETE", "/v2/core/stores/{store}/cases"),
                                              ("PUT", "/v2/core/stores/{store}/disputes/dsp_x0000000000001"),
                                              ("POST", "/v2/core/stores/{store}/webhooks/whk_x0000000000001")])
def test_unknown_paths_and_methods_get_fastifys_404_with_the_common_headers(api, method, path):
    path = path.format(store=api.STORE)
    response = api.client.request(method, "/pandabase" + path + "?a=1", headers=api.headers())
    assert (response.status_code, response.json()) == (404, {"ok": False, "error": f"Route {method}:{path}?a=1 not found"})
    assert response.headers["x-version"] == "2026/03/09-v2" and "x-request-id" in response.headers
    hosted = api.client.request(method, path, headers={**api.headers(), "host": "api.pandabase.io"})
    assert hosted.json() == {"ok": False, "error": f"Route {method}:{path} not found"}


def test_a_timeline_action_refused_when_due_is_an_event_and_a_log_line(api, make_api, caplog):
    text = api.SCENARIO + f"""    timeline:
      - {{at: "+1h", id: {api.CLOSED_CASE}, action: merchant_reply, data: {{body: "Too late"}}}}
      - {{at: "+2h", id: {api.CASE}, action: open_dispute}}
      - {{at: "+3h", id: {api.CASE}, action: open_dispute}}
"""
    timed = make_api(text)
    with caplog.at_level(logging.WARNING, logger="sandbox"):
        events = timed.advance("4h")["events"]
    refused = [e for e in events if e["type"] == "sandbox.timeline_refused"]
    assert [(e["object_id"], e["data"]["action"]) for e in refused] == [
        (api.CLOSED_CASE, "merchant_reply"), (api.CASE, "open_dispute")]
    assert refused[0]["data"]["reason"] == "Cannot send messages on a closed case — reopen it first"
    assert "already disputed" in refused[1]["data"]["reason"]
    assert refused[0]["tenant"] == api.STORE
    assert sum("timeline merchant_reply" in r.getMessage() for r in caplog.records) == 1
    assert [e["type"] for e in events].count("PAYMENT_DISPUTED") == 1


def test_timeline_data_is_validated_at_load(api):
    from sandbox.providers.pandabase import provider

    text = api.SCENARIO + f"""    timeline:
      - {{at: "+1h", id: {api.CASE}, action: customer_reply, data: {{body: 123}}}}
      - {{at: "+1h", id: {api.CASE}, action: resolve_dispute, data: {{outcome: MAYBE}}}}
"""
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "t.yaml", [provider])
    lines = "\n".join(info.value.lines)
    assert "timeline[0].data.body" in lines and "timeline[1].data.outcome" in lines


def test_dispute_scenario_problems_name_the_path(api):
    from sandbox.providers.pandabase import provider

    text = api.SCENARIO.replace(
        "        generate:\n          count: 57",
        "        generate:\n          count: 57\n        disputes:\n"
        "          - {id: dsp_a00000000000000001, status: AWAITING_REVIEW, evidence: x}\n"
        "          - {id: dsp_a00000000000000001, case: cse_nosuchcase0000000001}\n"
        "          - {status: AWAITING_REVIEW, created_at: -8d}\n"
        "          - {status: UNDER_REVIEW, amount: 5}\n",
    )
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "t.yaml", [provider])
    lines = "\n".join(info.value.lines)
    assert "disputes[3].amount: unknown key 'amount'" in lines
    text = text.replace("          - {status: UNDER_REVIEW, amount: 5}\n", "          - {status: UNDER_REVIEW}\n")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "t.yaml", [provider])
    lines = "\n".join(info.value.lines)
    for expected in ("disputes[0].evidence: evidence moves a dispute to UNDER_REVIEW",
                     "disputes[1].id: duplicate dispute id", "disputes[1].case: no hand-written case",
                     "disputes[2].created_at: the evidence window", "disputes[3].evidence: an UNDER_REVIEW dispute has evidence"):
        assert expected in lines, expected


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
FIELDS = ("access_activity_log", "url", "eventTypes", "note", "isEnabled", "signatureVersion", "outcome", "reason",
          "body", "email", "subject", "priority", "status", "orderId", "attachments", "by")


@pytest.fixture
def fuzzed(make_api):
    api = make_api(DISPUTES_SCENARIO)
    made = api.client.post(f"/pandabase/v2/core/stores/{api.STORE}/webhooks", headers=api.headers(),
                           json={"url": "https://127.0.0.1/h", "eventTypes": ["PAYMENT_DISPUTED"]})
    return api, made.json()["data"]["id"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    target=st.sampled_from(("evidence", "webhooks", "webhook", "resolve", "open-case", "reply")),
    body=st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=4) | JSON_VALUES,
)
def test_no_body_on_a_new_route_or_control_is_a_500(fuzzed, target, body):
    """One sandbox for every example (hypothesis shares the fixture): writes that pass accumulate."""
    api, hook = fuzzed
    store = f"/pandabase/v2/core/stores/{api.STORE}"
    before = api.get(f"{store}/disputes/{DISPUTE}").json()
    path, method, via_api = {
        "evidence": (f"{store}/disputes/{DISPUTE}/evidence", "POST", True),
        "webhooks": (f"{store}/webhooks", "POST", True),
        "webhook": (f"{store}/webhooks/{hook}", "PATCH", True),
        "resolve": (f"{CONTROL}/disputes/{DISPUTE}/resolve", "POST", False),
        "open-case": (f"{CONTROL}/stores/{api.STORE}/cases", "POST", False),
        "reply": (f"{CONTROL}/cases/{api.CASE}/customer-reply", "POST", False),
    }[target]
    response = api.client.request(method, path, json=body, headers=api.headers() if via_api else {})
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert api.get(f"{store}/disputes/{DISPUTE}").json() == before
    assert api.get(f"{store}/disputes?limit=100").status_code == 200
    assert api.get(f"{store}/webhooks").status_code == 200
    assert api.get(api.BASE + "?limit=100").status_code == 200


DISPUTE = "dsp_fuzzdispute0000000001"
