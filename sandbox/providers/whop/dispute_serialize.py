"""Dispute, alert and file records → JSON, through the wire models of each version family.

Current shape: whop-sdk 2.6.0's `Dispute`/`DisputeAlert`/`File`; legacy shape: whop-sdk 0.0.41's
`Dispute` and list item, mapped per docs/providers/whop-disputes.md "Legacy and current".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...timefmt import iso_millis
from . import dispute_wire, inferred, wire
from .dispute_models import (
    LEGACY_ALERT_TYPE,
    LEGACY_REASON_TEXT,
    SLOTS,
    TEXT_FIELDS,
    AlertRecord,
    DisputeRecord,
    FileRecord,
)

if TYPE_CHECKING:
    from .disputes import DisputeBook


def _iso(value: Any) -> str | None:
    return iso_millis(value) if value is not None else None


def money(amount: str | None, currency: str) -> wire.Money | None:
    return wire.Money(amount=amount, currency=currency, decimals=2, display_decimals=2) if amount is not None else None


def file_url(file: FileRecord) -> str | None:
    """Where the stored bytes are served (the sandbox itself), once they have landed."""
    if file.upload_status != "ready" or not file.base_url:
        return None
    return f"{file.base_url}{inferred.UPLOAD_PATH}/{file.id}?token={file.upload_token}"


def file_fields(file: FileRecord, with_upload: bool = False) -> dict[str, Any]:
    upload = with_upload and file.upload_status == "pending"
    return {
        "id": file.id,
        "object": "file",
        "created_at": iso_millis(file.created_at),
        "filename": file.filename,
        "content_type": file.content_type,
        "size": len(file.data) if file.data is not None else file.declared_size,
        "upload_status": file.upload_status,
        "visibility": file.visibility,
        "removed_by_moderation": False,
        "url": file_url(file),
        "upload_url": f"{file.base_url}{inferred.UPLOAD_PATH}/{file.id}?token={file.upload_token}" if upload else None,
        "upload_headers": {"Content-Type": file.content_type or "application/octet-stream"} if upload else None,
    }


def file_json(file: FileRecord, with_upload: bool = False) -> bytes:
    return dispute_wire.File(**file_fields(file, with_upload)).model_dump_json().encode()


def _attachment(book: DisputeBook, value: str | None) -> dict[str, Any] | None:
    """A `DisputeAttachment`'s fields (validated with the whole dispute, in `current_json`)."""
    if value is None:
        return None
    if value == "platform":
        return {"platform": True, "id": None, "filename": None, "content_type": None, "url": inferred.PLATFORM_POLICY_URL}
    file = book.files.get(value)
    if file is None:
        return None
    return {"platform": False, "id": file.id, "filename": file.filename, "content_type": file.content_type, "url": file_url(file)}


def current_json(d: DisputeRecord, book: DisputeBook) -> bytes:
    """The current `Dispute`, validated once as one nested dict: each nested model built on its
    own first cost a Python-level `__init__` more per write answered (bench/inproc.py --writes);
    pydantic builds the same nested models from their fields."""
    evidence = d.evidence
    documents = []
    for ref in d.documents:
        file = book.files.get(ref.file_id)
        if file is not None:
            documents.append({**file_fields(file), "document_type": ref.document_type})
    fee = d.fee
    return (
        dispute_wire.Dispute.model_validate(dict(
            id=d.id,
            status=d.reported_status,
            inquiry=d.inquiry,
            acceptable=d.acceptable,
            reason=d.reason,
            reason_code=d.reason_code,
            amount=d.amount,
            currency=d.currency,
            fee={"amount": fee, "currency": d.currency, "decimals": 2, "display_decimals": 2} if fee is not None else None,
            evidence_due_at=_iso(d.evidence_due_at),
            evidence_editable=d.editable,
            evidence_locked_reason=d.locked_reason,
            evidence_submitted_at=_iso(d.evidence_submitted_at),
            evidence={
                **{name: evidence.get(name) for name in TEXT_FIELDS},
                **{slot: _attachment(book, evidence.get(slot)) for slot in SLOTS},
                "documents": documents,
            },
            issuer_comments=[{"text": t, "received_at": _iso(at)} for t, at in d.issuer_comments],
            account_id=d.account_id,
            buyer={"email": None, "member_id": d.member_id, "name": d.buyer_name, "user_id": d.buyer_user_id,
                   "username": d.buyer_username},
            payment={
                "id": d.payment_id,
                "created_at": iso_millis(d.payment_created_at),
                "amount": d.amount,
                "currency": d.currency,
                "card_brand": d.card_brand,
                "card_last4": d.card_last4,
                "payment_method_type": "card",
                "payment_processor": None,
                "payment_instrument": None,
            },
            line_items=[],
            plan_id=d.plan_id,
            product_id=d.product_id,
            created_at=iso_millis(d.created_at),
            updated_at=iso_millis(d.updated_at),
        ))
        .model_dump_json()
        .encode()
    )


def _legacy_status(d: DisputeRecord) -> str:
    status = d.reported_status
    return inferred.LEGACY_STATUS_FOR.get(status, status)


def _legacy_common(d: DisputeRecord, companies: dict[str, Any]) -> dict[str, Any]:
    company = companies.get(d.account_id)
    return {
        "id": d.id,
        "amount": d.amount,
        "company": dispute_wire.LegacyCompany(id=company.id, title=company.title) if company and company.exists else None,
        "created_at": iso_millis(d.created_at),
        "currency": d.currency,
        "editable": d.editable,
        "needs_response_by": _iso(d.evidence_due_at),
        "plan": dispute_wire.LegacyRef(id=d.plan_id) if d.plan_id else None,
        "product": dispute_wire.LegacyCompany(id=d.product_id, title=d.product_title or "") if d.product_id else None,
        "reason": LEGACY_REASON_TEXT[d.reason],
        "status": _legacy_status(d),
        "visa_rdr": d.visa_rdr,
    }


