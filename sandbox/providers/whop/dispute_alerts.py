"""`GET /dispute_alerts[/{id}]`: early fraud warnings, dispute alerts and Visa RDR notices
(whop-sdk 2.6.0 `client.dispute_alerts`; docs/providers/whop-disputes.md "Dispute alerts").

Alerts are read-only in the API; the sandbox raises them through its control plane, where an
auto-refunded alert refunds the payment: open disputes on it settle `prevented` and an open case
on it closes for the customer (disputes.DisputeBook.raise_alert).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...bulk import micros
from ...pagination import query_fingerprint
from . import errors, inferred
from .dispute_models import ALERT_TYPES, AlertRecord
from .dispute_routes import (
    JSON_TYPE,
    Query,
    account_filter,
    bounds,
    caller,
    current_only,
    page_body,
    reordered,
)
from .dispute_serialize import alert_json

ORDERS = ("created_at", "reported_at", "amount")
SORT_VALUES: dict[str, Callable[[AlertRecord], tuple]] = {
    "reported_at": lambda a: (micros(a.reported_at),),
    "amount": lambda a: (a.amount,),
}


async def list_alerts(request: Request) -> Response:
    state, book, key, version = caller(request, "list_dispute_alerts")
    current_only(version)
    query = Query(request)
    account = account_filter(query, key)
    page_key = ("alerts", account, request.scope["query_string"])
    cached = book.alerts.cached_page(page_key)
    if cached is not None:
        return Response(cached, media_type=JSON_TYPE)
    type_ = query.choice("type", ALERT_TYPES)
    payment = query.text("payment_id")
    direction = query.choice("direction", ("asc", "desc"), inferred.DEFAULT_DIRECTION)
    order = query.choice("order", ORDERS) or "created_at"
    created_after, created_before = query.time("created_after"), query.time("created_before")
    binding = query_fingerprint("alerts", account, type_, payment, created_after, created_before, order, direction)
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
    body = page_body(view, query, binding, inferred.DISPUTE_PAGE_SIZE, lambda keys: book.alerts.fragments(keys, "current", alert_json))
    return Response(book.alerts.cache_page(page_key, body), media_type=JSON_TYPE)


async def retrieve_alert(request: Request) -> Response:
    state, book, key, version = caller(request, "retrieve_dispute_alert")
    current_only(version)
    alert = book.alerts.get(request.path_params["id"])
    if alert is None or alert.account_id != key.company_id:
        raise errors.not_found()
    return Response(alert_json(alert), media_type=JSON_TYPE)


ROUTES: list[BaseRoute] = [
    Route("/api/v1/dispute_alerts", list_alerts, methods=["GET"]),
    Route("/api/v1/dispute_alerts/{id}", retrieve_alert, methods=["GET"]),
]
