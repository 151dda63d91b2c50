"""Query and header values as HTTP APIs read them: ASCII only.

Python's `int()` and `str.isdigit()` accept what no HTTP API does: non-ASCII digits (`٣`, `²`),
underscores (`1_0`), surrounding spaces and a `+` sign. Providers parse numbers with these instead.
"""

from __future__ import annotations

import re

_INT = re.compile(r"-?[0-9]+")
_UINT = re.compile(r"[0-9]+")


def ascii_int(text: str, *, signed: bool = False) -> int | None:
    """The integer `text` spells in ASCII decimal digits (a leading `-` only when `signed`), else None."""
    if (_INT if signed else _UINT).fullmatch(text) is None:
        return None
    return int(text)


def is_ascii_digits(text: str | bytes) -> bool:
    """True for a non-empty run of ASCII `0-9` (what `str.isdigit` should have meant)."""
    if isinstance(text, bytes):
        return bool(text) and text.isascii() and text.isdigit()
    return _UINT.fullmatch(text) is not None
