"""Pandabase support cases (Store API v2, `/v2/core/stores/{storeId}/cases…`) and dispute webhooks."""

from __future__ import annotations

from ...provider import Credential, Provider, Tenant
from . import control, errors, routes, webhooks
from .scenario import PandabaseSection, check_section
from .state import PandabaseState


class PandabaseProvider(Provider):
    key = "pandabase"
    title = "Pandabase"
    prefix = "/pandabase"
    base_path = "/pandabase/v2/core"
    host_patterns = (r"api\.pandabase\.io", r"api\.sandbox\.pandabase\.io")
    Section = PandabaseSection
    webhook_types = webhooks.EVENT_TYPES
    webhook_retry_delays = webhooks.RETRY_DELAYS

    def check(self, section: PandabaseSection):
        return check_section(section)

    def build(self, section: PandabaseSection, ctx) -> PandabaseState:
        return PandabaseState(section, ctx)

    def routes(self):
        return routes.ROUTES

    def control_routes(self):
        return control.ROUTES

    def fault_response(self, status: int, retry_after: int):
        return errors.by_status(status, retry_after)

    def webhook_messages(self, state, event):
        return webhooks.messages(event)

    def webhook_headers(self, secret, message, body, at):
        return webhooks.headers(secret, message, body, at)

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
