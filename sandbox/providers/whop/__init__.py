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
    probe_path = "/whop/api/v1/resolution_center_cases?first=25"
    probe_host = "api.whop.com"
    Section = WhopSection
    check = staticmethod(check_section)
    build = staticmethod(WhopState)
    unknown_path = staticmethod(routes.unknown_path)
    routes = routes.ROUTES
    control_routes = control.ROUTES
    fault_response = staticmethod(errors.fault_response)
    webhook_types = webhooks.TYPES
    webhook_retry_delays = webhooks.RETRY_DELAYS
    webhook_messages = staticmethod(webhooks.messages)
    webhook_headers = staticmethod(webhooks.headers)
    webhook_new_secret = staticmethod(webhooks.new_secret)

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
