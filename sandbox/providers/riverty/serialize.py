"""Dispute records → Riverty JSON through the wire models (Gen 1 = the seed, Gen 2 = current docs).

Formats (docs/providers/riverty.md §5): Gen 1 `createdAt`/`updatedAt` are .NET round-trip strings with 7 fractional
digits and `Z`; `invoiceDate` and attachment `createdAt` are invariant-culture `MM/dd/yyyy HH:mm:ss`.
Money is a string with two decimals.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ...timefmt import utc_iso
from . import inferred, tables, wire
from .models import AttachmentRecord, CommentRecord, DisputeRecord


def ticks(value: datetime) -> str:
    """`2023-12-12T15:49:32.4086007Z`: seven fractional digits (100 ns ticks; the last is 0)."""
    text = utc_iso(value, "microseconds")
    if text is not None:
        return text[:26] + "0Z"
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond:06d}0Z"


def ticks_offset(value: datetime) -> str:
    """`2024-05-02T11:37:54.7535534+00:00`: the webhook header's round-trip form with an offset."""
    text = utc_iso(value, "microseconds")
    if text is not None:
        return text[:26] + "0+00:00"
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond:06d}0+00:00"


def us_date(value: datetime) -> str:
    """`12/05/2023 15:49:32`: .NET invariant culture, month first, no zone."""
    return value.astimezone(UTC).strftime("%m/%d/%Y %H:%M:%S")


def seconds_z(value: datetime) -> str:
    """`2025-06-24T08:17:00Z`: the Gen 2 attachment `createdAt` as the docs show it."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def gen1_attachment_url(dispute_id: str, attachment_id: str) -> str:
    return f"/Complaints/{dispute_id}/attachments/{attachment_id}"


def gen1_mime_type(a: AttachmentRecord) -> str:
    """`image/jpg` for a `.jpg` file, as the seed shows; every other type as stored."""
    if a.original_file_name.lower().endswith(".jpg"):
        return tables.GEN1_MIME_TYPES.get(a.mime_type, a.mime_type)
    return a.mime_type


def gen1_json(d: DisputeRecord, state) -> bytes:
    client = state.clients[d.client_id]
    reason_id, reason_name, _ = tables.REASONS[d.reason_code]
    attachments = [state.attachments[a] for a in d.attachment_ids]
    return wire.Gen1Dispute(
        id=d.id,
        customerId=d.customer_id,
        clientId=d.client_id,
        source=inferred.SOURCE,
        reason=wire.IdName(id=reason_id, name=reason_name),
        description=d.description,
        invoiceId=d.invoice_number,
        invoiceDate=us_date(d.invoice_date),
        amount=money(d.amount_cents),
        disputeAmount=money(d.dispute_amount_cents),
        orderId=d.order_id,
        orderNumber=d.order_number,
        trackingId=d.tracking_id,
        attachments=[
            wire.Gen1Attachment(
                id=a.id,
                fileName=a.file_name,
                originalFileName=a.original_file_name,
                createdAt=us_date(a.created_at),
                size=a.size,
                source=a.source,
                mimeType=gen1_mime_type(a),
                url=gen1_attachment_url(d.id, a.id),
            )
            for a in attachments
        ],
        complaintStatus=wire.IdName(id=d.status, name=tables.COMPLAINT_STATUSES[d.status]),
        createdAt=ticks(d.created_at),
        updatedAt=ticks(d.updated_at),
        customer=wire.Gen1Customer(
            customerId=d.customer_id,
            firstName=d.first_name,
            lastName=d.last_name,
            countryCode=d.country_code,
            email=d.email,
            name=f"{d.first_name} {d.last_name}",
        ),
        client=wire.Gen1Client(
            id=client.id,
            name=client.name,
            email=client.email,
            countryCode=client.country_code,
            country=tables.COUNTRIES[client.country_code],
        ),
    ).model_dump_json().encode()


def gen2_attachment(a, base: str) -> wire.Gen2Attachment:
    return wire.Gen2Attachment(
        id=a.id,
        size=a.size,
        mimeType=a.mime_type,
        createdAt=seconds_z(a.created_at),
        originalFileName=a.original_file_name,
        fileName=a.file_name,
        originalFileUrl=base + inferred.GEN2_ATTACHMENT_DOWNLOAD.format(id=a.id),
        malwareDetected=a.malware_detected,
    )


def gen2_json(d: DisputeRecord, state, base: str) -> bytes:
    return wire.Gen2Dispute(
        id=d.id,
        ticketNumber=d.ticket_number,
        stage=wire.StageRef(id=d.stage),
        decision=wire.DecisionRef(name=d.decision) if d.decision else None,
        reasonCode=wire.ReasonCodeRef(shortCode=d.reason_code),
        invoice=wire.InvoiceRef(invoiceNumber=d.invoice_number, client=wire.ShopRef(shopId=d.shop_id)),
        createdAt=ticks(d.created_at),
        attachments=[gen2_attachment(state.attachments[a], base) for a in d.attachment_ids],
        description=d.description,
        showInMerchantUi=d.show_in_merchant_ui,
    ).model_dump_json(exclude_none=True).encode()


def comment_model(c: CommentRecord, state, base: str) -> wire.Comment:
    """One validation, the author's fields inside it: validating them into an `Author` first cost
    a Python-level call more per comment answered (bench/inproc.py --writes)."""
    return wire.Comment.model_validate({
        "id": c.id,
        "disputeId": c.dispute_id,
        "body": c.body,
        "visibility": c.visibility,
        "attachments": [gen2_attachment(state.attachments[a], base) for a in c.attachment_ids],
        "author": c.author,
        "createdAt": ticks(c.created_at),
    })


def comment_json(c: CommentRecord, state, base: str) -> bytes:
    return comment_model(c, state, base).model_dump_json(exclude_none=True, by_alias=True).encode()
