"""Columns for lazy bulk records: the few fields that indexes and deadlines need, made for a whole
tenant at once with numpy, deterministic from the seed.

A provider's bulk generation has two halves. Here, vectorised: ids, status codes, the sort-key
times and the deadline of every record (a million in well under a second). In the provider's
generator, per record and only when first read: everything else, from `rng_for(seed, …, i)`,
consistent with the columns. `IndexedCollection.add_lazy` (records that lists page through),
`LazyTable` (records only looked up by id) and `Scheduler.stream` take the rest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, Generic, TypeVar

import numpy as np

from .generate import BASE62

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICRO = timedelta(microseconds=1)
MINUTE = timedelta(minutes=1)
R = TypeVar("R")


def np_rng(seed: int, *scope: object) -> np.random.Generator:
    digest = hashlib.sha256(":".join(map(str, (seed, *scope))).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "big"))


def micros(value: datetime) -> int:
    """Exact integer microseconds since the epoch: sort keys that never disagree by a float ulp."""
    return (value - EPOCH) // MICRO


def from_micros(value: int) -> datetime:
    return EPOCH + timedelta(0, 0, int(value))  # positional: a keyword costs a third more


def choose(rng: np.random.Generator, weights: Mapping[Any, float], n: int) -> np.ndarray:
    """`n` indexes into `list(weights)`, drawn with those weights."""
    p = np.array(list(weights.values()), dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def random_ids(rng: np.random.Generator, n: int, prefix: str, length: int, alphabet: str = BASE62) -> list[str]:
    """`n` ids: `prefix` + `length` random characters (collisions at 62^13 are not a concern)."""
    table = np.frombuffer(alphabet.encode(), dtype=np.uint8)
    text = table[rng.integers(0, len(alphabet), size=n * length)].tobytes().decode()
    return [prefix + text[i : i + length] for i in range(0, n * length, length)]


def uniform_micros(rng: np.random.Generator, lo: np.ndarray | int, hi: np.ndarray | int, n: int) -> np.ndarray:
    """Whole milliseconds (as microseconds) uniformly in [lo, hi], per record."""
    lo_ms, hi_ms = np.asarray(lo) // 1000, np.asarray(hi) // 1000
    span = np.maximum(hi_ms - lo_ms, 0)
    out: np.ndarray = (lo_ms + np.floor(rng.random(n) * (span + 1)).astype(np.int64)) * 1000
    return out


def timer_micros(windows: Sequence[timedelta | None], codes: np.ndarray) -> np.ndarray:
    """Each record's status timer in microseconds (-1: its status runs none), from one window
    per label and the records' label codes."""
    per_label = np.array([w // MICRO if w is not None else -1 for w in windows], dtype=np.int64)
    out: np.ndarray = per_label[codes]
    return out


def created_bounds(lo: int, hi: int, now: int, win: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-record bounds of the creation time in [lo, hi]. A record whose status runs a timer
    (`win` ≥ 0) is created no earlier than one timer less a minute before `now`, and not after
    `now`: its deadline is still ahead at the clock start."""
    timed = win >= 0
    lo_s = np.where(timed, np.maximum(lo, now - win + MINUTE // MICRO), lo)
    hi_s = np.where(timed, np.maximum(lo_s, min(hi, now)), hi)
    return lo_s, hi_s


def member(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """`np.isin(values, pool)` for integer columns, by binary search in the sorted pool: np.isin
    sorts with np.unique, whose first call imports numpy.ma (about 10 ms of a default start)."""
    ranked = np.sort(pool)
    at = np.searchsorted(ranked, values)
    hit = at < len(ranked)
    hit[hit] = ranked[at[hit]] == values[hit]
    return hit


class SortKeys:
    """The sort keys of a block of bulk records, `(col_0[i], …, ids[i])`, made per group only when
    that group's index is first asked for (`split`, `IndexedCollection.add_lazy`): a large scenario
    then holds a few columns at start, not a tuple per record per group. The columns are copied, so
    a key is the record's key at load whatever later changes its provider's columns."""

    def __init__(self, *columns: np.ndarray | Sequence[Any]) -> None:
        self._columns = [np.array(c, dtype=c.dtype if isinstance(c, np.ndarray) else object) for c in columns]
        first = self._columns[0]
        self._ordered = bool(np.all(first[:-1] <= first[1:]))  # in key order: `position` can bisect

    def __len__(self) -> int:
        return len(self._columns[0])

    def __getitem__(self, i: int) -> tuple[Any, ...]:
        return self.take(np.array([i]))[0]

    def take(self, positions: np.ndarray | None = None) -> list[tuple[Any, ...]]:
        """The keys at `positions` (None: all), in that order; ints as Python ints."""
        columns = self._columns if positions is None else [c[positions] for c in self._columns]
        return list(zip(*(c.tolist() for c in columns), strict=True))

    def position(self, key: tuple[Any, ...]) -> int | None:
        """Where `key` is among these keys, by binary search on the first column; None if absent."""
        first = self._columns[0]
        if not self._ordered or len(key) != len(self._columns):
            return None
        try:
            i = int(np.searchsorted(first, key[0]))
        except (TypeError, ValueError):  # a key of another shape: not one of these
            return None
        while i < len(first) and first[i] == key[0]:  # ties on the first column: compare whole keys
            if self[i] == key:
                return i
            i += 1
        return None

    def group(self, positions: np.ndarray | None = None) -> Callable[[], list[tuple[Any, ...]]]:
        """`take(positions)` for later: what `add_lazy` files under a group."""
        return partial(self.take, positions)


def split(
    keys: SortKeys, codes: np.ndarray, labels: Sequence[Hashable]
) -> dict[Hashable, Callable[[], list[tuple[Any, ...]]]]:
    """The keys of the records whose `codes[i]` is each label's number, filed under `labels[code]`,
    order kept: per-status (or similar) groups for `IndexedCollection.add_lazy`, each made on
    first use (only the positions are found now)."""
    out: dict[Hashable, Callable[[], list[tuple[Any, ...]]]] = {}
    for code, label in enumerate(labels):
        positions = np.flatnonzero(codes == code)
        if len(positions):
            out[label] = keys.group(positions)
    return out


def deadlines(
    due_micros: np.ndarray, ids: Sequence[str], fire: Callable[[str, datetime], None]
) -> Iterator[tuple[datetime, Callable[[datetime], None]]]:
    """A time-sorted stream of (instant, action) for `Scheduler.stream`; entries < 0 have none.
    The first entry is found with one pass (`Scheduler.stream` takes it at load); the rest are
    sorted when it fires. Providers change copies of these columns, never the ones streamed."""
    if not len(due_micros):
        return
    first = int(np.argmin(np.where(due_micros >= 0, due_micros, np.iinfo(np.int64).max)))
    if due_micros[first] < 0:
        return
    yield from_micros(due_micros[first]), partial(fire, ids[first])  # a stable sort's first: earliest, lowest index
    order = np.argsort(due_micros, kind="stable")
    order = order[due_micros[order] >= 0][1:]
    for start in range(0, len(order), 4096):  # in chunks: no million-int Python lists held
        chunk = order[start : start + 4096]
        for position, due in zip(chunk.tolist(), due_micros[chunk].tolist(), strict=True):
            record_id = ids[position]
            yield from_micros(due), partial(fire, record_id)


class Moves:
    """The instants of the deadlines each bulk record passed while nobody had read it: a clock
    move changes such a record in its provider's columns (status, deadline), not as an object, and
    the record's maker replays these when it is first built, so it is the very record the full
    transitions would have left. `most`: the deadlines a record can pass with nobody acting."""

    def __init__(self, n: int, most: int) -> None:
        self._at = np.zeros((n, most), dtype=np.int64)
        self._count = np.zeros(n, dtype=np.int8)
        self._cells = self._at.data, self._count.data  # memoryviews: one record at a time, fast

    def add(self, i: int, at: datetime) -> None:
        """Record `i` passed a deadline at `at` (IndexError past `most`)."""
        instants, count = self._cells
        instants[i, count[i]] = micros(at)
        count[i] += 1

    def of(self, i: int) -> list[datetime]:
        """Record `i`'s moves so far, in order."""
        return [from_micros(m) for m in self._at[i, : self._count[i]].tolist()]

    def most(self) -> int:
        """The most moves any record has made (tests)."""
        return int(self._count.max()) if len(self._count) else 0


class LazyTable(Generic[R]):
    """Records by id that no list pages through (a provider's customers, orders): generated ones
    are a fixed-width id column until first read, then built by `make(i)`. Unlike
    `IndexedCollection.add_lazy` it holds no per-id Python object at all; the price is a vectorised
    scan of the columns the first time an id is looked up. Generated ids must be random enough that
    one never equals a hand-written one (`__setitem__`)."""

    def __init__(self) -> None:
        self._items: dict[str, R] = {}
        self._sources: list[tuple[np.ndarray, Callable[[int], R]]] = []
        self._generated = 0  # ids across sources
        self._built = 0  # of those, built so far

    def add_lazy(self, ids: np.ndarray, make: Callable[[int], R]) -> int:
        """Ids as fixed-width bytes; returns the source number for `build`."""
        self._sources.append((ids, make))
        self._generated += len(ids)
        return len(self._sources) - 1

    def build(self, source: int, i: int) -> R:
        ids, make = self._sources[source]
        ident = ids[i].decode()
        record = self._items.get(ident)
        if record is None:
            record = self._items[ident] = make(i)
            self._built += 1
        return record

    def get(self, ident: str, default: R | None = None) -> R | None:
        if not isinstance(ident, str):  # e.g. a number in a control request's JSON: simply not found
            return default
        record = self._items.get(ident)
        if record is not None:
            return record
        raw = ident.encode()
        for source, (ids, _) in enumerate(self._sources):  # a vectorised scan: only for an id never read
            hits = np.flatnonzero(ids == raw)
            if len(hits):
                return self.build(source, int(hits[0]))
        return default

    def __getitem__(self, ident: str) -> R:
        record = self.get(ident)
        if record is None:
            raise KeyError(ident)
        return record

    def __setitem__(self, ident: str, record: R) -> None:
        self._items[ident] = record

    def __contains__(self, ident: str) -> bool:
        return self.get(ident) is not None

    def __len__(self) -> int:
        return len(self._items) - self._built + self._generated
