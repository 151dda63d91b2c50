"""Plausible disputes and dispute alerts from the seed: hand-written ones take any field from the
scenario; bulk disputes are columns (ids, statuses, currencies, times, deadlines) until first read,
like bulk cases (sandbox/bulk.py)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from ...bulk import choose, created_bounds, micros, np_rng, random_ids, timer_micros, uniform_micros
from ...generate import between, rng_for, weighted
from . import inferred
from .dispute_models import DISPUTE_REASONS, AlertRecord, DisputeRecord, DocumentRef, FileRecord
from .disputes import PaymentInfo
from .models import new_id

if TYPE_CHECKING:
    from .dispute_scenario import AlertSpec, DisputeSpec
    from .disputes import DisputeBook
    from .scenario import CompanySpec

MINUTE_US = 60_000_000
COMMON_REASONS = {"fraudulent": 4, "product_not_received": 3, "subscription_canceled": 2, "product_unacceptable": 2, "unrecognized": 1, "duplicate": 1, "credit_not_processed": 1, "other": 1}
PLACEHOLDER_PDF = b"%PDF-1.4\n% dispute sandbox evidence placeholder\n%%EOF\n"


def _weights(weights: Mapping[Any, float]) -> dict[Any, float]:
    """Scenario weights (Literal-keyed) as plain str → float, for the draw helpers."""
    return {str(k): float(v) for k, v in weights.items()}


def _window(book: DisputeBook, status: str) -> timedelta | None:
    if status in ("needs_response", "warning_needs_response"):
        return book.rules.evidence_window
    if status in ("under_review", "warning_under_review"):
        return book.rules.decision_time
    return None


def bulk_amount(book: DisputeBook, company: CompanySpec, dispute_id: str) -> float:
    """A generated dispute's amount, from its id alone: sorting by amount then needs no record built."""
    lo, hi = company.generate_disputes.amount_between
    digest = hashlib.blake2s(f"{book.ctx.seed}:{dispute_id}".encode(), digest_size=6).digest()
    return round(lo + (hi - lo) * int.from_bytes(digest, "big") / 2**48, 2)


def make_dispute(book: DisputeBook, company: CompanySpec, index: int, spec: DisputeSpec) -> DisputeRecord:
    ctx, gen = book.ctx, company.generate_disputes
    rng = rng_for(ctx.seed, "whop-dispute", company.id, "hand", index)
    if spec.created_at:
        created = ctx.time(spec.created_at)
    elif spec.status in ("needs_response", "warning_needs_response", "under_review", "warning_under_review"):
        created = between(rng, ctx.start - timedelta(days=3), ctx.start - timedelta(hours=1))
    else:
        created = between(rng, *(ctx.time(t) for t in gen.created_between))
    due = ctx.time(spec.evidence_due_at) if spec.evidence_due_at else None
    if due is None and book.rules.evidence_window is not None and not spec.visa_rdr:
        due = created + book.rules.evidence_window
    submitted = ctx.time(spec.evidence_submitted_at) if spec.evidence_submitted_at else None
    if submitted is None and spec.status in ("under_review", "warning_under_review", "won"):
        submitted = between(rng, created, min(ctx.start, due or ctx.start))
    d = _assemble(book, company, rng, spec.id or new_id(rng, "dspt_"), spec.status, spec.currency, created, due, submitted, spec)
    if spec.status == "needs_response" and due is not None and due <= ctx.start and submitted is None:
        d.window_closed = True  # written past its deadline: it reads under_review from the start
    return d


