"""Every Pandabase choice that no source documents (shared/providers/pandabase.md marks them "inferred").

One line each, with the reason, so that a later fact changes one line.
"""

from datetime import timedelta

API_VERSION = "2026/03/09-v2"  # documented example of X-Version (sheet §1)
CONTENT_TYPE = "application/json; charset=utf-8"  # Fastify's default for JSON replies (sheet §3 note)

# -- pagination (sheet §4) -------------------------------------------------------------------------
CASE_PAGE_SIZE = 25  # documented default for GET /cases
MESSAGE_PAGE_SIZE = 50  # documented default for GET /cases/{id}/messages
MAX_PAGE_SIZE = 100  # documented; above it is a validation error, not a clamp
TOTAL_PAGES_WHEN_EMPTY_IS_ONE = False  # ceil(0/limit) = 0; some servers say 1 (sheet asks for a switch)
MAX_SAFE_PAGE = 2**53 - 1  # JS Number.MAX_SAFE_INTEGER: beyond it the echo would not be an exact integer
ID_MIN, ID_MAX = 12, 48  # documented path-id length; also applied to customerId/orderId ([OAS])

# -- auth (sheet §2) -------------------------------------------------------------------------------
MISSING_AUTH = "Missing or invalid authorization header"  # sheet's suggested text
INVALID_TOKEN = "Invalid API token"  # sheet's suggested text
BAD_SIGNATURE = "Invalid request signature"  # HMAC mode with a bad/absent X-Signature → 401
MISSING_PERMISSION = "Missing required permissions: {scopes}"  # "names the missing permission"
OTHER_STORE_STATUS = 403  # token used under another store's id: undocumented, 404 also plausible
OTHER_STORE_MESSAGE = "API token does not have access to this store"
OTHER_STORE_404_MESSAGE = "Store not found"  # used when OTHER_STORE_STATUS is 404
DEFAULT_SCOPES = ("CASES_READ", "CASES_WRITE")  # a scenario token without scopes can do everything

# -- errors (sheet §3) -----------------------------------------------------------------------------
CASE_NOT_FOUND = "Case not found"  # not-found text undocumented
ROUTE_NOT_FOUND = "Route {method}:{path} not found"  # Fastify's default 404 text, in the V2 envelope
BAD_JSON = "Body is not valid JSON but content-type is set to 'application/json'"  # Fastify FST_ERR_CTP_INVALID_JSON_BODY
EMPTY_JSON = "Body cannot be empty when content-type is set to 'application/json'"  # Fastify FST_ERR_CTP_EMPTY_JSON_BODY
UNSUPPORTED_MEDIA = "Unsupported Media Type: {type}"  # Fastify FST_ERR_CTP_INVALID_MEDIA_TYPE, status 415
IDEMPOTENCY_KEY_MIN, IDEMPOTENCY_KEY_MAX = 8, 32  # documented header length; accepted and ignored
ATTACHMENT_TYPE_NOT_ALLOWED = "Attachment type not allowed: {type}"  # allowlist documented, text not
INTERNAL_ERROR = "Internal server error"
UNAVAILABLE = "Service temporarily unavailable"

# -- rate limits (sheet §5) ------------------------------------------------------------------------
REQUESTS_PER_SECOND = 60  # documented global cap; applied per token (AccountResource) or per IP
REPLIES_PER_MINUTE = 60  # documented for POST …/messages, per token
RATE_LIMIT_MESSAGE = "Rate limit exceeded. Please retry after the reset time."  # documented
# X-RateLimit-Reset is real epoch time: the windows count real seconds, not sandbox time
SEND_RETRY_AFTER = True  # Retry-After is not documented; sent as a harmless extra on 429

# -- case behaviour (sheet §6, §8) ---------------------------------------------------------------
NEW_CASE_STATUS = "OPEN"  # docs don't say what a customer-opened case starts as
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

# -- disputes (sheet §10-11): only what the webhooks need ------------------------------------------
DISPUTE_EVIDENCE_WINDOW = timedelta(days=7)  # documented; lapsing accepts the dispute → LOST
WEBHOOK_KEY_FROM_SECRET = "auto"  # whsec_… → Standard Webhooks SDK key (base64); else the UTF-8 bytes
