"""Shoplazza disputes on the dashboard (sandbox/ui): rows, the dispute JSON, and controls.

The dashboard's tenant is the store's subdomain (as `tenants` lists it); indexes key on store id.
"""

from __future__ import annotations

from ...provider import RecordControl, RecordRow
from ...ui.listing import IndexedDashboard, parsed
from . import inferred
from .models import STATUSES, DisputeRecord
from .serialize import dispute_json
from .state import ShoplazzaState


class ShoplazzaDashboard(IndexedDashboard):
    collection = "disputes"
    statuses = STATUSES

    def tenant_ids(self, state: ShoplazzaState) -> list[str]:
        return list(state.by_subdomain)

    def _store(self, state: ShoplazzaState, tenant: str) -> str:
        return state.by_subdomain[tenant].id

    def tenant_group(self, state: ShoplazzaState, tenant: str) -> tuple[str]:
        return (self._store(state, tenant),)

    def status_group(self, state: ShoplazzaState, tenant: str, status: str) -> tuple[str, str]:
        return (self._store(state, tenant), status)

    def timed_statuses(self, state: ShoplazzaState) -> list[str]:
        return [s for s in STATUSES if s in inferred.EXPIRES_TO or state.rules.review_for(s) is not None]

    def row(self, state: ShoplazzaState, dispute: DisputeRecord) -> RecordRow:
        store = state.stores[dispute.store_id]
        amount = f"{dispute.dispute_amount} {dispute.currency}"
        due = state.lifecycle.next_deadline(dispute)
        return RecordRow(dispute.id, store.subdomain, dispute.status, amount, due, dispute.created_at)

    def document(self, state: ShoplazzaState, dispute: DisputeRecord) -> object:
        return parsed(dispute_json(dispute))

    def controls(self, state: ShoplazzaState, dispute: DisputeRecord) -> list[RecordControl]:
        base = f"/_sandbox/shoplazza/disputes/{dispute.id}"
        return [
            RecordControl("Merchant responds", f"{base}/respond"),
            RecordControl("Escalate", f"{base}/escalate"),
            RecordControl("Resolve: won", f"{base}/resolve", {"outcome": "won"}),
            RecordControl("Resolve: lost", f"{base}/resolve", {"outcome": "lost"}),
            RecordControl("Resolve: warning closed", f"{base}/resolve", {"outcome": "warning_closed"}),
        ]


DASHBOARD = ShoplazzaDashboard()
