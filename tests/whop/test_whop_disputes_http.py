"""Whop disputes over plain HTTP: controls, the clock, the legacy write paths at both version
families, webhooks per version pin, and bad input of every kind (Whop's shape, never a 500)."""

from __future__ import annotations

import json
import time

import pytest
from whop_sdk.lib.verify_webhook import unwrap

from sandbox.testing import WebhookReceiver, live_sandbox

SCENARIO = """
version: 1
seed: 5
clock: {start: "2026-11-26T12:00:00Z"}
providers:
  whop:
    rules: {dispute_evidence_window: 3d, dispute_decision_time: 5d}
    companies:
      - id: biz_A
        title: Alpha
        dispute_alert_auto_refund_threshold_usd: 50
        api_keys:
          - {key: k, permissions: [payment:resolution_center_case:read, payment:dispute:read, payment:dispute, payment:dispute_alert:read]}
          - {key: k_read, permissions: [payment:dispute:read]}
        cases:
          - {id: reso_Linked, status: merchant_response_needed, created_at: "-1d", total: 30}
        disputes:
          - {id: dspt_Open, status: needs_response, created_at: "-1d", amount: 20, currency: usd}
          - {id: dspt_Inq, status: warning_needs_response, created_at: "-1d"}
          - {id: dspt_Sub, status: under_review, created_at: "-2d", evidence_submitted_at: "-1d"}
        generate_disputes: {count: 30}
      - id: biz_B
        title: Beta
        api_keys: [{key: kb, permissions: [payment:dispute:read, payment:dispute]}]
        disputes:
          - {id: dspt_Theirs, status: needs_response}
"""
CURRENT = {"Authorization": "Bearer k", "Api-Version-Date": "2026-10-15-1"}
LEGACY = {"Authorization": "Bearer k", "Api-Version-Date": "2026-07-08-1"}
API = "/whop/api/v1"


@pytest.fixture
def env(sandbox_from):
    sandbox, client = sandbox_from(SCENARIO, providers=["whop"])
    return sandbox, client


def get(client, path, headers=CURRENT, **params):
    return client.get(API + path, headers=headers, params=params)


def advance(client, duration):
    response = client.post("/_sandbox/clock/advance", json={"duration": duration})
    assert response.status_code == 200
    return response.json()["events"]


# -- the clock ---------------------------------------------------------------------------------


def test_due_date_passes_then_the_processor_decides(env):
    _, client = env
    events = advance(client, "2d1m")  # created -1d, window 3d: due at +2d
    assert {"type": "dispute.updated", "object_id": "dspt_Open"} in [{k: e[k] for k in ("type", "object_id")} for e in events]
    body = get(client, "/disputes/dspt_Open").json()
    assert (body["status"], body["evidence_locked_reason"], body["acceptable"]) == ("under_review", "response_window_closed", False)
    assert body["updated_at"] == "2026-11-28T12:00:00.000Z"  # the deadline instant, not the clock's
    assert "dspt_Open" in [d["id"] for d in get(client, "/disputes", status="under_review", first=100).json()["data"]]
    inquiry = get(client, "/disputes/dspt_Inq").json()
    assert inquiry["status"] == "warning_closed"
    advance(client, "5d")
    assert get(client, "/disputes/dspt_Open").json()["status"] == "lost"  # no evidence sent: lost
    assert get(client, "/disputes/dspt_Sub").json()["status"] in ("won", "lost")


def _snapshot(client):
    return sorted(json.dumps(d, sort_keys=True) for d in get(client, "/disputes", first=100).json()["data"])


def test_one_big_advance_equals_many_small_ones(sandbox_from):
    _, big = sandbox_from(SCENARIO, providers=["whop"])
    _, small = sandbox_from(SCENARIO, providers=["whop"])
    advance(big, "12d")
    for _ in range(12 * 4):
        advance(small, "6h")
    assert _snapshot(big) == _snapshot(small)
    assert len(_snapshot(big)) == 33


