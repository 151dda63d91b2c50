"""Riverty's part of a scenario: clients with shops (one X-Auth-Key per shop and country),
disputes by hand and in bulk, lifecycle rule overrides and a timeline."""


from typing import Literal

from pydantic import Field, PositiveInt

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
from . import inferred, tables

GUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
# Built from the one table that holds the values (pydantic reads them at run time; mypy cannot).
ReasonCode = Literal[tables.REASON_CODES]  # type: ignore[valid-type]
Decision = Literal[tables.DECISIONS]  # type: ignore[valid-type]


class ShopSpec(Strict):
    shop_id: str = Field(pattern=r"^[A-Z]{3}\d{9}$")
    country_code: str = Field(pattern=r"^[A-Z]{2}$")
    api_key: str = Field(min_length=1)


class AttachmentSpec(Strict):
    original_file_name: str = Field(min_length=1)
    size: int | None = Field(default=None, ge=1)
    created_at: ScenarioTime | None = None


class CommentSpec(Strict):
    author: Literal["Client", "Customer", "Agent"] = "Customer"
    body: str = Field(min_length=1, max_length=10000)
    visibility: int = Field(default=6, ge=1, le=7)
    at: ScenarioTime | None = None


class DisputeSpec(Strict):
    """A hand-written dispute: any field may be given, the rest is generated from the seed."""

    id: str | None = Field(default=None, pattern=GUID)
    shop_id: str | None = None  # defaults to a random shop of the client
    country_code: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")  # picks among the shop's countries
    stage: int = Field(default=1, ge=1, le=7)
    rfi_party: Literal["shop", "customer"] | None = None
    decision: Decision | None = None
    reason_code: ReasonCode | None = None
    ticket_number: str | None = Field(default=None, pattern=r"^D-\d{4}-\d{4}$")
    invoice_number: str | None = Field(default=None, min_length=1)
    amount: str | None = Field(default=None, pattern=r"^\d+\.\d{2}$")
    dispute_amount: str | None = Field(default=None, pattern=r"^\d+\.\d{2}$")
    description: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    created_at: ScenarioTime | None = None
    updated_at: ScenarioTime | None = None
    deadline: ScenarioTime | None = None
    show_in_merchant_ui: bool = True
    attachments: list[AttachmentSpec] | None = None
    comments: list[CommentSpec] | None = None


class GenerateSpec(GenerateBase):
    """Bulk disputes: `count`, stages and reasons drawn from weights, created in a window."""

    stages: Weights[int] | None = None
    reasons: Weights[ReasonCode] | None = None
    created_between: tuple[ScenarioTime, ScenarioTime] = ("-120d", "-1h")
    amount_between: Range[float] = (5.0, 900.0)
    hidden_share: float = Field(default=0.05, ge=0, le=1)  # showInMerchantUi = false


class ClientSpec(Strict):
    id: PositiveInt
    name: str = Field(min_length=1)
    email: str = Field(min_length=3)
    country_code: str = Field(default="DE", pattern=r"^[A-Z]{2}$")
    shops: list[ShopSpec] = Field(min_length=1)
    disputes: list[DisputeSpec] = Field(default_factory=empty_list)
    generate: GenerateSpec = Field(default_factory=GenerateSpec)


class RulesSpec(Strict):
    """Lifecycle windows (durations like `21d`, `90m`); `off` stops that automatic step."""

    rfi_after: RuleDuration | None = None
    rfi_window: RuleDuration | None = None
    review_time: RuleDuration | None = None
    appeal_window: RuleDuration | None = None


class UploadLimits(Strict):
    """What `POST /attachments` may keep in one build (reset releases it); past it → 413."""

    max_files: PositiveInt = inferred.UPLOAD_STORE_FILES
    max_bytes: PositiveInt = inferred.UPLOAD_STORE_BYTES


class RivertyTimelineEntry(TimelineEntry):
    action: Literal[
        "request_info", "supply_info", "decide", "appeal", "final_decision", "cancel",
        "customer_comment", "agent_comment", "set_stage",
    ]


class RivertySection(Strict):
    clients: list[ClientSpec] = Field(default_factory=empty_list)
    rules: RulesSpec = Field(default_factory=RulesSpec)
    timeline: list[RivertyTimelineEntry] = Field(default_factory=empty_list)
    unknown_dispute_status: Literal[204, 404] | None = None
    rate_limit_per_minute: PositiveInt | None = None
    uploads: UploadLimits = Field(default_factory=UploadLimits)


def check_section(section: RivertySection) -> list[Problem]:
    """Duplicate clients, shops, keys, dispute ids and ticket numbers; dangling references."""
    problems: list[Problem] = []
    unique = Uniques(problems)
    for ci, client in enumerate(section.clients):
        loc = ("clients", ci)
        unique.see("client id", client.id, loc + ("id",), shown=str(client.id))
        if client.country_code not in tables.COUNTRIES:
            problems.append(Problem(loc + ("country_code",), f"unknown country {client.country_code!r}"))
        own_shops = {s.shop_id for s in client.shops}
        for si, shop in enumerate(client.shops):
            sloc = loc + ("shops", si)
            shop_key = (shop.shop_id, shop.country_code)
            unique.see("shop", shop_key, sloc, shown=f"{shop.shop_id}/{shop.country_code}")
            unique.see("api_key", shop.api_key, sloc + ("api_key",))
            if shop.country_code not in tables.COUNTRIES:
                problems.append(Problem(sloc + ("country_code",), f"unknown country {shop.country_code!r}"))
        for di, dispute in enumerate(client.disputes):
            dloc = loc + ("disputes", di)
            if dispute.id is not None:
                unique.see("dispute id", dispute.id.lower(), dloc + ("id",), shown=repr(dispute.id))
            unique.see("ticket", dispute.ticket_number, dloc + ("ticket_number",))
            if dispute.shop_id is not None and dispute.shop_id not in own_shops:
                problems.append(Problem(dloc + ("shop_id",), f"client {client.id} has no shop {dispute.shop_id!r}"))
            if dispute.country_code is not None and not any(
                s.country_code == dispute.country_code and dispute.shop_id in (None, s.shop_id) for s in client.shops
            ):
                problems.append(Problem(dloc + ("country_code",), f"client {client.id} has no such shop in {dispute.country_code}"))
            if dispute.decision is not None and dispute.stage not in tables.DECIDED_STAGES:
                problems.append(Problem(dloc + ("decision",), "a decision needs stage 4 or 6"))
        for stage in client.generate.stages or {}:
            if stage not in tables.STAGES:
                problems.append(Problem(loc + ("generate", "stages", stage), f"no stage {stage} (1-7)"))
    return [
        *problems,
        *timeline_problems(section.timeline, lambda i: unique.has("dispute id", i.lower()), "dispute"),
        *rule_problems(section.rules),
    ]
