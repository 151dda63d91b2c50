"""Case records → Whop JSON, through the wire models (so what we emit is what the models allow).

One store, one serializer per version family (docs/providers/whop.md, "Versions"): `list_item_json`
and `case_json` are the legacy shape, byte for byte what whop-sdk 0.0.41 and @whop/sdk 0.0.42 have
always read; `current_case_json` and `event_json` are the current shape whop-sdk 2.x reads.
"""

from __future__ import annotations

from typing import Any

from ...timefmt import iso_millis
from . import inferred, wire
from .generator import purchase
from .lifecycle import available_actions, customer_actions, merchant_actions, platform_actions
from .models import CaseRecord, EventRecord


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
        "company": wire.Company(id=company.id, title=company.title) if company and company.exists else None,
        "user": wire.User(id=case.user_id, name=case.user_name, username=case.username),
    }


def list_item_json(case: CaseRecord, companies) -> bytes:
    return wire.ListItem(**_common(case, companies), payment=wire.PaymentRef(id=case.payment_id)).model_dump_json().encode()


def case_json(case: CaseRecord, companies) -> bytes:
    events = case.events[-inferred.RESOLUTION_EVENTS_LIMIT :][::-1]
    return (
        wire.Case.model_validate(
            {
                **_common(case, companies),
                "platform_response_actions": platform_actions(case),
                "payment": wire.Payment(
                    id=case.payment_id,
                    created_at=iso_millis(case.payment_created_at),
                    currency=case.currency,
                    paid_at=iso_millis(case.paid_at) if case.paid_at else None,
                    total=case.total,
                    subtotal=case.subtotal,
                ),
                "member": wire.Member(id=case.member_id) if case.member_id else None,
                "resolution_events": [
                    wire.ResolutionEvent.model_validate(
                        {
                            "id": e.id,
                            "action": e.action,
                            "reporter_type": e.reporter_type,
                            "details": e.details,
                            "created_at": iso_millis(e.created_at),
                        }
                    )
                    for e in events
                ],
            }
        )
        .model_dump_json()
        .encode()
    )


# -- current shape ----------------------------------------------------------------------------


def fragment_name(role: str, email: bool) -> str:
    """The cache slot of a case's current form: it differs by caller role and email permission."""
    return f"current:{role}:{int(email)}"


def current_case_json(state: Any, case: CaseRecord, role: str, email: bool) -> bytes:
    """The case as `role` reads it; `email`: the caller holds member:email:read."""
    company = state.companies.get(case.company_id)
    status, escalated, outcome = inferred.CURRENT_STATUS[case.status]
    bought = purchase(state.ctx.seed, case, company.title if company else None)
    currency = (case.currency or "usd").lower()
    money = wire.Money(amount=f"{case.total:.2f}", currency=currency, decimals=2, display_decimals=2)
    fields: dict[str, Any] = {
        "id": case.id,
        "status": status,
        "escalated": escalated,
        "outcome": outcome,
        "refund": case.refund if status == "closed" else None,
        "reason": inferred.REASON_OF_ISSUE[case.issue],
        "available_actions": available_actions(case, role),
        "amount": case.total,
        "currency": currency,
        "customer_appealed": case.customer_appealed,
        "response_due_at": iso_millis(case.due_date) if case.due_date else None,
        "created_at": iso_millis(case.created_at),
        "updated_at": iso_millis(case.updated_at),
        "account": wire.AccountSummary(id=company.id, title=company.title) if company and company.exists else None,
        "buyer": wire.Buyer(
            email=(case.email or f"{case.username}@{inferred.BUYER_EMAIL_DOMAIN}") if email else None,
            member_id=case.member_id,
            name=case.user_name,
            user_id=case.user_id,
            username=case.username,
        ),
        "payment": wire.ResolutionPayment(
            id=case.payment_id,
            created_at=iso_millis(case.payment_created_at),
            card_brand=bought.card_brand,
            card_last4=bought.card_last4,
            payment_method_type=bought.payment_method_type,
        ),
        "line_items": [
            wire.LineItem(
                id=bought.line_item_id,
                label=bought.product_title,
                plan_id=bought.plan_id,
                plan_title=bought.plan_title,
                product_id=bought.product_id,
                product_title=bought.product_title,
                quantity=1,
                sku=None,
                subtotal=money,
            )
        ],
        "plan_id": bought.plan_id,
        "product_id": bought.product_id,
    }
    return wire.CurrentCase.model_validate(fields).model_dump_json().encode()


def event_json(event: EventRecord) -> bytes:
    return (
        wire.CurrentEvent.model_validate(
            {
                "id": event.id,
                "action": event.action,
                "reporter_type": event.reporter_type,
                "details": event.details,
                "attachments": [wire.Attachment(id=a, content_type=None, filename=None, url=None) for a in event.attachments],
                "created_at": iso_millis(event.created_at),
                "viewable_by_customer": event.viewable_by_customer,
                "viewable_by_merchant": True,
            }
        )
        .model_dump_json()
        .encode()
    )
