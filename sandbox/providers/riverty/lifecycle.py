"""Riverty dispute lifecycle on the sandbox clock (docs/providers/riverty.md §7, deadlines inferred where unpublished).

Stage 1 (Dispute Notification) open `rfi_after` (21 days) → stage 2 (Request for Information, to
the shop or the consumer). A reply within `rfi_window` → stage 3 (Information Supplied 1), which
Riverty decides after `review_time` → stage 4 (Decision); silence → stage 4 against the silent
party. At stage 4 the shop may appeal with evidence within `appeal_window` → stage 5, decided
after `review_time` → stage 6 (Final Decision). The consumer may cancel before that → stage 7.

Each transition bumps `updatedAt`, adds Riverty's own history entry (an Agent comment), re-arms the
next deadline and emits a domain event named after Riverty's webhook (`RequestForInformationEvent`,
…) or, for stages without a webhook, `sandbox.stage_changed`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from ...generate import pick, rng_for, uuid4_text
from ...scenario import rule_overrides
from ...scheduler import Deadlines
from . import inferred, tables
from .models import CommentRecord, DisputeRecord
from .scenario import RulesSpec

AGENTS = ("Anna Becker", "Jonas Weber", "Sofie de Vries", "Lukas Schmidt", "Emma Johansson", "Mila Nowak")


def new_guid(rng: random.Random) -> str:
    return uuid4_text(rng.getrandbits(128))


def status_for(stage: int, rfi_party: str) -> int:
    if stage == 2:
        return tables.STATUS_FOR_RFI_PARTY[rfi_party]
    return tables.STATUS_FOR_STAGE[stage]


@dataclass(frozen=True)
class Rules:
    """The stage windows (docs/providers/riverty.md §7): inferred.py's defaults unless the scenario's
    `rules:` section overrides them; None: that automatic step is off."""

    rfi_after: timedelta | None = inferred.RFI_AFTER
    rfi_window: timedelta | None = inferred.RFI_WINDOW
    review_time: timedelta | None = inferred.REVIEW_TIME
    appeal_window: timedelta | None = inferred.APPEAL_WINDOW

    @classmethod
    def from_spec(cls, spec: RulesSpec) -> Rules:
        return cls(**rule_overrides(spec))

    def window(self, stage: int) -> timedelta | None:
        """How long the dispute may sit in `stage` (None: no running deadline)."""
        return {1: self.rfi_after, 2: self.rfi_window, 3: self.review_time, 4: self.appeal_window,
                5: self.review_time}.get(stage)

    def span(self, stage: int) -> timedelta:
        """The window for generating histories, even when the rule is switched off."""
        return self.window(stage) or {1: inferred.RFI_AFTER, 2: inferred.RFI_WINDOW, 3: inferred.REVIEW_TIME,
                                      4: inferred.APPEAL_WINDOW, 5: inferred.REVIEW_TIME}[stage]


def deadline_after(rules: Rules, stage: int, since: datetime) -> datetime | None:
    window = rules.window(stage)
    return since + window if window is not None else None


EXPIRING = (1, 2, 3, 5)  # stage 4's deadline only closes the appeal window: nothing happens then


def agent_note(stage: int, party: str, decision: str | None) -> str:
    if stage == 2:
        if party == "shop":
            return "Riverty requests information: please upload proof (delivery confirmation, return receipt, correspondence)."
        return "Riverty has asked the customer to provide proof."
    if stage == 4:
        return f"Riverty's decision: {decision}."
    if stage == 6:
        return f"Riverty's final decision: {decision}."
    if stage == 7:
        return "The customer cancelled the dispute."
    if stage in (3, 5):
        return "Information received; Riverty is reviewing the dispute."
    return "Dispute reopened."


class Lifecycle:
    """Owns the transitions of one Riverty state; the collection keeps indexes in step."""

    def __init__(self, state) -> None:
        self.state = state
        self.deadlines = Deadlines(state.ctx.scheduler, self.expire)

    @property
    def rules(self) -> Rules:
        return self.state.rules

    # -- arming ------------------------------------------------------------------------------
    def arm(self, dispute: DisputeRecord) -> None:
        expiring = dispute.stage in EXPIRING and self.rules.window(dispute.stage)
        self.deadlines.arm(dispute.id, dispute.deadline if expiring else None)

    def expire(self, dispute_id: str, at: datetime) -> None:
        """The dispute's live deadline fell due (every transition re-arms)."""
        dispute = self.state.disputes.get(dispute_id)
        if dispute is None:
            return
        rng = rng_for(self.state.ctx.seed, "riverty-expire", dispute_id, dispute.stage, len(dispute.comments))
        match dispute.stage:
            case 1:
                party = "shop" if rng.random() < inferred.SHOP_RFI_SHARE else "customer"
                self.transition(dispute, 2, at, party=party)
            case 2:
                silent = inferred.SILENT_SHOP_DECISION if dispute.rfi_party == "shop" else inferred.SILENT_CUSTOMER_DECISION
                self.transition(dispute, 4, at, decision=silent)
            case 3:
                self.transition(dispute, 4, at, decision=pick(rng, tables.DECISIONS))
            case 5:
                self.transition(dispute, 6, at, decision=pick(rng, tables.DECISIONS))

    # -- transitions -------------------------------------------------------------------------
    def transition(
        self,
        dispute: DisputeRecord,
        stage: int,
        at: datetime,
        *,
        party: str | None = None,
        decision: str | None = None,
        by_merchant: bool = False,
    ) -> None:
        previous = dispute.stage
        rng = rng_for(self.state.ctx.seed, "riverty-transition", dispute.id, len(dispute.comments))
        party = party or dispute.rfi_party

        def mutate(d: DisputeRecord) -> None:
            d.stage = stage
            d.rfi_party = party
            if decision is not None:
                d.decision = decision
            d.status = status_for(stage, party)
            d.updated_at = at
            if not by_merchant:
                d.touched_at = at
            d.deadline = deadline_after(self.rules, stage, at)
            if d.agent is None and stage > 1:
                d.agent = pick(rng, AGENTS)
            d.comments.append(
                CommentRecord(
                    new_guid(rng), d.id, agent_note(stage, party, d.decision), 6, [],
                    {"$type": "Agent", "name": d.agent or "Riverty"}, at,
                )
            )

        self.state.disputes.update(dispute, mutate)
        self.arm(dispute)
        kind = tables.WEBHOOK_FOR_STAGE.get(stage) if stage != 1 else None  # stage 1's is "created"
        self.emit(dispute, kind or "sandbox.stage_changed", at, previous)

    def emit(self, dispute: DisputeRecord, type: str, at: datetime, previous: int | None = None, **extra) -> None:
        shop = self.state.shops[dispute.shop]
        self.state.ctx.emit(
            type,
            dispute.id,
            str(dispute.client_id),
            at,
            stage={"from": previous, "to": dispute.stage},
            status=dispute.status,
            decision=dispute.decision,
            ticket_number=dispute.ticket_number,
            invoice_number=dispute.invoice_number,
            reason_code=dispute.reason_code,
            client_id=dispute.client_id,
            shop_id=shop.shop_id,
            country_code=shop.country_code,
            **extra,
        )

    def add_comment(self, dispute: DisputeRecord, comment: CommentRecord, *, by_consumer: bool) -> None:
        attachments, shop = self.state.attachments, inferred.ATTACHMENT_SOURCE_SHOP
        shop_files = sum(1 for a in comment.attachment_ids if attachments[a].source == shop)

        def mutate(d: DisputeRecord) -> None:
            d.comments.append(comment)
            d.shop_files += shop_files
            d.updated_at = comment.created_at
            if by_consumer:
                d.touched_at = comment.created_at

        self.state.disputes.update(dispute, mutate)
        self.emit(dispute, "sandbox.comment_added", comment.created_at, dispute.stage, comment_id=comment.id,
                  author=comment.author["$type"])

    def merchant_replied(self, dispute: DisputeRecord, at: datetime, with_evidence: bool) -> None:
        """A shop comment answers an information request (stage 2) or appeals a decision (stage 4)."""
        if dispute.stage == 2 and dispute.rfi_party == "shop":
            self.transition(dispute, 3, at, by_merchant=True)
        elif (
            dispute.stage == 4
            and dispute.deadline is not None
            and at <= dispute.deadline
            and (with_evidence or not inferred.APPEAL_NEEDS_ATTACHMENT)
        ):
            self.transition(dispute, 5, at, by_merchant=True)

    # -- scenario timeline and control plane --------------------------------------------------
    def apply(self, dispute: DisputeRecord, action: str, data: dict, at: datetime) -> str | None:
        """Apply one action; returns an error text or None."""
        stage = dispute.stage
        decision = data.get("decision")
        if decision is not None and decision not in tables.DECISIONS:
            return f"decision must be one of {', '.join(tables.DECISIONS)}"
        rng = rng_for(self.state.ctx.seed, "riverty-apply", dispute.id, len(dispute.comments))
        match action:
            case "request_info":
                party = data.get("from", "shop")
                if party not in tables.RFI_PARTIES:
                    return "from must be shop or customer"
                if stage in tables.TERMINAL_STAGES:
                    return f"dispute is at stage {stage} ({tables.STAGES[stage]})"
                self.transition(dispute, 2, at, party=party)
            case "supply_info":
                by = data.get("by", dispute.rfi_party)
                if stage == 2:
                    self.transition(dispute, 3, at, by_merchant=by == "shop")
                elif stage == 4:
                    self.transition(dispute, 5, at, by_merchant=by == "shop")
                else:
                    return "information can be supplied at stage 2 or 4 only"
            case "decide":
                if stage in tables.TERMINAL_STAGES:
                    return f"dispute is at stage {stage} ({tables.STAGES[stage]})"
                self.transition(dispute, 4, at, decision=decision or pick(rng, tables.DECISIONS))
            case "appeal":
                if stage != 4:
                    return "only a stage 4 decision can be appealed"
                self.transition(dispute, 5, at, by_merchant=data.get("by", "shop") == "shop")
            case "final_decision" | "resolve":
                if stage == 7 or (stage == 6 and action == "final_decision"):
                    return f"dispute is at stage {stage} ({tables.STAGES[stage]})"
                self.transition(dispute, 6, at, decision=decision or pick(rng, tables.DECISIONS))
            case "cancel":
                if stage in tables.TERMINAL_STAGES:
                    return f"dispute is at stage {stage} ({tables.STAGES[stage]})"
                self.transition(dispute, 7, at)
            case "customer_comment" | "agent_comment":
                body = data.get("body") or data.get("message")
                if not isinstance(body, str) or not body:
                    return "body must be a non-empty string"
                customer = action == "customer_comment"
                author = (
                    {"$type": "Customer", "firstName": dispute.first_name, "lastName": dispute.last_name,
                     "email": dispute.email, "name": f"{dispute.first_name} {dispute.last_name}"}
                    if customer else {"$type": "Agent", "name": dispute.agent or "Riverty"}
                )
                visibility = data.get("visibility", inferred.DEFAULT_VISIBILITY)
                if not isinstance(visibility, int) or not 1 <= visibility <= 7:
                    return "visibility must be 1-7"
                self.add_comment(dispute, CommentRecord(new_guid(rng), dispute.id, body, visibility, [], author, at),
                                 by_consumer=True)
                if customer and stage == 2 and dispute.rfi_party == "customer":
                    self.transition(dispute, 3, at)
            case "set_stage":
                target = data.get("stage")
                if target not in tables.STAGES:
                    return "stage must be 1-7"
                party = data.get("rfi_party")
                if party is not None and party not in tables.RFI_PARTIES:
                    return "rfi_party must be shop or customer"
                if target in tables.DECIDED_STAGES and decision is None:
                    decision = dispute.decision or pick(rng, tables.DECISIONS)
                self.transition(dispute, target, at, party=party, decision=decision)
            case _:
                return f"unknown action {action!r}"
        return None
