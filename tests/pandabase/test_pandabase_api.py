"""The six case operations over HTTP: auth, scopes, store binding, headers, validation, rules."""

from __future__ import annotations

import hashlib
import hmac

import pytest

COMMON = ("x-request-id", "x-version", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-ratelimit-type")


def assert_error(response, status: int, message: str) -> None:
    assert response.status_code == status, response.text
    assert response.json() == {"ok": False, "error": message}
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    for name in COMMON:
        assert name in response.headers, name


def routes(api, case: str):
    base = api.BASE
    return [
        ("GET", base, None, "CASES_READ"),
        ("GET", f"{base}/{case}", None, "CASES_READ"),
        ("PATCH", f"{base}/{case}", {"priority": "HIGH"}, "CASES_WRITE"),
        ("GET", f"{base}/{case}/messages", None, "CASES_READ"),
        ("POST", f"{base}/{case}/messages", {"body": "hi"}, "CASES_WRITE"),
        ("POST", f"{base}/{case}/read", None, "CASES_WRITE"),
    ]


# -- auth and store isolation on every route ----------------------------------------------------


def test_every_route_needs_a_bearer_token(api):
    for method, path, body, _ in routes(api, api.CASE):
        response = api.client.request(method, path, json=body)
        assert_error(response, 401, "Missing or invalid authorization header")
        response = api.client.request(method, path, json=body, headers={"Authorization": "Basic abc"})
        assert_error(response, 401, "Missing or invalid authorization header")
        response = api.client.request(method, path, json=body, headers={"Authorization": "Bearer sk_nope"})
        assert_error(response, 401, "Invalid API token")
        assert response.headers["x-ratelimit-type"] == "GlobalResource"


def test_missing_scope_is_403_naming_the_permission(api):
    for method, path, body, scope in routes(api, api.CASE):
        token = api.WO if scope == "CASES_READ" else api.RO
        response = api.client.request(method, path, json=body, headers=api.headers(token))
        assert_error(response, 403, f"Missing required permissions: {scope}")


def test_another_stores_id_is_403_and_its_cases_are_404(api):
    for method, path, body, _ in routes(api, api.CASE):
        response = api.client.request(method, path, json=body, headers=api.headers(api.OTHER_RW))
        assert_error(response, 403, "API token does not have access to this store")
    for method, path, body, _ in routes(api, api.OTHER_CASE)[1:]:
        response = api.client.request(method, path, json=body, headers=api.headers(api.RW))
        assert_error(response, 404, "Case not found")
    # and nothing of the other store leaks into the list
    items = api.get(api.BASE + "?limit=100").json()["data"]["items"]
    assert api.OTHER_CASE not in {i["id"] for i in items}


def test_other_store_status_is_configurable(api, make_api):
    other = make_api(api.SCENARIO.replace("rate_limits:", "rules: {other_store_status: 404}\n    rate_limits:"))
    response = other.get(api.BASE, token=api.OTHER_RW)
    assert_error(response, 404, "Store not found")


def test_hmac_mode_signs_the_body_with_the_hex_digest_of_the_secret(api):
    key = hashlib.sha256(api.RW.encode()).hexdigest().encode()
    path = f"{api.BASE}/{api.CASE}"
    body = b'{"priority":"URGENT"}'
    good = hmac.new(key, body, "sha256").hexdigest()
    headers = {"Authorization": "Bearer stk_alpha_hmac_token01", "Content-Type": "application/json"}
    response = api.client.patch(path, content=body, headers={**headers, "X-Signature": good})
    assert response.status_code == 200 and response.json()["data"]["priority"] == "URGENT"
    bad = hmac.new(api.RW.encode(), body, "sha256").hexdigest()  # keyed with the raw secret: wrong
    response = api.client.patch(path, content=body, headers={**headers, "X-Signature": bad})
    assert_error(response, 401, "Invalid request signature")
    get_sig = hmac.new(key, b"", "sha256").hexdigest()
    response = api.client.get(path, headers={"Authorization": "Bearer stk_alpha_hmac_token01", "X-Signature": get_sig})
    assert response.status_code == 200


# -- headers -------------------------------------------------------------------------------------


def test_common_headers_on_success_errors_and_unknown_routes(api):
    responses = [
        api.get(api.BASE),
        api.get(api.BASE + "?limit=0"),
        api.get("/pandabase/v2/core/stores/x/whatever"),
        api.client.delete(f"{api.BASE}/{api.CASE}", headers=api.headers()),
    ]
    ids = set()
    for response in responses:
        for name in COMMON:
            assert name in response.headers
        assert response.headers["x-version"] == "2026/03/09-v2"
        ids.add(response.headers["x-request-id"])
    assert len(ids) == len(responses)
    assert responses[0].headers["x-ratelimit-type"] == "AccountResource"
    assert_error(responses[2], 404, "Route GET:/v2/core/stores/x/whatever not found")
    assert_error(responses[3], 404, f"Route DELETE:/v2/core/stores/{api.STORE}/cases/{api.CASE} not found")


def test_host_mode_serves_the_real_paths(api):
    response = api.client.get(
        f"/v2/core/stores/{api.STORE}/cases/{api.CASE}", headers={**api.headers(), "Host": "api.pandabase.io"}
    )
    assert response.status_code == 200 and response.json()["data"]["id"] == api.CASE
    response = api.client.get("/v2/core/nope?x=1", headers={"Host": "api.pandabase.io"})
    assert_error(response, 404, "Route GET:/v2/core/nope?x=1 not found")


def test_rate_limit_is_429_with_the_documented_text(make_api, api):
    limited = make_api(api.SCENARIO.replace("per_second: 0, replies_per_minute: 0", "per_second: 3, replies_per_minute: 2"))
    seen = [limited.get(api.BASE) for _ in range(4)]
    assert [r.status_code for r in seen] == [200, 200, 200, 429]
    assert [r.headers["x-ratelimit-remaining"] for r in seen] == ["2", "1", "0", "0"]
    assert seen[0].headers["x-ratelimit-limit"] == "3"
    assert_error(seen[3], 429, "Rate limit exceeded. Please retry after the reset time.")
    assert int(seen[3].headers["x-ratelimit-reset"]) >= int(seen[0].headers["x-ratelimit-reset"])


def test_reply_limit_is_per_minute(make_api, api):
    limited = make_api(api.SCENARIO.replace("per_second: 0, replies_per_minute: 0", "per_second: 0, replies_per_minute: 2"))
    path = f"{api.BASE}/{api.CASE}/messages"
    codes = [limited.post(path, {"body": f"reply {n}"}).status_code for n in range(3)]
    assert codes == [201, 201, 429]
    assert limited.get(api.BASE).status_code == 200  # other operations are not limited by it


# -- list ------------------------------------------------------------------------------------------


def test_list_defaults_and_trailing_slash(api):
    plain, slashed = api.get(api.BASE), api.get(api.BASE + "/")
    assert plain.status_code == 200 and plain.json() == slashed.json()
    data = plain.json()["data"]
    assert data["pagination"] == {"page": 1, "limit": 25, "total": 60, "totalPages": 3}
    assert len(data["items"]) == 25
    assert list(data) == ["items", "pagination"]
    assert list(data["items"][0]) == [
        "id", "subject", "status", "priority", "orderId", "customerId", "lastMessageAt", "lastMessageBy",
        "unreadCount", "escalated", "closedAt", "closedBy", "createdAt", "updatedAt", "customer", "order",
    ]
    assert list(data["items"][0]["order"]) == ["id", "orderNumber", "amount", "currency"]
    keys = [(i["lastMessageAt"], i["createdAt"], i["id"]) for i in data["items"]]
    assert keys == sorted(keys, reverse=True)


def test_filters_combine(api):
    everything = api.get(api.BASE + "?limit=100").json()["data"]["items"]
    for query, keep in [
        ("status=AWAITING_MERCHANT", lambda i: i["status"] == "AWAITING_MERCHANT"),
        ("priority=HIGH", lambda i: i["priority"] == "HIGH"),
        ("status=CLOSED&priority=NORMAL", lambda i: i["status"] == "CLOSED" and i["priority"] == "NORMAL"),
        ("customerId=cus_j8h0r1n4tzcbfp2v8q1mzwx5", lambda i: i["customerId"] == "cus_j8h0r1n4tzcbfp2v8q1mzwx5"),
        ("orderId=ord_p2v8q1mzj0kxw5h7n4tr3bcf&status=AWAITING_MERCHANT", lambda i: i["orderId"] == "ord_p2v8q1mzj0kxw5h7n4tr3bcf"),
        ("orderId=ord_p2v8q1mzj0kxw5h7n4tr3bcf&status=OPEN", lambda i: False),
    ]:
        got = api.get(f"{api.BASE}?limit=100&{query}").json()["data"]
        expected = [i["id"] for i in everything if keep(i)]
        assert [i["id"] for i in got["items"]] == expected, query
        assert got["pagination"]["total"] == len(expected)


def test_past_the_end_and_empty(api):
    response = api.get(api.BASE + "?page=9&limit=25").json()["data"]
    assert response == {"items": [], "pagination": {"page": 9, "limit": 25, "total": 60, "totalPages": 3}}
    response = api.get(api.BASE + "?customerId=cus_nobody_at_all_000").json()["data"]
    assert response == {"items": [], "pagination": {"page": 1, "limit": 25, "total": 0, "totalPages": 0}}


@pytest.mark.parametrize(
    "query, message",
    [
        ("limit=0", "querystring/limit must be >= 1"),
        ("limit=101", "querystring/limit must be <= 100"),
        ("limit=abc", "querystring/limit must be integer"),
        ("limit=1.5", "querystring/limit must be integer"),
        ("limit=", "querystring/limit must be integer"),
        ("page=0", "querystring/page must be >= 1"),
        ("page=-3", "querystring/page must be >= 1"),
        ("page=x", "querystring/page must be integer"),
        ("page=1&page=2", "querystring/page must be integer"),
        ("status=open", "querystring/status must be equal to one of the allowed values"),
        ("status=OPEN&status=CLOSED", "querystring/status must be string"),
        ("priority=MEDIUM", "querystring/priority must be equal to one of the allowed values"),
        ("customerId=cus_short", "querystring/customerId must NOT have fewer than 12 characters"),
        ("orderId=" + "o" * 49, "querystring/orderId must NOT have more than 48 characters"),
        ("page=0&limit=500", "querystring/page must be >= 1"),
        ("page=99999999999999999999999", "querystring/page must be <= 9007199254740991"),
    ],
)
def test_list_validation(api, query, message):
    assert_error(api.get(f"{api.BASE}?{query}"), 400, message)


def test_coercion_and_unknown_query_params(api):
    data = api.get(api.BASE + "?limit=1e1&page=2&sort=asc&search=x").json()["data"]
    assert data["pagination"]["limit"] == 10 and data["pagination"]["page"] == 2


def test_path_ids_are_12_to_48_chars(api):
    assert_error(api.get("/pandabase/v2/core/stores/shp_short/cases"), 400, "params/storeId must NOT have fewer than 12 characters")
    assert_error(api.get(f"{api.BASE}/cse_short"), 400, "params/caseId must NOT have fewer than 12 characters")
    assert_error(api.get(f"{api.BASE}/{'c' * 49}/messages"), 400, "params/caseId must NOT have more than 48 characters")
    assert_error(api.get(f"{api.BASE}/cse_doesnotexist0000"), 404, "Case not found")


def test_idempotency_key_is_accepted_but_length_checked(api):
    ok = api.client.get(api.BASE, headers=api.headers(**{"Idempotency-Key": "abcdefgh"}))
    assert ok.status_code == 200
    bad = api.client.get(api.BASE, headers=api.headers(**{"Idempotency-Key": "abc"}))
    assert_error(bad, 400, "headers/idempotency-key must NOT have fewer than 8 characters")


# -- get -------------------------------------------------------------------------------------------


def test_get_case_detail(api):
    response = api.get(f"{api.BASE}/{api.CASE}")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["order"] == {
        "id": "ord_p2v8q1mzj0kxw5h7n4tr3bcf", "orderNumber": "cs_abcdef0123456789", "amount": 2900,
        "currency": "USD", "status": "COMPLETED", "createdAt": data["order"]["createdAt"],
    }
    assert data["customer"] == {"id": "cus_j8h0r1n4tzcbfp2v8q1mzwx5", "email": "buyer@example.com", "firstName": "Alex", "lastName": "Doe"}
    assert data["order"]["createdAt"] < data["createdAt"] == "2026-06-01T09:00:00.000Z"
    assert (data["status"], data["lastMessageAt"], data["lastMessageBy"], data["unreadCount"]) == (
        "AWAITING_MERCHANT", "2026-06-01T11:00:00.000Z", "CUSTOMER", 1,
    )


# -- patch -----------------------------------------------------------------------------------------


def test_patch_rules_verbatim(api):
    case, closed, waiting = (f"{api.BASE}/{c}" for c in (api.CASE, api.CLOSED_CASE, api.AWAIT_CUST))
    assert_error(api.patch(case, {}), 400, "Nothing to update")
    assert_error(api.patch(case, {"foo": 1}), 400, "Nothing to update")
    assert_error(api.patch(case, {"status": "OPEN"}), 400, "Only closed cases can be reopened")
    assert_error(api.patch(waiting, {"status": "OPEN"}), 400, "Only closed cases can be reopened")
    assert_error(api.patch(closed, {"status": "CLOSED"}), 400, "Case is already closed")
    assert_error(api.patch(closed, {"status": "AWAITING_CUSTOMER"}), 400, "Cannot set status on a closed case")
    assert_error(api.patch(case, {"status": "AWAITING_MERCHANT"}), 400, "body/status must be equal to one of the allowed values")
    assert_error(api.patch(case, {"priority": "MEDIUM"}), 400, "body/priority must be equal to one of the allowed values")
    assert_error(api.patch(case, {"priority": None}), 400, "body/priority must be equal to one of the allowed values")
    assert_error(api.patch(case, {"priority": ["HIGH"]}), 400, "body/priority must be string")
    assert_error(api.patch(case, [1]), 400, "body must be object")
    # a failed rule changes nothing, not even the priority given alongside it
    assert_error(api.patch(closed, {"status": "CLOSED", "priority": "URGENT"}), 400, "Case is already closed")
    assert api.get(closed).json()["data"]["priority"] != "URGENT"
    assert_error(api.patch("/pandabase/v2/core/stores/" + api.STORE + "/cases/cse_doesnotexist0000", {"priority": "LOW"}), 404, "Case not found")


def test_patch_body_parsing_errors(api):
    path = f"{api.BASE}/{api.CASE}"
    headers = api.headers(**{"Content-Type": "application/json"})
    assert_error(api.client.patch(path, content=b"{bad", headers=headers), 400,
                 "Body is not valid JSON but content-type is set to 'application/json'")
    assert_error(api.client.patch(path, content=b"", headers=headers), 400,
                 "Body cannot be empty when content-type is set to 'application/json'")
    assert_error(api.client.patch(path, content=b"priority=HIGH", headers=api.headers(**{"Content-Type": "text/plain"})), 415,
                 "Unsupported Media Type: text/plain")
    assert_error(api.client.patch(path, headers=api.headers()), 400, "body must be object")


def test_close_and_reopen_write_timeline_and_close_fields(api):
    path = f"{api.BASE}/{api.CASE}"
    before = api.get(path).json()["data"]
    api.advance("1h")
    closed = api.patch(path, {"status": "CLOSED"})
    assert closed.status_code == 200
    data = closed.json()["data"]
    assert "status" not in data["order"]  # PATCH answers a Case, not a CaseDetail
    assert (data["status"], data["closedAt"], data["closedBy"], data["updatedAt"]) == (
        "CLOSED", "2026-06-01T13:00:00.000Z", "MERCHANT", "2026-06-01T13:00:00.000Z",
    )
    assert (data["lastMessageAt"], data["lastMessageBy"]) == (before["lastMessageAt"], before["lastMessageBy"])
    api.advance("1h")
    data = api.patch(path, {"status": "OPEN", "priority": "LOW"}).json()["data"]
    assert (data["status"], data["closedAt"], data["closedBy"], data["priority"]) == ("OPEN", None, None, "LOW")
    data = api.patch(path, {"status": "AWAITING_CUSTOMER"}).json()["data"]
    assert data["status"] == "AWAITING_CUSTOMER"
    again = api.patch(path, {"status": "AWAITING_CUSTOMER"})
    assert again.status_code == 200
    messages = api.get(path + "/messages").json()["data"]["items"]
    system = [(m["body"], m["createdAt"]) for m in messages if m["senderType"] == "SYSTEM"]
    assert system == [
        ("Case opened by customer", "2026-06-01T09:00:00.000Z"),
        ("Case closed by merchant", "2026-06-01T13:00:00.000Z"),
        ("Case reopened by merchant", "2026-06-01T14:00:00.000Z"),
        ("Case marked as awaiting customer by merchant", "2026-06-01T14:00:00.000Z"),
    ]
    assert all(m["senderId"] is None for m in messages if m["senderType"] == "SYSTEM")


def test_priority_only_on_a_closed_case_is_allowed(api):
    data = api.patch(f"{api.BASE}/{api.CLOSED_CASE}", {"priority": "URGENT"}).json()["data"]
    assert (data["status"], data["priority"], data["closedBy"]) == ("CLOSED", "URGENT", "MERCHANT")


# -- messages --------------------------------------------------------------------------------------


def test_messages_oldest_first_with_attachments_and_no_urls(api):
    data = api.get(f"{api.BASE}/{api.CASE}/messages").json()["data"]
    assert data["pagination"] == {"page": 1, "limit": 50, "total": 4, "totalPages": 1}
    assert [m["senderType"] for m in data["items"]] == ["SYSTEM", "CUSTOMER", "MERCHANT", "CUSTOMER"]
    assert [m["createdAt"] for m in data["items"]] == sorted(m["createdAt"] for m in data["items"])
    last = data["items"][-1]
    assert list(last) == ["id", "senderType", "senderId", "body", "createdAt", "attachments"]
    assert last["attachments"] == [{"id": last["attachments"][0]["id"], "filename": "e.png", "mimeType": "image/png", "sizeBytes": 4821}]
    assert last["attachments"][0]["id"].startswith("csa_")
    page2 = api.get(f"{api.BASE}/{api.CASE}/messages?limit=3&page=2").json()["data"]
    assert [m["id"] for m in page2["items"]] == [data["items"][3]["id"]]
    assert page2["pagination"] == {"page": 2, "limit": 3, "total": 4, "totalPages": 2}
    assert_error(api.get(f"{api.BASE}/{api.CASE}/messages?limit=101"), 400, "querystring/limit must be <= 100")


def test_reply_moves_status_counters_and_last_message(api):
    path = f"{api.BASE}/{api.CASE}"
    api.advance("30m")
    response = api.post(path + "/messages", {"body": "Fixed, try again."})
    assert response.status_code == 201
    message = response.json()["data"]
    assert (message["senderType"], message["senderId"], message["body"], message["createdAt"], message["attachments"]) == (
        "MERCHANT", "stk_alpha_hmac_token01", "Fixed, try again.", "2026-06-01T12:30:00.000Z", [],
    )
    case = api.get(path).json()["data"]
    assert (case["status"], case["unreadCount"], case["lastMessageAt"], case["lastMessageBy"], case["updatedAt"]) == (
        "AWAITING_CUSTOMER", 0, "2026-06-01T12:30:00.000Z", "MERCHANT", "2026-06-01T12:30:00.000Z",
    )
    assert api.get(path + "/messages").json()["data"]["items"][-1] == message
    first = api.get(api.BASE + "?limit=1").json()["data"]["items"][0]
    assert first["id"] == api.CASE  # newest lastMessageAt now sorts first


def test_reply_validation(api):
    path = f"{api.BASE}/{api.CASE}/messages"
    assert_error(api.post(path, {}), 400, "body must have required property 'body'")
    assert_error(api.post(path, {"body": ""}), 400, "body/body must NOT have fewer than 1 characters")
    assert_error(api.post(path, {"body": "x" * 4001}), 400, "body/body must NOT have more than 4000 characters")
    assert api.post(path, {"body": "é" * 4000}).status_code == 201
    assert_error(api.post(path, {"body": {"a": 1}}), 400, "body/body must be string")
    assert_error(api.post(path, "hello"), 400, "body must be object")
    six = [{"attachmentId": f"csa_{n:020d}", "filename": "a.png", "mimeType": "image/png", "sizeBytes": 10} for n in range(6)]
    assert_error(api.post(path, {"body": "x", "attachments": six}), 400, "body/attachments must NOT have more than 5 items")
    assert_error(api.post(path, {"body": "x", "attachments": [{"attachmentId": "csa_00000000000000000001"}]}), 400,
                 "body/attachments/0 must have required property 'filename'")
    big = [{**six[0], "sizeBytes": 10_485_761}]
    assert_error(api.post(path, {"body": "x", "attachments": big}), 400, "body/attachments/0/sizeBytes must be <= 10485760")
    exe = [{**six[0], "mimeType": "application/x-msdownload"}]
    assert_error(api.post(path, {"body": "x", "attachments": exe}), 400, "Attachment type not allowed: application/x-msdownload")
    sent = api.post(path, {"body": "see file", "attachments": [six[0]]}).json()["data"]
    assert sent["attachments"] == [{"id": six[0]["attachmentId"], "filename": "a.png", "mimeType": "image/png", "sizeBytes": 10}]


def test_reply_on_closed_case_is_the_documented_400(api):
    response = api.post(f"{api.BASE}/{api.CLOSED_CASE}/messages", {"body": "hello?"})
    assert_error(response, 400, "Cannot send messages on a closed case \u2014 reopen it first")
    assert api.get(f"{api.BASE}/{api.CLOSED_CASE}/messages").json()["data"]["pagination"]["total"] == 4


def test_mark_read_resets_unread(api):
    path = f"{api.BASE}/{api.CASE}"
    assert api.get(path).json()["data"]["unreadCount"] == 1
    before = api.get(path).json()["data"]["updatedAt"]
    response = api.post(path + "/read")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "data": {"ok": True, "read": True}}
    case = api.get(path).json()["data"]
    assert (case["unreadCount"], case["updatedAt"]) == (0, before)
    listed = api.get(api.BASE + "?customerId=cus_j8h0r1n4tzcbfp2v8q1mzwx5").json()["data"]["items"]
    assert listed[0]["unreadCount"] == 0  # the cached list item was dropped on update
    assert api.post(path + "/read").status_code == 200  # idempotent
    assert api.post(f"{api.BASE}/{api.CLOSED_CASE}/read").status_code == 200
    response = api.client.post(path + "/read", content=b"x", headers=api.headers(**{"Content-Type": "text/plain"}))
    assert_error(response, 415, "Unsupported Media Type: text/plain")


def test_fault_responses_use_the_envelope(api):
    from sandbox.providers.pandabase import provider

    for status, message in [(400, "Invalid request"), (401, "Invalid API token"), (404, "Case not found"),
                            (429, "Rate limit exceeded. Please retry after the reset time."), (500, "Internal server error")]:
        response = provider.fault_response(status, 3)
        assert response.status_code == status
        assert response.body == b'{"ok":false,"error":"' + message.encode() + b'"}'
        assert "X-RateLimit-Reset" in response.headers and "X-Request-ID" in response.headers
    assert provider.fault_response(429, 3).headers["Retry-After"] == "3"
    forced = api.client.post("/_sandbox/faults", json={"provider": "pandabase", "status": 403})
    assert forced.status_code == 201
    assert_error(api.get(api.BASE), 403, "Missing required permissions: CASES_READ")
