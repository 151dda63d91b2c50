"""OrderProtection's wire shapes (the seed's claim node, field by field, its orders and the small
answers), apart from the records (models.py) so that a start, which builds only records, does not
create their pydantic classes: sandbox/providers/__init__.py defers them. The
golden test validates the seed's example against them, so they are the very shapes we emit. Fields
only one of the two documented renderings carries have defaults, so both renderings validate; the
serializer always fills them.
"""

from typing import Any, Literal

from ...jsonresp import WireModel
from .models import (
    ClaimFiledFrom,
    ClaimState,
    ClaimType,
    CreditKind,
    FulfillmentStatus,
    Number,
    PlatformId,
    ResolutionType,
    SenderType,
)


class ClaimItem(WireModel):
    id: str
    claimId: str
    itemId: str
    quantity: int
    createdAt: str
    updatedAt: str
    deletedAt: str | None


class Media(WireModel):
    id: str
    url: str
    type: str


class ClaimMessage(WireModel):
    senderType: SenderType | None = None  # absent from the list example, present in the schema
    id: str
    claimId: str
    message: str
    authorName: str
    medias: list[Media]


class ClaimResolution(WireModel):
    """Union of shape A (list example) and shape B (schema / by-order example), docs/providers/orderprotection.md "Claims"."""

    id: str
    claimId: str
    resolution: ResolutionType | None = None
    claimState: ClaimState | None = None
    userId: str | None = None
    resolutionType: ResolutionType | None = None
    resolutionDetails: str | None = None
    paidValue: Number | None = None
    paidCurrency: str | None = None
    paidOriginalValue: Number | None = None
    includeShipping: bool | None = None
    shippingAmount: Number | None = None
    creditStore: bool | None = None
    createdAt: str
    updatedAt: str
    deletedAt: str | None


class StoreCredit(WireModel):
    type: CreditKind | None = None  # the kind's key name is lost; inferred.CREDIT_KIND_KEY
    code: str
    emailStatus: str
    emailTime: str | None
    creditValue: Number
    bonusValue: Number
    totalValue: Number
    bonus: Number
    bonusType: str
    creditCurrency: str
    exchangeRate: Number
    claimId: str
    createdAt: str
    updatedAt: str
    deletedAt: str | None


class Document(WireModel):
    id: str
    claimId: str
    url: str
    documentType: str
    createdAt: str
    updatedAt: str
    deletedAt: str | None


class ClaimNode(WireModel):
    """Keys in the list example's order, then the schema-only keys (docs/providers/orderprotection.md "Claims")."""

    id: str
    storeId: str
    orderId: str
    sourceOrderId: str
    sourceOrderNumber: str
    authorName: str
    authorEmail: str
    claimDescription: str
    claimState: ClaimState
    isOta: bool
    otaDescription: str | None
    externalSource: str | None
    claimType: ClaimType | None
    createdAt: str
    updatedAt: str
    deletedAt: str | None
    policyId: str | None
    claimResolutions: list[ClaimResolution]
    claimItems: list[ClaimItem]
    claimMessages: list[ClaimMessage]
    customerId: str | None = None
    claimFiledFrom: ClaimFiledFrom | None = None
    resolutionRequested: ResolutionType | None = None
    resolutionDate: str | None = None
    storeCredits: list[StoreCredit] = []
    documents: list[Document] = []


class Edge(WireModel):
    node: ClaimNode


class PageInfo(WireModel):
    startCursor: str | None
    endCursor: str | None
    hasNextPage: bool
    hasPreviousPage: bool


class Connection(WireModel):
    edges: list[Edge]
    pageInfo: PageInfo


class FulfillmentItem(WireModel):
    """`{id, quantity}` in the order example, `{sourceItemId, quantity}` in the fulfillment pages:
    both keys, the same value (docs/providers/orderprotection.md "Fulfillments")."""

    id: str
    sourceItemId: str
    quantity: int


class Fulfillment(WireModel):
    """The order example's keys first, then those only the fulfillment pages show."""

    id: str
    sourceOrderId: str
    fulfillmentStatus: FulfillmentStatus
    trackingCompany: str | None
    trackingNumber: list[str]
    sourceItemIds: list[FulfillmentItem]
    sourceFulfillmentId: str
    trackingUrl: list[str]
    createdAt: str
    updatedAt: str


class OrderItem(WireModel):
    id: str
    orderId: str
    productName: str
    productUrl: str | None
    productImage: str | None
    itemDescription: str | None
    sku: str | None
    selectedOptions: list[str]
    quantity: int
    price: Number
    discount: Number
    tax: Number
    sourceItemId: str
    sourceProductId: str | None
    sourceVariantId: str | None
    addressId: str | None
    createdAt: str
    updatedAt: str
    refundedQuantity: int


class Address(WireModel):
    firstName: str | None = None
    lastName: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country: str | None = None


class OrderNode(WireModel):
    """The order example's keys in its order (up to `orderItems`, where the captured page ends),
    then the create body's other fields (docs/providers/orderprotection.md "Orders")."""

    id: str
    fulfillments: list[Fulfillment]
    sourceOrderId: str
    originalSourceOrderId: str | None
    originalOrderId: str | None
    sourceOrderNumber: str
    sourceCreatedAt: str
    sourceUpdatedAt: str | None
    sourceCancelledAt: str | None
    policyCancelledAt: str | None
    platformId: PlatformId
    premiumPaid: Number
    premiumCost: Number
    currency: str
    orderItems: list[OrderItem]
    storeId: str
    policyId: str
    customerId: str
    customerEmail: str
    customerName: str
    customerPhone: str | None
    premiumDiscount: Number
    riskLevel: str | None
    total: Number
    subtotal: Number
    discountTotal: Number
    tax: Number
    shippingCost: Number
    shippingCostTax: Number
    tags: str | None
    address: Address
    createdAt: str
    updatedAt: str


class OrderEdge(WireModel):
    node: OrderNode


class PageCursor(WireModel):
    cursor: str
    page: int
    isCurrent: bool


class PageCursors(WireModel):
    around: list[PageCursor]


class OrderPageInfo(WireModel):
    startCursor: str
    endCursor: str
    hasNextPage: bool
    hasPreviousPage: bool


class OrderConnection(WireModel):
    pageInfo: OrderPageInfo
    pageCursors: PageCursors
    totalCount: int
    edges: list[OrderEdge]


class TokenResponse(WireModel):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    refresh_token: str
    scope: str


class Ok(WireModel):
    """The documented write envelope `{"status": "ok"}`."""

    status: Literal["ok"]


class OfflineCreated(WireModel):
    """`POST /v1/claims/offline`: the envelope and the submission echoed, with the minted
    `sourceOrderId` and the token's `storeId` (docs/providers/orderprotection.md "Claims")."""

    status: Literal["ok"]
    payload: dict[str, Any]


class SessionContext(WireModel):
    """`POST /v1/oauth/session/verify`: the merchant's user and store context."""

    userId: str
    email: str
    firstName: str
    lastName: str
    storeId: str
    installationId: str
    applicationId: str
    clientId: str
    scopes: list[str]


class ErrorBody(WireModel):
    """NestJS's default exception body: `message` a string, or a list of validation sentences;
    `error` the reason phrase, absent on a bare 401 (errors.py)."""

    statusCode: int
    message: str | list[str]
    error: str | None = None
