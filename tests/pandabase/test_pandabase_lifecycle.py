"""Auto-close on the sandbox clock, customer/staff simulation, timelines, reset, determinism."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.testing import asgi_client, make_sandbox


def case(api, case_id):
    return api.get(f"{api.BASE}/{case_id}").json()["data"]


def messages(api, case_id):
    return api.get(f"{api.BASE}/{case_id}/messages?limit=100").json()["data"]["items"]


def test_awaiting_customer_auto_closes_after_14_idle_days_by_system(api):
    # last merchant message at 2026-05-31T12:00 → closes at 2026-06-14T12:00 exactly
    api.advance("12d23h59m")
    assert case(api, api.AWAIT_CUST)["status"] == "AWAITING_CUSTOMER"
    result = api.advance("1m")
    assert [(e["type"], e["object_id"], e["at"]) for e in result["events"]] == [
        ("case.updated", api.AWAIT_CUST, "2026-06-14T12:00:00.000Z"),
        ("case.closed", api.AWAIT_CUST, "2026-06-14T12:00:00.000Z"),
    ]
    data = case(api, api.AWAIT_CUST)
    assert (data["status"], data["closedAt"], data["closedBy"], data["updatedAt"]) == (
        "CLOSED", "2026-06-14T12:00:00.000Z", "SYSTEM", "2026-06-14T12:00:00.000Z",
    )
    assert (data["lastMessageBy"], data["lastMessageAt"]) == ("MERCHANT", "2026-05-31T12:00:00.000Z")
    last = messages(api, api.AWAIT_CUST)[-1]
    assert (last["senderType"], last["body"], last["createdAt"]) == (
        "SYSTEM", "Case closed automatically after no reply from the customer", "2026-06-14T12:00:00.000Z",
    )
    later = api.advance("30d")["events"]
    assert all(e["object_id"] != api.AWAIT_CUST for e in later)  # fired once, never again
    assert case(api, api.AWAIT_CUST) == data and messages(api, api.AWAIT_CUST)[-1] == last


def test_a_new_reply_restarts_the_idle_clock(api):
    api.advance("10d")
    assert api.post(f"{api.BASE}/{api.AWAIT_CUST}/messages", {"body": "Still there?"}).status_code == 201
    api.advance("13d23h")
    assert case(api, api.AWAIT_CUST)["status"] == "AWAITING_CUSTOMER"
    api.advance("1h")
    data = case(api, api.AWAIT_CUST)
    assert (data["status"], data["closedAt"]) == ("CLOSED", "2026-06-25T12:00:00.000Z")


def test_customer_reply_cancels_auto_close_and_reopens_closed_cases(api):
    api.advance("1d")
    reply = api.client.post(f"/_sandbox/pandabase/cases/{api.AWAIT_CUST}/customer-reply", json={"body": "Got it, thanks"})
    assert reply.status_code == 200
    data = reply.json()
    assert (data["status"], data["unreadCount"], data["lastMessageBy"], data["lastMessageAt"]) == (
        "AWAITING_MERCHANT", 1, "CUSTOMER", "2026-06-02T12:00:00.000Z",
    )
    api.advance("30d")
    assert case(api, api.AWAIT_CUST)["status"] == "AWAITING_MERCHANT"

    reopened = api.client.post(f"/_sandbox/pandabase/cases/{api.CLOSED_CASE}/customer-reply", json={"body": "It happened again"}).json()
    assert (reopened["status"], reopened["closedAt"], reopened["closedBy"], reopened["unreadCount"]) == ("AWAITING_MERCHANT", None, None, 1)
    tail = messages(api, api.CLOSED_CASE)[-2:]
    assert [(m["senderType"], m["body"]) for m in tail] == [("SYSTEM", "Case reopened by customer"), ("CUSTOMER", "It happened again")]
    assert tail[0]["id"] != tail[1]["id"]


def test_staff_join_escalates_once(api):
    path = f"/_sandbox/pandabase/cases/{api.CASE}/staff-reply"
    first = api.client.post(path, json={"body": "Pandabase here."}).json()
    assert (first["escalated"], first["unreadCount"], first["lastMessageBy"], first["status"]) == (True, 2, "STAFF", "AWAITING_MERCHANT")
    api.client.post(path, json={"body": "Any news?"})
    kinds = [(m["senderType"], m["body"]) for m in messages(api, api.CASE)[-3:]]
    assert kinds == [("SYSTEM", "Pandabase support joined the case"), ("STAFF", "Pandabase here."), ("STAFF", "Any news?")]
    assert case(api, api.CASE)["unreadCount"] == 3


def test_customer_opens_a_case_on_an_order(api):
    opened = api.client.post(
        f"/_sandbox/pandabase/stores/{api.STORE}/cases",
        json={"orderId": "ord_p2v8q1mzj0kxw5h7n4tr3bcf", "subject": "Second key?", "priority": "URGENT", "body": "Need another seat."},
    )
    assert opened.status_code == 201
    data = opened.json()
    assert data["id"].startswith("cse_") and len(data["id"]) == 30
    assert (data["status"], data["priority"], data["unreadCount"], data["escalated"], data["customerId"]) == (
        "OPEN", "URGENT", 1, False, "cus_j8h0r1n4tzcbfp2v8q1mzwx5",
    )
    assert data["createdAt"] == data["lastMessageAt"] == "2026-06-01T12:00:00.000Z"
    assert [(m["senderType"], m["body"]) for m in messages(api, data["id"])] == [
        ("SYSTEM", "Case opened by customer"), ("CUSTOMER", "Need another seat."),
    ]
    listed = api.get(api.BASE + "?orderId=ord_p2v8q1mzj0kxw5h7n4tr3bcf").json()["data"]
    assert [i["id"] for i in listed["items"]] == [data["id"], api.CASE]
    fresh = api.client.post(f"/_sandbox/pandabase/stores/{api.STORE}/cases", json={"subject": "Hi", "body": "Hello"}).json()
    assert fresh["orderId"] != data["orderId"] and fresh["order"]["status"] == "COMPLETED"
    events = api.client.get("/_sandbox/events?provider=pandabase").json()["events"]
    assert [e["type"] for e in events] == ["case.created", "case.created"]
    bad = api.client.post(f"/_sandbox/pandabase/stores/{api.STORE}/cases", json={"priority": "MEH"})
    assert bad.status_code == 400


def test_new_case_status_and_auto_reply_are_rules(api, make_api):
    other = make_api(api.SCENARIO.replace("rate_limits:", "rules: {new_case_status: AWAITING_MERCHANT, auto_reply: 'We reply within a day.'}\n    rate_limits:"))
    data = other.client.post(f"/_sandbox/pandabase/stores/{api.STORE}/cases", json={"body": "help"}).json()
    assert data["status"] == "AWAITING_MERCHANT"
    assert [(m["senderType"], m["body"]) for m in messages(other, data["id"])][-1] == ("SYSTEM", "We reply within a day.")
    assert data["lastMessageBy"] == "CUSTOMER"


def test_timeline_entries_fire_once_in_order(api, make_api):
    text = api.SCENARIO + f"""    timeline:
      - {{at: "+2h", id: {api.CASE}, action: merchant_reply, data: {{body: "On it"}}}}
      - {{at: "+1h", id: {api.CASE}, action: staff_reply, data: {{body: "Staff here"}}}}
      - {{at: "+3h", id: {api.CASE}, action: customer_reply, data: {{body: "Thanks"}}}}
      - {{at: "+4h", id: {api.CASE}, action: set_status, data: {{status: CLOSED}}}}
      - {{at: "+5h", id: {api.CASE}, action: open_dispute, data: {{reason: FRAUDULENT}}}}
