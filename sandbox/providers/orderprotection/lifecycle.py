"""OrderProtection claim lifecycle on the sandbox clock (docs/providers/orderprotection.md "Lifecycle").

Store settings auto-close Pending claims (WAITING_FOR_CUSTOMER) with no customer reply after N
days and move On Hold claims (WAITING_FOR_BRAND) back to To Do after N days; N and the target
states are in inferred.py. Every transition bumps `updatedAt`, appends a `system` message
(the claim's own history), re-arms the next deadline and emits `message.created`; entering
APPROVED/DENIED also appends a resolution and emits `claim.approved`/`claim.denied`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from ...control import validation_problems
from ...generate import rng_for
from ...scenario import rule_overrides
from ...scheduler import Deadlines
from . import inferred
from .ids import cuid
from .models import (
    DENIAL_TYPES,
    ClaimRecord,
    CreditRecord,
    MessageRecord,
    ResolutionRecord,
)
from .scenario import ACTION_BODIES, DecisionBody, MessageBody, RulesSpec, SetStateBody


@dataclass(frozen=True)
class Rules:
    """The store-settings windows after which a claim leaves Pending or On Hold (None: never);
    inferred.py's defaults unless the scenario's `rules:` section overrides them."""

    pending_auto_close: timedelta | None = inferred.PENDING_AUTO_CLOSE
    on_hold_return: timedelta | None = inferred.ON_HOLD_RETURN

    @classmethod
    def from_spec(cls, spec: RulesSpec) -> Rules:
        return cls(**rule_overrides(spec))

    def window_for(self, state: str) -> timedelta | None:
        """How long a claim may sit in `state` before the store settings move it (None: no limit)."""
        if state == "WAITING_FOR_CUSTOMER":
            return self.pending_auto_close
        if state == "WAITING_FOR_BRAND":
            return self.on_hold_return
        return None


def _days(window: timedelta) -> str:
    days = window.total_seconds() / 86400
    return f"{days:g} day" + ("" if days == 1 else "s")


def refund_amount(order, claim: ClaimRecord, include_shipping: bool = True) -> float:
    """Σ (price − discount + tax) × quantity over the claimed items, plus shipping (docs/providers/orderprotection.md "Webhooks", amount rule)."""
    by_id = {item.id: item for item in order.items} if order else {}
    total = 0.0
    for claimed in claim.items:
        item = by_id.get(claimed.item_id)
        if item is not None:
            total += (item.price - item.discount + item.tax) * claimed.quantity
    if include_shipping and order is not None:
        total += order.shipping_amount + order.shipping_tax
    return round(total, 2)


class Lifecycle:
    """Owns the transitions of one OrderProtection state; the collection keeps indexes in step."""

    def __init__(self, state) -> None:
        self.state = state
        self.deadlines = Deadlines(state.ctx.scheduler, self.expire)

    # -- arming ------------------------------------------------------------------------------
    def arm(self, claim: ClaimRecord) -> None:
        """Schedule the store-settings move that ends the claim's current state, if any."""
        self.deadlines.arm(claim.id, self.due_at(claim))

    def due_at(self, claim: ClaimRecord) -> datetime | None:
        window = self.state.rules.window_for(claim.state)
        if window is None or claim.deleted_at is not None:
            return None
        return (claim.state_since or claim.updated_at) + window

    def expire(self, claim_id: str, at: datetime) -> None:
        """The claim's live deadline fell due (a transition, a moving reply or a delete re-arms)."""
        claim = self.state.claims.get(claim_id)
        if claim is None or claim.deleted_at is not None:
            return
        window = self.state.rules.window_for(claim.state)
        if claim.state == "WAITING_FOR_CUSTOMER":
            note = f"Claim closed automatically: no reply from the customer within {_days(window)}."
            self.transition(claim, "CLOSED", at, note)
        elif claim.state == "WAITING_FOR_BRAND":
            note = f"Claim moved back to To Do after {_days(window)} on hold."
            self.transition(claim, inferred.ON_HOLD_RETURNS_TO, at, note)

    # -- building blocks -------------------------------------------------------------------------
    def _rng(self, claim: ClaimRecord, what: str):
        return rng_for(
            self.state.ctx.seed, "op-life", what, claim.id, len(claim.messages), len(claim.resolutions)
        )

    def _message(self, claim: ClaimRecord, sender: str, text: str, author: str, at: datetime) -> MessageRecord:
        return MessageRecord(cuid(self._rng(claim, "msg"), at), sender, text, author, at)

    def transition(
        self,
        claim: ClaimRecord,
        state: str,
        at: datetime,
        note: str | None = None,
        resolution: ResolutionRecord | None = None,
        credit: CreditRecord | None = None,
    ) -> None:
        previous = claim.state
        text = note or f"Claim status changed from {previous} to {state}."
        message = self._message(claim, "system", text, inferred.SYSTEM_AUTHOR, at)

        def mutate(c: ClaimRecord) -> None:
            c.state = state
            c.updated_at = at
            c.state_since = at
            c.messages.append(message)
            if resolution is not None:
                c.resolutions.append(resolution)
                c.resolution_date = at
            if credit is not None:
                c.credits.append(credit)

        self.state.claims.update(claim, mutate)
        self.arm(claim)
        emit = self.state.ctx.emit
        emit("message.created", claim.id, claim.store_id, at, message_id=message.id, state={"from": previous, "to": state})
        if resolution is not None and state in ("APPROVED", "DENIED"):
            topic = "claim.approved" if state == "APPROVED" else "claim.denied"
            emit(topic, claim.id, claim.store_id, at, resolution_id=resolution.id, resolution=resolution.resolution)

    def add_message(self, claim: ClaimRecord, sender: str, text: str, author: str | None, at: datetime) -> None:
        """A message that may move the claim: a customer reply to a Pending claim puts it in To Do."""
        author = author or (claim.author_name if sender == "customer" else inferred.SYSTEM_AUTHOR)
        message = self._message(claim, sender, text, author, at)
        moves = sender == "customer" and claim.state == "WAITING_FOR_CUSTOMER"

        def mutate(c: ClaimRecord) -> None:
            c.messages.append(message)
            c.updated_at = at
            if moves:
                c.state = inferred.CUSTOMER_REPLY_MOVES_TO
                c.state_since = at

        previous = claim.state
        self.state.claims.update(claim, mutate)
        data: dict[str, Any] = {"message_id": message.id}
        if moves:
            self.arm(claim)
            data["state"] = {"from": previous, "to": claim.state}
        self.state.ctx.emit("message.created", claim.id, claim.store_id, at, **data)

    def decide(
        self, claim: ClaimRecord, approve: bool, kind: str, at: datetime, details: str | None = None,
        paid_value: float | None = None,
    ) -> str | None:
        """Approve or deny with a resolution of type `kind`; returns an error text or None."""
        allowed = inferred.APPROVAL_TYPES if approve else DENIAL_TYPES
        if kind not in allowed:
            return f"type must be one of {', '.join(allowed)}"
        if claim.state in inferred.TERMINAL or claim.state == "APPROVED":
            return f"claim {claim.id} is already {claim.state}"
        order = self.state.orders.get((claim.store_id, claim.source_order_id))
        state = "APPROVED" if approve else "DENIED"
        amount = paid_value if paid_value is not None else (refund_amount(order, claim) if approve else 0.0)
        rng = self._rng(claim, "res")
        currency = order.currency if order else "USD"
        resolution = ResolutionRecord(
            id=cuid(rng, at),
            resolution=kind,
            claim_state=state,
            user_id=self.state.user_id(claim.store_id),
            details=details or (f"Claim approved: {kind}." if approve else f"Claim denied: {kind}."),
            paid_value=amount,
            paid_currency=currency,
            include_shipping=approve,
            shipping_amount=order.shipping_amount if approve and order else 0.0,
            credit_store=kind in ("STORE_CREDIT", "CREDIT"),
            created_at=at,
            updated_at=at,
        )
        credit = None
        if approve and kind in ("STORE_CREDIT", "CREDIT"):
            code = "OP-" + "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=12))
            credit = CreditRecord("GIFT_CARD", code, "SENT", at, amount, 0.0, "NONE", currency, at, at)
        note = resolution.details
        self.transition(claim, state, at, note, resolution, credit)
        return None

    def delete(self, claim: ClaimRecord, at: datetime) -> None:
        def mutate(c: ClaimRecord) -> None:
            c.deleted_at = at
            c.updated_at = at

        self.state.claims.update(claim, mutate)
        self.arm(claim)  # a new token: pending deadlines of a deleted claim are void

    # -- scenario timeline and control plane ------------------------------------------------------
    def apply(self, claim: ClaimRecord | None, action: str, data: dict[str, Any], at: datetime) -> str | None:
        """A timeline entry or a control request; returns an error text or None. The body is
        validated (scenario.ACTION_BODIES) before anything changes."""
        model = ACTION_BODIES.get(action)
        if model is None:
            return f"unknown action {action!r} ({', '.join(ACTION_BODIES)})"
        try:
            body = model.model_validate(data)
        except ValidationError as exc:
            return "; ".join(validation_problems(exc))
        if claim is None or claim.deleted_at is not None:
            return "claim does not exist or is deleted"
        if isinstance(body, SetStateBody):
            self.transition(claim, body.state, at, body.message)
        elif isinstance(body, MessageBody):
            self.add_message(claim, body.sender_type, body.message, body.author_name, at)
        elif isinstance(body, DecisionBody):
            approve = action == "approve"
            kind = body.type or ("REFUND" if approve else "NOT_COVERED")
            return self.decide(claim, approve, kind, at, body.details, body.paid_value)
        else:
            self.delete(claim, at)
        return None

    def fire(self, claim_id: str, action: str, data: dict[str, Any], at: datetime) -> None:
        """A timeline entry falling due. One that is invalid by then (the claim was approved or
        deleted meanwhile) is not dropped silently: the core's `timeline_refused` event and log line."""
        claim = self.state.claims.get(claim_id)
        problem = self.apply(claim, action, data, at)
        if problem is not None:
            self.state.ctx.timeline_refused(claim_id, claim.store_id if claim else "", at, action, problem)
