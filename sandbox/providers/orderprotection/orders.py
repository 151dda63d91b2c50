"""Orders by (store id, source order id), with each store's bulk orders built on first read.

Hand-written, claim-less ("spare"), minted (offline) and API-created orders sit in a dict. A
store's bulk orders, one per bulk claim, are known only by their count: a generated source order
id carries its bulk index (`generator.bulk_order_index`), so a lookup by source order id parses the
index, builds that one order (kept from then on) and checks that the id is really its own. No
per-order dict entry exists at build, and `GET /orders/{sourceOrderId}/claims` needs none either:
bulk order i holds exactly bulk claim i (see `OrderProtectionState.claims_of_order`).

A store's orders list in the order they were added (its bulk orders where they were added), so
`GET /v1/orders` slices any page by offset without building the orders before it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from . import inferred
from .generator import bulk_order_index
from .models import FulfillmentRecord, OrderRecord

OrderKey = tuple[str, str]  # (store id, source order id)


@dataclass
class BulkOrders:
    """A store's bulk orders, known by their count and each built on first read (see the module
    docstring)."""

    count: int
    make: Callable[[int], OrderRecord]
    after: int  # how many of the store's dict orders existed when these were added: they list after those
    built: dict[int, OrderRecord] = field(default_factory=dict)

    def order(self, index: int) -> OrderRecord:
        order = self.built.get(index)
        if order is None:
            order = self.built[index] = self.make(index)
        return order

    def index_of(self, source_order_id: str) -> int | None:
        index = bulk_order_index(source_order_id)
        if index is None or index >= self.count or self.order(index).source_order_id != source_order_id:
            return None
        return index


class Orders:
    """A read-mostly mapping (`in`, `get`, `[]`) over eager and lazy bulk orders."""

    def __init__(self) -> None:
        self._records: dict[OrderKey, OrderRecord] = {}
        self._by_store: dict[str, list[OrderRecord]] = {}
        self._bulk: dict[str, BulkOrders] = {}

    def add(self, order: OrderRecord) -> None:
        self._records[(order.store_id, order.source_order_id)] = order
        self._by_store.setdefault(order.store_id, []).append(order)

    def add_bulk(self, store_id: str, count: int, make: Callable[[int], OrderRecord]) -> BulkOrders:
        bulk = self._bulk[store_id] = BulkOrders(count, make, len(self._by_store.get(store_id, ())))
        return bulk

    def bulk(self, store_id: str) -> BulkOrders | None:
        return self._bulk.get(store_id)

    def get(self, key: OrderKey, default: OrderRecord | None = None) -> OrderRecord | None:
        order = self._records.get(key)
        if order is not None:
            return order
        bulk = self._bulk.get(key[0])
        if bulk is not None:
            index = bulk.index_of(key[1])
            if index is not None:
                return bulk.order(index)
        return default

    def __getitem__(self, key: OrderKey) -> OrderRecord:
        order = self.get(key)
        if order is None:
            raise KeyError(key)
        return order

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 2 and self.get(key) is not None

    def __len__(self) -> int:
        return len(self._records) + sum(b.count for b in self._bulk.values())

    def count(self, store_id: str) -> int:
        bulk = self._bulk.get(store_id)
        return len(self._by_store.get(store_id, ())) + (bulk.count if bulk else 0)

    def page(self, store_id: str, start: int, stop: int) -> list[OrderRecord]:
        """The store's orders at positions [start, stop), building only those."""
        eager = self._by_store.get(store_id, [])
        bulk = self._bulk.get(store_id)
        if bulk is None:
            return eager[start:stop]
        out: list[OrderRecord] = []
        for position in range(max(start, 0), min(stop, self.count(store_id))):
            if position < bulk.after:
                out.append(eager[position])
            elif position < bulk.after + bulk.count:
                out.append(bulk.order(position - bulk.after))
            else:
                out.append(eager[position - bulk.count])
        return out

    def of_store(self, store_id: str, bulk: bool = True) -> Iterator[OrderRecord]:
        """A store's orders in list order (its bulk orders built as reached, or skipped)."""
        eager = self._by_store.get(store_id, [])
        lazy = self._bulk.get(store_id) if bulk else None
        if lazy is None:
            yield from eager
            return
        yield from eager[: lazy.after]
        yield from (lazy.order(i) for i in range(lazy.count))
        yield from eager[lazy.after :]


def fulfillments_of(order: OrderRecord) -> list[FulfillmentRecord]:
    """The order's fulfillments. A scenario or generated order carries only `fulfilled_at`: it gets
    one shipment of every item, with ids and tracking derived from the order (no rng draw, so the
    seed's other data stays as it was)."""
    if order.fulfillments is not None:
        return order.fulfillments
    if order.fulfilled_at is None:
        return []
    code = zlib.crc32(order.id.encode())
    company = inferred.GENERATED_CARRIERS[code % len(inferred.GENERATED_CARRIERS)]
    tracking = f"{company[:2].upper()}{code:010d}"
    return [
        FulfillmentRecord(
            id="f" + order.id[1:],
            source_fulfillment_id=f"{order.source_order_id}-F1",
            status="DELIVERED",
            tracking_company=company,
            tracking_numbers=[tracking],
            tracking_urls=[inferred.TRACKING_URL.format(number=tracking)],
            items=[(item.source_item_id, item.quantity) for item in order.items],
            created_at=order.fulfilled_at,
            updated_at=order.fulfilled_at,
        )
    ]


def last_shipped(order: OrderRecord) -> datetime | None:
    """When the order's latest shipped fulfilment was created: the filing window's default start."""
    shipped = [f.created_at for f in fulfillments_of(order) if f.status not in inferred.UNFULFILLED_STATUSES]
    return max(shipped) if shipped else None


def subtotal_of(order: OrderRecord) -> float:
    return round(sum(item.price * item.quantity for item in order.items), 2)


def premium_of(order: OrderRecord) -> float:
    """What the customer paid for protection: as sent, else the inferred rate of the subtotal."""
    if order.premium_paid is not None:
        return order.premium_paid
    return round(max(inferred.PREMIUM_MINIMUM, subtotal_of(order) * inferred.PREMIUM_RATE), 2)


def is_protected(order: OrderRecord) -> bool:
    return premium_of(order) > 0 and order.policy_cancelled_at is None
