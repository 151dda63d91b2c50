"""Disputes, evidence files and dispute alerts: enums, the sandbox's records, and the wire models
of both version families (current: whop-sdk 2.6.0's `Dispute`, `DisputeAlert`, `File`; legacy:
whop-sdk 0.0.41's `Dispute` and list item). Sources: docs/providers/whop-disputes.md.
"""


from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, get_args

from ...jsonresp import WireModel
from .models import Buyer, Money, PageInfo  # one declaration of the shapes cases and disputes share

DisputeStatus = Literal[
    "needs_response",
    "warning_needs_response",
    "under_review",
    "warning_under_review",
    "won",
    "lost",
    "prevented",
    "warning_closed",
]
DISPUTE_STATUSES: tuple[str, ...] = get_args(DisputeStatus)
OPEN_STATUSES = ("needs_response", "warning_needs_response", "under_review", "warning_under_review")
FINAL_STATUSES = ("won", "lost", "prevented", "warning_closed")
DisputeReason = Literal[
    "fraudulent",
    "unrecognized",
    "declined_authorization",
    "product_not_received",
    "product_unacceptable",
    "subscription_canceled",
    "credit_not_processed",
    "duplicate",
    "processing_error",
    "documentation_request",
    "bank_cannot_process",
    "other",
]
DISPUTE_REASONS: tuple[str, ...] = get_args(DisputeReason)
LEGACY_REASON_TEXT = {r: r.replace("_", " ").title() for r in DISPUTE_REASONS}  # "Product Not Received"
LockedReason = Literal["submitted", "response_window_closed", "not_contestable"]
DocumentType = Literal[
    "return_policy",
    "shipping_policy",
    "cancellation_policy",
    "terms_of_service",
    "physical_fulfillment",
    "customer_order_history",
    "product_image",
    "prior_transactions",
    "customer_session",
    "digital_fulfillment",
    "subscription",
    "customer_communication",
]
DOCUMENT_TYPES: tuple[str, ...] = get_args(DocumentType)
ContentType = Literal["application/pdf", "application/json", "image/jpeg", "image/png", "image/webp"]
CONTENT_TYPES: tuple[str, ...] = get_args(ContentType)
AlertType = Literal["early_fraud_warning", "dispute_alert", "rapid_dispute_resolution"]
ALERT_TYPES: tuple[str, ...] = get_args(AlertType)
LEGACY_ALERT_TYPE = {"early_fraud_warning": "fraud", "dispute_alert": "dispute", "rapid_dispute_resolution": "dispute_rdr"}
TEXT_FIELDS = (
    "access_activity_log",
    "billing_address",
    "cancellation_policy_disclosure",
    "customer_email_address",
    "customer_name",
    "notes",
    "product_description",
    "refund_policy_disclosure",
    "refund_refusal_explanation",
    "service_date",
)
SLOTS = (
    "cancellation_policy_attachment",
    "customer_communication_attachment",
    "refund_policy_attachment",
    "uncategorized_attachment",
)
# An uploaded document of these types also fills the fixed slot (the `documents` docstring).
DOCUMENT_SLOT = {
    "return_policy": "refund_policy_attachment",
    "cancellation_policy": "cancellation_policy_attachment",
    "customer_communication": "customer_communication_attachment",
}


# -- records ------------------------------------------------------------------------------------


@dataclass(slots=True)
class FileRecord:
    id: str
    account_id: str
    filename: str
    visibility: str
    created_at: datetime
    upload_token: str
    declared_size: int | None = None
    content_type: str | None = None
    upload_status: str = "pending"
    data: bytes | None = None
    inline: bool = False  # made from base64 in a dispute body: dropped when no longer attached
    base_url: str = ""  # the API root it was created through: its upload and download URLs live there


@dataclass(slots=True)
class DocumentRef:
    file_id: str
    document_type: str


