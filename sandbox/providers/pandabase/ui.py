"""Pandabase cases on the dashboard (sandbox/ui): rows, the case detail, and the customer's side.

Disputes are not listed here (they are a plain dict beside the cases); a case's page offers to
open one on its order, and their events appear in the live feed.
"""

from __future__ import annotations

from ...provider import RecordControl, RecordRow
from ...ui.listing import IndexedDashboard, parsed
from .models import CASE_STATUSES, CaseRecord
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


DASHBOARD = PandabaseDashboard()
