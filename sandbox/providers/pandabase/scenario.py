"""Pandabase's part of a scenario file: stores, their API tokens, cases by hand and in bulk."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ...scenario import (
    Problem,
    Range,
    RuleDuration,
    ScenarioTime,
    Strict,
    TimelineEntry,
    Uniques,
    Weights,
    rule_problems,
    timeline_problems,
)
from . import inferred
from .models import CasePriority, CaseStatus, OrderStatus, SenderType

Scope = Literal["CASES_READ", "CASES_WRITE", "DISPUTES_READ", "DISPUTES_WRITE", "ORDERS_READ"]
PathId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{12,48}$")]  # documented 12-48 chars


class TokenSpec(Strict):
    secret: str = Field(pattern=r"^sk_[A-Za-z0-9_]+$")
    id: str | None = Field(default=None, pattern=r"^stk_[A-Za-z0-9_]+$")  # HMAC-mode token id
    scopes: list[Scope] = Field(default_factory=lambda: list(inferred.DEFAULT_SCOPES))


class CustomerSpec(Strict):
    id: PathId | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None


class OrderSpec(Strict):
    id: PathId | None = None
    order_number: str | None = None
    amount: int | None = Field(default=None, ge=0)  # cents
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    status: OrderStatus = "COMPLETED"
    created_at: ScenarioTime | None = None


class AttachmentSpec(Strict):
    filename: str = Field(min_length=1, max_length=255)
    mime_type: str = "image/png"
    size_bytes: int = Field(default=120_000, ge=1, le=10_485_760)


class MessageSpec(Strict):
    sender_type: SenderType = "CUSTOMER"
    body: str = Field(min_length=1)
    at: ScenarioTime | None = None
    attachments: list[AttachmentSpec] = Field(default_factory=list)


class CaseSpec(Strict):
    """A hand-written case: any field may be given, the rest is generated from the seed."""

    id: PathId | None = None
    subject: str | None = None
    status: CaseStatus = "AWAITING_MERCHANT"
    priority: CasePriority | None = None
    escalated: bool | None = None
    created_at: ScenarioTime | None = None
    closed_at: ScenarioTime | None = None
    closed_by: Literal["MERCHANT", "CUSTOMER", "STAFF", "SYSTEM"] | None = None
    unread_count: int | None = Field(default=None, ge=0)
    customer: CustomerSpec | None = None
    order: OrderSpec | None = None
    messages: list[MessageSpec] | None = None  # the thread after the SYSTEM "Case opened" line


class GenerateSpec(Strict):
    """Bulk cases: `count` of them, statuses/priorities drawn from weights, created in a window."""

    count: int = Field(default=0, ge=0, le=2_000_000)
    statuses: Weights[CaseStatus] | None = None
    priorities: Weights[CasePriority] | None = None
    created_between: tuple[ScenarioTime, ScenarioTime] = ("-90d", "-1h")
    escalated_share: float = Field(default=0.08, ge=0, le=1)
    amount_between: Range[int] = (500, 25_000)  # cents
    currencies: Weights[str] = Field(default_factory=lambda: {"USD": 0.8, "EUR": 0.15, "GBP": 0.05})
    customers: int | None = Field(default=None, ge=1)  # pool size; default a third of `count`


class StoreSpec(Strict):
    id: PathId
    name: str = Field(min_length=1)
    tokens: list[TokenSpec] = Field(default_factory=list)
    cases: list[CaseSpec] = Field(default_factory=list)
    generate: GenerateSpec = Field(default_factory=GenerateSpec)


class RulesSpec(Strict):
    """Per-scenario overrides (durations like `14d`, `90m`; `off` disables)."""

    auto_close_after: RuleDuration | None = None
    new_case_status: Literal["OPEN", "AWAITING_MERCHANT"] = inferred.NEW_CASE_STATUS
    auto_reply: str | None = None  # the merchant's auto-reply text; none by default
    other_store_status: Literal[403, 404] = inferred.OTHER_STORE_STATUS
    dispute_evidence_window: RuleDuration | None = None


class RateLimitSpec(Strict):
    per_second: int = Field(default=inferred.REQUESTS_PER_SECOND, ge=0)  # 0: off
    replies_per_minute: int = Field(default=inferred.REPLIES_PER_MINUTE, ge=0)


class PandabaseTimelineEntry(TimelineEntry):
    action: Literal[
        "customer_reply",
        "staff_reply",
        "merchant_reply",
        "set_status",
        "set_priority",
        "customer_close",
        "close",
        "open_dispute",
    ]


class PandabaseSection(Strict):
    stores: list[StoreSpec] = Field(default_factory=list)
    rules: RulesSpec = Field(default_factory=RulesSpec)
    rate_limits: RateLimitSpec = Field(default_factory=RateLimitSpec)
    timeline: list[PandabaseTimelineEntry] = Field(default_factory=list)


def check_section(section: PandabaseSection) -> list[Problem]:
    """Duplicate ids and secrets, timeline entries naming cases that do not exist, bad durations."""
    problems: list[Problem] = []
    unique = Uniques(problems)
    for si, store in enumerate(section.stores):
        loc = ("stores", si)
        unique.see("store id", store.id, loc + ("id",))
        for ti, token in enumerate(store.tokens):
            unique.see("token secret", token.secret, loc + ("tokens", ti, "secret"))
            unique.see("token id", token.id, loc + ("tokens", ti, "id"))
        for ci, case in enumerate(store.cases):
            unique.see("case id", case.id, loc + ("cases", ci, "id"))
    return [
        *problems,
        *timeline_problems(section.timeline, lambda i: unique.has("case id", i), "case"),
        *rule_problems(section.rules),
    ]