def test_reset_is_byte_identical(env):
    _, client = env
    before = get(client, "/disputes", first=50).content
    client.post(API + "/disputes/dspt_Open/submit", headers=CURRENT)
    advance(client, "9d")
    client.post("/_sandbox/reset")
    assert get(client, "/disputes", first=50).content == before


# -- controls ----------------------------------------------------------------------------------


def test_chargeback_control_opens_a_dispute_linked_to_the_case(env):
    sandbox, client = env
    case = sandbox.state("whop").cases.get("reso_Linked")
    response = client.post(f"/_sandbox/whop/payments/{case.payment_id}/chargeback", json={"case_id": "reso_Linked", "reason": "fraudulent"})
    assert response.status_code == 201, response.text
    opened = response.json()
    assert (opened["status"], opened["amount"], opened["account_id"]) == ("needs_response", 30.0, "biz_A")
    assert get(client, f"/disputes/{opened['id']}").json() == opened
    again = client.post(f"/_sandbox/whop/payments/{case.payment_id}/chargeback", json={})
    assert again.status_code == 409
    decided = client.post(f"/_sandbox/whop/disputes/{opened['id']}/decide", json={"winner": "merchant"})
    assert decided.json()["status"] == "won"
    legacy_case = client.get(API + "/resolution_center_cases/reso_Linked", headers={"Authorization": "Bearer k"}).json()
    actions = [e["action"] for e in legacy_case["resolution_events"]]
    assert actions[:2] == ["dispute_merchant_won", "dispute_opened"] and legacy_case["status"] == "merchant_won"
    assert client.post(f"/_sandbox/whop/disputes/{opened['id']}/decide", json={"winner": "customer"}).status_code == 409


def test_alert_control_refunds_under_the_threshold_and_prevents_the_dispute(env):
    _, client = env
    opened = client.post("/_sandbox/whop/payments/pay_NewOne/chargeback", json={"account_id": "biz_A", "amount": 40}).json()
    alert = client.post("/_sandbox/whop/dispute_alerts", json={"account_id": "biz_A", "payment_id": "pay_NewOne", "type": "dispute_alert"})
    assert alert.status_code == 201, alert.text
    assert alert.json()["auto_refunded"] is True  # 40 ≤ the account's 50 threshold
    assert get(client, f"/dispute_alerts/{alert.json()['id']}").json() == alert.json()
    assert get(client, f"/disputes/{opened['id']}").json()["status"] == "prevented"
    assert client.post("/_sandbox/whop/payments/pay_NewOne/chargeback", json={}).status_code == 409  # refunded


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/_sandbox/whop/payments/pay_X/chargeback", {"account_id": 5}),
        ("/_sandbox/whop/payments/pay_X/chargeback", {"account_id": "biz_A", "amount": "lots"}),
        ("/_sandbox/whop/payments/pay_X/chargeback", {"account_id": "biz_A", "amount": 10**12}),
        ("/_sandbox/whop/payments/pay_X/chargeback", {"account_id": "biz_A", "surprise": 1}),
        ("/_sandbox/whop/payments/pay_X/chargeback", {"account_id": "biz_A", "evidence_due_at": "soon"}),
        ("/_sandbox/whop/payments/pay_X/chargeback", {"account_id": "biz_A", "evidence_due_at": "9999-12-31T23:59:59-23:59"}),
        ("/_sandbox/whop/payments/pay_X/chargeback", {"account_id": "biz_A", "evidence_due_at": "+99999999d"}),
        ("/_sandbox/whop/payments/pay_X/chargeback", {"account_id": "biz_A", "evidence_due_at": "-1d"}),
        ("/_sandbox/whop/dispute_alerts", {"account_id": "biz_A", "reported_at": "-99999999d"}),
        ("/_sandbox/whop/disputes/dspt_Open/decide", {}),
        ("/_sandbox/whop/disputes/dspt_Open/decide", {"winner": 1}),
        ("/_sandbox/whop/dispute_alerts", {}),
        ("/_sandbox/whop/dispute_alerts", {"account_id": "biz_A", "type": "nope"}),
        ("/_sandbox/whop/dispute_alerts", {"account_id": "biz_A", "reported_at": "+1d"}),
    ],
)
def test_bad_control_bodies_are_400_and_store_nothing(env, path, body):
    sandbox, client = env
    book = sandbox.state("whop").disputes_book
    before = (len(book.disputes), len(book.alerts), get(client, "/disputes/dspt_Open").content)
    response = client.post(path, json=body)
    assert response.status_code == 400 and isinstance(response.json()["error"], str), response.text
    assert (len(book.disputes), len(book.alerts), get(client, "/disputes/dspt_Open").content) == before


