"""Pandabase Store API v2: support cases, disputes, webhook endpoints, and the dispute webhooks
(V2 and V1 signatures); docs/providers/pandabase.md lists the public sources."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...lazy import lazy_endpoint
from ...provider import Credential, Provider, Tenant
from ...routing import Route
from . import drills, errors, routes, webhooks
from .scenario import PandabaseSection, check_section
from .state import PandabaseState

if TYPE_CHECKING:
    from ...openapi import Document


class PandabaseProvider(Provider):
    key = "pandabase"
    title = "Pandabase"
    prefix = "/pandabase"
    base_path = "/pandabase/v2/core"
    host_patterns = (r"api\.pandabase\.io", r"api\.sandbox\.pandabase\.io")
    probe_path = "/pandabase/v2/core/stores/{tenant}/cases?limit=25"
    probe_host = "api.pandabase.io"
    Section = PandabaseSection
    check = staticmethod(check_section)
    build = staticmethod(PandabaseState)
    unknown_path = staticmethod(routes.unknown_path)
    method_not_allowed = Provider.unserved_method_is_unknown_path  # Fastify: 404, no 405 (inferred.py)
    routes = routes.ROUTES
    answer_headers = (b"authorization",)  # the token (its store, its scopes)
    # fake-only controls under /_sandbox: their modules load on first call (sandbox/lazy.py)
    control_routes = [
        Route("/pandabase/stores/{storeId}/cases", lazy_endpoint(f"{__name__}.control:open_case"), methods=["POST"]),
        Route("/pandabase/cases/{id}/{action}", lazy_endpoint(f"{__name__}.control:act"), methods=["POST"]),
        Route("/pandabase/disputes", lazy_endpoint(f"{__name__}.control:list_disputes"), methods=["GET"]),
        Route("/pandabase/disputes/{id}/{action}", lazy_endpoint(f"{__name__}.control:dispute_action"), methods=["POST"]),
    ]
    fault_response = staticmethod(errors.fault_response)
    webhook_types = webhooks.EVENT_TYPES
    webhook_retry_delays = webhooks.RETRY_DELAYS
    webhook_messages = staticmethod(webhooks.messages)
    webhook_headers = staticmethod(webhooks.headers)
    webhook_sign = staticmethod(webhooks.sign)
    dashboard_path = f"{__name__}.ui:DASHBOARD"
    drill_targets = drills.TARGETS

    def openapi_documents(self) -> dict[str, Callable[[], dict[str, Any]]]:
        from . import openapi  # only when a document is asked for: its builders cost import time

        return {"pandabase": openapi.build}

    def openapi_control(self, doc: Document) -> None:
        from . import openapi

        openapi.control(doc)

    def tenants(self, state: PandabaseState) -> list[Tenant]:
        return [
            Tenant(
                store.id,
                [
                    Credential("Authorization", f"Bearer {t.secret}", t.scopes)
                    for t in state.tokens.values()
                    if t.store_id == store.id
                ],
                {"name": store.name},
            )
            for store in state.stores.values()
        ]


provider = PandabaseProvider()
