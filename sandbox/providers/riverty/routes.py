"""Riverty's route table: Gen 1 (`/{clientId}/disputes…`, the seed) and Gen 2 (`/disputes…`,
`/attachments…`), both reading one store (docs/providers/riverty.md). Gen 2's literal paths come
first so that `/disputes/…` and `/attachments/…` are never taken for a Gen 1 client id. Handlers
raise `RivertyError`; the core renders it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from . import errors
from .attachments import gen1_attachment, gen2_download, upload
from .comments import comments_add, comments_list
from .gen1 import gen1_get, gen1_list
from .gen2 import gen2_get, gen2_list

GEN1_ATTACHMENT = "/Complaints/{disputeId}/attachments/{attachmentId}"


def unknown_path(request: Request) -> errors.RivertyError:
    return errors.problem(404, request)


ROUTES = [
    # Gen 2 first: these literal paths must win over Gen 1's `/{clientId}/disputes`.
    Route("/disputes", gen2_list, methods=["GET"]),
    Route("/disputes/{disputeId}", gen2_get, methods=["GET"]),
    Route("/disputes/{disputeId}/comments", comments_list, methods=["GET"]),
    Route("/disputes/{disputeId}/comments", comments_add, methods=["POST"]),
    Route("/attachments", upload, methods=["POST"]),
    Route("/attachments/{attachmentId}/content", gen2_download, methods=["GET"]),
    Route(GEN1_ATTACHMENT, gen1_attachment, methods=["GET"]),
    # Gen 1 (the seed)
    Route("/{clientId}/disputes", gen1_list, methods=["GET"]),
    Route("/{clientId}/disputes/{disputeId}", gen1_get, methods=["GET"]),
]