def test_a_pin_on_a_provider_without_versions_is_refused():
    from sandbox.testing import asgi_client, make_sandbox

    with asgi_client(make_sandbox("default")) as client:
        body = {"provider": "pandabase", "tenant": "shp_kxw5h7n4tr3bcfp2v8q1mzj0", "url": "http://127.0.0.1:9/h", "version": "2026-01-01"}
        assert client.post("/_sandbox/webhooks", json=body).status_code == 400
        assert client.get("/_sandbox/webhooks").json()["subscriptions"] == []


def test_control_body_not_json_and_unknown_records(env):
    _, client = env
    assert client.post("/_sandbox/whop/dispute_alerts", content=b"{nope").status_code == 400
    assert client.post("/_sandbox/whop/dispute_alerts", content=b"[]").status_code == 400
    assert client.post("/_sandbox/whop/disputes/dspt_Nope/decide", json={"winner": "merchant"}).status_code == 404
    assert client.post("/_sandbox/whop/payments/pay_Unknown/chargeback", json={}).status_code == 404
    assert client.post("/_sandbox/whop/dispute_alerts", json={"account_id": "biz_Nobody"}).status_code == 404


# -- versions and the legacy write paths -------------------------------------------------------


def test_legacy_paths_answer_in_the_requests_version(env):
    _, client = env
    legacy = client.post(API + "/disputes/dspt_Open/update_evidence", headers=LEGACY, json={"notes": "legacy note"})
    assert legacy.status_code == 200, legacy.text
    assert legacy.json()["notes"] == "legacy note" and legacy.json()["editable"] is True
    current = client.post(API + "/disputes/dspt_Open/update_evidence", headers=CURRENT, json={"customer_name": "Jo"})
    assert current.json()["evidence"]["notes"] == "legacy note" and current.json()["evidence"]["customer_name"] == "Jo"
    submitted = client.post(API + "/disputes/dspt_Open/submit_evidence", headers=LEGACY)
    assert submitted.json()["status"] == "under_review" and submitted.json()["editable"] is False
    assert client.post(API + "/disputes/dspt_Open/submit_evidence", headers=LEGACY).status_code == 409


def test_legacy_list_needs_company_id_and_reads_the_legacy_item(env):
    _, client = env
    assert get(client, "/disputes", headers=LEGACY).json()["error"]["param"] == "company_id"
    page = get(client, "/disputes", headers=LEGACY, company_id="biz_A", first=100).json()
    assert len(page["data"]) == 33 and set(page["data"][0]) == {
        "id", "amount", "company", "created_at", "currency", "editable", "needs_response_by", "payment", "plan",
        "product", "reason", "status", "visa_rdr",
    }
    assert get(client, "/disputes", headers=LEGACY, company_id="biz_B").status_code == 403


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/disputes/summary"), ("PATCH", "/disputes/dspt_Open"), ("POST", "/disputes/dspt_Open/submit"),
     ("POST", "/disputes/dspt_Open/accept"), ("POST", "/disputes/dspt_Open/upload_evidence"), ("POST", "/files")],
)
def test_current_routes_are_not_served_to_legacy_versions(env, method, path):
    _, client = env
    response = client.request(method, API + path, headers=LEGACY, json={})
    assert response.status_code == 404 and response.json()["error"]["type"] == "not_found"
    assert get(client, "/disputes/dspt_Open").json()["status"] == "needs_response"


