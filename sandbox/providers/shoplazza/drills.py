"""Where forward-compatibility drills act in Shoplazza's dispute answers (sandbox/drills.py):
`data.list` and `data.dispute`, paged by cursor and `limit` (default 10, inferred.py). Its
dispute model has no optional field, so `null_optional`/`absent_optional` are not declared."""

from ...provider import DrillFamily, DrillTargets
from . import inferred

TARGETS = DrillTargets(
    families=(
        DrillFamily(
            path=r"/shoplazza-payment/disputes(?:/[^/]+)?$",
            records=("data.list[]", "data.dispute"),
            enums={"status": "new_future_status"},
            page_size=("limit", inferred.DEFAULT_LIMIT),
        ),
    ),
    webhook_ids=("dispute.id",),
)
