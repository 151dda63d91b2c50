"""The floor: a bare Starlette app serving a fixed body of a given size under the same server."""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

BODY = b'{"data":"' + b"x" * max(0, int(os.environ.get("FLOOR_BODY_BYTES", "12000")) - 11) + b'"}'


async def fixed(request):
    return Response(BODY, media_type="application/json")


app = Starlette(routes=[Route("/{path:path}", fixed, methods=["GET", "POST"])])  # POST: the writes bench
