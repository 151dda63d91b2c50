"""OrderProtection wire shapes (the seed's claim node, field by field) and the internal records.

The pydantic models are what the serializer goes through, so the golden test that validates the
seed's example against them checks the very shapes we emit. Fields only one of the two documented
renderings carries have defaults, so both renderings validate; the serializer always fills them.
"""


from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, get_args

from ...jsonresp import WireModel

# webhook topics (webhooks.py): the reference dialect's, which a subscription listing none gets, then
# the developer-app dialect's (claim/created, …); here so that a start need not import webhooks.py
WEBHOOK_DEFAULT_TYPES = (
    "claim.created", "claim.approved", "claim.denied", "message.created", "protection.added", "protection.removed",
)
WEBHOOK_TYPES = WEBHOOK_DEFAULT_TYPES + tuple(t.replace(".", "/") for t in WEBHOOK_DEFAULT_TYPES)

ClaimState = Literal[
    "NEW",
    "OPEN",
    "DISMISSED",
    "DENIED",
    "APPROVED",
    "RESOLVED",
    "ARCHIVED",
    "COMMUNICATING",
    "WAITING_FOR_CUSTOMER",
    "WAITING_FOR_BRAND",
    "WAITING_FOR_OP",
    "RESOLVED_BY_BRAND",
    "TEMPORARILY_DISMISSED",
    "CLOSED",
]
CLAIM_STATES: tuple[str, ...] = get_args(ClaimState)
ClaimType = Literal[
    "DAMAGED",
    "DEFECTIVE_ITEM",
    "MISSING_ITEM",
    "MULTIPLE",
    "ORDER_DELIVERED_NOT_RECEIVED",
    "RETURNED_TO_SENDER",
    "STOLEN",
    "WRONG_ITEM",
]
CLAIM_TYPES: tuple[str, ...] = get_args(ClaimType)
ISSUE_TYPES: tuple[str, ...] = (*CLAIM_TYPES, "TRACKING_NOT_MOVING", "WRONG_ADDRESS")  # claim types and two more
ResolutionType = Literal[
    "RESHIP",
    "REPLACEMENT",
    "REFUND",
    "FLAT_RATE",
    "CUSTOM",
    "EXPIRED30",
    "EXCHANGE",
    "CREDIT",
    "STORE_CREDIT",
    "RETURN",
    "OTHER",
    "NO_RESPONSE",
    "PACKAGE_ARRIVED",
    "CUSTOMER_RESPONDED",
    "FOLLOW_UP",
    "INSUFFICIENT_SHIPPER",
    "RETURN_TO_SENDER",
    "NOT_COVERED",
    "ADRESS_TYPO",
    "PHOTO_VERIFIED",
    "THRESHOLD_REACHED",
    "ADDRESS_TYPO",
    "ALREADY_REFUNDED",
    "ALREADY_REPLACED",
    "POTENTIAL_FRAUD",
]
RESOLUTION_TYPES: tuple[str, ...] = get_args(ResolutionType)
DENIAL_TYPES: tuple[str, ...] = (
    "ADDRESS_TYPO",
    "CUSTOMER_RESPONDED",
    "EXPIRED30",
    "FOLLOW_UP",
    "INSUFFICIENT_SHIPPER",
    "NOT_COVERED",
    "NO_RESPONSE",
    "OTHER",
    "PACKAGE_ARRIVED",
    "PHOTO_VERIFIED",
    "THRESHOLD_REACHED",
    "ALREADY_REFUNDED",
    "ALREADY_REPLACED",
    "POTENTIAL_FRAUD",
)
SenderType = Literal["customer", "brand", "admin", "automatic", "system"]
SENDER_TYPES: tuple[str, ...] = get_args(SenderType)
CreditKind = Literal["GIFT_CARD", "DISCOUNT_CODE"]
ClaimFiledFrom = Literal["EXTERNAL", "INTERNAL"]
FILED_FROM: tuple[str, ...] = get_args(ClaimFiledFrom)
PlatformId = Literal["shopify", "woocommerce", "magento", "bigcommerce", "api"]
PLATFORM_IDS: tuple[str, ...] = get_args(PlatformId)
FulfillmentStatus = Literal[
    "DELIVERED",
    "FULFILLED",
    "UNFULFILLED",
    "PARTIALLY_FULFILLED",
    "AWAITING_SHIPMENT",
    "SCHEDULED",
    "ON_HOLD",
    "ATTEMPTED_DELIVERY",
    "CARRIER_PICKED_UP",
    "CONFIRMED",
    "DELAYED",
    "FAILURE",
    "NOT_DELIVERED",
    "IN_TRANSIT",
    "LABEL_PRINTED",
    "LABEL_PURCHASED",
    "OUT_FOR_DELIVERY",
    "PICKED_UP",
    "READY_FOR_PICKUP",
]
FULFILLMENT_STATUSES: tuple[str, ...] = get_args(FulfillmentStatus)
# what the claim-create bodies accept (they are not fields of the claim node)
SALES_CHANNELS = ("ONLINE", "IN_STORE")
CLAIM_CATEGORIES = ("SHIPPING", "WARRANTY")
DESIRED_RESOLUTIONS = ("RESHIP", "REFUND", "STORE_CREDIT")
Number = int | float


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


