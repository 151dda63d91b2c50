"""Every Pandabase choice that no source documents (docs/providers/pandabase.md marks them "inferred").

One line each, with the reason, so that a later fact changes one line.
"""

from datetime import timedelta
from typing import Final

API_VERSION = "2026/03/09-v2"  # documented example of X-Version (docs/providers/pandabase.md "Headers")
CONTENT_TYPE = "application/json; charset=utf-8"  # Fastify's default for JSON replies (docs/providers/pandabase.md "Errors")

# -- pagination (docs/providers/pandabase.md "Pagination") ---
CASE_PAGE_SIZE = 25  # documented default for GET /cases
MESSAGE_PAGE_SIZE = 50  # documented default for GET /cases/{id}/messages
MAX_PAGE_SIZE = 100  # documented; above it is a validation error, not a clamp
TOTAL_PAGES_WHEN_EMPTY_IS_ONE = False  # ceil(0/limit) = 0; some servers say 1 (kept as a switch)
MAX_SAFE_PAGE = 2**53 - 1  # JS Number.MAX_SAFE_INTEGER: beyond it the echo would not be an exact integer
# Integers in queries and bodies are read as ajv's coercion reads them, JavaScript's Number: `1e1`,
# ` 7 `, `0x1f` are numbers; `٣`, `１`, `1_0`, `nan` are not (Python's float() took them); ASCII only
# An empty query value (`status=`, `limit=`) is a value Fastify's schema refuses (400), not an absent one
ID_MIN, ID_MAX = 12, 48  # documented path-id length; also applied to customerId/orderId ([OAS])

# -- auth (docs/providers/pandabase.md "Authentication") ---
MISSING_AUTH = "Missing or invalid authorization header"  # exact texts unpublished: plausible ones
INVALID_TOKEN = "Invalid API token"  # exact texts unpublished: plausible ones
BAD_SIGNATURE = "Invalid request signature"  # HMAC mode with a bad/absent X-Signature → 401
MISSING_PERMISSION = "Missing required permissions: {scopes}"  # "names the missing permission"
OTHER_STORE_STATUS: Final = 403  # token used under another store's id: undocumented, 404 also plausible
OTHER_STORE_MESSAGE = "API token does not have access to this store"
OTHER_STORE_404_MESSAGE = "Store not found"  # used when OTHER_STORE_STATUS is 404
DEFAULT_SCOPES = ("CASES_READ", "CASES_WRITE")  # a scenario token without scopes can do everything

# -- errors (docs/providers/pandabase.md "Errors") ---
CASE_NOT_FOUND = "Case not found"  # not-found text undocumented
ROUTE_NOT_FOUND = "Route {method}:{path} not found"  # Fastify's default 404 text, in the V2 envelope
BAD_JSON = "Body is not valid JSON but content-type is set to 'application/json'"  # Fastify FST_ERR_CTP_INVALID_JSON_BODY
EMPTY_JSON = "Body cannot be empty when content-type is set to 'application/json'"  # Fastify FST_ERR_CTP_EMPTY_JSON_BODY
UNSUPPORTED_MEDIA = "Unsupported Media Type: {type}"  # Fastify FST_ERR_CTP_INVALID_MEDIA_TYPE, status 415
IDEMPOTENCY_KEY_MIN, IDEMPOTENCY_KEY_MAX = 8, 32  # documented header length; accepted and ignored
ATTACHMENT_TYPE_NOT_ALLOWED = "Attachment type not allowed: {type}"  # allowlist documented, text not
INTERNAL_ERROR = "Internal server error"
UNAVAILABLE = "Service temporarily unavailable"

# -- rate limits (docs/providers/pandabase.md "Rate limits") ---
REQUESTS_PER_SECOND = 60  # documented global cap; applied per token (AccountResource) or per IP
REPLIES_PER_MINUTE = 60  # documented for POST …/messages, per token
RATE_LIMIT_MESSAGE = "Rate limit exceeded. Please retry after the reset time."  # documented
# X-RateLimit-Reset is real epoch time: the windows count real seconds, not sandbox time
SEND_RETRY_AFTER = True  # Retry-After is not documented; sent as a harmless extra on 429

