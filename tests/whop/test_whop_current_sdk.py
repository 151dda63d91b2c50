"""whop-sdk 2.6.0, unchanged but for its base URL, drives every current case operation in-process."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from whop_sdk import ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, Whop
from whop_sdk.core.api_error import ApiError
from whop_sdk.environment import WhopEnvironment

from sandbox.providers.whop import inferred
from sandbox.providers.whop.wire import CurrentCase, CurrentEvent
from sandbox.testing import asgi_client, make_sandbox, shipped_text

LUMEN = "biz_LumenStudio03"
PICKAXE = "biz_PickaxeLabs01"
MANAGE, READ, AVA, BEN = "whop_test_lumen_manage", "whop_test_lumen_read", "whop_test_user_ava", "whop_test_user_ben"
ENV = WhopEnvironment(api="http://testserver/whop/api/v1", vault="http://testserver/whop/api/v1")
URL = "/whop/api/v1/resolution_center_cases"
CURRENT = {"Api-Version-Date": "2026-10-15-1"}


class World:
    """A fresh default scenario (Whop only), its app, and SDK clients that count their requests."""

    def __init__(self) -> None:
        self.sandbox = make_sandbox(text=shipped_text("default", ["whop"]))
        self.http = asgi_client(self.sandbox)
        self.requests: list[httpx.Request] = []
        self.http.event_hooks = {"request": [self.requests.append], "response": []}

    def sdk(self, token: str | None, **options) -> Whop:
        return Whop(token=token, environment=ENV, httpx_client=self.http, **{"max_retries": 0, **options})

    @property
    def state(self):
        return self.sandbox.state("whop")

    def expected(self, pred=lambda c: True, company=LUMEN, key=None, reverse=True) -> list[str]:
        cases = [c for c in self.state.cases if c.company_id == company and pred(c)]
        return [c.id for c in sorted(cases, key=key or (lambda c: (c.created_at, c.id)), reverse=reverse)]


@pytest.fixture
def world():
    w = World()
    yield w
    w.http.close()


def status_of(case) -> str:
    return inferred.CURRENT_STATUS[case.status][0]


# -- list -------------------------------------------------------------------------------------


def test_list_walks_every_page_once_then_one_empty_page(world):
    client = world.sdk(MANAGE)
    seen = [c.id for c in client.resolution_center_cases.list(first=7)]
    expected = world.expected()
    assert seen == expected and len(expected) == 54
    pages = -(-len(expected) // 7)
    assert len(world.requests) == pages + 1  # 2.6.0 stops on the empty page after the last
    assert all(r.headers["api-version-date"] == "2026-10-15-1" for r in world.requests)


def test_default_page_is_twenty_and_oversize_clamps(world):
    client = world.sdk(MANAGE)
    assert len(client.resolution_center_cases.list().response.data) == inferred.CURRENT_PAGE_SIZE
    assert len(client.resolution_center_cases.list(first=1000).response.data) == 54


def test_every_filter_holds_on_every_page(world):
    client = world.sdk(MANAGE)
    pager = client.resolution_center_cases.list(
        first=3, status=["awaiting_merchant", "closed"], reason=["subscription_canceled", "fraudulent", "not_as_described"],
        direction="asc",
    )
    seen = []
    for page in pager.iter_pages():
        for case in page.items:
            assert case.status in ("awaiting_merchant", "closed")
            assert case.reason in ("subscription_canceled", "fraudulent", "not_as_described")
            seen.append(case.id)
    wanted = {"awaiting_merchant", "closed"}
    reasons = {"forgot_to_cancel", "unauthorized_transaction", "significantly_not_as_described"}
    assert seen == world.expected(lambda c: status_of(c) in wanted and c.issue in reasons, reverse=False)
    assert seen


def test_outcome_filter_only_closed_cases(world):
    client = world.sdk(MANAGE)
    seen = list(client.resolution_center_cases.list(outcome="merchant_won", first=5))
    assert seen and all(c.status == "closed" and c.outcome == "merchant_won" for c in seen)
    assert [c.id for c in seen] == world.expected(lambda c: c.status == "merchant_won")


def test_order_by_response_due_at_puts_nulls_last_ascending(world):
    client = world.sdk(MANAGE)
    seen = list(client.resolution_center_cases.list(order="response_due_at", direction="asc", first=8))
    dues = [c.response_due_at for c in seen]
    present = [d for d in dues if d is not None]
    assert present == sorted(present) and dues[: len(present)] == present and None in dues
    desc = [c.id for c in client.resolution_center_cases.list(order="response_due_at", direction="desc", first=8)]
    assert desc == [c.id for c in reversed(seen)]


def test_created_window_and_account_filters(world):
    client = world.sdk(MANAGE)
    after = "2026-10-01T00:00:00Z"
    before = "2026-11-20T00:00:00Z"
    seen = [c.id for c in client.resolution_center_cases.list(created_after=after, created_before=before, account_id=LUMEN)]
    lo, hi = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC)
    assert seen == world.expected(lambda c: lo < c.created_at < hi) and seen
    with pytest.raises(ForbiddenError):  # another company's account_id is not the caller's own cases
        list(client.resolution_center_cases.list(account_id=PICKAXE))


def test_user_id_filter_and_customer_listing(world):
    merchant = world.sdk(MANAGE)
    ava_cases = [c.id for c in merchant.resolution_center_cases.list(user_id="user_AvaPatel000001")]
    assert ava_cases == world.expected(lambda c: c.user_id == "user_AvaPatel000001") and len(ava_cases) == 8
    assert list(merchant.resolution_center_cases.list(user_id="me")) == []
    ava = world.sdk(AVA)
    mine = [c.id for c in ava.resolution_center_cases.list(first=3)]
    assert mine == ava_cases
    assert [c.id for c in ava.resolution_center_cases.list(user_id="me", status="closed")] == world.expected(
        lambda c: c.user_id == "user_AvaPatel000001" and status_of(c) == "closed"
    )
    assert list(world.sdk(BEN).resolution_center_cases.list()) == []


def test_bad_filters_are_400_not_500(world):
    headers = {"Authorization": f"Bearer {MANAGE}", **CURRENT}
    for query in (
        "status=open", "reason=nope", "outcome=lost", "order=amount", "direction=up", "first=-1", "first=x",
        "created_after=9999-12-31T23:59:59-23:59", "created_before=yesterday", "after=garbage",
    ):
        response = world.http.get(f"{URL}?{query}", headers=headers)
        assert response.status_code == 400, query
        assert response.json()["error"]["type"] == "invalid_request_error"


def test_cursor_of_another_query_is_refused(world):
    headers = {"Authorization": f"Bearer {MANAGE}", **CURRENT}
    cursor = world.http.get(f"{URL}?first=2", headers=headers).json()["page_info"]["end_cursor"]
    refused = world.http.get(f"{URL}?first=2&status=closed&after={cursor}", headers=headers)
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "after"


# -- summary, retrieve, shape -----------------------------------------------------------------


def test_summary_counts_every_key_and_only_groups_asked(world):
    client = world.sdk(MANAGE)
    only = client.resolution_center_cases.summary(groups=["status"])
    assert only.groups.reason is None and only.groups.outcome is None
    status = only.groups.status
    counts = {s: sum(1 for c in world.state.cases if c.company_id == LUMEN and status_of(c) == s) for s in
              ("awaiting_merchant", "awaiting_customer", "under_review", "closed")}
    assert (status.awaiting_merchant, status.awaiting_customer, status.under_review, status.closed) == tuple(counts.values())
    full = client.resolution_center_cases.summary()
    assert full.total == 54 and full.groups.reason is not None and full.groups.outcome is not None
    assert full.groups.outcome.customer_won + full.groups.outcome.merchant_won + full.groups.outcome.withdrawn == counts["closed"]
    assert client.resolution_center_cases.summary(account_id=PICKAXE).total == 0  # 403 is not mapped here
    raw = world.http.get(f"{URL}/summary?groups=status", headers={"Authorization": f"Bearer {MANAGE}", **CURRENT}).json()
    assert list(raw["groups"]) == ["status"] and sorted(raw["groups"]["status"]) == sorted(counts)


def test_retrieve_has_every_current_key_and_email_needs_permission(world):
    full = world.sdk(MANAGE).resolution_center_cases.retrieve("reso_LumenAwaitMer1")
    assert full.status == "awaiting_merchant" and full.escalated is False and full.outcome is None
    assert full.reason == "subscription_canceled" and full.amount == 49.0 and full.currency == "usd"
    assert full.available_actions == ["accept", "deny", "request_info"]
    assert full.buyer.email == "ava@example.com" and full.buyer.name == "Ava Patel"
    assert full.line_items[0].subtotal.amount == "49.00"
    assert world.sdk(READ).resolution_center_cases.retrieve("reso_LumenAwaitMer1").buyer.email is None
    raw = world.http.get(f"{URL}/reso_LumenAwaitMer1", headers={"Authorization": f"Bearer {MANAGE}", **CURRENT}).json()
    CurrentCase.model_validate(raw)  # strict: no key the model lacks
    assert "issue" not in raw and "resolution_events" not in raw


def test_every_current_status_maps_from_the_one_store(world):
    client = world.sdk(MANAGE)
    ava = world.sdk(AVA)
    table = {
        "reso_LumenAwaitMer1": ("awaiting_merchant", False, None, ["accept", "deny", "request_info"], ["withdraw"]),
        "reso_LumenAwaitCus1": ("awaiting_customer", False, None, ["accept"], ["reply", "withdraw"]),
        "reso_LumenReview01": ("under_review", True, None, ["accept"], ["withdraw"]),
        "reso_LumenMerInfo1": ("awaiting_merchant", True, None, ["accept", "reply"], ["withdraw"]),
        "reso_LumenCusInfo1": ("awaiting_customer", True, None, ["accept"], ["reply", "withdraw"]),
        "reso_LumenMerWon01": ("closed", False, "merchant_won", [], ["appeal"]),
        "reso_LumenCusWon01": ("closed", False, "customer_won", [], []),
        "reso_LumenWithdr01": ("closed", False, "withdrawn", [], []),
    }
    for case_id, (status, escalated, outcome, merchant, customer) in table.items():
        case = client.resolution_center_cases.retrieve(case_id)
        assert (case.status, case.escalated, case.outcome, case.available_actions) == (status, escalated, outcome, merchant)
        assert ava.resolution_center_cases.retrieve(case_id).available_actions == customer, case_id


def test_errors_the_sdk_maps(world):
    with pytest.raises(NotFoundError):
        world.sdk(MANAGE).resolution_center_cases.retrieve("reso_missing")
    with pytest.raises(NotFoundError):  # another company's case is not revealed
        world.sdk(MANAGE).resolution_center_cases.retrieve("reso_PickaxeDue01")
    with pytest.raises(NotFoundError):  # a customer cannot read a case it did not open
        world.sdk(AVA).resolution_center_cases.retrieve("reso_LumenOther001")
    with pytest.raises(UnauthorizedError):
        world.sdk("bad").resolution_center_cases.retrieve("reso_LumenAwaitMer1")
    with pytest.raises(UnauthorizedError):
        list(world.sdk(None).resolution_center_cases.list())
    assert "authorization" not in world.requests[-1].headers
    with pytest.raises(NotFoundError):
        list(world.sdk(MANAGE).resolution_center_cases.events("reso_missing"))


def test_versions_pick_the_shape(world):
    headers = {"Authorization": f"Bearer {MANAGE}"}
    legacy = world.http.get(f"{URL}/reso_LumenAwaitMer1", headers=headers).json()  # no header: 2025-01-01
    assert legacy["status"] == "merchant_response_needed" and "available_actions" not in legacy
    current = world.http.get(f"{URL}/reso_LumenAwaitMer1", headers={**headers, "Api-Version-Date": "2026-08-21"}).json()
    assert current["status"] == "awaiting_merchant"
    assert world.http.get(f"{URL}/reso_LumenAwaitMer1", headers={**headers, "Api-Version-Date": "2026-07-20"}).json()["status"] == "merchant_response_needed"
    for bogus in ("2026-13-45", "yesterday", "2026-08-21-x", "2030-01-01", ""):
        response = world.http.get(URL, headers={**headers, "Api-Version-Date": bogus})
        assert response.status_code == 400, bogus
        assert response.json()["error"]["param"] == "Api-Version-Date"
        assert "Supported versions: 2025-01-01" in response.json()["error"]["message"]
    # a key's own default applies when the header is absent; 2.6.0 always sends its own
    pinned = {"Authorization": "Bearer whop_test_lumen_legacy_default"}
    assert world.http.get(f"{URL}/reso_LumenAwaitMer1", headers=pinned).json()["status"] == "merchant_response_needed"
    assert world.sdk("whop_test_lumen_legacy_default").resolution_center_cases.retrieve("reso_LumenAwaitMer1").status == "awaiting_merchant"
    # current-only routes do not exist for legacy-dated requests
    assert world.http.get(f"{URL}/summary", headers=headers).status_code == 404
    assert world.http.post(f"{URL}/reso_LumenAwaitMer1/accept", headers=headers).status_code == 404


def test_unknown_routes_authenticate_first(world):
    assert world.http.get("/whop/api/v1/nothing_here", headers={"Authorization": "Bearer bad"}).status_code == 401
    assert world.http.get("/whop/api/v1/nothing_here").status_code == 401
    found = world.http.get("/whop/api/v1/nothing_here", headers={"Authorization": f"Bearer {MANAGE}"})
    assert found.status_code == 404 and found.json() == {"error": {"type": "not_found", "message": "Resource not found"}}
    assert world.http.post(f"{URL}/reso_LumenAwaitMer1/explode", headers={"Authorization": f"Bearer {MANAGE}", **CURRENT}).status_code == 404


# -- actions ----------------------------------------------------------------------------------


def test_merchant_request_info_then_customer_reply_then_deny(world):
    merchant, ava = world.sdk(MANAGE), world.sdk(AVA)
    asked = merchant.resolution_center_cases.request_info("reso_LumenAwaitMer1", message="Which email?")
    assert (asked.status, asked.available_actions) == ("awaiting_customer", ["accept"])
    replied = ava.resolution_center_cases.reply("reso_LumenAwaitMer1", message="ava@example.com")
    assert replied.status == "awaiting_merchant" and replied.available_actions == ["withdraw"]
    denied = merchant.resolution_center_cases.deny("reso_LumenAwaitMer1", message="Used all month.")
    assert (denied.status, denied.outcome, denied.refund) == ("closed", "merchant_won", "none")
    appealed = ava.resolution_center_cases.appeal("reso_LumenAwaitMer1", message="Please look again.")
    assert (appealed.status, appealed.escalated, appealed.customer_appealed, appealed.outcome) == ("under_review", True, True, None)
    events = [e.action for e in merchant.resolution_center_cases.events("reso_LumenAwaitMer1")]
    assert events == ["appealed", "denied", "responded", "requested_more_info", "created"]


def test_accept_refunds_and_withdraw_closes(world):
    accepted = world.sdk(MANAGE).resolution_center_cases.accept("reso_LumenReview01", message="Refunded.")
    assert (accepted.status, accepted.outcome, accepted.refund, accepted.available_actions) == ("closed", "customer_won", "merchant", [])
    withdrawn = world.sdk(AVA).resolution_center_cases.withdraw("reso_LumenCusInfo1")
    assert (withdrawn.outcome, withdrawn.refund) == ("withdrawn", "none")
    assert world.requests[-1].headers.get("content-length") == "0"


def test_request_info_is_offered_three_times(world):
    merchant, ava = world.sdk(MANAGE), world.sdk(AVA)
    for _ in range(3):
        merchant.resolution_center_cases.request_info("reso_LumenAwaitMer1", message="More?")
        ava.resolution_center_cases.reply("reso_LumenAwaitMer1", message="Here.")
    case = merchant.resolution_center_cases.retrieve("reso_LumenAwaitMer1")
    assert case.available_actions == ["accept", "deny"]
    with pytest.raises(ConflictError):
        merchant.resolution_center_cases.request_info("reso_LumenAwaitMer1")


def test_conflict_is_retried_by_a_default_client_and_changes_nothing(world, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)  # 2.6.0 backs off between retries
    before = world.http.get(f"{URL}/reso_LumenMerWon01", headers={"Authorization": f"Bearer {MANAGE}", **CURRENT}).content
    client = world.sdk(MANAGE, max_retries=2)
    world.requests.clear()
    with pytest.raises(ConflictError) as raised:
        client.resolution_center_cases.deny("reso_LumenMerWon01", message="no")
    assert len(world.requests) == 3 and raised.value.body["error"]["type"] == "conflict"
    after = world.http.get(f"{URL}/reso_LumenMerWon01", headers={"Authorization": f"Bearer {MANAGE}", **CURRENT}).content
    assert after == before
    with pytest.raises(ConflictError):  # a customer cannot accept, a merchant cannot appeal
        world.sdk(AVA).resolution_center_cases.accept("reso_LumenAwaitMer1")
    with pytest.raises(ConflictError):
        world.sdk(MANAGE).resolution_center_cases.appeal("reso_LumenMerWon01", message="x")


def test_appeal_only_once(world):
    ava = world.sdk(AVA)
    ava.resolution_center_cases.appeal("reso_LumenMerWon01", message="Again please.")
    world.sdk(MANAGE).resolution_center_cases.accept("reso_LumenMerWon01")
    with pytest.raises(ConflictError):
        ava.resolution_center_cases.appeal("reso_LumenMerWon01", message="Once more.")


def test_permissions_per_operation(world):
    with pytest.raises(ForbiddenError):  # a read key may not act
        world.sdk(READ).resolution_center_cases.accept("reso_LumenAwaitMer1")
    with pytest.raises(ApiError) as raised:
        world.sdk(READ).resolution_center_cases.deny("reso_LumenAwaitMer1", message="no")
    assert raised.value.status_code == 403
    with pytest.raises(ForbiddenError):
        list(world.sdk("whop_test_courseforge_noperm").resolution_center_cases.list())
    assert world.sdk(READ).resolution_center_cases.retrieve("reso_LumenAwaitMer1").available_actions == ["accept", "deny", "request_info"]


def test_bad_bodies_are_400_and_change_nothing(world):
    headers = {"Authorization": f"Bearer {MANAGE}", **CURRENT, "Content-Type": "application/json"}
    before = world.http.get(f"{URL}/reso_LumenAwaitMer1", headers=headers).content
    for body in (b'{"message": 123}', b"[1]", b"{nope", b'{"attachments": [{}]}', b'{"attachments": [{"id": "file_1"}, {"id": "file_2"}, {"id": "file_3"}, {"id": "file_4"}]}',
                 b'{"message": "' + b"x" * 6000 + b'"}', b'{"attachments": [{"id": "file_1", "direct_upload_id": "u"}]}'):
        response = world.http.post(f"{URL}/reso_LumenAwaitMer1/request_info", content=body, headers=headers)
        assert response.status_code == 400, body[:40]
        assert response.json()["error"]["type"] == "invalid_request_error"
    assert world.http.post(f"{URL}/reso_LumenAwaitMer1/deny", content=b"{}", headers=headers).json()["error"]["code"] == "parameter_missing"
    assert world.http.get(f"{URL}/reso_LumenAwaitMer1", headers=headers).content == before


def test_attachments_land_on_the_event(world):
    world.sdk(MANAGE).resolution_center_cases.request_info("reso_LumenAwaitMer1", message="See file", attachments=[{"id": "file_abc"}])
    event = next(iter(world.sdk(MANAGE).resolution_center_cases.events("reso_LumenAwaitMer1")))
    assert event.action == "requested_more_info" and len(event.attachments) == 1 and event.attachments[0].id.startswith("att_")


def test_idempotent_retry_replays_the_first_answer(world):
    client = world.sdk(MANAGE, idempotency_key="retry-1")
    first = client.resolution_center_cases.request_info("reso_LumenAwaitMer1", message="Which email?")
    events = len(world.state.cases.get("reso_LumenAwaitMer1").events)
    again = client.resolution_center_cases.request_info("reso_LumenAwaitMer1", message="Which email?")
    assert again == first and len(world.state.cases.get("reso_LumenAwaitMer1").events) == events
    assert list(client.resolution_center_cases.list(first=2))  # the key on a GET is ignored
    with pytest.raises(ConflictError) as raised:  # same key, other body
        client.resolution_center_cases.request_info("reso_LumenAwaitMer1", message="Something else")
    assert raised.value.body["error"]["type"] == "idempotency_error"
    headers = {"Authorization": f"Bearer {MANAGE}", **CURRENT, "Idempotency-Key": "k" * 256}
    assert world.http.post(f"{URL}/reso_LumenAwaitMer1/accept", headers=headers).status_code == 400


def test_idempotency_store_is_bounded(world, monkeypatch):
    monkeypatch.setattr(inferred, "IDEMPOTENCY_STORE_SIZE", 3)
    headers = {"Authorization": f"Bearer {MANAGE}", **CURRENT}
    for i in range(6):  # refusals (409) are not stored; answers are
        world.http.post(f"{URL}/reso_LumenAwaitMer1/request_info", headers={**headers, "Idempotency-Key": f"k{i}"}, json={})
        world.http.post(f"{URL}/reso_LumenAwaitCus1/accept", headers={**headers, "Idempotency-Key": f"a{i}"})
    assert len(world.state.replays) <= 3


def test_customer_creates_a_case_on_its_own_payment(world):
    ava = world.sdk(AVA)
    case = ava.resolution_center_cases.create(message="Never got access.", reason="product_not_received", receipt_id="pay_AvaLumen0000001")
    assert (case.status, case.reason, case.amount, case.account.id) == ("awaiting_merchant", "product_not_received", 79.0, LUMEN)
    assert world.requests[-1] and world.http.get(f"{URL}/{case.id}", headers={"Authorization": f"Bearer {MANAGE}", **CURRENT}).json()["buyer"]["email"] == "ava@example.com"
    assert [c.id for c in ava.resolution_center_cases.list()][0] == case.id
    assert case.id in [c.id for c in world.sdk(MANAGE).resolution_center_cases.list(first=100)]
    with pytest.raises(ConflictError):  # one open case per payment
        ava.resolution_center_cases.create(message="Again.", reason="fraudulent", receipt_id="pay_AvaLumen0000001")
    with pytest.raises(ApiError) as raised:
        world.sdk(BEN).resolution_center_cases.create(message="Not mine.", reason="fraudulent", receipt_id="pay_AvaLumen0000002")
    assert raised.value.status_code == 404
    with pytest.raises(ApiError) as raised:
        world.sdk(MANAGE).resolution_center_cases.create(message="x", reason="fraudulent", receipt_id="pay_AvaLumen0000002")
    assert raised.value.status_code == 403
    response = world.http.post(URL, headers={"Authorization": f"Bearer {AVA}", **CURRENT}, json={"message": "x", "reason": "bogus", "receipt_id": "pay_AvaLumen0000002"})
    assert response.status_code == 400 and response.json()["error"]["param"] == "reason"
    assert len(list(ava.resolution_center_cases.list())) == 9  # nothing stored on a refusal


def test_customer_sees_only_its_part_of_the_timeline(world):
    merchant = [e for e in world.sdk(MANAGE).resolution_center_cases.events("reso_LumenMerInfo1")]
    customer = [e for e in world.sdk(AVA).resolution_center_cases.events("reso_LumenMerInfo1")]
    hidden = [e for e in merchant if not e.viewable_by_customer]
    assert hidden and [e.id for e in customer] == [e.id for e in merchant if e.viewable_by_customer]
    raw = world.http.get(f"{URL}/reso_LumenMerInfo1/events", headers={"Authorization": f"Bearer {MANAGE}", **CURRENT}).json()
    for event in raw["data"]:
        CurrentEvent.model_validate(event)
    times = [e["created_at"] for e in raw["data"]]
    assert times == sorted(times, reverse=True)  # newest first


def test_deadlines_on_the_sandbox_clock(world):
    merchant = world.sdk(MANAGE)
    asked = merchant.resolution_center_cases.request_info("reso_LumenAwaitMer1", message="Proof?")
    assert asked.response_due_at is not None
    world.http.post("/_sandbox/clock/advance", json={"duration": "7d1m"})
    case = merchant.resolution_center_cases.retrieve("reso_LumenAwaitMer1")
    assert (case.status, case.outcome) == ("closed", "merchant_won")  # the customer stayed silent


def test_control_body_validated_before_storing(world):
    bad = world.http.post("/_sandbox/whop/cases/reso_PickaxeDue01/customer_reply", json={"details": 123})
    assert bad.status_code == 400 and "details" in bad.json()["error"]
    assert world.http.post("/_sandbox/whop/cases/reso_PickaxeDue01/request_info", json={"from": "nobody"}).status_code == 400
    assert world.http.post("/_sandbox/whop/cases/reso_PickaxeDue01/explode", json={}).status_code == 400
    assert world.http.post("/_sandbox/whop/cases/reso_PickaxeDue01/act", json={"action": ["x"]}).status_code == 400
    read = world.http.get(f"{URL}/reso_PickaxeDue01", headers={"Authorization": "Bearer whop_test_pickaxe_read"})
    assert read.status_code == 200 and len(read.json()["resolution_events"]) == 1


@pytest.mark.parametrize("status", [s for s in range(400, 600) if s not in (401, 404)][::7] + [402, 409, 418, 451, 503, 599])
def test_forced_faults_keep_status_in_whop_shape(world, status):
    world.http.post("/_sandbox/faults", json={"provider": "whop", "status": status, "count": 1})
    response = world.http.get(URL, headers={"Authorization": f"Bearer {MANAGE}"})
    assert response.status_code == status
    error = response.json()["error"]
    assert isinstance(error["type"], str) and isinstance(error["message"], str) and error["message"]


def test_a_platform_refund_reads_as_merchant_won_with_refund_platform(world):
    forced = world.http.post("/_sandbox/whop/cases/reso_LumenReview01/resolve", json={"outcome": "merchant_won", "refund": "platform"})
    assert forced.status_code == 200
    case = world.sdk(MANAGE).resolution_center_cases.retrieve("reso_LumenReview01")
    assert (case.status, case.outcome, case.refund) == ("closed", "merchant_won", "platform")
    assert world.http.post("/_sandbox/whop/cases/reso_LumenReview01/resolve", json={"outcome": "merchant_won", "refund": "all"}).status_code == 400


def test_created_case_is_announced_to_subscribers(world):
    sub = world.http.post("/_sandbox/webhooks", json={"provider": "whop", "tenant": LUMEN, "url": "http://127.0.0.1:9/hook", "version": "2026-10-15-1"})
    assert sub.status_code == 201, sub.text
    case = world.sdk(AVA).resolution_center_cases.create(message="Broken.", reason="product_unacceptable", receipt_id="pay_AvaLumen0000002")
    queued = [p.outbox.message for q in world.sandbox.world.webhooks.queues.values() for p in q]
    mine = [m for m in queued if m.payload["data"]["id"] == case.id]
    assert [m.type for m in mine] == ["resolution_center_case.created"]
    assert mine[0].payload["data"]["status"] == "awaiting_merchant"


def test_summary_maps_400_to_bad_request(world):
    from whop_sdk import BadRequestError

    with pytest.raises(BadRequestError) as raised:
        world.sdk(MANAGE).resolution_center_cases.summary(status="open")
    assert raised.value.body["error"]["param"] == "status"
    with pytest.raises(BadRequestError):
        world.sdk(MANAGE).resolution_center_cases.summary(created_after="9999-12-31T23:59:59-23:59")


def test_async_client_pages_too(world):
    import asyncio

    from whop_sdk import AsyncWhop

    from sandbox.app import create_app

    async def walk() -> list[str]:
        transport = httpx.ASGITransport(app=create_app(world.sandbox))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            client = AsyncWhop(token=MANAGE, environment=ENV, httpx_client=http, max_retries=0)
            pager = await client.resolution_center_cases.list(first=10)
            return [c.id async for c in pager]

    assert asyncio.run(walk()) == world.expected()
