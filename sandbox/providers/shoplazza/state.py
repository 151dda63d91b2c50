"""Shoplazza's backend: stores, access tokens and disputes for one scenario build."""

from __future__ import annotations

from ...pagination import IndexedCollection
from ...provider import BuildContext
from .auth import LeakyBucket
from .generator import make_dispute
from .lifecycle import Lifecycle, Rules
from .models import DisputeRecord, StoreRecord, TokenRecord
from .scenario import ShoplazzaSection


def dispute_sort_key(dispute: DisputeRecord) -> tuple:
    """Creation second then id: the list is newest first, and filters bound whole seconds."""
    return (int(dispute.created_at.timestamp()), dispute.id)


def dispute_groups(dispute: DisputeRecord) -> tuple:
    return ((dispute.store_id,), (dispute.store_id, dispute.status))


class ShoplazzaState:
    def __init__(self, section: ShoplazzaSection, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.rules = Rules.from_spec(section.rules)
        self.auth_failure_status = section.auth_failure_status
        limit = section.rate_limit
        self.bucket = LeakyBucket(limit.bucket_size, limit.leak_per_second) if limit else None
        self.stores: dict[str, StoreRecord] = {}
        self.by_subdomain: dict[str, StoreRecord] = {}
        self.tokens: dict[str, TokenRecord] = {}
        self.disputes: IndexedCollection[DisputeRecord] = IndexedCollection(
            lambda d: d.id, dispute_sort_key, dispute_groups
        )
        self.lifecycle = Lifecycle(self)
        self.store_specs = {store.id: store for store in section.stores}
        self.created_count = 0  # disputes opened on the control plane, for their seeded fields
        for store in section.stores:
            record = StoreRecord(store.id, store.subdomain, store.active, store.fee_currency)
            self.stores[store.id] = self.by_subdomain[store.subdomain] = record
            for token in store.tokens:
                self.tokens[token.token] = TokenRecord(token.token, store.id, tuple(token.scopes))
            hand = [make_dispute(ctx, self.rules, store, i, spec) for i, spec in enumerate(store.disputes)]
            bulk = (make_dispute(ctx, self.rules, store, i) for i in range(store.generate.count))
            self.disputes.add_many([*hand, *bulk])
        for dispute in sorted(self.disputes, key=dispute_sort_key):
            self.lifecycle.arm(dispute)  # scenario records exist already: no `disputes/create` event
        for entry in section.timeline:
            ctx.scheduler.at(
                ctx.time(entry.at),
                lambda at, e=entry: self.lifecycle.apply(self.disputes.get(e.id), e.action, e.data, at),
            )

    def tenant_of(self, dispute: DisputeRecord) -> str:
        """Events and webhooks name the store by its subdomain (the tenant id on /_sandbox/scenario)."""
        return self.stores[dispute.store_id].subdomain

    def add(self, dispute: DisputeRecord) -> None:
        """A dispute opened after the load (control plane): indexed, armed and announced."""
        self.disputes.add(dispute)
        self.lifecycle.arm(dispute)
        self.ctx.emit(
            "disputes/create", dispute.id, self.tenant_of(dispute), dispute.created_at, status=dispute.status
        )
