"""Shoplazza Payments disputes (OpenAPI 2024-07 and later: list and get, read-only), the webhook
registration API and the OAuth install flow (docs/providers/shoplazza.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...lazy import lazy_endpoint
from ...provider import Credential, Provider, Tenant
from ...routing import Route
from . import drills, errors, inferred, routes, webhooks
from .scenario import ShoplazzaSection, check_section
from .state import ShoplazzaState

if TYPE_CHECKING:
    from ...openapi import Document


class ShoplazzaProvider(Provider):
    key = "shoplazza"
    title = "Shoplazza"
    prefix = "/shoplazza"
    base_path = "/shoplazza/openapi/2024-07"
    host_patterns = (
        r"(?P<store>[a-z0-9-]+)\.myshoplaza\.com",
        r"(?P<store>[a-z0-9-]+)\.myshoplazza\.com",
    )
    probe_path = "/shoplazza/openapi/2024-07/shoplazza-payment/disputes?limit=25"
    probe_host = "{domain}"
    Section = ShoplazzaSection
    check = staticmethod(check_section)
    build = staticmethod(ShoplazzaState)
    unknown_path = staticmethod(routes.unknown_path)
    routes = [Provider.every_method(r) for r in routes.ROUTES]  # each handler answers 405 with its own Allow
    answer_headers = (b"access-token",)  # the token (its store, its scopes)
    # fake-only controls under /_sandbox: their modules load on first call (sandbox/lazy.py)
    control_routes = [
        Route("/shoplazza/disputes", lazy_endpoint(f"{__name__}.control:create"), methods=["POST"]),
        Route("/shoplazza/disputes/{id}/act", lazy_endpoint(f"{__name__}.control:act"), methods=["POST"]),
        Route("/shoplazza/disputes/{id}/{action:str}", lazy_endpoint(f"{__name__}.control:act"), methods=["POST"]),
    ]
    fault_response = staticmethod(errors.fault_response)
    # Shoplazza has no dispute webhook topic: these are flagged, opt-in inventions (webhooks.py).
    webhook_types = inferred.WEBHOOK_TOPICS
    webhook_retry_delays = inferred.WEBHOOK_RETRY_DELAYS
    webhook_opt_in = True
    webhook_messages = staticmethod(webhooks.messages)
    webhook_headers = staticmethod(webhooks.headers)
    webhook_new_secret = staticmethod(webhooks.new_secret)
    dashboard_path = f"{__name__}.ui:DASHBOARD"
    drill_targets = drills.TARGETS

    def openapi_documents(self) -> dict[str, Callable[[], dict[str, Any]]]:
        from . import openapi  # only when a document is asked for: its builders cost import time

        return {"shoplazza": openapi.build, "shoplazza-2025-06": openapi.build_2025}

    def openapi_control(self, doc: Document) -> None:
        from . import openapi

        openapi.control(doc)

    def tenants(self, state: ShoplazzaState) -> list[Tenant]:
        return [
            Tenant(
                store.subdomain,
                [
                    Credential("Access-Token", t.token, t.scopes)
                    for t in state.tokens.values()
                    if t.store_id == store.id
                ],
                {"store_id": store.id, "domain": store.domain, "active": store.active, **self._apps(state, store.id)},
            )
            for store in state.stores.values()
        ]

    @staticmethod
    def _apps(state: ShoplazzaState, store_id: str) -> dict[str, list[dict[str, str]]]:
        """The store's OAuth apps (for `/admin/oauth/…`), listed only where the scenario has some."""
        apps = [{"client_id": app.client_id, "client_secret": app.client_secret}
                for app, owner in state.apps.values() if owner == store_id]
        return {"apps": apps} if apps else {}


provider = ShoplazzaProvider()
