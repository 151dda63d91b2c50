"""Records → Pandabase JSON, through the wire models (so what we emit is what the models allow)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from ...timefmt import iso_millis
from . import wire
from .models import CaseRecord, DisputeRecord, MessageRecord, OrderStatus, SenderType, WebhookEndpointRecord

if TYPE_CHECKING:
    from .state import PandabaseState


def _fields(case: CaseRecord, state: PandabaseState) -> dict:
    customer = state.customers[case.customer_id]
    return {
        "id": case.id,
        "subject": case.subject,
        "status": case.status,
        "priority": case.priority,
        "orderId": case.order_id,
        "customerId": case.customer_id,
        "lastMessageAt": iso_millis(case.last_message_at),
        "lastMessageBy": case.last_message_by,
        "unreadCount": case.unread_count,
        "escalated": case.escalated,
        "closedAt": iso_millis(case.closed_at) if case.closed_at else None,
        "closedBy": case.closed_by,
        "createdAt": iso_millis(case.created_at),
        "updatedAt": iso_millis(case.updated_at),
        "customer": wire.CaseCustomer(
            id=customer.id, email=customer.email, firstName=customer.first_name, lastName=customer.last_name
        ),
    }


def case_json(case: CaseRecord, state: PandabaseState) -> bytes:
    """A `Case` (list item, PATCH response)."""
    order = state.orders[case.order_id]
    model = wire.Case(
        **_fields(case, state),
        order=wire.CaseOrder(id=order.id, orderNumber=order.order_number, amount=order.amount, currency=order.currency),
    )
    return model.model_dump_json().encode()


def case_detail_json(case: CaseRecord, state: PandabaseState) -> bytes:
    """A `CaseDetail`: the order also carries its status and createdAt."""
    order = state.orders[case.order_id]
    model = wire.CaseDetail(
        **_fields(case, state),
        order=wire.CaseDetailOrder(
            id=order.id,
            orderNumber=order.order_number,
            amount=order.amount,
            currency=order.currency,
            status=cast(OrderStatus, order.status),
            createdAt=iso_millis(order.created_at),
        ),
    )
    return model.model_dump_json().encode()


def message_model(message: MessageRecord) -> wire.CaseMessage:
    """Attachment metadata only: file URLs are never exposed to store tokens."""
    return wire.CaseMessage(
        id=message.id,
        senderType=cast(SenderType, message.sender_type),
        senderId=message.sender_id,
        body=message.body,
        createdAt=iso_millis(message.created_at),
        attachments=[
            wire.CaseAttachment(id=a.id, filename=a.filename, mimeType=a.mime_type, sizeBytes=a.size_bytes)
            for a in message.attachments
        ],
    )


def message_json(message: MessageRecord) -> bytes:
    return message_model(message).model_dump_json().encode()


def _dispute_fields(dispute: DisputeRecord) -> dict:
    return {
        "id": dispute.id,
        "reason": dispute.reason,
        "status": dispute.status,
        "evidence": wire.Evidence(access_activity_log=dispute.evidence) if dispute.evidence is not None else None,
        "totalAmount": dispute.total_amount,
        "amount": dispute.amount,
        "fee": dispute.fee,
        "createdAt": iso_millis(dispute.created_at),
    }


def dispute_json(dispute: DisputeRecord, state: PandabaseState) -> bytes:
    """A list item: the order with its customer's id and email only (the documented example)."""
    order = state.orders[dispute.order_id]
    customer = state.customers[order.customer_id]
    model = wire.Dispute(
        **_dispute_fields(dispute),
        order=wire.DisputeOrder(id=order.id, orderNumber=order.order_number, status=cast(OrderStatus, order.status),
                           customer=wire.DisputeCustomer(id=customer.id, email=customer.email)),
    )
    return model.model_dump_json().encode()


def dispute_detail_json(dispute: DisputeRecord, state: PandabaseState) -> bytes:
    """GET by id and the evidence reply: the customer's names and `guest`, the order's amount and
    currency, then `method` and `updatedAt`."""
    order = state.orders[dispute.order_id]
    customer = state.customers[order.customer_id]
    model = wire.DisputeDetail(
        **_dispute_fields(dispute),
        order=wire.DisputeDetailOrder(
            id=order.id, orderNumber=order.order_number, status=cast(OrderStatus, order.status),
            customer=wire.DisputeDetailCustomer(id=customer.id, email=customer.email, firstName=customer.first_name,
                                           lastName=customer.last_name, guest=customer.guest),
            amount=order.amount, currency=order.currency,
        ),
        method=dispute.method,
        updatedAt=iso_millis(dispute.updated_at),
    )
    return model.model_dump_json().encode()


def webhook_model(hook: WebhookEndpointRecord) -> wire.WebhookEndpoint:
    return wire.WebhookEndpoint(
        id=hook.id, url=hook.url, note=hook.note, isEnabled=hook.enabled, eventTypes=list(hook.events),
        signatureVersion=hook.signature_version,  # type: ignore[arg-type]  # checked on the way in
        createdAt=iso_millis(hook.created_at), updatedAt=iso_millis(hook.updated_at),
    )


def webhook_json(hook: WebhookEndpointRecord, with_secret: bool = False) -> bytes:
    """The secret is shown on create only: it cannot be read back."""
    model = webhook_model(hook)
    if with_secret:
        return wire.WebhookEndpointCreated(**model.model_dump(), secret=hook.secret).model_dump_json().encode()
    return model.model_dump_json().encode()
