"""Shoplazza Payments disputes (OpenAPI 2024-07 and later: list and get, read-only)."""

from __future__ import annotations

from ...provider import Credential, Provider, Tenant
from . import control, errors, inferred, routes, webhooks
from .scenario import ShoplazzaSection, check_section
from .state import ShoplazzaState


class ShoplazzaProvider(Provider):
    key = "shoplazza"
    title = "Shoplazza"
    prefix = "/shoplazza"
    base_path = "/shoplazza/openapi/2024-07"
    host_patterns = (
        r"(?P<store>[a-z0-9-]+)\.myshoplaza\.com",
        r"(?P<store>[a-z0-9-]+)\.myshoplazza\.com",
    )
    Section = ShoplazzaSection

    # Shoplazza has no dispute webhook topic: these are flagged, opt-in inventions (webhooks.py).
    webhook_types = inferred.WEBHOOK_TOPICS
    webhook_retry_delays = inferred.WEBHOOK_RETRY_DELAYS
    webhook_opt_in = True

    def check(self, section: ShoplazzaSection):
        return check_section(section)

    def build(self, section: ShoplazzaSection, ctx) -> ShoplazzaState:
        return ShoplazzaState(section, ctx)

    def routes(self):
        return routes.ROUTES

    def control_routes(self):
        return control.ROUTES

    def fault_response(self, status: int, retry_after: int):
        response = errors.by_status(status, retry_after).response()
        response.headers["Request-Id"] = routes.request_id()
        return response

    def webhook_messages(self, state: ShoplazzaState, event):
        return webhooks.messages(state, event)

    def webhook_new_secret(self, rng):
        return webhooks.new_secret(rng)

    def webhook_headers(self, secret, message, body, at):
        return webhooks.headers(secret, message, body, at)

    def tenants(self, state: ShoplazzaState) -> list[Tenant]:
        return [
            Tenant(
                store.subdomain,
                [
                    Credential("Access-Token", t.token, t.scopes)
                    for t in state.tokens.values()
                    if t.store_id == store.id
                ],
                {"store_id": store.id, "domain": store.domain, "active": store.active},
            )
            for store in state.stores.values()
        ]


provider = ShoplazzaProvider()
