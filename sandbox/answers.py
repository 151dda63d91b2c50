"""Finished answers to repeated reads, served by the front door before any routing (issue 22).

A poller (or a load test) asks the same URL with the same credential again and again; until a
record changes, the answer is the same bytes but for what every request must do afresh:
authenticate, count against its rate limit, carry per-request headers (a request id). A read
handler hands its finished answer to `remember` with that part (`admit`, the operation's own auth
and checks) and the collection the answer was made from; `serve` answers the next identical
request by awaiting `admit` and sending the stored bytes, without Starlette's routing, the handler
or a Response object. A refusal `admit` raises is rendered as the handler's would be.

The key is what an answer can depend on in the request: method GET, path (its path parameters),
query string, scheme, Host, and the headers the provider names (`Provider.answer_headers`: its
credential, version headers). An answer is dropped once the collection it was made from has changed
(`IndexedCollection.version`); the store belongs to one world (`runtime.World.answers`), so a reset
or load starts empty. Only 200s are stored, and only on the front door's plain path: faults and
drills (`sandbox/drills.py`) never reach it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, NamedTuple

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from .errors import ProviderError, render_provider_error
from .pagination import IndexedCollection

ANSWER_CACHE_SIZE = 256  # answers kept per world; keys are client-chosen, so the store is bounded
ROUTED = ("path_params", "root_path", "app_root_path", "endpoint", "router", "route")  # Starlette's routing entries
KEY = "sandbox.answer"  # the scope entry the front door leaves for `remember`: where to store

Headers = list[tuple[bytes, bytes]]
# An operation's per-request part: the same checks, in the same order, as the handler runs before
# it reads the answer (auth, rate limits, the path's tenant); returns the headers that differ
# per request (appended after the stored ones) or raises the provider's error.
Admit = Callable[[Request], Awaitable[Headers]]


class Answer(NamedTuple):  # a tuple: made on every page built, so cheaper to make than a frozen dataclass
    status: int
    headers: Headers  # as the handler's Response encoded them (content-length, content-type, …)
    body: bytes
    admit: Admit
    made_from: IndexedCollection[Any]
    version: int  # made_from's version when the answer was made
    routed: dict[str, Any]  # what routing put in the scope (path params, root path): same path, same values

    def fresh(self) -> bool:
        return self.made_from.version == self.version


class Answers:
    """Answers by request key, oldest dropped first past `size`."""

    def __init__(self, size: int = ANSWER_CACHE_SIZE) -> None:
        self.size = size
        self._answers: dict[Hashable, Answer] = {}

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: Hashable) -> Answer | None:
        answer = self._answers.get(key)
        if answer is not None and not answer.fresh():
            del self._answers[key]
            return None
        return answer

    def put(self, key: Hashable, answer: Answer) -> None:
        self._answers.pop(key, None)
        if len(self._answers) >= self.size:
            del self._answers[next(iter(self._answers))]
        self._answers[key] = answer


def key_of(scope: Scope, names: Sequence[bytes]) -> Hashable:
    """What identifies a GET's answer: path, query, scheme, Host and the provider's `names` headers."""
    host = b""
    values = []
    for name, value in scope["headers"]:
        if name == b"host":
            host = value
        elif name in names:
            values.append((name, value))
    return scope["path"], scope["query_string"], scope.get("scheme"), host, tuple(values)


async def serve(answers: Answers, key: Hashable, scope: Scope, receive: Receive, send: Send) -> int:
    """Answer from `answers` if it holds a fresh answer under `key`: the status sent (for the
    request journal, which then needs no wrapper around `send`); else leave `key` in the scope for
    the handler's `remember` (0)."""
    answer = answers.get(key)
    if answer is None:
        scope[KEY] = answers, key
        return 0
    scope.update(answer.routed)
    request = Request(scope, receive)
    try:
        extra = await answer.admit(request)
    except ProviderError as exc:  # the handler's refusal, rendered as the app's handler renders it
        response = await render_provider_error(request, exc)
        await response(scope, receive, send)
        return response.status_code
    await send({"type": "http.response.start", "status": answer.status, "headers": [*answer.headers, *extra]})
    await send({"type": "http.response.body", "body": answer.body})
    return answer.status


def remember(request: Request, response: Response, admit: Admit, made_from: IndexedCollection[Any]) -> Response:
    """Store `response` (a 200 read made from the records of `made_from` alone) for the next
    identical request; its headers must not yet hold the per-request ones `admit` adds."""
    scope = request.scope
    where = scope.get(KEY)
    if where is not None and response.status_code == 200 and response.background is None:
        answers, key = where
        routed = {name: scope[name] for name in ROUTED if name in scope}
        answers.put(key, Answer(200, list(response.raw_headers), bytes(response.body), admit,
                                made_from, made_from.version, routed))
    return response