# -- case behaviour (docs/providers/pandabase.md "Cases") ---
NEW_CASE_STATUS: Final = "OPEN"  # docs don't say what a customer-opened case starts as
CUSTOMER_REOPEN_STATUS = "AWAITING_MERCHANT"  # a customer reply on a closed case reopens it
AUTO_CLOSE_AFTER = timedelta(days=14)  # documented default; the idle clock restarts on each message
AUTO_CLOSE_BY = "SYSTEM"  # closedBy for the automatic close
REPLY_SENDER = "token"  # senderId of an API reply: the token's stk_ id (undocumented)
READ_BUMPS_UPDATED_AT = False  # marking read changes reader state, not the case
# Setting the status a case already has (AWAITING_CUSTOMER → AWAITING_CUSTOMER) is 200, no SYSTEM message
PATCH_BUMPS_UPDATED_AT = True  # every successful PATCH moves updatedAt
AUTO_REPLY_SENDER = "SYSTEM"  # the merchant auto-reply's senderType (undocumented: SYSTEM or MERCHANT)
STAFF_JOIN_ESCALATES = True  # a STAFF message is what sets `escalated: true`
# SYSTEM messages leave lastMessageAt/By alone: the dashboard keeps "Last activity: Customer" after a close
TEXT_OPENED = "Case opened by customer"  # seen in the dashboard [SHOT]
TEXT_CLOSED_BY = {  # "Case closed by merchant" seen; the rest follow its pattern
    "MERCHANT": "Case closed by merchant",
    "CUSTOMER": "Case closed by customer",
    "STAFF": "Case closed by Pandabase support",
    "SYSTEM": "Case closed automatically after no reply from the customer",
}
TEXT_REOPENED_BY = {"MERCHANT": "Case reopened by merchant", "CUSTOMER": "Case reopened by customer"}
TEXT_AWAITING_CUSTOMER = "Case marked as awaiting customer by merchant"
TEXT_STAFF_JOINED = "Pandabase support joined the case"

# -- disputes ---
DISPUTE_EVIDENCE_WINDOW = timedelta(days=7)  # documented; lapsing accepts the dispute → LOST
DISPUTE_PAGE_SIZE = 25  # documented default for GET /disputes
DISPUTE_SORT = "desc"  # `sort` is documented (asc/desc) without its default or key: createdAt, newest first
DISPUTE_FEE, PREVENTED_FEE = 2000, 3000  # documented $20 fee, $30 when prevented (cents)
PAYMENT_SURCHARGE = 20  # totalAmount is the payment's total: the example has 2920 on 2900; the gap is a flat 20
DISPUTE_METHOD = "card"  # the only method the examples show
NAMELESS_IS_GUEST = True  # `customer.guest` undocumented: a customer who never gave a name checked out as guest
DISPUTE_NOT_FOUND = "Dispute not found"  # not-found text undocumented
EVIDENCE_ALREADY_SUBMITTED = "Evidence has already been submitted for this dispute"  # "once": text undocumented
EVIDENCE_WINDOW_CLOSED = "The evidence window for this dispute has closed"  # "within 7 days": text undocumented
EVIDENCE_NOT_ACCEPTED = "Evidence cannot be submitted for a dispute that is {status}"  # e.g. PREVENTED, WON
# WON returns the order to COMPLETED (the guide); LOST and PREVENTED leave it in CHARGEBACK
# UNDER_REVIEW waits for the network (30-75 days in the guide): decided only by a control or the timeline

# -- webhook endpoints and deliveries ---
WEBHOOK_KEY_FROM_SECRET = "auto"  # whsec_… → Standard Webhooks SDK key (base64); else the UTF-8 bytes
WEBHOOK_PAGE_SIZE = 20  # the documented default of GET /webhooks (its example echoes 25)
DEFAULT_SIGNATURE_VERSION = "V2"  # documented default for endpoints made after 2026-05-15
LOOPBACK_HTTP_WEBHOOKS = True  # docs demand https; http is accepted for loopback hosts only (test receivers)
MAX_WEBHOOKS_PER_STORE = 50  # no limit documented; a bound keeps memory flat
WEBHOOK_LIMIT = "Webhook limit reached ({limit} per store)"
WEBHOOK_TARGET_REFUSED = "Webhook URL refused by the sandbox: {reason}"  # sandbox-only: --webhook-allow (SSRF guard)
WEBHOOK_NOT_FOUND = "Webhook not found"  # not-found text undocumented
NOTHING_TO_UPDATE = "Nothing to update"  # PATCH {} on a webhook: the cases' documented text
V1_JOB_PREFIX = "job_"  # V1 Webhook-Id is `${webhookId}/${jobId}`: the job is the message, stable across retries
# V1 X-Pandabase-Signature: hex HMAC-SHA256 of the raw body (the docs' example shows 40 hex digits, a placeholder)
# Disabling an endpoint unsubscribes it (no deliveries, not in /_sandbox/webhooks); enabling resubscribes, same id
# A subscription made through /_sandbox/webhooks shows in GET /webhooks: V2, no note, dated when first listed
