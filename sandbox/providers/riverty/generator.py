"""Plausible Riverty disputes from the seed, with a history that fits their stage.

A generated dispute whose stage has a running deadline gets that deadline after the clock start,
so loading a scenario fires no transition (and emits no event). Histories are built backwards
from the clock start; a hand-written `created_at` builds them forwards instead.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ...generate import between, pick, rng_for
from ...provider import BuildContext
from . import inferred, tables
from .lifecycle import AGENTS, Rules, agent_note, deadline_after, new_guid, status_for
from .models import AttachmentRecord, CommentRecord, DisputeRecord, ShopRecord
from .scenario import ClientSpec, DisputeSpec

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)
DEFAULT_STAGE_WEIGHTS = {1: 4, 2: 2, 3: 1, 4: 2, 5: 1, 6: 1, 7: 1}
DESCRIPTIONS = {
    "R1": "I sent the parcel back two weeks ago, but the invoice was not adjusted.",
    "R2": "The order never arrived, the tracking page has said 'in transit' for weeks.",
    "R3": "When I received it today, I found the screen is broken.",
    "R4": "I already paid this amount directly to the shop by bank transfer.",
    "R5": "The invoice amount is higher than the price shown at checkout.",
    "R6": "Riverty flagged this order after authorisation.",
    "R7": "I did not place this order; someone ordered it on my behalf.",
}
FILES = ("tv_screen_broken.jpg", "receipt.pdf", "return_label.png", "photo_damage.jpeg", "bank_transfer.pdf",
         "parcel.gif", "statement.docx", "scan.bmp", "letter.doc")
Milestone = tuple[int, datetime]  # (stage entered, when)


def _clip(lo: datetime, hi: datetime, fallback: tuple[datetime, datetime]) -> tuple[datetime, datetime]:
    return (lo, hi) if lo <= hi else fallback


def _backwards(rng: random.Random, rules: Rules, stage: int, now: datetime, lo: datetime, hi: datetime,
               decisive: bool) -> tuple[datetime, list[Milestone]]:
    """Creation time and milestones for a dispute that is at `stage` at `now`."""
    s1, s2, s3, s4 = (rules.span(n) for n in (1, 2, 3, 4))
    if stage == 1:
        a, b = _clip(max(lo, now - s1 + MINUTE), min(hi, now), (now - s1 + MINUTE, now))
        return between(rng, a, b), []
    if stage == 7:
        created = between(rng, *_clip(lo, min(hi, now), (now - 30 * DAY, now)))
        return created, [(7, between(rng, created, min(now, created + s1 - MINUTE)))]

    def decided_path(decided: datetime) -> tuple[datetime, list[Milestone]]:
        if decisive:  # the asked party answered, Riverty reviewed, then decided
            supplied = decided - s3
            rfi = between(rng, supplied - s2 + MINUTE, supplied - MINUTE)
            return rfi - s1, [(2, rfi), (3, supplied), (4, decided)]
        rfi = decided - s2  # nobody answered: decided when the window closed
        return rfi - s1, [(2, rfi), (4, decided)]

    if stage == 2:
        rfi = between(rng, now - s2 + MINUTE, now)
        return rfi - s1, [(2, rfi)]
    if stage == 3:
        supplied = between(rng, now - s3 + MINUTE, now)
        rfi = between(rng, supplied - s2 + MINUTE, supplied - MINUTE)
        return rfi - s1, [(2, rfi), (3, supplied)]
    if stage == 4:
        earliest = max(lo + s1 + s2 + s3, now - 90 * DAY)
        decided = between(rng, *_clip(earliest, now - MINUTE, (now - 30 * DAY, now - MINUTE)))
        return decided_path(decided)
    if stage == 6:
        final = between(rng, *_clip(max(lo + s1 + s2 + 2 * s3 + s4, now - 90 * DAY), now - MINUTE,
                                    (now - 40 * DAY, now - MINUTE)))
        s5 = final - s3
    else:  # stage 5
        s5 = between(rng, now - s3 + MINUTE, now)
    decided = between(rng, s5 - s4 + MINUTE, s5 - MINUTE)
    created, steps = decided_path(decided)
    steps.append((5, s5))
    if stage == 6:
        steps.append((6, s5 + s3))
    return created, steps


def _forwards(rules: Rules, stage: int, created: datetime, now: datetime) -> list[Milestone]:
    """Milestones from a given creation time, each clipped to the clock start."""
    if stage == 1:
        return []
    if stage == 7:
        return [(7, min(now, created + rules.span(1) / 2))]
    t, steps = created, []
    plan = [(2, rules.span(1)), (3, rules.span(2) / 2), (4, rules.span(3)), (5, rules.span(4) / 2), (6, rules.span(5))]
    for step, gap in plan:
        if step > stage:
            break
        t = min(now, t + gap)
        steps.append((step, t))
    return steps


@dataclass(frozen=True, slots=True)
class Skeleton:
    """What the bulk columns fix for one generated dispute (see columns.py); the rest comes from
    its own rng, drawn in the same order as for a hand-written one."""

    id: str
    shop: ShopRecord
    stage: int
    party: str
    decisive: bool
    created: datetime
    steps: list[Milestone]
    reason: str
    agent: str | None
    amount: int
    disputed: int
    show_in_merchant_ui: bool
    ticket: str
    invoice: str
    customer_files: int
    shop_file_at_3: bool
    attachment_ids: list[str]  # customer files first, then the shop's in step order


class Plan:
    """Per-client generation inputs resolved once (weights, window), not once per dispute."""

    def __init__(self, ctx: BuildContext, client: ClientSpec) -> None:
        gen = client.generate
        stages = gen.stages or DEFAULT_STAGE_WEIGHTS
        reasons = gen.reasons or dict.fromkeys(tables.REASON_CODES, 1.0)
        self.stage_weights, self.reason_weights = stages, reasons
        self.stages, self.stage_cum = list(stages), list(itertools.accumulate(stages.values()))
        self.reasons, self.reason_cum = list(reasons), list(itertools.accumulate(reasons.values()))
        self.lo, self.hi = (ctx.time(t) for t in gen.created_between)


@dataclass(slots=True)
class Shape:
    """What decides a dispute's history: its shop, stage, reason, the party asked for
    information, whether that party answered, and when it was created and changed stage."""

    shop: ShopRecord
    stage: int
    reason: str
    party: str
    decisive: bool
    created: datetime
    steps: list[Milestone]


class Files:
    """The attachments one dispute is made with, numbered from its rng (or the bulk columns' ids)."""

    def __init__(self, rng: random.Random, shop: ShopRecord, dispute_id: str, given: list[str] | None) -> None:
        self.rng, self.shop, self.dispute_id = rng, shop, dispute_id
        self.given = iter(given) if given is not None else None
        self.made: list[AttachmentRecord] = []

    def add(self, source: str, at: datetime, name: str, size: int | None = None) -> str:
        rng = self.rng
        ext = "." + name.rsplit(".", 1)[-1].lower()
        record = AttachmentRecord(
            id=next(self.given) if self.given else new_guid(rng), file_name=new_guid(rng), original_file_name=name,
            created_at=at,
            size=size or rng.randint(4_000, 400_000), source=source,
            mime_type=tables.MIME_TYPES.get(ext, "application/octet-stream"), shop=self.shop.key,
            dispute_id=self.dispute_id, malware_detected=False,
        )
        self.made.append(record)
        return record.id

    def shop_files(self, comments: list[CommentRecord]) -> int:
        """How many of the files on `comments` the shop sent (the dispute's `shop_files`)."""
        source = {a.id: a.source for a in self.made}
        return sum(1 for c in comments for a in c.attachment_ids if source.get(a) == inferred.ATTACHMENT_SOURCE_SHOP)


@dataclass(slots=True)
class History:
    """What `_history` gives a dispute: its comments, the last decision and the times they leave."""

    comments: list[CommentRecord]
    decision: str | None
    touched: datetime
    updated: datetime


class DisputeMaker:
    """Makes one client's disputes: hand-written ones from their spec and the seed (`hand`), bulk
    ones from their columns (`bulk`). Each dispute draws from its own rng, in a fixed order, so
    that the same seed gives the same dispute however the records are reached."""

    def __init__(self, ctx: BuildContext, rules: Rules, client: ClientSpec, shops: list[ShopRecord],
                 ticket: Callable[[str | None], str] | None = None,
                 invoice: Callable[[random.Random, str | None], str] | None = None) -> None:
        self.ctx, self.rules, self.client, self.shops = ctx, rules, client, shops
        self.ticket, self.invoice = ticket, invoice
        self.plan = Plan(ctx, client)

    def hand(self, index: int | str, spec: DisputeSpec,
             now: datetime | None = None) -> tuple[DisputeRecord, list[AttachmentRecord]]:
        """A scenario's (or the control plane's) dispute: the fields `spec` gives, the rest drawn."""
        rng = rng_for(self.ctx.seed, "riverty", self.client.id, "hand", index)
        return self._make(rng, spec, None, now or self.ctx.start)

    def bulk(self, index: int, skeleton: Skeleton) -> tuple[DisputeRecord, list[AttachmentRecord]]:
        """A generated dispute whose columns (`skeleton`) are fixed already."""
        rng = rng_for(self.ctx.seed, "riverty", self.client.id, "bulk", index)
        return self._make(rng, None, skeleton, self.ctx.start)

    def _shape(self, rng: random.Random, spec: DisputeSpec | None, now: datetime) -> Shape:
        matching = [
            s for s in self.shops
            if spec and (spec.shop_id or spec.country_code)
            and spec.shop_id in (None, s.shop_id) and spec.country_code in (None, s.country_code)
        ]
        shop = matching[0] if matching else pick(rng, self.shops)
        plan = self.plan
        stage = spec.stage if spec else rng.choices(plan.stages, cum_weights=plan.stage_cum)[0]
        reason = (spec.reason_code if spec else None) or rng.choices(plan.reasons, cum_weights=plan.reason_cum)[0]
        party = (spec.rfi_party if spec else None) or ("shop" if rng.random() < inferred.SHOP_RFI_SHARE else "customer")
        decisive = rng.random() < 0.6
        if spec and spec.created_at:
            created = min(self.ctx.time(spec.created_at), now)
            steps = _forwards(self.rules, stage, created, now)
        else:
            created, steps = _backwards(rng, self.rules, stage, now, plan.lo, plan.hi, decisive)
            created -= timedelta(microseconds=rng.randint(0, 999))  # .NET ticks: sub-millisecond digits
        return Shape(shop, stage, reason, party, decisive, created, steps)

    def _make(self, rng: random.Random, spec: DisputeSpec | None, sk: Skeleton | None,
              now: datetime) -> tuple[DisputeRecord, list[AttachmentRecord]]:
        ctx = self.ctx
        shape = (
            Shape(sk.shop, sk.stage, sk.reason, sk.party, sk.decisive, sk.created, sk.steps)
            if sk is not None else self._shape(rng, spec, now)
        )
        dispute_id = sk.id if sk else (spec.id.lower() if spec and spec.id else None) or new_guid(rng)
        first, last = ctx.pools.person(rng)
        first = (spec.first_name if spec else None) or first
        last = (spec.last_name if spec else None) or last
        email = (spec.email if spec else None) or ctx.pools.email(rng, first, last)
        agent = sk.agent if sk else pick(rng, AGENTS) if shape.stage > 1 else None
        files = Files(rng, shape.shop, dispute_id, sk.attachment_ids if sk else None)
        evidence = self._customer_files(rng, spec, sk, shape, files)
        customer_author = {"$type": "Customer", "firstName": first, "lastName": last, "email": email,
                           "name": f"{first} {last}"}
        history = self._history(rng, spec, sk, shape, files, dispute_id, agent, customer_author)
        last_at = shape.steps[-1][1] if shape.steps else shape.created
        deadline = deadline_after(self.rules, shape.stage, last_at)
        if spec and spec.deadline:
            deadline = ctx.time(spec.deadline)
        if spec and spec.updated_at:
            history.updated = ctx.time(spec.updated_at)
        amount, disputed = self._amounts(rng, spec, sk)
        stage, steps, decision = shape.stage, shape.steps, history.decision
        record = DisputeRecord(
            id=dispute_id,
            client_id=self.client.id,
            shop=shape.shop.key,
            shop_id=shape.shop.shop_id,
            ticket_number=sk.ticket if sk else self._ticket(spec.ticket_number if spec else None),
            invoice_number=sk.invoice if sk else self._invoice(rng, spec.invoice_number if spec else None),
            invoice_date=shape.created - timedelta(days=rng.randint(7, 40), seconds=rng.randint(0, 86399)),
            amount_cents=amount,
            dispute_amount_cents=disputed,
            order_id=str(rng.randint(100000, 999999)),
            order_number=f"OR#{rng.randint(100000000, 999999999)}",
            tracking_id=f"RT{rng.randint(10**10, 10**11 - 1)}",
            reason_code=shape.reason,
            description=(spec.description if spec else None) or DESCRIPTIONS[shape.reason],
            customer_id=new_guid(rng),
            first_name=first,
            last_name=last,
            email=email,
            country_code=shape.shop.country_code,
            stage=stage,
            rfi_party=shape.party,
            decision=decision if stage not in (1,) and any(s in (4, 6) for s, _ in steps)
            else (spec.decision if spec else None),
            status=status_for(stage, shape.party),
            created_at=shape.created,
            updated_at=max(history.updated, shape.created),
            touched_at=history.touched,
            deadline=deadline,
            agent=agent,
            show_in_merchant_ui=sk.show_in_merchant_ui if sk else spec.show_in_merchant_ui if spec
            else rng.random() >= self.client.generate.hidden_share,
            attachment_ids=evidence,
            comments=sorted(history.comments, key=lambda c: c.created_at),
            shop_files=files.shop_files(history.comments),
        )
        return record, files.made

    def _ticket(self, given: str | None) -> str:
        assert self.ticket is not None, "hand-written disputes need the state's ticket numbering"
        return self.ticket(given)

    def _invoice(self, rng: random.Random, given: str | None) -> str:
        assert self.invoice is not None, "hand-written disputes need the state's invoice numbering"
        return self.invoice(rng, given)

    def _customer_files(self, rng: random.Random, spec: DisputeSpec | None, sk: Skeleton | None, shape: Shape,
                        files: Files) -> list[str]:
        """The consumer's evidence, filed when the dispute was opened (the scenario's, else drawn)."""
        created = shape.created
        customer_files = (
            [(a.original_file_name, a.size, self.ctx.time(a.created_at) if a.created_at else created)
             for a in spec.attachments]
            if spec and spec.attachments is not None
            else [(pick(rng, FILES), None, created)
                  for _ in range(sk.customer_files if sk else rng.choice((0, 0, 1, 1, 2)))]
        )
        return [files.add(inferred.ATTACHMENT_SOURCE_CUSTOMER, at, name, size) for name, size, at in customer_files]

    def _history(self, rng: random.Random, spec: DisputeSpec | None, sk: Skeleton | None, shape: Shape,
                 files: Files, dispute_id: str, agent: str | None, customer_author: dict) -> History:
        """Comments and the decision each milestone left: shop proof at 3 and 5, the consumer's at 3,
        Riverty's note at 2, 4, 6 and 7 (or the scenario's own comments instead)."""
        party, decisive, steps = shape.party, shape.decisive, shape.steps
        client_author = {"$type": "Client", "clientName": self.client.name}
        decision = spec.decision if spec else None
        comments: list[CommentRecord] = []
        touched = updated = shape.created
        for step, at in steps:
            if step in (4, 6):
                if not (spec and spec.decision and step == max(s for s, _ in steps)):
                    decision = (
                        pick(rng, tables.DECISIONS) if decisive or step == 6 else
                        inferred.SILENT_SHOP_DECISION if party == "shop" else inferred.SILENT_CUSTOMER_DECISION
                    )
                else:
                    decision = spec.decision
            if step in (3, 5) and (step == 5 or party == "shop"):
                with_file = step == 5 or (sk.shop_file_at_3 if sk else rng.random() < 0.5)
                ids = [files.add(inferred.ATTACHMENT_SOURCE_SHOP, at, pick(rng, FILES))] if with_file else []
                comments.append(CommentRecord(new_guid(rng), dispute_id, "Please find our proof attached.", 6, ids,
                                              client_author, at))
            elif step == 3:
                comments.append(CommentRecord(new_guid(rng), dispute_id, "Here is my proof.", 6, [], customer_author, at))
                touched = at
            else:
                touched = at
            if step in (2, 4, 6, 7):
                note = agent_note(step, party, decision)
                comments.append(CommentRecord(new_guid(rng), dispute_id, note, 6, [], {"$type": "Agent", "name": agent}, at))
            updated = at
        if spec and spec.comments is not None:
            authors = {"Client": client_author, "Customer": customer_author,
                       "Agent": {"$type": "Agent", "name": agent or "Riverty"}}
            comments = [
                CommentRecord(new_guid(rng), dispute_id, c.body, c.visibility, [], authors[c.author],
                              self.ctx.time(c.at) if c.at else updated)
                for c in spec.comments
            ]
        return History(comments, decision, touched, updated)

    def _amounts(self, rng: random.Random, spec: DisputeSpec | None, sk: Skeleton | None) -> tuple[int, int]:
        """Invoice amount and disputed amount, in cents (the disputed part is often all of it)."""
        if sk:
            amount, disputed = sk.amount, sk.disputed
        else:
            amount = (_cents(spec.amount) if spec and spec.amount
                      else int(round(rng.uniform(*self.client.generate.amount_between) * 100)))
            disputed = amount if rng.random() < 0.7 else max(1, int(amount * rng.uniform(0.2, 0.95)))
        if spec and spec.dispute_amount:
            disputed = _cents(spec.dispute_amount)
        return amount, disputed


def _cents(text: str) -> int:
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int(frac)
