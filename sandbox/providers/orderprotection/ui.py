"""OrderProtection claims on the dashboard (sandbox/ui): rows, the claim node, and controls."""

from __future__ import annotations

from ...provider import RecordControl, RecordRow
from ...ui.listing import IndexedDashboard, parsed
from .lifecycle import refund_amount
from .models import CLAIM_STATES, ClaimRecord
from .serialize import node_json
from .state import OrderProtectionState


class OrderProtectionDashboard(IndexedDashboard):
    collection = "claims"
    statuses = CLAIM_STATES

    def tenant_ids(self, state: OrderProtectionState) -> list[str]:
        return list(state.stores)

    def tenant_group(self, state: OrderProtectionState, tenant: str) -> tuple[str]:
        return (tenant,)

    def status_group(self, state: OrderProtectionState, tenant: str, status: str) -> tuple[str, str]:
        return (tenant, status)

    def timed_statuses(self, state: OrderProtectionState) -> list[str]:
        return [s for s in CLAIM_STATES if state.rules.window_for(s) is not None]

    def row(self, state: OrderProtectionState, claim: ClaimRecord) -> RecordRow:
        """The amount is what a refund of the claimed items would pay (the claim has no amount)."""
        order = state.orders.get((claim.store_id, claim.source_order_id))
        amount = f"{refund_amount(order, claim):.2f} {order.currency}" if order else ""
        return RecordRow(claim.id, claim.store_id, claim.state, amount, state.lifecycle.due_at(claim), claim.created_at)

    def document(self, state: OrderProtectionState, claim: ClaimRecord) -> object:
        return parsed(node_json(claim))

    def controls(self, state: OrderProtectionState, claim: ClaimRecord) -> list[RecordControl]:
        if claim.deleted_at is not None:
            return []
        base = f"/_sandbox/orderprotection/claims/{claim.id}"
        return [
            RecordControl("Approve (refund)", f"{base}/resolve", {"outcome": "approve", "type": "REFUND"}),
            RecordControl("Approve (reship)", f"{base}/resolve", {"outcome": "approve", "type": "RESHIP"}),
            RecordControl("Deny", f"{base}/resolve", {"outcome": "deny"}),
            RecordControl("Customer replies", f"{base}/message", {"message": "Any update?", "sender_type": "customer"}),
            RecordControl("Put on hold", f"{base}/set_state", {"state": "WAITING_FOR_BRAND"}),
            RecordControl("Wait for customer", f"{base}/set_state", {"state": "WAITING_FOR_CUSTOMER"}),
            RecordControl("Delete", f"{base}/delete"),
        ]


DASHBOARD = OrderProtectionDashboard()
