"""Riverty's backend: clients, shops (one key each), ONE store of disputes read by both API
generations, uploaded attachments.

Generated disputes are lazy (see columns.py and sandbox/bulk.py): a client's `generate:` block is
a few numpy columns at start; each record, with its comments and attachments, is built on first
read. Look-ups that must not build records answer from the columns: invoice/ticket numbers,
attachment ids, and the non-default sorts (routes.select).
"""

from __future__ import annotations

import functools
import random
from datetime import datetime
from typing import cast

import numpy as np
from starlette.requests import Request

from ...access import sandbox_of
from ...bulk import SortKeys, deadlines, from_micros, micros, split
from ...faults import RateLimiter
from ...generate import rng_for
from ...pagination import IndexedCollection
from ...provider import BuildContext
from . import inferred, tables
from .columns import INVOICE, PARTIES, Block, assign_numbers, bulk_columns, ticket_seq, ticket_text
from .generator import DisputeMaker, Skeleton
from .lifecycle import AGENTS, Lifecycle, Rules
from .models import AttachmentRecord, ClientRecord, DisputeRecord, ShopRecord
from .scenario import ClientSpec, RivertySection, RivertyTimelineEntry, ShopSpec


def state_of(request: Request) -> RivertyState:
    """Riverty's backend for this request (deadlines that passed have taken effect)."""
    return cast(RivertyState, sandbox_of(request).state("riverty"))


def dispute_sort_key(d: DisputeRecord) -> tuple:
    return (micros(d.created_at), d.id)


def dispute_groups(d: DisputeRecord) -> tuple:
    """Gen 1 pages per client (and client+status); Gen 2 per shop (+status, +showInMerchantUi,
    +both: a status and visibility filter together is an index too, not a scan)."""
    return (
        ("c", d.client_id),
        ("c", d.client_id, d.status),
        ("s", d.shop),
        ("s", d.shop, "status", d.status),
        ("s", d.shop, "ui", d.show_in_merchant_ui),
        ("s", d.shop, "status", d.status, "ui", d.show_in_merchant_ui),
    )


class Attachments:
    """Attachment records by id. Uploads and hand-written disputes' files are stored as made; a
    bulk dispute's files are made with the dispute, so an id not stored yet is looked up in the
    blocks' sorted attachment-id columns and its dispute built, which files them here."""

    def __init__(self, state: RivertyState) -> None:
        self._state = state
        self._records: dict[str, AttachmentRecord] = {}

    def __setitem__(self, attachment_id: str, record: AttachmentRecord) -> None:
        self._records[attachment_id] = record

    def __getitem__(self, attachment_id: str) -> AttachmentRecord:
        record = self.get(attachment_id)
        if record is None:
            raise KeyError(attachment_id)
        return record

    def get(self, attachment_id: str) -> AttachmentRecord | None:
        record = self._records.get(attachment_id)
        if record is None and self._state.blocks:
            for block in self._state.blocks:
                owner = block.attachment_owner(attachment_id)
                if owner is not None:
                    self._state.disputes.get(block.ids[owner])
                    return self._records.get(attachment_id)
        return record


