"""Riverty's wire shapes (Gen 1 from the seed, Gen 2 from the current pages) and internal records.

The serializer goes through these models, so the golden tests that validate the docs' examples
against them check the very shapes the fake emits, field order included.
"""


from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field

from ...jsonresp import WireModel


class Wire(WireModel):
    model_config = ConfigDict(populate_by_name=True)  # built with field names, some dumped by alias


# -- Gen 1 ("complaints", the seed) -------------------------------------------------------------


class IdName(Wire):
    id: int
    name: str


class Gen1Attachment(Wire):
    id: str
    fileName: str
    originalFileName: str
    createdAt: str  # MM/dd/yyyy HH:mm:ss
    size: int
    source: str
    mimeType: str
    url: str


class Gen1Customer(Wire):
    customerId: str
    firstName: str
    lastName: str
    countryCode: str
    email: str
    name: str


class Gen1Client(Wire):
    id: int
    name: str
    email: str
    countryCode: str
    country: str


class Gen1Dispute(Wire):
    id: str
    customerId: str
    clientId: int
    source: str
    reason: IdName
    description: str
    invoiceId: str
    invoiceDate: str  # MM/dd/yyyy HH:mm:ss
    amount: str
    disputeAmount: str
    orderId: str
    orderNumber: str
    trackingId: str
    attachments: list[Gen1Attachment]
    complaintStatus: IdName
    createdAt: str  # yyyy-MM-ddTHH:mm:ss.fffffffZ
    updatedAt: str
    customer: Gen1Customer
    client: Gen1Client


# -- Gen 2 ("Get All Shop Disputes") ------------------------------------------------------------
# Absent members are dropped, never sent as null (the docs' examples omit them).


class Gen2Attachment(Wire):
    id: str
    size: int
    mimeType: str
    createdAt: str
    originalFileName: str
    fileName: str | None = None
    originalFileUrl: str | None = None
    thumbnailUrl: str | None = None
    malwareDetected: bool | None = None


class StageRef(Wire):
    id: int


class DecisionRef(Wire):
    name: str


class ReasonCodeRef(Wire):
    shortCode: str


class ShopRef(Wire):
    shopId: str


class InvoiceRef(Wire):
    invoiceNumber: str
    client: ShopRef


class Gen2Dispute(Wire):
    id: str
    ticketNumber: str
    stage: StageRef
    decision: DecisionRef | None = None
    reasonCode: ReasonCodeRef
    invoice: InvoiceRef
    createdAt: str
    attachments: list[Gen2Attachment]
    description: str | None = None
    showInMerchantUi: bool | None = None


class Paging(Wire):
    total: int
    pageSize: int


class Gen2List(Wire):
    paging: Paging
    results: list[Gen2Dispute]


class Author(Wire):
    type: Literal["Client", "Customer", "Agent"] = Field(alias="$type")
    clientName: str | None = None
    firstName: str | None = None
    lastName: str | None = None
    email: str | None = None
    name: str | None = None


class Comment(Wire):
    id: str
    disputeId: str
    body: str | None = None
    visibility: int
    attachments: list[Gen2Attachment]
    author: Author
    createdAt: str


# -- internal state -----------------------------------------------------------------------------


@dataclass(slots=True)
class AttachmentRecord:
    id: str
    file_name: str  # internal GUID-like name, no extension
    original_file_name: str
    created_at: datetime
    size: int
    source: str  # Customer | Shop
    mime_type: str
    shop: str  # owning shop key ("RTY000002240/DE")
    dispute_id: str | None = None  # None until a comment references the upload
    content: bytes | None = None  # None: deterministic bytes made on download
    malware_detected: bool | None = None


@dataclass(slots=True)
class CommentRecord:
    id: str
    dispute_id: str
    body: str | None
    visibility: int
    attachment_ids: list[str]
    author: dict[str, Any]  # {"$type": "Client", "clientName": ...}
    created_at: datetime


@dataclass(slots=True)
class DisputeRecord:
    id: str
    client_id: int
    shop: str  # shop key "<shopId>/<countryCode>"
    shop_id: str
    ticket_number: str
    invoice_number: str
    invoice_date: datetime
    amount_cents: int
    dispute_amount_cents: int
    order_id: str
    order_number: str
    tracking_id: str
    reason_code: str
    description: str
    customer_id: str
    first_name: str
    last_name: str
    email: str
    country_code: str
    stage: int
    rfi_party: str  # shop | customer: whom the information request addressed
    decision: str | None
    status: int  # complaintStatus id, derived from stage + rfi_party, kept for the indexes
    created_at: datetime
    updated_at: datetime
    touched_at: datetime  # "UpdatedByConsumerOrRivertyAt"
    deadline: datetime | None
    agent: str | None  # "AgentAssignee"
    show_in_merchant_ui: bool = True
    attachment_ids: list[str] = field(default_factory=list)  # customer evidence on the dispute
    comments: list[CommentRecord] = field(default_factory=list)  # oldest first
    # the shop's files on those comments, counted as comments are added (Lifecycle.add_comment):
    # the per-dispute limit reads it without walking a history that grows with every comment
    shop_files: int = 0


@dataclass(slots=True)
class ShopRecord:
    key: str  # "<shopId>/<countryCode>"
    shop_id: str
    country_code: str
    client_id: int
    api_key: str


@dataclass(slots=True)
class ClientRecord:
    id: int
    name: str
    email: str
    country_code: str
    shops: list[str] = field(default_factory=list)


# -- error bodies (errors.py; docs/providers/riverty.md §9) ------------------------------------


class ProblemDetails(Wire):
    """ASP.NET Core's ProblemDetails (`application/problem+json`)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    traceId: str


class ValidationProblem(Wire):
    """ASP.NET Core's automatic 400: ProblemDetails with `errors` (parameter → messages)."""

    type: str
    title: str
    status: Literal[400]
    errors: dict[str, list[str]]
    traceId: str


class ExceptionBody(Wire):
    """The serialised .NET `Exception` the comments page documents."""

    message: str
    statusCode: int
    data: dict[str, Any]
    innerException: None
    helpLink: None
    source: str
    hResult: int
    stackTrace: None
    targetSite: None
