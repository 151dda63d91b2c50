"""Shoplazza's part of a scenario file: stores, their access tokens, disputes by hand and in bulk."""


from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, PositiveFloat, PositiveInt

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
    timeline_problems,
)
from ...timefmt import parse_duration
from . import inferred
from .models import Status

Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class TokenSpec(Strict):
    token: str = Field(min_length=1, max_length=200, pattern=r"^\S+$")
    scopes: list[str] = Field(default_factory=lambda: [inferred.REQUIRED_SCOPE])


class AppSpec(Strict):
    """A public app installed on the store by OAuth (`/admin/oauth/authorize` then `/token`)."""

    client_id: str = Field(min_length=1, max_length=200, pattern=r"^\S+$")
    client_secret: str = Field(min_length=1, max_length=200, pattern=r"^\S+$")
    redirect_uri: str | None = Field(default=None, min_length=1, max_length=2000)  # None: any URI
    scopes: list[str] = Field(default_factory=lambda: [inferred.REQUIRED_SCOPE])  # granted when none asked
    token_lifetime: str = inferred.OAUTH_TOKEN_LIFETIME  # a duration like `30d`


class DisputeSpec(Strict):
    """A hand-written dispute: any field may be given, the rest is generated from the seed."""

    id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")
    status: Status = "needs_response"
    transaction_order_id: str | None = Field(default=None, min_length=1)
    original_order_id: str | None = Field(default=None, min_length=1)
    currency: Currency | None = None
    created_at: ScenarioTime | None = None
    updated_at: ScenarioTime | None = None
    expiration_time: ScenarioTime | None = None
    dispute_reason: str | None = Field(default=None, min_length=1)
    original_order_amount: Amount | None = None
    dispute_amount: Amount | None = None
    fee: Amount | None = None
    fee_currency: Currency | None = None


class GenerateSpec(GenerateBase):
    """Bulk disputes: `count` of them, statuses/reasons drawn from weights, created in a window."""

    statuses: Weights[Status] | None = None
    reasons: Weights[str] | None = None
    created_between: tuple[ScenarioTime, ScenarioTime] = ("-120d", "-1h")
    amount_between: Range[Amount] = (Decimal("10.00"), Decimal("400.00"))
    currencies: Weights[Currency] = Field(
        default_factory=lambda: {"USD": 0.7, "EUR": 0.15, "GBP": 0.1, "CAD": 0.05}
    )


class StoreSpec(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    subdomain: str = Field(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
    active: bool = True  # an inactive store answers {"error":"store is not active"}
    fee_currency: Currency = inferred.FEE_CURRENCY
    tokens: list[TokenSpec] = Field(default_factory=empty_list)
    apps: list[AppSpec] = Field(default_factory=empty_list)
    disputes: list[DisputeSpec] = Field(default_factory=empty_list)
    generate: GenerateSpec = Field(default_factory=GenerateSpec)


class RulesSpec(Strict):
    """Per-scenario overrides of the lifecycle windows (durations like `7d`, `90m`; `off` stops a review)."""

    response_window: RuleDuration | None = None
    warning_response_window: RuleDuration | None = None
    review_time: RuleDuration | None = None
    warning_review_time: RuleDuration | None = None


class RateLimitSpec(Strict):
    bucket_size: PositiveInt = inferred.RATE_BUCKET_SIZE
    leak_per_second: PositiveFloat = inferred.RATE_LEAK_PER_SECOND


class ShoplazzaTimelineEntry(TimelineEntry):
    action: Literal["set_status", "respond", "escalate", "resolve"]


class ShoplazzaSection(Strict):
    stores: list[StoreSpec] = Field(default_factory=empty_list)
    rules: RulesSpec = Field(default_factory=RulesSpec)
    timeline: list[ShoplazzaTimelineEntry] = Field(default_factory=empty_list)
    rate_limit: RateLimitSpec | None = RateLimitSpec() if inferred.RATE_LIMIT_ON_BY_DEFAULT else None
    auth_failure_status: Literal[400, 401] = inferred.AUTH_FAILURE_STATUS


def check_section(section: ShoplazzaSection) -> list[Problem]:
    """Duplicate ids, subdomains and tokens; timeline entries naming disputes that do not exist."""
    problems: list[Problem] = []
    unique = Uniques(problems)
    for si, store in enumerate(section.stores):
        loc = ("stores", si)
        unique.see("store id", store.id, loc + ("id",))
        unique.see("subdomain", store.subdomain, loc + ("subdomain",))
        for ti, token in enumerate(store.tokens):
            unique.see("token", token.token, loc + ("tokens", ti, "token"))
        for ai, app in enumerate(store.apps):
            unique.see("app client_id", app.client_id, loc + ("apps", ai, "client_id"))
            try:
                if parse_duration(app.token_lifetime).total_seconds() <= 0:
                    problems.append(Problem(loc + ("apps", ai, "token_lifetime"), "a lifetime must be longer than zero"))
            except ValueError as exc:
                problems.append(Problem(loc + ("apps", ai, "token_lifetime"), str(exc)))
        for di, dispute in enumerate(store.disputes):
            dloc = loc + ("disputes", di)
            unique.see("dispute id", dispute.id, dloc + ("id",))
            disputed, total = dispute.dispute_amount, dispute.original_order_amount
            if disputed is not None and total is not None and disputed > total:
                problems.append(
                    Problem(dloc + ("dispute_amount",), "dispute_amount exceeds original_order_amount")
                )
    problems += timeline_problems(section.timeline, lambda i: unique.has("dispute id", i), "dispute")
    for name in RulesSpec.model_fields:  # Shoplazza's response windows cannot be `off`, only its reviews
        value = getattr(section.rules, name)
        if value is None or (value == "off" and name.endswith("review_time")):
            continue
        try:
            if parse_duration(value).total_seconds() <= 0:
                problems.append(Problem(("rules", name), "a window must be longer than zero"))
        except ValueError as exc:
            problems.append(Problem(("rules", name), str(exc)))
    return problems
