"""Pandabase's wire shapes (Store API v2: cases, disputes, webhook endpoints and payloads), apart from
the records (models.py) so that a start, which builds only records, does not create their pydantic
classes: sandbox/providers/__init__.py defers them. The golden tests validate the
seed's examples against them, so they are the very shapes we emit. Field order is the documented order.
"""

from typing import Literal

from ...jsonresp import WireModel
from .models import CasePriority, CaseStatus, DisputeStatus, OrderStatus, SenderType, SignatureVersion


class CaseCustomer(WireModel):
    id: str
    email: str
    firstName: str | None
    lastName: str | None


class CaseOrder(WireModel):
    id: str
    orderNumber: str
    amount: int
    currency: str


class CaseDetailOrder(WireModel):
    id: str
    orderNumber: str
    amount: int
    currency: str
    status: OrderStatus
    createdAt: str


class _CaseFields(WireModel):
    id: str
    subject: str
    status: CaseStatus
    priority: CasePriority
    orderId: str
    customerId: str
    lastMessageAt: str
    lastMessageBy: SenderType
    unreadCount: int
    escalated: bool
    closedAt: str | None
    closedBy: str | None
    createdAt: str
    updatedAt: str
    customer: CaseCustomer


class Case(_CaseFields):
    order: CaseOrder


class CaseDetail(_CaseFields):
    order: CaseDetailOrder


class CaseAttachment(WireModel):
    id: str
    filename: str
    mimeType: str
    sizeBytes: int


class CaseMessage(WireModel):
    id: str
    senderType: SenderType
    senderId: str | None
    body: str
    createdAt: str
    attachments: list[CaseAttachment]


class Pagination(WireModel):
    page: int
    limit: int
    total: int
    totalPages: int


class CasePage(WireModel):
    items: list[Case]
    pagination: Pagination


class MessagePage(WireModel):
    items: list[CaseMessage]
    pagination: Pagination


class CaseListResponse(WireModel):
    ok: Literal[True]
    data: CasePage


class MessageListResponse(WireModel):
    ok: Literal[True]
    data: MessagePage


class CaseResponse(WireModel):
    ok: Literal[True]
    data: Case


class CaseDetailResponse(WireModel):
    ok: Literal[True]
    data: CaseDetail


class MessageResponse(WireModel):
    ok: Literal[True]
    data: CaseMessage


class ErrorResponse(WireModel):
    ok: Literal[False]
    error: str


class ReadResult(WireModel):
    """`POST …/read`: [OAS] says `{ok:true}`, [OAS-HW] `{read:true}`; the sandbox sends both keys."""

    ok: Literal[True]
    read: Literal[True]


class ReadResponse(WireModel):
    ok: Literal[True]
    data: ReadResult


# -- disputes (docs/providers/pandabase.md "Disputes"): list items are lighter than the detail ----


class Evidence(WireModel):
    access_activity_log: str


class DisputeCustomer(WireModel):
    id: str
    email: str


class DisputeDetailCustomer(WireModel):
    id: str
    email: str
    firstName: str | None
    lastName: str | None
    guest: bool


class DisputeOrder(WireModel):
    id: str
    orderNumber: str
    status: OrderStatus
    customer: DisputeCustomer


class DisputeDetailOrder(WireModel):
    id: str
    orderNumber: str
    status: OrderStatus
    customer: DisputeDetailCustomer
    amount: int
    currency: str


class _DisputeFields(WireModel):
    id: str
    reason: str
    status: DisputeStatus
    evidence: Evidence | None
    totalAmount: int
    amount: int
    fee: int
    createdAt: str


class Dispute(_DisputeFields):
    order: DisputeOrder


class DisputeDetail(_DisputeFields):
    order: DisputeDetailOrder
    method: str
    updatedAt: str


class DisputePage(WireModel):
    items: list[Dispute]
    pagination: Pagination


class DisputeListResponse(WireModel):
    ok: Literal[True]
    data: DisputePage


class DisputeDetailResponse(WireModel):
    ok: Literal[True]
    data: DisputeDetail


# -- webhook endpoints (the registration API) ------------------------------------------------------


class WebhookEndpoint(WireModel):
    id: str
    url: str
    note: str | None
    isEnabled: bool
    eventTypes: list[str]
    signatureVersion: SignatureVersion
    createdAt: str
    updatedAt: str


class WebhookEndpointCreated(WebhookEndpoint):
    secret: str  # on create only: it cannot be read back


class WebhookEndpointPage(WireModel):
    items: list[WebhookEndpoint]
    pagination: Pagination


class WebhookEndpointListResponse(WireModel):
    ok: Literal[True]
    data: WebhookEndpointPage


class WebhookEndpointResponse(WireModel):
    ok: Literal[True]
    data: WebhookEndpoint


class WebhookEndpointCreatedResponse(WireModel):
    ok: Literal[True]
    data: WebhookEndpointCreated


class Deleted(WireModel):
    deleted: Literal[True]


class DeletedResponse(WireModel):
    ok: Literal[True]
    data: Deleted


# -- webhook deliveries (docs/providers/pandabase.md "Webhooks") -----------------------------------


class WebhookItem(WireModel):
    productId: str
    variantId: str | None
    name: str
    quantity: int
    amount: int


class WebhookOrder(WireModel):
    id: str
    orderNumber: str
    status: OrderStatus
    amount: int
    currency: str
    customFields: dict
    metadata: dict
    items: list[WebhookItem]


class WebhookCustomer(WireModel):
    id: str
    email: str


class WebhookGeo(WireModel):
    ip: str
    country: str
    city: str | None
    region: str | None


class WebhookData(WireModel):
    order: WebhookOrder
    customer: WebhookCustomer | None
    geo: WebhookGeo | None


class WebhookPayload(WireModel):
    event: str
    id: str
    timestamp: str
    data: WebhookData
