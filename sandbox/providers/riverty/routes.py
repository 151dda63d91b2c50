"""Riverty's route table: Gen 1 (`/{clientId}/disputes…`, the seed) and Gen 2 (`/disputes…`,
`/attachments…`), both reading one store (docs/providers/riverty.md). Gen 2's literal paths come
first so that `/disputes/…` and `/attachments/…` are never taken for a Gen 1 client id. Handlers
raise `RivertyError`; the core renders it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from ...answers import Headers, remember
from ...routing import Route
from . import errors
from .attachments import gen1_attachment, gen2_download, upload
from .auth import authenticate
from .comments import comments_add, comments_list
from .gen1 import gen1_get, gen1_list, path_client
from .gen2 import gen2_get, gen2_list
from .params import Binder
from .state import state_of

GEN1_ATTACHMENT = "/Complaints/{disputeId}/attachments/{attachmentId}"


def unknown_path(request: Request) -> errors.RivertyError:
    return errors.problem(404, request)


def stored(handler: Callable[[Request], Awaitable[Response]], operation: str, gen1: bool = False
           ) -> Callable[[Request], Awaitable[Response]]:
    """A read of disputes alone, its 200 stored for the next identical request (sandbox/answers.py);
    `operation` is the one the handler authenticates as, `gen1` that it checks the path's client."""

    async def admit(request: Request) -> Headers:
        shop = authenticate(request, state_of(request), operation)
        if gen1:
            path_client(request, shop, Binder(request))
        return []

    async def run(request: Request) -> Response:
        return remember(request, await handler(request), admit, state_of(request).disputes)

    return run


ROUTES = [
    # Gen 2 first: these literal paths must win over Gen 1's `/{clientId}/disputes`.
    Route("/disputes", stored(gen2_list, "gen2_list"), methods=["GET"]),
    Route("/disputes/{disputeId}", stored(gen2_get, "gen2_get"), methods=["GET"]),
    Route("/disputes/{disputeId}/comments", comments_list, methods=["GET"]),
    Route("/disputes/{disputeId}/comments", comments_add, methods=["POST"]),
    Route("/attachments", upload, methods=["POST"]),
    Route("/attachments/{attachmentId}/content", gen2_download, methods=["GET"]),
    Route(GEN1_ATTACHMENT, gen1_attachment, methods=["GET"]),
    # Gen 1 (the seed)
    Route("/{clientId}/disputes", stored(gen1_list, "gen1_list", gen1=True), methods=["GET"]),
    Route("/{clientId}/disputes/{disputeId}", stored(gen1_get, "gen1_get", gen1=True), methods=["GET"]),
]
