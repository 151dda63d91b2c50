"""Disputes, evidence files and dispute alerts: enums and the sandbox's records. Their wire models
of both version families (current: whop-sdk 2.6.0's `Dispute`, `DisputeAlert`, `File`; legacy:
whop-sdk 0.0.41's `Dispute` and list item) are in dispute_wire.py, made on first use. Sources:
docs/providers/whop-disputes.md.
"""


from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, get_args

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
    """An evidence file (`POST /files`): pending until its bytes are uploaded, then attachable to a
    dispute by id."""

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
    """An entry of a dispute's `documents` evidence list, naming an uploaded file."""

    file_id: str
    document_type: str


@dataclass(slots=True)
class DisputeRecord:
    """A chargeback dispute as the sandbox keeps it; both version families' shapes are read from it
    (dispute_serialize.py)."""

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
    """A dispute alert (early fraud warning, dispute alert, Visa RDR notice): read-only in the API,
    raised through the control plane."""

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


LegacyAlertType = Literal["fraud", "dispute", "dispute_rdr"]  # LEGACY_ALERT_TYPE's values
