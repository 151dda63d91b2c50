"""Whop's vocabulary for resolution center cases (statuses, actions, reasons) and the sandbox's
internal case records: one store for both version families. The wire shapes, legacy (whop-sdk
0.0.41 field by field) and current (whop-sdk 2.6.0), are in wire.py, made on first use; the golden
tests validate the documented examples against them (docs/providers/whop.md)."""


from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from ...generate import IdForm
from . import inferred

new_id = IdForm(total=inferred.ID_LENGTH)
"""A Whop id: the prefix (`reso_`, `pay_`, …) and random base62, 18 characters in all."""

Status = Literal[
    "merchant_response_needed",
    "customer_response_needed",
    "merchant_info_needed",
    "customer_info_needed",
    "under_platform_review",
    "customer_won",
    "merchant_won",
    "customer_withdrew",
]
STATUSES: tuple[str, ...] = get_args(Status)
Issue = Literal[
    "forgot_to_cancel",
    "item_not_received",
    "significantly_not_as_described",
    "unauthorized_transaction",
    "product_unacceptable",
]
ISSUES: tuple[str, ...] = get_args(Issue)
CustomerAction = Literal["respond", "appeal", "withdraw"]
MerchantAction = Literal["accept", "deny", "request_more_info", "appeal", "respond"]
PlatformAction = Literal["request_buyer_info", "request_merchant_info", "merchant_wins", "merchant_refund"]
EventAction = Literal[
    "created",
    "responded",
    "accepted",
    "denied",
    "appealed",
    "withdrew",
    "requested_more_info",
    "escalated",
    "dispute_opened",
    "dispute_customer_won",
    "dispute_merchant_won",
]
ReporterType = Literal["merchant", "customer", "platform", "system"]
Direction = Literal["asc", "desc"]
DECIDED = ("customer_won", "merchant_won")
CURRENCIES = ("usd", "eur", "gbp", "cad", "aud", "jpy", "btc", "usdt")  # a subset of SDK's 91


# -- current shape (whop-sdk 2.6.0, Api-Version-Date >= inferred.CURRENT_SHAPE_FROM) -----------------

CurrentStatus = Literal["awaiting_merchant", "awaiting_customer", "under_review", "closed"]
CURRENT_STATUSES: tuple[str, ...] = get_args(CurrentStatus)
Outcome = Literal["customer_won", "merchant_won", "withdrawn"]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
Reason = Literal["fraudulent", "product_not_received", "not_as_described", "product_unacceptable", "subscription_canceled"]
REASONS: tuple[str, ...] = get_args(Reason)
Refund = Literal["none", "merchant", "platform"]
Action = Literal["accept", "deny", "request_info", "reply", "appeal", "withdraw"]
ACTIONS: tuple[str, ...] = get_args(Action)
Order = Literal["created_at", "response_due_at"]
SummaryGroup = Literal["status", "reason", "outcome"]
Role = Literal["merchant", "customer"]


# -- internal state ---------------------------------------------------------------------------


@dataclass(slots=True)
class EventRecord:
    """One entry in a case's history, shown as a `resolution_events` item in the legacy shape."""

    id: str
    action: str
    reporter_type: str
    details: str | None
    created_at: datetime
    attachments: list[str] = field(default_factory=list)  # att_ ids (current API writes)
    viewable_by_customer: bool = True


@dataclass(slots=True)
class CaseRecord:
    """A resolution center case, kept in the legacy vocabulary; the current shape reads the same record
    through `inferred.CURRENT_STATUS`."""

    id: str
    company_id: str
    status: str
    issue: str
    created_at: datetime
    updated_at: datetime
    due_date: datetime | None
    user_id: str
    user_name: str | None
    username: str
    payment_id: str
    payment_created_at: datetime
    paid_at: datetime | None
    currency: str | None
    total: float
    subtotal: float | None
    member_id: str | None
    customer_appealed: bool = False
    merchant_appealed: bool = False
    events: list[EventRecord] = field(default_factory=list)  # oldest first
    refund: str | None = None  # current API only: money moved when the case closed in the sandbox
    email: str | None = None  # the buyer's, shown to keys with member:email:read


@dataclass(slots=True)
class ApiKey:
    """A credential: a company (account) key acts as the merchant, a user token as the customer."""

    key: str
    company_id: str | None
    permissions: tuple[str, ...]
    user_id: str | None = None
    api_version_date: str | None = None  # the key's default version when the header is absent

    @property
    def role(self) -> str:
        return "merchant" if self.company_id else "customer"


@dataclass(slots=True)
class PaymentRecord:
    """A customer's payment, on which the customer may open one case (`receipt_id`)."""

    id: str
    company_id: str
    user_id: str
    total: float
    currency: str
    created_at: datetime


@dataclass(slots=True)
class CompanyRecord:
    """A company (merchant account) that cases and disputes belong to, as their `company` field shows."""

    id: str
    title: str
    exists: bool = True  # a deleted company serialises as `company: null`
