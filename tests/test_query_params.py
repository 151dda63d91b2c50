"""`sandbox.access.Query` reads a query string exactly as Starlette's `QueryParams` does (its fast
path splits a query with nothing to decode; anything with `%` or `+` goes through `parse_qsl`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import QueryParams

from sandbox.access import Query

PIECES = st.sampled_from(["a", "b", "a[]", "=", "&", "%", "%2", "%20", "%zz", "+", ";", "1", "", "\u00e9", " ", "=="])


@given(st.lists(PIECES, max_size=12).map("".join).map(lambda text: text.encode("utf-8")))
def test_query_reads_like_starlette(raw):
    theirs, ours = QueryParams(raw), Query(raw)
    assert ours.multi_items() == theirs.multi_items()
    assert list(ours) == list(theirs) and len(ours) == len(theirs)
    for name in {*theirs.keys(), "a", "b", "a[]", ""}:
        assert (ours.get(name), ours.getlist(name), name in ours) == (theirs.get(name), theirs.getlist(name), name in theirs)
    assert ours.get("missing", "x") == theirs.get("missing", "x")