"""
    timed = make_api(text)
    assert timed.advance("90m")["events"][0]["type"] == "case.message.created"
    timed.advance("10h")
    timed.advance("10h")
    tail = [(m["senderType"], m["body"], m["createdAt"]) for m in messages(timed, api.CASE)[4:]]
    assert tail == [
        ("SYSTEM", "Pandabase support joined the case", "2026-06-01T13:00:00.000Z"),
        ("STAFF", "Staff here", "2026-06-01T13:00:00.000Z"),
        ("MERCHANT", "On it", "2026-06-01T14:00:00.000Z"),
        ("CUSTOMER", "Thanks", "2026-06-01T15:00:00.000Z"),
        ("SYSTEM", "Case closed by merchant", "2026-06-01T16:00:00.000Z"),
    ]
    detail = case(timed, api.CASE)
    assert (detail["status"], detail["order"]["status"]) == ("CLOSED", "CHARGEBACK")
    events = timed.client.get("/_sandbox/events?provider=pandabase").json()["events"]
    assert [e["type"] for e in events].count("PAYMENT_DISPUTED") == 1


def test_dispute_lapses_to_lost_after_seven_days(api):
    api.client.post(f"/_sandbox/pandabase/cases/{api.CASE}/dispute", json={"reason": "FRAUDULENT"})
    disputes = api.client.get("/_sandbox/pandabase/disputes").json()["disputes"]
    assert [d["status"] for d in disputes] == ["AWAITING_REVIEW"]
    events = api.advance("7d")["events"]
    assert [(e["type"], e["at"]) for e in events if e["type"].startswith("PAYMENT")] == [
        ("PAYMENT_DISPUTE_LOST", "2026-06-08T12:00:00.000Z"),
    ]
    again = api.client.post(f"/_sandbox/pandabase/disputes/{disputes[0]['id']}/resolve", json={"outcome": "WON"})
    assert again.status_code == 400


def test_reset_returns_to_the_start(api):
    before = api.get(api.BASE + "?limit=100").content
    api.advance("20d")
    api.post(f"{api.BASE}/{api.CASE}/messages", {"body": "x"})
    assert api.get(api.BASE + "?limit=100").content != before
    assert api.client.post("/_sandbox/reset").status_code == 200
    assert api.get(api.BASE + "?limit=100").content == before


def test_loading_emits_nothing_and_the_build_is_deterministic(api):
    assert api.client.get("/_sandbox/events?provider=pandabase").json()["events"] == []
    other = make_sandbox(text=api.SCENARIO, providers=["pandabase"])
    with asgi_client(other) as client:
        again = client.get(api.BASE + "?limit=100", headers=api.headers()).content
    assert again == api.get(api.BASE + "?limit=100").content


def _snapshot(client, headers, base):
    listed = client.get(base + "?limit=100", headers=headers).json()["data"]["items"]
    threads = {i["id"]: client.get(f"{base}/{i['id']}/messages?limit=100", headers=headers).json() for i in listed}
    return listed, threads


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.integers(1, 6 * 24), min_size=1, max_size=8))
def test_one_step_or_many_gives_identical_state(api, steps):
    """Generated AWAITING_CUSTOMER cases close on their own deadlines however the clock moves."""
    total_hours = sum(steps) + 24 * 15
    results = []
    for chunks in ([total_hours], [*steps, 24 * 15]):
        sandbox = make_sandbox(text=api.SCENARIO, providers=["pandabase"])
        with asgi_client(sandbox) as client:
            for hours in chunks:
                assert client.post("/_sandbox/clock/advance", json={"seconds": hours * 3600}).status_code == 200
            results.append(_snapshot(client, api.headers(), api.BASE))
    assert results[0] == results[1]
    assert all(i["status"] != "AWAITING_CUSTOMER" for i in results[0][0])
