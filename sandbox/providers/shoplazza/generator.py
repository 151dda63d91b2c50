"""Plausible Shoplazza disputes from the seed, consistent with their status at the clock start.

A status whose deadline runs (`needs_response`, `warning_needs_response`: expiration; the two
review states: review time) always gets that deadline after the clock start, so loading a
scenario fires no transition. Closed disputes carry the history their status implies.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np

from ...bulk import MICRO, choose, micros, np_rng, random_ids, uniform_micros
from ...generate import between, random_id, rng_for, uuid4_text, weighted
from ...provider import BuildContext
from ...timefmt import resolve_time
from . import inferred
from .lifecycle import Rules
from .models import WARNING_STATUSES, DisputeRecord
from .scenario import DisputeSpec, StoreSpec

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
CENT = Decimal("0.01")

DEFAULT_STATUS_WEIGHTS = {
    "needs_response": 3,
    "under_review": 2,
    "won": 2,
    "lost": 2,
    "warning_needs_response": 1,
    "warning_under_review": 1,
    "warning_closed": 1,
}


@functools.lru_cache(maxsize=64)
def _resolve(value: str, start: datetime) -> datetime:
    """Scenario times repeat for every bulk record: resolve each once."""
    return resolve_time(value, start)


def _seconds(value: datetime) -> datetime:
    return value.replace(microsecond=0)


def _amount(rng: random.Random, lo: Decimal, hi: Decimal) -> Decimal:
    cents = rng.randint(int(lo * 100), int(hi * 100))
    return (Decimal(cents) / 100).quantize(CENT)


def _offset(rng: random.Random, lo: timedelta, hi: timedelta) -> timedelta:
    """A whole-second duration in [lo, hi] (lo when the range is empty)."""
    low, high = int(lo.total_seconds()), int(hi.total_seconds())
    return timedelta(seconds=rng.randint(low, max(low, high)))


def _times(
    rng: random.Random, rules: Rules, status: str, lo: datetime, hi: datetime, now: datetime
) -> tuple[datetime, datetime, datetime]:
    """(created_at, updated_at, expiration_time) consistent with `status` at `now`."""
    opening = "warning_needs_response" if status in WARNING_STATUSES else "needs_response"
    window = rules.shown_window(opening)
    if status in inferred.EXPIRES_TO:
        # Still waiting for the merchant: the deadline lies ahead of the clock start.
        lo = max(lo, now - window + (DAY if window >= DAY else MINUTE))
        created = _seconds(between(rng, lo, max(lo, min(hi, now))))
        return created, created, rules.expiration(opening, created)
    if status in ("under_review", "warning_under_review"):
        # Responded before the expiration; the review started less than its length ago.
        review = rules.review_for(status)
        start = max(lo, now - review + MINUTE) if review else max(lo, now - window * 4)
        start = min(start, now)
        updated = _seconds(between(rng, start, max(start, min(hi, now))))
        answered = (
            _offset(rng, HOUR, window - DAY - HOUR) if window >= 2 * DAY else _offset(rng, MINUTE, window / 2)
        )
        created = updated - answered
        return created, updated, rules.expiration(opening, created)
    created = _seconds(between(rng, lo, max(lo, min(hi, now))))
    expiration = rules.expiration(opening, created)
    if status in inferred.EXPIRES_TO.values() and expiration <= now and rng.random() < 0.4:
        return created, expiration, expiration  # closed when the deadline passed
    review = (rules.review_time if status in ("won", "lost") else rules.warning_review_time) or 30 * DAY
    updated = min(now, created + _offset(rng, HOUR, expiration - created + review))
    return created, max(created, updated), expiration


def status_weights(store: StoreSpec) -> dict[str, float]:
    """The store's `generate.statuses`, else the default mix."""
    return {str(k): v for k, v in (store.generate.statuses or DEFAULT_STATUS_WEIGHTS).items()}


