"""Where forward-compatibility drills act in Whop's answers (sandbox/drills.py): the case list and
record in both version families (legacy `due_date`/`company`/`member`, current `response_due_at`/
`account`), disputes and dispute alerts. Optional fields are the models' nullable ones
(models.py, dispute_models.py); the page size is `first` (relay cursors)."""

from ...provider import DrillFamily, DrillTargets
from . import inferred

_RECORDS = ("data[]", "")
_PAGE = ("first", inferred.CURRENT_PAGE_SIZE)  # the smaller default of the two families

TARGETS = DrillTargets(
    families=(
        DrillFamily(
            path=r"/resolution_center_cases(?:/(?!summary$)[^/]+(?:/(?!events$)[^/]+)?)?$",
            records=_RECORDS,
            enums={"status": "new_future_status"},
            optional=("due_date", "response_due_at", "company", "account", "member", "currency", "plan_id"),
            page_size=_PAGE,
        ),
        DrillFamily(
            path=r"/api/v1/disputes(?:/(?!summary$)[^/]+(?:/[a-z_]+)?)?$",
            records=_RECORDS,
            enums={"status": "new_future_status"},
            optional=("reason_code", "evidence_due_at", "evidence_submitted_at", "fee"),
            page_size=_PAGE,
        ),
        DrillFamily(
            path=r"/api/v1/dispute_alerts(?:/[^/]+)?$",
            records=_RECORDS,
            enums={"type": "new_future_alert_type"},
            optional=("fee", "issuer", "product_id", "transaction_at"),
            page_size=_PAGE,
        ),
    ),
    webhook_ids=("data.id",),
)
