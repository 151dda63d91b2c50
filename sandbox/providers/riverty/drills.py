"""Where forward-compatibility drills act in Riverty's dispute answers (sandbox/drills.py): Gen 2
(`results`, `stage.id`, paged by page number under `paging`) and Gen 1 (a bare array,
`complaintStatus`). Optional fields: Gen 2's members the docs' examples omit (models.py); Gen 1
has none."""

from ...provider import DrillFamily, DrillTargets

TARGETS = DrillTargets(
    families=(
        DrillFamily(
            path=r"/riverty/disputes(?:/[^/]+)?$",
            records=("results[]", ""),
            enums={"stage.id": 99},
            optional=("description", "decision", "showInMerchantUi"),
        ),
        DrillFamily(
            path=r"/riverty/[^/]+/disputes(?:/[^/]+)?$",
            records=("[]", ""),
            enums={"complaintStatus.id": 99, "complaintStatus.name": "New future status"},
        ),
    ),
    webhook_ids=("Body.DisputeId",),
)
