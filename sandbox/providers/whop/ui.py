"""Whop cases on the dashboard (sandbox/ui): rows, the case as the API shows it, and controls."""

from __future__ import annotations

from ...provider import RecordControl, RecordRow
from ...ui.listing import IndexedDashboard, parsed
from . import inferred
from .models import DECIDED, STATUSES, CaseRecord
from .serialize import case_json
from .state import WhopState


class WhopDashboard(IndexedDashboard):
    collection = "cases"
    statuses = STATUSES

    def tenant_ids(self, state: WhopState) -> list[str]:
        return list(state.companies)

    def tenant_group(self, state: WhopState, tenant: str) -> tuple[str]:
        return (tenant,)

    def status_group(self, state: WhopState, tenant: str, status: str) -> tuple[str, str]:
        return (tenant, status)

    def timed_statuses(self, state: WhopState) -> list[str]:
        return [*inferred.EXPIRES_TO, "under_platform_review"]

    def row(self, state: WhopState, case: CaseRecord) -> RecordRow:
        amount = f"{case.total:.2f} {(case.currency or '').upper()}".strip()
        due = state.lifecycle.next_deadline(case)
        return RecordRow(case.id, case.company_id, case.status, amount, due, case.created_at)

    def document(self, state: WhopState, case: CaseRecord) -> object:
        return parsed(case_json(case, state.companies))

    def controls(self, state: WhopState, case: CaseRecord) -> list[RecordControl]:
        base = f"/_sandbox/whop/cases/{case.id}"
        if case.status in DECIDED:
            return [RecordControl("Appeal", f"{base}/appeal")]
        return [
            RecordControl("Resolve: merchant won", f"{base}/resolve", {"outcome": "merchant_won"}),
            RecordControl("Resolve: customer won", f"{base}/resolve", {"outcome": "customer_won"}),
            RecordControl("Ask customer for info", f"{base}/request_info", {"from": "customer"}),
            RecordControl("Ask merchant for info", f"{base}/request_info", {"from": "merchant"}),
            RecordControl("Customer replies", f"{base}/customer_reply", {"details": "Any news?"}),
            RecordControl("Merchant replies", f"{base}/merchant_reply", {"details": "Here is our evidence."}),
            RecordControl("Customer withdraws", f"{base}/withdraw"),
        ]


DASHBOARD = WhopDashboard()
