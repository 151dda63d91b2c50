"""Where forward-compatibility drills act in OrderProtection's answers (sandbox/drills.py): claims
(`claimState`) and orders (`platformId`), both relay connections paged by `first`; optional
fields are the models' nullable ones (models.py)."""

from ...provider import DrillFamily, DrillTargets

_RECORDS = ("edges[].node", "claims[]", "[]", "")

TARGETS = DrillTargets(
    families=(
        DrillFamily(
            path=r"/v1/claims(?:/offline)?$|/v1/orders/[^/]+/claims$",
            records=_RECORDS,
            enums={"claimState": "NEW_FUTURE_STATE"},
            optional=("claimType", "externalSource", "policyId", "customerId", "claimFiledFrom",
                      "resolutionRequested", "resolutionDate", "otaDescription"),
            page_size=("first", 10),
        ),
        DrillFamily(
            path=r"/v1/orders(?:/[^/]+)?$",
            records=_RECORDS,
            enums={"platformId": "NEW_FUTURE_PLATFORM"},
            optional=("customerPhone", "riskLevel", "tags", "sourceUpdatedAt", "originalSourceOrderId"),
            page_size=("first", 10),
        ),
    ),
    webhook_ids=("body.claim_id", "body.claimId", "body.id"),
)
