"""Whop's wire shapes (SDK 0.0.41 field by field) and the sandbox's internal case record.

The pydantic models are what the sandbox serialises with, so the golden test that validates the
seed's example against them checks the very shapes we emit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from ...jsonresp import WireModel

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
STATUSES: tuple[str, ...] = Status.__args__
Issue = Literal[
    "forgot_to_cancel",
    "item_not_received",
    "significantly_not_as_described",
    "unauthorized_transaction",
    "product_unacceptable",
]
ISSUES: tuple[str, ...] = Issue.__args__
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


class Company(WireModel):
    id: str
    title: str


class User(WireModel):
    id: str
    name: str | None
    username: str


class PaymentRef(WireModel):
    id: str


class Payment(WireModel):
    id: str
    created_at: str
    currency: str | None
    paid_at: str | None
    total: float
    subtotal: float | None


class Member(WireModel):
    id: str


class ResolutionEvent(WireModel):
    id: str
    action: EventAction
    reporter_type: ReporterType
    details: str | None
    created_at: str


class ListItem(WireModel):
    id: str
    status: Status
    issue: Issue
    created_at: str
    updated_at: str
    due_date: str | None
    customer_appealed: bool
    merchant_appealed: bool
    customer_response_actions: list[CustomerAction]
    merchant_response_actions: list[MerchantAction]
    company: Company | None
    user: User
    payment: PaymentRef


class Case(WireModel):
    id: str
    status: Status
    issue: Issue
    created_at: str
    updated_at: str
    due_date: str | None
    customer_appealed: bool
    merchant_appealed: bool
    customer_response_actions: list[CustomerAction]
    merchant_response_actions: list[MerchantAction]
    company: Company | None
    user: User
    platform_response_actions: list[PlatformAction]
    payment: Payment
    member: Member | None
    resolution_events: list[ResolutionEvent]


class PageInfo(WireModel):
    end_cursor: str | None
    start_cursor: str | None
    has_next_page: bool
    has_previous_page: bool


class ListResponse(WireModel):
    data: list[ListItem]
    page_info: PageInfo


# -- internal state ---------------------------------------------------------------------------


@dataclass(slots=True)
class EventRecord:
    id: str
    action: str
    reporter_type: str
    details: str | None
    created_at: datetime


@dataclass(slots=True)
class CaseRecord:
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


@dataclass(slots=True)
class ApiKey:
    key: str
    company_id: str
    permissions: tuple[str, ...]


@dataclass(slots=True)
class CompanyRecord:
    id: str
    title: str
    exists: bool = True  # a deleted company serialises as `company: null`
