"""Gen 2 (the current pages): `GET /disputes` as `{paging, results}` and `GET /disputes/{id}`;
the key alone names the shop (docs/providers/riverty.md §6.1-§6.3)."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ...jsonresp import spliced
from . import errors, tables
from .auth import authenticate
from .listing import Scope, select
from .models import DisputeRecord, ShopRecord
from .params import Binder, list_params
from .serialize import gen2_json
from .state import RivertyState, state_of
from .web import api_base, json_response, with_base


async def gen2_list(request: Request) -> Response:
    state = state_of(request)
    shop = authenticate(request, state, "gen2_list")
    base = api_base(request)
    page_key = ("gen2", shop.key, base, request.scope["query_string"])
    cached = state.disputes.cached_page(page_key)
    if cached is not None:  # only a query that passed every check below was cached
        return json_response(cached)
    b = Binder(request)
    q = list_params(b, tables.SORT_BY_GEN2)
    ui = b.boolean("showInMerchantUi")
    b.check()
    for name, own in (("shopId", shop.shop_id), ("countryCode", shop.country_code)):
        given = b.raw(name)  # listed by the intermediate page only: must name the key's own shop
        if given is not None and given.strip().upper() != own:
            raise errors.forbidden(f"{name} {given} is not the key's own shop ({own})")
    records, total = select(state, Scope(shop=shop.key, status=q.status, ui=ui), q, gen2=True)
    items = state.disputes.record_fragments(records, "gen2", lambda r: gen2_json(r, state, ""))
    head = b'{"paging":' + orjson.dumps({"total": total, "pageSize": q.size}) + b',"results":['
    return json_response(state.disputes.cache_page(page_key, with_base(spliced(head, items, b"]}"), base)))


def shop_dispute(request: Request, state: RivertyState, shop: ShopRecord) -> DisputeRecord | None:
    """The path's dispute when the key's shop owns it (400 for a malformed id)."""
    b = Binder(request)
    dispute_id = b.guid("disputeId", request.path_params["disputeId"])
    b.check()
    dispute = state.disputes.get(dispute_id) if dispute_id else None
    return dispute if dispute is not None and dispute.shop == shop.key else None


async def gen2_get(request: Request) -> Response:
    state = state_of(request)
    shop = authenticate(request, state, "gen2_get")
    dispute = shop_dispute(request, state, shop)
    if dispute is None:
        raise errors.unknown_dispute(state.unknown_dispute_status)
    fragment = state.disputes.fragment(dispute, "gen2", lambda r: gen2_json(r, state, ""))
    return json_response(with_base(fragment, api_base(request)))
