"""Namespaces (issue 18): `/_ns/{name}/...` and `X-Sandbox-Namespace` select an isolated sandbox."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.settings import Settings
from sandbox.testing import asgi_client, make_sandbox

WHOP = {"Authorization": "Bearer whop_test_pickaxe_read"}
OP = {"Authorization": "Bearer op_at_teststore2_readwrite"}
PANDA = {"Authorization": "Bearer sk_test_pixelforge_cases_rw"}
SHOP = {"Access-Token": "shoplazza_test_aurora_finance"}
RIV = {"X-Auth-Key": "riverty_test_abc_de"}
STORE = "/pandabase/v2/core/stores/shp_kxw5h7n4tr3bcfp2v8q1mzj0"
PANDA_CASE = "cse_r4ynu6vim9slkxs3i93qf1rdwx"
RIV_DISPUTE = "cf6a82fb-e850-4f1f-82bf-b4df6c14d105"

# (method, path, headers, json body): for every provider its list, a retrieve, and a change
ACTIONS: dict[str, tuple[str, str, dict[str, str], object]] = {
    "whop-list": ("GET", "/whop/api/v1/resolution_center_cases?first=25", WHOP, None),
    "whop-get": ("GET", "/whop/api/v1/resolution_center_cases/reso_PickaxeDue01", WHOP, None),
    "whop-reply": ("POST", "/_sandbox/whop/cases/reso_PickaxeDue01/customer_reply", {}, {}),
    "op-list": ("GET", "/orderprotection/v1/claims?first=25", OP, None),
    "op-order-claims": ("GET", "/orderprotection/v1/orders/5001001/claims", OP, None),
    "op-claim": ("POST", "/orderprotection/v1/claims/5001001", OP,
                 {"email": "desiree.ward@example.com", "issues": [{"issueType": "DAMAGED", "sourceItemId": "13001"}]}),
    "panda-list": ("GET", STORE + "/cases?limit=25", PANDA, None),
    "panda-get": ("GET", f"{STORE}/cases/{PANDA_CASE}/messages", PANDA, None),
    "panda-reply": ("POST", f"{STORE}/cases/{PANDA_CASE}/messages", PANDA, {"body": "hello"}),
    "shop-list": ("GET", "/shoplazza/openapi/2024-07/shoplazza-payment/disputes?limit=25", SHOP, None),
    "shop-hooks": ("GET", "/shoplazza/openapi/2026-01/webhooks", SHOP, None),
    "shop-hook": ("POST", "/shoplazza/openapi/2026-01/webhooks", SHOP,
                  {"webhook": {"topic": "disputes/update", "address": "http://127.0.0.1:9/hook"}}),
    "riv-list": ("GET", "/riverty/1/disputes?pageSize=25", RIV, None),
    "riv-comments": ("GET", f"/riverty/disputes/{RIV_DISPUTE}/comments", RIV, None),
    "riv-comment": ("POST", f"/riverty/disputes/{RIV_DISPUTE}/comments", RIV, {"body": "hello"}),
    "advance": ("POST", "/_sandbox/clock/advance", {}, {"duration": "2d"}),
    "events": ("GET", "/_sandbox/events", {}, None),
}


def call(client, action: str, prefix: str = ""):
    method, path, headers, body = ACTIONS[action]
    return client.request(method, prefix + path, headers=headers, json=body)


@pytest.fixture(scope="module")
def shared():
    """One server holding the namespaces, and two lone sandboxes to compare them with."""
    with asgi_client(make_sandbox("default")) as server, asgi_client(make_sandbox("default")) as a, \
            asgi_client(make_sandbox("default")) as b:
        yield server, a, b


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["a", "b", ""]), st.sampled_from(sorted(ACTIONS))), min_size=1, max_size=14))
def test_each_namespace_answers_as_a_lone_sandbox(shared, steps):
    """Requests and controls spread over two namespaces (and the default one, which stands in for
    a lone sandbox itself): each answers byte for byte as a sandbox given only its own steps."""
    server, lone_a, lone_b = shared
    for ns in ("a", "b"):
        server.delete(f"/_sandbox/namespaces/{ns}")
    for client in (server, lone_a, lone_b):
        assert client.post("/_sandbox/reset").status_code == 200
    lone = {"a": lone_a, "b": lone_b}
    # the default namespace is compared with a fresh lone sandbox built at the end
    own: list[str] = []
    seen_default: list[tuple[int, bytes]] = []
    for ns, action in steps:
        if ns == "":
            own.append(action)
            answer = call(server, action)
            seen_default.append((answer.status_code, answer.content))
            continue
        got = call(server, action, f"/_ns/{ns}")
        want = call(lone[ns], action)
        assert (got.status_code, got.content) == (want.status_code, want.content), (ns, action)
    assert lone_a.post("/_sandbox/reset").status_code == 200
    replayed = [(r.status_code, r.content) for r in (call(lone_a, action) for action in own)]
    assert replayed == seen_default


def test_implicit_creation_list_and_delete():
    with asgi_client(make_sandbox("default")) as c:
        assert c.get("/_sandbox/namespaces").json() == {"namespaces": [], "count": 0, "limit": 100}
        assert call(c, "whop-list", "/_ns/t1").status_code == 200
        listed = c.get("/_sandbox/namespaces").json()
        assert [n["name"] for n in listed["namespaces"]] == ["t1"]
        assert listed["namespaces"][0]["scenario"] == "default"
        assert c.post("/_ns/t1/_sandbox/clock/advance", json={"duration": "1d"}).status_code == 200
        assert c.get("/_ns/t1/_sandbox/clock").json() != c.get("/_sandbox/clock").json()
        assert c.get("/_ns/t1/_sandbox/namespace").json()["name"] == "t1"
        assert c.delete("/_sandbox/namespaces/t1").json() == {"deleted": "t1"}
        assert c.delete("/_sandbox/namespaces/t1").status_code == 404
        # used again: a fresh one from the server's scenario, clock at its start
        assert c.get("/_ns/t1/_sandbox/clock").json() == c.get("/_sandbox/clock").json()


def test_the_default_namespace_is_the_unprefixed_one():
    with asgi_client(make_sandbox("default")) as c:
        assert c.post("/_ns/default/_sandbox/clock/advance", json={"duration": "1d"}).status_code == 200
        assert c.get("/_sandbox/clock").json() == {"now": "2026-11-27T12:00:00.000Z"}
        assert c.post("/_sandbox/namespaces", json={"name": "default"}).status_code == 409
        assert c.delete("/_sandbox/namespaces/default").status_code == 400
        assert c.get("/_sandbox/namespaces").json()["count"] == 0


def test_explicit_creation_by_name_or_yaml():
    with asgi_client(make_sandbox("default")) as c:
        made = c.post("/_sandbox/namespaces", json={"name": "exp", "scenario": "expiring-disputes", "seed": 3})
        assert made.status_code == 201, made.text
        assert made.json()["scenario"] == "expiring-disputes" and made.json()["seed"] == 3
        assert c.get("/_ns/exp/_sandbox/scenario").json()["name"] == "expiring-disputes"
        assert c.get("/_sandbox/scenario").json()["name"] == "default"
        again = c.post("/_sandbox/namespaces", json={"name": "exp"})
        assert again.status_code == 409 and "exists" in again.json()["error"]
        text = "version: 1\nname: tiny\n"
        assert c.post("/_sandbox/namespaces", json={"name": "tiny", "yaml": text}).status_code == 201
        assert c.get("/_ns/tiny/_sandbox/scenario").json()["name"] == "tiny"
        bad = c.post("/_sandbox/namespaces", json={"name": "broken", "yaml": "version: 2\n"})
        assert bad.status_code == 400 and bad.json()["problems"]
        assert c.post("/_sandbox/namespaces", json={"name": "x", "scenario": "../etc/passwd"}).status_code == 400
        assert c.post("/_sandbox/namespaces", json={"name": "x", "bogus": 1}).status_code == 400
        assert "broken" not in {n["name"] for n in c.get("/_sandbox/namespaces").json()["namespaces"]}


@pytest.mark.parametrize("name", ["Upper", "-lead", "a" * 64, "sp ace", "dot.ted", "%2e%2e", "_x"])
def test_bad_names_are_the_control_planes_400(name):
    with asgi_client(make_sandbox("default")) as c:
        for path in (f"/_ns/{name}/whop/api/v1/resolution_center_cases", f"/_ns/{name}/_sandbox/scenario"):
            answer = c.get(path, headers=WHOP)
            assert answer.status_code == 400, path
            assert "namespace name" in answer.json()["error"]
        assert c.post("/_sandbox/namespaces", json={"name": name}).status_code == 400
        assert c.get("/_sandbox/namespaces").json()["count"] == 0


def test_the_bound_is_a_409_naming_it():
    sandbox = make_sandbox("default")
    with asgi_client(sandbox, settings=Settings(max_namespaces=2)) as c:
        assert call(c, "whop-list", "/_ns/one").status_code == 200
        assert c.post("/_sandbox/namespaces", json={"name": "two"}).status_code == 201
        for refused in (call(c, "whop-list", "/_ns/three"), c.post("/_sandbox/namespaces", json={"name": "three"})):
            assert refused.status_code == 409
            assert refused.json() == {
                "error": "namespace limit of 2 reached (--max-namespaces); delete one first", "limit": 2}
        assert call(c, "whop-list", "/_ns/one").status_code == 200  # existing ones still serve
        c.delete("/_sandbox/namespaces/one")
        assert call(c, "whop-list", "/_ns/three").status_code == 200


def test_host_mode_takes_the_namespace_header():
    with asgi_client(make_sandbox("default")) as c:
        headers = {**WHOP, "Host": "api.whop.com", "X-Sandbox-Namespace": "hosted"}
        before = c.get("/api/v1/resolution_center_cases/reso_PickaxeDue01", headers=headers).json()
        assert c.post("/_ns/hosted/_sandbox/whop/cases/reso_PickaxeDue01/customer_reply", json={}).status_code == 200
        after = c.get("/api/v1/resolution_center_cases/reso_PickaxeDue01", headers=headers).json()
        assert after != before  # the header's namespace changed
        default = c.get("/api/v1/resolution_center_cases/reso_PickaxeDue01", headers={**WHOP, "Host": "api.whop.com"})
        assert default.json() == before  # the default did not
        bad = c.get("/api/v1/resolution_center_cases", headers={**headers, "X-Sandbox-Namespace": "No!"})
        assert bad.status_code == 400 and "namespace name" in bad.json()["error"]


def test_faults_and_journal_are_per_namespace():
    with asgi_client(make_sandbox("default")) as c:
        assert c.post("/_ns/f/_sandbox/faults", json={"provider": "whop", "status": 503}).status_code == 201
        assert call(c, "whop-list").status_code == 200
        assert call(c, "whop-list", "/_ns/g").status_code == 200
        assert call(c, "whop-list", "/_ns/f").status_code == 503
        journal = c.get("/_ns/f/_sandbox/requests").json()["requests"]
        assert [e["status"] for e in journal] == [503]
        assert all(e["status"] == 200 for e in c.get("/_sandbox/requests").json()["requests"])


def test_dashboard_under_a_namespace_links_to_it():
    with asgi_client(make_sandbox("default")) as c:
        c.post("/_ns/dash/_sandbox/clock/advance", json={"duration": "1d"})
        page = c.get("/_ns/dash/_sandbox/ui/")
        assert page.status_code == 200
        assert "/_ns/dash/_sandbox/" in page.text and 'href="/_sandbox/' not in page.text
        assert "2026-11-27" in page.text  # its clock, not the default's
        assert c.get("/_ns/dash/", follow_redirects=False).headers["location"] == "/_ns/dash/_sandbox/ui/"
        record = c.get("/_ns/dash/_sandbox/ui/records/whop/reso_PickaxeDue01")
        assert record.status_code == 200 and "/_ns/dash/_sandbox/whop/cases/reso_PickaxeDue01/" in record.text


def test_a_namespace_made_while_serving_delivers_webhooks():
    from sandbox.testing import WebhookReceiver

    with WebhookReceiver() as receiver, asgi_client(make_sandbox("default")) as c:
        sub = c.post("/_ns/hooks/_sandbox/webhooks", json={
            "provider": "whop", "tenant": "biz_PickaxeLabs01", "url": receiver.url})
        assert sub.status_code == 201, sub.text
        assert c.post("/_ns/hooks/_sandbox/whop/cases/reso_PickaxeDue01/resolve",
                      json={"outcome": "merchant_won"}).status_code == 200
        assert receiver.wait_for(1)
        assert c.get("/_sandbox/webhooks/deliveries").json()["deliveries"] == []
        c.delete("/_sandbox/namespaces/hooks")


def test_a_namespaced_control_plane_needs_the_control_token():
    token = {"Authorization": "Bearer s3cret"}
    with asgi_client(make_sandbox("default"), settings=Settings(control_token="s3cret")) as c:
        refused = c.post("/_ns/locked/_sandbox/clock/advance", json={"duration": "1d"})
        assert refused.status_code == 401
        assert c.get("/_ns/locked/_sandbox/clock", headers=token).json() == {"now": "2026-11-26T12:00:00.000Z"}
        assert c.get("/_ns/locked/_sandbox/ui/", follow_redirects=False).headers["location"] == "/_ns/locked/_sandbox/ui/login"
        assert c.get("/_ns/locked/_sandbox/health").status_code == 200
        assert call(c, "whop-list", "/_ns/locked").status_code == 200  # provider paths need no token


@pytest.fixture(scope="module")
def small():
    with asgi_client(make_sandbox("default"), settings=Settings(max_namespaces=3)) as client:
        yield client


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80),
       st.sampled_from(["", "/", "/_sandbox/clock", "/whop/api/v1/resolution_center_cases", "/_sandbox/ui/"]))
def test_any_name_gets_an_answer_never_a_500(small, name, rest):
    import urllib.parse

    answer = small.get("/_ns/" + urllib.parse.quote(name, safe="") + rest, headers=WHOP, follow_redirects=False)
    assert answer.status_code < 500
    made = [n["name"] for n in small.get("/_sandbox/namespaces").json()["namespaces"]]
    if answer.status_code == 400 and "namespace name" in answer.text:
        assert made == []
    for made_name in made:
        assert small.delete(f"/_sandbox/namespaces/{made_name}").status_code == 200


@pytest.mark.parametrize("body", [
    b"", b"not json", b"[]", b'"x"', b'{"name": 7}', b'{"name": null}', b'{"name": "ok", "seed": -1}',
    b'{"name": "ok", "seed": 1e400}', b'{"name": "ok", "seed": "7"}', b'{"name": "ok", "seed": ' + b"9" * 5000 + b"}",
    b'{"name": "ok", "scenario": ""}', b'{"name": "ok", "scenario": 3}', b'{"name": "ok", "yaml": ["a"]}',
    b'{"name": "ok", "scenario": "default", "yaml": "version: 1\\n"}', b'{"name": "' + b"a" * 100_000 + b'"}',
])
def test_a_bad_create_body_is_a_400_and_creates_nothing(body):
    with asgi_client(make_sandbox("default")) as c:
        refused = c.post("/_sandbox/namespaces", content=body, headers={"Content-Type": "application/json"})
        assert refused.status_code == 400, refused.text[:300]
        assert "error" in refused.json()
        assert c.get("/_sandbox/namespaces").json()["count"] == 0
        assert c.delete("/_sandbox/namespaces/ok").status_code == 404
