"""Pandabase cases on the dashboard (sandbox/ui): rows, the case detail, and the customer's side.

Disputes (their own collection, opened from a case's page or generated) are not in the records
table; their pages, evidence deadlines and events are shown.
"""

from __future__ import annotations

from datetime import datetime

from ...provider import RecordControl, RecordDetail, RecordPage, RecordRow
from ...ui.listing import DEADLINE_SCAN, IndexedDashboard, parsed
from .models import CASE_STATUSES, CaseRecord, DisputeRecord
from .serialize import case_detail_json, dispute_detail_json
from .state import PandabaseState, needs_evidence


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
        amount = f"{dispute.amount / 100:.2f} {order.currency if order else ''}".strip()  # cents
        due = dispute.evidence_due if needs_evidence(dispute) else None
        return RecordRow(dispute.id, dispute.store_id, dispute.status, amount, due, dispute.created_at)

    def record(self, state: PandabaseState, record_id: str) -> RecordDetail | None:
        dispute = state.disputes.get(record_id)
        if dispute is None:
            return super().record(state, record_id)
        base = f"/_sandbox/pandabase/disputes/{dispute.id}"
        controls = [RecordControl(f"Resolve: {o.lower()}", f"{base}/resolve", {"outcome": o})
                    for o in ("WON", "LOST", "PREVENTED")]
        controls.append(RecordControl("Submit evidence", f"{base}/evidence",
                                      {"access_activity_log": "Customer downloaded the file on the order date."}))
        return RecordDetail(self.dispute_row(state, dispute), parsed(dispute_detail_json(dispute, state)), controls)

    def pending_deadlines(self, state: PandabaseState, until: datetime, limit: int) -> RecordPage:
        """Cases' auto-close and disputes' evidence windows: the disputes that still need evidence,
        oldest first (their windows end first), at most `DEADLINE_SCAN` a store."""
        cases = super().pending_deadlines(state, until, limit)
        rows, partial = list(cases.rows), cases.partial
        for store in state.stores:
            index = state.disputes.index((store, "n", True))
            partial = partial or len(index) > DEADLINE_SCAN
            for key in index.islice(0, DEADLINE_SCAN):
                row = self.dispute_row(state, state.disputes.record_for(key))
                if row.due is not None and row.due <= until:
                    rows.append(row)
        rows.sort(key=lambda r: (r.due, r.id))
        return RecordPage(rows[:limit], len(rows), partial or len(rows) > limit)

DASHBOARD = PandabaseDashboard()