# -- bad input on every route ------------------------------------------------------------------

BAD_QUERIES = [
    ("/disputes", {"first": "x"}), ("/disputes", {"first": "-1"}), ("/disputes", {"order": "name"}),
    ("/disputes", {"direction": "up"}), ("/disputes", {"status": "open"}), ("/disputes", {"currency": "dollars"}),
    ("/disputes", {"created_after": "yesterday"}), ("/disputes", {"created_after": "9999-12-31T23:59:59-23:59"}),
    ("/disputes", {"after": "garbage"}), ("/disputes/summary", {"groups": "reason"}),
    ("/disputes/summary", {"status": "bad"}), ("/dispute_alerts", {"type": "fraud"}),
    ("/dispute_alerts", {"order": "size"}), ("/dispute_alerts", {"before": "%%%"}),
]


@pytest.mark.parametrize(("path", "params"), BAD_QUERIES)
def test_bad_query_parameters_are_whops_400(env, path, params):
    _, client = env
    response = get(client, path, **params)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["param"] in {*params, "Api-Version-Date"}


def test_huge_first_is_clamped_and_a_cursor_of_another_query_refused(env):
    _, client = env
    assert len(get(client, "/disputes", first=str(10**30)).json()["data"]) == 33
    cursor = get(client, "/disputes", first=2).json()["page_info"]["end_cursor"]
    assert get(client, "/disputes", first=2, after=cursor, status="won").status_code == 400


BAD_WRITES = [
    ("PATCH", "/disputes/dspt_Open", b'{"evidence": "text"}'),
    ("PATCH", "/disputes/dspt_Open", b'{"evidence": {"notes": 5}}'),
    ("PATCH", "/disputes/dspt_Open", b'{"evidence": {"unknown_field": "x"}}'),
    ("PATCH", "/disputes/dspt_Open", b'{"evidence": {"notes": "' + b"x" * 20_001 + b'"}}'),
    ("PATCH", "/disputes/dspt_Open", b'{"evidence": {"uncategorized_attachment": {"id": "file_nope"}}}'),
    ("PATCH", "/disputes/dspt_Open", b'{"evidence": {"documents": [{"document_type": "selfie", "file": "JVBERg=="}]}}'),
    ("PATCH", "/disputes/dspt_Open", b'{"evidence": {"documents": [{"document_type": "subscription", "file": "%%%"}]}}'),
    ("PATCH", "/disputes/dspt_Open", b'{"evidence": {"documents": [{"document_type": "subscription"}]}}'),
    ("PATCH", "/disputes/dspt_Open", b"not json"),
    ("PATCH", "/disputes/dspt_Open", b"[1, 2]"),
    ("POST", "/disputes/dspt_Open/upload_evidence", b"{}"),
    ("POST", "/disputes/dspt_Open/upload_evidence", b'{"documents": {"a": 1}}'),
    ("POST", "/disputes/dspt_Open/upload_evidence", b'{"documents": [{"document_type": "subscription", "id": "file_missing"}]}'),
    ("POST", "/disputes/dspt_Open/update_evidence", b'{"notes": ["list"]}'),
    ("POST", "/files", b"{}"),
    ("POST", "/files", b'{"filename": 7}'),
    ("POST", "/files", b'{"filename": "a.pdf", "byte_size": -1}'),
    ("POST", "/files", b'{"filename": "a.pdf", "byte_size": 99999999999}'),
    ("POST", "/files", b'{"filename": "a.pdf", "visibility": "secret"}'),
    ("POST", "/files", b'{"filename": "a.pdf", "multipart": true}'),
]


@pytest.mark.parametrize(("method", "path", "body"), BAD_WRITES)
def test_bad_bodies_are_whops_400_and_change_nothing(env, method, path, body):
    sandbox, client = env
    book = sandbox.state("whop").disputes_book
    before = (get(client, "/disputes/dspt_Open").content, len(book.files), book.file_bytes)
    response = client.request(method, API + path, headers={**CURRENT, "Content-Type": "application/json"}, content=body)
    assert response.status_code == 400, response.text
    assert set(response.json()["error"]) >= {"type", "message"}
    assert (get(client, "/disputes/dspt_Open").content, len(book.files), book.file_bytes) == before


