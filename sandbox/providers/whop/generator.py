"""Plausible Whop cases from the seed: history, actions and deadlines consistent with the status."""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from ...bulk import choose, created_bounds, micros, np_rng, random_ids, timer_micros, uniform_micros
from ...generate import between, pick, rng_for, weighted
from ...provider import BuildContext
from . import inferred
from .lifecycle import Rules, due_after
from .models import ISSUES, CaseRecord, EventRecord, new_id
from .scenario import CaseSpec, CompanySpec, GenerateSpec

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


def history_length(status: str) -> int:
    """How many history entries a generated case in `status` starts with (its `created` event and
    the steps `_history` gives; their number does not depend on the draws for a status that runs a
    timer, the only ones a clock move changes unread)."""
    return 1 + len(_history(random.Random(0), status))


@dataclass(frozen=True, slots=True)
class Skeleton:
    """What the bulk columns fix for one generated case; the rest comes from its own rng."""

    id: str
    status: str
    created: datetime
    entered: datetime  # when the case entered its status (its last step)


def _window(rules: Rules, status: str) -> timedelta | None:
    """How recently a case in `status` must have entered it for its timer to be still running."""
    if status == "under_platform_review":
        return rules.platform_review_time
    return rules.window_for(status)


def _issue_weights(gen: GenerateSpec) -> Mapping[str, float]:
    return {str(k): v for k, v in gen.issues.items()} if gen.issues else dict.fromkeys(ISSUES, 1.0)


def bulk_columns(ctx: BuildContext, rules: Rules, company: CompanySpec) -> dict[str, Any]:
    """Ids, statuses, creation and status-entry times and the next deadline of every bulk case of
    a company, vectorised and in creation order. A case whose status runs a timer entered it
    inside the window, so no deadline has passed at the clock start."""
    gen, n = company.generate, company.generate.count
    rng = np_rng(ctx.seed, "whop-bulk", company.id)
    weights: dict[Hashable, float] = {k: v for k, v in (gen.statuses or DEFAULT_STATUS_WEIGHTS).items()}
    labels = [str(s) for s in weights]
    codes = choose(rng, weights, n)
    now = micros(ctx.start)
    lo, hi = (micros(ctx.time(t)) for t in gen.created_between)
    win = timer_micros([_window(rules, s) for s in labels], codes)
    timed = win >= 0
    created = uniform_micros(rng, *created_bounds(lo, hi, now, win), n)
    earliest = np.where(timed, np.maximum(created, now - win), created)
    entered = uniform_micros(rng, earliest, np.maximum(earliest, now), n)
    first_status = np.array([s == "merchant_response_needed" for s in labels])[codes]
    entered = np.where(first_status, created, np.maximum(entered, created))
    due = np.where(timed, np.where(first_status, created, entered) + win, -1)
    order = np.argsort(created, kind="stable")
    return {
        "ids": random_ids(rng, n, "reso_", inferred.ID_LENGTH - len("reso_")),
        "labels": labels,
        "codes": codes[order],
        "created": created[order],
        "entered": entered[order],
        "due": due[order],
    }


def bulk_case(ctx: BuildContext, rules: Rules, company: CompanySpec, index: int, skeleton: Skeleton) -> CaseRecord:
    """A generated case, built on first read, consistent with its columns."""
    rng, issue = _bulk_draw(ctx, company, index)
    steps = _history(rng, skeleton.status)
    times = sorted(between(rng, skeleton.created, skeleton.entered) for _ in steps[:-1])
    times += [skeleton.entered] if steps else []
    return _assemble(ctx, rules, company, rng, skeleton.id, skeleton.status, issue, skeleton.created, steps, times)


def _bulk_draw(ctx: BuildContext, company: CompanySpec, index: int) -> tuple[random.Random, str]:
    """A bulk case's rng and its first draw, the issue."""
    rng = rng_for(ctx.seed, "whop", company.id, "bulk", index)
    return rng, weighted(rng, _issue_weights(company.generate))


def bulk_issue(ctx: BuildContext, company: CompanySpec, index: int) -> str:
    """A bulk case's issue without building the case (summaries count them)."""
    return _bulk_draw(ctx, company, index)[1]


