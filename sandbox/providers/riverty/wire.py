"""Riverty's wire shapes (both dispute API generations, comments and problem bodies), apart from the
records (models.py) so that a start, which builds only records, does not create their pydantic
classes: sandbox/providers/__init__.py defers them.
"""

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