def test_other_accounts_dispute_is_not_found_everywhere(env):
    _, client = env
    for method, path in [("GET", "/disputes/dspt_Theirs"), ("PATCH", "/disputes/dspt_Theirs"), ("POST", "/disputes/dspt_Theirs/submit"),
                         ("POST", "/disputes/dspt_Theirs/accept"), ("POST", "/disputes/dspt_Theirs/upload_evidence")]:
        response = client.request(method, API + path, headers=CURRENT, json={"documents": []})
        assert response.status_code == 404, (method, path)
    assert get(client, "/disputes/dspt_Theirs", headers={"Authorization": "Bearer kb", "Api-Version-Date": "2026-10-15-1"}).json()["status"] == "needs_response"


def test_write_permission_and_idempotency_key_rules(env):
    _, client = env
    read_only = {"Authorization": "Bearer k_read", "Api-Version-Date": "2026-10-15-1"}
    assert client.post(API + "/disputes/dspt_Open/submit", headers=read_only).status_code == 403
    keyed = {**CURRENT, "Idempotency-Key": "abc"}
    first = client.patch(API + "/disputes/dspt_Open", headers=keyed, json={"evidence": {"notes": "one"}})
    replay = client.patch(API + "/disputes/dspt_Open", headers=keyed, json={"evidence": {"notes": "one"}})
    assert first.content == replay.content
    other = client.patch(API + "/disputes/dspt_Open", headers=keyed, json={"evidence": {"notes": "two"}})
    assert other.status_code == 409 and other.json()["error"]["type"] == "idempotency_error"
    too_long = client.post(API + "/disputes/dspt_Open/submit", headers={**CURRENT, "Idempotency-Key": "x" * 256})
    assert too_long.status_code == 400
    assert get(client, "/disputes/dspt_Open").json()["evidence"]["notes"] == "one"


def test_uploads_are_bounded_and_need_their_token(env):
    _, client = env
    file = client.post(API + "/files", headers=CURRENT, json={"filename": "shot.png"}).json()
    url = file["upload_url"].removeprefix("http://testserver")
    assert client.put(url.split("?")[0] + "?token=wrong", content=b"x").status_code == 404
    huge = client.put(url, content=b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024))
    assert huge.status_code == 400 and huge.json()["error"]["param"] == "file"
    assert client.get(API + f"/files/{file['id']}", headers=CURRENT).json()["upload_status"] == "pending"
    assert client.put(url, content=b"\x89PNG\r\n\x1a\nok").status_code == 200
    ready = client.get(API + f"/files/{file['id']}", headers=CURRENT).json()
    assert (ready["upload_status"], ready["content_type"], ready["size"]) == ("ready", "image/png", 10)
    assert client.get(ready["url"].removeprefix("http://testserver")).content == b"\x89PNG\r\n\x1a\nok"
    assert client.put(url, content=b"again").status_code == 409
    assert client.get(API + f"/files/{file['id']}", headers={"Authorization": "Bearer kb", "Api-Version-Date": "2026-10-15-1"}).status_code == 404


# -- webhooks ----------------------------------------------------------------------------------


