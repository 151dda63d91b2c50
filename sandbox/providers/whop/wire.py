"""Whop's wire shapes for resolution center cases (the legacy and the current family), apart from
the records (models.py) so that a start, which builds only records, does not create their pydantic
classes: sandbox/providers/__init__.py defers them. The shapes cases and disputes
share (Buyer, Money, PageInfo) are declared here once.
"""

from ...jsonresp import WireModel
from .models import (
    Action,
    CurrentStatus,
    CustomerAction,
    EventAction,
    Issue,
    MerchantAction,
    Outcome,
    PlatformAction,
    Reason,
    Refund,
    ReporterType,
    Status,
)


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


class AccountSummary(WireModel):
    id: str
    title: str


class Buyer(WireModel):
    email: str | None
    member_id: str | None
    name: str | None
    user_id: str | None
    username: str | None


class ResolutionPayment(WireModel):
    id: str
    created_at: str
    card_brand: str | None
    card_last4: str | None
    payment_method_type: str | None


class Money(WireModel):
    amount: str
    currency: str
    decimals: int
    display_decimals: int


class LineItem(WireModel):
    id: str | None
    label: str | None
    plan_id: str | None
    plan_title: str | None
    product_id: str | None
    product_title: str | None
    quantity: float
    sku: str | None
    subtotal: Money | None


class CurrentCase(WireModel):
    id: str
    status: CurrentStatus
    escalated: bool
    outcome: Outcome | None
    refund: Refund | None
    reason: Reason
    available_actions: list[Action]
    amount: float
    currency: str | None
    customer_appealed: bool
    response_due_at: str | None
    created_at: str
    updated_at: str
    account: AccountSummary | None
    buyer: Buyer
    payment: ResolutionPayment
    line_items: list[LineItem]
    plan_id: str | None
    product_id: str | None


class Attachment(WireModel):
    id: str
    content_type: str | None
    filename: str | None
    url: str | None


class CurrentEvent(WireModel):
    id: str
    action: EventAction
    reporter_type: ReporterType
    details: str | None
    attachments: list[Attachment]
    created_at: str
    viewable_by_customer: bool
    viewable_by_merchant: bool


class SummaryGroups(WireModel):
    status: dict[CurrentStatus, int] | None = None
    reason: dict[Reason, int] | None = None
    outcome: dict[Outcome, int] | None = None


class Summary(WireModel):
    total: int
    groups: SummaryGroups


class CurrentListResponse(WireModel):
    data: list[CurrentCase]
    page_info: PageInfo


class EventListResponse(WireModel):
    data: list[CurrentEvent]
    page_info: PageInfo