@dataclass(slots=True)
class DisputeRecord:
    id: str
    account_id: str
    payment_id: str
    status: str  # stored; `reported_status` is what the API shows
    reason: str
    reason_code: str | None
    amount: float
    currency: str
    created_at: datetime
    updated_at: datetime
    evidence_due_at: datetime | None
    buyer_name: str | None
    buyer_username: str | None
    buyer_user_id: str | None
    member_id: str | None
    buyer_email: str | None
    payment_created_at: datetime
    card_brand: str | None = "visa"
    card_last4: str | None = "4242"
    plan_id: str | None = None
    product_id: str | None = None
    product_title: str | None = None
    fee: str | None = None
    visa_rdr: bool = False
    window_closed: bool = False  # the evidence deadline passed before a response
    evidence_submitted_at: datetime | None = None
    evidence: dict[str, Any] = field(default_factory=dict)  # text fields and slot file ids
    documents: list[DocumentRef] = field(default_factory=list)
    issuer_comments: list[tuple[str, datetime | None]] = field(default_factory=list)
    case_id: str | None = None

    @property
    def inquiry(self) -> bool:
        return self.status.startswith("warning_")

    @property
    def reported_status(self) -> str:
        """A `needs_response` dispute past its deadline "reports and filters as `under_review`"."""
        return "under_review" if self.status == "needs_response" and self.window_closed else self.status

    @property
    def editable(self) -> bool:
        return self.status in ("needs_response", "warning_needs_response") and not self.window_closed

    @property
    def acceptable(self) -> bool:
        return self.status == "needs_response" and not self.window_closed

    @property
    def locked_reason(self) -> str | None:
        if self.editable:
            return None
        if self.evidence_submitted_at is not None:
            return "submitted"
        if self.window_closed:
            return "response_window_closed"
        return "not_contestable"


@dataclass(slots=True)
class AlertRecord:
    id: str
    account_id: str
    payment_id: str | None
    product_id: str | None
    type: str
    amount: float
    currency: str
    card_brand: str | None
    reported_at: datetime
    created_at: datetime
    updated_at: datetime
    transaction_at: datetime | None
    auto_refunded: bool = False
    fee: str | None = None


# -- current wire shapes (whop-sdk 2.6.0) -------------------------------------------------------



class DisputeAttachment(WireModel):
    platform: bool
    id: str | None
    filename: str | None
    content_type: str | None
    url: str | None


class File(WireModel):
    id: str
    object: Literal["file"]
    created_at: str
    filename: str | None
    content_type: str | None
    size: int | None
    upload_status: Literal["pending", "processing", "ready", "failed"]
    visibility: Literal["public", "private"]
    removed_by_moderation: bool
    url: str | None
    blurhash: None = None
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    waveform_url: str | None = None
    upload_url: str | None = None
    upload_headers: dict[str, str] | None = None
    multipart_upload_id: str | None = None
    multipart_chunk_size: int | None = None
    multipart_upload_urls: list[dict[str, Any]] | None = None


class EvidenceDocument(File):
    document_type: DocumentType


class DisputeEvidence(WireModel):
    access_activity_log: str | None
    billing_address: str | None
    cancellation_policy_attachment: DisputeAttachment | None
    cancellation_policy_disclosure: str | None
    customer_communication_attachment: DisputeAttachment | None
    customer_email_address: str | None
    customer_name: str | None
    documents: list[EvidenceDocument]
    notes: str | None
    product_description: str | None
    refund_policy_attachment: DisputeAttachment | None
    refund_policy_disclosure: str | None
    refund_refusal_explanation: str | None
    service_date: str | None
    uncategorized_attachment: DisputeAttachment | None



class DisputePayment(WireModel):
    id: str
    created_at: str
    amount: float | None
    currency: str | None
    card_brand: str | None
    card_last4: str | None
    payment_method_type: str | None
    payment_processor: None
    payment_instrument: None


class IssuerComment(WireModel):
    text: str
    received_at: str | None


class Dispute(WireModel):
    id: str
    status: DisputeStatus
    inquiry: bool
    acceptable: bool
    reason: DisputeReason
    reason_code: str | None
    amount: float
    currency: str
    fee: Money | None
    evidence_due_at: str | None
    evidence_editable: bool
    evidence_locked_reason: LockedReason | None
    evidence_submitted_at: str | None
    evidence: DisputeEvidence
    issuer_comments: list[IssuerComment]
    account_id: str | None
    buyer: Buyer
    payment: DisputePayment
    line_items: list[dict[str, Any]]
    plan_id: str | None
    product_id: str | None
    created_at: str
    updated_at: str


class DisputeListResponse(WireModel):
    data: list[Dispute]
    page_info: PageInfo


class DisputeSummaryGroups(WireModel):
    status: dict[DisputeStatus, int] | None = None
    currency: dict[str, int] | None = None