# -- internal records -------------------------------------------------------------------------


@dataclass(slots=True)
class OrderItemRecord:
    id: str  # OrderProtection's item id (claimItems[].itemId)
    source_item_id: str
    source_product_id: str | None
    source_variant_id: str | None
    sku: str
    name: str
    price: float
    discount: float
    tax: float
    quantity: int
    product_url: str | None = None
    product_image: str | None = None
    description: str | None = None


@dataclass(slots=True)
class FulfillmentRecord:
    id: str
    source_fulfillment_id: str
    status: str
    tracking_company: str | None
    tracking_numbers: list[str]
    tracking_urls: list[str]
    items: list[tuple[str, int]]  # (sourceItemId, quantity)
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class OrderRecord:
    id: str
    store_id: str
    source_order_id: str
    source_order_number: str
    customer_id: str
    customer_name: str
    customer_email: str
    currency: str
    policy_id: str
    created_at: datetime
    fulfilled_at: datetime | None
    shipping_amount: float
    shipping_tax: float
    address: dict[str, str]
    items: list[OrderItemRecord] = field(default_factory=list)
    # None: one fulfillment derived from `fulfilled_at` (scenario and generated orders, see
    # orders.fulfillments_of); a list once the API created the order or added a fulfillment
    fulfillments: list[FulfillmentRecord] | None = None
    original_source_order_id: str | None = None  # set when this order replaces another (reship)
    original_order_id: str | None = None
    platform_id: str = "api"
    source_updated_at: datetime | None = None
    source_cancelled_at: datetime | None = None
    policy_cancelled_at: datetime | None = None  # protection removed
    premium_paid: float | None = None  # None: derived from the items (orders.premium_of)
    premium_cost: float | None = None
    premium_discount: float = 0.0
    risk_level: str | None = None
    customer_phone: str | None = None
    totals: dict[str, float] | None = None  # total, subtotal, … as the API client sent them
    tags: str | None = None
    updated_at: datetime | None = None  # None: created_at


@dataclass(slots=True)
class ClaimItemRecord:
    id: str
    item_id: str
    quantity: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


@dataclass(slots=True)
class MessageRecord:
    id: str
    sender_type: str
    message: str
    author_name: str
    created_at: datetime  # internal only: messages carry no timestamps on the wire
    medias: list[dict[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class ResolutionRecord:
    id: str
    resolution: str
    claim_state: str
    user_id: str
    details: str
    paid_value: float
    paid_currency: str
    include_shipping: bool
    shipping_amount: float
    credit_store: bool
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


@dataclass(slots=True)
class CreditRecord:
    kind: str
    code: str
    email_status: str
    email_time: datetime | None
    credit_value: float
    bonus_value: float
    bonus_type: str
    currency: str
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


@dataclass(slots=True)
class DocumentRecord:
    id: str
    url: str
    document_type: str
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


@dataclass(slots=True)
class ClaimRecord:
    id: str
    store_id: str
    order_id: str
    source_order_id: str
    source_order_number: str
    customer_id: str
    claim_filed_from: str
    author_name: str
    author_email: str
    description: str
    resolution_requested: str | None
    resolution_date: datetime | None
    state: str
    claim_type: str | None
    is_ota: bool
    ota_description: str | None
    policy_id: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    items: list[ClaimItemRecord] = field(default_factory=list)
    messages: list[MessageRecord] = field(default_factory=list)
    resolutions: list[ResolutionRecord] = field(default_factory=list)
    credits: list[CreditRecord] = field(default_factory=list)
    documents: list[DocumentRecord] = field(default_factory=list)
    state_since: datetime | None = None  # when the current state was entered (deadlines)


@dataclass(slots=True)
class TokenRecord:
    token: str
    store_id: str
    scopes: tuple[str, ...]
    expires_at: datetime | None  # None: a scenario token that never expires
    client_id: str | None = None
    revoked: bool = False


@dataclass(slots=True)
class AppRecord:
    client_id: str
    client_secret: str
    store_ids: tuple[str, ...]
    scopes: tuple[str, ...]


@dataclass(slots=True)
class StoreRecord:
    id: str
    name: str
