"""Provider-agnostic paging over sorted keyset indexes.

A provider keeps its records in an `IndexedCollection`: one sorted index per group (say per
tenant, and per tenant and status), keyed by a sort tuple that ends with the record id, so every
key is unique and a key is a stable cursor. A `KeysetView` merges one or more of those indexes
(a status filter with several values), bounds them, and answers the questions every pagination
style asks (the next n after a key, the last n before one, is there more, offset pages) in
O(log n + page) time, never by scanning.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import gc
import hashlib
import heapq
import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import orjson
from sortedcontainers import SortedList

if TYPE_CHECKING:
    from .bulk import SortKeys

R = TypeVar("R")
Key = tuple[Any, ...]
Keys = list[Key] | Callable[[], list[Key]]  # a group's keys, or what makes them on first use
PAGE_CACHE_SIZE = 512  # finished page bodies kept per collection


class IndexedCollection(Generic[R]):
    """Records by id plus one sorted index per group; `update` keeps indexes in step."""

    def __init__(
        self,
        record_id: Callable[[R], str],
        sort_key: Callable[[R], Key],
        groups: Callable[[R], Iterable[Hashable]],
    ) -> None:
        self._id, self._key, self._groups = record_id, sort_key, groups
        self._records: dict[str, R] = {}
        self._indexes: dict[Hashable, SortedList] = {}
        self._pending: dict[Hashable, list[Callable[[], list[Key]]]] = {}  # groups not yet made
        self._fragments: dict[str, dict[str, bytes]] = {}
        self._pages: dict[Hashable, bytes] = {}
        self.version = 0  # bumped by every change: what cached answers (sandbox/answers.py) compare
        # lazy bulk: ids whose records are built on first read (see add_lazy)
        self._lazy: dict[str, int] = {}  # id -> position over all add_lazy calls, made on first need
        self._lazy_starts: list[int] = []
        self._lazy_total = 0
        self._lazy_left = 0  # lazy records not built yet
        self._lazy_makers: list[Callable[[int], R]] = []
        self._lazy_ids: list[list[str]] = []
        self._lazy_keys: list[SortKeys | None] = []
        self._waiting: bool = True  # `_lazy` not made yet: a key finds its record in `_lazy_keys`
        self._located: list[str] = []  # ids built that way, left out of `_lazy` when it is made

    def _changed(self) -> None:
        """A record came or changed: finished pages go, and answers stored against `version`."""
        self._pages.clear()
        self.version += 1

    def __len__(self) -> int:
        return len(self._records) + self._lazy_left

    def __iter__(self) -> Iterator[R]:
        for record_id in list(self._by_id()):  # iterating everything builds everything
            self._materialize(record_id)
        return iter(self._records.values())

    def __contains__(self, record_id: str) -> bool:
        return record_id in self._records or (self._lazy_left > 0 and record_id in self._by_id())

    def get(self, record_id: str) -> R | None:
        record = self._records.get(record_id)
        if record is None and self._lazy_left:
            return self._materialize(record_id)
        return record

    def unbuilt_count(self) -> int:
        """Lazy records not built yet: what a test counts to see a page build only its own."""
        return self._lazy_left

    def built(self, record_id: str) -> R | None:
        """The record if it exists already; None for an unknown id or a lazy one not yet made
        (so a caller can read bulk columns instead of building it)."""
        return self._records.get(record_id)

    def built_records(self) -> Iterator[R]:
        """Every record made so far (lazy ones not yet read are not)."""
        return iter(list(self._records.values()))

    def add_lazy(
        self, ids: list[str], keys_by_group: Mapping[Hashable, Keys], make: Callable[[int], R], keys: SortKeys | None = None
    ) -> None:
        """Bulk records known only by id and sort key until first read, when `make(i)` builds
        the record of `ids[i]`. Its sort key and groups must be the ones given here: a large
        scenario then costs a few columns at start, not a million objects. A group's keys may be
        a function (`bulk.split`): its index is made when the group is first used. `keys`, the
        records' sort keys in key order, lets a list page find its records by binary search, so
        the id -> record map is made only when a record is asked for by id alone."""
        self._changed()
        start = self._lazy_total
        self._lazy_total += len(ids)
        self._lazy_starts.append(start)
        self._lazy_makers.append(make)
        self._lazy_ids.append(ids)
        self._lazy_keys.append(keys)
        self._lazy_left += len(ids)
        if not self._waiting:
            self._lazy.update(zip(ids, range(start, start + len(ids)), strict=True))
        self._file(keys_by_group)

    def _file(self, keys_by_group: Mapping[Hashable, Keys]) -> None:
        """Merge keys into the group indexes: one sort per index, not one insertion per key;
        keys still to be made wait until the group is used (`_group`)."""
        for group, keys in keys_by_group.items():
            if callable(keys):
                self._pending.setdefault(group, []).append(keys)
                continue
            index = self._indexes.get(group)
            if index is None and group not in self._pending:
                self._indexes[group] = SortedList(keys)
            else:
                self._index(group).update(keys)

    def _group(self, group: Hashable, create: bool = True) -> SortedList | None:
        """A group's index, made now from its pending keys if it has any (in one sort); a group
        with neither is made empty (`create`) or None. Every change to an index goes through
        here, so a pending group is complete before it changes."""
        pending = self._pending.pop(group, None)
        index = self._indexes.get(group)
        if pending is not None:
            enabled = gc.isenabled()
            gc.disable()  # tens of thousands of new acyclic tuples: collecting meanwhile halves the speed
            try:
                keys = [key for make in pending for key in make()]
                if index is None:
                    index = self._indexes[group] = SortedList(keys)
                else:
                    index.update(keys)
            finally:
                if enabled:
                    gc.enable()
        elif index is None and create:
            index = self._indexes[group] = SortedList()
        return index

    def mismatched_keys(self) -> list[Key]:
        """Index keys whose record (built now, if lazy) has another key or other groups. A test
        hook: lazily made records must be exactly the ones their columns promised."""
        bad = []
        for group in list(self._pending):
            self._group(group)
        for group, index in self._indexes.items():
            for key in index:
                record = self.record_for(key)
                if self._key(record) != key or group not in set(self._groups(record)):
                    bad.append(key)
        return bad

    def _by_id(self) -> dict[str, int]:
        """The lazy records not built yet, id -> position, made on first use."""
        if self._waiting:
            self._waiting = False
            for ids, start in zip(self._lazy_ids, self._lazy_starts, strict=True):
                self._lazy.update(zip(ids, range(start, start + len(ids)), strict=True))
            for record_id in self._located:
                del self._lazy[record_id]
            self._located.clear()
        return self._lazy

    def _locate(self, record_id: str, key: Key) -> tuple[int, int] | None:
        """(source, index) of the unbuilt lazy record at sort key `key`, by binary search."""
        for source, keys in enumerate(self._lazy_keys):
            at = None if keys is None else keys.position(key)
            if at is not None and self._lazy_ids[source][at] == record_id:
                return source, at
        return None

    def _materialize(self, record_id: str, key: Key | None = None) -> R | None:
        found = self._locate(record_id, key) if self._waiting and key is not None else None
        if found is not None:
            self._located.append(record_id)
            source, i = found
        else:
            position = self._by_id().pop(record_id, None)
            if position is None:
                return None
            source = bisect.bisect_right(self._lazy_starts, position) - 1
            i = position - self._lazy_starts[source]
        self._lazy_left -= 1
        record = self._lazy_makers[source](i)
        self._records[record_id] = record
        return record

    def unbuilt(self, record_id: str) -> tuple[int, int] | None:
        """(source, index) of a lazy record not yet built: the `add_lazy` call (0, 1, …) and its
        place in that call's `ids`, so a provider can change it in its columns without building it."""
        position = self._by_id().get(record_id) if self._lazy_left else None
        if position is None:
            return None
        source = bisect.bisect_right(self._lazy_starts, position) - 1
        return source, position - self._lazy_starts[source]

    def refile(self, key: Key, old: Hashable, new: Hashable) -> None:
        """A record not yet built left group `old` for `new`, its sort key unchanged (a clock move
        changing a bulk record's status in its columns): the indexes follow, nothing is built."""
        self._changed()
        self._index(old).remove(key)
        self._index(new).add(key)

    def add(self, record: R) -> None:
        self._changed()
        self._records[self._id(record)] = record
        key = self._key(record)
        for group in self._groups(record):
            self._index(group).add(key)

    def add_many(self, records: Iterable[R]) -> None:
        """Bulk load: one sort per index instead of one insertion per record."""
        self._changed()
        buckets: dict[Hashable, list[Key]] = {}
        for record in records:
            self._records[self._id(record)] = record
            key = self._key(record)
            for group in self._groups(record):
                buckets.setdefault(group, []).append(key)
        self._file(buckets)

    def update(self, record: R, mutate: Callable[[R], Any]) -> None:
        """Change a record in place; its index entries and cached fragments follow. A change
        that keeps its sort key and groups (a comment, a reply at a frozen clock) re-files nothing."""
        self._changed()
        old_key, old_groups = self._key(record), tuple(self._groups(record))
        mutate(record)
        record_id = self._id(record)
        self._records[record_id] = record
        key, groups = self._key(record), tuple(self._groups(record))
        if key != old_key or groups != old_groups:
            for group in old_groups:
                self._index(group).remove(old_key)
            for group in groups:
                self._index(group).add(key)
        for cache in self._fragments.values():
            cache.pop(record_id, None)

    def record_for(self, key: Key) -> R:
        """The record at an index key: every indexed key names a record, built on first read."""
        record = self._records.get(key[-1]) or self._materialize(key[-1], key)
        assert record is not None, key
        return record

    def key_of(self, record: R) -> Key:
        return self._key(record)

    def _index(self, group: Hashable) -> SortedList:
        index = self._group(group)
        assert index is not None
        return index

    def index(self, group: Hashable) -> SortedList:
        index = self._group(group, create=False)
        return SortedList() if index is None else index  # not `or`: that asks the index its length

    def view(
        self,
        groups: Iterable[Hashable],
        *,
        lower: Key | None = None,
        upper: Key | None = None,
        descending: bool = False,
        predicate: Callable[[R], bool] | None = None,
    ) -> KeysetView[R]:
        return KeysetView(self, [self.index(g) for g in groups], lower, upper, descending, predicate)

    def cached_page(self, key: Hashable) -> bytes | None:
        """A finished page body stored by `cache_page`, while no record has changed since.

        Key it on the caller's tenant and the raw query string: a repeated request (a poller,
        a load test) then skips parsing, paging and serialising altogether.
        """
        return self._pages.get(key)

    def cache_page(self, key: Hashable, body: bytes) -> bytes:
        if len(self._pages) >= PAGE_CACHE_SIZE:
            self._pages.pop(next(iter(self._pages)))  # oldest first: a plain FIFO is enough here
        self._pages[key] = body
        return body

    def fragment(self, record: R, name: str, render: Callable[[R], bytes]) -> bytes:
        """Cached serialised form of one record, dropped on update."""
        return self.record_fragments([record], name, render)[0]

    def record_fragments(self, records: Iterable[R], name: str, render: Callable[[R], bytes]) -> list[bytes]:
        """`fragment` for each of `records`, in order (one cache lookup setup for the page)."""
        cache = self._fragments.setdefault(name, {})
        record_id = self._id
        out = []
        for record in records:
            cached = cache.get(record_id(record))
            if cached is None:
                cached = cache[record_id(record)] = render(record)
            out.append(cached)
        return out

    def fragments(self, keys: Iterable[Key], name: str, render: Callable[[R], bytes]) -> list[bytes]:
        """Cached serialised forms (e.g. list item JSON) of the records at `keys`, in order.
        A record's cached forms are dropped when it is updated."""
        cache = self._fragments.setdefault(name, {})
        out = []
        for key in keys:
            record_id = key[-1]
            cached = cache.get(record_id)
            if cached is None:
                cached = cache[record_id] = render(self.record_for(key))
            out.append(cached)
        return out


