"""Fake-only dispute controls under `/_sandbox/whop`: what the card network and the issuer do.

- `POST /_sandbox/whop/payments/{id}/chargeback` opens a dispute on a payment (an inquiry with
  `{"inquiry": true}`);
- `POST /_sandbox/whop/disputes/{id}/decide {"winner": "merchant"|"customer"}` is the issuer's ruling;
- `POST /_sandbox/whop/dispute_alerts` raises an alert, refunding the payment when auto-refunded.
Bodies are validated before anything changes; errors are `{"error": "..."}`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from ...access import sandbox_of
from ...control import error, read_json, validation_problems
from ...generate import rng_for
from ...jsonresp import JSON
from ...scenario import Strict
from ...timefmt import iso_millis, resolve_time
from . import dispute_generator as gen
from .dispute_models import FINAL_STATUSES, AlertType, DisputeReason
from .dispute_scenario import AlertSpec, DisputeSpec
from .dispute_serialize import alert_json, current_json

MAX_OFFSET = timedelta(days=36_500)


def _bounded_time(value: str) -> str:
    """A scenario-style time (`+3d`, ISO) within a century of now: later arithmetic cannot overflow."""
    now = datetime.now(UTC)
    try:
        instant = resolve_time(value, now)
    except (ValueError, OverflowError):
        raise ValueError(f"not a time like '+3d' or an ISO 8601 instant: {value[:40]!r}") from None
    if abs(instant - now) > MAX_OFFSET:
        raise ValueError("must lie within a century of now")
    return value


BoundedTime = Annotated[str, AfterValidator(_bounded_time)]


class ChargebackBody(Strict):
    account_id: str | None = Field(default=None, pattern=r"^biz_[A-Za-z0-9]+$")
    inquiry: bool = False
    reason: DisputeReason | None = None
    reason_code: str | None = Field(default=None, max_length=20)
    amount: float | None = Field(default=None, ge=0, le=1_000_000)
    currency: str | None = Field(default=None, pattern=r"^[a-z]{3}$")
    evidence_due_at: BoundedTime | None = None
    case_id: str | None = Field(default=None, pattern=r"^reso_[A-Za-z0-9]+$")
    visa_rdr: bool = False


class DecideBody(Strict):
    winner: Literal["merchant", "customer"]


class AlertBody(Strict):
    account_id: str = Field(pattern=r"^biz_[A-Za-z0-9]+$")
    type: AlertType = "dispute_alert"
    payment_id: str | None = Field(default=None, pattern=r"^pay_[A-Za-z0-9]+$")
    amount: float | None = Field(default=None, ge=0, le=1_000_000)
    currency: str | None = Field(default=None, pattern=r"^[a-z]{3}$")
    reported_at: BoundedTime | None = None
    auto_refunded: bool | None = None


async def _body(request: Request, model: type[Strict]) -> Any:
    try:
        return model.model_validate(await read_json(request))
    except ValidationError as exc:
        raise _Refused("; ".join(validation_problems(exc))) from None
    except ValueError as exc:
        raise _Refused(str(exc)) from None


class _Refused(Exception):
    pass


def _refusing(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except _Refused as exc:
            return error(str(exc))

    return endpoint


@_refusing
async def chargeback(request: Request) -> Response:
    sandbox = sandbox_of(request)
    state = sandbox.state("whop")
    book = state.disputes_book
    body = await _body(request, ChargebackBody)
    payment_id = request.path_params["id"]
    if not payment_id.startswith("pay_") or len(payment_id) > 64:
        return error("payment ids look like pay_…", 404)
    case = state.cases.get(body.case_id) if body.case_id else None
    if body.case_id and case is None:
        return error(f"no Whop case {body.case_id!r}", 404)
    payment = book.payments.get(payment_id)
    account = payment.account_id if payment else (case.company_id if case else body.account_id)
    if account is None:
        return error(f"unknown payment {payment_id!r}: give account_id to open a chargeback on a new one", 404)
    if account not in book.companies or (body.account_id and body.account_id != account):
        return error(f"account_id {body.account_id or account!r} is not this payment's account or is unknown")
    if payment is not None and payment.refunded:
        return error(f"payment {payment_id} was refunded: there is nothing to charge back", 409)
    if any(d.status not in FINAL_STATUSES for d in book.disputes_on(payment_id)):
        return error(f"payment {payment_id} already has an open dispute", 409)
    now = sandbox.now()
    if body.evidence_due_at and book.ctx.time(body.evidence_due_at) <= now:
        return error("evidence_due_at must be after the sandbox's now")
    spec = DisputeSpec(
        status="warning_needs_response" if body.inquiry else "needs_response",
        reason=body.reason,
        reason_code=body.reason_code,
        amount=body.amount if body.amount is not None else (payment.amount if payment else None),
        currency=body.currency or (payment.currency if payment else None),
        created_at=iso_millis(now),
        evidence_due_at=body.evidence_due_at and iso_millis(book.ctx.time(body.evidence_due_at)),
        payment_id=payment_id,
        case_id=body.case_id or (payment.case_id if payment else None),  # a case's payment links its case
        visa_rdr=body.visa_rdr,
    )
    book.opened += 1
    dispute = gen.make_dispute(book, book.companies[account], 1_000_000 + book.opened, spec)
    if body.visa_rdr:  # RDR: resolved by refunding at once, no evidence round
        dispute.status = "lost"
    book.open_chargeback(dispute, now)
    return JSON(current_json(dispute, book), status_code=201)


@_refusing
async def decide(request: Request) -> Response:
    sandbox = sandbox_of(request)
    book = sandbox.state("whop").disputes_book
    dispute = book.disputes.get(request.path_params["id"])
    if dispute is None:
        return error(f"no Whop dispute {request.path_params['id']!r}", 404)
    body = await _body(request, DecideBody)
    if dispute.status in FINAL_STATUSES:
        return error(f"dispute {dispute.id} is already {dispute.status}", 409)
    book.decide(dispute, body.winner, sandbox.now())
    return JSON(current_json(dispute, book))


@_refusing
async def raise_alert(request: Request) -> Response:
    sandbox = sandbox_of(request)
    book = sandbox.state("whop").disputes_book
    body = await _body(request, AlertBody)
    company = book.companies.get(body.account_id)
    if company is None:
        return error(f"unknown Whop account {body.account_id!r}", 404)
    payment = book.payments.get(body.payment_id or "")
    if payment is not None and payment.account_id != body.account_id:
        return error(f"payment {body.payment_id} belongs to another account")
    now = sandbox.now()
    auto = body.auto_refunded
    threshold = book.thresholds.get(body.account_id)
    amount = body.amount if body.amount is not None else (payment.amount if payment else None)
    if auto is None and threshold is not None and amount is not None and amount <= threshold:
        auto = True  # the account's auto-refund control refunds alerts up to its threshold
    spec = AlertSpec(
        type=body.type,
        amount=amount,
        currency=body.currency,
        payment_id=body.payment_id,
        created_at=iso_millis(now),
        reported_at=body.reported_at and iso_millis(book.ctx.time(body.reported_at)),
        auto_refunded=auto,
    )
    book.opened += 1
    rng = rng_for(book.ctx.seed, "whop-alert", body.account_id, "control", book.opened)
    alert = gen.make_alert(book, company, 0, spec, rng)
    if alert.reported_at > now:
        return error("reported_at must not be after the sandbox's now")
    book.raise_alert(alert, now)
    return JSON(alert_json(alert), status_code=201)

