"""`encode_cursor` (sandbox/pagination.py) calls binascii itself instead of going through
`base64.urlsafe_b64encode`: every cursor must come out byte for byte as that function makes it,
and read back."""

from __future__ import annotations

import base64

import orjson
from hypothesis import given
from hypothesis import strategies as st

from sandbox.pagination import decode_cursor, encode_cursor

PARTS = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.booleans(),
    st.none(),
)


def _by_base64(key: tuple, binding: str) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([binding, list(key)])).rstrip(b"=").decode()


@given(st.lists(PARTS, max_size=6).map(tuple), st.text(max_size=20))
def test_cursor_is_the_url_safe_base64_one(key: tuple, binding: str) -> None:
    cursor = encode_cursor(key, binding)
    assert cursor == _by_base64(key, binding)
    assert decode_cursor(cursor, binding) == key


def test_cursor_uses_the_url_safe_alphabet() -> None:
    key = ("???>>>",)  # its standard base64 holds both '+' and '/'
    assert {"+", "/"} <= set(base64.b64encode(orjson.dumps(["", list(key)])).decode())
    assert encode_cursor(key) == "WyIiLFsiPz8_Pj4-Il1d"
