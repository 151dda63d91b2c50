"""`KeysetView.after`/`before` over several indexes (a filter naming several groups) give exactly
the keys the merged walk gives, bounds and descending order included (sandbox/pagination.py)."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from sandbox.pagination import IndexedCollection

RECORDS = st.lists(st.tuples(st.integers(0, 30), st.sampled_from("abc")), max_size=40, unique_by=lambda r: r)


@given(RECORDS, st.sets(st.sampled_from("abc"), min_size=1), st.booleans(), st.integers(0, 12),
       st.one_of(st.none(), st.integers(-1, 31)), st.one_of(st.none(), st.integers(-1, 31)),
       st.one_of(st.none(), st.integers(-1, 31)))
def test_first_keys_are_the_merged_walks(records, groups, descending, count, start, lower, upper):
    collection: IndexedCollection[tuple] = IndexedCollection(
        record_id=lambda r: f"{r[0]}{r[1]}", sort_key=lambda r: (r[0], f"{r[0]}{r[1]}"), groups=lambda r: [r[1]]
    )
    collection.add_many(records)
    view = collection.view(sorted(groups), lower=None if lower is None else (lower, ""),
                           upper=None if upper is None else (upper, "~"), descending=descending)
    key = None if start is None else (start, "m")
    assert view.after(key, count) == list(itertools.islice(view._stream(key, True), count))
    assert view.before(key, count) == list(itertools.islice(view._stream(key, False), count))[::-1]
