"""Disputes and dispute alerts through whop-sdk 0.0.41 (the legacy shape, `Api-Version-Date:
2026-07-08-1`), with strict response validation: every body is the legacy model exactly."""

from __future__ import annotations

import pytest

from sandbox.testing import live_sandbox

KEY = "whop_test_pickaxe_disputes"
COMPANY = "biz_PickaxeLabs01"


@pytest.fixture
def legacy(whop_legacy):
    with live_sandbox("default") as server:
        client = whop_legacy.Whop(
            api_key=KEY, base_url=server.url + "/whop/api/v1", max_retries=0, _strict_response_validation=True
        )
        yield server, client


def test_list_every_page_and_retrieve(legacy):
    server, client = legacy
    ids = [d.id for d in client.disputes.list(company_id=COMPANY, first=9)]
    book = server.sandbox.state("whop").disputes_book
    mine = sorted((d for d in book.disputes if d.account_id == COMPANY), key=lambda d: (d.created_at, d.id), reverse=True)
    assert ids == [d.id for d in mine]
    d = client.disputes.retrieve("dspt_PickaxeNeeds01")
    assert (d.status, d.editable, d.visa_rdr, d.company.id, d.reason) == ("needs_response", True, False, COMPANY, "Subscription Canceled")
    lapsed = client.disputes.retrieve("dspt_PickaxeLapsed01")
    assert (lapsed.status, lapsed.editable) == ("under_review", False)
    assert client.disputes.retrieve("dspt_PickaxePrevent1").status == "closed"  # no `prevented` in the legacy enum


def test_update_and_submit_evidence(legacy, whop_legacy):
    _, client = legacy
    assert client.disputes.update_evidence("dspt_PickaxeNeeds01", notes="Shipped.", service_date="2026-11-01").notes == "Shipped."
    submitted = client.disputes.submit_evidence("dspt_PickaxeNeeds01")
    assert (submitted.status, submitted.editable, submitted.notes) == ("under_review", False, "Shipped.")
    with pytest.raises(whop_legacy.ConflictError):
        client.disputes.submit_evidence("dspt_PickaxeNeeds01")
    with pytest.raises(whop_legacy.BadRequestError):
        client.disputes.update_evidence("dspt_PickaxeNeeds01", notes="late")


def test_alerts_list_and_retrieve(legacy, whop_legacy):
    server, client = legacy
    alerts = list(client.dispute_alerts.list(company_id=COMPANY, first=8))
    assert len(alerts) == len({a.id for a in alerts}) == sum(1 for a in server.sandbox.state("whop").disputes_book.alerts if a.account_id == COMPANY)
    one = client.dispute_alerts.retrieve("dspa_PickaxeRdr00001")
    assert (one.alert_type, one.charge_for_alert) == ("dispute_rdr", True)
    with pytest.raises(whop_legacy.NotFoundError):
        client.dispute_alerts.retrieve("dspa_missing")
    with pytest.raises(whop_legacy.PermissionDeniedError):
        client.disputes.list(company_id="biz_CourseForge02")
