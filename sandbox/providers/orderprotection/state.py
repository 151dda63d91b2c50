"""OrderProtection's backend: stores, apps, tokens, orders and claims for one scenario build."""

from __future__ import annotations

from datetime import datetime

from ...faults import RateLimiter
from ...generate import random_id, rng_for
from ...pagination import IndexedCollection
from ...provider import BuildContext
from . import inferred
from .generator import make_claim, make_order
from .ids import cuid
from .lifecycle import Lifecycle, Rules
from .models import AppRecord, ClaimRecord, OrderRecord, StoreRecord, TokenRecord
from .scenario import OrderProtectionSection


def claim_sort_key(claim: ClaimRecord) -> tuple:
    return (claim.created_at.timestamp(), claim.id)


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
        self.stores: dict[str, StoreRecord] = {}
        self.apps: dict[str, AppRecord] = {}
        self.tokens: dict[str, TokenRecord] = {}
        self.refresh_tokens: dict[str, TokenRecord] = {}
        self.orders: dict[tuple[str, str], OrderRecord] = {}
        self.claims_by_order: dict[tuple[str, str], list[str]] = {}
        self.claims: IndexedCollection[ClaimRecord] = IndexedCollection(lambda c: c.id, claim_sort_key, claim_groups)
        self.lifecycle = Lifecycle(self)
        self.minted = 0  # tokens and offline orders minted so far (deterministic ids)
        self._users: dict[str, str] = {}
        for store in section.stores:
            self.stores[store.id] = StoreRecord(store.id, store.name or store.id)
            for token in store.tokens:
                expires = ctx.time(token.expires_at) if token.expires_at else None
                self.tokens[token.token] = TokenRecord(token.token, store.id, tuple(token.scopes), expires)
            for i, spec in enumerate(store.orders):
                self.add_order(make_order(ctx, store, "hand", i, spec))
            claims = []
            for i, spec in enumerate(store.claims):
                if spec.source_order_id is not None:
                    order = self.orders[(store.id, spec.source_order_id)]
                else:
                    order = make_order(ctx, store, "hand", 10_000 + i, around=ctx.time(spec.created_at) if spec.created_at else None)
                    self.add_order(order)
                claims.append(make_claim(ctx, self.rules, store, i, order, spec, self.user_id(store.id)))
            for i in range(store.generate.count):
                order = make_order(ctx, store, "bulk", i)
                claim = make_claim(ctx, self.rules, store, i, order, None, self.user_id(store.id))
                order.fulfilled_at = min(order.fulfilled_at, claim.created_at)
                order.created_at = min(order.created_at, order.fulfilled_at)
                self.add_order(order)
                claims.append(claim)
            for i in range(store.generate.orders_without_claims):
                self.add_order(make_order(ctx, store, "spare", i, around=ctx.start))
            self.claims.add_many(claims)
            for claim in claims:
                self.claims_by_order.setdefault((store.id, claim.source_order_id), []).append(claim.id)
        for app in section.apps:
            self.apps[app.client_id] = AppRecord(app.client_id, app.client_secret, tuple(app.stores), tuple(app.scopes))
        for claim in sorted(self.claims, key=claim_sort_key):
            self.lifecycle.arm(claim)  # scenario records exist already: no `claim.created`
        for entry in section.timeline:
            ctx.scheduler.at(
                ctx.time(entry.at),
                lambda at, e=entry: self.lifecycle.apply(self.claims.get(e.id), e.action, e.data, at),
            )

    def add_order(self, order: OrderRecord) -> None:
        self.orders[(order.store_id, order.source_order_id)] = order

    def add_claim(self, claim: ClaimRecord) -> None:
        self.claims.add(claim)
        self.claims_by_order.setdefault((claim.store_id, claim.source_order_id), []).append(claim.id)
        self.lifecycle.arm(claim)

    def claims_of_order(self, store_id: str, source_order_id: str) -> list[ClaimRecord]:
        """Live claims of one order, in filing order."""
        ids = self.claims_by_order.get((store_id, source_order_id), [])
        found = [self.claims.get(i) for i in ids]
        live = [c for c in found if c is not None and c.deleted_at is None]
        return sorted(live, key=claim_sort_key)

    def user_id(self, store_id: str) -> str:
        """The store's staff user that resolutions name in `userId`."""
        if store_id not in self._users:
            self._users[store_id] = cuid(rng_for(self.ctx.seed, "op-user", store_id), self.ctx.start)
        return self._users[store_id]

    def mint(self, prefix: str) -> str:
        """A fresh deterministic secret (`op_at_…`, `op_rt_…`): same scenario, same sequence."""
        self.minted += 1
        rng = rng_for(self.ctx.seed, "op-mint", prefix, self.minted)
        return random_id(rng, prefix, inferred.TOKEN_RANDOM_LENGTH)

    def issue_token(self, store_id: str, scopes: tuple[str, ...], client_id: str, now: datetime) -> tuple[TokenRecord, str]:
        token = TokenRecord(self.mint("op_at_"), store_id, scopes, now + inferred.TOKEN_LIFETIME, client_id)
        refresh = self.mint("op_rt_")
        self.tokens[token.token] = token
        self.refresh_tokens[refresh] = TokenRecord(refresh, store_id, scopes, None, client_id)
        return token, refresh
