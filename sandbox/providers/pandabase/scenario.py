"""Pandabase's part of a scenario file: stores, their API tokens, cases and disputes by hand and in bulk."""


from typing import Annotated, Literal, cast

from pydantic import Field, StringConstraints, ValidationError

from ...scenario import (
    GenerateBase,
    Problem,
    Range,
    RuleDuration,
    ScenarioTime,
    Strict,
    TimelineEntry,
    Uniques,
    Weights,
    empty_list,
    rule_problems,
    timeline_problems,
)
from ...timefmt import parse_duration
from . import inferred
from .models import CasePriority, CaseStatus, DisputeReason, DisputeStatus, OrderStatus, Scope, SenderType

PathId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{12,48}$")]  # documented 12-48 chars


class TokenSpec(Strict):
    secret: str = Field(pattern=r"^sk_[A-Za-z0-9_]+$")
    id: str | None = Field(default=None, pattern=r"^stk_[A-Za-z0-9_]+$")  # HMAC-mode token id
    scopes: list[Scope] = Field(default_factory=lambda: cast(list[Scope], list(inferred.DEFAULT_SCOPES)))


class CustomerSpec(Strict):
    id: PathId | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    guest: bool | None = None  # checked out without an account; default: a customer without a name


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
    attachments: list[AttachmentSpec] = Field(default_factory=empty_list)


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


class DisputeSpec(Strict):
    """A hand-written dispute (chargeback) on its own order, or on the order of a hand-written case."""

    id: PathId | None = None
    status: DisputeStatus = "AWAITING_REVIEW"
    reason: DisputeReason | None = None
    created_at: ScenarioTime | None = None  # the evidence window runs from here
    updated_at: ScenarioTime | None = None
    evidence: str | None = Field(default=None, min_length=1, max_length=20_000)  # the access_activity_log
    method: str = Field(default="card", min_length=1)
    fee: int | None = Field(default=None, ge=0)  # cents; default 2000, 3000 when PREVENTED
    total_amount: int | None = Field(default=None, ge=0)
    case: PathId | None = None  # dispute the order of this hand-written case (same store)
    customer: CustomerSpec | None = None
    order: OrderSpec | None = None


class DisputeGenerateSpec(Strict):
    """Bulk disputes, each on an order of its own, made at load (they are few)."""

    count: int = Field(default=0, ge=0, le=20_000)
    statuses: Weights[DisputeStatus] | None = None
    created_between: tuple[ScenarioTime, ScenarioTime] = ("-60d", "-1h")


class GenerateSpec(GenerateBase):
    """Bulk cases: `count` of them, statuses/priorities drawn from weights, created in a window."""

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
    tokens: list[TokenSpec] = Field(default_factory=empty_list)
    cases: list[CaseSpec] = Field(default_factory=empty_list)
    generate: GenerateSpec = Field(default_factory=GenerateSpec)
    disputes: list[DisputeSpec] = Field(default_factory=empty_list)
    generate_disputes: DisputeGenerateSpec = Field(default_factory=DisputeGenerateSpec)


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
        "open_dispute",  # on a case: its order is disputed
        "submit_evidence",  # on a dispute, as the merchant would
        "resolve_dispute",  # on a dispute: {"outcome": "WON" | "LOST" | "PREVENTED"}
    ]


class PandabaseSection(Strict):
    stores: list[StoreSpec] = Field(default_factory=empty_list)
    rules: RulesSpec = Field(default_factory=RulesSpec)
    rate_limits: RateLimitSpec = Field(default_factory=RateLimitSpec)
    timeline: list[PandabaseTimelineEntry] = Field(default_factory=empty_list)


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
        cases = set()
        for ci, case in enumerate(store.cases):
            unique.see("case id", case.id, loc + ("cases", ci, "id"))
            cases.add(case.id)
        for di, dispute in enumerate(store.disputes):
            where = loc + ("disputes", di)
            unique.see("dispute id", dispute.id, where + ("id",))
            unique.see("disputed case", dispute.case, where + ("case",))
            if dispute.case is not None and dispute.case not in cases:
                problems.append(Problem(where + ("case",), f"no hand-written case {dispute.case!r} in this store"))
            if dispute.case is not None and dispute.order is not None:
                problems.append(Problem(where + ("order",), "give `case` or `order`, not both"))
            if dispute.status == "AWAITING_REVIEW" and dispute.evidence is not None:
                problems.append(Problem(where + ("evidence",), "evidence moves a dispute to UNDER_REVIEW"))
            if dispute.status == "UNDER_REVIEW" and dispute.evidence is None:
                problems.append(Problem(where + ("evidence",), "an UNDER_REVIEW dispute has evidence"))
            problems += _lapsed(section.rules, dispute, where)
    return [
        *problems,
        *timeline_problems(section.timeline, lambda i: unique.has("case id", i) or unique.has("dispute id", i), "case"),
        *_timeline_data(section.timeline),
        *rule_problems(section.rules),
    ]


def _timeline_data(timeline: list[PandabaseTimelineEntry]) -> list[Problem]:
    """Each entry's `data` against its action's body model, as the control plane checks it."""
    from .actions import ACTION_BODIES

    problems = []
    for i, entry in enumerate(timeline):
        try:
            ACTION_BODIES[entry.action].model_validate(entry.data)
        except ValidationError as exc:
            for item in exc.errors(include_url=False):
                problems.append(Problem(("timeline", i, "data", *item["loc"]), item["msg"]))
    return problems


def _lapsed(rules: RulesSpec, dispute: DisputeSpec, where: tuple) -> list[Problem]:
    """An AWAITING_REVIEW dispute opened longer ago than the evidence window would load as LOST."""
    created = dispute.created_at or ""
    if dispute.status != "AWAITING_REVIEW" or not created.startswith("-"):
        return []
    window = rules.dispute_evidence_window
    try:
        limit = inferred.DISPUTE_EVIDENCE_WINDOW if window is None else None if window == "off" else parse_duration(window)
        age = parse_duration(created[1:])
    except ValueError:
        return []  # reported elsewhere
    if limit is not None and age >= limit:
        return [Problem(where + ("created_at",), f"the evidence window ({limit}) has passed: it would load as LOST")]
    return []