class KeysetView(Generic[R]):
    """An ordered, bounded, filtered window over the union of some indexes.

    `lower`/`upper` are exclusive bounds on the sort key (in ascending key terms). In descending
    views "after" means "further along the descending order". `predicate` filters what the
    indexes cannot; it costs a scan of skipped records, so keep it for small or rare filters.
    """

    def __init__(
        self,
        collection: IndexedCollection[R],
        indexes: list[SortedList],
        lower: Key | None,
        upper: Key | None,
        descending: bool,
        predicate: Callable[[R], bool] | None,
    ) -> None:
        self.collection = collection
        self.indexes = indexes
        self.lower, self.upper = lower, upper
        self.descending = descending
        self.predicate = predicate

    def _ranges(self, start: Key | None, forward: bool) -> tuple[bool, list[Iterator[Key]]]:
        """Whether the walk is in ascending key order, and each index's keys strictly beyond
        `start` in that order."""
        ascending = forward != self.descending
        lo, hi = self.lower, self.upper
        if start is not None:
            if ascending:
                lo = start if lo is None or start > lo else lo
            else:
                hi = start if hi is None or start < hi else hi
        return ascending, [index.irange(lo, hi, inclusive=(False, False), reverse=not ascending) for index in self.indexes]

    def _stream(self, start: Key | None, forward: bool) -> Iterator[Key]:
        """Keys strictly beyond `start` walking forward (or backward) in view order."""
        ascending, streams = self._ranges(start, forward)
        merged = (
            streams[0]
            if len(streams) == 1
            else heapq.merge(*streams, reverse=not ascending)
        )
        if self.predicate is None:
            return merged
        record_for, keep = self.collection.record_for, self.predicate
        return (k for k in merged if keep(record_for(k)))

    def _first(self, start: Key | None, forward: bool, count: int) -> list[Key]:
        """The first `count` keys of `_stream(start, forward)`. Unfiltered over several indexes,
        the first `count` of each index, sorted together: the same keys as the merge, without
        a Python generator step per key (a status filter naming several statuses)."""
        if self.predicate is not None or len(self.indexes) < 2:
            return list(itertools.islice(self._stream(start, forward), count))
        ascending, streams = self._ranges(start, forward)
        keys: list[Key] = []
        for stream in streams:
            keys += itertools.islice(stream, count)
        keys.sort(reverse=not ascending)
        del keys[count:]
        return keys

    def after(self, key: Key | None, count: int) -> list[Key]:
        """Up to `count` keys following `key` (None: from the start) in view order."""
        return self._first(key, True, count)

    def before(self, key: Key | None, count: int) -> list[Key]:
        """Up to `count` keys preceding `key` (None: from the end), returned in view order."""
        keys = self._first(key, False, count)
        keys.reverse()
        return keys

    def has_after(self, key: Key) -> bool:
        return next(self._stream(key, True), None) is not None

    def has_before(self, key: Key) -> bool:
        return next(self._stream(key, False), None) is not None

    def count(self) -> int:
        if self.predicate is None:
            total = 0
            for index in self.indexes:
                left = 0 if self.lower is None else index.bisect_right(self.lower)
                right = len(index) if self.upper is None else index.bisect_left(self.upper)
                total += max(0, right - left)
            return total
        return sum(1 for _ in self._stream(None, True))

    def offset(self, start: int, count: int) -> list[Key]:
        """Keys [start, start+count) in view order: positional for a single index, else a walk."""
        if start < 0 or count <= 0:
            return []
        if len(self.indexes) == 1 and self.predicate is None:
            index = self.indexes[0]
            left = 0 if self.lower is None else index.bisect_right(self.lower)
            right = len(index) if self.upper is None else index.bisect_left(self.upper)
            if self.descending:
                hi = right - start
                lo = max(left, hi - count)
                return list(reversed(index[lo:hi])) if hi > lo else []
            lo = left + start
            return list(index[lo : min(right, lo + count)])
        return list(itertools.islice(self._stream(None, True), start, start + count))

    def records(self, keys: Iterable[Key]) -> list[R]:
        return [self.collection.record_for(k) for k in keys]


