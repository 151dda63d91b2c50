"""Forward-compatibility drills (`/_sandbox/drills`, sandbox/drills.py): each kind on at least
two providers changes the answer as it says, flags it (`X-Sandbox-Drill`, the journal's reason),
and share, count, scope, determinism, clearing and reset behave as documented."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import orjson
import pytest

from sandbox.provider import DrillTargets
from sandbox.providers.whop import WhopProvider
from sandbox.testing import WebhookReceiver, asgi_client, make_sandbox, shipped_text

WHOP = ("/whop/api/v1/resolution_center_cases?first=6", {"Authorization": "Bearer whop_test_pickaxe_read"})
WHOP_CURRENT = ("/whop/api/v1/resolution_center_cases?first=6",
                {"Authorization": "Bearer whop_test_lumen_manage", "Api-Version-Date": "2026-10-15-1"})
OP = ("/orderprotection/v1/claims?first=6", {"Authorization": "Bearer op_at_teststore2_readwrite"})
PANDABASE = ("/pandabase/v2/core/stores/shp_kxw5h7n4tr3bcfp2v8q1mzj0/cases?limit=6",
             {"Authorization": "Bearer sk_test_pixelforge_cases_rw"})
SHOPLAZZA = ("/shoplazza/openapi/2024-07/shoplazza-payment/disputes?limit=6",
             {"Access-Token": "shoplazza_test_aurora_finance"})
RIVERTY_GEN2 = ("/riverty/disputes?pageSize=6", {"X-Auth-Key": "riverty_test_abc_de"})
RIVERTY_GEN1 = ("/riverty/1/disputes?pageSize=6", {"X-Auth-Key": "riverty_test_abc_de"})


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    """One default sandbox for the module; every test starts with no drills."""
    with asgi_client(make_sandbox("default")) as c:
        yield c


@pytest.fixture(autouse=True)
def no_drills(client: httpx.Client) -> Iterator[None]:
    client.delete("/_sandbox/drills")
    yield
    client.delete("/_sandbox/drills")


def records(body: Any) -> list[dict[str, Any]]:
    """The record objects of any of the probes' list bodies."""
    if isinstance(body, list):
        return body
    for path in (("data",), ("data", "items"), ("data", "list"), ("results",), ("edges",)):
        node = body
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, list):
            return [r.get("node", r) if path == ("edges",) else r for r in node]
    raise AssertionError(f"no records in {str(body)[:200]}")


def last_reason(client: httpx.Client) -> str | None:
    reason: str | None = client.get("/_sandbox/requests").json()["requests"][-1]["reason"]
    return reason


def drill(client: httpx.Client, **body: Any) -> dict[str, Any]:
    response = client.post("/_sandbox/drills", json=body)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()["drills"][-1]
    return made


def enum_is(field: str, value: Any) -> Callable[[Any, Any], None]:
    def check(before: Any, after: Any) -> None:
        for record in records(after):
            node = record
            for key in field.split(".")[:-1]:
                node = node[key]
            assert node[field.split(".")[-1]] == value
        assert records(before) and records(before) != records(after)

    return check


def has_extra(before: Any, after: Any) -> None:
    assert all(r["new_future_field"] == "a field this client has never seen" for r in records(after))
    assert all("new_future_field" not in r for r in records(before))


def optional_changed(declared: tuple[str, ...], to: str) -> Callable[[Any, Any], None]:
    def check(before: Any, after: Any) -> None:
        changed = 0
        for old, new in zip(records(before), records(after), strict=True):
            gone = {k for k in old if k not in new}
            nulled = {k for k in old if k in new and old[k] is not None and new[k] is None}
            touched = gone if to == "absent" else nulled
            assert touched <= set(declared) and len(touched) <= 1
            assert {k: v for k, v in new.items() if k not in touched} == {k: v for k, v in old.items() if k not in touched}
            changed += len(touched)
        assert changed > 0

    return check


def reordered(before: Any, after: Any) -> None:
    assert after == before  # the same document ...
    assert list(records(after)[0]) == list(reversed(list(records(before)[0])))  # ... keys reversed


def short(before: Any, after: Any) -> None:
    assert 0 < len(records(after)) < len(records(before))


