"""Pandabase disputes through the Store API: golden shapes from the documented examples, auth and
scopes, filters and paging (hypothesis), evidence once within the window, the lapse, the order's
CHARGEBACK status and the dispute webhooks' payloads agreeing with what the endpoints show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.providers.pandabase.wire import DisputeDetailResponse, DisputeListResponse, ErrorResponse
from sandbox.testing import asgi_client, make_sandbox, shipped_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pandabase"
STORE = "shp_kxw5h7n4tr3bcfp2v8q1mzj0"
OTHER = "shp_m3nq8r2vt6wy0zb4dc7fg1hj"
EXAMPLE = "dsp_8h0r1n4tzcbfp2v8q1mzwxj5"
BASE = f"/pandabase/v2/core/stores/{STORE}/disputes"
RW = {"Authorization": "Bearer sk_disputes_rw"}
RO = {"Authorization": "Bearer sk_disputes_ro"}
CASES_ONLY = {"Authorization": "Bearer sk_cases_only"}
STATUSES = ("AWAITING_REVIEW", "UNDER_REVIEW", "WON", "LOST", "PREVENTED")

SCENARIO = f"""
version: 1
seed: 11
clock: {{start: "2026-05-14T09:12:00Z"}}
providers:
  pandabase:
    rate_limits: {{per_second: 0, replies_per_minute: 0}}
    stores:
      - id: {STORE}
        name: Alpha
        tokens:
          - {{secret: sk_disputes_rw, scopes: [DISPUTES_READ, DISPUTES_WRITE]}}
          - {{secret: sk_disputes_ro, scopes: [DISPUTES_READ]}}
          - {{secret: sk_cases_only, scopes: [CASES_READ, CASES_WRITE]}}
        cases:
          - id: cse_disputedcase0000000001
            status: AWAITING_MERCHANT
            order: {{id: ord_casedorder00000000001, amount: 1500, currency: EUR}}
        disputes:
          - id: {EXAMPLE}
            reason: FRAUDULENT
            created_at: now
            total_amount: 2920
            customer: {{id: cus_j8h0r1n4tzcbfp2v8q1mzwx5, email: buyer@example.com, first_name: Alex, last_name: Doe}}
            order: {{id: ord_p2v8q1mzj0kxw5h7n4tr3bcf, order_number: cs_abcdef0123456789, amount: 2900, currency: USD}}
          - {{id: dsp_onthecase0000000000001, case: cse_disputedcase0000000001, created_at: -2d, reason: GENERAL}}
          - {{id: dsp_underreview0000000001, status: UNDER_REVIEW, created_at: -3d, evidence: "Logged in daily."}}
          - {{id: dsp_won00000000000000001, status: WON, created_at: -20d, updated_at: -5d}}
          - {{id: dsp_prevented0000000001, status: PREVENTED, created_at: -9d}}
        generate_disputes: {{count: 37}}
      - id: {OTHER}
        name: Beta
        tokens: [{{secret: sk_beta, scopes: [DISPUTES_READ]}}]
        disputes: [{{id: dsp_otherstore00000000001}}]
