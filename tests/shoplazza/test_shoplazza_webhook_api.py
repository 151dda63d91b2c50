"""Shoplazza's webhook registration API: both body/answer families by version, validation (422 in
2022-01, 400 from 2025-06), store isolation, paging, and the subscription being the core one that
`/_sandbox/webhooks` lists and that receives signed deliveries."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.testing import WebhookReceiver, asgi_client, live_sandbox, make_sandbox

TOKEN = {"Access-Token": "tok_alpha"}
FLAT = "/shoplazza/openapi/2022-01/webhooks"
WRAPPED = "/shoplazza/openapi/2026-01/webhooks"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
FIELDS = ["id", "address", "topic", "created_at", "updated_at", "format"]


def create(client, base, topic="disputes/update", address="http://127.0.0.1:9/hook", headers=TOKEN):
    body = {"topic": topic, "address": address}
    return client.post(base, headers=headers, json={"webhook": body} if base.split("/")[3] >= "2025-06" else body)


def data(response):
    body = response.json()
    if "code" in body:
        assert body["code"] == "Success" and body["message"] == "Success"
        return body["data"]
    return body


def core_subs(client):
    return client.get("/_sandbox/webhooks").json()["subscriptions"]


@pytest.mark.parametrize("base", [FLAT, "/shoplazza/openapi/2024-07/webhooks", WRAPPED,
                                  "/shoplazza/openapi/2025-06/webhooks", "/shoplazza/openapi/2026-07/webhooks"])
def test_create_then_read_back_everywhere(shz, base):
    _, client = shz
    made = create(client, base)
    assert made.status_code == 200, made.text
    assert UUID.match(made.headers["request-id"])
    hook = data(made)["webhook"]
    assert list(hook) == FIELDS
    assert hook["address"] == "http://127.0.0.1:9/hook" and hook["topic"] == "disputes/update"
    assert hook["format"] == "json" and ISO.match(hook["created_at"]) and hook["created_at"] == hook["updated_at"]
    assert ("code" in made.json()) == (base.split("/")[3] >= "2025-06")
    assert data(client.get(f"{base}/{hook['id']}", headers=TOKEN))["webhook"] == hook
    assert [h["id"] for h in data(client.get(base, headers=TOKEN))["webhooks"]] == [hook["id"]]
    assert data(client.get(f"{base}/count", headers=TOKEN)) == {"count": 1}
    (sub,) = core_subs(client)  # the same object the control plane lists
    assert sub["id"] == hook["id"] and sub["tenant"] == "alpha" and sub["events"] == ["disputes/update"]
    assert sub["url"] == "http://127.0.0.1:9/hook"


def test_wrapped_versions_want_the_webhook_object(shz):
    _, client = shz
    flat_on_new = client.post(WRAPPED, headers=TOKEN, json={"topic": "disputes/update", "address": "http://a.b/h"})
    assert flat_on_new.status_code == 400 and flat_on_new.json()["code"] == "InvalidParameter"
    wrapped_on_old = client.post(FLAT, headers=TOKEN, json={"webhook": {"topic": "disputes/update"}})
    assert wrapped_on_old.status_code == 422
    assert wrapped_on_old.json() == {"errors": {"address": ["can't be blank"], "topic": ["can't be blank"]}}
    assert core_subs(client) == []


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"address": ["can't be blank"], "topic": ["can't be blank"]}),
        ({"address": "", "topic": " "}, {"address": ["can't be blank"], "topic": ["can't be blank"]}),
        ({"address": "ftp://x.y/z", "topic": "disputes/update"}, {"address": ["is invalid"]}),
        ({"address": "not a url", "topic": "disputes/update"}, {"address": ["is invalid"]}),
        ({"address": 123, "topic": ["x"]}, {"address": ["is invalid"], "topic": ["is invalid"]}),
        ({"address": "http://a.b/h", "topic": "disputes/explode"}, {"topic": ["is invalid"]}),
        ({"address": "http://a.b/" + "x" * 3000, "topic": "orders/create"}, {"address": ["is invalid"]}),
        ({"address": "http://exa mple.com/h", "topic": "disputes/update"}, {"address": ["is invalid"]}),
    ],
)
def test_bad_bodies_are_422_by_field_and_store_nothing(shz, body, errors):
    _, client = shz
    r = client.post(FLAT, headers=TOKEN, json=body)
    assert (r.status_code, r.json()) == (422, {"errors": errors})
    assert core_subs(client) == [] and data(client.get(f"{FLAT}/count", headers=TOKEN)) == {"count": 0}


@pytest.mark.parametrize("raw", [b"[1]", b"{", b'"x"', b"\xff\xfe"])
def test_bodies_that_are_not_objects_are_400(shz, raw):
    _, client = shz
    r = client.post(FLAT, headers={**TOKEN, "content-type": "application/json"}, content=raw)
    assert r.status_code == 400 and r.json()["code"] == "InvalidParameter"
    assert core_subs(client) == []


def test_auth_scope_and_store_isolation(shz):
    _, client = shz
    assert client.post(FLAT, json={"topic": "disputes/update", "address": "http://a.b/h"}).json() == {
        "error": "Unauthorized"}
    noscope = create(client, FLAT, headers={"Access-Token": "tok_alpha_noscope"})
    assert noscope.status_code == 403 and noscope.json() == {"errors": ["Forbidden: read_finance scope required"]}
    assert create(client, FLAT, topic="products/create", headers={"Access-Token": "tok_alpha_noscope"}).status_code == 200
    assert create(client, FLAT, headers={"Access-Token": "tok_alpha_write"}).status_code == 200
    hook = data(create(client, FLAT, address="http://127.0.0.1:9/other"))["webhook"]
    beta = {"Access-Token": "tok_beta"}
    assert data(client.get(FLAT, headers=beta)) == {"webhooks": []}
    for method in ("GET", "PUT", "DELETE"):
        r = client.request(method, f"{FLAT}/{hook['id']}", headers=beta, json={"topic": "disputes/create"})
        assert (r.status_code, r.json()) == (404, {"errors": ["record not found!"]})
    assert data(client.get(f"{FLAT}/{hook['id']}", headers=TOKEN))["webhook"] == hook  # untouched
    assert client.get(FLAT.removeprefix("/shoplazza"), headers={"Host": "beta.myshoplaza.com", **TOKEN}).json() == {
        "error": "Unauthorized"}
    alpha = client.get(FLAT.removeprefix("/shoplazza"), headers={"Host": "alpha.myshoplaza.com", **TOKEN})
    assert len(alpha.json()["webhooks"]) == 3


def test_duplicate_topic_and_address_is_refused(shz):
    _, client = shz
    assert create(client, FLAT).status_code == 200
    again = create(client, FLAT)
    assert (again.status_code, again.json()) == (422, {"errors": {"address": ["for this topic has already been taken"]}})
    assert len(core_subs(client)) == 1


def test_update_and_delete(shz):
    sandbox, client = shz
    hook = data(create(client, WRAPPED))["webhook"]
    client.post("/_sandbox/clock/advance", json={"duration": "1h"})
    put = client.put(f"{WRAPPED}/{hook['id']}", headers=TOKEN, json={"webhook": {"topic": "disputes/create"}})
    assert put.status_code == 200
    updated = data(put)["webhook"]
    assert updated["topic"] == "disputes/create" and updated["address"] == hook["address"]
    assert updated["created_at"] == hook["created_at"] and updated["updated_at"] > hook["updated_at"]
    assert core_subs(client)[0]["events"] == ["disputes/create"]
    bad = client.put(f"{WRAPPED}/{hook['id']}", headers=TOKEN, json={"webhook": {"address": "nope"}})
    assert bad.status_code == 400
    assert data(client.get(f"{WRAPPED}/{hook['id']}", headers=TOKEN))["webhook"] == updated
    gone = client.delete(f"{WRAPPED}/{hook['id']}", headers=TOKEN)
    assert gone.status_code == 200 and data(gone) == {}
    assert client.get(f"{WRAPPED}/{hook['id']}", headers=TOKEN).status_code == 404
    assert core_subs(client) == [] and not sandbox.world.webhooks.subscriptions
    assert client.delete(f"{WRAPPED}/{hook['id']}", headers=TOKEN).status_code == 404


def test_unknown_versions_methods_and_paths(shz):
    _, client = shz
    assert client.get("/shoplazza/openapi/2020-07/webhooks", headers=TOKEN).json() == {"errors": ["Not Found"]}
    r = client.patch(f"{FLAT}/whatever", headers=TOKEN)
    assert r.status_code == 405 and r.json() == {"errors": ["Method Not Allowed"]}
    assert client.post(f"{FLAT}/count", headers=TOKEN).status_code == 405


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": "0"}, "limit"), ({"limit": "251"}, "limit"), ({"limit": "x"}, "limit"), ({"page": "0"}, "page"),
     ({"created_at_min": "yesterday"}, "created_at_min"), ({"updated_at_max": "9999-99-99"}, "updated_at_max"),
     ({"limit": "9" * 40}, "limit")],
)
def test_bad_list_queries(shz, params, field):
    _, client = shz
    r = client.get(FLAT, headers=TOKEN, params=params)
    assert r.status_code == 422 and list(r.json()["errors"]) == [field]
    new = client.get(WRAPPED, headers=TOKEN, params={("page_size" if k == "limit" else k): v for k, v in params.items()
                                                     if k != "page"})
    if new.request.url.params:
        assert new.status_code == 400 and new.json()["code"] == "InvalidParameter"


def test_cursor_garbage_and_other_filters_are_wrong_cursor(shz):
    _, client = shz
    for topic in ("disputes/update", "disputes/create", "app/uninstalled"):
        create(client, WRAPPED, topic=topic)
    first = data(client.get(WRAPPED, headers=TOKEN, params={"page_size": 1}))
    assert first["has_more"] is True
    for cursor, extra in (("garbage", {}), (first["cursor"], {"topic": "app/uninstalled"})):
        r = client.get(WRAPPED, headers=TOKEN, params={"page_size": 1, "cursor": cursor, **extra})
        assert (r.status_code, r.json()) == (400, {"code": "InvalidParameter", "message": "wrong cursor"})


TOPICS = ["disputes/create", "disputes/update", "app/uninstalled"]  # what tok_alpha's read_finance may register


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    made=st.lists(st.tuples(st.sampled_from(TOPICS), st.integers(0, 3)), min_size=0, max_size=12, unique=True),
    size=st.integers(1, 5),
    topic=st.none() | st.sampled_from(TOPICS),
)
def test_every_subscription_once_across_pages_and_filters_hold(shz_scenario, made, size, topic):
    client = asgi_client(make_sandbox(text=shz_scenario(), providers=["shoplazza"]))
    with client:
        for t, n in made:
            assert create(client, WRAPPED, topic=t, address=f"http://127.0.0.1:9/h{n}").status_code == 200
        params = {"page_size": size, **({"topic": topic} if topic else {})}
        seen, cursor = [], None
        while True:
            page = data(client.get(WRAPPED, headers=TOKEN, params={**params, **({"cursor": cursor} if cursor else {})}))
            assert len(page["webhooks"]) <= size
            assert all(topic is None or h["topic"] == topic for h in page["webhooks"])
            seen += [h["id"] for h in page["webhooks"]]
            if not page["has_more"]:
                assert page["cursor"] == ""
                break
            cursor = page["cursor"]
        expected = sum(1 for t, _ in made if topic is None or t == topic)
        assert len(seen) == len(set(seen)) == expected
        assert data(client.get(f"{WRAPPED}/count", headers=TOKEN, params={"topic": topic} if topic else {})) == {
            "count": expected}
        old = []
        for page_no in range(1, 20):
            got = data(client.get(FLAT, headers=TOKEN, params={"limit": size, "page": page_no, **(
                {"topic": topic} if topic else {})}))["webhooks"]
            if not got:
                break
            old += [h["id"] for h in got]
        assert old == seen  # both families page the same order


def test_a_client_that_registers_through_the_api_receives_signed_deliveries(shz_scenario):
    text = shz_scenario()
    with WebhookReceiver() as receiver, live_sandbox(text=text, providers=["shoplazza"]) as server:
        made = httpx.post(server.url + WRAPPED, headers=TOKEN,
                          json={"webhook": {"topic": "disputes/update", "address": receiver.url}})
        assert made.status_code == 200
        sub = next(s for s in httpx.get(server.url + "/_sandbox/webhooks").json()["subscriptions"])
        assert httpx.post(server.url + "/_sandbox/shoplazza/disputes/dp_alpha_warn/escalate").status_code == 200
        (hook,) = receiver.wait_for(1)
        digest = base64.b64encode(hmac.new(sub["secret"].encode(), hook.body, hashlib.sha256).digest()).decode()
        assert hmac.compare_digest(digest, hook.headers["x-shoplazza-hmac-sha256"])
        assert hook.headers["x-shoplazza-topic"] == "disputes/update"
        assert json.loads(hook.body)["dispute"]["id"] == "dp_alpha_warn"


JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12),
              st.sampled_from(["disputes/update", "http://127.0.0.1:9/h", "https://x.y/", "orders/create"])),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["topic", "address", "webhook", "format", "x"]), inner, max_size=4),
    max_leaves=8,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=JSONISH, base=st.sampled_from([FLAT, WRAPPED]), method=st.sampled_from(["POST", "PUT"]))
def test_any_json_body_gets_a_shoplazza_answer_and_a_refusal_stores_nothing(shz, body, base, method):
    _, client = shz
    before = core_subs(client)
    target = base if method == "POST" else f"{base}/{before[0]['id']}" if before else f"{base}/none"
    r = client.request(method, target, headers=TOKEN, json=body)
    assert r.status_code in (200, 400, 403, 404, 422), r.text
    assert UUID.match(r.headers["request-id"])
    if r.status_code != 200:
        assert core_subs(client) == before
    else:
        hook = data(r)["webhook"]
        assert data(client.get(f"{base}/{hook['id']}", headers=TOKEN))["webhook"] == hook


def test_a_store_holds_a_bounded_number_of_webhooks(shz, monkeypatch):
    from sandbox.providers.shoplazza import inferred

    _, client = shz
    monkeypatch.setattr(inferred, "WEBHOOKS_PER_STORE", 2)
    assert [create(client, FLAT, address=f"http://127.0.0.1:9/{i}").status_code for i in range(2)] == [200, 200]
    full = create(client, FLAT, address="http://127.0.0.1:9/2")
    assert full.status_code == 422 and list(full.json()["errors"]) == ["topic"]
    assert len(core_subs(client)) == 2


@pytest.mark.parametrize("address", ["http://10.0.0.5/hook", "https://example.com/hook", "http://169.254.169.254/x"])
def test_addresses_outside_webhook_allow_are_refused_and_nothing_is_stored(shz, address):
    _, client = shz
    r = create(client, FLAT, address=address)
    assert r.status_code == 422 and r.json()["errors"]["address"][0].startswith("is refused by the sandbox")
    new = create(client, WRAPPED, address=address)
    assert new.status_code == 400 and "refused by the sandbox" in new.json()["message"]
    assert core_subs(client) == []
    hook = data(create(client, FLAT))["webhook"]
    moved = client.put(f"{FLAT}/{hook['id']}", headers=TOKEN, json={"address": address})
    assert moved.status_code == 422 and data(client.get(f"{FLAT}/{hook['id']}", headers=TOKEN))["webhook"] == hook


def test_ids_are_uuids_like_the_documented_examples_and_stable_after_reset(shz):
    _, client = shz
    first = data(create(client, FLAT))["webhook"]["id"]
    assert UUID.match(first)
    client.post("/_sandbox/reset")
    assert data(create(client, FLAT))["webhook"]["id"] == first
