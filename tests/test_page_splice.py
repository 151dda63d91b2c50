"""`spliced` (sandbox/jsonresp.py), which every provider's list route builds its page with: the
same bytes as the head, the items joined, and the tail concatenated."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sandbox.jsonresp import spliced

CHUNKS = st.binary(max_size=40)


@given(CHUNKS, st.lists(CHUNKS, max_size=8), CHUNKS, st.sampled_from([b",", b'},{"node":', b""]))
def test_splice_is_the_concatenation(head: bytes, items: list[bytes], tail: bytes, separator: bytes) -> None:
    kept = list(items)
    assert spliced(head, items, tail, separator) == head + separator.join(items) + tail
    assert items == kept  # the caller's list (a fragment cache's answer) is left as it was