"""


@pytest.fixture
def client():
    with asgi_client(make_sandbox(text=SCENARIO, providers=["pandabase"])) as client:
        yield client


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def items(client, **query) -> list[dict]:
    response = client.get(BASE, params=query, headers=RW)
    assert response.status_code == 200, response.text
    return response.json()["data"]["items"]


# -- golden ---------------------------------------------------------------------------------------


def test_documented_examples_validate_against_the_wire_models():
    for name, model in (("dispute_list_example.json", DisputeListResponse), ("dispute_detail_example.json", DisputeDetailResponse),
                        ("dispute_evidence_example.json", DisputeDetailResponse)):
        example = fixture(name)
        assert model.model_validate(example).model_dump(mode="json") == example  # same fields, same order
    broken = fixture("dispute_list_example.json")
    broken["data"]["items"][0]["status"] = "OPEN"
    with pytest.raises(ValueError):
        DisputeListResponse.model_validate(broken)


def test_the_example_dispute_is_served_exactly_as_documented(client):
    detail = client.get(f"{BASE}/{EXAMPLE}", headers=RW)
    assert detail.status_code == 200
    assert detail.json() == fixture("dispute_detail_example.json")
    listed = client.get(BASE, params={"limit": 1}, headers=RW).json()  # newest first: the example
    assert listed["data"]["items"] == fixture("dispute_list_example.json")["data"]["items"]
    assert list(listed["data"]["pagination"]) == ["page", "limit", "total", "totalPages"]
    log = fixture("dispute_evidence_example.json")["data"]["evidence"]["access_activity_log"]
    sent = client.post(f"{BASE}/{EXAMPLE}/evidence", json={"access_activity_log": log}, headers=RW)
    assert sent.status_code == 200
    assert sent.json() == fixture("dispute_evidence_example.json")


# -- auth, scopes, errors --------------------------------------------------------------------------


def test_auth_scopes_and_other_stores(client):
    assert client.get(BASE).status_code == 401
    assert client.get(BASE, headers={"Authorization": "Bearer sk_nope"}).json() == {"ok": False, "error": "Invalid API token"}
    refused = client.get(BASE, headers=CASES_ONLY)
    assert (refused.status_code, refused.json()["error"]) == (403, "Missing required permissions: DISPUTES_READ")
    assert refused.headers["x-request-id"] and refused.headers["x-version"] == "2026/03/09-v2"
    write = client.post(f"{BASE}/{EXAMPLE}/evidence", json={"access_activity_log": "x"}, headers=RO)
    assert (write.status_code, write.json()["error"]) == (403, "Missing required permissions: DISPUTES_WRITE")
    assert client.get(f"{BASE}/{EXAMPLE}", headers=RO).json()["data"]["status"] == "AWAITING_REVIEW"  # nothing stored
    other = client.get(f"/pandabase/v2/core/stores/{OTHER}/disputes", headers=RW)
    assert other.status_code == 403
    missing = client.get(f"{BASE}/dsp_otherstore00000000001", headers=RW)  # another store's: not found
    assert (missing.status_code, missing.json()) == (404, {"ok": False, "error": "Dispute not found"})
    ErrorResponse.model_validate(missing.json())
    assert client.get(f"{BASE}/short", headers=RW).json()["error"] == "params/disputeId must NOT have fewer than 12 characters"


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"limit": "101"}, "querystring/limit must be <= 100"),
        ({"limit": "0"}, "querystring/limit must be >= 1"),
        ({"page": "x"}, "querystring/page must be integer"),
        ({"status": "OPEN"}, "querystring/status must be equal to one of the allowed values"),
        ({"sort": "up"}, "querystring/sort must be equal to one of the allowed values"),
        ({"needsEvidence": "yes"}, "querystring/needsEvidence must be boolean"),
        ({"needsEvidence": "1"}, "querystring/needsEvidence must be boolean"),
        ({"page": "9" * 40}, "querystring/page must be <= 9007199254740991"),
    ],
)
def test_bad_queries_are_400_in_fastify_words(client, query, error):
    response = client.get(BASE, params=query, headers=RW)
    assert (response.status_code, response.json()) == (400, {"ok": False, "error": error})


def test_idempotency_key_is_checked_and_ignored(client):
    assert client.get(BASE, headers={**RW, "idempotency-key": "short"}).status_code == 400
    assert client.get(BASE, headers={**RW, "idempotency-key": "long-enough-key"}).status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type", "status", "error"),
    [
        (b"", "application/json", 400, "Body cannot be empty when content-type is set to 'application/json'"),
        (b"{", "application/json", 400, "Body is not valid JSON but content-type is set to 'application/json'"),
        (b"[]", "application/json", 400, "body must be object"),
        (b"{}", "application/json", 400, "body must have required property 'access_activity_log'"),
        (b'{"access_activity_log": ""}', "application/json", 400, "body/access_activity_log must NOT have fewer than 1 characters"),
        (b'{"access_activity_log": {"a": 1}}', "application/json", 400, "body/access_activity_log must be string"),
        (json.dumps({"access_activity_log": "x" * 20001}).encode(), "application/json", 400,
         "body/access_activity_log must NOT have more than 20000 characters"),
        (b"log=1", "text/plain", 415, "Unsupported Media Type: text/plain"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_stored(client, body, content_type, status, error):
    response = client.post(f"{BASE}/{EXAMPLE}/evidence", content=body, headers={**RW, "content-type": content_type})
    assert (response.status_code, response.json()) == (status, {"ok": False, "error": error})
    after = client.get(f"{BASE}/{EXAMPLE}", headers=RW).json()["data"]
    assert (after["status"], after["evidence"]) == ("AWAITING_REVIEW", None)


def test_unknown_dispute_evidence_is_404(client):
    response = client.post(f"{BASE}/dsp_nosuchdispute000000001/evidence", json={"access_activity_log": "x"}, headers=RW)
    assert (response.status_code, response.json()["error"]) == (404, "Dispute not found")


# -- evidence, lapse, outcomes ---------------------------------------------------------------------


def test_evidence_once_within_the_window_cancels_the_lapse(client):
    sent = client.post(f"{BASE}/{EXAMPLE}/evidence", json={"access_activity_log": "Used it daily."}, headers=RW)
    assert sent.json()["data"]["status"] == "UNDER_REVIEW"
    again = client.post(f"{BASE}/{EXAMPLE}/evidence", json={"access_activity_log": "More."}, headers=RW)
    assert (again.status_code, again.json()["error"]) == (400, "Evidence has already been submitted for this dispute")
    events = client.post("/_sandbox/clock/advance", json={"duration": "30d"}).json()["events"]
    assert not [e for e in events if e["object_id"] == EXAMPLE]  # the lapse was cancelled
    detail = client.get(f"{BASE}/{EXAMPLE}", headers=RW).json()["data"]
    assert (detail["status"], detail["evidence"]) == ("UNDER_REVIEW", {"access_activity_log": "Used it daily."})


def test_without_evidence_the_dispute_is_lost_at_seven_days_and_evidence_is_then_refused(client):
    events = client.post("/_sandbox/clock/advance", json={"duration": "6d23h59m59s"}).json()["events"]
    assert not [e for e in events if e["object_id"] == EXAMPLE]
    events = client.post("/_sandbox/clock/advance", json={"seconds": 1}).json()["events"]
    assert [(e["type"], e["at"]) for e in events if e["object_id"] == EXAMPLE] == [
        ("PAYMENT_DISPUTE_LOST", "2026-05-21T09:12:00.000Z")
    ]
    detail = client.get(f"{BASE}/{EXAMPLE}", headers=RW).json()["data"]
    assert (detail["status"], detail["updatedAt"], detail["order"]["status"]) == ("LOST", "2026-05-21T09:12:00.000Z", "CHARGEBACK")
    late = client.post(f"{BASE}/{EXAMPLE}/evidence", json={"access_activity_log": "late"}, headers=RW)
    assert (late.status_code, late.json()["error"]) == (400, "The evidence window for this dispute has closed")
    assert EXAMPLE not in [i["id"] for i in items(client, needsEvidence="true", limit=100)]


def test_evidence_on_a_decided_dispute_is_refused(client):
    for dispute in ("dsp_won00000000000000001", "dsp_prevented0000000001"):
        response = client.post(f"{BASE}/{dispute}/evidence", json={"access_activity_log": "x"}, headers=RW)
        assert response.status_code == 400, dispute
    response = client.post(f"{BASE}/dsp_underreview0000000001/evidence", json={"access_activity_log": "x"}, headers=RW)
    assert response.json()["error"] == "Evidence has already been submitted for this dispute"


def test_order_status_and_webhook_payloads_follow_the_dispute(client):
    """The case on a disputed order shows CHARGEBACK; a win returns it to COMPLETED, and each
    PAYMENT_DISPUTE_* event carries the order as the endpoints show it at that moment."""
    case = client.get(f"/pandabase/v2/core/stores/{STORE}/cases/cse_disputedcase0000000001", headers=CASES_ONLY).json()
    assert case["data"]["order"]["status"] == "CHARGEBACK"
    dispute = client.get(f"{BASE}/dsp_onthecase0000000000001", headers=RW).json()["data"]
    assert (dispute["order"]["id"], dispute["amount"], dispute["fee"], dispute["order"]["currency"]) == (
        "ord_casedorder00000000001", 1500, 2000, "EUR")
    won = client.post("/_sandbox/pandabase/disputes/dsp_onthecase0000000000001/resolve", json={"outcome": "won"})
    assert won.status_code == 200 and won.json()["status"] == "WON"
    detail = client.get(f"{BASE}/dsp_onthecase0000000000001", headers=RW).json()["data"]
    assert (detail["status"], detail["order"]["status"]) == ("WON", "COMPLETED")
    case = client.get(f"/pandabase/v2/core/stores/{STORE}/cases/cse_disputedcase0000000001", headers=CASES_ONLY).json()
    assert case["data"]["order"]["status"] == "COMPLETED"
    event = client.get("/_sandbox/events?provider=pandabase&id=dsp_onthecase0000000000001").json()["events"][-1]
    assert (event["type"], event["data"]["order"]["status"], event["data"]["disputeStatus"]) == ("PAYMENT_DISPUTE_WON", "COMPLETED", "WON")
    prevented = client.post(f"/_sandbox/pandabase/disputes/{EXAMPLE}/resolve", json={"outcome": "PREVENTED"}).json()
    assert prevented["fee"] == 3000 and prevented["order"]["status"] == "CHARGEBACK"


def test_a_dispute_opened_on_a_case_appears_in_the_api(client):
    opened = client.post("/_sandbox/pandabase/cases/cse_disputedcase0000000001/dispute", json={"reason": "FRAUDULENT"})
    assert opened.status_code == 400  # that order is disputed already
    assert "already disputed" in opened.json()["error"]


# -- listing properties ----------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    limit=st.integers(1, 12),
    status=st.sampled_from((None, *STATUSES)),
    needs=st.sampled_from((None, "true", "false")),
    sort=st.sampled_from((None, "asc", "desc")),
)
def test_every_dispute_once_across_pages_and_filters_hold(client, limit, status, needs, sort):
    query = {k: v for k, v in (("status", status), ("needsEvidence", needs), ("sort", sort), ("limit", limit)) if v}
    seen, page = [], 1
    while True:
        data = client.get(BASE, params={**query, "page": page}, headers=RW).json()["data"]
        for item in data["items"]:
            assert status is None or item["status"] == status
            if needs is not None:
                assert (item["status"] == "AWAITING_REVIEW" and item["evidence"] is None) == (needs == "true")
        seen += data["items"]
        if page >= data["pagination"]["totalPages"]:
            break
        page += 1
    ids = [i["id"] for i in seen]
    assert len(ids) == len(set(ids)) == data["pagination"]["total"]
    created = [i["createdAt"] for i in seen]
    assert created == sorted(created, reverse=sort != "asc")
    everything = client.get(BASE, params={"limit": 100}, headers=RW).json()["data"]["items"]
    expected = {i["id"] for i in everything if status is None or i["status"] == status}
    if needs is not None:
        expected &= {i["id"] for i in everything if (i["status"] == "AWAITING_REVIEW") == (needs == "true")}
    assert set(ids) == expected


def test_a_page_past_the_end_is_empty_and_every_status_is_present(client):
    data = client.get(BASE, params={"page": 99}, headers=RW).json()["data"]
    assert data["items"] == [] and data["pagination"]["total"] == 42
    assert {i["status"] for i in items(client, limit=100)} == set(STATUSES)


def test_the_default_scenario_serves_disputes_in_every_status():
    with asgi_client(make_sandbox(text=shipped_text("default", ["pandabase"]), providers=["pandabase"])) as client:
        headers = {"Authorization": "Bearer sk_test_pixelforge_disputes_rw"}
        found = client.get(BASE, params={"limit": 100}, headers=headers).json()["data"]["items"]
        assert {i["status"] for i in found} == set(STATUSES)
        assert EXAMPLE in {i["id"] for i in found}


def test_loaded_disputes_are_consistent_and_no_deadline_has_passed():
    sandbox = make_sandbox(text=shipped_text("default", ["pandabase"]), providers=["pandabase"])
    state = sandbox.state("pandabase")
    assert sandbox.events.query() == []  # loading lapsed nothing
    disputes = list(state.disputes)
    assert len(disputes) == 35 and {d.status for d in disputes} == set(STATUSES)
    for d in disputes:
        order = state.orders[d.order_id]
        assert d.created_at <= d.updated_at <= sandbox.now()
        assert order.status == ("COMPLETED" if d.status == "WON" else "CHARGEBACK")
        assert (d.evidence is not None) if d.status == "UNDER_REVIEW" else True
        assert d.evidence is None if d.status in ("AWAITING_REVIEW", "PREVENTED") else True
        assert d.fee == (3000 if d.status == "PREVENTED" else 2000)
        assert d.amount == order.amount and d.total_amount >= d.amount
        if d.status == "AWAITING_REVIEW":
            assert d.evidence_due > sandbox.now()
    with asgi_client(sandbox) as client:
        tenants = client.get("/_sandbox/scenario").json()["providers"]["pandabase"]["tenants"]
        scopes = {s for c in tenants[0]["credentials"] for s in c["scopes"]}
        assert {"DISPUTES_READ", "DISPUTES_WRITE", "WEBHOOKS_READ", "WEBHOOKS_WRITE"} <= scopes


def test_reset_brings_back_the_same_disputes_byte_for_byte(client):
    first = client.get(BASE, params={"limit": 100}, headers=RW).content
    client.post(f"{BASE}/{EXAMPLE}/evidence", json={"access_activity_log": "x"}, headers=RW)
    client.post("/_sandbox/clock/advance", json={"duration": "8d"})
    assert client.get(BASE, params={"limit": 100}, headers=RW).content != first
    client.post("/_sandbox/reset")
    assert client.get(BASE, params={"limit": 100}, headers=RW).content == first


def test_timeline_submits_evidence_and_resolves_disputes():
    text = SCENARIO + f"""    timeline:
      - {{at: "+1h", id: {EXAMPLE}, action: submit_evidence, data: {{access_activity_log: "Seen daily."}}}}
      - {{at: "+2h", id: {EXAMPLE}, action: resolve_dispute, data: {{outcome: WON}}}}
      - {{at: "+3h", id: {EXAMPLE}, action: customer_reply}}
      - {{at: "+4h", id: dsp_underreview0000000001, action: resolve_dispute, data: {{outcome: LOST}}}}
"""
    with asgi_client(make_sandbox(text=text, providers=["pandabase"])) as client:
        events = client.post("/_sandbox/clock/advance", json={"duration": "5h"}).json()["events"]
        mine = [(e["type"], e["at"][11:16]) for e in events if e["object_id"] == EXAMPLE]
        assert mine == [("dispute.updated", "10:12"), ("PAYMENT_DISPUTE_WON", "11:12"), ("sandbox.timeline_refused", "12:12")]
        detail = client.get(f"{BASE}/{EXAMPLE}", headers=RW).json()["data"]
        assert (detail["status"], detail["evidence"], detail["order"]["status"]) == (
            "WON", {"access_activity_log": "Seen daily."}, "COMPLETED")
        lost = client.get(f"{BASE}/dsp_underreview0000000001", headers=RW).json()["data"]
        assert (lost["status"], lost["updatedAt"]) == ("LOST", "2026-05-14T13:12:00.000Z")
