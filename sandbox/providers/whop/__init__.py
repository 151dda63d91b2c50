"""Whop resolution center cases (REST API v1, as whop-sdk 0.0.41 sees it)."""

from __future__ import annotations

from ...provider import Credential, Provider, Tenant
from . import control, errors, routes, webhooks
from .scenario import WhopSection, check_section
from .state import WhopState


class WhopProvider(Provider):
    key = "whop"
    title = "Whop"
    prefix = "/whop"
    base_path = "/whop/api/v1"
    host_patterns = (r"api\.whop\.com", r"sandbox-api\.whop\.com")
    Section = WhopSection

    def check(self, section: WhopSection):
        return check_section(section)

    def build(self, section: WhopSection, ctx) -> WhopState:
        return WhopState(section, ctx)

    def routes(self):
        return routes.ROUTES

    def control_routes(self):
        return control.ROUTES

    def fault_response(self, status: int, retry_after: int):
        return errors.by_status(status, retry_after).response()

    webhook_types = webhooks.TYPES
    webhook_retry_delays = webhooks.RETRY_DELAYS

    def webhook_messages(self, state: WhopState, event):
        return webhooks.messages(state, event)

    def webhook_headers(self, secret, message, body, at):
        return webhooks.headers(secret, message, body, at)

    def webhook_new_secret(self, rng):
        return webhooks.new_secret(rng)

    def tenants(self, state: WhopState) -> list[Tenant]:
        return [
            Tenant(
                company.id,
                [
                    Credential("Authorization", f"Bearer {k.key}", k.permissions)
                    for k in state.keys.values()
                    if k.company_id == company.id
                ],
                {"title": company.title},
            )
            for company in state.companies.values()
        ]


provider = WhopProvider()
