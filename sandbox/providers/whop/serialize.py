"""Case records → Whop JSON, through the wire models (so what we emit is what the models allow)."""

from __future__ import annotations

from ...timefmt import iso_millis
from . import inferred
from .lifecycle import customer_actions, merchant_actions, platform_actions
from .models import (
    Case,
    CaseRecord,
    Company,
    ListItem,
    Member,
    Payment,
    PaymentRef,
    ResolutionEvent,
    User,
)


def _common(case: CaseRecord, companies) -> dict:
    company = companies.get(case.company_id)
    return {
        "id": case.id,
        "status": case.status,
        "issue": case.issue,
        "created_at": iso_millis(case.created_at),
        "updated_at": iso_millis(case.updated_at),
        "due_date": iso_millis(case.due_date) if case.due_date else None,
        "customer_appealed": case.customer_appealed,
        "merchant_appealed": case.merchant_appealed,
        "customer_response_actions": customer_actions(case),
        "merchant_response_actions": merchant_actions(case),
        "company": Company(id=company.id, title=company.title) if company and company.exists else None,
        "user": User(id=case.user_id, name=case.user_name, username=case.username),
    }


def list_item_json(case: CaseRecord, companies) -> bytes:
    return ListItem(**_common(case, companies), payment=PaymentRef(id=case.payment_id)).model_dump_json().encode()


def case_json(case: CaseRecord, companies) -> bytes:
    events = case.events[-inferred.RESOLUTION_EVENTS_LIMIT :][::-1]
    return (
        Case(
            **_common(case, companies),
            platform_response_actions=platform_actions(case),
            payment=Payment(
                id=case.payment_id,
                created_at=iso_millis(case.payment_created_at),
                currency=case.currency,
                paid_at=iso_millis(case.paid_at) if case.paid_at else None,
                total=case.total,
                subtotal=case.subtotal,
            ),
            member=Member(id=case.member_id) if case.member_id else None,
            resolution_events=[
                ResolutionEvent(
                    id=e.id,
                    action=e.action,
                    reporter_type=e.reporter_type,
                    details=e.details,
                    created_at=iso_millis(e.created_at),
                )
                for e in events
            ],
        )
        .model_dump_json()
        .encode()
    )