CASES = [
    ("unknown_enum", "whop", WHOP, enum_is("status", "new_future_status")),
    ("unknown_enum", "whop", WHOP_CURRENT, enum_is("status", "new_future_status")),
    ("unknown_enum", "shoplazza", SHOPLAZZA, enum_is("status", "new_future_status")),
    ("unknown_enum", "riverty", RIVERTY_GEN2, enum_is("stage.id", 99)),
    ("unknown_enum", "orderprotection", OP, enum_is("claimState", "NEW_FUTURE_STATE")),
    ("extra_field", "pandabase", PANDABASE, has_extra),
    ("extra_field", "orderprotection", OP, has_extra),
    ("extra_field", "riverty", RIVERTY_GEN1, has_extra),
    ("null_optional", "whop", WHOP, optional_changed(("due_date", "company", "member"), "null")),
    ("null_optional", "orderprotection", OP, optional_changed(("claimType", "externalSource", "policyId"), "null")),
    ("absent_optional", "pandabase", PANDABASE, optional_changed(("closedAt",), "absent")),
    ("absent_optional", "riverty", RIVERTY_GEN2, optional_changed(("description", "decision", "showInMerchantUi"), "absent")),
    ("absent_optional", "orderprotection", OP, optional_changed(("claimType",), "absent")),
    ("reorder_keys", "shoplazza", SHOPLAZZA, reordered),
    ("reorder_keys", "riverty", RIVERTY_GEN1, reordered),
    ("short_page", "whop", WHOP, short),
    ("short_page", "pandabase", PANDABASE, short),
    ("short_page", "shoplazza", SHOPLAZZA, short),
]


