"""Pandabase's backend: stores, API tokens, customers, orders, cases and disputes for one build."""

from __future__ import annotations

import hashlib
import time

from ...faults import RateLimiter
from ...generate import rng_for
from ...pagination import IndexedCollection
from ...provider import BuildContext
from .generator import make_case, member_id, plain_id, store_pools
from .lifecycle import Lifecycle, Rules
from .models import CaseRecord, CustomerRecord, DisputeRecord, OrderRecord, StoreRecord, TokenRecord
from .scenario import PandabaseSection


def case_sort_key(case: CaseRecord) -> tuple:
    """The documented order read ascending: lastMessageAt, then createdAt, then id (a unique tail)."""
    return (case.last_message_at.timestamp(), case.created_at.timestamp(), case.id)


def case_groups(case: CaseRecord) -> tuple:
    """One index per filter a client can give alone, plus status x priority for the combination."""
    store = case.store_id
    return (
        (store,),
        (store, "s", case.status),
        (store, "p", case.priority),
        (store, "sp", case.status, case.priority),
        (store, "c", case.customer_id),
        (store, "o", case.order_id),
    )


class Limiter(RateLimiter):
    """The core sliding window, plus what Pandabase's X-RateLimit-* headers need to say."""

    def state(self, credential: str, operation: str) -> tuple[int, int]:
        """(remaining, reset as epoch seconds) for the window this credential is in."""
        hits = self._hits.get((credential, operation)) or ()
        remaining = max(0, (self.limit or 0) - len(hits))
        oldest = hits[0] if hits else time.monotonic()
        reset = time.time() + max(0.0, oldest + self.window - time.monotonic())
        return remaining, int(-(-reset // 1))


class PandabaseState:
    def __init__(self, section: PandabaseSection, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.rules = Rules.from_spec(section.rules)
        self.rate = Limiter(section.rate_limits.per_second or None, window=1.0)
        self.reply_rate = Limiter(section.rate_limits.replies_per_minute or None, window=60.0)
        self.stores: dict[str, StoreRecord] = {}
        self.store_specs = {store.id: store for store in section.stores}
        self.tokens: dict[str, TokenRecord] = {}  # by secret
        self.token_ids: dict[str, TokenRecord] = {}  # by stk_ id (HMAC mode)
        self.member_ids: dict[str, str] = {}
        self.customers: dict[str, CustomerRecord] = {}
        self.orders: dict[str, OrderRecord] = {}
        self.disputes: dict[str, DisputeRecord] = {}
        self.cases: IndexedCollection[CaseRecord] = IndexedCollection(lambda c: c.id, case_sort_key, case_groups)
        self.lifecycle = Lifecycle(self)
        for store in section.stores:
            self.stores[store.id] = StoreRecord(store.id, store.name)
            self.member_ids[store.id] = member_id(ctx.seed, store.id)
            for n, spec in enumerate(store.tokens):
                token_id = spec.id or plain_id(rng_for(ctx.seed, "pandabase-token", store.id, n), "stk_")
                token = TokenRecord(spec.secret, token_id, store.id, tuple(spec.scopes))
                self.tokens[token.secret] = self.token_ids[token.id] = token
            pool = store_pools(ctx, store)
            hand = [make_case(ctx, self.rules, store, i, pool, spec) for i, spec in enumerate(store.cases)]
            bulk = [make_case(ctx, self.rules, store, i, pool) for i in range(store.generate.count)]
            for built in [*bulk, *hand]:  # hand-written customers and orders win over generated ones
                self.customers[built.customer.id] = built.customer
                self.orders[built.order.id] = built.order
            self.cases.add_many(b.case for b in [*hand, *bulk])
        for case in sorted(self.cases, key=case_sort_key):
            self.lifecycle.arm(case)  # scenario records exist already: no `created` event
        for entry in section.timeline:
            ctx.scheduler.at(
                ctx.time(entry.at),
                lambda at, e=entry: self.lifecycle.apply(self.cases.get(e.id), e.action, e.data, at),
            )

    def hmac_key(self, token: TokenRecord) -> bytes:
        """HMAC mode signs with the hex SHA-256 digest of the sk_ secret, used as a string."""
        return hashlib.sha256(token.secret.encode()).hexdigest().encode()