def make_dispute(
    ctx: BuildContext,
    rules: Rules,
    store: StoreSpec,
    index: int,
    spec: DisputeSpec | None = None,
    scope: str | None = None,
) -> DisputeRecord:
    """One dispute, from the seed and (for hand-written ones) the fields the scenario gives."""
    rng = rng_for(ctx.seed, "shoplazza", store.id, scope or ("hand" if spec else "bulk"), index)
    gen = store.generate
    now = _seconds(ctx.start)
    status = spec.status if spec else weighted(rng, status_weights(store))
    lo, hi = (_resolve(t, ctx.start) for t in gen.created_between)
    created, updated, expiration = _times(rng, rules, status, lo, hi, now)
    if spec and spec.created_at:
        created = _seconds(ctx.time(spec.created_at))
        opening = "warning_needs_response" if status in WARNING_STATUSES else "needs_response"
        expiration = rules.expiration(opening, created)
        updated = created if status in inferred.EXPIRES_TO else max(created, min(now, updated))
    if spec and spec.expiration_time:
        expiration = _seconds(ctx.time(spec.expiration_time))
    if spec and spec.updated_at:
        updated = _seconds(ctx.time(spec.updated_at))

    return _assemble(rng, store, status, created, updated, expiration, spec)


def _assemble(
    rng: random.Random,
    store: StoreSpec,
    status: str,
    created: datetime,
    updated: datetime,
    expiration: datetime,
    spec: DisputeSpec | None = None,
    dispute_id: str | None = None,
) -> DisputeRecord:
    """Everything but status and times, from `rng` (the id too, unless the columns gave it)."""
    gen = store.generate
    amount_lo, amount_hi = gen.amount_between
    order_amount = _amount(rng, amount_lo, amount_hi)
    disputed = (
        order_amount if rng.random() < 0.75 else _amount(rng, order_amount * Decimal("0.2"), order_amount)
    )
    if spec and spec.original_order_amount is not None:
        order_amount = spec.original_order_amount.quantize(CENT)
        disputed = min(disputed, order_amount)
    if spec and spec.dispute_amount is not None:
        disputed = spec.dispute_amount.quantize(CENT)
        if spec.original_order_amount is None:
            order_amount = max(order_amount, disputed)  # never dispute more than the order
    fee = inferred.WARNING_FEE if status in WARNING_STATUSES else inferred.CHARGEBACK_FEE
    reason = weighted(rng, gen.reasons or dict.fromkeys(inferred.REASONS, 1.0))
    currency = weighted(rng, gen.currencies)
    if dispute_id is None:
        dispute_id = random_id(rng, inferred.DISPUTE_ID_PREFIX, inferred.DISPUTE_ID_LENGTH)
    payment_id = random_id(rng, inferred.PAYMENT_ID_PREFIX, inferred.PAYMENT_ID_LENGTH)
    order_bits = rng.getrandbits(128)
    order_id = (
        uuid4_text(order_bits) if inferred.ORDER_ID_IS_UUID else str(order_bits % 10**12)
    )
    given = spec or DisputeSpec()
    return DisputeRecord(
        id=given.id or dispute_id,
        store_id=store.id,
        transaction_order_id=given.transaction_order_id or payment_id,
        original_order_id=given.original_order_id or order_id,
        currency=given.currency or currency,
        created_at=created,
        updated_at=updated,
        expiration_time=expiration,
        dispute_reason=given.dispute_reason or reason,
        original_order_amount=order_amount,
        dispute_amount=disputed,
        status=status,
        fee=given.fee.quantize(CENT) if given.fee is not None else fee,
        fee_currency=given.fee_currency or store.fee_currency,
    )


# -- lazy bulk (sandbox/bulk.py): columns for a whole store now, each record on first read ---------

SECOND_US, MINUTE_US, HOUR_US, DAY_US = 1_000_000, MINUTE // MICRO, HOUR // MICRO, DAY // MICRO


@dataclass(frozen=True, slots=True)
class Skeleton:
    """What the bulk columns fix for one generated dispute; the rest comes from its own rng."""

    id: str
    status: str
    created: datetime
    updated: datetime
    expiration: datetime


def _us(value: timedelta | None) -> int:
    return -1 if value is None else value // MICRO


def _floor_seconds(values: np.ndarray) -> np.ndarray:
    return values - values % SECOND_US


def _expirations(opening_window: np.ndarray, created: np.ndarray) -> np.ndarray:
    """`Rules.expiration` per record: created + window, whole seconds, floored to midnight UTC
    when the window is a day or longer (the seed example's rule)."""
    deadline = _floor_seconds(created + opening_window)
    if inferred.EXPIRATION_AT_MIDNIGHT:
        deadline = np.where(opening_window >= DAY_US, deadline - deadline % DAY_US, deadline)
    return deadline


