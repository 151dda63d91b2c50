"""Records → Pandabase JSON, through the wire models (so what we emit is what the models allow)."""

from __future__ import annotations

from ...timefmt import iso_millis
from .models import (
    Case,
    CaseAttachment,
    CaseCustomer,
    CaseDetail,
    CaseDetailOrder,
    CaseMessage,
    CaseOrder,
    CaseRecord,
    MessageRecord,
)


def _fields(case: CaseRecord, state) -> dict:
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
        "customer": CaseCustomer(
            id=customer.id, email=customer.email, firstName=customer.first_name, lastName=customer.last_name
        ),
    }


def case_json(case: CaseRecord, state) -> bytes:
    """A `Case` (list item, PATCH response)."""
    order = state.orders[case.order_id]
    model = Case(
        **_fields(case, state),
        order=CaseOrder(id=order.id, orderNumber=order.order_number, amount=order.amount, currency=order.currency),
    )
    return model.model_dump_json().encode()


def case_detail_json(case: CaseRecord, state) -> bytes:
    """A `CaseDetail`: the order also carries its status and createdAt."""
    order = state.orders[case.order_id]
    model = CaseDetail(
        **_fields(case, state),
        order=CaseDetailOrder(
            id=order.id,
            orderNumber=order.order_number,
            amount=order.amount,
            currency=order.currency,
            status=order.status,
            createdAt=iso_millis(order.created_at),
        ),
    )
    return model.model_dump_json().encode()


def message_model(message: MessageRecord) -> CaseMessage:
    """Attachment metadata only: file URLs are never exposed to store tokens."""
    return CaseMessage(
        id=message.id,
        senderType=message.sender_type,
        senderId=message.sender_id,
        body=message.body,
        createdAt=iso_millis(message.created_at),
        attachments=[
            CaseAttachment(id=a.id, filename=a.filename, mimeType=a.mime_type, sizeBytes=a.size_bytes)
            for a in message.attachments
        ],
    )


def message_json(message: MessageRecord) -> bytes:
    return message_model(message).model_dump_json().encode()
