"""The official whop-sdk 0.0.41 against a live sandbox: the client integrators actually use."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

PICKAXE = "biz_PickaxeLabs01"
KEY = "whop_test_pickaxe_read"


@pytest.fixture(scope="module")
def whop(default_live, whop_legacy):
    return whop_legacy.Whop(api_key=KEY, base_url=default_live.url + "/whop/api/v1", max_retries=0)



def expected_cases(sandbox, company=PICKAXE, statuses=None):
    state = sandbox.state("whop")
    cases = [c for c in state.cases if c.company_id == company and (not statuses or c.status in statuses)]
    return sorted(cases, key=lambda c: (c.created_at, c.id), reverse=True)


def test_auto_pagination_yields_every_case_once_in_order(whop, default_live):
    expected = [c.id for c in expected_cases(default_live.sandbox)]
    assert len(expected) >= 4 * 25  # the default scenario gives 4+ pages at this size
    seen = [c.id for c in whop.resolution_center_cases.list(first=25)]
    assert seen == expected


def test_auto_pagination_ascending_with_status_filter(whop, default_live):
    statuses = ["merchant_response_needed", "customer_won"]
    expected = [c.id for c in reversed(expected_cases(default_live.sandbox, statuses=statuses))]
    seen = list(
        whop.resolution_center_cases.list(first=7, statuses=statuses, direction="asc", company_id=PICKAXE)
    )
    assert [c.id for c in seen] == expected
    assert {c.status for c in seen} == set(statuses)


def test_created_window_filter(whop, default_live):
    after = datetime(2026, 10, 1, tzinfo=UTC)
    before = "2026-11-20T00:00:00Z"
    seen = list(whop.resolution_center_cases.list(first=50, created_after=after, created_before=before))
    expected = [
        c.id
        for c in expected_cases(default_live.sandbox)
        if after < c.created_at < datetime(2026, 11, 20, tzinfo=UTC)
    ]
    assert [c.id for c in seen] == expected and expected


def test_retrieve_full_object(whop):
    case = whop.resolution_center_cases.retrieve("reso_PickaxeDue01")
    assert case.status == "merchant_response_needed"
    assert case.merchant_response_actions == ["accept", "deny", "request_more_info"]
    assert case.due_date is not None and case.due_date > case.created_at
    assert case.user.name == "John Doe" and case.user.username == "johndoe42"
    assert case.payment.total == 49.0 and case.payment.id.startswith("pay_")
    assert case.member.id.startswith("mem_")
    assert case.resolution_events[0].action == "created"


def test_strict_response_validation_accepts_every_body(default_live, whop_legacy):
    strict = whop_legacy.Whop(
        api_key=KEY,
        base_url=default_live.url + "/whop/api/v1",
        max_retries=0,
        _strict_response_validation=True,
    )
    page = strict.resolution_center_cases.list(first=100)
    assert len(page.data) == 100
    for item in page.data[:30]:
        full = strict.resolution_center_cases.retrieve(item.id)
        assert full.id == item.id and full.status == item.status


def test_bad_key_raises_authentication_error(default_live, whop_legacy):
    client = whop_legacy.Whop(api_key="not-a-key", base_url=default_live.url + "/whop/api/v1", max_retries=0)
    with pytest.raises(whop_legacy.AuthenticationError) as info:
        client.resolution_center_cases.list()
    assert info.value.status_code == 401
    assert info.value.body == {"error": {"type": "unauthorized", "message": "Invalid or missing API key"}}


def test_unknown_id_raises_not_found(whop, whop_legacy):
    with pytest.raises(whop_legacy.NotFoundError) as info:
        whop.resolution_center_cases.retrieve("reso_doesnotexist1")
    assert info.value.body["error"]["type"] == "not_found"


def test_other_company_case_is_not_found(whop, default_live, whop_legacy):
    other = next(c for c in default_live.sandbox.state("whop").cases if c.company_id != PICKAXE)
    with pytest.raises(whop_legacy.NotFoundError):
        whop.resolution_center_cases.retrieve(other.id)


def test_other_company_filter_is_forbidden(whop, whop_legacy):
    with pytest.raises(whop_legacy.PermissionDeniedError):
        whop.resolution_center_cases.list(company_id="biz_CourseForge02")


def test_key_without_permission_is_forbidden(default_live, whop_legacy):
    client = whop_legacy.Whop(
        api_key="whop_test_courseforge_noperm", base_url=default_live.url + "/whop/api/v1", max_retries=0
    )
    with pytest.raises(whop_legacy.PermissionDeniedError) as info:
        client.resolution_center_cases.list()
    assert info.value.body["error"]["message"] == "You do not have permission to access this resource"


def test_unknown_status_is_bad_request(whop, whop_legacy):
    with pytest.raises(whop_legacy.BadRequestError) as info:
        whop.resolution_center_cases.list(statuses=["platform_refund"])
    assert info.value.body["error"]["param"] == "statuses"


def test_forced_429_is_retried_then_raised(default_live, whop_legacy):
    httpx.post(
        default_live.url + "/_sandbox/faults",
        json={"provider": "whop", "status": 429, "count": 3, "retry_after": 0},
    ).raise_for_status()
    client = whop_legacy.Whop(api_key=KEY, base_url=default_live.url + "/whop/api/v1", max_retries=2)
    with pytest.raises(whop_legacy.RateLimitError) as info:
        client.resolution_center_cases.list()
    assert info.value.body["error"]["type"] == "rate_limit_exceeded"
    assert httpx.get(default_live.url + "/_sandbox/faults").json() == {"faults": []}


def test_one_forced_429_then_the_retry_succeeds(default_live, whop_legacy):
    httpx.post(
        default_live.url + "/_sandbox/faults", json={"provider": "whop", "status": 429, "retry_after": 0}
    ).raise_for_status()
    client = whop_legacy.Whop(api_key=KEY, base_url=default_live.url + "/whop/api/v1", max_retries=1)
    response = client.resolution_center_cases.with_raw_response.list(first=1)
    assert response.http_request.headers["x-stainless-retry-count"] == "1"
    assert len(response.parse().data) == 1
