"""OrderProtection's backend: stores, apps, tokens, orders and claims for one scenario build."""

from __future__ import annotations

import random
from datetime import datetime
from functools import partial

import numpy as np
from starlette.requests import Request

from ...access import sandbox_of
from ...bulk import SortKeys, deadlines, from_micros, micros, split
from ...faults import RateLimiter
from ...generate import random_id, rng_for
from ...pagination import IndexedCollection
from ...provider import BuildContext
from . import inferred
from .generator import Skeleton, bulk_claim, bulk_columns, bulk_order, make_claim, make_order
from .ids import cuid
from .lifecycle import Lifecycle, Rules
from .models import AppRecord, ClaimRecord, OrderRecord, StoreRecord, TokenRecord
from .orders import Orders
from .scenario import OrderProtectionSection, StoreSpec


def claim_sort_key(claim: ClaimRecord) -> tuple:
    """(created, id) with the time in exact integer microseconds: keys never differ by a float ulp."""
    return (micros(claim.created_at), claim.id)


def claim_groups(claim: ClaimRecord) -> tuple:
    """Soft-deleted claims sit in no index, so no list can ever reach them."""
    if claim.deleted_at is not None:
        return ()
    return ((claim.store_id,), (claim.store_id, claim.state))


class OrderProtectionState:
    def __init__(self, section: OrderProtectionSection, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.rules = Rules.from_spec(section.rules)
        self.rate = RateLimiter(section.rate_limit_per_minute or None)
        self.session_rate = RateLimiter(inferred.SESSION_VERIFY_PER_MINUTE)  # per IP
        self.stores: dict[str, StoreRecord] = {}
        self.apps: dict[str, AppRecord] = {}
        self.tokens: dict[str, TokenRecord] = {}
        self.refresh_tokens: dict[str, TokenRecord] = {}
        self.orders = Orders()
        # claim ids by (store, source order id) for hand-written and API-filed claims; bulk claim i
        # is on bulk order i, found through the order's id (see claims_of_order)
        self.claims_by_order: dict[tuple[str, str], list[str]] = {}
        self.bulk_claim_ids: dict[str, list[str]] = {}
        self.claims: IndexedCollection[ClaimRecord] = IndexedCollection(lambda c: c.id, claim_sort_key, claim_groups)
        self.lifecycle = Lifecycle(self)
        self.minted = 0  # tokens and offline orders minted so far (deterministic ids)
        self._users: dict[str, str] = {}
        hand: list[ClaimRecord] = []
        for store in section.stores:
            self.stores[store.id] = StoreRecord(store.id, store.name or store.id)
            for token in store.tokens:
                expires = ctx.time(token.expires_at) if token.expires_at else None
                self.tokens[token.token] = TokenRecord(token.token, store.id, tuple(token.scopes), expires)
            for i, spec in enumerate(store.orders):
                self.add_order(make_order(ctx, store, "hand", i, spec))
            for order in self.orders.of_store(store.id, bulk=False):  # replacements name their original's id
                if order.original_source_order_id is not None:
                    order.original_order_id = self.orders[(store.id, order.original_source_order_id)].id
            claims = []
            for i, claim_spec in enumerate(store.claims):
                if claim_spec.source_order_id is not None:
                    order = self.orders[(store.id, claim_spec.source_order_id)]
                else:
                    at = ctx.time(claim_spec.created_at) if claim_spec.created_at else None
                    order = make_order(ctx, store, "hand", 10_000 + i, around=at)
                    self.add_order(order)
                claims.append(make_claim(ctx, self.rules, store, i, order, claim_spec, self.user_id(store.id)))
            if store.generate.count:
                self._add_bulk(store)
            for i in range(store.generate.orders_without_claims):
                self.add_order(make_order(ctx, store, "spare", i, around=ctx.start))
            self.claims.add_many(claims)
            for claim in claims:
                self.claims_by_order.setdefault((store.id, claim.source_order_id), []).append(claim.id)
            hand += claims
        for app in section.apps:
            self.apps[app.client_id] = AppRecord(app.client_id, app.client_secret, tuple(app.stores), tuple(app.scopes))
        for claim in sorted(hand, key=claim_sort_key):
            self.lifecycle.arm(claim)  # scenario records exist already: no `claim.created`
        for entry in section.timeline:
            ctx.scheduler.at(ctx.time(entry.at), partial(self.lifecycle.fire, entry.id, entry.action, entry.data))

    def _add_bulk(self, store: StoreSpec) -> None:
        """Generated claims and their orders: columns now, each record on first read (sandbox/bulk.py)."""
        ctx, rules = self.ctx, self.rules
        cols = bulk_columns(ctx, rules, store)
        ids, labels, codes, deleted = cols.ids, cols.labels, cols.codes, cols.deleted
        created, entered = cols.created, cols.entered  # columns, not a Python int per record
        keys = SortKeys(cols.created, ids)  # already in key order
        live = np.where(deleted, -1, codes)  # soft-deleted claims sit in no index
        groups = split(keys, live, [(store.id, s) for s in labels])
        groups[(store.id,)] = keys.group(np.flatnonzero(~deleted) if deleted.any() else None)
        orders = self.orders.add_bulk(store.id, len(ids), lambda i: bulk_order(ctx, store, i, from_micros(created[i])))
        user_id = self.user_id(store.id)

        def make(i: int) -> ClaimRecord:
            skeleton = Skeleton(
                ids[i], labels[codes[i]], from_micros(created[i]), from_micros(entered[i]), bool(deleted[i])
            )
            return bulk_claim(ctx, rules, store, i, skeleton, orders.order(i), user_id)

        self.claims.add_lazy(ids, groups, make, keys)
        self.bulk_claim_ids[store.id] = ids
        ctx.scheduler.stream(deadlines(cols.due, ids, self.lifecycle.deadlines.first))

    def add_order(self, order: OrderRecord) -> None:
        self.orders.add(order)

    def add_claim(self, claim: ClaimRecord) -> None:
        self.claims.add(claim)
        self.claims_by_order.setdefault((claim.store_id, claim.source_order_id), []).append(claim.id)
        self.lifecycle.arm(claim)

    def claim_ids_of_order(self, store_id: str, source_order_id: str) -> list[str]:
        """Every claim id filed on one order, deleted ones included: hand-written and API-filed
        ones from the dict, plus the bulk claim when the order is the store's bulk order i."""
        ids = list(self.claims_by_order.get((store_id, source_order_id), ()))
        bulk = self.orders.bulk(store_id)
        if bulk is not None:
            index = bulk.index_of(source_order_id)
            if index is not None:
                ids.append(self.bulk_claim_ids[store_id][index])
        return ids

    def claims_of_order(self, store_id: str, source_order_id: str) -> list[ClaimRecord]:
        """Live claims of one order, in filing order."""
        found = [self.claims.get(i) for i in self.claim_ids_of_order(store_id, source_order_id)]
        live = [c for c in found if c is not None and c.deleted_at is None]
        return sorted(live, key=claim_sort_key)

    def user_id(self, store_id: str) -> str:
        """The store's staff user that resolutions name in `userId`."""
        if store_id not in self._users:
            self._users[store_id] = cuid(rng_for(self.ctx.seed, "op-user", store_id), self.ctx.start)
        return self._users[store_id]

    def next_rng(self, family: str, what: str) -> random.Random:
        """A fresh deterministic rng for something minted now: same scenario and calls, same ids."""
        self.minted += 1
        return rng_for(self.ctx.seed, family, what, self.minted)

    def mint(self, prefix: str) -> str:
        """A fresh deterministic secret (`op_at_…`, `op_rt_…`): same scenario, same sequence."""
        return random_id(self.next_rng("op-mint", prefix), prefix, inferred.TOKEN_RANDOM_LENGTH)

    def issue_token(self, store_id: str, scopes: tuple[str, ...], client_id: str, now: datetime) -> tuple[TokenRecord, str]:
        token = TokenRecord(self.mint("op_at_"), store_id, scopes, now + inferred.TOKEN_LIFETIME, client_id)
        refresh = self.mint("op_rt_")
        self.tokens[token.token] = token
        self.refresh_tokens[refresh] = TokenRecord(refresh, store_id, scopes, None, client_id)
        return token, refresh


def op_state(request: Request) -> OrderProtectionState:
    """The live OrderProtection backend of the sandbox serving `request` (typed, unlike `state(key)`)."""
    state: OrderProtectionState = sandbox_of(request).state("orderprotection")
    return state