def make_case(ctx: BuildContext, rules: Rules, company: CompanySpec, index: int, spec: CaseSpec) -> CaseRecord:
    """A hand-written case: the fields the scenario gives, the rest from the seed."""
    rng = rng_for(ctx.seed, "whop", company.id, "hand", index)
    now = ctx.start
    issue: str = spec.issue or weighted(rng, _issue_weights(company.generate))
    lo, hi = (ctx.time(t) for t in company.generate.created_between)
    created = ctx.time(spec.created_at) if spec.created_at else between(rng, lo, hi)
    window = _window(rules, spec.status)
    steps = _history(rng, spec.status)
    earliest = max(created, now - window) if window else created
    times = sorted(between(rng, earliest, now) for _ in steps)
    if spec.events is not None:
        given = [e for e in spec.events if e.action != "created"]
        steps = [(e.action, e.reporter_type, e.details) for e in given]
        times = [ctx.time(e.at) if e.at else between(rng, created, now) for e in given]
    return _assemble(ctx, rules, company, rng, spec.id or new_id(rng, "reso_"), spec.status, issue, created, steps, times, spec)


def _assemble(
    ctx: BuildContext,
    rules: Rules,
    company: CompanySpec,
    rng: random.Random,
    case_id: str,
    status: str,
    issue: str,
    created: datetime,
    steps: list[tuple],
    times: list[datetime],
    spec: CaseSpec | None = None,
) -> CaseRecord:
    gen = company.generate
    first, last = pick(rng, ctx.pools.first_names), pick(rng, ctx.pools.last_names)
    events = [EventRecord(new_id(rng, "revt_"), "created", "customer", CLAIMS[issue], created)]
    events += [
        EventRecord(new_id(rng, "revt_"), action, reporter, details, at)
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
    total = spec.total if spec and spec.total is not None else round(rng.uniform(*gen.total_between), 2)
    paid = created - timedelta(minutes=rng.randint(60, 60 * 24 * 60))
    if status == "merchant_info_needed" and not (spec and spec.events is not None):
        events[-1].viewable_by_customer = False  # Whop's request to the merchant (see _history)
    generated_user = new_id(rng, "user_")
    return CaseRecord(
        id=case_id,
        company_id=company.id,
        status=status,
        issue=issue,
        created_at=created,
        updated_at=updated,
        due_date=due,
        user_id=spec.user_id if spec and spec.user_id else generated_user,
        user_name=spec.user_name if spec and spec.user_name else f"{first} {last}",
        username=(spec.username if spec and spec.username else None)
        or f"{first}{last}{rng.randint(1, 99)}".lower().replace("'", "").replace(" ", ""),
        payment_id=new_id(rng, "pay_"),
        payment_created_at=paid - timedelta(seconds=rng.randint(1, 30)),
        paid_at=paid,
        currency=(spec.currency if spec and spec.currency else None) or weighted(rng, gen.currencies),
        total=total,
        subtotal=total,
        member_id=new_id(rng, "mem_"),
        customer_appealed=customer_appealed,
        merchant_appealed=merchant_appealed,
        events=events,
    )


@dataclass(frozen=True, slots=True)
class Purchase:
    """What the current API shows of a case's payment beyond the legacy fields: drawn from the case
    id alone, so adding it leaves every legacy draw (and byte) as it was."""

    plan_id: str
    product_id: str
    line_item_id: str
    product_title: str
    plan_title: str
    card_brand: str | None
    card_last4: str | None
    payment_method_type: str


PRODUCT_KINDS = ("Pro", "Membership", "Course", "Community", "Toolkit")
PLAN_TITLES = ("Monthly", "Yearly", "Lifetime", "Weekly")
METHODS = {"card": 0.8, "paypal": 0.15, "apple_pay": 0.05}  # inferred mix; `card` is the documented example
CARD_BRANDS = {"visa": 0.55, "mastercard": 0.3, "amex": 0.1, "discover": 0.05}


def purchase(seed: int, case: CaseRecord, company_title: str | None) -> Purchase:
    rng = rng_for(seed, "whop-current", case.id)
    method = weighted(rng, METHODS)
    card = method in ("card", "apple_pay")
    return Purchase(
        plan_id=new_id(rng, "plan_"),
        product_id=new_id(rng, "prod_"),
        line_item_id=new_id(rng, "li_"),
        product_title=f"{company_title or 'Whop'} {pick(rng, PRODUCT_KINDS)}",
        plan_title=pick(rng, PLAN_TITLES),
        card_brand=weighted(rng, CARD_BRANDS) if card else None,
        card_last4=f"{rng.randint(0, 9999):04d}" if card else None,
        payment_method_type=method,
    )
