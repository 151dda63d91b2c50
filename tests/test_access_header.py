"""`sandbox.access.header` reads a header exactly as Starlette's `request.headers.get` does (the
first of repeated headers, latin-1, None when absent), for the lower-case names ASGI gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from starlette.requests import Request

from sandbox.access import header

NAMES = st.sampled_from([b"authorization", b"idempotency-key", b"x-auth-key", b"accept"])
VALUES = st.binary(max_size=6).map(lambda raw: raw.replace(b"\r", b"").replace(b"\n", b""))


@given(st.lists(st.tuples(NAMES, VALUES), max_size=6))
def test_header_reads_like_starlette(raw):
    request = Request({"type": "http", "headers": raw})
    for name in (b"authorization", b"idempotency-key", b"x-auth-key", b"accept"):
        assert header(request, name) == request.headers.get(name.decode())
