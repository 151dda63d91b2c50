"""Endpoints through HTTP: auth, scopes, store isolation, errors, reads, creates, OAuth."""

from __future__ import annotations

from datetime import timedelta

import pytest

UNAUTH = {"statusCode": 401, "message": "Unauthorized"}
FORBIDDEN = {"statusCode": 403, "message": "Forbidden resource", "error": "Forbidden"}


def _body(**over):
    body = {
        "email": "ada@example.com",
        "issues": [{"issueType": "DAMAGED", "quantity": 1, "sourceItemId": "it-1", "details": "Lid cracked."}],
        "resolution": {"desiredMethod": "RESHIP", "customerSignature": "https://example.com/sig.png"},
    }
    body.update(over)
    return body


ROUTES = [
    ("GET", "/claims", None),
    ("GET", "/orders/A-100/claims", None),
    ("POST", "/claims/A-100", _body()),
    ("POST", "/claims/offline", {}),
]


@pytest.mark.parametrize("method,path,body", ROUTES)
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "op_at_alpha_rw"}, {"Authorization": "Basic op_at_alpha_rw"}, {"Authorization": "Bearer nope"}, {"Authorization": "Bearer "}],
)
def test_every_route_rejects_bad_auth(small, k, method, path, body, headers):
    _, client = small
    r = client.request(method, k.BASE + path, headers=headers, json=body)
    assert r.status_code == 401
    assert r.json() == UNAUTH


@pytest.mark.parametrize("method,path,body", ROUTES)
def test_scope_without_claims_is_forbidden(small, k, method, path, body):
    _, client = small
    r = client.request(method, k.BASE + path, headers={"Authorization": "Bearer op_at_alpha_orders"}, json=body)
    assert r.status_code == 403
    assert r.json() == FORBIDDEN


@pytest.mark.parametrize("path,body", [("/claims/A-100", _body()), ("/claims/offline", {})])
def test_read_scope_cannot_write(small, k, path, body):
    _, client = small
    r = client.post(k.BASE + path, headers=k.RO, json=body)
    assert (r.status_code, r.json()) == (403, FORBIDDEN)


def test_token_expires_on_the_sandbox_clock(small, k):
    sandbox, client = small
    headers = {"Authorization": "Bearer op_at_alpha_expiring"}
    assert client.get(k.BASE + "/claims", headers=headers).status_code == 200
    sandbox.advance_clock(timedelta(minutes=59, seconds=59))
    assert client.get(k.BASE + "/claims", headers=headers).status_code == 200
    sandbox.advance_clock(timedelta(seconds=1))
    r = client.get(k.BASE + "/claims", headers=headers)
    assert (r.status_code, r.json()) == (401, UNAUTH)


def test_list_shape_matches_the_seed(small, k):
    _, client = small
    r = client.get(k.BASE + "/claims", params={"first": 3}, headers=k.RW)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    data = r.json()
    assert list(data) == ["edges", "pageInfo"]
    assert [list(e) for e in data["edges"]] == [["node"]] * 3
    assert list(data["pageInfo"]) == ["startCursor", "endCursor", "hasNextPage", "hasPreviousPage"]
    ids = [e["node"]["id"] for e in data["edges"]]
    assert data["pageInfo"]["startCursor"] == ids[0] and data["pageInfo"]["endCursor"] == ids[-1]
    assert data["pageInfo"]["hasNextPage"] is True and data["pageInfo"]["hasPreviousPage"] is False
    created = [e["node"]["createdAt"] for e in data["edges"]]
    assert created == sorted(created, reverse=True)
    assert all(e["node"]["storeId"] == "alpha" for e in data["edges"])


