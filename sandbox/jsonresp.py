"""orjson-backed JSON responses, shared by the control plane and every provider, and the base of
the providers' wire models."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict
from starlette.responses import Response


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        if isinstance(content, bytes):
            return content
        return orjson.dumps(content)


def spliced(head: bytes, items: Sequence[bytes], tail: bytes, separator: bytes = b",") -> bytes:
    """`head`, then `items` joined by `separator`, then `tail`: a list page's body, copied once. A
    chain of `+` over it copies the whole page again at every `+`, and so would a join of the
    joined items between `head` and `tail`: here `head` and `tail` go onto the first and last item
    (one item's copy each), then one join copies the page."""
    if not items:
        return head + tail
    parts = list(items)
    parts[0] = head + parts[0]
    parts[-1] += tail
    return separator.join(parts)


class WireModel(BaseModel):
    """A provider's response shape. Strict, so a field the serializer invents fails the golden
    tests; built on first use, because building every provider's validators at import was a
    tenth of a start."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
