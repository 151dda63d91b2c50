"""OrderProtection's part of a scenario file: stores, apps, tokens, orders and claims."""


from typing import Annotated, Literal, cast

from pydantic import Field, ValidationError

from ...scenario import (
    GenerateBase,
    Problem,
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
from . import inferred
from .models import ClaimFiledFrom, ClaimState, ClaimType, ResolutionType, SenderType

Scope = Literal[
    "read_claims",
    "write_claims",
    "manage_claims",
    "read_orders",
    "write_orders",
    "read_customers",
    "write_customers",
    "read_products",
    "write_products",
    "read_store",
    "manage_webhooks",
    "read_analytics",
    "write_settings",
]


class TokenSpec(Strict):
    token: str = Field(pattern=r"^op_at_[A-Za-z0-9_]+$")
    scopes: list[Scope] = Field(default_factory=lambda: cast(list[Scope], list(inferred.DEFAULT_TOKEN_SCOPES)))
    expires_at: ScenarioTime | None = None  # none: never expires


class AppSpec(Strict):
    client_id: str = Field(pattern=r"^op_app_[A-Za-z0-9_]+$")
    client_secret: str = Field(pattern=r"^op_secret_[A-Za-z0-9_]+$")
    stores: list[str] = Field(min_length=1)  # stores that installed the app
    scopes: list[Scope] = Field(default_factory=lambda: cast(list[Scope], list(inferred.READ_SCOPES)))


class ItemSpec(Strict):
    name: str | None = None
    sku: str | None = None
    source_item_id: str | None = None
    price: float | None = Field(default=None, ge=0)
    quantity: int = Field(default=1, ge=1, le=1000)


class OrderSpec(Strict):
    source_order_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:#-]+$")
    source_order_number: str | None = None
    customer_name: str | None = None
    customer_email: str | None = None
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    created_at: ScenarioTime | None = None
    fulfilled_at: ScenarioTime | None = None
    items: list[ItemSpec] | None = None
    premium_paid: float | None = Field(default=None, ge=0, le=1_000_000)  # none: 3 % of the subtotal
    protected: bool = True  # false: protection was removed (policyCancelledAt at creation)
    original_source_order_id: str | None = None  # this order replaces (reships) that one


class MessageSpec(Strict):
    sender_type: SenderType = "customer"
    message: str
    author_name: str | None = None


class ResolutionSpec(Strict):
    type: ResolutionType
    details: str | None = None
    paid_value: float | None = Field(default=None, ge=0)
    at: ScenarioTime | None = None


class ClaimSpec(Strict):
    """A hand-written claim: any field may be given, the rest is generated from the seed."""

    id: str | None = Field(default=None, pattern=r"^c[a-z0-9]{6,40}$")
    source_order_id: str | None = None  # an order of this store; none: one is generated
    state: ClaimState = "NEW"
    type: ClaimType | None = None
    created_at: ScenarioTime | None = None
    updated_at: ScenarioTime | None = None
    deleted_at: ScenarioTime | None = None
    author_name: str | None = None
    author_email: str | None = None
    description: str | None = None
    resolution_requested: ResolutionType | None = None
    claim_filed_from: ClaimFiledFrom = "EXTERNAL"
    is_ota: bool = False
    messages: list[MessageSpec] | None = None
    resolutions: list[ResolutionSpec] | None = None


class GenerateSpec(GenerateBase):
    """Bulk claims: `count`, states/types drawn from weights, created in a window."""

    states: Weights[ClaimState] | None = None
    types: Weights[ClaimType] | None = None
    created_between: tuple[ScenarioTime, ScenarioTime] = ("-90d", "-1h")
    deleted_share: float = Field(default=0.0, ge=0, le=1)  # soft-deleted claims (never listed)
    orders_without_claims: int = Field(default=0, ge=0, le=100_000)
    currencies: Weights[str] = Field(default_factory=lambda: {"USD": 0.8, "CAD": 0.1, "EUR": 0.1})


class StoreSpec(Strict):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    name: str | None = None
    tokens: list[TokenSpec] = Field(default_factory=empty_list)
    orders: list[OrderSpec] = Field(default_factory=empty_list)
    claims: list[ClaimSpec] = Field(default_factory=empty_list)
    generate: GenerateSpec = Field(default_factory=GenerateSpec)


class RulesSpec(Strict):
    """Per-scenario lifecycle windows (durations like `7d`, `90m`, or `off`)."""

    pending_auto_close: RuleDuration | None = None
    on_hold_return: RuleDuration | None = None


# -- action bodies: the control plane (`POST /_sandbox/orderprotection/claims/{id}/{action}`) and
# timeline `data` go through these models before anything changes ----------------------------------
Text = Annotated[str, Field(min_length=1, max_length=inferred.MAX_TEXT)]
Amount = Annotated[float, Field(ge=0, le=1_000_000_000, strict=True)]


class SetStateBody(Strict):
    state: ClaimState
    message: Text | None = None  # the system note; default "Claim status changed from … to …"


class MessageBody(Strict):
    message: Text
    sender_type: SenderType = "customer"
    author_name: Annotated[str, Field(max_length=255)] | None = None


class DecisionBody(Strict):
    type: ResolutionType | None = None  # default REFUND (approve) / NOT_COVERED (deny)
    details: Text | None = None
    paid_value: Amount | None = None


class DeleteBody(Strict):
    pass


class ProtectionBody(Strict):
    """`POST /_sandbox/orderprotection/stores/{store}/orders/{id}/protection`: the dashboard act."""

    action: Literal["add", "remove"]
    amount: Amount | None = None  # add: the charge to bill; default the order's premium


ACTION_BODIES: dict[str, type[Strict]] = {
    "set_state": SetStateBody,
    "message": MessageBody,
    "approve": DecisionBody,
    "deny": DecisionBody,
    "delete": DeleteBody,
}
Action = Literal["set_state", "message", "approve", "deny", "delete"]


class OrderProtectionTimelineEntry(TimelineEntry):
    action: Action


class OrderProtectionSection(Strict):
    stores: list[StoreSpec] = Field(default_factory=empty_list)
    apps: list[AppSpec] = Field(default_factory=empty_list)
    rules: RulesSpec = Field(default_factory=RulesSpec)
    timeline: list[OrderProtectionTimelineEntry] = Field(default_factory=empty_list)
    rate_limit_per_minute: int = Field(default=inferred.RATE_LIMIT_PER_MINUTE, ge=0)


def check_section(section: OrderProtectionSection) -> list[Problem]:
    """Duplicates, dangling store/order references, timeline ids that name no claim, bad durations."""
    problems: list[Problem] = []
    unique = Uniques(problems)
    for si, store in enumerate(section.stores):
        loc = ("stores", si)
        unique.see("store id", store.id, loc + ("id",))
        for ti, token in enumerate(store.tokens):
            unique.see("token", token.token, loc + ("tokens", ti, "token"))
        orders = Uniques(problems)  # order ids are per store
        for oi, order in enumerate(store.orders):
            orders.see("order", order.source_order_id, loc + ("orders", oi, "source_order_id"))
        for oi, order in enumerate(store.orders):
            original = order.original_source_order_id
            if original is not None and (original == order.source_order_id or not orders.has("order", original)):
                where = loc + ("orders", oi, "original_source_order_id")
                problems.append(Problem(where, f"no other order {original!r} in store {store.id!r}"))
        for ci, claim in enumerate(store.claims):
            unique.see("claim id", claim.id, loc + ("claims", ci, "id"))
            if claim.source_order_id is not None and not orders.has("order", claim.source_order_id):
                problems.append(
                    Problem(
                        loc + ("claims", ci, "source_order_id"),
                        f"no order {claim.source_order_id!r} in store {store.id!r}",
                    )
                )
    for ai, app in enumerate(section.apps):
        unique.see("client id", app.client_id, ("apps", ai, "client_id"))
        for xi, store_id in enumerate(app.stores):
            if not unique.has("store id", store_id):
                problems.append(Problem(("apps", ai, "stores", xi), f"no store {store_id!r}"))
    for ti, entry in enumerate(section.timeline):
        try:
            ACTION_BODIES[entry.action].model_validate(entry.data)
        except ValidationError as exc:
            for e in exc.errors():
                problems.append(Problem(("timeline", ti, "data", *e["loc"]), e["msg"]))
    return [
        *problems,
        *timeline_problems(section.timeline, lambda i: unique.has("claim id", i), "claim"),
        *rule_problems(section.rules),
    ]