def test_default_page_size_is_ten_and_deleted_never_listed(small, k):
    sandbox, client = small
    state = sandbox.state("orderprotection")
    live = {c.id for c in state.claims if c.store_id == "alpha" and c.deleted_at is None}
    deleted = {c.id for c in state.claims if c.store_id == "alpha" and c.deleted_at is not None}
    assert "cgone000000000000000000001" in deleted
    seen, after = [], None
    while True:
        params = {"after": after} if after else {}
        data = client.get(k.BASE + "/claims", params=params, headers=k.RW).json()
        assert len(data["edges"]) <= 10
        seen += [e["node"]["id"] for e in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            assert data["pageInfo"]["endCursor"] == seen[-1]
            break
        assert len(data["edges"]) == 10
        after = data["pageInfo"]["endCursor"]
    assert set(seen) == live and len(seen) == len(live)
    assert not deleted & set(seen)


def test_empty_result(small, k):
    _, client = small
    r = client.get(k.BASE + "/claims", params={"sourceOrderId": "nope"}, headers=k.RW)
    assert r.json() == {
        "edges": [],
        "pageInfo": {"startCursor": None, "endCursor": None, "hasNextPage": False, "hasPreviousPage": False},
    }


@pytest.mark.parametrize(
    "params,message",
    [
        ({"first": "abc"}, ["first must be an integer number"]),
        ({"first": "0"}, ["first must not be less than 1"]),
        ({"first": "101"}, ["first must not be greater than 100"]),
        ({"last": "-1"}, ["last must not be less than 1"]),
        ({"size": "500"}, ["size must not be greater than 100"]),
        ({"first": "2", "last": "2"}, ["first and last cannot be used together"]),
        ({"operator": "XOR"}, ["operator must be one of the following values: AND, OR"]),
        ({"claimType": "BROKEN"}, ["claimType must be one of the following values: DAMAGED, DEFECTIVE_ITEM, MISSING_ITEM, MULTIPLE, ORDER_DELIVERED_NOT_RECEIVED, RETURNED_TO_SENDER, STOLEN, WRONG_ITEM"]),
        ({"senderType": "robot"}, ["senderType must be one of the following values: customer, brand, admin, automatic, system"]),
        ({"filter": "{nope"}, ["filter must be a JSON object"]),
        ({"filter": '{"color": "red"}'}, ["filter.color is not a filterable claim field"]),
        ({"filter": '{"claimState": "LOST"}'}, ["filter.claimState must be one of the following values: NEW, OPEN, DISMISSED, DENIED, APPROVED, RESOLVED, ARCHIVED, COMMUNICATING, WAITING_FOR_CUSTOMER, WAITING_FOR_BRAND, WAITING_FOR_OP, RESOLVED_BY_BRAND, TEMPORARILY_DISMISSED, CLOSED"]),
        ({"after": "cdoesnotexist"}, ["after must be the id of a claim in this store"]),
        ({"before": "cgone000000000000000000001"}, ["before must be the id of a claim in this store"]),
    ],
)
def test_bad_list_parameters(small, k, params, message):
    _, client = small
    r = client.get(k.BASE + "/claims", params=params, headers=k.RW)
    assert r.status_code == 400
    assert r.json() == {"statusCode": 400, "message": message, "error": "Bad Request"}


def test_bad_state_and_many_problems_at_once(small, k):
    _, client = small
    r = client.get(k.BASE + "/claims?claimState=NEW&claimState=LOST&first=x", headers=k.RW)
    assert r.status_code == 400
    assert r.json()["message"][0] == "first must be an integer number"
    assert r.json()["message"][1].startswith("each value in claimState must be one of the following values: NEW, OPEN")


def test_store_isolation(small, k):
    sandbox, client = small
    state = sandbox.state("orderprotection")
    beta_claim = next(c for c in state.claims if c.store_id == "beta")
    r = client.get(k.BASE + "/claims", params={"after": beta_claim.id}, headers=k.RW)
    assert r.json()["message"] == ["after must be the id of a claim in this store"]
    r = client.get(k.BASE + f"/orders/{beta_claim.source_order_id}/claims", headers=k.RW)
    assert (r.status_code, r.json()) == (
        404, {"statusCode": 404, "message": f"Order {beta_claim.source_order_id} not found", "error": "Not Found"},
    )
    r = client.post(k.BASE + f"/claims/{beta_claim.source_order_id}", headers=k.RW, json=_body())
    assert r.status_code == 404
    ids = [e["node"]["id"] for e in client.get(k.BASE + "/claims?first=100", headers=k.BETA).json()["edges"]]
    assert ids and all(state.claims.get(i).store_id == "beta" for i in ids)
    r = client.get(k.BASE + "/claims", params={"storeId": "beta"}, headers=k.RW)
    assert r.json()["edges"] == []


def test_claims_by_order_plain_array(small, k):
    _, client = small
    r = client.get(k.BASE + "/orders/A-100/claims", headers=k.RO)
    assert r.status_code == 200
    data = r.json()
    assert isinstance(data, list) and [c["id"] for c in data] == ["cpending000000000000000001"]
    assert data[0]["claimMessages"][0]["senderType"] == "system"
    assert client.get(k.BASE + "/orders/A-OLD/claims", headers=k.RO).json() == []
    r = client.get(k.BASE + "/orders/missing/claims", headers=k.RO)
    assert r.json() == {"statusCode": 404, "message": "Order missing not found", "error": "Not Found"}


def test_create_then_read_in_both_endpoints(small, k):
    sandbox, client = small
    before = len(sandbox.events.query(provider="orderprotection"))
    r = client.post(k.BASE + "/claims/A-100", headers=k.RW, json=_body())
    assert (r.status_code, r.json()) == (201, {"status": "ok"})
    by_order = client.get(k.BASE + "/orders/A-100/claims", headers=k.RW).json()
    assert len(by_order) == 2
    new = by_order[-1]
    assert new["claimState"] == "NEW" and new["claimType"] == "DAMAGED"
    assert new["authorEmail"] == "ada@example.com" and new["authorName"] == "Ada Lovelace"
    assert new["resolutionRequested"] == "RESHIP" and new["claimFiledFrom"] == "EXTERNAL"
    assert new["createdAt"] == "2026-11-26T12:00:00.000Z" == new["updatedAt"]
    assert [i["quantity"] for i in new["claimItems"]] == [1]
    assert [d["documentType"] for d in new["documents"]] == ["SIGNATURE"]
    assert len(new["id"]) == 25 and new["id"].startswith("c")
    listed = client.get(k.BASE + "/claims", params={"first": 1}, headers=k.RW).json()
    assert listed["edges"][0]["node"] == new
    events = sandbox.events.query(provider="orderprotection")[before:]
    assert [(e.type, e.object_id) for e in events] == [("claim.created", new["id"]), ("message.created", new["id"])]


def test_create_by_variant_and_multiple_types(small, k):
    sandbox, client = small
    state = sandbox.state("orderprotection")
    order = state.orders[("alpha", "A-100")]
    body = _body(
        issues=[],
        fulfillmentIssues=[
            {"fulfillmentSourceId": "A-100-F1", "issues": [{"issueType": "DAMAGED", "sourceVariantId": order.items[0].source_variant_id}]},
            {"sourceFulfillmentId": "A-100-F1", "issues": [{"issueType": "MISSING_ITEM", "quantity": 3, "sourceItemId": "it-2"}]},
        ],
    )
    r = client.post(k.BASE + "/claims/A-100", headers=k.RW, json=body)
    assert r.status_code == 201, r.text
    new = client.get(k.BASE + "/orders/A-100/claims", headers=k.RW).json()[-1]
    assert new["claimType"] == "MULTIPLE"
    assert sorted(i["quantity"] for i in new["claimItems"]) == [1, 3]


@pytest.mark.parametrize(
    "body,message",
    [
        ({}, ["email should not be empty", "email must be a string", "issues should not be empty"]),
        (_body(email="not-an-email"), ["email must be an email"]),
        (_body(email=7), ["email must be a string"]),
        (_body(salesChannel="PHONE"), ["salesChannel must be one of the following values: ONLINE, IN_STORE"]),
        (_body(claimCategory="x"), ["claimCategory must be one of the following values: SHIPPING, WARRANTY"]),
        (_body(issues="x"), ["issues must be an array"]),
        (_body(issues=[{"issueType": "LOST", "sourceItemId": "it-1"}]), ["issues.0.issueType must be one of the following values: DAMAGED, DEFECTIVE_ITEM, MISSING_ITEM, MULTIPLE, ORDER_DELIVERED_NOT_RECEIVED, RETURNED_TO_SENDER, STOLEN, WRONG_ITEM, TRACKING_NOT_MOVING, WRONG_ADDRESS"]),
        (_body(issues=[{"issueType": "DAMAGED", "sourceItemId": "it-1", "quantity": 0}]), ["issues.0.quantity must not be less than 1"]),
        (_body(issues=[{"issueType": "DAMAGED", "sourceItemId": "it-1", "quantity": "2"}]), ["issues.0.quantity must be an integer number"]),
        (_body(issues=[{"issueType": "DAMAGED"}]), ["issues.0.sourceItemId should not be empty"]),
        (_body(issues=[{"issueType": "DAMAGED", "sourceItemId": "it-1", "images": ["ftp://x"]}]), ["issues.0.images.0 must be a URL address"]),
        (_body(issues=[{"issueType": "DAMAGED", "sourceItemId": "it-1", "details": "x" * 5001}]), ["issues.0.details must be shorter than or equal to 5000 characters"]),
        (_body(resolution={"desiredMethod": "CASH"}), ["resolution.desiredMethod must be one of the following values: RESHIP, REFUND, STORE_CREDIT"]),
        (_body(resolution={"warrantyPeriod": "1 year"}), ["resolution.warrantyPeriod must be a valid ISO 8601 duration"]),
        (_body(resolution="x"), ["nested property resolution must be either object or array"]),
        (_body(options={"fromValet": "yes"}), ["options.fromValet must be a boolean value"]),
        (_body(claimFiledFrom="BOT"), ["claimFiledFrom must be one of the following values: EXTERNAL, INTERNAL"]),
    ],
)
def test_create_validation(small, k, body, message):
    sandbox, client = small
    count = len(sandbox.state("orderprotection").claims)
    r = client.post(k.BASE + "/claims/A-100", headers=k.RW, json=body)
    assert (r.status_code, r.json()) == (400, {"statusCode": 400, "message": message, "error": "Bad Request"})
    assert len(sandbox.state("orderprotection").claims) == count  # nothing half-written


@pytest.mark.parametrize(
    "order,body,message",
    [
        ("A-100", _body(email="eve@example.com"), ["email does not match the order's customer"]),
        ("A-100", _body(issues=[{"issueType": "DAMAGED", "sourceItemId": "zzz"}]), ["issues.0 does not match any item of order A-100"]),
        ("A-100", _body(issues=[{"issueType": "DAMAGED", "sourceItemId": "it-2", "quantity": 4}]), ["quantity for item it-2 exceeds the 3 ordered"]),
        ("A-OLD", _body(email="old@example.com", issues=[]), None),
    ],
)
def test_create_semantic_errors(small, k, order, body, message):
    sandbox, client = small
    state = sandbox.state("orderprotection")
    if message is None:  # filing window: 45 days after fulfilment
        item = state.orders[("alpha", "A-OLD")].items[0]
        body["issues"] = [{"issueType": "STOLEN", "sourceItemId": item.source_item_id}]
        message = ["the filing window for this order closed 45 days after fulfillment"]
    r = client.post(k.BASE + f"/claims/{order}", headers=k.RW, json=body)
    assert (r.status_code, r.json()) == (400, {"statusCode": 400, "message": message, "error": "Bad Request"})


def test_create_unknown_order_after_validation(small, k):
    _, client = small
    r = client.post(k.BASE + "/claims/NOPE", headers=k.RW, json=_body())
    assert r.json() == {"statusCode": 404, "message": "Order NOPE not found", "error": "Not Found"}
    r = client.post(k.BASE + "/claims/NOPE", headers=k.RW, json={})
    assert r.status_code == 400  # the validation pipe runs before the handler looks the order up


def test_bad_json_and_wrong_content_type(small, k):
    _, client = small
    r = client.post(k.BASE + "/claims/A-100", headers={**k.RW, "content-type": "application/json"}, content=b'{"email": ')
    assert r.status_code == 400
    assert r.json() == {"statusCode": 400, "message": "Unexpected token in JSON at position 10", "error": "Bad Request"}
    r = client.post(k.BASE + "/claims/A-100", headers={**k.RW, "content-type": "text/plain"}, content=b"hello")
    assert r.status_code == 400 and r.json()["message"][0] == "email should not be empty"
    r = client.post(k.BASE + "/claims/A-100", headers=k.RW, json=[1, 2])
    assert r.status_code == 400 and r.json()["message"][0] == "email should not be empty"


def _offline():
    return {
        "customer": {"email": "walkin@example.com", "phoneNumber": "+15555550100"},
        "item": {"name": "Trail Boots", "sku": "BOOT-9", "price": 129.99, "images": ["https://example.com/b.jpg"]},
        "warranty": {"dateOfPurchase": "2026-10-01T00:00:00Z", "receiptRequired": True, "receiptImages": ["https://example.com/r.jpg"], "warrantyPeriod": "P1Y"},
        "shippingAddress": {"firstName": "Wally", "lastName": "Walker", "address1": "1 Main St", "city": "Austin", "state": "Texas", "zip": "78701", "country": "US", "lat": 30.2, "lng": -97.7, "addressOrigin": "CONCIERGE"},
        "signature": "",
        "salesChannel": "IN_STORE",
        "claimCategory": "WARRANTY",
        "issueType": "DEFECTIVE_ITEM",
        "resolution": "STORE_CREDIT",
    }


def test_offline_claim_mints_an_order_and_echoes(small, k):
    sandbox, client = small
    r = client.post(k.BASE + "/claims/offline", headers=k.RW, json=_offline())
    assert r.status_code == 201
    data = r.json()
    assert list(data) == ["status", "payload"] and data["status"] == "ok"
    payload = data["payload"]
    source = payload["sourceOrderId"]
    assert list(payload)[0] == "sourceOrderId"
    import re

    assert re.fullmatch(r"OF-\d{4}-\d{4}", source)
    assert payload["customer"] == _offline()["customer"] and payload["storeId"] == "alpha"
    claims = client.get(k.BASE + f"/orders/{source}/claims", headers=k.RW).json()
    assert len(claims) == 1
    claim = claims[0]
    assert claim["claimState"] == "NEW" and claim["claimType"] == "DEFECTIVE_ITEM"
    assert claim["authorName"] == "Wally Walker" and claim["resolutionRequested"] == "STORE_CREDIT"
    assert [d["documentType"] for d in claim["documents"]] == ["RECEIPT"]
    first = client.get(k.BASE + "/claims?first=1", headers=k.RW).json()["edges"][0]["node"]
    assert first["id"] == claim["id"]


def test_offline_validation_and_store_mismatch(small, k):
    _, client = small
    r = client.post(k.BASE + "/claims/offline", headers=k.RW, json={})
    assert r.json() == {
        "statusCode": 400,
        "message": [
            "customer should not be empty",
            "nested property customer must be either object or array",
            "customer.email should not be empty",
            "customer.email must be a string",
            "item should not be empty",
            "nested property item must be either object or array",
            "item.name should not be empty",
            "item.name must be a string",
            "issueType must be one of the following values: DAMAGED, DEFECTIVE_ITEM, MISSING_ITEM, MULTIPLE, ORDER_DELIVERED_NOT_RECEIVED, RETURNED_TO_SENDER, STOLEN, WRONG_ITEM, TRACKING_NOT_MOVING, WRONG_ADDRESS",
        ],
        "error": "Bad Request",
    }
    body = _offline()
    body["warranty"]["dateOfPurchase"] = "yesterday"
    body["item"]["price"] = "12"
    r = client.post(k.BASE + "/claims/offline", headers=k.RW, json=body)
    assert r.json()["message"] == [
        "item.price must be a number conforming to the specified constraints",
        "warranty.dateOfPurchase must be a valid ISO 8601 date string",
    ]
    r = client.post(k.BASE + "/claims/offline", headers=k.RW, json={**_offline(), "storeId": "beta"})
    assert (r.status_code, r.json()) == (403, FORBIDDEN)


def test_oauth_client_credentials_flow(small, k):
    sandbox, client = small
    r = client.post(
        k.BASE + "/oauth/token",
        json={"grant_type": "client_credentials", "client_id": "op_app_demo", "client_secret": "op_secret_demo", "store_id": "alpha", "scopes": ["read_claims"]},
    )
    assert r.status_code == 200
    data = r.json()
    assert list(data) == ["access_token", "token_type", "expires_in", "refresh_token", "scope"]
    assert data["access_token"].startswith("op_at_") and data["refresh_token"].startswith("op_rt_")
    assert (data["token_type"], data["expires_in"], data["scope"]) == ("Bearer", 3600, "read_claims")
    headers = {"Authorization": f"Bearer {data['access_token']}"}
    assert client.get(k.BASE + "/claims", headers=headers).status_code == 200
    assert client.post(k.BASE + "/claims/A-100", headers=headers, json=_body()).status_code == 403
    sandbox.advance_clock(timedelta(seconds=3600))
    assert client.get(k.BASE + "/claims", headers=headers).json() == UNAUTH
    r = client.post(
        k.BASE + "/oauth/token",
        data={"grant_type": "refresh_token", "client_id": "op_app_demo", "client_secret": "op_secret_demo", "refresh_token": data["refresh_token"]},
    )
    assert r.status_code == 200 and r.json()["scope"] == "read_claims"
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert client.get(k.BASE + "/claims", headers=fresh).status_code == 200
    r = client.post(k.BASE + "/oauth/revoke", json={"token": r.json()["access_token"], "client_id": "op_app_demo", "client_secret": "op_secret_demo"})
    assert r.json() == {"status": "ok"}
    assert client.get(k.BASE + "/claims", headers=fresh).status_code == 401


def test_oauth_tokens_are_deterministic_after_reset(small, k):
    sandbox, client = small
    body = {"grant_type": "client_credentials", "client_id": "op_app_demo", "client_secret": "op_secret_demo", "store_id": "alpha"}
    first = client.post(k.BASE + "/oauth/token", json=body).json()
    assert first["scope"] == "read_claims write_claims"
    client.post("/_sandbox/reset")
    assert client.post(k.BASE + "/oauth/token", json=body).json() == first


@pytest.mark.parametrize(
    "body,status,message",
    [
        ({"grant_type": "password"}, 400, ["grant_type must be one of the following values: authorization_code, refresh_token, client_credentials"]),
        ({"grant_type": "client_credentials", "client_id": "op_app_demo", "client_secret": "wrong"}, 401, "Invalid client credentials"),
        ({"grant_type": "client_credentials", "client_id": "op_app_demo", "client_secret": "op_secret_demo"}, 400, ["store_id should not be empty", "store_id must be a string"]),
        ({"grant_type": "client_credentials", "client_id": "op_app_demo", "client_secret": "op_secret_demo", "store_id": "beta"}, 403, "App is not installed on store beta"),
        ({"grant_type": "client_credentials", "client_id": "op_app_demo", "client_secret": "op_secret_demo", "store_id": "alpha", "scopes": ["manage_claims"]}, 403, "Scopes not granted to this app: manage_claims"),
        ({"grant_type": "client_credentials", "client_id": "op_app_demo", "client_secret": "op_secret_demo", "store_id": "alpha", "scopes": ["fly"]}, 400, None),
        ({"grant_type": "refresh_token", "client_id": "op_app_demo", "client_secret": "op_secret_demo", "refresh_token": "op_rt_x"}, 400, ["refresh_token is invalid or expired"]),
    ],
)
def test_oauth_errors(small, k, body, status, message):
    _, client = small
    r = client.post(k.BASE + "/oauth/token", json=body)
    assert r.status_code == status
    reason = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden"}[status]
    if message is None:
        assert r.json()["message"][0].startswith("each value in scopes must be one of the following values: read_claims")
    else:
        assert r.json() == {"statusCode": status, "message": message, "error": reason}


@pytest.mark.parametrize(
    "method,path",
    [("GET", "/v1/claims/cnew000000000000000000001"), ("DELETE", "/v1/claims"), ("GET", "/v2/claims"), ("PUT", "/v1/orders/A-100/claims")],
)
def test_unknown_routes_get_the_nest_404(small, method, path):
    _, client = small
    r = client.request(method, "/orderprotection" + path, headers={"Authorization": "Bearer op_at_alpha_rw"})
    assert (r.status_code, r.json()) == (404, {"statusCode": 404, "message": f"Cannot {method} {path}", "error": "Not Found"})


def test_host_mode(small):
    _, client = small
    r = client.get("/v1/claims?first=1", headers={"Host": "api.production.orderprotection.com", "Authorization": "Bearer op_at_alpha_rw"})
    assert r.status_code == 200 and r.json()["edges"][0]["node"]["storeId"] == "alpha"
    r = client.get("/v1/nothing", headers={"Host": "api.production.orderprotection.com:443"})
    assert r.json() == {"statusCode": 404, "message": "Cannot GET /v1/nothing", "error": "Not Found"}


@pytest.mark.parametrize(
    "status,body",
    [
        (400, {"statusCode": 400, "message": ["Bad request"], "error": "Bad Request"}),
        (401, UNAUTH),
        (403, FORBIDDEN),
        (404, {"statusCode": 404, "message": "Not Found", "error": "Not Found"}),
        (429, {"statusCode": 429, "message": "ThrottlerException: Too Many Requests"}),
        (500, {"statusCode": 500, "message": "Internal server error"}),
    ],
)
def test_forced_faults(small, k, status, body):
    _, client = small
    r = client.post("/_sandbox/faults", json={"provider": "orderprotection", "status": status, "retry_after": 7})
    assert r.status_code == 201
    r = client.get(k.BASE + "/claims", headers=k.RW)
    assert (r.status_code, r.json()) == (status, body)
    if status == 429:
        assert r.headers["retry-after"] == "7"
    assert client.get(k.BASE + "/claims", headers=k.RW).status_code == 200


def test_optional_rate_limit(sandbox_from, k):
    text = k.SMALL.replace("    apps:", "    rate_limit_per_minute: 2\n    apps:")
    _, client = sandbox_from(text, providers=["orderprotection"])
    assert [client.get(k.BASE + "/claims", headers=k.RW).status_code for _ in range(2)] == [200, 200]
    r = client.get(k.BASE + "/claims", headers=k.RW)
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert r.json() == {"statusCode": 429, "message": "ThrottlerException: Too Many Requests"}
    assert client.get(k.BASE + "/claims", headers=k.BETA).status_code == 200  # per token


def test_scenario_listing(small):
    _, client = small
    tenants = client.get("/_sandbox/scenario").json()["providers"]["orderprotection"]
    assert tenants["base_path"] == "/orderprotection/v1"
    alpha = tenants["tenants"][0]
    assert alpha["id"] == "alpha"
    assert alpha["credentials"][0] == {"header": "Authorization", "value": "Bearer op_at_alpha_rw", "scopes": ["read_claims", "write_claims"]}
    assert alpha["apps"] == [{"client_id": "op_app_demo", "client_secret": "op_secret_demo", "scopes": ["read_claims", "write_claims"]}]