def _whole_seconds(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """`_offset` per record: whole seconds in [lo, max(lo, hi)] (bounds truncated to seconds)."""
    low, high = lo // SECOND_US, hi // SECOND_US
    return rng.integers(low, np.maximum(low, high) + 1) * SECOND_US


def bulk_columns(ctx: BuildContext, rules: Rules, store: StoreSpec) -> dict[str, np.ndarray | list]:
    """Ids, statuses, created/updated/expiration times and the first deadline of every bulk
    dispute of a store (integer microseconds, whole seconds), vectorised, in creation order.

    The same distributions as `_times`: a dispute waiting for the merchant expires after the
    clock start, a review started less than its length ago, a closed one has its history.
    """
    gen, n = store.generate, store.generate.count
    rng = np_rng(ctx.seed, "shoplazza-bulk", store.id)
    weights = status_weights(store)
    labels = list(weights)
    codes = choose(rng, weights, n)

    def per_status(values: list) -> np.ndarray:
        return np.array(values, dtype=np.int64)[codes]

    now = micros(_seconds(ctx.start))
    lo, hi = (micros(_resolve(t, ctx.start)) for t in gen.created_between)
    top = min(hi, now)
    warning = np.array([s in WARNING_STATUSES for s in labels])[codes]
    window = np.where(warning, _us(rules.warning_response_window), _us(rules.response_window))
    expiring = per_status([s in inferred.EXPIRES_TO for s in labels]).astype(bool)
    reviewing = per_status([s in ("under_review", "warning_under_review") for s in labels]).astype(bool)
    review = per_status([_us(rules.review_for(s)) for s in labels])  # -1: no automatic review
    closable = per_status([s in inferred.EXPIRES_TO.values() for s in labels]).astype(bool)
    closing_review = per_status(
        [
            _us((rules.review_time if s in ("won", "lost") else rules.warning_review_time) or 30 * DAY)
            for s in labels
        ]
    )

    # still waiting for the merchant: the deadline lies ahead of the clock start
    lo_w = np.maximum(lo, now - window + np.where(window >= DAY_US, DAY_US, MINUTE_US))
    created_w = _floor_seconds(uniform_micros(rng, lo_w, np.maximum(lo_w, top), n))

    # responded before the expiration; the review started less than its length ago
    start = np.where(review >= 0, np.maximum(lo, now - review + MINUTE_US), np.maximum(lo, now - 4 * window))
    start = np.minimum(start, now)
    updated_r = _floor_seconds(uniform_micros(rng, start, np.maximum(start, top), n))
    long_window = window >= 2 * DAY_US
    answered = _whole_seconds(
        rng,
        np.where(long_window, HOUR_US, MINUTE_US),
        np.where(long_window, window - DAY_US - HOUR_US, window // 2),
    )
    created_r = updated_r - answered

    # closed: created in the window; maybe closed right at the expiration, else some time later
    created_c = _floor_seconds(uniform_micros(rng, lo, max(lo, top), n))
    expiration_c = _expirations(window, created_c)
    at_expiration = closable & (expiration_c <= now) & (rng.random(n) < 0.4)
    later = created_c + _whole_seconds(rng, np.full(n, HOUR_US), expiration_c - created_c + closing_review)
    updated_c = np.where(at_expiration, expiration_c, np.maximum(created_c, np.minimum(now, later)))

    created = np.where(expiring, created_w, np.where(reviewing, created_r, created_c))
    updated = np.where(expiring, created_w, np.where(reviewing, updated_r, updated_c))
    expiration = _expirations(window, created)
    due = np.where(expiring, expiration, np.where(reviewing & (review >= 0), updated + review, -1))
    order = np.argsort(created, kind="stable")
    return {
        "ids": random_ids(rng, n, inferred.DISPUTE_ID_PREFIX, inferred.DISPUTE_ID_LENGTH),
        "labels": labels,
        "codes": codes[order],
        "created": created[order],
        "updated": updated[order],
        "expiration": expiration[order],
        "due": due[order],
    }


def bulk_dispute(ctx: BuildContext, store: StoreSpec, index: int, skeleton: Skeleton) -> DisputeRecord:
    """A generated dispute, built on first read, consistent with its columns."""
    rng = rng_for(ctx.seed, "shoplazza", store.id, "bulk", index)
    return _assemble(
        rng,
        store,
        skeleton.status,
        skeleton.created,
        skeleton.updated,
        skeleton.expiration,
        dispute_id=skeleton.id,
    )
