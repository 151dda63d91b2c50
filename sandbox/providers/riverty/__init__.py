"""Riverty (ex-AfterPay) BNPL Dispute API: Gen 1 "complaints" (the seed) and Gen 2 beside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...lazy import lazy_endpoint
from ...provider import Credential, Provider, Tenant
from ...routing import Route
from . import drills, errors, inferred, routes, tables, webhooks
from .scenario import RivertySection, check_section
from .state import RivertyState


class RivertyProvider(Provider):
    key = "riverty"
    title = "Riverty"
    prefix = "/riverty"
    base_path = "/riverty"
    host_patterns = (r"api\.bnpl\.riverty\.io", r"api\.bnpl-pt\.riverty\.io")
    probe_path = "/riverty/{tenant}/disputes?pageSize=25"
    probe_host = "api.bnpl.riverty.io"
    root_paths = inferred.ROOT_PATHS  # Gen 1's relative attachment `url` resolves in path mode too
    Section = RivertySection
    check = staticmethod(check_section)
    build = staticmethod(RivertyState)
    unknown_path = staticmethod(routes.unknown_path)
    routes = routes.ROUTES
    answer_headers = (inferred.AUTH_HEADER.lower().encode(),)  # the key (its shop)
    # fake-only controls under /_sandbox: their modules load on first call (sandbox/lazy.py)
    control_routes = [
        Route("/riverty/disputes", lazy_endpoint(f"{__name__}.control:open_dispute"), methods=["POST"]),
        Route("/riverty/disputes/{id}", lazy_endpoint(f"{__name__}.control:show"), methods=["GET"]),
        Route("/riverty/disputes/{id}/{action}", lazy_endpoint(f"{__name__}.control:act"), methods=["POST"]),
    ]
    fault_response = staticmethod(errors.fault_response)
    webhook_types = tables.WEBHOOK_TYPES
    webhook_retry_delays = inferred.WEBHOOK_RETRY_DELAYS
    webhook_messages = staticmethod(webhooks.messages)
    webhook_headers = staticmethod(webhooks.headers)
    dashboard_path = f"{__name__}.ui:DASHBOARD"
    drill_targets = drills.TARGETS
    def openapi_control(self, doc: Any) -> None:
        from . import openapi

        openapi.openapi_control(doc)

    def openapi_documents(self) -> dict[str, Callable[[], dict[str, Any]]]:
        """Gen 2 (the current docs) under the key, the seed's Gen 1 beside it: their shapes differ."""
        from . import openapi  # only when a document is asked for: its builders cost import time

        return {self.key: openapi.build_gen2, f"{self.key}-gen1": openapi.build_gen1}

    def tenants(self, state: RivertyState) -> list[Tenant]:
        return [
            Tenant(
                str(client.id),
                [
                    Credential(inferred.AUTH_HEADER, state.shops[k].api_key,
                               (f"shop:{state.shops[k].shop_id}", f"country:{state.shops[k].country_code}"))
                    for k in client.shops
                ],
                {"name": client.name, "shops": [
                    {"shopId": state.shops[k].shop_id, "countryCode": state.shops[k].country_code} for k in client.shops
                ]},
            )
            for client in state.clients.values()
        ]


provider = RivertyProvider()
