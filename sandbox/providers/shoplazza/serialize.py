"""Dispute records → Shoplazza JSON, through the wire model (what we emit is what the model allows)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from ...timefmt import iso_seconds
from . import wire
from .models import DisputeRecord, Status


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def dispute_model(d: DisputeRecord) -> wire.Dispute:
    return wire.Dispute(
        id=d.id,
        transaction_order_id=d.transaction_order_id,
        original_order_id=d.original_order_id,
        store_id=d.store_id,
        currency=d.currency,
        created_at=iso_seconds(d.created_at),
        updated_at=iso_seconds(d.updated_at),
        expiration_time=iso_seconds(d.expiration_time),
        dispute_reason=d.dispute_reason,
        original_order_amount=money(d.original_order_amount),
        dispute_amount=money(d.dispute_amount),
        status=cast(Status, d.status),
        fee=money(d.fee),
        fee_currency=d.fee_currency,
    )


def dispute_json(d: DisputeRecord) -> bytes:
    return dispute_model(d).model_dump_json().encode()


def dispute_dict(d: DisputeRecord) -> dict[str, Any]:
    return dispute_model(d).model_dump()