def _assemble(
    book: DisputeBook,
    company: CompanySpec,
    rng: random.Random,
    dispute_id: str,
    status: str,
    currency: str | None,
    created: datetime,
    due: datetime | None,
    submitted: datetime | None,
    spec: DisputeSpec | None = None,
) -> DisputeRecord:
    gen, pools = company.generate_disputes, book.ctx.pools
    first, last = pools.person(rng)
    case = book.state.cases.get(spec.case_id) if spec and spec.case_id else None
    given: str | None = spec.reason if spec else None
    reason = given or weighted(rng, _weights(gen.reasons or COMMON_REASONS))
    amount = spec.amount if spec and spec.amount is not None else None
    if amount is None:
        amount = float(case.total) if case is not None else bulk_amount(book, company, dispute_id)
    currency = currency or (case.currency if case is not None and case.currency else None) or weighted(rng, gen.currencies)
    name = (spec.buyer_name if spec else None) or (case.user_name if case is not None else None) or f"{first} {last}"
    email = pools.email(rng, first, last)
    city, region, postcode = rng.choice(pools.cities)
    inquiry = status.startswith("warning_")
    rdr = bool(spec and spec.visa_rdr)
    d = DisputeRecord(
        id=dispute_id,
        account_id=company.id,
        payment_id=(spec.payment_id if spec and spec.payment_id else None) or (case.payment_id if case is not None else new_id(rng, "pay_")),
        status=status,
        reason=reason,
        reason_code=(spec.reason_code if spec else None) or inferred.DISPUTE_REASON_CODES.get(reason),
        amount=amount,
        currency=currency,
        created_at=created,
        updated_at=max(created, submitted or created),
        evidence_due_at=due,
        buyer_name=name,
        buyer_username=(case.username if case is not None else None) or f"{first}{last}{rng.randint(1, 99)}".lower().replace("'", "").replace(" ", ""),
        buyer_user_id=case.user_id if case is not None else new_id(rng, "user_"),
        member_id=case.member_id if case is not None else new_id(rng, "mem_"),
        buyer_email=email,
        payment_created_at=case.payment_created_at if case is not None else created - timedelta(days=rng.randint(2, 60)),
        card_last4=f"{rng.randint(0, 9999):04d}",
        plan_id=new_id(rng, "plan_"),
        product_id=new_id(rng, "prod_"),
        product_title=rng.choice(pools.products),
        fee=None if inquiry or rdr else inferred.DISPUTE_FEE,
        visa_rdr=rdr,
        evidence_submitted_at=submitted,
        evidence={
            "customer_name": name,
            "customer_email_address": email,
            "billing_address": f"{rng.choice(pools.streets)}, {city}, {region} {postcode}",
            "cancellation_policy_attachment": "platform",
            "refund_policy_attachment": "platform",
            **(spec.evidence if spec else {}),
        },
        case_id=case.id if case is not None else None,
    )
    if spec:
        for doc in spec.documents:
            file = _placeholder_file(book, company.id, rng, doc.filename, created)
            d.documents.append(DocumentRef(file.id, doc.document_type))
        d.issuer_comments = [(text, created + timedelta(days=1)) for text in spec.issuer_comments]
    return d


def _placeholder_file(book: DisputeBook, account_id: str, rng: random.Random, filename: str, at: datetime) -> FileRecord:
    file = FileRecord(new_id(rng, "file_"), account_id, filename, "private", at, new_id(rng, "tok_"), len(PLACEHOLDER_PDF), "application/pdf", "ready", PLACEHOLDER_PDF)
    book.files[file.id] = file
    book.file_bytes += len(PLACEHOLDER_PDF)
    return file