@dataclass(frozen=True, slots=True)
class RelayPage:
    """One page of a Relay connection over a keyset view, as `relay_slice` cuts it."""

    keys: list[Key]
    has_next_page: bool
    has_previous_page: bool


def relay_slice(
    view: KeysetView[Any], after: Key | None, before: Key | None, first: int | None, last: int | None
) -> RelayPage:
    """The Relay connection algorithm on a keyset view: bound by after/before, then first, then last.

    `has_next_page`/`has_previous_page` say whether the filtered set holds anything beyond the
    returned slice in either direction, which is what clients paging either way need.
    """
    more_after: bool | None = None  # None: ask the index
    if first is not None:
        keys = view.after(after, first + 1)
        if before is not None:
            keys = [k for k in keys if _precedes(view, k, before)]
        else:
            more_after = len(keys) > first  # the extra key fetched answers it for free
        keys = keys[:first]
        if last is not None:
            keys = keys[-last:] if last else []
    else:
        count = last or 0
        keys = view.before(before, count + 1)
        if after is not None:
            keys = [k for k in keys if _precedes(view, after, k)]
        keys = keys[-count:] if count else []
    if not keys:
        return RelayPage(keys, False, False)
    if more_after is None:
        more_after = view.has_after(keys[-1])
    # paging forward from the very start there is nothing before: skip the index walk
    more_before = False if (first is not None and after is None and last is None) else view.has_before(keys[0])
    return RelayPage(keys, more_after, more_before)


