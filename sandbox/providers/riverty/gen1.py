"""Gen 1 ("complaints", the seed): `GET /{clientId}/disputes` as a bare JSON array and
`GET /{clientId}/disputes/{disputeId}` (docs/providers/riverty.md §3-§5). The path's client
must be the key's client."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ...jsonresp import spliced
from . import errors, tables
from .auth import authenticate
from .listing import Scope, select
from .models import ShopRecord
from .params import INT, INT32_MAX, Binder, list_params
from .serialize import gen1_json
from .state import state_of
from .web import json_response


def path_client(request: Request, shop: ShopRecord, b: Binder) -> int:
    raw = request.path_params["clientId"]
    if not INT.match(raw) or not -(2**31) <= int(raw) <= INT32_MAX:
        b.fail(*errors.not_valid("clientId", raw))
        b.check()
    if int(raw) != shop.client_id:
        raise errors.forbidden(f"clientId {raw} is another client's (the key's is {shop.client_id})")
    return int(raw)


async def gen1_list(request: Request) -> Response:
    state = state_of(request)
    shop = authenticate(request, state, "gen1_list")
    b = Binder(request)
    client_id = path_client(request, shop, b)
    page_key = ("gen1", client_id, request.scope["query_string"])
    cached = state.disputes.cached_page(page_key)
    if cached is not None:
        return json_response(cached)
    q = list_params(b, tables.SORT_BY_GEN1)
    b.check()
    records, _ = select(state, Scope(client_id=client_id, status=q.status), q, gen2=False)
    items = state.disputes.record_fragments(records, "gen1", lambda r: gen1_json(r, state))
    return json_response(state.disputes.cache_page(page_key, spliced(b"[", items, b"]")))


async def gen1_get(request: Request) -> Response:
    state = state_of(request)
    shop = authenticate(request, state, "gen1_get")
    b = Binder(request)
    client_id = path_client(request, shop, b)
    dispute_id = b.guid("disputeId", request.path_params["disputeId"])
    b.check()
    dispute = state.disputes.get(dispute_id) if dispute_id else None
    if dispute is None or dispute.client_id != client_id:
        raise errors.unknown_dispute(state.unknown_dispute_status)
    return json_response(state.disputes.fragment(dispute, "gen1", lambda r: gen1_json(r, state)))
