"""Shoplazza's backend: stores, access tokens and disputes for one scenario build."""

from __future__ import annotations

from ...bulk import deadlines, from_micros, micros, split
from ...pagination import IndexedCollection
from ...provider import BuildContext
from .auth import LeakyBucket
from .generator import Skeleton, bulk_columns, bulk_dispute, make_dispute
from .lifecycle import Lifecycle, Rules
from .models import DisputeRecord, StoreRecord, TokenRecord
from .scenario import ShoplazzaSection, StoreSpec


def dispute_sort_key(dispute: DisputeRecord) -> tuple:
    """Creation time (exact integer microseconds) then id: the list is newest first. Filters take
    whole Unix seconds; routes turn them into microsecond bounds."""
    return (micros(dispute.created_at), dispute.id)


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
        hand_written: list[DisputeRecord] = []
        for store in section.stores:
            record = StoreRecord(store.id, store.subdomain, store.active, store.fee_currency)
            self.stores[store.id] = self.by_subdomain[store.subdomain] = record
            for token in store.tokens:
                self.tokens[token.token] = TokenRecord(token.token, store.id, tuple(token.scopes))
            hand = [make_dispute(ctx, self.rules, store, i, spec) for i, spec in enumerate(store.disputes)]
            self.disputes.add_many(hand)
            hand_written += hand
            if store.generate.count:
                self._add_bulk(store)
        for dispute in sorted(hand_written, key=dispute_sort_key):
            self.lifecycle.arm(dispute)  # scenario records exist already: no `disputes/create` event
        for entry in section.timeline:
            ctx.scheduler.at(
                ctx.time(entry.at),
                lambda at, e=entry: self.lifecycle.apply(self.disputes.get(e.id), e.action, e.data, at),
            )

    def _add_bulk(self, store: StoreSpec) -> None:
        """Generated disputes: columns now, each record on first read (see sandbox/bulk.py)."""
        cols = bulk_columns(self.ctx, self.rules, store)
        ids, labels = cols["ids"], cols["labels"]
        codes, updated, expiration = cols["codes"], cols["updated"], cols["expiration"]
        created_l = cols["created"].tolist()
        keys = list(zip(created_l, ids, strict=True))  # creation order; ties in a second sort by id
        groups = split(keys, codes, [(store.id, s) for s in labels])
        groups[(store.id,)] = keys

        def make(i: int) -> DisputeRecord:
            skeleton = Skeleton(
                ids[i],
                labels[codes[i]],
                from_micros(created_l[i]),
                from_micros(updated[i]),
                from_micros(expiration[i]),
            )
            return bulk_dispute(self.ctx, store, i, skeleton)

        self.disputes.add_lazy(ids, groups, make)
        self.ctx.scheduler.stream(deadlines(cols["due"], ids, self.lifecycle.deadlines.first))

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
