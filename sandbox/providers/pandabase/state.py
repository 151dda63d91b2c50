"""Pandabase's backend: stores, API tokens, customers, orders, cases and disputes for one build."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TYPE_CHECKING, cast

import numpy as np

from ...access import sandbox_of
from ...bulk import LazyTable, SortKeys, deadlines, from_micros, micros, split
from ...faults import RateLimiter
from ...generate import rng_for, weighted
from ...pagination import IndexedCollection, Key, Keys
from ...provider import BuildContext
from .generator import (
    DEFAULT_DISPUTE_WEIGHTS,
    bulk_case,
    bulk_columns,
    dispute_created,
    given_customer,
    given_order,
    make_case,
    make_customer,
    make_dispute,
    make_order,
    member_id,
    plain_id,
    skeleton,
    store_pools,
)
from .lifecycle import Lifecycle, Rules
from .models import (
    CaseRecord,
    CustomerRecord,
    DisputeRecord,
    OrderRecord,
    StoreRecord,
    TokenRecord,
    WebhookEndpointRecord,
)
from .scenario import PandabaseSection, StoreSpec

if TYPE_CHECKING:
    from starlette.requests import Request


def case_sort_key(case: CaseRecord) -> tuple:
    """The documented order read ascending: lastMessageAt, then createdAt (exact integer
    microseconds), then id (a unique tail)."""
    return (micros(case.last_message_at), micros(case.created_at), case.id)


def case_groups(case: CaseRecord) -> tuple:
    """One index per filter a client can give alone, plus status x priority for the combination.
    Customer and order groups hold hand-written and portal-opened cases only: a generated case
    is found by its store's columns (see `PandabaseState.owner_keys`), not one index per order."""
    store = case.store_id
    base = (
        (store,),
        (store, "s", case.status),
        (store, "p", case.priority),
        (store, "sp", case.status, case.priority),
    )
    if case.bulk:
        return base
    return (*base, (store, "c", case.customer_id), (store, "o", case.order_id))


def dispute_sort_key(dispute: DisputeRecord) -> tuple:
    """createdAt (exact microseconds), then id: `sort=asc` reads it forward, `desc` backward."""
    return (micros(dispute.created_at), dispute.id)


def needs_evidence(dispute: DisputeRecord) -> bool:
    """`needsEvidence=true`: awaiting review with no evidence yet. The lapse moves a dispute out
    of this state the instant its window closes, so no clock check is needed here."""
    return dispute.status == "AWAITING_REVIEW" and dispute.evidence is None


def dispute_groups(dispute: DisputeRecord) -> tuple:
    """One index per filter alone and per pair: store; status; needsEvidence; both."""
    store, need = dispute.store_id, needs_evidence(dispute)
    return ((store,), (store, "s", dispute.status), (store, "n", need), (store, "sn", dispute.status, need))


class StoreBulk:
    """A store's generated cases as columns (sandbox/bulk.py): keys, filters and who was built."""

    def __init__(self, cols: dict, keys: SortKeys) -> None:
        self.cols = cols
        self.keys = keys  # keys[i]: case i's sort key from its columns; once built, the record's may differ
        self.built = np.zeros(len(keys), dtype=bool)

    def owner_keys(self, cases: IndexedCollection[CaseRecord], customer_id: str | None, order_id: str | None,
                   status: str | None, priority: str | None) -> list[Key]:
        """Current sort keys of the generated cases with that customer and/or order (and status
        and priority): a vectorised match on the columns, then the record for any already built."""
        cols = self.cols
        mask = np.ones(len(self.keys), dtype=bool)
        if order_id is not None:
            mask &= cols["order_ids"] == order_id.encode()
        if customer_id is not None:
            pool = np.flatnonzero(cols["customer_ids"] == customer_id.encode())
            if not len(pool):
                return []
            mask &= cols["customer"] == pool[0]
        want_status = -1 if status is None else _code(cols["statuses"], status)
        want_priority = -1 if priority is None else _code(cols["priorities"], priority)
        found = []
        for i in np.flatnonzero(mask).tolist():
            if self.built[i]:
                case = cases.get(self.keys[i][-1])
                assert case is not None  # built: it is in the collection
                if (status is None or case.status == status) and (priority is None or case.priority == priority):
                    found.append(cases.key_of(case))
            elif (status is None or cols["status"][i] == want_status) and (
                priority is None or cols["priority"][i] == want_priority
            ):
                found.append(self.keys[i])
        return found