def test_dispute_webhooks_follow_the_subscription_pin_and_verify():
    with WebhookReceiver() as receiver, live_sandbox(text=SCENARIO, providers=["whop"]) as server:
        pinned = server.subscribe("whop", "biz_A", receiver.url, version="2026-10-15-1", events=["dispute.created", "dispute.updated"])
        server.subscribe("whop", "biz_A", receiver.url, events=["dispute.created"])
        import httpx

        opened = httpx.post(server.url + "/_sandbox/whop/payments/pay_Hooked/chargeback", json={"account_id": "biz_A"}).json()
        httpx.post(server.url + "/_sandbox/clock/advance", json={"duration": "3d"})

        def mine(kind):
            return [json.loads(w.body) for w in receiver.received if json.loads(w.body)["type"] == kind and json.loads(w.body)["data"]["id"] == opened["id"]]

        deadline = time.monotonic() + 5
        while (len(mine("dispute.created")) < 2 or not mine("dispute.updated")) and time.monotonic() < deadline:
            time.sleep(0.02)
        got = list(receiver.received)
        current = next(b for b in mine("dispute.created") if "api_version_date" in b)
        legacy = next(b for b in mine("dispute.created") if "api_version_date" not in b)
        assert current["api_version_date"] == "2026-10-15-1" and current["account_id"] == "biz_A" and "evidence" in current["data"]
        assert legacy["company_id"] == "biz_A" and "needs_response_by" in legacy["data"] and "account_id" not in legacy
        [updated] = mine("dispute.updated")  # only the pinned subscription asked for updates
        assert updated["previous_attributes"] == {"status": "needs_response"} and updated["data"]["status"] == "under_review"
        first = next(w for w in got if json.loads(w.body) == updated)
        assert unwrap(first.body.decode(), headers=first.headers, key=pinned["secret"])["data"]["id"] == updated["data"]["id"]
        bad = httpx.post(server.url + "/_sandbox/webhooks", json={"provider": "whop", "tenant": "biz_A", "url": receiver.url, "version": "1999-01-01"})
        assert bad.status_code == 400


def test_expiring_scenario_disputes_fall_due_on_time():
    from datetime import timedelta

    from sandbox.testing import make_sandbox

    sandbox = make_sandbox("expiring-disputes")
    start, book = sandbox.now(), sandbox.state("whop").disputes_book
    for label, offset in {"1h": timedelta(hours=1), "1d": timedelta(days=1), "3d": timedelta(days=3), "7d": timedelta(days=7)}.items():
        sandbox.set_clock(start + offset - timedelta(seconds=1))
        assert book.disputes.get(f"dspt_Expires{label}").reported_status == "needs_response", label
        sandbox.set_clock(start + offset)
        dispute = book.disputes.get(f"dspt_Expires{label}")
        assert (dispute.reported_status, dispute.updated_at) == ("under_review", start + offset), label


def test_readme_walkthrough_runs():
    """README "Whop chargebacks": open, upload evidence, submit, advance the clock, decided, webhook."""
    import httpx
    from whop_sdk import ConflictError, Whop
    from whop_sdk.environment import WhopEnvironment

    from sandbox.testing import shipped_text

    whop_only = shipped_text("default", ["whop"])
    with WebhookReceiver() as receiver, live_sandbox(text=whop_only, providers=["whop"]) as server:
        sub = server.subscribe("whop", "biz_PickaxeLabs01", receiver.url, version="2026-10-15-1",
                               events=["dispute.created", "dispute.updated"])
        opened = httpx.post(server.url + "/_sandbox/whop/payments/pay_DemoCharge1/chargeback",
                            json={"account_id": "biz_PickaxeLabs01", "amount": 49, "reason": "product_not_received"})
        assert opened.status_code == 201
        api = server.url + "/whop/api/v1"
        client = Whop(token="whop_test_pickaxe_disputes", environment=WhopEnvironment(api=api, vault=api), max_retries=0)
        dispute = client.disputes.retrieve(opened.json()["id"])
        upload = client.files.create(filename="delivery.pdf")
        assert httpx.put(upload.upload_url, content=b"%PDF-1.4 delivered", headers=upload.upload_headers).status_code == 200
        client.disputes.update(dispute.id, evidence={"product_description": "Lifetime course access",
                                                     "documents": [{"id": upload.id, "document_type": "digital_fulfillment"}]})
        done = client.disputes.upload_evidence(dispute.id, documents=[
            {"id": upload.id, "document_type": "digital_fulfillment"},
            {"file": b"%PDF-1.4 refunds", "document_type": "return_policy"},
        ])
        assert len(done.evidence.documents) == 2
        assert client.disputes.submit(dispute.id).status == "under_review"
        with pytest.raises(ConflictError):
            client.disputes.submit(dispute.id)
        httpx.post(server.url + "/_sandbox/clock/advance", json={"duration": "30d"})
        assert client.disputes.retrieve(dispute.id).status in ("won", "lost")
        assert client.disputes.summary().total > 0
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            mine = [json.loads(w.body) for w in receiver.received if json.loads(w.body)["data"].get("id") == dispute.id]
            if len(mine) >= 3:
                break
            time.sleep(0.05)
        assert len(mine) == 3, [b["type"] for b in mine]
        assert [b["type"] for b in mine][:1] == ["dispute.created"] and {b["type"] for b in mine} == {"dispute.created", "dispute.updated"}
        assert all(b["api_version_date"] == "2026-10-15-1" for b in mine) and sub["secret"].startswith("ws_")


