"""A `Dashboard` over a provider's `IndexedCollection`: what every provider's `ui.py` shares.

Pages come from the collection's sorted group indexes (positional, O(log n + page)), so the
records table costs the same at 200k records as at 20; only the rows shown are built. A search
scans index keys (ids), never records. Deadlines walk at most `DEADLINE_SCAN` records of each
timed status of a tenant, oldest first, and say `partial` when they stopped early.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from datetime import datetime
from typing import Any

import orjson

from ..pagination import IndexedCollection
from ..provider import Dashboard, RecordControl, RecordDetail, RecordPage, RecordRow

DEADLINE_SCAN = 400  # records read per tenant and timed status for the timeline
SEARCH_SCAN = 250_000  # index keys a search looks at, per request


class IndexedDashboard(Dashboard):
    """Subclasses name the collection and the group keys their state already indexes by, and
    turn one record into a row, a document and controls."""

    collection: str  # the state attribute holding the IndexedCollection
    statuses: Sequence[str] = ()  # every status label, in display order

    # -- what a provider supplies ----------------------------------------------------------------
    def tenant_ids(self, state: Any) -> list[str]:
        raise NotImplementedError

    def tenant_group(self, state: Any, tenant: str) -> Hashable:
        raise NotImplementedError

    def status_group(self, state: Any, tenant: str, status: str) -> Hashable:
        raise NotImplementedError

    def timed_statuses(self, state: Any) -> Iterable[str]:
        """Statuses whose records carry a deadline."""
        return self.statuses

    def row(self, state: Any, record: Any) -> RecordRow:
        raise NotImplementedError

    def document(self, state: Any, record: Any) -> Any:
        raise NotImplementedError

    def controls(self, state: Any, record: Any) -> list[RecordControl]:
        return []

    # -- the Dashboard interface -------------------------------------------------------------------
    def _records(self, state: Any) -> IndexedCollection[Any]:
        collection: IndexedCollection[Any] = getattr(state, self.collection)
        return collection

    def records(self, state: Any, tenant: str, query: str, status: str, offset: int, limit: int) -> RecordPage:
        if tenant not in self.tenant_ids(state):
            return RecordPage([], 0)
        group = self.status_group(state, tenant, status) if status else self.tenant_group(state, tenant)
        collection = self._records(state)
        index = collection.index(group)
        partial = False
        if query:
            needle = query.lower()
            keys, scanned = [], 0
            for key in reversed(index):  # newest first, as the table shows
                scanned += 1
                if needle in str(key[-1]).lower():
                    keys.append(key)
                if scanned >= SEARCH_SCAN:
                    partial = True
                    break
            total, page = len(keys), keys[offset : offset + limit]
        else:
            view = collection.view([group], descending=True)
            total, page = view.count(), view.offset(offset, limit)
        return RecordPage([self.row(state, collection.record_for(k)) for k in page], total, partial)

    def status_counts(self, state: Any, tenant: str) -> dict[str, int]:
        collection = self._records(state)
        counts = {s: len(collection.index(self.status_group(state, tenant, s))) for s in self.statuses}
        return {s: n for s, n in counts.items() if n}

    def record(self, state: Any, record_id: str) -> RecordDetail | None:
        record = self._records(state).get(record_id)
        if record is None:
            return None
        return RecordDetail(self.row(state, record), self.document(state, record), self.controls(state, record))

    def pending_deadlines(self, state: Any, until: datetime, limit: int) -> RecordPage:
        collection = self._records(state)
        rows: list[RecordRow] = []
        partial = False
        for tenant in self.tenant_ids(state):
            for status in dict.fromkeys(self.timed_statuses(state)):
                index = collection.index(self.status_group(state, tenant, status))
                partial = partial or len(index) > DEADLINE_SCAN
                for key in index.islice(0, DEADLINE_SCAN):
                    row = self.row(state, collection.record_for(key))
                    if row.due is not None and row.due <= until:
                        rows.append(row)
        rows.sort(key=lambda r: (r.due, r.id))
        return RecordPage(rows[:limit], len(rows), partial or len(rows) > limit)


def parsed(body: bytes) -> Any:
    """A provider's serialised JSON as plain data, for the record page."""
    return orjson.loads(body)
