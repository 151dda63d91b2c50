"""Whop chargeback disputes on the sandbox clock: the store, payments, and the lifecycle.

A dispute opens `needs_response` (an inquiry `warning_needs_response`) with an evidence deadline.
Evidence is edited while `evidence_editable`; `submit` sends it (`under_review`), `accept`
concedes it (`lost`). Past the deadline a chargeback "reports and filters as `under_review`"
(its stored status stays; `window_closed` records why), an inquiry closes; the processor then
rules after the decision time. Every status change bumps `updated_at` and emits
`dispute.updated` with the previous status. Sources and inferred rules: docs/providers/whop-disputes.md
"Lifecycle", inferred.py.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ...bulk import SortKeys, deadlines, from_micros, micros, split
from ...generate import rng_for
from ...pagination import IndexedCollection
from ...provider import BuildContext
from ...scenario import rule_overrides
from ...scheduler import Deadlines
from . import inferred
from .dispute_models import OPEN_STATUSES, AlertRecord, DisputeRecord, FileRecord

if TYPE_CHECKING:
    from .scenario import CompanySpec, RulesSpec, WhopSection


@dataclass(frozen=True)
class DisputeRules:
    """Dispute windows; None: the rule is off."""

    evidence_window: timedelta | None = inferred.DISPUTE_EVIDENCE_WINDOW
    decision_time: timedelta | None = inferred.DISPUTE_DECISION_TIME

    @classmethod
    def from_spec(cls, spec: RulesSpec) -> DisputeRules:
        names = {"dispute_evidence_window": "evidence_window", "dispute_decision_time": "decision_time"}
        return cls(**rule_overrides(spec, names))


@dataclass(slots=True)
class PaymentInfo:
    """What the sandbox knows of a payment that a dispute or alert names."""

    id: str
    account_id: str
    amount: float
    currency: str
    created_at: datetime
    buyer_name: str | None = None
    buyer_username: str | None = None
    buyer_user_id: str | None = None
    member_id: str | None = None
    case_id: str | None = None
    refunded: bool = False


def dispute_sort_key(d: DisputeRecord) -> tuple:
    return (micros(d.created_at), d.id)


def dispute_groups(d: DisputeRecord) -> tuple[Hashable, ...]:
    """Per account; per status as reported; per currency; per both (filters are index unions)."""
    a, s, c = d.account_id, d.reported_status, d.currency
    return ((a,), (a, s), (a, "cur", c), (a, s, c))


def alert_sort_key(a: AlertRecord) -> tuple:
    return (micros(a.created_at), a.id)


def alert_groups(a: AlertRecord) -> tuple[Hashable, ...]:
    return ((a.account_id,), (a.account_id, "type", a.type), (a.account_id, "pay", a.payment_id))


class DisputeBook:
    """Disputes, alerts, evidence files and known payments of one scenario build."""

    def __init__(self, state: Any, section: WhopSection, ctx: BuildContext) -> None:
        from . import dispute_generator as gen

        self.state, self.ctx = state, ctx
        self.rules = DisputeRules.from_spec(section.rules)
        self.disputes: IndexedCollection[DisputeRecord] = IndexedCollection(lambda d: d.id, dispute_sort_key, dispute_groups)
        self.alerts: IndexedCollection[AlertRecord] = IndexedCollection(lambda a: a.id, alert_sort_key, alert_groups)
        self.files: dict[str, FileRecord] = {}
        self.file_bytes = 0
        self.file_seq = 0
        self.payments: dict[str, PaymentInfo] = {}
        self.currencies: dict[str, set[str]] = {}
        self.thresholds: dict[str, float | None] = {}
        self.by_payment: dict[str, list[str]] = {}  # hand-written and opened disputes, not bulk
        self.fixed: set[str] = set()  # ids of hand-written and opened disputes (the rest are bulk)
        self.deadlines = Deadlines(ctx.scheduler, self.expire)
        self.companies: dict[str, CompanySpec] = {c.id: c for c in section.companies}
        self.opened = 0  # disputes and alerts opened through the control plane (their seed index)
        for p in getattr(state, "payments", {}).values():  # the scenario customers' payments
            self.payments[p.id] = PaymentInfo(p.id, p.company_id, p.total, p.currency, p.created_at, buyer_user_id=p.user_id)
        for company in section.companies:
            self.thresholds[company.id] = company.dispute_alert_auto_refund_threshold_usd
            self._register_case_payments(company)
            hand = [gen.make_dispute(self, company, i, spec) for i, spec in enumerate(company.disputes)]
            self.disputes.add_many(hand)
            for dispute in hand:
                self.fixed.add(dispute.id)
                self.by_payment.setdefault(dispute.payment_id, []).append(dispute.id)
                self.payment_for(dispute)
                self._note(dispute)
                self.arm(dispute)
            if company.generate_disputes.count:
                self._add_bulk(company)
            alerts = [gen.make_alert(self, company, i, spec) for i, spec in enumerate(company.dispute_alerts)]
            alerts += gen.bulk_alerts(self, company)
            self.alerts.add_many(alerts)

    # -- bookkeeping -------------------------------------------------------------------------
    def _register_case_payments(self, company: CompanySpec) -> None:
        """Payments of the company's hand-written cases (with ids): a chargeback or an alert on one
        reaches its case. Bulk cases are not built for this."""
        for spec in company.cases:
            case = self.state.cases.get(spec.id) if spec.id else None
            if case is not None:
                self.payments[case.payment_id] = PaymentInfo(
                    case.payment_id, company.id, case.total, case.currency or "usd", case.payment_created_at,
                    case.user_name, case.username, case.user_id, case.member_id, case.id,
                )

    def _note(self, dispute: DisputeRecord) -> None:
        self.currencies.setdefault(dispute.account_id, set()).add(dispute.currency)

    def payment_for(self, dispute: DisputeRecord) -> PaymentInfo:
        """The dispute's payment, registered on first need (bulk disputes are never scanned)."""
        info = self.payments.get(dispute.payment_id)
        if info is None:
            info = self.payments[dispute.payment_id] = PaymentInfo(
                dispute.payment_id, dispute.account_id, dispute.amount, dispute.currency,
                dispute.payment_created_at, dispute.buyer_name, dispute.buyer_username,
                dispute.buyer_user_id, dispute.member_id, dispute.case_id,
            )
        return info

    def sort_value(self, order: str, account_id: str, key: tuple) -> tuple:
        """A dispute's `amount` or `evidence_due_at` sort value from its index key, without building
        a bulk record (its amount comes from its id, its deadline from its creation time)."""
        dispute_id = key[-1]
        if dispute_id in self.fixed:
            record = self.disputes.record_for(key)
            if order == "amount":
                return (record.amount,)
            return (1, 0) if record.evidence_due_at is None else (0, micros(record.evidence_due_at))
        if order == "amount":
            from .dispute_generator import bulk_amount  # the generator imports this module

            return (bulk_amount(self, self.companies[account_id], dispute_id),)
        window = self.rules.evidence_window
        return (1, 0) if window is None else (0, key[0] + window // timedelta(microseconds=1))

    def disputes_on(self, payment_id: str) -> list[DisputeRecord]:
        found = []
        for dispute_id in self.by_payment.get(payment_id, ()):
            dispute = self.disputes.get(dispute_id)
            if dispute is not None:
                found.append(dispute)
        return found

    def add_dispute(self, dispute: DisputeRecord) -> None:
        self.disputes.add(dispute)
        self.fixed.add(dispute.id)
        self.by_payment.setdefault(dispute.payment_id, []).append(dispute.id)
        self._note(dispute)
        self.arm(dispute)

    def _add_bulk(self, company: CompanySpec) -> None:
        from . import dispute_generator as gen

        cols = gen.bulk_columns(self, company)
        ids, labels, currencies = cols["ids"], cols["labels"], cols["currencies"]
        created_l, codes_l, cur_l = cols["created"].tolist(), cols["codes"].tolist(), cols["cur"].tolist()
        keys = SortKeys(cols["created"], ids)
        combined = cols["codes"] * len(currencies) + cols["cur"]
        pairs = [(company.id, s, c) for s in labels for c in currencies]
        groups = split(keys, combined, pairs)
        groups.update(split(keys, cols["codes"], [(company.id, s) for s in labels]))
        groups.update(split(keys, cols["cur"], [(company.id, "cur", c) for c in currencies]))
        groups[(company.id,)] = keys.group()
        self.currencies.setdefault(company.id, set()).update(currencies[c] for c in set(cur_l))

        def make(i: int) -> DisputeRecord:
            return gen.bulk_dispute(self, company, i, ids[i], labels[codes_l[i]], currencies[cur_l[i]], from_micros(created_l[i]), cols["entered"][i])

        self.disputes.add_lazy(ids, groups, make, keys)
        self.ctx.scheduler.stream(deadlines(cols["due"], ids, self.deadlines.first))

    # -- the clock ---------------------------------------------------------------------------
    def arm(self, dispute: DisputeRecord, since: datetime | None = None) -> None:
        self.deadlines.arm(dispute.id, self.next_deadline(dispute, since))

    def next_deadline(self, d: DisputeRecord, since: datetime | None = None) -> datetime | None:
        if d.editable:
            return d.evidence_due_at
        if d.reported_status in ("under_review", "warning_under_review") and self.rules.decision_time:
            start = since or d.evidence_submitted_at or d.evidence_due_at or d.updated_at
            return start + self.rules.decision_time
        return None

    def expire(self, dispute_id: str, at: datetime) -> None:
        d = self.disputes.get(dispute_id)
        if d is None:
            return
        if d.editable:
            if d.inquiry:
                self.change(d, at, lambda r: setattr(r, "status", inferred.DISPUTE_INQUIRY_UNANSWERED_TO))
            else:
                self.change(d, at, lambda r: setattr(r, "window_closed", True))
        elif d.reported_status == "warning_under_review":
            self.change(d, at, lambda r: setattr(r, "status", "warning_closed"))
        elif d.reported_status == "under_review":
            answered = d.evidence_submitted_at is not None
            rng = rng_for(self.ctx.seed, "whop-dispute-decision", d.id)
            won = answered and rng.random() < inferred.DISPUTE_SUBMITTED_WIN_SHARE
            self.decide(d, "merchant" if won else "customer", at)

    # -- transitions -------------------------------------------------------------------------
    def change(self, d: DisputeRecord, at: datetime, mutate: Callable[[DisputeRecord], Any]) -> None:
        """Apply `mutate`, bump `updated_at`, re-arm; `dispute.updated` when the status moved
        (or on any change, were inferred.DISPUTE_UPDATED_ON_EVIDENCE_EDIT set)."""
        before = d.reported_status

        def apply(r: DisputeRecord) -> None:
            mutate(r)
            r.updated_at = at

        self.disputes.update(d, apply)
        self.arm(d, since=at)
        if d.reported_status != before or inferred.DISPUTE_UPDATED_ON_EVIDENCE_EDIT:
            self.ctx.emit("dispute.updated", d.id, d.account_id, at, previous={"status": before}, status=d.reported_status)

    def decide(self, d: DisputeRecord, winner: str, at: datetime) -> None:
        """The issuer rules: `merchant` → won, `customer` → lost (an inquiry closes either way)."""
        status = "warning_closed" if d.inquiry else ("won" if winner == "merchant" else "lost")
        self.change(d, at, lambda r: setattr(r, "status", status))
        if not d.inquiry:
            self._tell_case(d, f"dispute_{winner}_won", at, f"{winner}_won")

    def submit(self, d: DisputeRecord, at: datetime) -> None:
        def mutate(r: DisputeRecord) -> None:
            r.status = "warning_under_review" if r.inquiry else "under_review"
            r.evidence_submitted_at = at

        self.change(d, at, mutate)

    def accept(self, d: DisputeRecord, at: datetime) -> None:
        self.change(d, at, lambda r: setattr(r, "status", "lost"))
        self._tell_case(d, "dispute_customer_won", at, "customer_won")

    def refund_payment(self, payment: PaymentInfo, at: datetime, why: str) -> None:
        """A refund before any ruling: open disputes on the payment settle `prevented`, an open
        case on it closes for the customer."""
        payment.refunded = True
        for d in self.disputes_on(payment.id):
            if d.status in OPEN_STATUSES:
                self.change(d, at, lambda r: setattr(r, "status", "prevented"))
        self._tell_case_id(payment.case_id, "accepted", at, "customer_won", why)

    def open_chargeback(self, d: DisputeRecord, at: datetime) -> None:
        self.add_dispute(d)
        self.payment_for(d)
        self.ctx.emit("dispute.created", d.id, d.account_id, at, status=d.reported_status)
        self._tell_case_id(d.case_id, "dispute_opened", at, None, "The customer opened a chargeback.")

    def raise_alert(self, alert: AlertRecord, at: datetime) -> None:
        self.alerts.add(alert)
        self.ctx.emit("dispute_alert.created", alert.id, alert.account_id, at, alert_type=alert.type)
        payment = self.payments.get(alert.payment_id or "")
        if alert.auto_refunded and payment is not None and not payment.refunded:
            self.refund_payment(payment, at, "Refunded automatically after a dispute alert.")

    # -- the linked resolution center case (its own lifecycle does the change) -----------------
    def _tell_case(self, d: DisputeRecord, action: str, at: datetime, status: str | None) -> None:
        self._tell_case_id(d.case_id, action, at, status, f"Chargeback {d.id}: {action.replace('_', ' ')}.")

    def _tell_case_id(self, case_id: str | None, action: str, at: datetime, status: str | None, details: str) -> None:
        case = self.state.cases.get(case_id) if case_id else None
        if case is None:
            return
        lifecycle = self.state.lifecycle
        if status is None or case.status in ("customer_won", "merchant_won", "customer_withdrew"):
            lifecycle.add_event(case, action, "system", details, at)
        else:
            lifecycle.transition(case, status, at, action, "system", details)
