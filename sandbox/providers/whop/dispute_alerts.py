"""`GET /dispute_alerts[/{id}]`: early fraud warnings, dispute alerts and Visa RDR notices
(whop-sdk 2.6.0 `client.dispute_alerts`, and 0.0.41's legacy shape at legacy versions;
docs/providers/whop-disputes.md "Dispute alerts").

Alerts are read-only in the API; the sandbox raises them through its control plane, where an
auto-refunded alert refunds the payment: open disputes on it settle `prevented` and an open case
on it closes for the customer (disputes.DisputeBook.raise_alert).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ...bulk import micros
from ...pagination import query_fingerprint
from ...routing import Route
from . import errors, inferred, versions
from .dispute_models import ALERT_TYPES, AlertRecord
from .dispute_routes import (
    JSON_TYPE,
    Query,
    account_filter,
    account_of,
    bounds,
    caller,
    page_body,
    reordered,
)
from .dispute_serialize import alert_json, legacy_alert_json, legacy_alert_list_item_json

ORDERS = ("created_at", "reported_at", "amount")
SORT_VALUES: dict[str, Callable[[AlertRecord], tuple]] = {
    "reported_at": lambda a: (micros(a.reported_at),),
    "amount": lambda a: (a.amount,),
}


async def list_alerts(request: Request) -> Response:
    """Current: every filter and order. Legacy (whop-sdk 0.0.41): `company_id` required, paging,
    `created_*`, `direction`, the legacy item."""
    state, book, key, version = caller(request, "list_dispute_alerts")
    current = versions.is_current(version)
    query = Query(request)
    if not current and not query.text("company_id"):
        raise errors.bad_request("company_id", "company_id is required")
    account = account_filter(query, key, "account_id" if current else "company_id")
    page_key = ("alerts", current, account, request.scope["query_string"])
    cached = book.alerts.cached_page(page_key) if current else None
    if cached is not None:
        return Response(cached, media_type=JSON_TYPE)
    type_ = query.choice("type", ALERT_TYPES) if current else None
    payment = query.text("payment_id") if current else None
    direction = query.choice("direction", ("asc", "desc"), inferred.DEFAULT_DIRECTION)
    order = (query.choice("order", ORDERS) if current else None) or "created_at"
    created_after, created_before = query.time("created_after"), query.time("created_before")
    binding = query_fingerprint("alerts", current, account, type_, payment, created_after, created_before, order, direction)
    group: tuple[str, ...]
    if payment:
        group = (account, "pay", payment)
        predicate = (lambda a: a.type == type_) if type_ else None
    else:
        group = (account, "type", type_) if type_ else (account,)
        predicate = None
    view = book.alerts.view([group], **bounds(created_after, created_before), descending=direction == "desc", predicate=predicate)
    if order != "created_at":
        view = reordered(view, book.alerts, lambda key: SORT_VALUES[order](book.alerts.record_for(key)))
    if current:
        render = lambda keys: book.alerts.fragments(keys, "current", alert_json)  # noqa: E731
    else:  # not cached: the item names the payment's latest dispute, which may change
        render = lambda keys: [legacy_alert_list_item_json(a, book) for a in view.records(keys)]  # noqa: E731
    size = inferred.CURRENT_PAGE_SIZE if current else inferred.DEFAULT_PAGE_SIZE
    body = page_body(view, query, binding, size, render)
    return Response(book.alerts.cache_page(page_key, body) if current else body, media_type=JSON_TYPE)


async def retrieve_alert(request: Request) -> Response:
    state, book, key, version = caller(request, "retrieve_dispute_alert")
    alert = book.alerts.get(request.path_params["id"])
    if alert is None or alert.account_id != account_of(key):
        raise errors.not_found()
    body = alert_json(alert) if versions.is_current(version) else legacy_alert_json(alert, book)
    return Response(body, media_type=JSON_TYPE)


ROUTES: list[BaseRoute] = [
    Route("/api/v1/dispute_alerts", list_alerts, methods=["GET"]),
    Route("/api/v1/dispute_alerts/{id}", retrieve_alert, methods=["GET"]),
]