def legacy_list_item_json(d: DisputeRecord, companies: dict[str, Any]) -> bytes:
    item = {**_legacy_common(d, companies), "payment": dispute_wire.LegacyRef(id=d.payment_id)}
    return dispute_wire.LegacyListItem.model_validate(item).model_dump_json().encode()


def _legacy_attachment(book: DisputeBook, value: str | None) -> dispute_wire.LegacyAttachment | None:
    file = book.files.get(value) if value and value != "platform" else None
    if file is None:
        return None  # the legacy shape has no platform stand-in policies
    return dispute_wire.LegacyAttachment(id=file.id, content_type=file.content_type, filename=file.filename, url=file_url(file))


def legacy_json(d: DisputeRecord, book: DisputeBook, companies: dict[str, Any]) -> bytes:
    evidence = d.evidence
    return (
        dispute_wire.LegacyDispute.model_validate({
            **_legacy_common(d, companies),
            **{name: evidence.get(name) for name in TEXT_FIELDS},
            **{slot: _legacy_attachment(book, evidence.get(slot)) for slot in SLOTS},
            "payment": dispute_wire.LegacyPayment(
                id=d.payment_id,
                billing_reason=None,
                card_brand=d.card_brand,
                created_at=iso_millis(d.payment_created_at),
                currency=d.currency,
                dispute_alerted_at=None,
                member={"id": d.member_id, "phone": None} if d.member_id else None,
                membership=None,
                paid_at=iso_millis(d.payment_created_at),
                payment_method_type="card",
                subtotal=d.amount,
                total=d.amount,
                usd_total=d.amount if d.currency == "usd" else None,
                user=dispute_wire.LegacyPaymentUser(id=d.buyer_user_id, email=None, name=d.buyer_name, username=d.buyer_username or "")
                if d.buyer_user_id
                else None,
            ),
        })
        .model_dump_json()
        .encode()
    )


def alert_json(a: AlertRecord) -> bytes:
    return (
        dispute_wire.DisputeAlert.model_validate(dict(
            id=a.id,
            type=a.type,
            amount=a.amount,
            currency=a.currency,
            auto_refunded=a.auto_refunded,
            fee_charged=a.fee is not None,
            fee=money(a.fee, a.currency),
            card_brand=a.card_brand,
            issuer=None,
            account_id=a.account_id,
            payment_id=a.payment_id,
            product_id=a.product_id,
            reported_at=iso_millis(a.reported_at),
            created_at=iso_millis(a.created_at),
            updated_at=iso_millis(a.updated_at),
            transaction_at=_iso(a.transaction_at),
        ))
        .model_dump_json()
        .encode()
    )


def _legacy_alert_dispute(a: AlertRecord, book: DisputeBook) -> DisputeRecord | None:
    found = book.disputes_on(a.payment_id) if a.payment_id else []
    return found[-1] if found else None


def legacy_alert_list_item_json(a: AlertRecord, book: DisputeBook) -> bytes:
    """whop-sdk 0.0.41's `DisputeAlertListResponse`: references only."""
    dispute = _legacy_alert_dispute(a, book)
    return dispute_wire.LegacyAlertListItem.model_validate(
        {
            "id": a.id,
            "alert_type": LEGACY_ALERT_TYPE[a.type],
            "amount": a.amount,
            "charge_for_alert": a.fee is not None,
            "created_at": iso_millis(a.created_at),
            "currency": a.currency,
            "dispute": {"id": dispute.id} if dispute is not None else None,
            "payment": {"id": a.payment_id} if a.payment_id else None,
            "transaction_date": _iso(a.transaction_at),
        }
    ).model_dump_json().encode()


def legacy_alert_json(a: AlertRecord, book: DisputeBook) -> bytes:
    """whop-sdk 0.0.41's `DisputeAlertRetrieveResponse` (also the `dispute_alert.created` data):
    `alert_type`, `charge_for_alert`, `transaction_date`, the payment and the dispute nested (the
    legacy names of docs/providers/whop-disputes.md)."""
    payment = book.payments.get(a.payment_id or "")
    dispute = _legacy_alert_dispute(a, book)
    body = {
        "id": a.id,
        "alert_type": LEGACY_ALERT_TYPE[a.type],
        "amount": a.amount,
        "charge_for_alert": a.fee is not None,
        "created_at": iso_millis(a.created_at),
        "currency": a.currency,
        "dispute": {
            "id": dispute.id,
            "amount": dispute.amount,
            "created_at": iso_millis(dispute.created_at),
            "currency": dispute.currency,
            "reason": LEGACY_REASON_TEXT[dispute.reason],
            "status": _legacy_status(dispute),
        }
        if dispute is not None
        else None,
        "payment": {
            "id": payment.id,
            "billing_reason": None,
            "card_brand": a.card_brand,
            "created_at": iso_millis(payment.created_at),
            "currency": payment.currency,
            "dispute_alerted_at": iso_millis(a.created_at),
            "member": None,
            "membership": None,
            "paid_at": iso_millis(payment.created_at),
            "payment_method_type": "card",
            "subtotal": payment.amount,
            "total": payment.amount,
            "usd_total": payment.amount if payment.currency == "usd" else None,
            "user": None,
        }
        if payment is not None
        else None,
        "transaction_date": _iso(a.transaction_at),
    }
    return dispute_wire.LegacyAlert.model_validate(body).model_dump_json().encode()
