"""Orders and fulfillments through HTTP: auth, scopes, paging (properties), bad input, read after
write, the documented examples, the claim rules that depend on orders, and the reship flow."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.providers.orderprotection.wire import OrderNode
from sandbox.testing import asgi_client, make_sandbox

OW = {"Authorization": "Bearer op_at_alpha_ow"}  # read/write orders and claims
OR = {"Authorization": "Bearer op_at_alpha_orders"}  # read_orders only
UNAUTH = {"statusCode": 401, "message": "Unauthorized"}
FORBIDDEN = {"statusCode": 403, "message": "Forbidden resource", "error": "Forbidden"}
CTRL = "/_sandbox/orderprotection/claims/"


def _text(k) -> str:
    token = "          - {token: op_at_alpha_ow, scopes: [read_orders, write_orders, read_claims, write_claims]}\n"
    return k.SMALL.replace("        orders:\n", token + "        orders:\n", 1)


@pytest.fixture
def orders(sandbox_from, k):
    return sandbox_from(_text(k), providers=["orderprotection"])


def _load(k, name):
    return json.loads((k.FIXTURES / name).read_text())


def _order_body(source="N-1", email="nia@example.com", **over):
    body = {
        "sourceOrderId": source,
        "sourceOrderNumber": "#N1",
        "customerEmail": email,
        "customerName": "Nia Okafor",
        "currency": "USD",
        "orderItems": [
            {"productName": "Lamp", "sku": "LMP-1", "quantity": 2, "price": 20, "sourceItemId": "li-1"},
            {"productName": "Bulb", "quantity": 1, "price": 3.5, "sourceItemId": "li-2"},
        ],
    }
    body.update(over)
    return body


def _fulfillment(fid="ful-1", **over):
    body = {"sourceItemIds": [{"sourceItemId": "li-1", "quantity": 2}], "fulfillmentStatus": "FULFILLED", "sourceFulfillmentId": fid}
    body.update(over)
    return body


def _path(source):
    return quote(source, safe="")


ROUTES = [
    ("GET", "/orders", None),
    ("GET", "/orders/A-100", None),
    ("POST", "/orders", _order_body()),
    ("PUT", "/orders/A-100", {"tags": "x"}),
    ("GET", "/orders/A-100/fulfillments", None),
    ("POST", "/orders/A-100/fulfillments", _fulfillment()),
    ("PUT", "/orders/A-100/fulfillments/A-100-F1", {"status": "DELIVERED"}),
]


@pytest.mark.parametrize("method,path,body", ROUTES)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "op_at_alpha_ow"}, {"Authorization": "Bearer nope"}])
def test_every_order_route_rejects_bad_auth(orders, k, method, path, body, headers):
    _, client = orders
    r = client.request(method, k.BASE + path, headers=headers, json=body)
    assert (r.status_code, r.json()) == (401, UNAUTH)


@pytest.mark.parametrize("method,path,body", ROUTES)
def test_claim_scopes_do_not_reach_orders(orders, k, method, path, body):
    _, client = orders
    r = client.request(method, k.BASE + path, headers=k.RW, json=body)
    assert (r.status_code, r.json()) == (403, FORBIDDEN)


@pytest.mark.parametrize("method,path,body", [r for r in ROUTES if r[0] in ("POST", "PUT") and "fulfillments" not in r[1]])
def test_read_orders_cannot_write_orders(orders, k, method, path, body):
    _, client = orders
    r = client.request(method, k.BASE + path, headers=OR, json=body)
    assert (r.status_code, r.json()) == (403, FORBIDDEN)


def test_list_shape_follows_the_example(orders, k):
    _, client = orders
    example = _load(k, "order_list_example.json")
    page = client.get(k.BASE + "/orders", headers=OR).json()
    assert list(page) == ["pageInfo", "pageCursors", "totalCount", "edges"]
    assert list(page["pageInfo"]) == list(example["pageInfo"])
    assert list(page["pageCursors"]["around"][0]) == list(example["pageCursors"]["around"][0])
    assert page["pageCursors"]["around"][0]["cursor"] == example["pageCursors"]["around"][0]["cursor"]
    assert base64.b64decode(page["pageCursors"]["around"][0]["cursor"]) == b"arrayconnection:0"
    assert page["totalCount"] == 47  # 2 hand orders, 3 for hand claims, 40 bulk, 2 spare
    assert len(page["edges"]) == 10 and page["pageInfo"]["startCursor"] == ""
    for edge in page["edges"]:
        OrderNode.model_validate(edge["node"])
        assert edge["node"]["storeId"] == "alpha"
    beta = client.get(k.BASE + "/orders", headers=k.BETA)
    assert beta.status_code == 403  # manage_claims only


def test_one_page_answer_has_empty_cursors_as_the_example(orders, k):
    _, client = orders
    page = client.get(k.BASE + "/orders?size=100", headers=OR).json()
    assert page["pageInfo"] == {"startCursor": "", "endCursor": "", "hasNextPage": False, "hasPreviousPage": False}
    assert page["pageCursors"]["around"] == [{"cursor": "YXJyYXljb25uZWN0aW9uOjA=", "page": 1, "isCurrent": True}]


@pytest.fixture(scope="module")
def paged(k_session):
    text = _text(k_session)
    sandbox = make_sandbox(text=text, providers=["orderprotection"])
    client = asgi_client(sandbox)
    yield client
    client.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(1, 25), buttons=st.integers(1, 9))
def test_walking_end_cursors_sees_every_order_once(paged, k_session, size, buttons):
    client, base = paged, k_session.BASE
    seen, cursor, pages = [], None, 0
    total = None
    while True:
        params = {"size": size, "buttonNum": buttons} | ({"cursor": cursor} if cursor else {})
        page = client.get(base + "/orders", params=params, headers=OR).json()
        total = page["totalCount"]
        assert len(page["edges"]) <= size
        assert all(e["node"]["storeId"] == "alpha" for e in page["edges"])
        around = page["pageCursors"]["around"]
        assert 1 <= len(around) <= buttons
        assert [p["page"] for p in around] == list(range(around[0]["page"], around[-1]["page"] + 1))
        assert sum(p["isCurrent"] for p in around) == 1
        assert page["pageInfo"]["hasPreviousPage"] == (pages > 0)
        seen += [e["node"]["sourceOrderId"] for e in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            assert page["pageInfo"]["endCursor"] == ""
            break
        cursor = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == total
    # every page cursor opens the page it names: the same orders as the walk
    first = client.get(base + "/orders", params={"size": size, "buttonNum": buttons}, headers=OR).json()
    for button in first["pageCursors"]["around"]:
        page = client.get(base + "/orders", params={"size": size, "cursor": button["cursor"]}, headers=OR).json()
        start = (button["page"] - 1) * size
        assert [e["node"]["sourceOrderId"] for e in page["edges"]] == seen[start : start + size]


@pytest.mark.parametrize(
    "query,message",
    [
        ("size=0", "size must not be less than 1"),
        ("size=101", "size must not be greater than 100"),
        ("size=abc", "size must be an integer number"),
        ("size=" + "9" * 5000, "size must be an integer number"),
        ("buttonNum=0", "buttonNum must not be less than 1"),
        ("cursor=zzz", "cursor must be a valid cursor"),
        ("cursor=" + base64.b64encode(b"arrayconnection:-1").decode(), "cursor must be a valid cursor"),
        ("cursor=" + base64.b64encode(b"other:3").decode(), "cursor must be a valid cursor"),
        ("cursor=" + base64.b64encode(b"\xff\xfe").decode(), "cursor must be a valid cursor"),
    ],
)
def test_bad_list_parameters_are_400(orders, k, query, message):
    _, client = orders
    r = client.get(k.BASE + "/orders?" + query, headers=OR)
    assert r.status_code == 400
    assert r.json() == {"statusCode": 400, "message": [message], "error": "Bad Request"}


def test_cursor_past_the_end_is_an_empty_page(orders, k):
    _, client = orders
    cursor = base64.b64encode(b"arrayconnection:5000").decode()
    page = client.get(k.BASE + "/orders", params={"cursor": cursor}, headers=OR).json()
    assert page["edges"] == [] and page["pageInfo"]["hasPreviousPage"] and not page["pageInfo"]["hasNextPage"]


def test_claim_items_point_at_order_items_readable_back(orders, k):
    _, client = orders
    for claim in client.get(k.BASE + "/claims?first=100", headers=k.RW).json()["edges"]:
        node = claim["node"]
        order = client.get(k.BASE + "/orders/" + _path(node["sourceOrderId"]), headers=OR).json()
        assert order["id"] == node["orderId"] and order["policyId"] == node["policyId"]
        ids = {i["id"] for i in order["orderItems"]}
        assert {i["itemId"] for i in node["claimItems"]} <= ids


def test_unknown_and_other_store_orders_are_404(orders, k):
    sandbox, client = orders
    beta_order = next(iter(sandbox.state("orderprotection").orders.of_store("beta")))
    for source in ("nope", beta_order.source_order_id):
        r = client.get(k.BASE + "/orders/" + source, headers=OR)
        assert r.status_code == 404
        assert r.json() == {"statusCode": 404, "message": f"Order {source} not found", "error": "Not Found"}


def test_documented_create_example_reads_back(orders, k):
    _, client = orders
    body = _load(k, "order_create_example.json")
    r = client.post(k.BASE + "/orders", headers=OW, json=body)
    assert (r.status_code, r.json()) == (201, {"status": "ok"})
    order = client.get(k.BASE + "/orders/" + _path("#517AB"), headers=OW).json()
    head = _load(k, "order_get_example_head.json")
    assert list(order)[: len(head["keys"])] == head["keys"]
    assert list(order["orderItems"][0]) == list(head["orderItem"])
    assert order["sourceOrderNumber"] == "#634C" and order["customerEmail"] == "john@doe.com"
    assert order["premiumPaid"] == 1.5 and order["premiumCost"] == 1 and order["total"] == 15.4
    assert order["sourceCreatedAt"] == "2000-05-15T21:00:00.000Z"
    assert [i["sourceItemId"] for i in order["orderItems"]] == ["387179", "387180"]
    assert order["orderItems"][0]["itemDescription"] == "Variant: White Oak. Size: 10'x10'"
    [ful] = order["fulfillments"]
    assert ful["sourceFulfillmentId"] == "fulfillment-123" and ful["fulfillmentStatus"] == "FULFILLED"
    assert ful["trackingNumber"] == ["AB0303456"] and [i["sourceItemId"] for i in ful["sourceItemIds"]] == ["1478", "1479"]
    assert order["address"]["city"] == "Rippinfurt"
    listed = client.get(k.BASE + "/orders?size=100", headers=OW).json()
    assert listed["totalCount"] == 48 and listed["edges"][-1]["node"]["sourceOrderId"] == "#517AB"
    again = client.post(k.BASE + "/orders", headers=OW, json=body)
    assert again.status_code == 409
    assert again.json() == {"statusCode": 409, "message": "Order #517AB already exists", "error": "Conflict"}


def test_documented_update_and_fulfillment_examples(orders, k):
    _, client = orders
    assert client.post(k.BASE + "/orders", headers=OW, json=_order_body("12345")).status_code == 201
    assert client.post(k.BASE + "/orders", headers=OW, json=_order_body("R-1")).status_code == 201
    r = client.put(k.BASE + "/orders/R-1", headers=OW, json=_load(k, "order_update_example.json"))
    assert (r.status_code, r.json()) == (200, {"status": "ok"})
    order = client.get(k.BASE + "/orders/R-1", headers=OW).json()
    assert order["originalSourceOrderId"] == "12345"
    assert order["originalOrderId"] == client.get(k.BASE + "/orders/12345", headers=OW).json()["id"]
    assert order["total"] == 15.4 and order["shippingCostTax"] == 234 and order["sourceOrderNumber"] == "#634C"
    assert order["sourceCancelledAt"] == "2000-05-15T21:00:00.000Z"
    r = client.post(k.BASE + "/orders/R-1/fulfillments", headers=OR, json=_load(k, "fulfillment_create_example.json"))
    assert (r.status_code, r.json()) == (201, {"status": "ok"})
    listed = client.get(k.BASE + "/orders/R-1/fulfillments", headers=OR).json()
    assert [f["sourceFulfillmentId"] for f in listed] == ["fulfillment-123"]
    assert listed[0]["trackingNumber"] == ["AB0303456", "CD0303457"]
    assert listed[0]["createdAt"] == "2024-03-20T12:00:00.000Z"
    r = client.put(k.BASE + "/orders/R-1/fulfillments/fulfillment-123", headers=OR, json={"status": "delivered"})
    assert r.status_code == 200
    assert client.get(k.BASE + "/orders/R-1", headers=OR).json()["fulfillments"][0]["fulfillmentStatus"] == "DELIVERED"


BAD_ORDERS = [
    ({}, "sourceOrderId should not be empty"),
    (_order_body(sourceOrderId=7), "sourceOrderId must be a string"),
    (_order_body(customerEmail="nope"), "customerEmail must be an email"),
    (_order_body(orderItems="many"), "orderItems must be an array"),
    (_order_body(orderItems=[]), "orderItems should not be empty"),
    (_order_body(orderItems=[{"productName": "x"}]), "orderItems.0.sourceItemId should not be empty"),
    (_order_body(orderItems=[{"productName": "x", "sourceItemId": "a", "quantity": 0}]), "orderItems.0.quantity must not be less than 1"),
    (_order_body(orderItems=[{"productName": "x", "sourceItemId": "a", "price": 1e300}]), "orderItems.0.price must not be less than 0"),
    (_order_body(total="lots"), "total must be a number conforming to the specified constraints"),
    (_order_body(total="nan"), "total must be a number conforming to the specified constraints"),
    (_order_body(platformId="ebay"), "platformId must be one of the following values: shopify, woocommerce, magento, bigcommerce, api"),
    (_order_body(currency="usd"), "currency must be a valid enum value"),
    (_order_body(sourceCreatedAt="yesterday"), "sourceCreatedAt must be a valid ISO 8601 date string"),
    (_order_body(sourceCreatedAt="9999-12-31T23:59:59-23:59"), "sourceCreatedAt must be a valid ISO 8601 date string"),
    (_order_body(address="street"), "nested property address must be either object or array"),
    (_order_body(tags="x" * 300), "tags must be shorter than or equal to 255 characters"),
    (_order_body(fulfillments=[{"sourceFulfillmentId": "f", "fulfillmentStatus": "LOST", "sourceItemIds": []}]),
     "fulfillments.0.fulfillmentStatus must be one of the following values"),
    (_order_body(originalSourceOrderId="missing"), "originalSourceOrderId must be another order of this store"),
]


@pytest.mark.parametrize("body,message", BAD_ORDERS)
def test_bad_create_body_is_400_and_stores_nothing(orders, k, body, message):
    _, client = orders
    r = client.post(k.BASE + "/orders", headers=OW, json=body)
    assert r.status_code == 400, r.text
    got = r.json()
    assert got["statusCode"] == 400 and got["error"] == "Bad Request"
    messages = got["message"] if isinstance(got["message"], list) else [got["message"]]
    assert any(m.startswith(message) for m in messages), messages
    assert client.get(k.BASE + "/orders", headers=OW).json()["totalCount"] == 47


@pytest.mark.parametrize("raw", [b"{oops", b"[1]", b""])
def test_malformed_or_non_object_create_body(orders, k, raw):
    _, client = orders
    r = client.post(k.BASE + "/orders", headers={**OW, "content-type": "application/json"}, content=raw)
    assert r.status_code == 400 and r.json()["statusCode"] == 400


@pytest.mark.parametrize(
    "body,message",
    [
        ({"sourceOrderId": "other"}, "property sourceOrderId should not exist"),
        ({"premiumPaid": "x"}, "premiumPaid must be a number conforming to the specified constraints"),
        ({"customerEmail": 5}, "customerEmail must be a string"),
        ({"fulfillments": []}, "property fulfillments should not exist"),
        ({"originalSourceOrderId": "A-100"}, "originalSourceOrderId must be another order of this store"),
    ],
)
def test_bad_update_body_is_400_and_changes_nothing(orders, k, body, message):
    _, client = orders
    before = client.get(k.BASE + "/orders/A-100", headers=OW).content
    r = client.put(k.BASE + "/orders/A-100", headers=OW, json=body)
    assert r.status_code == 400 and message in r.json()["message"]
    assert client.get(k.BASE + "/orders/A-100", headers=OW).content == before


def test_update_unknown_order_is_404(orders, k):
    _, client = orders
    assert client.put(k.BASE + "/orders/nope", headers=OW, json={"tags": "a"}).status_code == 404


@pytest.mark.parametrize(
    "body,message",
    [
        ({}, "sourceFulfillmentId should not be empty"),
        (_fulfillment(fulfillmentStatus=3), "fulfillmentStatus must be one of the following values"),
        (_fulfillment(sourceItemIds="x"), "sourceItemIds must be an array"),
        (_fulfillment(sourceItemIds=[{"quantity": 1}]), "sourceItemIds.0.sourceItemId should not be empty"),
        (_fulfillment(trackingNumber=[1]), "trackingNumber.0 must be a string"),
        (_fulfillment(trackingUrl=["not a url"]), "trackingUrl.0 must be a URL address"),
        (_fulfillment(createdAt="soon"), "createdAt must be a valid ISO 8601 date string"),
    ],
)
def test_bad_fulfillment_body_is_400_and_stores_nothing(orders, k, body, message):
    _, client = orders
    r = client.post(k.BASE + "/orders/A-100/fulfillments", headers=OR, json=body)
    assert r.status_code == 400
    assert any(m.startswith(message) for m in r.json()["message"]), r.json()
    assert len(client.get(k.BASE + "/orders/A-100/fulfillments", headers=OR).json()) == 1


def test_fulfillment_conflicts_unknown_order_and_status_update_errors(orders, k):
    _, client = orders
    r = client.post(k.BASE + "/orders/A-100/fulfillments", headers=OR, json=_fulfillment("A-100-F1"))
    assert r.status_code == 409 and r.json()["error"] == "Conflict"
    assert client.post(k.BASE + "/orders/nope/fulfillments", headers=OR, json=_fulfillment()).status_code == 404
    r = client.put(k.BASE + "/orders/A-100/fulfillments/nope", headers=OR, json={"status": "DELIVERED"})
    assert r.status_code == 404
    r = client.put(k.BASE + "/orders/A-100/fulfillments/A-100-F1", headers=OR, json={"status": "GONE"})
    assert r.status_code == 400 and r.json()["message"][0].startswith("status must be one of")


def _claim(email="nia@example.com", fulfillment=None):
    issue = {"issueType": "DAMAGED", "quantity": 1, "sourceItemId": "li-1"}
    if fulfillment is None:
        return {"email": email, "issues": [issue]}
    return {"email": email, "fulfillmentIssues": [{"sourceFulfillmentId": fulfillment, "issues": [issue]}]}


def test_claims_on_an_api_order_follow_its_fulfillments(orders, k):
    sandbox, client = orders
    assert client.post(k.BASE + "/orders", headers=OW, json=_order_body()).status_code == 201
    # unfulfilled: no window yet; the claimant's email must be the order's
    assert client.post(k.BASE + "/claims/N-1", headers=OW, json=_claim(email="eve@example.com")).status_code == 400
    assert client.post(k.BASE + "/claims/N-1", headers=OW, json=_claim()).status_code == 201
    # a fulfilment the claim names must be the order's
    r = client.post(k.BASE + "/claims/N-1", headers=OW, json=_claim(fulfillment="ful-1"))
    assert r.status_code == 400
    assert r.json()["message"] == ["fulfillmentIssues.0.sourceFulfillmentId must be a fulfillment of order N-1"]
    assert client.post(k.BASE + "/orders/N-1/fulfillments", headers=OW, json=_fulfillment("ful-1")).status_code == 201
    assert client.post(k.BASE + "/claims/N-1", headers=OW, json=_claim(fulfillment="ful-1")).status_code == 201
    # 45 days after that fulfilment the window closes, for a claim naming it or not
    sandbox.advance_clock(timedelta(days=45, seconds=1))
    for body in (_claim(fulfillment="ful-1"), _claim()):
        r = client.post(k.BASE + "/claims/N-1", headers=OW, json=body)
        assert r.status_code == 400
        assert r.json()["message"] == ["the filing window for this order closed 45 days after fulfillment"]
    # a later shipment opens it again for claims that do not name the old one
    assert client.post(k.BASE + "/orders/N-1/fulfillments", headers=OW, json=_fulfillment("ful-2")).status_code == 201
    assert client.post(k.BASE + "/claims/N-1", headers=OW, json=_claim()).status_code == 201
    assert client.post(k.BASE + "/claims/N-1", headers=OW, json=_claim(fulfillment="ful-1")).status_code == 400
    claims = client.get(k.BASE + "/orders/N-1/claims", headers=OW).json()
    items = {i["id"] for i in client.get(k.BASE + "/orders/N-1", headers=OW).json()["orderItems"]}
    assert len(claims) == 3 and all(c["claimItems"][0]["itemId"] in items for c in claims)


def test_backdated_fulfilment_outside_the_window_refuses_claims(orders, k):
    _, client = orders
    assert client.post(k.BASE + "/orders", headers=OW, json=_order_body()).status_code == 201
    old = _fulfillment("ful-old", createdAt="2026-09-01T00:00:00Z")
    assert client.post(k.BASE + "/orders/N-1/fulfillments", headers=OW, json=old).status_code == 201
    assert client.post(k.BASE + "/claims/N-1", headers=OW, json=_claim()).status_code == 400


def test_reship_replacement_order_resolves_the_approved_claim(orders, k):
    _, client = orders
    claim_id = client.get(k.BASE + "/orders/A-100/claims", headers=k.RW).json()[0]["id"]
    assert client.post(CTRL + claim_id + "/approve", json={"type": "RESHIP"}).status_code == 200
    assert client.post(k.BASE + "/orders", headers=OW, json=_order_body("A-100-R", email="ada@example.com")).status_code == 201
    r = client.put(k.BASE + "/orders/A-100-R", headers=OW, json={"originalSourceOrderId": "A-100"})
    assert r.status_code == 200
    replacement = client.get(k.BASE + "/orders/A-100-R", headers=OW).json()
    original = client.get(k.BASE + "/orders/A-100", headers=OW).json()
    assert replacement["originalSourceOrderId"] == "A-100" and replacement["originalOrderId"] == original["id"]
    claim = client.get(CTRL + claim_id).json()
    assert claim["claimState"] == "RESOLVED"
    assert claim["claimMessages"][-1]["message"].startswith("Replacement order #N1 (A-100-R)")


def test_replacement_for_a_refund_leaves_the_claim(orders, k):
    _, client = orders
    claim_id = client.get(k.BASE + "/orders/A-100/claims", headers=k.RW).json()[0]["id"]
    assert client.post(CTRL + claim_id + "/approve", json={"type": "REFUND"}).status_code == 200
    body = _order_body("A-100-R", email="ada@example.com", originalSourceOrderId="A-100")
    assert client.post(k.BASE + "/orders", headers=OW, json=body).status_code == 201
    assert client.get(CTRL + claim_id).json()["claimState"] == "APPROVED"


def test_orders_reset_byte_identical(orders, k):
    sandbox, client = orders
    before = client.get(k.BASE + "/orders?size=100", headers=OW).content
    assert client.post(k.BASE + "/orders", headers=OW, json=_order_body()).status_code == 201
    assert client.post("/_sandbox/reset").status_code == 200
    assert client.get(k.BASE + "/orders?size=100", headers=OW).content == before


def test_orders_in_host_mode(orders, k):
    _, client = orders
    r = client.get("/v1/orders/A-100", headers={**OW, "host": "api.production.orderprotection.com"})
    assert r.status_code == 200 and r.json()["sourceOrderId"] == "A-100"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
ORDER_FIELDS = [
    "sourceOrderId", "sourceOrderNumber", "customerEmail", "customerName", "currency", "platformId", "premiumPaid",
    "total", "sourceCreatedAt", "orderItems", "address", "fulfillments", "originalSourceOrderId", "tags",
]
FULFILLMENT_FIELDS = ["sourceItemIds", "fulfillmentStatus", "sourceFulfillmentId", "trackingNumber", "trackingUrl", "createdAt"]


FUZZED: list[int] = []  # one fresh sourceOrderId per example


def _nest_error(r):
    body = r.json()
    assert set(body) <= {"statusCode", "message", "error"} and body["statusCode"] == r.status_code


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    create=st.dictionaries(st.sampled_from(ORDER_FIELDS), JSON_VALUES, max_size=6),
    update=st.dictionaries(st.sampled_from(ORDER_FIELDS), JSON_VALUES, max_size=4),
    fulfillment=st.dictionaries(st.sampled_from(FULFILLMENT_FIELDS), JSON_VALUES, max_size=6),
)
def test_wrong_types_in_real_fields_never_500_and_refusals_store_nothing(paged, k_session, create, update, fulfillment):
    client, base = paged, k_session.BASE
    total = client.get(base + "/orders", headers=OW).json()["totalCount"]
    FUZZED.append(1)
    r = client.post(base + "/orders", headers=OW, json=_order_body(f"F-{len(FUZZED)}") | create)
    assert r.status_code in (201, 400, 409), r.text
    if r.status_code != 201:
        _nest_error(r)
        assert client.get(base + "/orders", headers=OW).json()["totalCount"] == total
    before = client.get(base + "/orders/A-100", headers=OW).content
    r = client.put(base + "/orders/A-100", headers=OW, json=update)
    assert r.status_code in (200, 400), r.text
    if r.status_code == 400:
        _nest_error(r)
        assert client.get(base + "/orders/A-100", headers=OW).content == before
    r = client.post(base + "/orders/A-100/fulfillments", headers=OW, json=fulfillment)
    assert r.status_code in (201, 400, 409), r.text
    if r.status_code != 201:
        _nest_error(r)
    assert client.get(base + "/orders/A-100", headers=OW).status_code == 200
    assert client.get(base + "/claims?first=5", headers=OW).status_code == 200


def test_readme_order_examples_run_on_the_default_scenario(sandbox_from, k):
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("### OrderProtection") :]
    body = json.loads(re.search(r"v1/orders -H .*?-d '(\{.*?\})'", section, re.S).group(1))
    _, client = sandbox_from(k.default_text(), providers=["orderprotection"])
    rw = {"Authorization": "Bearer op_at_teststore2_orders_rw"}
    assert client.post(k.BASE + "/orders", headers=rw, json=body).status_code == 201
    order = client.get(k.BASE + "/orders/" + body["sourceOrderId"], headers=rw).json()
    assert order["customerEmail"] == body["customerEmail"]
    listed = client.get(k.BASE + "/orders?size=5", headers={"Authorization": "Bearer op_at_teststore2_orders_only"})
    assert listed.status_code == 200 and len(listed.json()["edges"]) == 5
