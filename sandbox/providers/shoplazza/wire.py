"""Shoplazza's wire shapes (disputes, webhooks, the OAuth token and the error bodies), apart from the
records (models.py) so that a start, which builds only records, does not create their pydantic
classes: sandbox/providers/__init__.py defers them.
"""

from typing import Literal

from ...jsonresp import WireModel
from .models import IsoTime, Money, Status


class Dispute(WireModel):
    """The 14 string fields, in the seed's order (list items and `data.dispute` alike)."""

    id: str
    transaction_order_id: str
    original_order_id: str
    store_id: str
    currency: str
    created_at: IsoTime
    updated_at: IsoTime
    expiration_time: IsoTime
    dispute_reason: str
    original_order_amount: Money
    dispute_amount: Money
    status: Status
    fee: Money
    fee_currency: str


class ListData(WireModel):
    has_more: bool
    cursor: str
    list: list[Dispute]


class ListResponse(WireModel):
    code: Literal["Success"]
    message: Literal["Success"]
    data: ListData


class GetData(WireModel):
    dispute: Dispute


class GetResponse(WireModel):
    code: Literal["Success"]
    message: Literal["Success"]
    data: GetData


class Webhook(WireModel):
    """A webhook subscription as the webhook API shows it (2022-01 and 2025-06 alike)."""

    id: str
    address: str
    topic: str
    created_at: IsoTime
    updated_at: IsoTime
    format: Literal["json"]


class WebhookList(WireModel):
    """The webhook list up to 2024-07 (`limit`/`page`)."""

    webhooks: list[Webhook]


class WebhookPage(WireModel):
    """The webhook list from 2025-06 (`page_size`/`cursor`)."""

    webhooks: list[Webhook]
    cursor: str
    has_more: bool


class WebhookOne(WireModel):
    webhook: Webhook


class WebhookCount(WireModel):
    count: int


class Nothing(WireModel):
    """A deleted webhook's answer: `{}`."""


class _Success(WireModel):
    code: Literal["Success"]
    message: Literal["Success"]


class WrappedWebhookPage(_Success):
    data: WebhookPage


class WrappedWebhook(_Success):
    data: WebhookOne


class WrappedWebhookCount(_Success):
    data: WebhookCount


class WrappedNothing(_Success):
    data: Nothing


# -- error bodies (docs/providers/shoplazza.md §6): the shapes errors.py builds ---------------------


class CodeError(WireModel):
    """Parameters and unknown ids: `{"code":"InvalidParameter","message":"wrong cursor"}`."""

    code: str
    message: str


class StringError(WireModel):
    """Token and store problems: `{"error":"store is not active"}`."""

    error: str


class ListError(WireModel):
    """Scope, routing, method and throttling: `{"errors":["Not Found"]}`."""

    errors: list[str]


class FieldErrors(WireModel):
    """The 2022-01 webhook API's validation (422): `{"errors":{"address":["can't be blank"]}}`."""

    errors: dict[str, list[str]]


class OAuthError(WireModel):
    """RFC 6749 §5.2 on the token and authorize endpoints."""

    error: str
    error_description: str


class TokenResponse(WireModel):
    """`POST /admin/oauth/token`: the fields the official Go OAuth SDK reads."""

    access_token: str
    token_type: str
    refresh_token: str
    expires_in: int
    expires_at: int
    scope: str
    created_at: int
    store_id: str
    store_name: str
    locale: str
