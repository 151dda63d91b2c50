"""Orders by (store id, source order id), with each store's bulk orders built on first read.

Hand-written, claim-less ("spare") and minted (offline) orders sit in a dict. A store's bulk
orders, one per bulk claim, are known only by their count: a generated source order id carries
its bulk index (`generator.bulk_order_index`), so a lookup by source order id parses the index,
builds that one order (kept from then on) and checks that the id is really its own. No per-order
dict entry exists at build, and `GET /orders/{sourceOrderId}/claims` needs none either: bulk
order i holds exactly bulk claim i (see `OrderProtectionState.claims_of_order`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .generator import bulk_order_index
from .models import OrderRecord

OrderKey = tuple[str, str]  # (store id, source order id)


@dataclass
class BulkOrders:
    count: int
    make: Callable[[int], OrderRecord]
    after: int  # how many dict orders existed when these were added: they list after those
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
        self._bulk: dict[str, BulkOrders] = {}

    def add(self, order: OrderRecord) -> None:
        self._records[(order.store_id, order.source_order_id)] = order

    def add_bulk(self, store_id: str, count: int, make: Callable[[int], OrderRecord]) -> BulkOrders:
        bulk = self._bulk[store_id] = BulkOrders(count, make, len(self._records))
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

    def of_store(self, store_id: str, bulk: bool = True) -> Iterator[OrderRecord]:
        """A store's orders in the order they were added (its bulk orders built as reached)."""
        lazy = self._bulk.get(store_id) if bulk else None
        for position, ((sid, _), order) in enumerate(self._records.items()):
            if lazy is not None and position == lazy.after:
                yield from (lazy.order(i) for i in range(lazy.count))
                lazy = None
            if sid == store_id:
                yield order
        if lazy is not None:
            yield from (lazy.order(i) for i in range(lazy.count))
