"""Whop case lifecycle on the sandbox clock: deadlines, automatic review, forced outcomes, and the
current API's case actions (accept, deny, request_info, reply, appeal, withdraw, create).

Response actions are derived from the status (docs/providers/whop.md, "Case lifecycle"), never
stored, so they cannot disagree with it; the current API's `available_actions` are read from the
same stored status through the tables below. Every transition bumps `updated_at`, appends a resolution event, re-arms the
next deadline and is recorded as domain events (`resolution_center_case.updated`, and
`.decided` when the case is won or lost).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ...generate import random_for, rng_for
from ...scenario import rule_overrides
from ...scheduler import Deadlines
from . import inferred
from .models import DECIDED, STATUSES, CaseRecord, EventRecord, new_id
from .scenario import RulesSpec

MERCHANT_ACTIONS = {
    "merchant_response_needed": ["accept", "deny", "request_more_info"],
    "merchant_info_needed": ["respond"],
}
CUSTOMER_ACTIONS = {
    "merchant_response_needed": ["withdraw"],
    "customer_response_needed": ["respond", "withdraw"],
    "under_platform_review": ["withdraw"],
    "customer_info_needed": ["respond"],
}
PLATFORM_ACTIONS = {
    "under_platform_review": ["request_buyer_info", "request_merchant_info", "merchant_wins", "merchant_refund"],
}


# Current API `available_actions` per caller role and legacy status (docs/providers/whop.md,
# "Case lifecycle"); `request_info` drops after REQUEST_INFO_LIMIT uses, `appeal` after one.
CURRENT_ACTIONS = {
    "merchant": {
        "merchant_response_needed": ("accept", "deny", "request_info"),
        "customer_response_needed": ("accept",),
        "under_platform_review": ("accept",),
        "merchant_info_needed": ("accept", "reply"),
        "customer_info_needed": ("accept",),
    },
    "customer": {
        "merchant_response_needed": ("withdraw",),
        "customer_response_needed": ("reply", "withdraw"),
        "under_platform_review": ("withdraw",),
        "merchant_info_needed": ("withdraw",),
        "customer_info_needed": ("reply", "withdraw"),
        "merchant_won": ("appeal",),
    },
}


def _system_moves(status: str) -> int:
    """How many deadlines a case in `status` can pass with nobody acting (each leads on, by
    `EXPIRES_TO`, to Whop's review, whose decision ends it)."""
    moves = 0
    while status in inferred.EXPIRES_TO or status == "under_platform_review":
        status, moves = inferred.EXPIRES_TO.get(status, "merchant_won"), moves + 1
    return moves


MAX_SYSTEM_MOVES = max(map(_system_moves, STATUSES))  # 2: a response window, then the review
REQUEST_INFO_LIMIT = 3  # documented: "Allowed up to 3 times per case before you must accept or deny it"


def merchant_info_requests(case: CaseRecord) -> int:
    return sum(1 for e in case.events if e.action == "requested_more_info" and e.reporter_type == "merchant")


def available_actions(case: CaseRecord, role: str) -> list[str]:
    """What `role` can do to the case right now, named for the endpoint that does it."""
    actions = CURRENT_ACTIONS[role].get(case.status, ())
    if "request_info" in actions and merchant_info_requests(case) >= REQUEST_INFO_LIMIT:
        actions = tuple(a for a in actions if a != "request_info")
    if "appeal" in actions and case.customer_appealed:
        actions = ()
    return list(actions)


def customer_actions(case: CaseRecord) -> list[str]:
    if case.status == "merchant_won" and not case.customer_appealed:
        return ["appeal"]
    return CUSTOMER_ACTIONS.get(case.status, [])


def merchant_actions(case: CaseRecord) -> list[str]:
    if case.status == "customer_won" and not case.merchant_appealed:
        return ["appeal"]
    return MERCHANT_ACTIONS.get(case.status, [])


def platform_actions(case: CaseRecord) -> list[str]:
    return PLATFORM_ACTIONS.get(case.status, [])


@dataclass(frozen=True)
class Rules:
    """Lifecycle windows; None means the rule is off (the status never ends by itself)."""

    merchant_response_window: timedelta | None = inferred.MERCHANT_RESPONSE_WINDOW
    info_request_window: timedelta | None = inferred.INFO_REQUEST_WINDOW
    platform_review_time: timedelta | None = inferred.PLATFORM_REVIEW_TIME

    @classmethod
    def from_spec(cls, spec: RulesSpec) -> Rules:
        # the dispute_* rules of the same section belong to DisputeRules (disputes.py)
        return cls(**rule_overrides(spec, {name: name for name in cls.__dataclass_fields__}))

    def window_for(self, status: str) -> timedelta | None:
        """How long the party named by `status` has to act (None: no running deadline)."""
        if status == "merchant_response_needed":
            return self.merchant_response_window
        if status in inferred.EXPIRES_TO:
            return self.info_request_window
        return None


def due_after(rules: Rules, status: str, since: datetime) -> datetime | None:
    window = rules.window_for(status)
    return since + window if window is not None else None


class Lifecycle:
    """Owns transitions of one Whop state; the state's collection keeps indexes in step."""

    def __init__(self, state) -> None:
        self.state = state
        self.deadlines = Deadlines(state.ctx.scheduler, self.expire)

    # -- arming ------------------------------------------------------------------------------
    def arm(self, case: CaseRecord, since: datetime | None = None) -> None:
        """Schedule whatever ends the case's current status by itself."""
        self.deadlines.arm(case.id, self.next_deadline(case, since))

    def next_deadline(self, case: CaseRecord, since: datetime | None = None) -> datetime | None:
        return self._deadline(case.status, case.due_date, since or case.updated_at)

    def deadline_on_entry(self, status: str, at: datetime) -> datetime | None:
        """The deadline a case entering `status` at `at` runs: `next_deadline` of the case
        `transition` leaves (its due date, or Whop's review time from `at`)."""
        due = due_after(self.state.rules, status, at) if status in inferred.EXPIRES_TO else None
        return self._deadline(status, due, at)

    def _deadline(self, status: str, due: datetime | None, since: datetime) -> datetime | None:
        """What ends `status` by itself: a response window's due date, or Whop's review time."""
        if status in inferred.EXPIRES_TO:
            return due
        if status == "under_platform_review" and self.state.rules.platform_review_time:
            return since + self.state.rules.platform_review_time
        return None

    def outcome(self, case_id: str, status: str, events: int) -> tuple[str, str] | None:
        """(new status, action) when the deadline of a case in `status` with `events` history
        entries passes (they seed Whop's review); None: nothing happens. What a move over bulk
        cases nobody has read needs (`BulkFacts.expire`); `expiry` adds the history entry's words."""
        target = inferred.EXPIRES_TO.get(status)
        if target is not None:
            return target, "escalated" if target == "under_platform_review" else "responded"
        if status == "under_platform_review":
            draw = random_for(self.state.ctx.seed, "whop-review", case_id, events)
            return "customer_won" if draw < inferred.PLATFORM_CUSTOMER_WIN_SHARE else "merchant_won", "responded"
        return None

    def expiry(self, case_id: str, status: str, events: int) -> tuple[str, str, str, str] | None:
        """`outcome` with the reporter and details of the history entry the transition adds."""
        found = self.outcome(case_id, status, events)
        if found is None:
            return None
        target, action = found
        if status in inferred.EXPIRES_TO:
            return target, action, "system", f"No response before the deadline ({status})."
        return target, action, "platform", f"Whop decided in favour of the {target.split('_')[0]}."

    def expire(self, case_id: str, at: datetime) -> None:
        """The case's live deadline fell due (every transition re-arms). A bulk case nobody has
        read yet moves in its columns (`BulkFacts.expire`), built only when first read."""
        case = self.state.cases.built(case_id)
        if case is None:
            where = self.state.cases.unbuilt(case_id)
            if where is not None:
                self.state.bulk_cases[where[0]].expire(self, where[1], at)
            return
        outcome = self.expiry(case.id, case.status, len(case.events))
        if outcome is not None:
            self.transition(case, outcome[0], at, *outcome[1:])

    def replay(self, case: CaseRecord, moves: list[datetime]) -> CaseRecord:
        """A bulk case just built from its first columns, moved by the deadlines that passed
        before anyone read it (`BulkFacts.expire` recorded their instants): the very changes
        `transition` would have made then."""
        for at in moves:
            outcome = self.expiry(case.id, case.status, len(case.events))
            assert outcome is not None, (case.id, case.status)
            self.change(case, outcome[0], at, *outcome[1:])
        return case

    # -- transitions -------------------------------------------------------------------------
    def change(
        self,
        c: CaseRecord,
        status: str,
        at: datetime,
        action: str,
        reporter: str,
        details: str | None,
        attachments: tuple[str, ...] = (),
        visible: bool = True,
        refund: str | None = None,
        flags: dict[str, bool] | None = None,
    ) -> None:
        """What a transition changes in the record itself (no index, deadline or event)."""
        rng = rng_for(self.state.ctx.seed, "whop-event", c.id, len(c.events))
        c.status = status
        c.updated_at = at
        c.due_date = due_after(self.state.rules, status, at)
        c.refund = refund or inferred.REFUND_ON_CLOSE.get(status)
        for name, value in (flags or {}).items():
            setattr(c, name, value)
        c.events.append(EventRecord(new_id(rng, "revt_"), action, reporter, details, at, list(attachments), visible))

    def transition(
        self,
        case: CaseRecord,
        status: str,
        at: datetime,
        action: str,
        reporter: str,
        details: str | None,
        attachments: tuple[str, ...] = (),
        visible: bool = True,
        refund: str | None = None,
        flags: dict[str, bool] | None = None,
    ) -> None:
        previous = case.status
        self.state.update(case, lambda c: self.change(c, status, at, action, reporter, details, attachments, visible, refund, flags))
        self.arm(case, since=at)
        self.announce(case.id, case.company_id, at, previous, status, action)

    def announce(self, case_id: str, company_id: str, at: datetime, previous: str, status: str, action: str) -> None:
        """The domain events of a transition."""
        ctx = self.state.ctx  # its event log directly: a clock move announces every transition
        ctx.events.emit(ctx.provider_key, "resolution_center_case.updated", case_id, company_id, at,
                        status={"from": previous, "to": status}, action=action)
        if status in DECIDED and previous not in DECIDED:
            ctx.events.emit(ctx.provider_key, "resolution_center_case.decided", case_id, company_id, at, status=status)

    def add_event(self, case: CaseRecord, action: str, reporter: str, details: str | None, at: datetime) -> None:
        """A message that does not change the status (e.g. a reply while under review)."""
        rng = rng_for(self.state.ctx.seed, "whop-event", case.id, len(case.events))

        def mutate(c: CaseRecord) -> None:
            c.updated_at = at
            c.events.append(EventRecord(new_id(rng, "revt_"), action, reporter, details, at))

        self.state.update(case, mutate)
        self.state.ctx.emit("resolution_center_case.updated", case.id, case.company_id, at, action=action)

    def apply(self, case: CaseRecord, action: str, data: dict, at: datetime) -> str | None:
        """A scenario timeline entry or a control-plane request; returns an error or None."""
        details = data.get("details") or data.get("message")
        match action:
            case "set_status":
                status = data.get("status")
                if status not in STATUSES:
                    return f"status must be one of {', '.join(STATUSES)}"
                self.transition(case, status, at, data.get("event", "responded"), data.get("reporter_type", "platform"), details)
            case "customer_reply":
                target = "merchant_response_needed" if case.status in ("customer_response_needed", "customer_info_needed") else case.status
                if target == case.status:
                    self.add_event(case, "responded", "customer", details or "Customer replied.", at)
                else:
                    self.transition(case, "under_platform_review" if case.status == "customer_info_needed" else target, at, "responded", "customer", details or "Customer replied.")
            case "merchant_reply":
                if case.status == "merchant_info_needed":
                    self.transition(case, "under_platform_review", at, "responded", "merchant", details or "Merchant replied.")
                else:
                    self.add_event(case, "responded", "merchant", details or "Merchant replied.", at)
            case "request_info":
                party = data.get("from", "customer")
                status = {"customer": "customer_info_needed", "merchant": "merchant_info_needed"}.get(party)
                if status is None:
                    return "from must be customer or merchant"
                self.transition(case, status, at, "requested_more_info", "platform", details, visible=party == "customer")
            case "appeal":
                by = data.get("by", "customer" if case.status == "merchant_won" else "merchant")
                if by not in ("customer", "merchant"):
                    return "by must be customer or merchant"
                self.transition(case, "under_platform_review", at, "appealed", by, details, flags={f"{by}_appealed": True})
            case "decide":
                winner = data.get("winner")
                if winner not in ("customer", "merchant"):
                    return "winner must be customer or merchant"
                note = details or f"Whop decided in favour of the {winner}."
                self.transition(case, f"{winner}_won", at, "responded", "platform", note, refund=data.get("refund"))
            case "withdraw":
                self.transition(case, "customer_withdrew", at, "withdrew", "customer", details)
            case _:
                return f"unknown action {action!r}"
        return None

    # -- the current API's case actions -------------------------------------------------------
    def act(self, case: CaseRecord, role: str, action: str, message: str | None, attachments: tuple[str, ...], at: datetime) -> None:
        """One current-API action the caller's `available_actions` offers (checked by the route)."""
        match role, action:
            case "merchant", "accept":
                self.transition(case, "customer_won", at, "accepted", role, message, attachments, refund="merchant")
            case "merchant", "deny":
                self.transition(case, "merchant_won", at, "denied", role, message, attachments)
            case "merchant", "request_info":
                self.transition(case, "customer_response_needed", at, "requested_more_info", role, message, attachments)
            case "merchant", "reply":  # answers Whop's request: back to Whop's review
                self.transition(case, "under_platform_review", at, "responded", role, message, attachments)
            case "customer", "reply":
                target = "under_platform_review" if case.status == "customer_info_needed" else "merchant_response_needed"
                self.transition(case, target, at, "responded", role, message, attachments)
            case "customer", "appeal":
                self.transition(case, "under_platform_review", at, "appealed", role, message, attachments, flags={"customer_appealed": True})
            case "customer", "withdraw":
                self.transition(case, "customer_withdrew", at, "withdrew", role, message, attachments)
            case _:
                raise ValueError(f"{role} cannot {action}")

    def open(self, case: CaseRecord) -> None:
        """A case a customer just created: stored, armed and announced (`.created`)."""
        self.state.add(case)
        self.arm(case)
        self.state.ctx.emit("resolution_center_case.created", case.id, case.company_id, case.created_at)