def _precedes(view: KeysetView[Any], a: Key, b: Key) -> bool:
    """True when `a` comes before `b` in the view's order."""
    return a > b if view.descending else a < b


class CursorError(ValueError):
    """A cursor that is garbled, or that belongs to another query."""


def query_fingerprint(*parts: object) -> str:
    """A short hash of a query's filters, to bind cursors to the query that issued them."""
    return hashlib.blake2s(orjson.dumps(parts, default=str), digest_size=6).hexdigest()


_URL_SAFE = bytes.maketrans(b"+/", b"-_")  # base64's alphabet to the URL-safe one (RFC 4648 §5)


def encode_cursor(key: Key, binding: str = "") -> str:
    """Opaque, URL-safe cursor carrying a sort key and the fingerprint of its query: the URL-safe
    base64 of `[binding, key]`, unpadded. What `base64.urlsafe_b64encode` does, called directly
    (a page makes one or two; tests/test_cursor_encoding.py holds it to that function)."""
    raw = orjson.dumps((binding, key))  # a tuple is a JSON array, as the list was
    return binascii.b2a_base64(raw, newline=False).translate(_URL_SAFE).rstrip(b"=").decode()


def decode_cursor(cursor: str, binding: str = "", arity: int | None = None) -> Key:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        bound, key = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except Exception as exc:  # any garbage at all is the same client error
        raise CursorError("garbled cursor") from exc
    if bound != binding:
        raise CursorError("cursor belongs to another query")
    if not isinstance(key, list) or (arity is not None and len(key) != arity):
        raise CursorError("garbled cursor")
    return tuple(key)
