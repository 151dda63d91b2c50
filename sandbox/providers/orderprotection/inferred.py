"""Every OrderProtection choice no source documents (shared/providers/orderprotection.md "inferred").

One line each, with the reason, so that a later fact changes one line.
"""

from datetime import timedelta

# -- GET /v1/claims parameters (sheet §5.2: the real names were lost in the flattened docs) -------
PARAM_FIRST = "first"  # Relay naming, matching the Relay-shaped response
PARAM_AFTER = "after"
PARAM_LAST = "last"
PARAM_BEFORE = "before"
PARAM_SIZE_ALIAS = "size"  # the sibling GET /v1/orders names its page size `size`
PARAM_CURSOR_ALIAS = "cursor"  # … and its cursor `cursor`
PARAM_STATE = "claimState"  # the seed's top-level enum parameter over the 14 states
FIELD_FILTERS = ("claimType", "storeId", "sourceOrderId", "orderId", "policyId", "authorEmail")
PARAM_SENDER = "senderType"  # the seed's bare "customer" example after the claim block
PARAM_OPERATOR = "operator"  # the seed's trailing AND/OR enum
PARAM_FILTER = "filter"  # the seed's claim-shaped object parameter, sent as JSON
DEFAULT_PAGE_SIZE = 10  # no documented default; a small Relay-style default
MAX_PAGE_SIZE = 100  # over the limit is rejected with 400 (sheet §5.2), not clamped
EMPTY_CURSOR = None  # Relay cursors are nullable; the orders list uses "" (switch here)

# -- claim node ---------------------------------------------------------------------------------
CREDITS_KEY = "storeCredits"  # key of the credit array lost in flattening (sheet §4.1)
DOCUMENTS_KEY = "documents"  # key of the document array lost in flattening (sheet §4.1)
CREDIT_KIND_KEY = "type"  # name of the GIFT_CARD/DISCOUNT_CODE field lost in flattening (§4.5)
# Enum values beyond the documented ones, used by generated data and creates: emailStatus only
# SENT (documented); bonusType NONE (documented) and FIXED for a bonus; documentType SIGNATURE
# (documented), RECEIPT for offline receipts, IMAGE for photos (both inferred from CC-OFF).
EXTERNAL_SOURCE = "api"  # the only value seen
# Orders (undocumented): the list is createdAt desc, id desc (dashboard-style newest first, see
# state.claim_sort_key); GET /orders/{id}/claims returns the order's claims in filing order.

# -- auth ---------------------------------------------------------------------------------------
READ_SCOPES = ("read_claims", "write_claims", "manage_claims")  # any claim scope reads (§2)
WRITE_SCOPES = ("write_claims", "manage_claims")  # create needs write or manage (§2)
DEFAULT_TOKEN_SCOPES = ("read_claims", "write_claims")  # scenario tokens without `scopes`
TOKEN_LIFETIME = timedelta(seconds=3600)  # documented `expires_in` 3600
TOKEN_RANDOM_LENGTH = 32  # characters after `op_at_` / `op_rt_`; length undocumented
STORE_ID_MISMATCH_STATUS = 403  # offline claim naming another store than the token's

# -- errors (sheet §9: NestJS default shape, chosen from the stack's fingerprints) -----------------
ERROR_401_MESSAGE = "Unauthorized"
ERROR_403_MESSAGE = "Forbidden resource"
ERROR_429_MESSAGE = "ThrottlerException: Too Many Requests"  # @nestjs/throttler default text
ERROR_500_MESSAGE = "Internal server error"
ERROR_UNNAMED_4XX_MESSAGE = "Request failed"  # forced 4xx fault with no HTTP phrase (e.g. 499): NestJS needs a text
UNKNOWN_ORDER_STATUS = 404  # unknown or other store's order on by-order read and create (§6.1)
RATE_LIMIT_PER_MINUTE = 0  # none published for claims; 0 = off, scenario may set one (§10)

# -- create -------------------------------------------------------------------------------------
FILING_WINDOW = timedelta(days=45)  # documented default: 45 days after fulfilment [FILING]
EMAIL_MUST_MATCH_ORDER = True  # the claimant email must be the order's customer (§6.2)
MAX_TEXT = 5000  # longest free-text field accepted; undocumented
MAX_ISSUES = 50  # most issues in one claim; undocumented
OFFLINE_ORDER_PREFIX = "OF"  # minted sourceOrderId looks like `XX-1234-1234` (§6.3)
CLAIM_TYPE_FOR_ISSUE = {  # issue types outside the 8 claim types leave claimType null
    "TRACKING_NOT_MOVING": None,
    "WRONG_ADDRESS": None,
}

# -- lifecycle (sheet §8: store settings give "N days"; N is undocumented) ------------------------
PENDING_AUTO_CLOSE = timedelta(days=7)  # WAITING_FOR_CUSTOMER silent this long → CLOSED
ON_HOLD_RETURN = timedelta(days=3)  # WAITING_FOR_BRAND this long → back to To Do
ON_HOLD_RETURNS_TO = "OPEN"  # the To Do state an On Hold claim returns to
CUSTOMER_REPLY_MOVES_TO = "COMMUNICATING"  # a customer reply to a Pending claim puts it in To Do
TERMINAL = ("DENIED", "RESOLVED", "RESOLVED_BY_BRAND", "CLOSED", "DISMISSED", "ARCHIVED")
APPROVAL_TYPES = (  # the payout resolution values (§7.3)
    "RESHIP", "REPLACEMENT", "REFUND", "FLAT_RATE", "CUSTOM", "EXCHANGE", "CREDIT", "STORE_CREDIT", "RETURN",
)
SYSTEM_AUTHOR = "OrderProtection"  # authorName on system messages

# -- webhooks (sheet §11) -------------------------------------------------------------------------
WEBHOOK_RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))  # "3 retries with backoff"
# Dialect: the reference one, {"id","topic","created_at","body"} with dot topics (§11.2); the
# developer-app dialect (slash topics, no id) is not offered.
DASHBOARD_URL = "https://app.orderprotection.com/claims/{claim_id}"  # link in message.created texts
