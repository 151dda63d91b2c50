"""Pandabase case lifecycle on the sandbox clock: merchant actions, customer/staff simulation, auto-close.

Every change goes through `cases.update` (indexes and cached list items follow), bumps
`updatedAt`, appends the SYSTEM timeline message Pandabase writes for status transitions, re-arms
the auto-close deadline and records a domain event. Cases have no Pandabase webhook, so the
events (`case.*`) feed the journal only; dispute events carry Pandabase's own names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ...generate import rng_for
from ...scenario import rule_overrides
from ...scheduler import Deadlines
from ...timefmt import iso_millis
from . import inferred
from .actions import (
    ACTION_BODIES,
    ActionBody,
    CloseBody,
    DisputeBody,
    EvidenceBody,
    OutcomeBody,
    ReplyBody,
    StatusBody,
)
from .generator import case_id, plain_id, staff_id
from .models import DISPUTE_OUTCOMES, AttachmentRecord, CaseRecord, DisputeRecord, MessageRecord, OrderRecord
from .scenario import RulesSpec

if TYPE_CHECKING:
    from .state import PandabaseState

CLOSED = "CLOSED"


@dataclass(frozen=True)
class Rules:
    """The lifecycle's windows and choices: inferred.py's defaults unless the scenario's `rules:` section
    overrides them (a None window: the rule is off)."""

    auto_close_after: timedelta | None = inferred.AUTO_CLOSE_AFTER
    new_case_status: str = inferred.NEW_CASE_STATUS
    auto_reply: str | None = None
    other_store_status: int = inferred.OTHER_STORE_STATUS
    dispute_evidence_window: timedelta | None = inferred.DISPUTE_EVIDENCE_WINDOW

    @classmethod
    def from_spec(cls, spec: RulesSpec) -> Rules:
        return cls(
            new_case_status=spec.new_case_status,
            auto_reply=spec.auto_reply,
            other_store_status=spec.other_store_status,
            **rule_overrides(spec),
        )


class Lifecycle:
    """Owns every transition of one Pandabase state."""

    def __init__(self, state: PandabaseState) -> None:
        self.state = state
        self.deadlines = Deadlines(state.ctx.scheduler, self.expire)
        self.dispute_deadlines = Deadlines(state.ctx.scheduler, self._lapse)
        self.opened = 0  # cases opened through the customer simulation, for their ids
        self.disputes_opened = 0  # disputes opened after the build (control, timeline), for theirs

    # -- deadlines ---------------------------------------------------------------------------
    def arm(self, case: CaseRecord) -> None:
        """Schedule the auto-close of an idle AWAITING_CUSTOMER case; any older deadline goes stale."""
        window = self.state.rules.auto_close_after
        idle = case.status == "AWAITING_CUSTOMER" and window is not None and case.idle_since is not None
        due = case.idle_since + window if idle and case.idle_since is not None and window is not None else None
        self.deadlines.arm(case.id, due)

    def expire(self, case_id: str, at: datetime) -> None:
        """The case's live auto-close fell due."""
        case = self.state.cases.get(case_id)
        if case is not None and case.status == "AWAITING_CUSTOMER":
            self.close(case, inferred.AUTO_CLOSE_BY, at)

    # -- helpers -----------------------------------------------------------------------------
    def _message(self, case: CaseRecord, sender: str, sender_id: str | None, body: str, at: datetime,
                 attachments: list[AttachmentRecord] | None = None, offset: int = 0) -> MessageRecord:
        """A timeline message; `offset` counts messages appended earlier in the same change."""
        rng = rng_for(self.state.ctx.seed, "pandabase-msg", case.id, len(case.messages) + offset)
        return MessageRecord(plain_id(rng, "csm_"), sender, sender_id, body, at, attachments or [])

    def _status_event(self, case: CaseRecord, previous: str, at: datetime, by: str) -> None:
        if previous != case.status:
            self.state.ctx.emit("case.updated", case.id, case.store_id, at, status={"from": previous, "to": case.status}, by=by)
            if case.status == CLOSED:
                self.state.ctx.emit("case.closed", case.id, case.store_id, at, closedBy=case.closed_by)

    # -- merchant API ------------------------------------------------------------------------
    def patch(self, case: CaseRecord, priority: str | None, status: str | None, at: datetime) -> str | None:
        """`PATCH /cases/{id}`: the documented rules, verbatim errors; None when applied."""
        if status == CLOSED and case.status == CLOSED:
            return "Case is already closed"
        if status == "OPEN" and case.status != CLOSED:
            return "Only closed cases can be reopened"
        if status == "AWAITING_CUSTOMER" and case.status == CLOSED:
            return "Cannot set status on a closed case"
        previous, old_priority = case.status, case.priority
        target = status if status is not None and status != case.status else None
        changed = target is not None
        system = None
        if target is not None:
            text = {
                CLOSED: inferred.TEXT_CLOSED_BY["MERCHANT"],
                "OPEN": inferred.TEXT_REOPENED_BY["MERCHANT"],
                "AWAITING_CUSTOMER": inferred.TEXT_AWAITING_CUSTOMER,
            }[target]
            system = self._message(case, "SYSTEM", None, text, at)

        def mutate(c: CaseRecord) -> None:
            if priority is not None:
                c.priority = priority
            if target is not None and system is not None:
                c.status = target
                c.messages.append(system)
                if status == CLOSED:
                    c.closed_at, c.closed_by, c.idle_since = at, "MERCHANT", None
                elif status == "OPEN":
                    c.closed_at, c.closed_by, c.idle_since = None, None, None
                else:
                    c.idle_since = at
            if changed or inferred.PATCH_BUMPS_UPDATED_AT:
                c.updated_at = at

        self.state.cases.update(case, mutate)
        if changed:
            self.arm(case)
            self._status_event(case, previous, at, "MERCHANT")
        if priority is not None and priority != old_priority:
            self.state.ctx.emit("case.updated", case.id, case.store_id, at, priority={"from": old_priority, "to": priority}, by="MERCHANT")
        return None

    def merchant_reply(self, case: CaseRecord, body: str, attachments: list[AttachmentRecord], sender_id: str | None,
                       at: datetime) -> MessageRecord | str:
        """`POST /cases/{id}/messages`: the reply, or the documented error on a closed case."""
        if case.status == CLOSED:
            return "Cannot send messages on a closed case — reopen it first"
        previous = case.status
        message = self._message(case, "MERCHANT", sender_id, body, at, attachments)

        def mutate(c: CaseRecord) -> None:
            c.messages.append(message)
            c.status = "AWAITING_CUSTOMER"
            c.unread_count = 0
            c.last_message_at, c.last_message_by = at, "MERCHANT"
            c.updated_at = at
            c.idle_since = at  # idle means no message since: each reply restarts the auto-close clock

        self.state.cases.update(case, mutate)
        self.arm(case)
        self.state.ctx.emit("case.message.created", case.id, case.store_id, at, messageId=message.id, senderType="MERCHANT")
        self._status_event(case, previous, at, "MERCHANT")
        return message

    def mark_read(self, case: CaseRecord, at: datetime) -> None:
        if case.unread_count == 0:
            return

        def mutate(c: CaseRecord) -> None:
            c.unread_count = 0
            if inferred.READ_BUMPS_UPDATED_AT:
                c.updated_at = at

        self.state.cases.update(case, mutate)

    # -- customer and platform side (the control plane and scenario timelines) ----------------
    def open_case(self, order: OrderRecord, subject: str, priority: str, body: str, at: datetime,
                  attachments: list[AttachmentRecord] | None = None) -> CaseRecord:
        """A customer opens a case on an order in the customer portal."""
        rng = rng_for(self.state.ctx.seed, "pandabase-open", order.store_id, self.opened)
        self.opened += 1
        new_id = case_id(rng)
        while new_id in self.state.cases:
            new_id = case_id(rng)
        case = CaseRecord(
            id=new_id, store_id=order.store_id, subject=subject, status=self.state.rules.new_case_status,
            priority=priority, order_id=order.id, customer_id=order.customer_id, last_message_at=at,
            last_message_by="CUSTOMER", unread_count=1, escalated=False, closed_at=None, closed_by=None,
            created_at=at, updated_at=at, idle_since=None,
        )
        case.messages.append(self._message(case, "SYSTEM", None, inferred.TEXT_OPENED, at))
        case.messages.append(self._message(case, "CUSTOMER", order.customer_id, body, at, attachments))
        if self.state.rules.auto_reply:
            sender = inferred.AUTO_REPLY_SENDER
            sender_id = None if sender == "SYSTEM" else self.state.member_ids[order.store_id]
            case.messages.append(self._message(case, sender, sender_id, self.state.rules.auto_reply, at))
            if sender != "SYSTEM":
                case.last_message_by = sender
        self.state.cases.add(case)
        self.arm(case)
        self.state.ctx.emit("case.created", case.id, case.store_id, at, status=case.status, orderId=order.id)
        return case

    def customer_reply(self, case: CaseRecord, body: str, at: datetime,
                       attachments: list[AttachmentRecord] | None = None) -> MessageRecord:
        """→ AWAITING_MERCHANT, unreadCount +1; a reply on a closed case reopens it."""
        previous = case.status
        reopen = None
        if case.status == CLOSED:
            reopen = self._message(case, "SYSTEM", None, inferred.TEXT_REOPENED_BY["CUSTOMER"], at)
        message = self._message(case, "CUSTOMER", case.customer_id, body, at, attachments, offset=reopen is not None)

        def mutate(c: CaseRecord) -> None:
            if reopen is not None:
                c.messages.append(reopen)
                c.closed_at = c.closed_by = None
            c.messages.append(message)
            c.status = inferred.CUSTOMER_REOPEN_STATUS if reopen is not None else "AWAITING_MERCHANT"
            c.unread_count += 1
            c.last_message_at, c.last_message_by = at, "CUSTOMER"
            c.updated_at = at
            c.idle_since = None

        self.state.cases.update(case, mutate)
        self.arm(case)
        self.state.ctx.emit("case.message.created", case.id, case.store_id, at, messageId=message.id, senderType="CUSTOMER")
        self._status_event(case, previous, at, "CUSTOMER")
        return message

    def staff_reply(self, case: CaseRecord, body: str, at: datetime) -> MessageRecord:
        """Pandabase support joins (first time: a SYSTEM line and `escalated: true`) and writes."""
        joined = None
        if not case.escalated and inferred.STAFF_JOIN_ESCALATES:
            joined = self._message(case, "SYSTEM", None, inferred.TEXT_STAFF_JOINED, at)
        message = self._message(case, "STAFF", staff_id(self.state.ctx.seed), body, at, offset=joined is not None)

        def mutate(c: CaseRecord) -> None:
            if joined is not None:
                c.messages.append(joined)
                c.escalated = True
            c.messages.append(message)
            c.unread_count += 1
            c.last_message_at, c.last_message_by = at, "STAFF"
            c.updated_at = at
            if c.status == "AWAITING_CUSTOMER":
                c.idle_since = at

        self.state.cases.update(case, mutate)
        self.arm(case)
        self.state.ctx.emit("case.message.created", case.id, case.store_id, at, messageId=message.id, senderType="STAFF")
        if joined is not None:
            self.state.ctx.emit("case.updated", case.id, case.store_id, at, escalated=True, by="STAFF")
        return message

    def close(self, case: CaseRecord, by: str, at: datetime) -> str | None:
        """Close on behalf of the customer, Pandabase staff or the system (auto-close)."""
        if case.status == CLOSED:
            return "Case is already closed"
        previous = case.status
        system = self._message(case, "SYSTEM", None, inferred.TEXT_CLOSED_BY[by], at)

        def mutate(c: CaseRecord) -> None:
            c.messages.append(system)
            c.status, c.closed_at, c.closed_by, c.idle_since = CLOSED, at, by, None
            c.updated_at = at

        self.state.cases.update(case, mutate)
        self.arm(case)
        self._status_event(case, previous, at, by)
        return None

    # -- disputes (docs/providers/pandabase.md "Disputes") -----------------------------------
    def arm_dispute(self, dispute: DisputeRecord) -> None:
        """Only an AWAITING_REVIEW dispute without evidence can lapse; anything else disarms it."""
        due = dispute.evidence_due if dispute.status == "AWAITING_REVIEW" and dispute.evidence is None else None
        self.dispute_deadlines.arm(dispute.id, due)

    def open_dispute(self, order: OrderRecord, reason: str, at: datetime) -> DisputeRecord | str:
        """The customer's bank files a chargeback on `order`: PAYMENT_DISPUTED, order → CHARGEBACK."""
        if order.id in self.state.disputed_orders:
            return f"order {order.id} is already disputed ({self.state.disputed_orders[order.id]})"
        rng = rng_for(self.state.ctx.seed, "pandabase-dispute", order.id, self.disputes_opened)
        self.disputes_opened += 1
        window = self.state.rules.dispute_evidence_window
        dispute = DisputeRecord(
            plain_id(rng, "dsp_"), order.store_id, order.id, reason, "AWAITING_REVIEW", at, at,
            amount=order.amount, fee=inferred.DISPUTE_FEE, total_amount=order.amount + inferred.PAYMENT_SURCHARGE,
            method=inferred.DISPUTE_METHOD, evidence=None, evidence_due=at + window if window is not None else None,
        )
        self.state.disputes.add(dispute)
        self.state.disputed_orders[order.id] = dispute.id
        self._order_status(order, "CHARGEBACK")  # documented: PAYMENT_DISPUTED moves the order to CHARGEBACK
        self._dispute_event("PAYMENT_DISPUTED", dispute, at)
        self.arm_dispute(dispute)
        return dispute

    def _order_status(self, order: OrderRecord, status: str) -> None:
        """Case details read the order live; list items and cached pages do not show its status."""
        order.status = status

    def _lapse(self, dispute_id: str, at: datetime) -> None:
        """No evidence within the window: the dispute is accepted, i.e. lost."""
        dispute = self.state.disputes.get(dispute_id)
        if dispute is not None and dispute.status == "AWAITING_REVIEW":
            self.decide_dispute(dispute, "LOST", at)

    def submit_evidence(self, dispute: DisputeRecord, log: str, at: datetime) -> str | None:
        """`POST …/disputes/{id}/evidence`: once, within the window; → UNDER_REVIEW, lapse cancelled."""
        if dispute.evidence is not None:
            return inferred.EVIDENCE_ALREADY_SUBMITTED
        if dispute.status != "AWAITING_REVIEW" or (dispute.evidence_due is not None and at >= dispute.evidence_due):
            return inferred.EVIDENCE_WINDOW_CLOSED if dispute.status == "LOST" else inferred.EVIDENCE_NOT_ACCEPTED.format(status=dispute.status)

        def mutate(d: DisputeRecord) -> None:
            d.evidence, d.status, d.updated_at = log, "UNDER_REVIEW", at

        self.state.disputes.update(dispute, mutate)
        self.arm_dispute(dispute)
        self.state.ctx.emit("dispute.updated", dispute.id, dispute.store_id, at,
                            status={"from": "AWAITING_REVIEW", "to": "UNDER_REVIEW"}, evidence=True)
        return None

    def decide_dispute(self, dispute: DisputeRecord, outcome: str, at: datetime) -> str | None:
        """The network's decision (or the lapse): WON returns the order to COMPLETED; PREVENTED
        charges the prevention fee; each sends its PAYMENT_DISPUTE_* webhook."""
        if outcome not in DISPUTE_OUTCOMES:
            return "outcome must be WON, LOST or PREVENTED"
        if dispute.status in DISPUTE_OUTCOMES:
            return f"dispute is already {dispute.status}"

        def mutate(d: DisputeRecord) -> None:
            d.status, d.updated_at = outcome, at
            if outcome == "PREVENTED":
                d.fee = inferred.PREVENTED_FEE

        self.state.disputes.update(dispute, mutate)
        self.arm_dispute(dispute)
        order = self.state.orders[dispute.order_id]
        self._order_status(order, "COMPLETED" if outcome == "WON" else "CHARGEBACK")
        self._dispute_event(f"PAYMENT_DISPUTE_{outcome}", dispute, at)
        return None

    def _dispute_event(self, event_type: str, dispute: DisputeRecord, at: datetime) -> None:
        """Snapshot the order and customer now: the webhook must show the state at the event."""
        order = self.state.orders[dispute.order_id]
        customer = self.state.customers.get(order.customer_id)
        rng = rng_for(self.state.ctx.seed, "pandabase-evt", dispute.id, event_type)
        self.state.ctx.emit(
            event_type, dispute.id, dispute.store_id, at,
            eventId=plain_id(rng, "evt_"), timestamp=iso_millis(at), disputeStatus=dispute.status,
            order={
                "id": order.id, "orderNumber": order.order_number, "status": order.status,
                "amount": order.amount, "currency": order.currency, "customFields": {}, "metadata": {},
                "items": [{"productId": order.product_id, "variantId": None, "name": order.product_name,
                           "quantity": 1, "amount": order.amount}],
            },
            customer={"id": customer.id, "email": customer.email} if customer else None,
        )

    # -- timeline entries and control-plane actions -------------------------------------------
    def timeline(self, record_id: str, action: str, data: dict, at: datetime) -> None:
        """A scenario timeline entry falls due. Its data was validated at load; an action the
        record's state refuses now is not dropped silently: an event and a log line say why."""
        body = ACTION_BODIES[action].model_validate(data)
        record: CaseRecord | DisputeRecord | None = self.state.cases.get(record_id) or self.state.disputes.get(record_id)
        problem = self.apply(record, action, body, at) if record is not None else f"no record {record_id!r}"
        if problem:
            self.state.ctx.timeline_refused(record_id, self._tenant(record), at, action, problem)

    @staticmethod
    def _tenant(record: CaseRecord | DisputeRecord | None) -> str:
        return record.store_id if record is not None else ""

    def apply(self, record: CaseRecord | DisputeRecord, action: str, body: ActionBody, at: datetime) -> str | None:
        """One named action (its body validated by ACTION_BODIES[action]); an error text or None."""
        if isinstance(record, DisputeRecord):
            match body:
                case EvidenceBody():
                    return self.submit_evidence(record, body.access_activity_log, at)
                case OutcomeBody():
                    return self.decide_dispute(record, body.outcome, at)
            return f"{action} applies to a case, not a dispute"
        case = record
        match body:
            case EvidenceBody() | OutcomeBody():
                return f"{action} applies to a dispute, not a case"
            case ReplyBody() if action == "customer_reply":
                self.customer_reply(case, body.text("Any update on this?"), at)
            case ReplyBody() if action == "staff_reply":
                self.staff_reply(case, body.text("Pandabase support here, looking into this case."), at)
            case ReplyBody():
                reply = self.merchant_reply(case, body.text("Thanks, we are on it."), [], self.state.member_ids[case.store_id], at)
                return reply if isinstance(reply, str) else None
            case StatusBody():
                return self.patch(case, body.priority, body.status, at)
            case CloseBody():
                return self.close(case, "CUSTOMER" if action == "customer_close" else body.who(), at)
            case DisputeBody():
                result = self.open_dispute(self.state.orders[case.order_id], body.reason, at)
                return result if isinstance(result, str) else None
        return None
