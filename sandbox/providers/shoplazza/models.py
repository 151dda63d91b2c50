"""Shoplazza's vocabulary (statuses, money, times) and the sandbox's records. The wire shapes (the
seed's field table, in its order) are in wire.py, made on first use."""


from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal, get_args

from pydantic import Field

Status = Literal[
    "lost",
    "won",
    "warning_closed",
    "needs_response",
    "under_review",
    "warning_under_review",
    "warning_needs_response",
]
STATUSES: tuple[str, ...] = get_args(Status)
WARNING_STATUSES = ("warning_needs_response", "warning_under_review", "warning_closed")
TERMINAL = ("won", "lost", "warning_closed")

Money = Annotated[str, Field(pattern=r"^\d+\.\d{2}$")]
IsoTime = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]


# -- internal state ---------------------------------------------------------------------------


@dataclass(slots=True)
class DisputeRecord:
    """A Shoplazza payment dispute on a store's order; it has no history, only its current status."""

    id: str
    store_id: str
    transaction_order_id: str
    original_order_id: str
    currency: str
    created_at: datetime  # whole seconds: the wire shows seconds and filters take seconds
    updated_at: datetime
    expiration_time: datetime
    dispute_reason: str
    original_order_amount: Decimal
    dispute_amount: Decimal
    status: str
    fee: Decimal
    fee_currency: str


@dataclass(slots=True)
class StoreRecord:
    """A Shoplazza store on its own `{subdomain}.myshoplaza.com` host; while inactive, it refuses calls."""

    id: str
    subdomain: str
    active: bool
    fee_currency: str

    @property
    def domain(self) -> str:
        return f"{self.subdomain}.myshoplaza.com"


@dataclass(slots=True)
class TokenRecord:
    """An access token for one store: a private app's, or one issued through OAuth to an app."""

    token: str
    store_id: str
    scopes: tuple[str, ...]
    expires_at: datetime | None = None  # OAuth tokens expire; a private app's token does not
    client_id: str | None = None  # the app an OAuth token was issued to
