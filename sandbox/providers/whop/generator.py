"""Plausible Whop cases from the seed: history, actions and deadlines consistent with the status."""

from __future__ import annotations

import random
from datetime import timedelta

from ...generate import between, pick, random_id, rng_for, weighted
from ...provider import BuildContext
from .lifecycle import Rules, due_after
from .models import ISSUES, STATUSES, CaseRecord, EventRecord
from .scenario import CaseSpec, CompanySpec

MINUTE = timedelta(minutes=1)

CLAIMS = {
    "forgot_to_cancel": "I forgot to cancel before the renewal went through.",
    "item_not_received": "I paid but never got access to the product.",
    "significantly_not_as_described": "The course is nothing like what the page promised.",
    "unauthorized_transaction": "I did not make this purchase.",
    "product_unacceptable": "The product does not work and support never answered.",
}
DEFAULT_STATUS_WEIGHTS = {
    "merchant_response_needed": 3,
    "customer_response_needed": 1,
    "merchant_info_needed": 1,
    "customer_info_needed": 1,
    "under_platform_review": 2,
    "customer_won": 2,
    "merchant_won": 2,
    "customer_withdrew": 1,
}


def _id(rng: random.Random, prefix: str) -> str:
    return random_id(rng, prefix, 18 - len(prefix))


def _history(rng: random.Random, status: str) -> list[tuple]:
    """(action, reporter, details) steps after the `created` event that lead to `status`."""
    deny = ("denied", "merchant", "The customer used the product for the whole period.")
    escalate = ("escalated", "system", "The merchant did not respond in time.")
    match status:
        case "customer_response_needed":
            return [("requested_more_info", "merchant", "Please send the email you used to sign up.")]
        case "under_platform_review":
            return [pick(rng, (deny, escalate))]
        case "merchant_info_needed":
            return [deny, ("requested_more_info", "platform", "Please upload proof of delivery.")]
        case "customer_info_needed":
            return [deny, ("requested_more_info", "platform", "Please describe what you received.")]
        case "customer_won":
            if rng.random() < 0.5:
                return [("accepted", "merchant", "Refund issued.")]
            return [deny, ("responded", "platform", "Whop decided in favour of the customer.")]
        case "merchant_won":
            return [deny, ("responded", "platform", "Whop decided in favour of the merchant.")]
        case "customer_withdrew":
            return [("withdrew", "customer", "Sorted it out with the seller.")]
    return []


def make_case(
    ctx: BuildContext, rules: Rules, company: CompanySpec, index: int, spec: CaseSpec | None = None
) -> CaseRecord:
    """One case, from the seed and (for hand-written cases) the fields the scenario gives."""
    rng = rng_for(ctx.seed, "whop", company.id, "hand" if spec else "bulk", index)
    gen = company.generate
    now = ctx.start
    status = spec.status if spec else weighted(rng, gen.statuses or DEFAULT_STATUS_WEIGHTS)
    issue = (spec.issue if spec else None) or weighted(
        rng, gen.issues or dict.fromkeys(ISSUES, 1.0)
    )
    lo, hi = (ctx.time(t) for t in gen.created_between)
    window = rules.window_for(status)
    if status == "under_platform_review":
        window = rules.platform_review_time  # still under review: entered it recently
    if window is not None and not spec:
        lo = max(lo, now - window + MINUTE)  # a running deadline must still be ahead
        hi = max(lo, min(hi, now))
    created = ctx.time(spec.created_at) if spec and spec.created_at else between(rng, lo, hi)

    steps = _history(rng, status)
    # the step into the current status happened inside its window, so its deadline is ahead
    earliest = max(created, now - window) if window else created
    times = sorted(between(rng, earliest, now) for _ in steps)
    if spec and spec.events is not None:
        given = [e for e in spec.events if e.action != "created"]
        steps = [(e.action, e.reporter_type, e.details) for e in given]
        times = [ctx.time(e.at) if e.at else between(rng, created, now) for e in given]

    first, last = pick(rng, ctx.pools.first_names), pick(rng, ctx.pools.last_names)
    events = [EventRecord(_id(rng, "revt_"), "created", "customer", CLAIMS[issue], created)]
    events += [
        EventRecord(_id(rng, "revt_"), action, reporter, details, at)
        for (action, reporter, details), at in zip(steps, times, strict=True)
    ]
    appealed = status in ("customer_won", "merchant_won") and rng.random() < 0.2
    customer_appealed = spec.customer_appealed if spec else appealed and status == "merchant_won"
    merchant_appealed = spec.merchant_appealed if spec else appealed and status == "customer_won"
    updated = max(e.created_at for e in events)
    if spec and spec.updated_at:
        updated = ctx.time(spec.updated_at)
    due = due_after(rules, status, created if status == "merchant_response_needed" else updated)
    if spec and spec.due_date:
        due = ctx.time(spec.due_date)

    total = (
        spec.total if spec and spec.total is not None else round(rng.uniform(*gen.total_between), 2)
    )
    paid = created - timedelta(minutes=rng.randint(60, 60 * 24 * 60))
    return CaseRecord(
        id=(spec.id if spec and spec.id else None) or _id(rng, "reso_"),
        company_id=company.id,
        status=status,
        issue=issue,
        created_at=created,
        updated_at=updated,
        due_date=due,
        user_id=_id(rng, "user_"),
        user_name=spec.user_name if spec and spec.user_name else f"{first} {last}",
        username=(spec.username if spec and spec.username else None)
        or f"{first}{last}{rng.randint(1, 99)}".lower().replace("'", "").replace(" ", ""),
        payment_id=_id(rng, "pay_"),
        payment_created_at=paid - timedelta(seconds=rng.randint(1, 30)),
        paid_at=paid,
        currency=(spec.currency if spec and spec.currency else None) or weighted(rng, gen.currencies),
        total=total,
        subtotal=total,
        member_id=_id(rng, "mem_"),
        customer_appealed=customer_appealed,
        merchant_appealed=merchant_appealed,
        events=events,
    )


__all__ = ["STATUSES", "make_case"]
