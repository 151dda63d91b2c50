"""Export (issue 18): `GET /_sandbox/export` → load anywhere → every answer byte-identical."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.scenario import ScenarioError
from sandbox.testing import asgi_client, make_sandbox

WHOP = {"Authorization": "Bearer whop_test_pickaxe_read"}
LUMEN = {"Authorization": "Bearer whop_test_lumen_manage", "Api-Version-Date": "2026-10-15-1"}
DISPUTES = {"Authorization": "Bearer whop_test_pickaxe_disputes", "Api-Version-Date": "2026-10-15-1"}
OP = {"Authorization": "Bearer op_at_teststore2_readwrite"}
ORDERS = {"Authorization": "Bearer op_at_teststore2_orders_rw"}
PANDA = {"Authorization": "Bearer sk_test_pixelforge_cases_rw"}
PANDA_D = {"Authorization": "Bearer sk_test_pixelforge_disputes_rw"}
SHOP = {"Access-Token": "shoplazza_test_aurora_finance"}
RIV = {"X-Auth-Key": "riverty_test_abc_de"}
STORE = "/pandabase/v2/core/stores/shp_kxw5h7n4tr3bcfp2v8q1mzj0"
CASE = "cse_r4ynu6vim9slkxs3i93qf1rdwx"
RIV_DISPUTE = "cf6a82fb-e850-4f1f-82bf-b4df6c14d105"

READS = [
    ("/whop/api/v1/resolution_center_cases?first=100", WHOP),
    ("/whop/api/v1/resolution_center_cases/reso_PickaxeDue01", WHOP),
    ("/whop/api/v1/resolution_center_cases?first=100", LUMEN),
    ("/whop/api/v1/resolution_center_cases/reso_LumenAwaitMer1", LUMEN),
    ("/whop/api/v1/resolution_center_cases/reso_LumenAwaitMer1/events", LUMEN),
    ("/whop/api/v1/disputes?first=100", DISPUTES),
    ("/orderprotection/v1/claims?first=100", OP),
    ("/orderprotection/v1/orders/5001001/claims", OP),
    ("/orderprotection/v1/orders?size=100", ORDERS),
    ("/orderprotection/v1/orders/7001", ORDERS),
    (STORE + "/cases?limit=100", PANDA),
    (f"{STORE}/cases/{CASE}", PANDA),
    (f"{STORE}/cases/{CASE}/messages", PANDA),
    (STORE + "/disputes?limit=100", PANDA_D),
    ("/shoplazza/openapi/2024-07/shoplazza-payment/disputes?limit=100", SHOP),
    ("/shoplazza/openapi/2026-01/webhooks", SHOP),
    ("/riverty/1/disputes?pageSize=100", RIV),
    ("/riverty/disputes?pageSize=100", RIV),
    (f"/riverty/disputes/{RIV_DISPUTE}/comments", RIV),
    ("/_sandbox/events", {}),
    ("/_sandbox/clock", {}),
]

WRITES: dict[str, tuple[str, str, dict[str, str], dict[str, object]]] = {
    "whop-request-info": ("POST", "/whop/api/v1/resolution_center_cases/reso_LumenAwaitMer1/request_info",
                          {**LUMEN, "Idempotency-Key": "k-1"}, {"json": {"message": "Which email?"}}),
    "whop-reply": ("POST", "/_sandbox/whop/cases/reso_PickaxeDue01/customer_reply", {}, {"json": {}}),
    "op-claim": ("POST", "/orderprotection/v1/claims/5001001", OP, {"json": {
        "email": "desiree.ward@example.com", "issues": [{"issueType": "DAMAGED", "sourceItemId": "13001"}]}}),
    "op-order": ("POST", "/orderprotection/v1/orders", ORDERS, {"json": {
        "sourceOrderId": "7001", "customerEmail": "kim@example.com",
        "orderItems": [{"productName": "Lamp", "sourceItemId": "li-1", "quantity": 1, "price": 40}]}}),
    "panda-reply": ("POST", f"{STORE}/cases/{CASE}/messages", PANDA, {"json": {"body": "hello"}}),
    "panda-patch": ("PATCH", f"{STORE}/cases/{CASE}", PANDA, {"json": {"priority": "HIGH"}}),
    "panda-customer": ("POST", f"/_sandbox/pandabase/cases/{CASE}/customer-reply", {}, {"json": {"message": "hi"}}),
    "shop-hook": ("POST", "/shoplazza/openapi/2026-01/webhooks", SHOP, {"json": {
        "webhook": {"topic": "disputes/update", "address": "http://127.0.0.1:9/hook"}}}),
    "riv-comment": ("POST", f"/riverty/disputes/{RIV_DISPUTE}/comments", RIV, {"json": {"body": "hello"}}),
    "riv-upload": ("POST", "/riverty/attachments", RIV,
                   {"files": {"file": ("proof.pdf", b"%PDF-1.4\n\xff\xfe\x00 binary", "application/pdf")}}),
    "subscribe": ("POST", "/_sandbox/webhooks", {}, {"json": {
        "provider": "whop", "tenant": "biz_PickaxeLabs01", "url": "http://127.0.0.1:9/hook"}}),
}

step = st.one_of(
    st.sampled_from(sorted(WRITES)),
    st.builds(lambda s: f"+{s}s", st.integers(1, 9 * 86400)),
)


def apply(client, action: str) -> int:
    if action.startswith("+"):
        return client.post("/_sandbox/clock/advance", json={"seconds": int(action[1:-1])}).status_code
    method, path, headers, kwargs = WRITES[action]
    return client.request(method, path, headers=headers, **kwargs).status_code


def answers(client) -> list[tuple[str, int, bytes]]:
    return [(path, r.status_code, r.content) for path, headers in READS for r in [client.get(path, headers=headers)]]


@pytest.fixture(scope="module")
def live():
    with asgi_client(make_sandbox("default")) as client:
        yield client


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(step, min_size=1, max_size=12))
def test_export_then_load_answers_byte_identically(live, steps):
    assert live.post("/_sandbox/reset").status_code == 200
    statuses = [apply(live, action) for action in steps]
    assert any(200 <= s < 300 for s in statuses)
    before = answers(live)
    text = live.get("/_sandbox/export").text
    with asgi_client(make_sandbox(text=text)) as loaded:
        assert answers(loaded) == before
        assert loaded.get("/_sandbox/export").text == text  # loading an export and exporting again: the same


def test_export_shape_and_posting_it_back():
    with asgi_client(make_sandbox("default")) as c:
        apply(c, "riv-upload")
        apply(c, "+3600s")
        apply(c, "panda-reply")
        c.post("/_sandbox/faults", json={"provider": "whop", "status": 500})  # not part of the state
        c.post("/_sandbox/drills", json={"provider": "whop", "kind": "extra_field"})  # nor is this
        exported = c.get("/_sandbox/export")
        assert exported.headers["content-type"].startswith("application/yaml")
        doc = yaml.safe_load(exported.text)
        assert doc["seed"] == 20261126 and doc["clock"]["start"] == "2026-11-26T12:00:00+00:00"
        ops = doc["replay"]["ops"]
        assert [o["kind"] for o in ops] == ["request", "clock", "request"]
        assert "body_base64" in ops[0] and ops[2]["body"] == '{"body":"hello"}'
        assert doc["replay"]["now"] == "2026-11-26T13:00:00+00:00"
        c.delete("/_sandbox/faults")
        c.delete("/_sandbox/drills")
        want = answers(c)
        fresh = make_sandbox("default")
        with asgi_client(fresh) as other:
            loaded = other.post("/_sandbox/scenario", content=exported.content, headers={"content-type": "application/yaml"})
            assert loaded.status_code == 200, loaded.text
            assert answers(other) == want
            apply(other, "+60s")
            assert other.post("/_sandbox/reset").status_code == 200  # back to the export's state, not the base's
            assert answers(other) == want


def test_a_control_token_never_reaches_the_export():
    from sandbox.settings import Settings

    with asgi_client(make_sandbox("default"), settings=Settings(control_token="s3cret")) as c:
        token = {"Authorization": "Bearer s3cret"}
        assert c.post("/_sandbox/whop/cases/reso_PickaxeDue01/customer_reply", json={}, headers=token).status_code == 200
        text = c.get("/_sandbox/export", headers=token).text
        assert "s3cret" not in text and "customer_reply" in text


def test_an_op_that_no_longer_answers_2xx_refuses_the_file():
    with asgi_client(make_sandbox("default")) as c:
        apply(c, "panda-reply")
        text = c.get("/_sandbox/export").text
    broken = text.replace(CASE, "cse_nosuchcasexxxxxxxxxxxxxxxx")
    with pytest.raises(ScenarioError) as caught:
        make_sandbox(text=broken)
    (line,) = caught.value.lines
    assert line.startswith("<request>:") and ": replay.ops[0]: POST " in line and "answered 404" in line
    number = int(line.split(":")[1])
    assert "- at:" in broken.splitlines()[number - 1]


@pytest.mark.parametrize("replay, problem", [
    ("{ops: [{at: yesterday}]}", "replay.ops[0].at"),
    ("{ops: [{at: '2026-11-26T12:00:00Z', method: GET}]}", "replay.ops[0].method"),
    ("{ops: [{at: '2026-11-26T12:00:00Z', body_base64: '@@'}]}", "replay.ops[0].body_base64"),
    ("{ops: [{at: '2026-11-26T12:00:00Z', path: nope}]}", "replay.ops[0].path"),
    ("{nope: 1}", "replay.nope"),
])
def test_replay_head_is_validated(replay, problem):
    with pytest.raises(ScenarioError) as caught:
        make_sandbox(text=f"version: 1\nreplay: {replay}\n")
    assert any(problem in line for line in caught.value.lines), caught.value.lines


def test_cli_export_and_validate(tmp_path):
    from sandbox.cli import main
    from sandbox.testing import live_sandbox

    with live_sandbox("default") as server:
        server.advance("1d")
        import contextlib
        import io

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["export", server.url, "--namespace", "cli"]) == 0
        assert yaml.safe_load(out.getvalue())["replay"]["ops"] == []
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["export", server.url]) == 0
    path = tmp_path / "state.yaml"
    path.write_text(out.getvalue())
    assert yaml.safe_load(out.getvalue())["replay"]["ops"][0]["kind"] == "clock"
    assert main(["validate", str(path)]) == 0


def test_the_history_in_memory_is_bounded(monkeypatch):
    from sandbox import oplog

    monkeypatch.setattr(oplog, "MAX_OPS", 3)
    with asgi_client(make_sandbox("default")) as c:
        for _ in range(3):
            apply(c, "+60s")
        assert c.get("/_sandbox/export").status_code == 200
        apply(c, "+60s")
        refused = c.get("/_sandbox/export")
        assert refused.status_code == 409 and "more than 3 changes" in refused.json()["error"]
        assert c.get("/_sandbox/clock").json() == {"now": "2026-11-26T12:04:00.000Z"}  # the changes still apply
        assert c.post("/_sandbox/reset").status_code == 200
        assert c.get("/_sandbox/export").status_code == 200
