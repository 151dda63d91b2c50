"""The list algorithm both generations share: which disputes a list covers (`Scope`) and one page
of them in the asked order (`select`). The default order (creation time) walks the keyset index;
`query` narrows to a handful of ids first; the other `sortBy` orders sort the scope per request
over the bulk columns, building only the page's records (docs/providers/riverty.md §8)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from ...bulk import micros
from . import inferred, tables
from .columns import REASON_IDS, Block, ticket_seq
from .lifecycle import AGENTS
from .models import DisputeRecord
from .params import ListQuery
from .state import RivertyState

SORT_VALUES: dict[str, Callable[[DisputeRecord], object]] = {
    "CreatedAt": lambda d: d.created_at,
    "StatusId": lambda d: d.status,
    "ReasonCodeId": lambda d: tables.REASONS[d.reason_code][0],
    "TicketNumber": lambda d: d.ticket_number,
    "Deadline": lambda d: d.deadline,
    "UpdatedByConsumerOrRivertyAt": lambda d: d.touched_at,
    "AgentAssignee": lambda d: d.agent.casefold() if d.agent else None,
    "DisputeAmount": lambda d: d.dispute_amount_cents,
    "StageId": lambda d: d.stage,  # internal: Gen 2's StatusId
}


def _sorter(sort_by: str, gen2: bool) -> Callable[[DisputeRecord], tuple]:
    value = SORT_VALUES[sort_by]
    if sort_by == "StatusId" and gen2 and inferred.GEN2_STATUS_SORT_FIELD == "stage":
        value = SORT_VALUES["StageId"]

    def key(d: DisputeRecord) -> tuple:
        v = value(d)
        null_rank = 0 if inferred.NULLS_FIRST_ASC else 2
        return ((null_rank, 0) if v is None else (1, v), d.id)

    return key


@dataclass(frozen=True)
class Scope:
    """The disputes a list covers: Gen 1 a client's, Gen 2 a shop's; optional status/visibility."""

    client_id: int | None = None
    shop: str | None = None
    status: int | None = None
    ui: bool | None = None

    def groups(self) -> list[tuple]:
        if self.client_id is not None:
            return [("c", self.client_id, self.status)] if self.status is not None else [("c", self.client_id)]
        head: tuple = ("s", self.shop)
        if self.status is not None:
            head += ("status", self.status)
        if self.ui is not None:
            head += ("ui", self.ui)
        return [head]

    def matches(self, d: DisputeRecord) -> bool:
        return (
            (self.client_id is None or d.client_id == self.client_id)
            and (self.shop is None or d.shop == self.shop)
            and (self.status is None or d.status == self.status)
            and (self.ui is None or d.show_in_merchant_ui == self.ui)
        )

    def mask(self, block: Block) -> np.ndarray | None:
        """The block's disputes in scope that are not built yet (a built record's columns may be
        stale: it is judged as a record instead)."""
        if self.client_id is not None and block.client_id != self.client_id:
            return None
        if self.shop is not None and self.shop not in block.shops:
            return None
        mask = ~block.built
        if self.shop is not None:
            mask &= block.shop == block.shops.index(self.shop)
        if self.status is not None:
            mask &= block.status == self.status
        if self.ui is not None:
            mask &= block.ui == self.ui
        return mask


def _column_sort(state, scope: Scope, start: datetime | None, end: datetime | None, sort_by: str,
                 gen2: bool, descending: bool, offset: int, count: int) -> tuple[list[DisputeRecord], int]:
    """A non-default order over the scope without building every record: records that exist are
    judged as records, the rest by their columns (the same values, as integers), all sorted
    together by (null rank, value, id) with numpy; only the page's records are built."""
    if sort_by == "StatusId" and gen2 and inferred.GEN2_STATUS_SORT_FIELD == "stage":
        sort_by = "StageId"
    lo, hi = (micros(start) if start else None), (micros(end) if end else None)
    agents = sorted({a.casefold() for a in AGENTS} | {d.agent.casefold() for d in state.eager if d.agent})
    agent_rank = {a: r for r, a in enumerate(agents)}
    record_value: Callable[[DisputeRecord], int | None] = {
        "CreatedAt": lambda d: micros(d.created_at),
        "StatusId": lambda d: d.status,
        "StageId": lambda d: d.stage,
        "ReasonCodeId": lambda d: tables.REASONS[d.reason_code][0],
        "TicketNumber": lambda d: ticket_seq(d.ticket_number),
        "Deadline": lambda d: micros(d.deadline) if d.deadline else None,
        "UpdatedByConsumerOrRivertyAt": lambda d: micros(d.touched_at),
        "AgentAssignee": lambda d: agent_rank[d.agent.casefold()] if d.agent else None,
        "DisputeAmount": lambda d: d.dispute_amount_cents,
    }[sort_by]
    nulls, values, ids = [], [], []
    for d in state.eager:
        if scope.matches(d) and (lo is None or micros(d.created_at) >= lo) and (hi is None or micros(d.created_at) <= hi):
            v = record_value(d)
            nulls.append(v is None)
            values.append(0 if v is None else v)
            ids.append(d.id.encode())
    null_parts = [np.array(nulls, dtype=bool)]
    value_parts = [np.array(values, dtype=np.int64)]
    id_parts = [np.array(ids, dtype="S36")]
    agent_codes = np.array([agent_rank[a.casefold()] for a in AGENTS] + [0], dtype=np.int64)  # [-1] → 0
    for block in state.blocks:
        mask = scope.mask(block)
        if mask is None:
            continue
        if lo is not None:
            mask &= block.created >= lo
        if hi is not None:
            mask &= block.created <= hi
        at = np.flatnonzero(mask)
        column = {
            "CreatedAt": lambda b: b.created,
            "StatusId": lambda b: b.status,
            "StageId": lambda b: b.stage,
            "ReasonCodeId": lambda b: REASON_IDS[b.reason],
            "TicketNumber": lambda b: b.seq,
            "Deadline": lambda b: b.deadline,
            "UpdatedByConsumerOrRivertyAt": lambda b: b.touched,
            "AgentAssignee": lambda b: agent_codes[b.agent],
            "DisputeAmount": lambda b: b.disputed,
        }[sort_by](block)[at]
        if sort_by == "Deadline":
            null = block.deadline[at] < 0
        elif sort_by == "AgentAssignee":
            null = block.agent[at] < 0
        else:
            null = np.zeros(len(at), dtype=bool)
        null_parts.append(null)
        value_parts.append(np.where(null, 0, column).astype(np.int64))
        id_parts.append(block.id_bytes[at])
    null = np.concatenate(null_parts)
    rank = np.where(null, 0 if inferred.NULLS_FIRST_ASC else 2, 1)
    id_bytes = np.concatenate(id_parts)
    order = np.lexsort((id_bytes, np.concatenate(value_parts), rank))
    if descending:
        order = order[::-1]
    page = [id_bytes[j].decode() for j in order[offset : offset + count].tolist()]
    return [state.disputes.get(i) for i in page], len(order)


def select(state: RivertyState, scope: Scope, q: ListQuery, gen2: bool) -> tuple[list[DisputeRecord], int]:
    """One page and the number of disputes the list covers (Gen 2 shows it as `paging.total`)."""
    collection = state.disputes
    start, end, offset, count = q.start, q.end, q.offset, q.size

    def keep(d: DisputeRecord) -> bool:
        return (start is None or d.created_at >= start) and (end is None or d.created_at <= end) and scope.matches(d)

    if q.query is not None:
        ids = state.find_number(q.query.strip().lower())
        found = [d for d in (collection.get(i) for i in ids) if d is not None and keep(d)]
        found = list({d.id: d for d in found}.values())
        found.sort(key=_sorter(q.sort_by, gen2), reverse=q.descending)
        return found[offset : offset + count], len(found)
    if q.sort_by != "CreatedAt":
        return _column_sort(state, scope, start, end, q.sort_by, gen2, q.descending, offset, count)
    view = collection.view(
        scope.groups(),
        lower=(micros(start), "") if start else None,
        upper=(micros(end), "\uffff") if end else None,
        descending=q.descending,
    )
    records = view.records(view.offset(offset, count))
    return records, view.count() if gen2 else 0