class DisputeSummary(WireModel):
    """`GET /disputes/summary`: a group is present only when asked for (`groups`)."""

    total: int
    groups: DisputeSummaryGroups


class DisputeAlert(WireModel):
    id: str
    type: AlertType
    amount: float
    currency: str
    auto_refunded: bool
    fee_charged: bool
    fee: Money | None
    card_brand: str | None
    issuer: None
    account_id: str | None
    payment_id: str | None
    product_id: str | None
    reported_at: str
    created_at: str
    updated_at: str
    transaction_at: str | None


class DisputeAlertListResponse(WireModel):
    data: list[DisputeAlert]
    page_info: PageInfo


# -- legacy wire shapes (whop-sdk 0.0.41 `Dispute`, `DisputeListResponse`) ----------------------

LegacyStatus = Literal[
    "warning_needs_response",
    "warning_under_review",
    "warning_closed",
    "needs_response",
    "under_review",
    "won",
    "lost",
    "closed",
    "other",
]


class LegacyRef(WireModel):
    id: str


class LegacyCompany(WireModel):
    id: str
    title: str


class LegacyAttachment(WireModel):
    id: str
    content_type: str | None
    filename: str | None
    url: str | None


class LegacyPaymentUser(WireModel):
    id: str
    email: str | None
    name: str | None
    username: str


class LegacyPayment(WireModel):
    id: str
    billing_reason: str | None
    card_brand: str | None
    created_at: str
    currency: str
    dispute_alerted_at: str | None
    member: dict[str, Any] | None
    membership: None
    paid_at: str | None
    payment_method_type: str | None
    subtotal: float | None
    total: float | None
    usd_total: float | None
    user: LegacyPaymentUser | None


class LegacyListItem(WireModel):
    id: str
    amount: float
    company: LegacyCompany | None
    created_at: str
    currency: str
    editable: bool
    needs_response_by: str | None
    payment: LegacyRef
    plan: LegacyRef | None
    product: LegacyCompany | None
    reason: str | None
    status: LegacyStatus
    visa_rdr: bool


class LegacyDispute(WireModel):
    id: str
    access_activity_log: str | None
    amount: float
    billing_address: str | None
    cancellation_policy_attachment: LegacyAttachment | None
    cancellation_policy_disclosure: str | None
    company: LegacyCompany | None
    created_at: str
    currency: str
    customer_communication_attachment: LegacyAttachment | None
    customer_email_address: str | None
    customer_name: str | None
    editable: bool
    needs_response_by: str | None
    notes: str | None
    payment: LegacyPayment
    plan: LegacyRef | None
    product: LegacyCompany | None
    product_description: str | None
    reason: str | None
    refund_policy_attachment: LegacyAttachment | None
    refund_policy_disclosure: str | None
    refund_refusal_explanation: str | None
    service_date: str | None
    status: LegacyStatus
    uncategorized_attachment: LegacyAttachment | None
    visa_rdr: bool


class LegacyDisputeListResponse(WireModel):
    data: list[LegacyListItem]
    page_info: PageInfo


LegacyAlertType = Literal["fraud", "dispute", "dispute_rdr"]  # LEGACY_ALERT_TYPE's values


class LegacyAlertDispute(WireModel):
    id: str
    amount: float
    created_at: str
    currency: str
    reason: str | None
    status: LegacyStatus


class LegacyAlertPayment(LegacyPayment):
    """The payment an alert's legacy record embeds: the dispute's payment, with no member or user."""

    member: None
    user: None


class LegacyAlertListItem(WireModel):
    """whop-sdk 0.0.41's `DisputeAlertListResponse` item: references only."""

    id: str
    alert_type: LegacyAlertType
    amount: float
    charge_for_alert: bool
    created_at: str
    currency: str
    dispute: LegacyRef | None
    payment: LegacyRef | None
    transaction_date: str | None


class LegacyAlert(WireModel):
    """whop-sdk 0.0.41's `DisputeAlertRetrieveResponse`: the dispute and the payment nested."""

    id: str
    alert_type: LegacyAlertType
    amount: float
    charge_for_alert: bool
    created_at: str
    currency: str
    dispute: LegacyAlertDispute | None
    payment: LegacyAlertPayment | None
    transaction_date: str | None


class LegacyAlertListResponse(WireModel):
    data: list[LegacyAlertListItem]
    page_info: PageInfo
