"""OrderProtection claims and orders (REST `/v1`, as docs.orderprotection.com describes it; sources
by endpoint in docs/providers/orderprotection.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ...events import Event
from ...lazy import lazy_endpoint
from ...provider import Credential, Provider, Tenant, WebhookMessage
from ...routing import Route
from . import drills, errors, inferred, routes
from .models import WEBHOOK_DEFAULT_TYPES, WEBHOOK_TYPES
from .scenario import OrderProtectionSection, check_section
from .state import OrderProtectionState


class OrderProtectionProvider(Provider):
    key = "orderprotection"
    title = "OrderProtection"
    prefix = "/orderprotection"
    base_path = "/orderprotection/v1"
    host_patterns = (r"api\.production\.orderprotection\.com",)
    probe_path = "/orderprotection/v1/claims?first=25"
    probe_host = "api.production.orderprotection.com"
    Section = OrderProtectionSection
    check = staticmethod(check_section)
    build = staticmethod(OrderProtectionState)
    unknown_path = staticmethod(routes.unknown_path)
    method_not_allowed = Provider.unserved_method_is_unknown_path  # NestJS (Express): 404, no 405 (inferred.py)
    routes = routes.ROUTES
    answer_headers = (b"authorization",)  # the token (its store, its scopes)
    # fake-only controls under /_sandbox: their modules load on first call (sandbox/lazy.py)
    control_routes = [
        Route("/orderprotection/claims/{id}", lazy_endpoint(f"{__name__}.control:claim"), methods=["GET"]),
        Route("/orderprotection/claims/{id}/{action:str}", lazy_endpoint(f"{__name__}.control:act"), methods=["POST"]),
        Route("/orderprotection/stores/{store}/orders", lazy_endpoint(f"{__name__}.control:orders"), methods=["GET"]),
        Route("/orderprotection/stores/{store}/orders/{sourceOrderId}/protection", lazy_endpoint(f"{__name__}.control:protection"), methods=["POST"]),
        Route("/orderprotection/session_tokens", lazy_endpoint(f"{__name__}.session:mint"), methods=["POST"]),
    ]
    fault_response = staticmethod(errors.fault_response)
    webhook_types = WEBHOOK_TYPES
    webhook_default_events = WEBHOOK_DEFAULT_TYPES
    webhook_retry_delays = inferred.WEBHOOK_RETRY_DELAYS
    dashboard_path = f"{__name__}.ui:DASHBOARD"
    drill_targets = drills.TARGETS
    def webhook_messages(self, state: OrderProtectionState, event: Event) -> list[WebhookMessage]:
        from . import webhooks  # its payload shapes (pydantic) load with the first event a subscription gets

        return webhooks.messages(state, event)

    def webhook_headers(self, secret: str, message: WebhookMessage, body: bytes, at: datetime) -> dict[str, str]:
        from . import webhooks

        return webhooks.headers(secret, message, body, at)

    def openapi_control(self, doc: Any) -> None:
        from . import openapi

        openapi.openapi_control(doc)

    def openapi_documents(self) -> dict[str, Callable[[], dict[str, Any]]]:
        from . import openapi  # only when a document is asked for: its builders cost import time

        return {self.key: openapi.build}

    def tenants(self, state: OrderProtectionState) -> list[Tenant]:
        """Each store with its scenario tokens, and its apps' client credentials for /v1/oauth/token."""
        out = []
        for store in state.stores.values():
            credentials = [
                Credential("Authorization", f"Bearer {t.token}", t.scopes)
                for t in state.tokens.values()
                if t.store_id == store.id and t.client_id is None
            ]
            apps = [
                {"client_id": a.client_id, "client_secret": a.client_secret, "scopes": list(a.scopes)}
                for a in state.apps.values()
                if store.id in a.store_ids
            ]
            out.append(Tenant(store.id, credentials, {"name": store.name, "apps": apps}))
        return out


provider = OrderProtectionProvider()
