"""Whop's wire shapes for chargeback disputes, dispute alerts and files (the current and the legacy
family), apart from the records (dispute_models.py) so that a start does not create their pydantic
classes: sandbox/providers/__init__.py defers them.
"""

from typing import Any, Literal

from ...jsonresp import WireModel
from .dispute_models import (
    AlertType,
    DisputeReason,
    DisputeStatus,
    DocumentType,
    LegacyAlertType,
    LegacyStatus,
    LockedReason,
)
from .wire import Buyer, Money, PageInfo  # one declaration of the shapes cases and disputes share

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
