"""Shoplazza's backend: stores, access tokens, OAuth apps and their codes, and disputes for one
scenario build; `state_of(request)` is the typed way a handler reaches it."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

import numpy as np
from starlette.requests import Request

from ...access import sandbox_of
from ...bulk import Moves, SortKeys, deadlines, from_micros, micros, split
from ...faults import LeakyBucket
from ...pagination import IndexedCollection
from ...provider import BuildContext
from .generator import Skeleton, bulk_columns, bulk_dispute, make_dispute
from .lifecycle import Lifecycle, Rules
from .models import STATUSES, DisputeRecord, StoreRecord, TokenRecord
from .scenario import AppSpec, ShoplazzaSection, ShoplazzaTimelineEntry, StoreSpec


def state_of(request: Request) -> ShoplazzaState:
    """Shoplazza's backend for this request (deadlines that passed have taken effect)."""
    return cast(ShoplazzaState, sandbox_of(request).state("shoplazza"))


@dataclass(slots=True)
class Grant:
    """An authorization code `/admin/oauth/authorize` issued: once only, briefly."""

    code: str
    client_id: str
    store_id: str
    scopes: tuple[str, ...]
    redirect_uri: str | None
    expires_at: datetime


@dataclass(slots=True)
class HookTimes:
    """What Shoplazza's webhook object shows beyond the core subscription."""

    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class BulkDisputes:
    """A store's bulk disputes as columns: a clock move changes one nobody has read here
    (`expire`), and its maker replays the moves when it is first built (`Lifecycle.replay`)."""

    store_id: str
    ids: list[str]
    created: list[int]  # micros: with the id, the sort key
    codes: np.ndarray  # index into STATUSES of the status now
    moves: Moves  # the deadline each dispute passed unread (every automatic move ends it)
    cells: memoryview = field(init=False)  # `codes`, read and written one dispute at a time

    def __post_init__(self) -> None:
        object.__setattr__(self, "cells", self.codes.data)

    def expire(self, lifecycle: Lifecycle, i: int, at: datetime) -> None:
        """`Lifecycle.expire` of dispute `i`, not built: the same index, deadline and event."""
        dispute_id, status = self.ids[i], STATUSES[self.cells[i]]
        outcome = lifecycle.expiry(dispute_id, status, at)
        if outcome is None:
            return
        target, state = outcome[0], lifecycle.state
        self.moves.add(i, at)
        self.cells[i] = STATUSES.index(target)
        state.disputes.refile((self.created[i], dispute_id), (self.store_id, status), (self.store_id, target))
        lifecycle.deadlines.arm(dispute_id, None)  # a final status: no deadline
        lifecycle.announce(dispute_id, state.stores[self.store_id].subdomain, at, status, target, outcome[1])


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
        self.bulk: list[BulkDisputes] = []  # in `disputes.add_lazy` order (`disputes.unbuilt` sources)
        self.created_count = 0  # disputes opened on the control plane, for their seeded fields
        self.apps: dict[str, tuple[AppSpec, str]] = {}  # client_id → (app, store id)
        self.grants: dict[str, Grant] = {}  # unused authorization codes
        self.refresh: dict[str, str] = {}  # refresh token → the access token it renews
        self.issued = 0  # codes and tokens minted, for their seeded values
        self.hooks_made = 0  # webhooks registered through the API, for their seeded ids
        self.hook_times: dict[str, HookTimes] = {}  # subscription id → times shown by the webhook API
        hand_written: list[DisputeRecord] = []
        for store in section.stores:
            record = StoreRecord(store.id, store.subdomain, store.active, store.fee_currency)
            self.stores[store.id] = self.by_subdomain[store.subdomain] = record
            for token in store.tokens:
                self.tokens[token.token] = TokenRecord(token.token, store.id, tuple(token.scopes))
            for app in store.apps:
                self.apps[app.client_id] = (app, store.id)
            hand = [make_dispute(ctx, self.rules, store, i, spec) for i, spec in enumerate(store.disputes)]
            self.disputes.add_many(hand)
            hand_written += hand
            if store.generate.count:
                self._add_bulk(store)
        for dispute in sorted(hand_written, key=dispute_sort_key):
            self.lifecycle.arm(dispute)  # scenario records exist already: no `disputes/create` event
        for entry in section.timeline:
            ctx.scheduler.at(ctx.time(entry.at), functools.partial(self._timeline, entry))

    def _timeline(self, entry: ShoplazzaTimelineEntry, at: datetime) -> None:
        """A scenario timeline action falls due; one the dispute refuses then is a visible event."""
        dispute = self.disputes.get(entry.id)
        if dispute is None:  # check_section only lets hand-written ids through
            return
        problem = self.lifecycle.apply(dispute, entry.action, entry.data, at)
        if problem:
            self.ctx.timeline_refused(dispute.id, self.tenant_of(dispute), at, entry.action, problem)

    def _add_bulk(self, store: StoreSpec) -> None:
        """Generated disputes: columns now, each record on first read (see sandbox/bulk.py)."""
        cols = bulk_columns(self.ctx, self.rules, store)
        ids, labels = cast(list[str], cols["ids"]), cast(list[str], cols["labels"])
        codes, updated, expiration = (cast(np.ndarray, cols[k]) for k in ("codes", "updated", "expiration"))
        created_l = cast(np.ndarray, cols["created"]).tolist()
        keys = SortKeys(cast(np.ndarray, cols["created"]), ids)  # creation order; ties in a second sort by id
        groups = split(keys, codes, [(store.id, s) for s in labels])
        groups[(store.id,)] = keys.group()

        def make(i: int) -> DisputeRecord:
            skeleton = Skeleton(
                ids[i],
                labels[codes[i]],
                from_micros(created_l[i]),
                from_micros(updated[i]),
                from_micros(expiration[i]),
            )
            return self.lifecycle.replay(bulk_dispute(self.ctx, store, i, skeleton), facts.moves.of(i))

        facts = BulkDisputes(store.id, ids, created_l, np.array([STATUSES.index(s) for s in labels], dtype=np.int8)[codes],
                             Moves(len(ids), 1))
        self.bulk.append(facts)
        self.disputes.add_lazy(ids, groups, make, keys)
        self.ctx.scheduler.stream(deadlines(cast(np.ndarray, cols["due"]), ids, self.lifecycle.deadlines.first))

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
