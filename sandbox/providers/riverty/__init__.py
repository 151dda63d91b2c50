"""Riverty (ex-AfterPay) BNPL Dispute API: Gen 1 "complaints" (the seed) and Gen 2 beside it."""

from __future__ import annotations

from ...provider import Credential, Provider, Tenant
from . import control, errors, inferred, routes, tables, webhooks
from .scenario import RivertySection, check_section
from .state import RivertyState


class RivertyProvider(Provider):
    key = "riverty"
    title = "Riverty"
    prefix = "/riverty"
    base_path = "/riverty"
    host_patterns = (r"api\.bnpl\.riverty\.io", r"api\.bnpl-pt\.riverty\.io")
    Section = RivertySection
    webhook_types = tables.WEBHOOK_TYPES
    webhook_retry_delays = inferred.WEBHOOK_RETRY_DELAYS

    def check(self, section: RivertySection):
        return check_section(section)

    def build(self, section: RivertySection, ctx) -> RivertyState:
        return RivertyState(section, ctx)

    def routes(self):
        return routes.ROUTES

    def control_routes(self):
        return control.ROUTES

    def fault_response(self, status: int, retry_after: int):
        return errors.by_status(status, retry_after).response()

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

    def webhook_messages(self, state: RivertyState, event):
        return webhooks.messages(state, event)

    def webhook_headers(self, secret, message, body, at):
        return webhooks.headers(secret, message, body, at)


provider = RivertyProvider()
