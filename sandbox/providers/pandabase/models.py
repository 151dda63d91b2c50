"""Pandabase's wire shapes (Store API v2, cases) and the sandbox's internal records.

The pydantic models are what the serializer goes through, so the golden test that validates the
seed's example against them checks the very shapes we emit. Field order is the documented order.
"""


from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from ...jsonresp import WireModel

CaseStatus = Literal["OPEN", "AWAITING_CUSTOMER", "AWAITING_MERCHANT", "CLOSED"]
CASE_STATUSES: tuple[str, ...] = get_args(CaseStatus)
CasePriority = Literal["LOW", "NORMAL", "HIGH", "URGENT"]
CASE_PRIORITIES: tuple[str, ...] = get_args(CasePriority)
SenderType = Literal["CUSTOMER", "MERCHANT", "STAFF", "SYSTEM"]
SENDER_TYPES: tuple[str, ...] = get_args(SenderType)
SETTABLE_STATUSES = ("OPEN", "AWAITING_CUSTOMER", "CLOSED")
OrderStatus = Literal["PENDING", "PROCESSING", "COMPLETED", "CANCELLED", "FAILED", "REFUNDED", "CHARGEBACK"]
ORDER_STATUSES: tuple[str, ...] = get_args(OrderStatus)
Scope = Literal[
    "CASES_READ", "CASES_WRITE", "DISPUTES_READ", "DISPUTES_WRITE", "WEBHOOKS_READ", "WEBHOOKS_WRITE", "ORDERS_READ"
]
SCOPES: tuple[str, ...] = get_args(Scope)
DisputeStatus = Literal["AWAITING_REVIEW", "UNDER_REVIEW", "WON", "LOST", "PREVENTED"]
DISPUTE_STATUSES: tuple[str, ...] = get_args(DisputeStatus)
DISPUTE_OUTCOMES = ("WON", "LOST", "PREVENTED")  # final: no evidence, no deadline
# The spec's examples and the older spec give the first six; the guide also names the last two
# (upper snake case inferred, docs/providers/pandabase.md "Disputes").
DisputeReason = Literal[
    "FRAUDULENT", "DUPLICATE_CHARGE", "PRODUCT_NOT_RECEIVED", "PRODUCT_UNACCEPTABLE", "GENERAL", "UNRECOGNIZED",
    "SUBSCRIPTION_CANCELLED", "CREDIT_NOT_PROCESSED",
]
DISPUTE_REASONS: tuple[str, ...] = get_args(DisputeReason)
SignatureVersion = Literal["V1", "V2"]
SIGNATURE_VERSIONS: tuple[str, ...] = get_args(SignatureVersion)


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


# -- internal state ---------------------------------------------------------------------------------


@dataclass(slots=True)
class AttachmentRecord:
    id: str
    filename: str
    mime_type: str
    size_bytes: int


@dataclass(slots=True)
class MessageRecord:
    id: str
    sender_type: str
    sender_id: str | None
    body: str
    created_at: datetime
    attachments: list[AttachmentRecord] = field(default_factory=list)


@dataclass(slots=True)
class CustomerRecord:
    id: str
    email: str
    first_name: str | None
    last_name: str | None
    guest: bool = False  # bought without an account


@dataclass(slots=True)
class OrderRecord:
    id: str
    store_id: str
    order_number: str
    customer_id: str
    amount: int
    currency: str
    status: str
    created_at: datetime
    product_id: str
    product_name: str


@dataclass(slots=True)
class CaseRecord:
    id: str
    store_id: str
    subject: str
    status: str
    priority: str
    order_id: str
    customer_id: str
    last_message_at: datetime
    last_message_by: str
    unread_count: int
    escalated: bool
    closed_at: datetime | None
    closed_by: str | None
    created_at: datetime
    updated_at: datetime
    idle_since: datetime | None  # AWAITING_CUSTOMER: when the auto-close clock started
    messages: list[MessageRecord] = field(default_factory=list)  # oldest first
    bulk: bool = False  # generated: found by customer/order through the store's columns, not a group


@dataclass(slots=True)
class TokenRecord:
    secret: str
    id: str
    store_id: str
    scopes: tuple[str, ...]


@dataclass(slots=True)
class StoreRecord:
    id: str
    name: str


@dataclass(slots=True)
class DisputeRecord:
    id: str
    store_id: str
    order_id: str
    reason: str
    status: str
    created_at: datetime
    updated_at: datetime
    amount: int  # the disputed amount: the order's
    fee: int  # 2000; 3000 once prevented
    total_amount: int  # the payment's total
    method: str
    evidence: str | None  # the access_activity_log, once submitted
    evidence_due: datetime | None  # end of the evidence window (None: no window)


@dataclass(slots=True)
class WebhookEndpointRecord:
    """A webhook endpoint made through the Store API. While enabled it is a core subscription of
    the same id (url, events and secret live there); disabled, it is held here alone."""

    id: str
    store_id: str
    url: str
    events: list[str]
    secret: str
    note: str | None
    enabled: bool
    signature_version: str
    created_at: datetime
    updated_at: datetime