def test_alert_on_a_cases_payment_refunds_it_prevents_the_dispute_and_closes_the_case(env):
    sandbox, client = env
    case = sandbox.state("whop").cases.get("reso_Linked")
    opened = client.post(f"/_sandbox/whop/payments/{case.payment_id}/chargeback", json={}).json()  # linked by payment
    alert = client.post("/_sandbox/whop/dispute_alerts", json={"account_id": "biz_A", "payment_id": case.payment_id, "type": "rapid_dispute_resolution"})
    assert alert.status_code == 201 and alert.json()["auto_refunded"] is True and alert.json()["amount"] == 30.0
    assert get(client, f"/disputes/{opened['id']}").json()["status"] == "prevented"
    legacy_case = client.get(API + "/resolution_center_cases/reso_Linked", headers={"Authorization": "Bearer k"}).json()
    assert legacy_case["status"] == "customer_won"
    assert [e["action"] for e in legacy_case["resolution_events"]][:2] == ["accepted", "dispute_opened"]
    listed = get(client, "/dispute_alerts", payment_id=case.payment_id).json()["data"]
    assert [a["id"] for a in listed] == [alert.json()["id"]]


BAD_SCENARIOS = [
    ("disputes: [{status: open}]", "disputes[0].status"),
    ("disputes: [{amount: lots}]", "disputes[0].amount"),
    ("disputes: [{case_id: reso_Nowhere}]", "disputes[0].case_id"),
    ("disputes: [{evidence: {shoe_size: '42'}}]", "disputes[0].evidence.shoe_size"),
    ("disputes: [{id: dspt_Twice}, {id: dspt_Twice}]", "disputes[1].id"),
    ("dispute_alerts: [{type: fraud}]", "dispute_alerts[0].type"),
    ("generate_disputes: {count: -1}", "generate_disputes.count"),
    ("generate_disputes: {statuses: {won: 0}}", "generate_disputes.statuses"),
    ("generate_disputes: {amount_between: [10, 1]}", "generate_disputes.amount_between"),
    ("dispute_alert_auto_refund_threshold_usd: -5", "dispute_alert_auto_refund_threshold_usd"),
]


@pytest.mark.parametrize(("line", "path"), BAD_SCENARIOS)
def test_bad_dispute_scenarios_name_file_path_and_problem(line, path):
    from sandbox.providers import load_providers
    from sandbox.scenario import ScenarioError, parse_scenario

    text = f"""version: 1
providers:
  whop:
    companies:
      - id: biz_A
        title: A
        {line}
"""
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "bad.yaml", load_providers(["whop"]))
    assert any(p.startswith("bad.yaml:") and f"companies[0].{path}" in p for p in info.value.lines), info.value.lines


def test_bad_rule_is_a_problem():
    from sandbox.providers import load_providers
    from sandbox.scenario import ScenarioError, parse_scenario

    with pytest.raises(ScenarioError) as info:
        parse_scenario("version: 1\nproviders:\n  whop:\n    rules: {dispute_evidence_window: soon}\n", "r.yaml", load_providers(["whop"]))
    assert any("rules.dispute_evidence_window" in p for p in info.value.lines)


