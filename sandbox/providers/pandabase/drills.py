"""Where forward-compatibility drills act in Pandabase's answers (sandbox/drills.py): cases
(`status`, `priority`) and disputes (`status`), `{"ok": true, "data": ...}` bodies paged by
page number (a short page keeps `pagination` as the asked page size makes it); optional fields
are the models' nullable ones (models.py)."""

from ...provider import DrillFamily, DrillTargets

_RECORDS = ("data.items[]", "data")

TARGETS = DrillTargets(
    families=(
        DrillFamily(
            path=r"/cases(?:/[^/]*)?$",
            records=_RECORDS,
            enums={"status": "NEW_FUTURE_STATUS", "priority": "NEW_FUTURE_PRIORITY"},
            optional=("closedAt", "closedBy", "customer.firstName", "customer.lastName"),
        ),
        DrillFamily(
            path=r"/disputes(?:/[^/]*)?$",
            records=_RECORDS,
            enums={"status": "NEW_FUTURE_STATUS"},
            optional=("evidence",),
        ),
    ),
    webhook_ids=("data.order.id",),
)
