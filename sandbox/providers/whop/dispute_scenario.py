"""The dispute and dispute-alert parts of a Whop scenario (appended to `companies[]` and `rules`).

Hand-written records take any field; the rest comes from the seed. `generate_disputes` and
`generate_dispute_alerts` make bulk records with weights and ranges (sandbox/scenario.py types).
"""


from typing import TYPE_CHECKING

from pydantic import Field

from ...scenario import GenerateBase, Problem, Range, ScenarioTime, Strict, Uniques, Weights, empty_list
from .dispute_models import AlertType, DisputeReason, DisputeStatus, DocumentType

if TYPE_CHECKING:
    from .scenario import WhopSection


class DocumentSpec(Strict):
    document_type: DocumentType
    filename: str = Field(default="evidence.pdf", min_length=1, max_length=200)


class DisputeSpec(Strict):
    """A hand-written dispute (`warning_*` statuses are inquiries)."""

    id: str | None = Field(default=None, pattern=r"^dspt_[A-Za-z0-9]+$")
    status: DisputeStatus = "needs_response"
    reason: DisputeReason | None = None
    reason_code: str | None = Field(default=None, max_length=20)
    amount: float | None = Field(default=None, ge=0, le=1_000_000)
    currency: str | None = Field(default=None, pattern=r"^[a-z]{3}$")
    created_at: ScenarioTime | None = None
    evidence_due_at: ScenarioTime | None = None
    evidence_submitted_at: ScenarioTime | None = None
    payment_id: str | None = Field(default=None, pattern=r"^pay_[A-Za-z0-9]+$")
    case_id: str | None = Field(default=None, pattern=r"^reso_[A-Za-z0-9]+$")
    buyer_name: str | None = Field(default=None, max_length=200)
    visa_rdr: bool = False
    evidence: dict[str, str] = Field(default_factory=dict)
    documents: list[DocumentSpec] = Field(default_factory=empty_list, max_length=10)
    issuer_comments: list[str] = Field(default_factory=empty_list)


class AlertSpec(Strict):
    id: str | None = Field(default=None, pattern=r"^dspa_[A-Za-z0-9]+$")
    type: AlertType = "dispute_alert"
    amount: float | None = Field(default=None, ge=0, le=1_000_000)
    currency: str | None = Field(default=None, pattern=r"^[a-z]{3}$")
    payment_id: str | None = Field(default=None, pattern=r"^pay_[A-Za-z0-9]+$")
    created_at: ScenarioTime | None = None
    reported_at: ScenarioTime | None = None
    auto_refunded: bool | None = None


class DisputeGenerateSpec(GenerateBase):
    """Bulk disputes: `count` of them, statuses/reasons/currencies drawn from weights."""

    statuses: Weights[DisputeStatus] | None = None
    reasons: Weights[DisputeReason] | None = None
    currencies: Weights[str] = Field(default_factory=lambda: {"usd": 0.85, "eur": 0.1, "gbp": 0.05})
    amount_between: Range[float] = (5.0, 500.0)
    created_between: tuple[ScenarioTime, ScenarioTime] = ("-60d", "-1h")


class AlertGenerateSpec(Strict):
    count: int = Field(default=0, ge=0, le=200_000)
    types: Weights[AlertType] | None = None
    amount_between: Range[float] = (5.0, 500.0)
    currencies: Weights[str] = Field(default_factory=lambda: {"usd": 1.0})
    created_between: tuple[ScenarioTime, ScenarioTime] = ("-60d", "-1h")


def dispute_problems(section: "WhopSection") -> list[Problem]:
    """Duplicate dispute and alert ids; case links to unknown cases; evidence keys that are not evidence fields."""
    from .dispute_models import TEXT_FIELDS

    unique = Uniques()
    problems: list[Problem] = []
    cases = {case.id for company in section.companies for case in company.cases if case.id}
    for ci, company in enumerate(section.companies):
        loc = ("companies", ci)
        own_cases = {case.id for case in company.cases if case.id}
        for di, dispute in enumerate(company.disputes):
            unique.see("dispute id", dispute.id, loc + ("disputes", di, "id"))
            if dispute.case_id and dispute.case_id not in own_cases:
                where = "another company's case" if dispute.case_id in cases else "no case with this id"
                problems.append(Problem(loc + ("disputes", di, "case_id"), f"{where} {dispute.case_id!r}"))
            for name in dispute.evidence:
                if name not in TEXT_FIELDS:
                    problems.append(
                        Problem(loc + ("disputes", di, "evidence", name), f"not an evidence field (one of {', '.join(TEXT_FIELDS)})")
                    )
        for ai, alert in enumerate(company.dispute_alerts):
            unique.see("dispute alert id", alert.id, loc + ("dispute_alerts", ai, "id"))
    return unique.problems + problems