def test_out_of_range_scenario_times_are_problems_not_tracebacks():
    from sandbox.providers import load_providers
    from sandbox.scenario import ScenarioError, parse_scenario

    text = 'version: 1\nproviders:\n  whop:\n    companies:\n      - {id: biz_A, title: A, disputes: [{created_at: "+99999999d"}]}\n'
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "far.yaml", load_providers(["whop"]))
    assert any("disputes[0].created_at" in p for p in info.value.lines), info.value.lines


def test_sending_back_the_platform_policy_changes_nothing(env):
    _, client = env
    before = get(client, "/disputes/dspt_Open").json()
    slot = before["evidence"]["cancellation_policy_attachment"]
    assert slot["platform"] is True
    after = client.patch(API + "/disputes/dspt_Open", headers=CURRENT, json={"evidence": {"cancellation_policy_attachment": slot}})
    assert after.status_code == 200 and after.json()["evidence"]["cancellation_policy_attachment"] == slot
    cleared = client.patch(API + "/disputes/dspt_Open", headers=CURRENT, json={"evidence": {"cancellation_policy_attachment": None, "notes": None}})
    assert cleared.json()["evidence"]["cancellation_policy_attachment"] is None


_fuzz: dict = {}


def _fuzz_client():
    if "client" not in _fuzz:
        from sandbox.testing import asgi_client, make_sandbox

        _fuzz["client"] = asgi_client(make_sandbox(text=SCENARIO, providers=["whop"]))
    return _fuzz["client"]


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

HOSTILE = st.one_of(st.text(max_size=30), st.sampled_from(["-1", "1e9", "9" * 40, "", "null", "%00", "2026-13-45", "\u202e", "dspt_Open"]))
ROUTE_PATHS = ["/disputes", "/disputes/summary", "/disputes/{id}", "/disputes/{id}/accept", "/disputes/{id}/submit",
               "/disputes/{id}/upload_evidence", "/disputes/{id}/update_evidence", "/disputes/{id}/submit_evidence",
               "/dispute_alerts", "/dispute_alerts/{id}", "/files", "/files/{id}"]
KEYS = st.sampled_from(["evidence", "documents", "notes", "file", "id", "document_type", "filename", "byte_size",
                        "visibility", "multipart", "uncategorized_attachment", "platform"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
JSONISH = st.recursive(
    SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=12
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "POST", "PATCH", "PUT", "DELETE"]),
    path=st.sampled_from(ROUTE_PATHS),
    record=st.sampled_from(["dspt_Open", "dspt_Sub", "dspt_Theirs", "dspa_x", "file_x", "x/../y", "%2F"]),
    query=st.dictionaries(st.sampled_from(["first", "last", "after", "before", "status", "currency", "order", "direction",
                                           "created_after", "created_before", "groups", "type", "payment_id", "account_id", "company_id"]),
                          HOSTILE, max_size=4),
    body=st.one_of(JSONISH.map(lambda v: json.dumps(v).encode()), st.binary(max_size=40)),
    version=st.sampled_from(["2026-10-15-1", "2026-07-08-1", "garbage", None]),
    key=st.sampled_from(["k", "k_read", "kb", "nope"]),
)
def test_no_input_makes_a_500(method, path, record, query, body, version, key):
    client = _fuzz_client()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    if version:
        headers["Api-Version-Date"] = version
    response = client.request(method, API + path.replace("{id}", record), params=query, content=body, headers=headers)
    assert response.status_code < 500, (response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert "error" in response.json()


def test_chargeback_on_a_scenario_customers_payment_takes_its_amount():
    from sandbox.testing import asgi_client, make_sandbox

    with asgi_client(make_sandbox("default")) as client:
        opened = client.post("/_sandbox/whop/payments/pay_AvaLumen0000002/chargeback", json={})
        assert opened.status_code == 201, opened.text
        body = opened.json()
        assert (body["account_id"], body["amount"], body["currency"]) == ("biz_LumenStudio03", 12.5, "eur")
        assert client.post("/_sandbox/whop/payments/pay_AvaLumen0000002/chargeback", json={}).status_code == 409
