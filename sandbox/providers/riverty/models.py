"""Riverty's internal records. The wire shapes (Gen 1 from the seed, Gen 2 from the current pages)
are in wire.py, made on first use."""


from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# -- internal state -----------------------------------------------------------------------------


@dataclass(slots=True)
class AttachmentRecord:
    """A file the consumer or the shop uploaded; a shop's upload joins a dispute once a comment names it."""

    id: str
    file_name: str  # internal GUID-like name, no extension
    original_file_name: str
    created_at: datetime
    size: int
    source: str  # Customer | Shop
    mime_type: str
    shop: str  # owning shop key ("RTY000002240/DE")
    dispute_id: str | None = None  # None until a comment references the upload
    content: bytes | None = None  # None: deterministic bytes made on download
    malware_detected: bool | None = None


@dataclass(slots=True)
class CommentRecord:
    """An entry in a dispute's history: a comment by the merchant, the consumer or a Riverty agent."""

    id: str
    dispute_id: str
    body: str | None
    visibility: int
    attachment_ids: list[str]
    author: dict[str, Any]  # {"$type": "Client", "clientName": ...}
    created_at: datetime


@dataclass(slots=True)
class DisputeRecord:
    """A consumer's dispute of a Riverty invoice, at one of the stages of docs/providers/riverty.md §7."""

    id: str
    client_id: int
    shop: str  # shop key "<shopId>/<countryCode>"
    shop_id: str
    ticket_number: str
    invoice_number: str
    invoice_date: datetime
    amount_cents: int
    dispute_amount_cents: int
    order_id: str
    order_number: str
    tracking_id: str
    reason_code: str
    description: str
    customer_id: str
    first_name: str
    last_name: str
    email: str
    country_code: str
    stage: int
    rfi_party: str  # shop | customer: whom the information request addressed
    decision: str | None
    status: int  # complaintStatus id, derived from stage + rfi_party, kept for the indexes
    created_at: datetime
    updated_at: datetime
    touched_at: datetime  # "UpdatedByConsumerOrRivertyAt"
    deadline: datetime | None
    agent: str | None  # "AgentAssignee"
    show_in_merchant_ui: bool = True
    attachment_ids: list[str] = field(default_factory=list)  # customer evidence on the dispute
    comments: list[CommentRecord] = field(default_factory=list)  # oldest first
    # the shop's files on those comments, counted as comments are added (Lifecycle.add_comment):
    # the per-dispute limit reads it without walking a history that grows with every comment
    shop_files: int = 0


@dataclass(slots=True)
class ShopRecord:
    """A webshop in one country, with the API key that authenticates it (docs/providers/riverty.md §2)."""

    key: str  # "<shopId>/<countryCode>"
    shop_id: str
    country_code: str
    client_id: int
    api_key: str


@dataclass(slots=True)
class ClientRecord:
    """A Riverty merchant client, the owner of its shops and of their disputes."""

    id: int
    name: str
    email: str
    country_code: str
    shops: list[str] = field(default_factory=list)
