"""Riverty disputes on the dashboard (sandbox/ui): rows, the dispute with its stage, and controls.

The status filter is Gen 1's `complaintStatus` (what the client+status indexes hold); the stage
shows on the record page. Tenants are client ids as text, as `tenants` lists them.
"""

from __future__ import annotations

from ...provider import RecordControl, RecordDetail, RecordRow
from ...ui.listing import IndexedDashboard
from . import tables
from .control import _view
from .lifecycle import EXPIRING
from .models import DisputeRecord
from .serialize import money
from .state import RivertyState

STATUS_IDS = {name: number for number, name in tables.COMPLAINT_STATUSES.items()}


class RivertyDashboard(IndexedDashboard):
    collection = "disputes"
    statuses = tuple(tables.COMPLAINT_STATUSES.values())

    def tenant_ids(self, state: RivertyState) -> list[str]:
        return [str(client_id) for client_id in state.clients]

    def tenant_group(self, state: RivertyState, tenant: str) -> tuple[str, int]:
        return ("c", int(tenant))

    def status_group(self, state: RivertyState, tenant: str, status: str) -> tuple[str, int, int]:
        return ("c", int(tenant), STATUS_IDS[status])

    def timed_statuses(self, state: RivertyState) -> list[str]:
        """Stage 2's status depends on whom the request addressed; the other stages have one each."""
        ids = [tables.STATUS_FOR_STAGE[s] for s in EXPIRING if s in tables.STATUS_FOR_STAGE]
        ids += tables.STATUS_FOR_RFI_PARTY.values()
        return [tables.COMPLAINT_STATUSES[i] for i in dict.fromkeys(ids)]

    def row(self, state: RivertyState, d: DisputeRecord) -> RecordRow:
        due = d.deadline if d.stage in EXPIRING and state.rules.window(d.stage) else None
        amount = f"{money(d.dispute_amount_cents)} ({d.country_code})"
        return RecordRow(d.id, str(d.client_id), tables.COMPLAINT_STATUSES[d.status], amount, due, d.created_at)

    def record(self, state: RivertyState, record_id: str) -> RecordDetail | None:
        return super().record(state, record_id.lower())  # ids are GUIDs, case-insensitive

    def document(self, state: RivertyState, d: DisputeRecord) -> object:
        return _view(d, state)

    def controls(self, state: RivertyState, d: DisputeRecord) -> list[RecordControl]:
        base = f"/_sandbox/riverty/disputes/{d.id}"
        return [
            RecordControl("Ask the shop for info", f"{base}/request_info", {"from": "shop"}),
            RecordControl("Ask the customer for info", f"{base}/request_info", {"from": "customer"}),
            RecordControl("Information supplied", f"{base}/supply_info"),
            RecordControl("Decide", f"{base}/decide"),
            RecordControl("Appeal", f"{base}/appeal"),
            RecordControl("Resolve (final decision)", f"{base}/resolve"),
            RecordControl("Cancel", f"{base}/cancel"),
            RecordControl("Customer comments", f"{base}/customer_comment", {"body": "Here is my receipt."}),
        ]


DASHBOARD = RivertyDashboard()