def bulk_columns(book: DisputeBook, company: CompanySpec) -> dict[str, Any]:
    """Ids, status and currency codes, creation times, submission times and the first deadline
    of every bulk dispute, vectorised and in creation order. A timed status entered its window
    recently enough that no deadline has passed at the clock start."""
    ctx, gen, n = book.ctx, company.generate_disputes, company.generate_disputes.count
    rng = np_rng(ctx.seed, "whop-dispute-bulk", company.id)
    weights = _weights(gen.statuses or inferred.DISPUTE_STATUS_WEIGHTS)
    money = _weights(gen.currencies)
    labels, currencies = list(weights), list(money)
    codes, cur = choose(rng, dict(weights), n), choose(rng, dict(money), n)
    now = micros(ctx.start)
    lo, hi = (micros(ctx.time(t)) for t in gen.created_between)
    win = timer_micros([_window(book, s) for s in labels], codes)
    created = uniform_micros(rng, *created_bounds(lo, hi, now, win), n)
    ew = book.rules.evidence_window
    ew_us = ew // timedelta(microseconds=1) if ew is not None else 0
    needs = np.array([s in ("needs_response", "warning_needs_response") for s in labels])[codes]
    review = np.array([s in ("under_review", "warning_under_review", "won") for s in labels])[codes]
    entered = uniform_micros(rng, created, np.maximum(created, np.minimum(now, created + ew_us)), n)
    entered = np.where(review, entered, -1)
    due = np.where(win >= 0, np.where(needs, created, entered) + win, -1)
    if ew is None:
        due = np.where(needs, -1, due)
    order = np.argsort(created, kind="stable")
    return {
        "ids": random_ids(rng, n, "dspt_", inferred.ID_LENGTH - len("dspt_")),
        "labels": labels,
        "currencies": currencies,
        "codes": codes[order],
        "cur": cur[order],
        "created": created[order],
        "entered": entered[order].tolist(),
        "due": due[order],
    }


def bulk_dispute(book: DisputeBook, company: CompanySpec, index: int, dispute_id: str, status: str, currency: str, created: datetime, entered: int) -> DisputeRecord:
    from ...bulk import from_micros

    rng = rng_for(book.ctx.seed, "whop-dispute", company.id, "bulk", index)
    ew = book.rules.evidence_window
    due = created + ew if ew is not None else None
    submitted = from_micros(entered) if entered >= 0 else None
    return _assemble(book, company, rng, dispute_id, status, currency, created, due, submitted)


def make_alert(book: DisputeBook, company: CompanySpec, index: int, spec: AlertSpec | None, rng: random.Random | None = None) -> AlertRecord:
    ctx, gen = book.ctx, company.generate_dispute_alerts
    rng = rng or rng_for(ctx.seed, "whop-alert", company.id, "hand", index)
    type_ = spec.type if spec else weighted(rng, _weights(gen.types or inferred.ALERT_TYPE_WEIGHTS))
    created = ctx.time(spec.created_at) if spec and spec.created_at else between(rng, *(ctx.time(t) for t in gen.created_between))
    reported = ctx.time(spec.reported_at) if spec and spec.reported_at else created - inferred.ALERT_REPORTED_BEFORE
    payment_id = (spec.payment_id if spec else None) or new_id(rng, "pay_")
    known = book.payments.get(payment_id)
    amount = spec.amount if spec and spec.amount is not None else (known.amount if known else round(rng.uniform(*gen.amount_between), 2))
    currency = (spec.currency if spec else None) or (known.currency if known else weighted(rng, gen.currencies))
    auto = spec.auto_refunded if spec and spec.auto_refunded is not None else type_ in inferred.ALERT_AUTO_REFUND_TYPES
    if known is None:
        book.payments[payment_id] = PaymentInfo(payment_id, company.id, amount, currency, reported - timedelta(days=rng.randint(1, 30)), refunded=auto)
    paid = book.payments[payment_id].created_at
    return AlertRecord(
        id=(spec.id if spec else None) or new_id(rng, "dspa_"),
        account_id=company.id,
        payment_id=payment_id,
        product_id=new_id(rng, "prod_"),
        type=type_,
        amount=amount,
        currency=currency,
        card_brand=rng.choice(("visa", "mastercard")),
        reported_at=reported,
        created_at=created,
        updated_at=created,
        transaction_at=paid,
        auto_refunded=auto,
        fee=None if type_ == "early_fraud_warning" else inferred.ALERT_FEE,
    )


def bulk_alerts(book: DisputeBook, company: CompanySpec) -> list[AlertRecord]:
    return [
        make_alert(book, company, i, None, rng_for(book.ctx.seed, "whop-alert", company.id, "bulk", i))
        for i in range(company.generate_dispute_alerts.count)
    ]


assert set(COMMON_REASONS) <= set(DISPUTE_REASONS)
