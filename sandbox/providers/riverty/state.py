"""Riverty's backend: clients, shops (one key each), ONE store of disputes read by both API
generations, uploaded attachments."""

from __future__ import annotations

import random

from ...faults import RateLimiter
from ...generate import rng_for
from ...pagination import IndexedCollection
from ...provider import BuildContext
from . import inferred
from .generator import Plan, make_dispute
from .lifecycle import Lifecycle, Rules
from .models import AttachmentRecord, ClientRecord, DisputeRecord, ShopRecord
from .scenario import RivertySection


def dispute_sort_key(d: DisputeRecord) -> tuple:
    return (d.created_at.timestamp(), d.id)


def dispute_groups(d: DisputeRecord) -> tuple:
    """Gen 1 pages per client (and client+status); Gen 2 per shop (+status, +showInMerchantUi)."""
    return (
        ("c", d.client_id),
        ("c", d.client_id, d.status),
        ("s", d.shop),
        ("s", d.shop, "status", d.status),
        ("s", d.shop, "ui", d.show_in_merchant_ui),
    )


class RivertyState:
    def __init__(self, section: RivertySection, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.rules = Rules.from_spec(section.rules)
        self.rate = RateLimiter(section.rate_limit_per_minute or inferred.RATE_LIMIT_PER_MINUTE)
        self.unknown_dispute_status = section.unknown_dispute_status or inferred.UNKNOWN_DISPUTE_STATUS
        self.clients: dict[int, ClientRecord] = {}
        self.shops: dict[str, ShopRecord] = {}
        self.keys: dict[str, ShopRecord] = {}
        self.attachments: dict[str, AttachmentRecord] = {}
        self.by_number: dict[str, list[str]] = {}  # lower-cased invoice/ticket number → dispute ids
        self.disputes: IndexedCollection[DisputeRecord] = IndexedCollection(
            lambda d: d.id, dispute_sort_key, dispute_groups
        )
        self.lifecycle = Lifecycle(self)
        self.uploads = 0
        self._tickets: set[str] = {d.ticket_number for c in section.clients for d in c.disputes if d.ticket_number}
        self._invoices: set[str] = set()
        self._ticket_seq = 0
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
            plan = Plan(ctx, client)
            made = [
                make_dispute(ctx, self.rules, client, shops, i, spec, self.next_ticket, self.next_invoice, plan=plan)
                for i, spec in enumerate(client.disputes)
            ]
            made += [
                make_dispute(ctx, self.rules, client, shops, i, None, self.next_ticket, self.next_invoice, plan=plan)
                for i in range(client.generate.count)
            ]
            self.disputes.add_many([d for d, _ in made])
            for dispute, files in made:
                self.index_numbers(dispute)
                for file in files:
                    self.attachments[file.id] = file
        for dispute in sorted(self.disputes, key=dispute_sort_key):
            self.lifecycle.arm(dispute)  # scenario disputes exist already: no created event
        for entry in section.timeline:
            ctx.scheduler.at(
                ctx.time(entry.at),
                lambda at, e=entry: self.lifecycle.apply(self.disputes.get(e.id.lower()), e.action, e.data, at),
            )

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
            return given
        low = 10 ** (inferred.INVOICE_DIGITS - 1)
        while True:
            number = str(rng.randint(low, 10 * low - 1))
            if number not in self._invoices:
                self._invoices.add(number)
                return number

    def index_numbers(self, dispute: DisputeRecord) -> None:
        for number in {dispute.invoice_number.lower(), dispute.ticket_number.lower()}:
            self.by_number.setdefault(number, []).append(dispute.id)

    def upload_rng(self) -> random.Random:
        self.uploads += 1
        return rng_for(self.ctx.seed, "riverty-upload", self.uploads)

    def open_dispute(self, client_id: int, spec, at) -> DisputeRecord:
        """A consumer opens a new dispute now (control plane): stage 1, `DisputeNotificationEvent`."""
        from .scenario import ClientSpec

        client = self.clients[client_id]
        shops = [self.shops[k] for k in client.shops]
        fake_client = ClientSpec(id=client.id, name=client.name, email=client.email,
                                 country_code=client.country_code,
                                 shops=[{"shop_id": s.shop_id, "country_code": s.country_code, "api_key": s.api_key}
                                        for s in shops])
        dispute, files = make_dispute(self.ctx, self.rules, fake_client, shops, f"opened-{len(self.disputes)}", spec,
                                      self.next_ticket, self.next_invoice, now=at)
        if dispute.id in self.disputes:
            raise ValueError(f"dispute {dispute.id} exists")
        self.disputes.add(dispute)
        self.index_numbers(dispute)
        for file in files:
            self.attachments[file.id] = file
        self.lifecycle.arm(dispute)
        self.lifecycle.emit(dispute, "DisputeNotificationEvent", at, None)
        return dispute
