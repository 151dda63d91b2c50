"""OrderProtection's vocabulary (claim states, types, resolutions, webhook topics) and the internal
records. The wire shapes the serializer goes through are in wire.py, made on first use."""


from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

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


# -- internal records -------------------------------------------------------------------------


@dataclass(slots=True)
class OrderItemRecord:
    """One line item of an order; claim items name it by `id`, fulfillments by `source_item_id`."""

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
    """One shipment of some of an order's items, made through the Fulfillments or Orders API or
    derived from the order's `fulfilled_at` (orders.fulfillments_of)."""

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
    """An order of one store, keyed by (store id, source order id): hand-written, generated, minted
    for an offline claim or created through the Orders API."""

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
    """One order item a claim covers, as `claimItems[]` reports it."""

    id: str
    item_id: str
    quantity: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


@dataclass(slots=True)
class MessageRecord:
    """One entry of a claim's message history (`claimMessages[]`)."""

    id: str
    sender_type: str
    message: str
    author_name: str
    created_at: datetime  # internal only: messages carry no timestamps on the wire
    medias: list[dict[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class ResolutionRecord:
    """One decision on a claim (`claimResolutions[]`), emitted as the union of the two published
    shapes (docs/providers/orderprotection.md "Claims")."""

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
    """A gift card or discount code issued for a store-credit resolution; its key on the claim
    is inferred (inferred.CREDITS_KEY)."""

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
    """A file attached to a claim (a signature, receipt or image URL); its key on the claim is
    inferred (inferred.DOCUMENTS_KEY)."""

    id: str
    url: str
    document_type: str
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


@dataclass(slots=True)
class ClaimRecord:
    """A claim filed on one order, as the Claims API and webhooks report it; the lifecycle moves its
    state and appends to its history."""

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
    """An access or refresh token (`op_at_…`, `op_rt_…`, or a scenario's own), bound to one store and
    the scopes it was granted."""

    token: str
    store_id: str
    scopes: tuple[str, ...]
    expires_at: datetime | None  # None: a scenario token that never expires
    client_id: str | None = None
    revoked: bool = False


@dataclass(slots=True)
class AppRecord:
    """A developer app: its client credentials and the stores that installed it, checked by the
    OAuth token and session-verify endpoints."""

    client_id: str
    client_secret: str
    store_ids: tuple[str, ...]
    scopes: tuple[str, ...]


@dataclass(slots=True)
class StoreRecord:
    """A merchant store of the scenario; every order, claim and token belongs to one."""

    id: str
    name: str