class RivertyState:
    def __init__(self, section: RivertySection, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.rules = Rules.from_spec(section.rules)
        self.rate = RateLimiter(section.rate_limit_per_minute or inferred.RATE_LIMIT_PER_MINUTE)
        self.unknown_dispute_status = section.unknown_dispute_status or inferred.UNKNOWN_DISPUTE_STATUS
        self.clients: dict[int, ClientRecord] = {}
        self.shops: dict[str, ShopRecord] = {}
        self.keys: dict[str, ShopRecord] = {}
        self.attachments = Attachments(self)
        self.by_number: dict[str, list[str]] = {}  # lower-cased number → ids, for non-bulk disputes
        self.blocks: list[Block] = []  # bulk disputes, one block per client with `generate:`
        self.eager: list[DisputeRecord] = []  # every dispute that exists as a record, bulk ones once built
        self.disputes: IndexedCollection[DisputeRecord] = IndexedCollection(
            lambda d: d.id, dispute_sort_key, dispute_groups
        )
        self.lifecycle = Lifecycle(self)
        self.uploads = 0  # uploads kept in this build (reset makes a new build: they are released)
        self.upload_bytes = 0
        self.upload_limits = section.uploads
        self._tickets: set[str] = {d.ticket_number for c in section.clients for d in c.disputes if d.ticket_number}
        self._invoices: set[str] = set()
        self._ticket_seq = 0
        hand: list[DisputeRecord] = []
        for client in section.clients:
            record = ClientRecord(client.id, client.name, client.email, client.country_code)
            self.clients[client.id] = record
            shops = []
            for spec in client.shops:
                shop = ShopRecord(f"{spec.shop_id}/{spec.country_code}", spec.shop_id, spec.country_code,
                                  client.id, spec.api_key)
                self.shops[shop.key] = self.keys[spec.api_key] = shop
                record.shops.append(shop.key)
                shops.append(shop)
            maker = DisputeMaker(ctx, self.rules, client, shops, self.next_ticket, self.next_invoice)
            made = [maker.hand(i, spec) for i, spec in enumerate(client.disputes)]
            self.disputes.add_many([d for d, _ in made])
            for dispute, files in made:
                self.index_numbers(dispute)
                self.eager.append(dispute)
                hand.append(dispute)
                for file in files:
                    self.attachments[file.id] = file
            if client.generate.count:
                self._add_bulk(client, shops, maker)
        for dispute in sorted(hand, key=dispute_sort_key):
            self.lifecycle.arm(dispute)  # scenario disputes exist already: no created event
        for entry in section.timeline:
            ctx.scheduler.at(ctx.time(entry.at), functools.partial(self._timeline, entry))

    def _timeline(self, entry: RivertyTimelineEntry, at: datetime) -> None:
        """A scenario timeline action falls due; one the dispute refuses then is a visible event."""
        dispute = self.disputes.get(entry.id.lower())
        if dispute is None:  # check_section only lets hand-written ids through
            return
        problem = self.lifecycle.apply(dispute, entry.action, entry.data, at)
        if problem:
            self.ctx.timeline_refused(dispute.id, str(dispute.client_id), at, entry.action, problem)

    def _add_bulk(self, client: ClientSpec, shops: list[ShopRecord], maker: DisputeMaker) -> None:
        """A client's generated disputes: columns now, each record on first read."""
        block = bulk_columns(self.ctx, self.rules, client, [s.key for s in shops], maker.plan.stage_weights,
                             maker.plan.reason_weights)
        taken_seqs = {seq for t in self._tickets if (seq := ticket_seq(t)) is not None}
        given = np.array([int(v) for v in self._invoices if INVOICE.fullmatch(v)], dtype=np.int64)
        taken_invoices = np.concatenate([given, *(b.invoice for b in self.blocks)])
        self._ticket_seq = assign_numbers(block, self.ctx.seed, self._ticket_seq, taken_seqs, taken_invoices)
        self.blocks.append(block)
        ids, cid, shop_keys = block.ids, client.id, block.shops
        keys = SortKeys(block.created, ids)  # already in key order
        width = max(tables.COMPLAINT_STATUSES) + 1  # status codes 0..5 (0 unused)
        shop_code = block.shop.astype(np.int64)
        shop_status = shop_code * width + block.status
        keys_by_group = {
            ("c", cid): keys.group(),
            **split(keys, block.status, [("c", cid, s) for s in range(width)]),
            **split(keys, block.shop, [("s", k) for k in shop_keys]),
            **split(keys, shop_status, [("s", k, "status", s) for k in shop_keys for s in range(width)]),
            **split(keys, shop_code * 2 + block.ui, [("s", k, "ui", u) for k in shop_keys for u in (False, True)]),
            **split(keys, shop_status * 2 + block.ui,
                    [("s", k, "status", s, "ui", u) for k in shop_keys for s in range(width) for u in (False, True)]),
        }
        shop_records = {s.key: s for s in shops}

        def make(i: int) -> DisputeRecord:
            steps = [(k + 2, from_micros(t)) for k, t in enumerate(block.steps[i].tolist()) if t >= 0]
            agent = int(block.agent[i])
            skeleton = Skeleton(
                id=ids[i], shop=shop_records[block.shops[block.shop[i]]], stage=int(block.stage[i]),
                party=PARTIES[block.party[i]], decisive=bool(block.decisive[i]),
                created=from_micros(block.created[i]), steps=steps,
                reason=tables.REASON_CODES[block.reason[i]], agent=AGENTS[agent] if agent >= 0 else None,
                amount=int(block.amount[i]), disputed=int(block.disputed[i]),
                show_in_merchant_ui=bool(block.ui[i]), ticket=ticket_text(int(block.seq[i])),
                invoice=str(block.invoice[i]), customer_files=int(block.customer_files[i]),
                shop_file_at_3=bool(block.shop_file_at_3[i]), attachment_ids=block.attachment_ids(i),
            )
            dispute, files = maker.bulk(i, skeleton)
            for file in files:
                self.attachments[file.id] = file
            block.built[i] = True
            self.eager.append(dispute)
            return dispute

        self.disputes.add_lazy(ids, keys_by_group, make, keys)
        self.ctx.scheduler.stream(deadlines(block.due, ids, self.lifecycle.deadlines.first))

    def find_number(self, number: str) -> list[str]:
        """Ids of the disputes whose invoice or ticket number is `number` (lower-cased)."""
        found = list(self.by_number.get(number, []))
        for block in self.blocks:
            at = block.with_ticket(number)
            if at is not None:
                found.append(block.ids[at])
            found += [block.ids[i] for i in block.with_invoice(number)]
        return found

    def next_ticket(self, given: str | None) -> str:
        if given:
            return given
        while True:
            self._ticket_seq += 1
            ticket = inferred.TICKET_FORMAT.format(hi=self._ticket_seq // 10000 + 1, lo=self._ticket_seq % 10000)
            if ticket not in self._tickets:
                self._tickets.add(ticket)
                return ticket

    def next_invoice(self, rng: random.Random, given: str | None) -> str:
        if given:
            self._invoices.add(given)  # bulk invoice numbers avoid it too
            return given
        low = 10 ** (inferred.INVOICE_DIGITS - 1)
        while True:
            number = str(rng.randint(low, 10 * low - 1))
            if number not in self._invoices and not any(b.with_invoice(number) for b in self.blocks):
                self._invoices.add(number)
                return number

    def index_numbers(self, dispute: DisputeRecord) -> None:
        for number in {dispute.invoice_number.lower(), dispute.ticket_number.lower()}:
            self.by_number.setdefault(number, []).append(dispute.id)

    def uploads_full(self, size: int) -> str:
        """Why one more upload of `size` bytes would not fit the build's upload store ("" if it fits)."""
        limits = self.upload_limits
        if self.uploads + 1 > limits.max_files:
            return f"upload store full: {limits.max_files} files kept (reset releases them)"
        if self.upload_bytes + size > limits.max_bytes:
            return f"upload store full: {limits.max_bytes} bytes kept (reset releases them)"
        return ""

    def upload_rng(self, size: int) -> random.Random:
        """The rng that numbers the next upload, counting it (and its bytes) in the store."""
        self.uploads += 1
        self.upload_bytes += size
        return rng_for(self.ctx.seed, "riverty-upload", self.uploads)

    def open_dispute(self, client_id: int, spec, at) -> DisputeRecord:
        """A consumer opens a new dispute now (control plane): stage 1, `DisputeNotificationEvent`."""
        client = self.clients[client_id]
        shops = [self.shops[k] for k in client.shops]
        fake_client = ClientSpec(id=client.id, name=client.name, email=client.email,
                                 country_code=client.country_code,
                                 shops=[ShopSpec(shop_id=s.shop_id, country_code=s.country_code, api_key=s.api_key)
                                        for s in shops])
        maker = DisputeMaker(self.ctx, self.rules, fake_client, shops, self.next_ticket, self.next_invoice)
        dispute, files = maker.hand(f"opened-{len(self.disputes)}", spec, now=at)
        if dispute.id in self.disputes:
            raise ValueError(f"dispute {dispute.id} exists")
        self.disputes.add(dispute)
        self.eager.append(dispute)
        self.index_numbers(dispute)
        for file in files:
            self.attachments[file.id] = file
        self.lifecycle.arm(dispute)
        self.lifecycle.emit(dispute, "DisputeNotificationEvent", at, None)
        return dispute
