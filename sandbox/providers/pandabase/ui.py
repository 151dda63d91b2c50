"""Pandabase cases on the dashboard (sandbox/ui): rows, the case detail, and the customer's side.

Disputes (a plain dict beside the cases, opened from a case's page) are not in the records table;
their pages, deadlines (the evidence window) and events are shown.
"""

from __future__ import annotations

from datetime import datetime

from ...provider import RecordControl, RecordDetail, RecordPage, RecordRow
from ...timefmt import iso_millis
from ...ui.listing import IndexedDashboard, parsed
from .models import CASE_STATUSES, CaseRecord, DisputeRecord
from .serialize import case_detail_json
from .state import PandabaseState


class PandabaseDashboard(IndexedDashboard):
    collection = "cases"
    statuses = CASE_STATUSES

    def tenant_ids(self, state: PandabaseState) -> list[str]:
        return list(state.stores)

    def tenant_group(self, state: PandabaseState, tenant: str) -> tuple[str]:
        return (tenant,)

    def status_group(self, state: PandabaseState, tenant: str, status: str) -> tuple[str, str, str]:
        return (tenant, "s", status)

    def timed_statuses(self, state: PandabaseState) -> list[str]:
        return ["AWAITING_CUSTOMER"] if state.rules.auto_close_after is not None else []

    def row(self, state: PandabaseState, case: CaseRecord) -> RecordRow:
        order = state.orders.get(case.order_id)
        amount = f"{order.amount / 100:.2f} {order.currency}" if order else ""  # amounts are cents
        window = state.rules.auto_close_after
        idle = case.status == "AWAITING_CUSTOMER" and window is not None and case.idle_since is not None
        due = case.idle_since + window if idle and case.idle_since and window else None
        return RecordRow(case.id, case.store_id, case.status, amount, due, case.created_at)

    def document(self, state: PandabaseState, case: CaseRecord) -> object:
        return parsed(case_detail_json(case, state))

    def controls(self, state: PandabaseState, case: CaseRecord) -> list[RecordControl]:
        base = f"/_sandbox/pandabase/cases/{case.id}"
        return [
            RecordControl("Customer replies", f"{base}/customer-reply", {"body": "Any update on this?"}),
            RecordControl("Merchant replies", f"{base}/merchant-reply", {"body": "Thanks, we are on it."}),
            RecordControl("Support joins", f"{base}/staff-reply"),
            RecordControl("Resolve (close)", f"{base}/resolve", {"by": "MERCHANT"}),
            RecordControl("Customer closes", f"{base}/customer-close"),
            RecordControl("Open a chargeback", f"{base}/dispute", {"reason": "PRODUCT_NOT_RECEIVED"}),
        ]

    # -- disputes ----------------------------------------------------------------------------------
    def dispute_row(self, state: PandabaseState, dispute: DisputeRecord) -> RecordRow:
        order = state.orders.get(dispute.order_id)
        amount = f"{order.amount / 100:.2f} {order.currency}" if order else ""
        window = state.rules.dispute_evidence_window
        due = dispute.created_at + window if window is not None and dispute.status == "AWAITING_REVIEW" else None
        return RecordRow(dispute.id, dispute.store_id, dispute.status, amount, due, dispute.created_at)

    def record(self, state: PandabaseState, record_id: str) -> RecordDetail | None:
        dispute = state.disputes.get(record_id)
        if dispute is None:
            return super().record(state, record_id)
        document = {"id": dispute.id, "storeId": dispute.store_id, "orderId": dispute.order_id,
                    "reason": dispute.reason, "status": dispute.status,
                    "createdAt": iso_millis(dispute.created_at), "updatedAt": iso_millis(dispute.updated_at)}
        path = f"/_sandbox/pandabase/disputes/{dispute.id}/resolve"
        controls = [RecordControl(f"Resolve: {o.lower()}", path, {"outcome": o}) for o in ("WON", "LOST", "PREVENTED")]
        return RecordDetail(self.dispute_row(state, dispute), document, controls)

    def pending_deadlines(self, state: PandabaseState, until: datetime, limit: int) -> RecordPage:
        cases = super().pending_deadlines(state, until, limit)
        disputes = [self.dispute_row(state, d) for d in state.disputes]
        rows = cases.rows + [r for r in disputes if r.due is not None and r.due <= until]
        rows.sort(key=lambda r: (r.due, r.id))
        return RecordPage(rows[:limit], cases.total + len(rows) - len(cases.rows), cases.partial or len(rows) > limit)


DASHBOARD = PandabaseDashboard()
