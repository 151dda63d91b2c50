"""Domain events: every create and transition a provider makes, in order.

The journal is bounded (oldest dropped) so long soak runs keep a flat memory; listeners (the
webhook dispatcher, the demo printer) see every event as it happens.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .timefmt import iso_millis

JOURNAL_LIMIT = 10_000


class Event:
    """One event. A plain slotted class, not a frozen dataclass: a clock move makes hundreds of
    thousands, and a frozen dataclass pays one `object.__setattr__` call per field for each.
    Nothing changes an event once made."""

    __slots__ = ("seq", "provider", "type", "object_id", "tenant", "at", "data")

    def __init__(
        self,
        seq: int,
        provider: str,
        type: str,  # provider's own vocabulary, e.g. "resolution_center_case.updated"
        object_id: str,
        tenant: str,
        at: datetime,
        data: dict[str, Any] | None = None,  # e.g. {"from": "open", "to": "lost"}
    ) -> None:
        self.seq = seq
        self.provider = provider
        self.type = type
        self.object_id = object_id
        self.tenant = tenant
        self.at = at
        self.data: dict[str, Any] = {} if data is None else data

    def _fields(self) -> tuple[Any, ...]:
        return (self.seq, self.provider, self.type, self.object_id, self.tenant, self.at, self.data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Event) and self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # equal by value, and `data` is a dict

    def __repr__(self) -> str:
        return "Event(" + ", ".join(f"{n}={v!r}" for n, v in zip(self.__slots__, self._fields(), strict=True)) + ")"

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "provider": self.provider,
            "type": self.type,
            "object_id": self.object_id,
            "tenant": self.tenant,
            "at": iso_millis(self.at),
            "data": self.data,
        }


Listener = Callable[[Event], None]


class EventLog:
    def __init__(self, limit: int = JOURNAL_LIMIT) -> None:
        self._events: deque[Event] = deque(maxlen=limit)
        self._next = 1
        self.listeners: list[Listener] = []

    def emit(
        self, provider: str, type: str, object_id: str, tenant: str, at: datetime, **data: Any
    ) -> Event:
        event = Event(self._next, provider, type, object_id, tenant, at, data)
        self._next += 1
        self._events.append(event)
        for listener in self.listeners:
            listener(event)
        return event

    def query(
        self, provider: str | None = None, object_id: str | None = None, since: int = 0
    ) -> list[Event]:
        return [
            e
            for e in self._events
            if e.seq > since
            and (provider is None or e.provider == provider)
            and (object_id is None or e.object_id == object_id)
        ]
