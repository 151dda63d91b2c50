"""Whop's part of a scenario file: companies, their API keys, cases by hand and in bulk."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, NonNegativeInt

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
from .dispute_scenario import AlertGenerateSpec, AlertSpec, DisputeGenerateSpec, DisputeSpec, dispute_problems
from .models import EventAction, Issue, ReporterType, Status


class ApiKeySpec(Strict):
    key: str = Field(min_length=1)
    permissions: list[str] = Field(default_factory=lambda: [inferred.REQUIRED_PERMISSION])


class EventSpec(Strict):
    action: EventAction
    reporter_type: ReporterType = "customer"
    details: str | None = None
    at: ScenarioTime | None = None


class CaseSpec(Strict):
    """A hand-written case: any field may be given, the rest is generated from the seed."""

    id: str | None = Field(default=None, pattern=r"^reso_[A-Za-z0-9]+$")
    status: Status = "merchant_response_needed"
    issue: Issue | None = None
    created_at: ScenarioTime | None = None
    updated_at: ScenarioTime | None = None
    due_date: ScenarioTime | None = None
    customer_appealed: bool = False
    merchant_appealed: bool = False
    user_name: str | None = None
    username: str | None = None
    total: float | None = Field(default=None, ge=0)
    currency: str | None = None
    events: list[EventSpec] | None = None


class GenerateSpec(Strict):
    """Bulk cases: `count` of them, statuses/issues drawn from weights, created in a window."""

    count: int = Field(default=0, ge=0, le=2_000_000)
    statuses: Weights[Status] | None = None
    issues: Weights[Issue] | None = None
    created_between: tuple[ScenarioTime, ScenarioTime] = ("-120d", "-1h")
    total_between: Range[float] = (5.0, 500.0)
    currencies: Weights[str] = Field(default_factory=lambda: {"usd": 0.85, "eur": 0.1, "gbp": 0.05})


class CompanySpec(Strict):
    id: str = Field(pattern=r"^biz_[A-Za-z0-9]+$")
    title: str = Field(min_length=1)
    deleted: bool = False
    api_keys: list[ApiKeySpec] = Field(default_factory=list)
    cases: list[CaseSpec] = Field(default_factory=list)
    generate: GenerateSpec = Field(default_factory=GenerateSpec)
    disputes: list[DisputeSpec] = Field(default_factory=list)
    dispute_alerts: list[AlertSpec] = Field(default_factory=list)
    generate_disputes: DisputeGenerateSpec = Field(default_factory=DisputeGenerateSpec)
    generate_dispute_alerts: AlertGenerateSpec = Field(default_factory=AlertGenerateSpec)
    dispute_alert_auto_refund_threshold_usd: float | None = Field(default=None, ge=0)  # AccountDisputeAlertAutoRefundControl


class RulesSpec(Strict):
    """Per-scenario overrides of the lifecycle windows (durations like `7d`, `90m`)."""

    merchant_response_window: RuleDuration | None = None
    info_request_window: RuleDuration | None = None
    platform_review_time: RuleDuration | None = None  # `off`: no automatic decisions
    dispute_evidence_window: RuleDuration | None = None  # `off`: evidence never falls due by itself
    dispute_decision_time: RuleDuration | None = None  # `off`: the processor rules only by control


class WhopTimelineEntry(TimelineEntry):
    action: Literal[
        "set_status", "customer_reply", "merchant_reply", "request_info", "appeal", "decide", "withdraw"
    ]


class WhopSection(Strict):
    companies: list[CompanySpec] = Field(default_factory=list)
    rules: RulesSpec = Field(default_factory=RulesSpec)
    timeline: list[WhopTimelineEntry] = Field(default_factory=list)
    rate_limit_per_minute: NonNegativeInt = inferred.RATE_LIMIT_PER_MINUTE  # 0: no limit


def check_section(section: WhopSection) -> list[Problem]:
    """Duplicate ids and keys, timeline entries naming cases that do not exist."""
    unique = Uniques()
    for ci, company in enumerate(section.companies):
        loc = ("companies", ci)
        unique.see("company id", company.id, loc + ("id",))
        for ki, key in enumerate(company.api_keys):
            unique.see("API key", key.key, loc + ("api_keys", ki, "key"))
        for xi, case in enumerate(company.cases):
            unique.see("case id", case.id, loc + ("cases", xi, "id"))
    return [
        *unique.problems,
        *rule_problems(section.rules),
        *timeline_problems(section.timeline, lambda i: unique.has("case id", i), "case"),
        *dispute_problems(section),
    ]