def _code(labels: list[str], label: str) -> int:
    return labels.index(label) if label in labels else -2  # a label the store never drew matches nothing


class PandabaseState:
    def __init__(self, section: PandabaseSection, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.rules = Rules.from_spec(section.rules)
        self.rate = RateLimiter(section.rate_limits.per_second or None, window=1.0)
        self.reply_rate = RateLimiter(section.rate_limits.replies_per_minute or None, window=60.0)
        self.stores: dict[str, StoreRecord] = {}
        self.store_specs = {store.id: store for store in section.stores}
        self.tokens: dict[str, TokenRecord] = {}  # by secret
        self.token_ids: dict[str, TokenRecord] = {}  # by stk_ id (HMAC mode)
        self.member_ids: dict[str, str] = {}
        self.customers: LazyTable[CustomerRecord] = LazyTable()
        self.orders: LazyTable[OrderRecord] = LazyTable()
        self.disputes: IndexedCollection[DisputeRecord] = IndexedCollection(
            lambda d: d.id, dispute_sort_key, dispute_groups
        )
        self.webhooks: dict[str, WebhookEndpointRecord] = {}  # endpoints made through the Store API, by id
        self.webhooks_made = 0  # for their ids
        self.disputed_orders: dict[str, str] = {}  # order id → its dispute: an order is disputed once
        self.cases: IndexedCollection[CaseRecord] = IndexedCollection(lambda c: c.id, case_sort_key, case_groups)
        self.bulk: dict[str, StoreBulk] = {}
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
            for built in hand:
                self.customers[built.customer.id] = built.customer
                self.orders[built.order.id] = built.order
            self.cases.add_many(b.case for b in hand)
            for case in sorted((b.case for b in hand), key=case_sort_key):
                self.lifecycle.arm(case)  # scenario records exist already: no `created` event
            if store.generate.count:
                self._add_bulk(store, pool)
            self._add_disputes(store, {b.case.id: b.order for b in hand})
        for entry in section.timeline:
            ctx.scheduler.at(ctx.time(entry.at), self._timeline_action(entry.id, entry.action, entry.data))

    def _timeline_action(self, record_id: str, action: str, data: dict) -> Callable[[datetime], None]:
        def fire(at: datetime) -> None:
            self.lifecycle.timeline(record_id, action, data, at)

        return fire

    def _add_disputes(self, store: StoreSpec, case_orders: dict[str, OrderRecord]) -> None:
        """Hand-written then generated disputes, each on its own order (or a hand-written case's)."""
        ctx, rules = self.ctx, self.rules
        made: list[DisputeRecord] = []
        for i, spec in enumerate(store.disputes):
            created = ctx.time(spec.created_at) if spec.created_at else ctx.start
            if spec.case is not None:
                order = case_orders[spec.case]
            else:
                customer = given_customer(make_customer(ctx, store.id, ("dispute", i)), spec.customer)
                self.customers[customer.id] = customer
                order = given_order(ctx, make_order(ctx, store, ("dispute", i), customer.id, created), spec.order)
                self.orders[order.id] = order
            made.append(make_dispute(ctx, rules, store.id, ("hand", i), order, spec.status, created, spec))
        gen = store.generate_disputes
        lo, hi = ctx.time(gen.created_between[0]), ctx.time(gen.created_between[1])
        for i in range(gen.count):
            rng = rng_for(ctx.seed, "pandabase-dispute-bulk", store.id, i)
            status: str = weighted(rng, gen.statuses or DEFAULT_DISPUTE_WEIGHTS)
            created = dispute_created(ctx, rules, rng, status, lo, hi)
            customer = make_customer(ctx, store.id, ("dispute-bulk", i))
            self.customers[customer.id] = customer
            order = make_order(ctx, store, ("dispute-bulk", i), customer.id, created)
            self.orders[order.id] = order
            made.append(make_dispute(ctx, rules, store.id, ("bulk", i), order, status, created))
        self.disputes.add_many(made)
        self.disputed_orders.update((d.order_id, d.id) for d in made)
        for dispute in sorted(made, key=dispute_sort_key):
            self.lifecycle.arm_dispute(dispute)

    def _add_bulk(self, store, pool) -> None:
        """Generated cases: columns now; each case, its order and its customer on first read."""
        ctx, rules = self.ctx, self.rules
        cols = bulk_columns(ctx, rules, store, pool)
        ids = cols["ids"]
        keys = SortKeys(cols["last_message"], cols["created"], ids)  # in key order
        statuses, priorities = cols["statuses"], cols["priorities"]
        groups: dict[Hashable, Keys] = {(store.id,): keys.group()}
        groups.update(split(keys, cols["status"], [(store.id, "s", s) for s in statuses]))
        groups.update(split(keys, cols["priority"], [(store.id, "p", p) for p in priorities]))
        both = cols["status"].astype(np.int16) * len(priorities) + cols["priority"]
        groups.update(split(keys, both, [(store.id, "sp", s, p) for s in statuses for p in priorities]))
        bulk = self.bulk[store.id] = StoreBulk(cols, keys)
        customer_ids, customer_codes, created = cols["customer_ids"], cols["customer"], cols["created"]

        def make_buyer(k: int) -> CustomerRecord:
            return make_customer(ctx, store.id, k, customer_ids[k].decode())

        def make_purchase(i: int) -> OrderRecord:
            buyer = customer_ids[customer_codes[i]].decode()
            return make_order(ctx, store, ("bulk", i), buyer, from_micros(created[i]), cols["order_ids"][i].decode())

        buyers = self.customers.add_lazy(customer_ids, make_buyer)
        purchases = self.orders.add_lazy(cols["order_ids"], make_purchase)

        def make(i: int) -> CaseRecord:
            bulk.built[i] = True
            self.customers.build(buyers, int(customer_codes[i]))
            self.orders.build(purchases, i)
            return bulk_case(ctx, rules, store, i, pool, skeleton(cols, i))

        self.cases.add_lazy(ids, groups, make, keys)
        ctx.scheduler.stream(deadlines(cols["due"], ids, self.lifecycle.deadlines.first))

    def owner_keys(self, store: str, customer_id: str | None, order_id: str | None,
                   status: str | None, priority: str | None) -> list[Key]:
        """Ascending sort keys of the store's cases for a customer and/or an order (with status
        and priority): the group of hand-written and portal-opened ones, plus the generated ones."""
        group = (store, "o", order_id) if order_id is not None else (store, "c", customer_id)
        keys = []
        for key in self.cases.index(group):
            case = self.cases.record_for(key)
            if ((status is None or case.status == status) and (priority is None or case.priority == priority)
                    and (customer_id is None or case.customer_id == customer_id)):
                keys.append(key)
        bulk = self.bulk.get(store)
        if bulk is not None:
            keys += bulk.owner_keys(self.cases, customer_id, order_id, status, priority)
        keys.sort()
        return keys

    def hmac_key(self, token: TokenRecord) -> bytes:
        """HMAC mode signs with the hex SHA-256 digest of the sk_ secret, used as a string."""
        return hashlib.sha256(token.secret.encode()).hexdigest().encode()


def pandabase_state(request: Request) -> PandabaseState:
    """The live Pandabase state of this request's sandbox, typed."""
    return cast(PandabaseState, sandbox_of(request).state("pandabase"))
