"""Whop disputes, evidence files and dispute alerts through whop-sdk 2.6.0, unchanged but for its
base URL (in-process: the SDK's httpx client is the app's test client)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from whop_sdk import BadRequestError, ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, Whop
from whop_sdk.core.api_error import ApiError
from whop_sdk.environment import WhopEnvironment
from whop_sdk.types.dispute import Dispute as SdkDispute

from sandbox.providers.whop.dispute_models import DISPUTE_STATUSES
from sandbox.providers.whop.dispute_wire import Dispute
from sandbox.testing import asgi_client, make_sandbox

KEY = "whop_test_pickaxe_disputes"
ACCOUNT = "biz_PickaxeLabs01"
ENV = WhopEnvironment(api="http://testserver/whop/api/v1", vault="http://testserver/whop/api/v1")
FIXTURES = Path(__file__).parents[2] / "fixtures" / "whop"


class Counting:
    """Wraps the test client to count the requests the SDK makes."""

    def __init__(self, client: httpx.Client) -> None:
        self.client, self.requests = client, []

    def __getattr__(self, name):
        return getattr(self.client, name)

    def request(self, method, url, **kwargs):
        self.requests.append((method, str(url), kwargs.get("params")))
        return self.client.request(method, url, **kwargs)

    def stream(self, *args, **kwargs):
        return self.client.stream(*args, **kwargs)


@pytest.fixture
def world():
    sandbox = make_sandbox("default")
    http = asgi_client(sandbox)
    counting = Counting(http)
    client = Whop(token=KEY, environment=ENV, httpx_client=counting, max_retries=0)
    yield sandbox, http, client, counting
    http.close()


def book(sandbox):
    return sandbox.state("whop").disputes_book


def expected(sandbox, status=None, currency=None):
    records = [
        d
        for d in book(sandbox).disputes
        if d.account_id == ACCOUNT and (status is None or d.reported_status in status) and currency in (None, d.currency)
    ]
    return [d.id for d in sorted(records, key=lambda d: (d.created_at, d.id), reverse=True)]


def test_golden_example_fits_both_models():
    example = json.loads((FIXTURES / "dispute_example.json").read_text())
    assert Dispute.model_validate(example).model_dump(mode="json") == example
    assert SdkDispute.model_validate(example).id == example["id"]


def test_list_walks_every_page_once(world):
    sandbox, _, client, counting = world
    ids = [d.id for d in client.disputes.list(first=7)]
    assert ids == expected(sandbox)
    assert len(ids) == len(set(ids)) > 40
    pages = -(-len(ids) // 7)
    assert len(counting.requests) in (pages, pages + 1)  # the SDK stops on a null cursor or an empty page


@pytest.mark.parametrize(
    "status", [["needs_response"], ["under_review"], ["warning_needs_response", "won"], ["lost", "prevented", "warning_closed"]]
)
def test_status_filter_repeated_keys(world, status):
    sandbox, _, client, counting = world
    got = list(client.disputes.list(status=status, first=5))
    assert [d.id for d in got] == expected(sandbox, status)
    assert got and all(d.status in status for d in got)
    assert "status" in str(counting.requests[0])


def test_lapsed_dispute_reads_and_filters_as_under_review(world):
    sandbox, _, client, _ = world
    lapsed = client.disputes.retrieve("dspt_PickaxeLapsed01")
    assert (lapsed.status, lapsed.evidence_editable, lapsed.evidence_locked_reason, lapsed.acceptable) == (
        "under_review", False, "response_window_closed", False,
    )
    assert "dspt_PickaxeLapsed01" in [d.id for d in client.disputes.list(status="under_review", first=100)]
    assert "dspt_PickaxeLapsed01" not in [d.id for d in client.disputes.list(status="needs_response", first=100)]


def test_currency_created_and_order_filters(world):
    sandbox, _, client, _ = world
    eur = [d.id for d in client.disputes.list(currency="eur", first=3)]
    assert eur == expected(sandbox, currency="eur") and eur
    by_amount = list(client.disputes.list(order="amount", direction="asc", first=6))
    amounts = [d.amount for d in by_amount]
    assert amounts == sorted(amounts) and len(by_amount) == len(expected(sandbox))
    due = [d.evidence_due_at for d in client.disputes.list(order="evidence_due_at", direction="asc", first=9)]
    present = [d for d in due if d is not None]
    assert present == sorted(present) and due[: len(present)] == present  # nulls last ascending
    cut = "2026-11-20T00:00:00Z"
    newer = list(client.disputes.list(created_after=cut, first=10))
    assert newer and all(d.created_at > "2026-11-20" for d in newer)
    assert len(newer) == len([i for i in expected(sandbox) if book(sandbox).disputes.get(i).created_at.isoformat() > "2026-11-20"])


def test_other_account_filter_is_forbidden_and_bad_key_unauthorized(world):
    _, http, client, _ = world
    with pytest.raises(ForbiddenError):
        client.disputes.list(account_id="biz_CourseForge02")
    with pytest.raises(UnauthorizedError):
        Whop(token="nope", environment=ENV, httpx_client=http, max_retries=0).disputes.retrieve("dspt_PickaxeNeeds01")
    with pytest.raises(UnauthorizedError):
        Whop(token=None, environment=ENV, httpx_client=http, max_retries=0).disputes.list()
    with pytest.raises(ForbiddenError):  # a key without payment:dispute:read
        Whop(token="whop_test_pickaxe_read", environment=ENV, httpx_client=http, max_retries=0).disputes.list()
    with pytest.raises(BadRequestError):
        client.disputes.list(status="bogus")


def test_summary_counts_every_status(world):
    sandbox, _, client, _ = world
    summary = client.disputes.summary()
    assert summary.total == len(expected(sandbox))
    status = summary.groups.status.model_dump()
    assert set(status) == set(DISPUTE_STATUSES)
    assert all(status[s] == len(expected(sandbox, [s])) for s in DISPUTE_STATUSES)
    assert sum(summary.groups.currency.values()) == summary.total
    only = client.disputes.summary(groups=["currency"], status="won")
    assert only.groups.status is None and only.total == status["won"]
    assert client.disputes.summary(account_id="biz_CourseForge02").total == 0


def test_retrieve_and_not_found(world):
    _, _, client, _ = world
    d = client.disputes.retrieve("dspt_PickaxeNeeds01")
    assert (d.status, d.acceptable, d.evidence_editable, d.inquiry) == ("needs_response", True, True, False)
    assert d.evidence.cancellation_policy_attachment.platform is True
    assert d.fee.amount == "15.00"
    with pytest.raises(NotFoundError):
        client.disputes.retrieve("dspt_missing")
    with pytest.raises(ApiError) as info:
        client.disputes.update("dspt_missing", evidence={"notes": "x"})
    assert info.value.status_code == 404


def test_evidence_upload_update_submit_and_second_submit(world):
    sandbox, http, client, _ = world
    f = client.files.create(filename="receipt.pdf")
    assert f.upload_status == "pending" and f.upload_url
    put = http.put(f.upload_url.removeprefix("http://testserver"), content=b"%PDF-1.4 receipt", headers=f.upload_headers)
    assert put.status_code == 200
    assert client.files.retrieve(f.id).upload_status == "ready"
    d = client.disputes.update(
        "dspt_PickaxeNeeds01",
        evidence={"notes": "Delivered on time.", "documents": [{"id": f.id, "document_type": "product_image"}]},
    )
    assert d.evidence.notes == "Delivered on time." and [x.id for x in d.evidence.documents] == [f.id]
    d = client.disputes.upload_evidence("dspt_PickaxeNeeds01", documents=[{"file": b"%PDF-1.4 policy", "document_type": "return_policy"}])
    assert len(d.evidence.documents) == 1 and d.evidence.documents[0].content_type == "application/pdf"
    assert d.evidence.refund_policy_attachment.platform is False  # the policy upload fills the slot
    assert client.disputes.retrieve("dspt_PickaxeNeeds01").evidence.notes == "Delivered on time."
    d = client.disputes.submit("dspt_PickaxeNeeds01")
    assert (d.status, d.evidence_editable, d.evidence_locked_reason) == ("under_review", False, "submitted")
    with pytest.raises(ConflictError):
        client.disputes.submit("dspt_PickaxeNeeds01")
    with pytest.raises(BadRequestError):
        client.disputes.update("dspt_PickaxeNeeds01", evidence={"notes": "too late"})
    with pytest.raises(ConflictError):
        client.disputes.upload_evidence("dspt_PickaxeNeeds01", documents=[])
    assert client.disputes.retrieve("dspt_PickaxeNeeds01").evidence.notes == "Delivered on time."


def test_document_limits_in_whops_shape(world):
    _, _, client, _ = world
    with pytest.raises(BadRequestError) as info:
        client.disputes.upload_evidence("dspt_PickaxeNeeds01", documents=[{"file": b"GIF89a....", "document_type": "product_image"}])
    assert info.value.body["error"]["type"] == "invalid_request_error"
    too_many = [{"file": b"%PDF-1.4", "document_type": "subscription"}] * 11
    with pytest.raises(BadRequestError):
        client.disputes.upload_evidence("dspt_PickaxeNeeds01", documents=too_many)
    big = b"%PDF" + b"0" * (10 * 1024 * 1024)
    with pytest.raises(BadRequestError):
        client.disputes.upload_evidence("dspt_PickaxeNeeds01", documents=[{"file": big, "document_type": "subscription"}])
    assert client.disputes.retrieve("dspt_PickaxeNeeds01").evidence.documents == []


def test_accept_rules(world):
    _, _, client, _ = world
    with pytest.raises(BadRequestError):
        client.disputes.accept("dspt_PickaxeInquiry1")
    with pytest.raises(ConflictError):
        client.disputes.accept("dspt_PickaxeReview01")
    d = client.disputes.accept("dspt_PickaxeNeeds01")
    assert (d.status, d.acceptable, d.evidence_locked_reason) == ("lost", False, "not_contestable")
    with pytest.raises(ConflictError):
        client.disputes.accept("dspt_PickaxeNeeds01")


def test_idempotent_retry_replays_the_first_answer(world):
    _, http, _, _ = world
    retrying = Whop(token=KEY, environment=ENV, httpx_client=http, max_retries=0, idempotency_key="submit-once")
    first = retrying.disputes.submit("dspt_PickaxeNeeds01")
    again = retrying.disputes.submit("dspt_PickaxeNeeds01")  # same key: the stored answer, not a 409
    assert again == first and again.status == "under_review"


def test_alerts_list_filter_and_retrieve(world):
    sandbox, _, client, _ = world
    alerts = list(client.dispute_alerts.list(first=4))
    mine = [a for a in book(sandbox).alerts if a.account_id == ACCOUNT]
    assert sorted(a.id for a in alerts) == sorted(a.id for a in mine) and len(alerts) == len({a.id for a in alerts})
    efw = list(client.dispute_alerts.list(type="early_fraud_warning", first=3))
    assert efw and all(a.type == "early_fraud_warning" and not a.fee_charged for a in efw)
    by_payment = list(client.dispute_alerts.list(payment_id="pay_PickaxeAlerted1"))
    assert [a.id for a in by_payment] == ["dspa_PickaxeAlert001"]
    reported = [a.reported_at for a in client.dispute_alerts.list(order="reported_at", direction="asc", first=10)]
    assert reported == sorted(reported)
    a = client.dispute_alerts.retrieve("dspa_PickaxeRdr00001")
    assert (a.type, a.auto_refunded, a.fee_charged) == ("rapid_dispute_resolution", True, True)
    with pytest.raises(NotFoundError):
        client.dispute_alerts.retrieve("dspa_missing")
    with pytest.raises(ForbiddenError):
        client.dispute_alerts.list(account_id="biz_CourseForge02")
    with pytest.raises(ForbiddenError):
        Whop(token="whop_test_pickaxe_read", environment=ENV, httpx_client=world[1], max_retries=0).dispute_alerts.retrieve("dspa_PickaxeRdr00001")


def test_bogus_version_is_400_and_legacy_version_reads_legacy(world):
    _, http, _, _ = world
    bogus = Whop(token=KEY, environment=ENV, httpx_client=http, max_retries=0, api_version_date="2026-99-99")
    with pytest.raises(BadRequestError) as info:
        bogus.disputes.list()
    assert info.value.body["error"]["param"] == "Api-Version-Date"
    legacy = http.get("/whop/api/v1/disputes/dspt_PickaxeNeeds01", headers={"Authorization": f"Bearer {KEY}", "Api-Version-Date": "2026-07-08-1"})
    assert legacy.status_code == 200
    assert {"needs_response_by", "editable", "visa_rdr", "company"} <= set(legacy.json()) and "evidence" not in legacy.json()
