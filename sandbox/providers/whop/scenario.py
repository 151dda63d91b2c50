"""Whop's part of a scenario file: companies, their API keys, customers (user tokens and their
payments), cases by hand and in bulk."""


from typing import Literal

from pydantic import Field, NonNegativeInt, ValidationError

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
from . import inferred, versions
from .dispute_scenario import AlertGenerateSpec, AlertSpec, DisputeGenerateSpec, DisputeSpec, dispute_problems
from .models import EventAction, Issue, ReporterType, Status


class ApiKeySpec(Strict):
    key: str = Field(min_length=1)
    permissions: list[str] = Field(default_factory=lambda: [inferred.REQUIRED_PERMISSION])
    api_version_date: str | None = None  # the key's default when a request sends no Api-Version-Date


class PaymentSpec(Strict):
    """A customer's payment at a company: what `POST /resolution_center_cases` takes as `receipt_id`."""

    id: str = Field(pattern=r"^pay_[A-Za-z0-9]+$")
    company_id: str = Field(pattern=r"^biz_[A-Za-z0-9]+$")
    total: float = Field(default=49.0, ge=0, le=1_000_000)
    currency: str = Field(default="usd", pattern=r"^[a-z]{3}$")
    created_at: ScenarioTime = "-10d"


class CustomerSpec(Strict):
    """A Whop user with a token: acts as the customer on the cases it opened (`user_id`)."""

    token: str = Field(min_length=1)
    user_id: str = Field(pattern=r"^user_[A-Za-z0-9]+$")
    name: str | None = None
    username: str = Field(default="customer", min_length=1)
    email: str | None = None
    permissions: list[str] = Field(default_factory=lambda: list(inferred.CUSTOMER_PERMISSIONS))
    api_version_date: str | None = None
    payments: list[PaymentSpec] = Field(default_factory=empty_list)


class EventSpec(Strict):
    action: EventAction
    reporter_type: ReporterType = "customer"
    details: str | None = None
    at: ScenarioTime | None = None


class CaseSpec(Strict):
    """A hand-written case: any field may be given, the rest is generated from the seed."""

    id: str | None = Field(default=None, pattern=r"^reso_[A-Za-z0-9]+$")
    user_id: str | None = Field(default=None, pattern=r"^user_[A-Za-z0-9]+$")  # a customer's, to act on it
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


class GenerateSpec(GenerateBase):
    """Bulk cases: `count` of them, statuses/issues drawn from weights, created in a window."""

    statuses: Weights[Status] | None = None
    issues: Weights[Issue] | None = None
    created_between: tuple[ScenarioTime, ScenarioTime] = ("-120d", "-1h")
    total_between: Range[float] = (5.0, 500.0)
    currencies: Weights[str] = Field(default_factory=lambda: {"usd": 0.85, "eur": 0.1, "gbp": 0.05})


class CompanySpec(Strict):
    id: str = Field(pattern=r"^biz_[A-Za-z0-9]+$")
    title: str = Field(min_length=1)
    deleted: bool = False
    api_keys: list[ApiKeySpec] = Field(default_factory=empty_list)
    cases: list[CaseSpec] = Field(default_factory=empty_list)
    generate: GenerateSpec = Field(default_factory=GenerateSpec)
    disputes: list[DisputeSpec] = Field(default_factory=empty_list)
    dispute_alerts: list[AlertSpec] = Field(default_factory=empty_list)
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


class ActionData(Strict):
    """What a case control or timeline entry carries (`details` and `message` are the same note)."""

    details: str | None = Field(default=None, max_length=inferred.MESSAGE_MAX_LENGTH)
    message: str | None = Field(default=None, max_length=inferred.MESSAGE_MAX_LENGTH)


class SetStatusData(ActionData):
    status: Status
    event: EventAction = "responded"
    reporter_type: ReporterType = "platform"


class RequestInfoData(ActionData):
    from_: Literal["customer", "merchant"] = Field(default="customer", alias="from")


class AppealData(ActionData):
    by: Literal["customer", "merchant"] | None = None


class DecideData(ActionData):
    winner: Literal["customer", "merchant"]
    # whose money moved (current API `refund`); `platform`: Whop refunded, the merchant kept the funds
    refund: Literal["none", "merchant", "platform"] | None = None


class ResolveData(ActionData):
    outcome: Literal["customer_won", "merchant_won"]
    refund: Literal["none", "merchant", "platform"] | None = None


# The body model of every case control and timeline action, validated before anything is stored
ACTION_DATA: dict[str, type[ActionData]] = {
    "set_status": SetStatusData,
    "customer_reply": ActionData,
    "merchant_reply": ActionData,
    "request_info": RequestInfoData,
    "appeal": AppealData,
    "decide": DecideData,
    "withdraw": ActionData,
    "resolve": ResolveData,
}


class WhopTimelineEntry(TimelineEntry):
    action: Literal[
        "set_status", "customer_reply", "merchant_reply", "request_info", "appeal", "decide", "withdraw"
    ]


class WhopSection(Strict):
    companies: list[CompanySpec] = Field(default_factory=empty_list)
    customers: list[CustomerSpec] = Field(default_factory=empty_list)
    rules: RulesSpec = Field(default_factory=RulesSpec)
    timeline: list[WhopTimelineEntry] = Field(default_factory=empty_list)
    rate_limit_per_minute: NonNegativeInt = inferred.RATE_LIMIT_PER_MINUTE  # 0: no limit


def check_section(section: WhopSection) -> list[Problem]:
    """Duplicate ids and keys, unknown versions, payments at unknown companies, timeline entries
    naming cases that do not exist."""
    unique = Uniques()
    problems: list[Problem] = []

    def version(value: str | None, loc: tuple) -> None:
        message = versions.problem(value) if value is not None else None
        if message:
            problems.append(Problem(loc, f"unknown api_version_date {value!r}"))

    for ci, company in enumerate(section.companies):
        loc = ("companies", ci)
        unique.see("company id", company.id, loc + ("id",))
        for ki, key in enumerate(company.api_keys):
            unique.see("API key", key.key, loc + ("api_keys", ki, "key"))
            version(key.api_version_date, loc + ("api_keys", ki, "api_version_date"))
        for xi, case in enumerate(company.cases):
            unique.see("case id", case.id, loc + ("cases", xi, "id"))
    for ui, customer in enumerate(section.customers):
        loc = ("customers", ui)
        unique.see("API key", customer.token, loc + ("token",))
        unique.see("user id", customer.user_id, loc + ("user_id",))
        version(customer.api_version_date, loc + ("api_version_date",))
        for pi, payment in enumerate(customer.payments):
            unique.see("payment id", payment.id, loc + ("payments", pi, "id"))
            if not unique.has("company id", payment.company_id):
                problems.append(Problem(loc + ("payments", pi, "company_id"), f"unknown company {payment.company_id!r}"))
    for ti, entry in enumerate(section.timeline):
        try:
            ACTION_DATA[entry.action].model_validate(entry.data)
        except ValidationError as exc:
            for e in exc.errors():
                problems.append(Problem(("timeline", ti, "data", *e["loc"]), e["msg"]))
    return [
        *unique.problems,
        *problems,
        *rule_problems(section.rules),
        *timeline_problems(section.timeline, lambda i: unique.has("case id", i), "case"),
        *dispute_problems(section),
    ]
