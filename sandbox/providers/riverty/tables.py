"""Riverty's enum tables in one place: complaint statuses, stages, reasons, decisions, countries.

`INVENTED` marks every entry that no public source shows (docs/providers/riverty.md §7); the rest is documented.
A later fact changes one row here.
"""

from __future__ import annotations

# Gen 1 `complaintStatus` {id, name}: 1 and 4 are in the seed; 2, 3, 5 are invented (docs/providers/riverty.md §7).
COMPLAINT_STATUSES: dict[int, str] = {
    1: "Waiting for shop",
    2: "Waiting for customer",  # INVENTED
    3: "Waiting for Riverty",  # INVENTED
    4: "Resolved",
    5: "Closed",  # INVENTED
}

# Gen 2 `stage.id` = the S-number of the dispute-management page (id = S-number is inferred).
STAGES: dict[int, str] = {
    1: "Dispute Notification",
    2: "Request for Information",
    3: "Information Supplied 1",
    4: "Decision",
    5: "Information Supplied 2",
    6: "Final Decision",
    7: "Canceled",
}
TERMINAL_STAGES = frozenset({6, 7})
DECIDED_STAGES = frozenset({4, 6})

# Which Gen 1 status a stage shows (INVENTED mapping; stage 2 depends on whom Riverty asked).
STATUS_FOR_STAGE: dict[int, int] = {1: 1, 3: 3, 4: 4, 5: 3, 6: 4, 7: 5}
STATUS_FOR_RFI_PARTY: dict[str, int] = {"shop": 1, "customer": 2}
RFI_PARTIES = ("shop", "customer")

# Gen 2 reason codes (documented R1..R7) joined to Gen 1 `reason` {id, name}: the ids and the
# consumer-voice names are INVENTED except 10203 and its two seed names (docs/providers/riverty.md §7).
REASONS: dict[str, tuple[int, str, str]] = {
    # shortCode: (Gen 1 reason id, Gen 1 reason name, documented type)
    "R1": (10201, "I returned the product", "Return not processed"),
    "R2": (10202, "I didn't receive the product", "Products not received"),
    "R3": (10203, "I have a problem with the product", "Faulty product"),
    "R4": (10204, "I already paid", "Already paid"),
    "R5": (10205, "The invoice is incorrect", "Incorrect invoice"),
    "R6": (10206, "High fraud risk order", "High fraud risk order"),
    "R7": (10207, "I didn't order the product/ fraud", "Unauthorized purchase"),
}
REASON_CODES: tuple[str, ...] = tuple(REASONS)

# `decision.name`: `Write-off` is documented; the other two are INVENTED from the marketing page.
DECISIONS: tuple[str, ...] = ("Write-off", "Collection continues", "Chargeback")

# Gen 1 `client.country` is the English country name of `countryCode` (Riverty markets).
COUNTRIES: dict[str, str] = {
    "DE": "Germany",
    "AT": "Austria",
    "CH": "Switzerland",
    "NL": "Netherlands",
    "BE": "Belgium",
    "SE": "Sweden",
    "NO": "Norway",
    "FI": "Finland",
    "DK": "Denmark",
}

# Evidence upload (documented: 20 MB, these extensions).
ALLOWED_EXTENSIONS = (".pdf", ".jpg", ".png", ".gif", ".jpeg", ".docx", ".doc", ".bmp")
MIME_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".bmp": "image/bmp",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

# Gen 1 names some types as the seed shows them: its `.jpg` example says `image/jpg` (Gen 2's
# `Group_of_cats.jpg` example says `image/jpeg`, the registered name, which downloads send).
GEN1_MIME_TYPES: dict[str, str] = {"image/jpeg": "image/jpg"}

# Comment visibility flags (documented 1, 2, 4; flags-enum reading inferred).
VISIBILITY_INTERNAL, VISIBILITY_CUSTOMER, VISIBILITY_MERCHANT = 1, 2, 4
VISIBILITY_ALL = 7

# Gen 1 and Gen 2 `sortBy` values (case-insensitive). Gen 1 accepts the intermediate five.
SORT_BY_GEN1 = ("CreatedAt", "StatusId", "ReasonCodeId", "TicketNumber", "Deadline")
SORT_BY_GEN2 = SORT_BY_GEN1 + ("UpdatedByConsumerOrRivertyAt", "AgentAssignee", "DisputeAmount")

# Webhook MessageNames for disputes (documented) and the stage that sends each (inferred).
WEBHOOK_FOR_STAGE: dict[int, str] = {
    1: "DisputeNotificationEvent",
    2: "RequestForInformationEvent",
    4: "InitialDecisionEvent",
    6: "FinalDecisionEvent",
    7: "CancellationEvent",
}
WEBHOOK_TYPES: tuple[str, ...] = tuple(WEBHOOK_FOR_STAGE.values())
