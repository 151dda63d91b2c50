"""The bodies of Pandabase's fake-only actions (control plane and scenario timelines), as models.

A body is validated before anything is stored: a wrong type is a 400 naming the field on the
control plane and a problem naming file, path and field in a scenario, never a poisoned record.
"""


from typing import Literal

from pydantic import Field, model_validator

from ...scenario import Strict
from .models import CasePriority, DisputeReason

Text = Field(default=None, min_length=1, max_length=20_000)
ClosedBy = Literal["MERCHANT", "CUSTOMER", "STAFF", "SYSTEM"]


class ReplyBody(Strict):
    """customer_reply, staff_reply, merchant_reply: `body` (or `message`), else a stock text."""

    body: str | None = Text
    message: str | None = Text

    def text(self, default: str) -> str:
        return self.body or self.message or default


class StatusBody(Strict):
    """set_status / set_priority: the PATCH rules apply."""

    status: Literal["OPEN", "AWAITING_CUSTOMER", "CLOSED"] | None = None
    priority: CasePriority | None = None

    @model_validator(mode="after")
    def _something(self) -> "StatusBody":
        if self.status is None and self.priority is None:
            raise ValueError("give status and/or priority")
        return self


class CloseBody(Strict):
    by: ClosedBy | None = None
    closedBy: ClosedBy | None = None

    def who(self) -> str:
        return self.by or self.closedBy or "STAFF"


class DisputeBody(Strict):
    reason: DisputeReason = "GENERAL"


class EvidenceBody(Strict):
    access_activity_log: str = Field(min_length=1, max_length=20_000)


class OutcomeBody(Strict):
    outcome: Literal["WON", "LOST", "PREVENTED"]


ActionBody = ReplyBody | StatusBody | CloseBody | DisputeBody | EvidenceBody | OutcomeBody
ACTION_BODIES: dict[str, type[ActionBody]] = {
    "customer_reply": ReplyBody,
    "staff_reply": ReplyBody,
    "merchant_reply": ReplyBody,
    "set_status": StatusBody,
    "set_priority": StatusBody,
    "customer_close": CloseBody,
    "close": CloseBody,
    "resolve": CloseBody,
    "open_dispute": DisputeBody,
    "submit_evidence": EvidenceBody,
    "resolve_dispute": OutcomeBody,
}