@pytest.mark.parametrize(("kind", "provider", "probe", "check"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_each_drill_kind_changes_the_answer_and_flags_it(client, kind, provider, probe, check) -> None:
    path, headers = probe
    before = client.get(path, headers=headers)
    assert before.status_code == 200 and "x-sandbox-drill" not in before.headers
    made = drill(client, provider=provider, kind=kind)
    after = client.get(path, headers=headers)
    assert after.status_code == 200
    assert after.headers["x-sandbox-drill"] == kind
    assert int(after.headers["content-length"]) == len(after.content)
    assert last_reason(client) == f"drill {kind} (/_sandbox/drills #{made['id']})"
    check(before.json(), after.json())
    assert client.get("/_sandbox/drills").json()["drills"][0]["drilled"] == 1


def test_a_drill_can_name_a_nested_optional_field(client) -> None:
    """`customer.firstName`: the nested optional name a Pandabase case has."""
    path, headers = PANDABASE
    before = records(client.get(path, headers=headers).json())
    drill(client, provider="pandabase", kind="null_optional", field="customer.firstName")
    after = records(client.get(path, headers=headers).json())
    assert any(r["customer"]["firstName"] for r in before)
    assert all(r["customer"]["firstName"] is None for r in after)
    assert [r["customer"]["lastName"] for r in after] == [r["customer"]["lastName"] for r in before]


def test_a_short_cursor_page_keeps_the_providers_own_paging(client) -> None:
    """Relay paging: half the page, `has_next_page` still true, and `end_cursor` continues right
    after the last record shown (so nothing is skipped)."""
    path, headers = WHOP
    whole = client.get(path, headers=headers).json()
    drill(client, provider="whop", kind="short_page", count=1)
    page = client.get(path, headers=headers).json()
    assert [r["id"] for r in page["data"]] == [r["id"] for r in whole["data"][:3]]
    assert page["page_info"]["has_next_page"] is True
    following = client.get(path.split("?")[0], params={"first": 3, "after": page["page_info"]["end_cursor"]},
                           headers=headers).json()
    assert [r["id"] for r in following["data"]] == [r["id"] for r in whole["data"][3:6]]
    assert client.get("/_sandbox/requests").json()["requests"][-2]["query"] == "first=6"  # what the client asked


def test_a_short_numbered_page_keeps_its_pagination(client) -> None:
    path, headers = PANDABASE
    whole = client.get(path, headers=headers).json()["data"]
    drill(client, provider="pandabase", kind="short_page")
    page = client.get(path, headers=headers).json()["data"]
    assert page["pagination"] == whole["pagination"] and page["pagination"]["limit"] == 6
    assert page["items"] == whole["items"][:3]


def test_a_drill_changes_only_a_json_success(client) -> None:
    drill(client, provider="whop", kind="unknown_enum")
    refused = client.get(WHOP[0], headers={"Authorization": "Bearer nope"})
    assert refused.status_code == 401 and "x-sandbox-drill" not in refused.headers
    summary = client.get("/whop/api/v1/resolution_center_cases/summary", headers=WHOP_CURRENT[1])
    assert "x-sandbox-drill" not in summary.headers  # not a family the provider declares
    assert client.get("/_sandbox/drills").json()["drills"][0]["drilled"] == 0


def test_a_drill_names_its_value_and_field(client) -> None:
    drill(client, provider="whop", kind="unknown_enum", value="partially_refunded")
    assert {r["status"] for r in client.get(*WHOP[:1], headers=WHOP[1]).json()["data"]} == {"partially_refunded"}
    client.delete("/_sandbox/drills")
    drill(client, provider="orderprotection", kind="extra_field", field="loyaltyTier", value="gold")
    assert {r["node"]["loyaltyTier"] for r in client.get(OP[0], headers=OP[1]).json()["edges"]} == {"gold"}


def test_a_kind_the_provider_does_not_declare_is_refused(client) -> None:
    response = client.post("/_sandbox/drills", json={"provider": "shoplazza", "kind": "null_optional"})
    assert response.status_code == 400
    assert response.json() == {"error": "kind: drill kind null_optional is not declared for provider shoplazza"}
    assert client.get("/_sandbox/drills").json() == {"drills": []}


def test_a_provider_declaring_no_targets_refuses_every_body_drill_but_reordering(monkeypatch) -> None:
    monkeypatch.setattr(WhopProvider, "drill_targets", DrillTargets())
    with asgi_client(make_sandbox(text=shipped_text("default", ["whop"]))) as c:
        for kind in ("unknown_enum", "extra_field", "null_optional", "absent_optional", "short_page",
                     "unknown_record_webhook"):
            refused = c.post("/_sandbox/drills", json={"provider": "whop", "kind": kind})
            assert refused.status_code == 400 and "is not declared for provider whop" in refused.json()["error"]
        assert c.post("/_sandbox/drills", json={"provider": "whop", "kind": "reorder_keys"}).status_code == 201


@pytest.mark.parametrize(("body", "field"), [
    ({"provider": "whop", "kind": "sideways"}, "kind"),
    ({"provider": "whop", "kind": "unknown_enum", "share": 1.5}, "share"),
    ({"provider": "whop", "kind": "unknown_enum", "count": 0}, "count"),
    ({"provider": "whop", "kind": "unknown_enum", "value": "x" * 300}, "value"),
    ({"provider": "nope", "kind": "unknown_enum"}, "provider"),
    ({"provider": "whop", "kind": "unknown_enum", "colour": 1}, "colour"),
])
def test_bad_drill_bodies_name_the_field_and_add_nothing(client, body, field) -> None:
    response = client.post("/_sandbox/drills", json=body)
    assert response.status_code == 400
    assert response.json()["error"].startswith(field) or f"{field}:" in response.json()["error"]
    assert client.get("/_sandbox/drills").json() == {"drills": []}


def test_count_bounds_the_drilled_answers(client) -> None:
    drill(client, provider="whop", kind="extra_field", count=2)
    flags = [client.get(WHOP[0], headers=WHOP[1]).headers.get("x-sandbox-drill") for _ in range(4)]
    assert flags == ["extra_field", "extra_field", None, None]
    assert client.get("/_sandbox/drills").json() == {"drills": []}


def _flags(client: httpx.Client, times: int) -> list[bool]:
    return ["x-sandbox-drill" in client.get(WHOP[0], headers=WHOP[1]).headers for _ in range(times)]


def test_a_share_drills_that_part_of_the_answers_the_same_way_after_a_reset() -> None:
    with asgi_client(make_sandbox(text=shipped_text("default", ["whop"]))) as c:
        drill(c, provider="whop", kind="reorder_keys", share=0.5)
        first = _flags(c, 40)
        assert 8 < sum(first) < 32
        assert c.post("/_sandbox/reset").status_code == 200
        assert c.get("/_sandbox/drills").json() == {"drills": []}  # a reset clears drills
        drill(c, provider="whop", kind="reorder_keys", share=0.5)
        assert _flags(c, 40) == first  # same seed, same drill number: the same answers drilled
        c.post("/_sandbox/scenario", json={"name": "default", "seed": 7})
        assert c.get("/_sandbox/drills").json() == {"drills": []}  # so does a load


def test_share_zero_drills_nothing_and_delete_clears(client) -> None:
    drill(client, provider="whop", kind="extra_field", share=0)
    assert _flags(client, 5) == [False] * 5
    drill(client, provider="whop", kind="extra_field")
    assert _flags(client, 1) == [True]
    assert client.delete("/_sandbox/drills").json() == {"drills": []}
    assert _flags(client, 1) == [False]


def test_tenant_and_path_scope_a_drill(client) -> None:
    drill(client, provider="whop", kind="extra_field", tenant="biz_CourseForge02")
    assert _flags(client, 1) == [False]  # Pickaxe's key
    other = client.get(WHOP[0], headers={"Authorization": "Bearer whop_test_courseforge_read"})
    assert other.headers["x-sandbox-drill"] == "extra_field"
    client.delete("/_sandbox/drills")
    drill(client, provider="whop", kind="extra_field", path="/reso_PickaxeDue01")
    assert _flags(client, 1) == [False]
    one = client.get("/whop/api/v1/resolution_center_cases/reso_PickaxeDue01", headers=WHOP[1])
    assert one.headers["x-sandbox-drill"] == "extra_field" and one.json()["new_future_field"]


# -- webhook drills ---------------------------------------------------------------------------------

def _receive(provider: str, tenant: str, kind: str, act: Callable[[httpx.Client], None], events: list[str],
             ) -> tuple[list[Any], list[dict[str, Any]], list[Any]]:
    """Subscribe a receiver, drill `kind` on its deliveries, act; the deliveries in the order sent."""
    sandbox = make_sandbox(text=shipped_text("default", ["whop", "shoplazza"]))
    with WebhookReceiver() as receiver, asgi_client(sandbox) as c:
        sub = c.post("/_sandbox/webhooks", json={"provider": provider, "tenant": tenant, "url": receiver.url,
                                                  "events": events})
        assert sub.status_code == 201, sub.text
        drill(c, provider=provider, kind=kind, count=1)
        act(c)
        got = receiver.wait_for(2)
        deliveries = c.wait_deliveries(2)
        assert len(got) == 2 and len(deliveries) == 2, (got, deliveries)
        return got, deliveries, [orjson.loads(g.body) for g in got]


def _whop_resolve(c: httpx.Client) -> None:
    assert c.post("/_sandbox/whop/cases/reso_PickaxeDue01/resolve", json={"outcome": "merchant_won"}).status_code == 200


def _shoplazza_respond(c: httpx.Client) -> None:
    assert c.post("/_sandbox/shoplazza/disputes/dp_AuroraExpiresTomorrow0000001/respond").status_code == 200


WEBHOOKS = [("whop", "biz_PickaxeLabs01", _whop_resolve, ("data", "id"), "webhook-id", ["resolution_center_case.decided"]),
            ("shoplazza", "aurora-apparel", _shoplazza_respond, ("dispute", "id"), "x-shoplazza-deduplication-id", [])]


@pytest.mark.parametrize(("provider", "tenant", "act", "where", "id_header", "events"), WEBHOOKS, ids=[w[0] for w in WEBHOOKS])
def test_a_duplicate_webhook_drill_sends_the_same_message_twice(provider, tenant, act, where, id_header, events) -> None:
    got, deliveries, bodies = _receive(provider, tenant, "duplicate_webhook", act, events)
    assert got[0].body == got[1].body
    assert deliveries[0]["message_id"] == deliveries[1]["message_id"]
    assert got[0].headers[id_header] == got[1].headers[id_header]
    assert [g.headers.get("x-sandbox-drill") for g in got] == [None, "duplicate_webhook"]


@pytest.mark.parametrize(("provider", "tenant", "act", "where", "id_header", "events"), WEBHOOKS, ids=[w[0] for w in WEBHOOKS])
def test_an_unknown_record_webhook_drill_names_a_record_that_does_not_exist(client, provider, tenant, act, where,
                                                                            id_header, events) -> None:
    got, deliveries, bodies = _receive(provider, tenant, "unknown_record_webhook", act, events)
    real, ghost = bodies
    real_id, ghost_id = real[where[0]][where[1]], ghost[where[0]][where[1]]
    assert ghost_id != real_id and len(ghost_id) == len(real_id) and ghost_id[:5] == real_id[:5]
    assert got[1].headers["x-sandbox-drill"] == "unknown_record_webhook" and "x-sandbox-drill" not in got[0].headers
    assert deliveries[0]["message_id"] != deliveries[1]["message_id"]
    assert got[1].headers[id_header] == deliveries[1]["message_id"]
    path = {"whop": f"/whop/api/v1/resolution_center_cases/{ghost_id}",
            "shoplazza": f"/shoplazza/openapi/2024-07/shoplazza-payment/disputes/{ghost_id}"}[provider]
    headers = {"whop": WHOP[1], "shoplazza": SHOPLAZZA[1]}[provider]
    assert client.get(path, headers=headers).status_code == 404  # the record exists nowhere


def test_the_test_helpers_add_drills_and_fault_kinds(client) -> None:
    assert client.drill("whop", "extra_field", count=1)[0]["count"] == 1
    assert client.fault("whop", kind="latency", ms=1)[0]["kind"] == "latency"
    answer = client.get(WHOP[0], headers=WHOP[1])
    assert answer.headers["x-sandbox-drill"] == "extra_field"
    assert last_reason(client).startswith("forced fault latency 1 ms")
    assert client.get("/_sandbox/faults").json() == {"faults": []}


def test_a_short_page_drill_leaves_a_record_read_as_asked(client) -> None:
    """The page size goes to list calls only: a retrieve under a cursor-paged family is answered
    as the client asked, undrilled."""
    drill(client, provider="whop", kind="short_page")
    path = "/whop/api/v1/resolution_center_cases/reso_PickaxeDue01"
    one = client.get(path, headers=WHOP[1])
    assert one.status_code == 200 and "x-sandbox-drill" not in one.headers and one.json()["id"] == "reso_PickaxeDue01"
    assert client.get("/_sandbox/drills").json()["drills"][0]["drilled"] == 0
