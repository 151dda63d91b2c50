"""Shoplazza dispute lifecycle on the sandbox clock.

Automatic moves (docs/providers/shoplazza.md §5): `needs_response` past `expiration_time` → `lost`;
`warning_needs_response` past `expiration_time` → `warning_closed`; `warning_under_review` after
the warning review time → `warning_closed`; `under_review` after the review time → `won`|`lost`
(drawn from the seed). Shoplazza's object has no history, so a transition only bumps `updated_at`,
re-arms the next deadline and emits a domain event (`disputes/update`, a sandbox-invented name:
Shoplazza has no dispute webhook topic).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ...generate import rng_for
from ...scenario import rule_overrides
from ...scheduler import Deadlines
from ...timefmt import resolve_time
from . import inferred
from .models import STATUSES, DisputeRecord
from .scenario import RulesSpec

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Rules:
    """The response and review windows: inferred.py's defaults unless the scenario's `rules:` section
    overrides them; None: that status never ends by itself."""

    response_window: timedelta | None = inferred.RESPONSE_WINDOW
    warning_response_window: timedelta | None = inferred.WARNING_RESPONSE_WINDOW
    review_time: timedelta | None = inferred.REVIEW_TIME
    warning_review_time: timedelta | None = inferred.WARNING_REVIEW_TIME

    @classmethod
    def from_spec(cls, spec: RulesSpec) -> Rules:
        return cls(**rule_overrides(spec))

    def window_for(self, status: str) -> timedelta | None:
        """How long the merchant has to respond in `status` (None: no expiration running)."""
        if status == "needs_response":
            return self.response_window
        if status == "warning_needs_response":
            return self.warning_response_window
        return None

    def review_for(self, status: str) -> timedelta | None:
        if status == "under_review":
            return self.review_time
        if status == "warning_under_review":
            return self.warning_review_time
        return None

    def shown_window(self, status: str) -> timedelta:
        """The response window `expiration_time` shows; with the rule `off` nothing lapses, but
        every dispute still carries the field, so it shows the documented default."""
        default = inferred.WARNING_RESPONSE_WINDOW if status == "warning_needs_response" else inferred.RESPONSE_WINDOW
        return self.window_for(status) or default

    def expiration(self, status: str, since: datetime) -> datetime:
        """The response deadline for a dispute entering `status` at `since` (seed example: midnight UTC)."""
        window = self.shown_window(status)
        deadline = (since + window).replace(microsecond=0)
        if inferred.EXPIRATION_AT_MIDNIGHT and window >= DAY:
            deadline = deadline.replace(hour=0, minute=0, second=0)
        return deadline


class Lifecycle:
    """Owns the transitions of one Shoplazza state; the state's collection keeps indexes in step."""

    def __init__(self, state) -> None:
        self.state = state
        self.deadlines = Deadlines(state.ctx.scheduler, self.expire)

    # -- arming ------------------------------------------------------------------------------
    def arm(self, dispute: DisputeRecord, since: datetime | None = None) -> None:
        """Schedule whatever ends the dispute's current status by itself (stale ones are ignored)."""
        self.deadlines.arm(dispute.id, self.next_deadline(dispute, since))

    def next_deadline(self, dispute: DisputeRecord, since: datetime | None = None) -> datetime | None:
        """When the current status ends by itself: the expiration, or the end of the review."""
        if dispute.status in inferred.EXPIRES_TO:
            return dispute.expiration_time
        review = self.state.rules.review_for(dispute.status)
        if review is not None:
            return (since or dispute.updated_at) + review
        return None

    def expiry(self, dispute_id: str, status: str, at: datetime) -> tuple[str, str] | None:
        """(new status, cause) when the deadline of a dispute in `status` passes at `at`; None:
        nothing happens. Every new status is final: a dispute moves by itself at most once."""
        if status in inferred.EXPIRES_TO:
            return inferred.EXPIRES_TO[status], "expired"
        if status == "warning_under_review":
            return "warning_closed", "reviewed"
        if status == "under_review":
            rng = rng_for(self.state.ctx.seed, "shoplazza-review", dispute_id, at.isoformat())
            return ("won" if rng.random() < inferred.REVIEW_WIN_SHARE else "lost"), "reviewed"
        return None

    def expire(self, dispute_id: str, at: datetime) -> None:
        """The dispute's live deadline fell due (every transition re-arms). A bulk dispute nobody
        has read yet moves in its columns (`BulkDisputes.expire`), built only when first read."""
        dispute = self.state.disputes.built(dispute_id)
        if dispute is None:
            where = self.state.disputes.unbuilt(dispute_id)
            if where is not None:
                self.state.bulk[where[0]].expire(self, where[1], at)
            return
        outcome = self.expiry(dispute.id, dispute.status, at)
        if outcome is not None:
            self.transition(dispute, outcome[0], at, outcome[1])

    def replay(self, dispute: DisputeRecord, moves: list[datetime]) -> DisputeRecord:
        """A bulk dispute just built from its first columns, moved by the deadlines that passed
        before anyone read it: the record changes `transition` would have made then."""
        for at in moves:
            outcome = self.expiry(dispute.id, dispute.status, at)
            assert outcome is not None, (dispute.id, dispute.status)
            self.change(dispute, outcome[0], at)
        return dispute

    @staticmethod
    def change(dispute: DisputeRecord, status: str, at: datetime, **changes: Any) -> None:
        """What a transition changes in the record itself (no index, deadline or event)."""
        dispute.status = status
        dispute.updated_at = at
        for name, value in changes.items():
            setattr(dispute, name, value)

    # -- transitions -------------------------------------------------------------------------
    def transition(
        self, dispute: DisputeRecord, status: str, at: datetime, cause: str, **changes: Any
    ) -> None:
        previous = dispute.status
        self.state.disputes.update(dispute, lambda d: self.change(d, status, at, **changes))
        self.arm(dispute, since=at)
        self.announce(dispute.id, self.state.tenant_of(dispute), at, previous, status, cause)

    def announce(self, dispute_id: str, tenant: str, at: datetime, previous: str, status: str, cause: str) -> None:
        """The domain event of a transition."""
        self.state.ctx.emit("disputes/update", dispute_id, tenant, at, status={"from": previous, "to": status}, cause=cause)

    def apply(self, dispute: DisputeRecord, action: str, data: dict[str, Any], at: datetime) -> str | None:
        """A scenario timeline entry or a control-plane request; returns an error or None."""
        at = at.replace(microsecond=0)
        status = dispute.status
        match action:
            case "respond":
                target = inferred.RESPONDED_TO.get(status)
                if target is None:
                    return f"only needs_response or warning_needs_response disputes take a response (status is {status})"
                self.transition(dispute, target, at, "responded")
            case "escalate":
                if status not in ("warning_needs_response", "warning_under_review"):
                    return f"only an open warning escalates to a chargeback (status is {status})"
                self.transition(
                    dispute,
                    "needs_response",
                    at,
                    "escalated",
                    fee=inferred.CHARGEBACK_FEE,
                    expiration_time=self.state.rules.expiration("needs_response", at),
                )
            case "resolve":
                outcome = data.get("outcome")
                allowed = (
                    ("warning_closed",)
                    if status in ("warning_needs_response", "warning_under_review")
                    else ("won", "lost")
                    if status in ("needs_response", "under_review")
                    else ()
                )
                if not allowed:
                    return f"dispute {dispute.id} is already closed ({status})"
                if not isinstance(outcome, str) or outcome not in allowed:
                    return f"outcome must be one of {', '.join(allowed)} for a {status} dispute"
                self.transition(dispute, outcome, at, "resolved")
            case "set_status":
                target = data.get("status")
                if not isinstance(target, str) or target not in STATUSES:
                    return f"status must be one of {', '.join(STATUSES)}"
                changes: dict[str, Any] = {}
                if target in inferred.EXPIRES_TO:
                    raw = data.get("expiration_time")
                    try:
                        changes["expiration_time"] = (
                            resolve_time(str(raw), at).replace(microsecond=0)
                            if raw
                            else self.state.rules.expiration(target, at)
                        )
                    except ValueError as exc:
                        return f"expiration_time: {exc}"
                self.transition(dispute, target, at, "set_status", **changes)
            case _:
                return f"unknown action {action!r} (respond, escalate, resolve, set_status)"
        return None
