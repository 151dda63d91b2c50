"""Whop resolution center cases (REST API v1): the legacy shape whop-sdk 0.0.41 and @whop/sdk
0.0.42 read and the current one whop-sdk 2.x reads, chosen per request by `Api-Version-Date`; and
chargeback disputes, dispute alerts and evidence files (docs/providers/whop-disputes.md)."""

from __future__ import annotations

from ...lazy import lazy_endpoint
from ...provider import Credential, Provider, Tenant
from ...routing import Route
from . import drills, errors, routes, webhooks
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
    answer_headers = (b"authorization", b"api-version-date")  # the key, the shape it reads
    # fake-only controls under /_sandbox: their modules load on first call (sandbox/lazy.py)
    control_routes = [
        Route("/whop/cases/{id}/act", lazy_endpoint(f"{__name__}.control:act"), methods=["POST"]),
        Route("/whop/cases/{id}/{action:str}", lazy_endpoint(f"{__name__}.control:act"), methods=["POST"]),
        Route("/whop/payments/{id}/chargeback", lazy_endpoint(f"{__name__}.dispute_control:chargeback"), methods=["POST"]),
        Route("/whop/disputes/{id}/decide", lazy_endpoint(f"{__name__}.dispute_control:decide"), methods=["POST"]),
        Route("/whop/dispute_alerts", lazy_endpoint(f"{__name__}.dispute_control:raise_alert"), methods=["POST"]),
    ]
    fault_response = staticmethod(errors.fault_response)
    webhook_types = webhooks.ALL_TYPES
    webhook_retry_delays = webhooks.RETRY_DELAYS
    webhook_messages = staticmethod(webhooks.messages)
    webhook_messages_for = staticmethod(webhooks.all_messages_for)
    webhook_message_types = staticmethod(webhooks.message_types)
    webhook_version_problem = staticmethod(webhooks.version_problem)
    webhook_headers = staticmethod(webhooks.headers)
    webhook_new_secret = staticmethod(webhooks.new_secret)
    dashboard_path = f"{__name__}.ui:DASHBOARD"
    drill_targets = drills.TARGETS

    def openapi_documents(self):
        from . import openapi  # only when a document is asked for: its builders cost import time

        return openapi.DOCUMENTS

    def openapi_control(self, doc) -> None:
        from . import openapi

        openapi.control(doc)

    def tenants(self, state: WhopState) -> list[Tenant]:
        """Each company with its keys; customers' user tokens under the companies they paid."""
        return [
            Tenant(
                company.id,
                [
                    Credential("Authorization", f"Bearer {k.key}", k.permissions)
                    for k in state.keys.values()
                    if k.company_id == company.id
                ],
                {"title": company.title, **self._customers(state, company.id)},
            )
            for company in state.companies.values()
        ]

    @staticmethod
    def _customers(state: WhopState, company_id: str) -> dict:
        paid = {p.user_id for p in state.payments.values() if p.company_id == company_id}
        tokens = [
            {"user_id": k.user_id, **Credential("Authorization", f"Bearer {k.key}", k.permissions).to_json()}
            for k in state.keys.values()
            if k.user_id in paid
        ]
        return {"customers": tokens} if tokens else {}


provider = WhopProvider()
