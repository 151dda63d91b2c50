"""Every Whop choice that no source documents (docs/providers/whop.md marks them "inferred").

One line each, with the reason, so that a later fact changes one line.
"""

from datetime import timedelta

DEFAULT_PAGE_SIZE = 25  # no documented default; graphql-ruby style connections commonly use 25
MAX_PAGE_SIZE = 100  # oversize `first`/`last` is clamped, not rejected (graphql-ruby max_page_size)
# `first=`, `direction=`, `after=`: an empty value is no value of the parameter's type (the SDKs drop
# unset parameters, so only hand-built URLs send one); Whop's typed parameters refuse it with a 400
EMPTY_VALUE_REFUSED = True
# ... except the cursors: `after=`/`before=` is how clients (httpx with None) spell "from the start"
EMPTY_CURSOR_IS_ABSENT = True
DEFAULT_DIRECTION = "desc"  # sort key undocumented: created_at then id, newest first
OTHER_COMPANY_CASE_STATUS = 404  # another company's reso_ id is "not found", so ids are not revealed
OTHER_COMPANY_FILTER_STATUS = 403  # company_id naming another company is "forbidden" (docs/providers/whop.md, "Authentication")
RESOLUTION_EVENTS_LIMIT = 50  # documented "50 most recent"; newest first is inferred from the successor API
REQUIRED_PERMISSION = "payment:resolution_center_case:read"  # documented for both endpoints

# Deadlines: the help pages give 7 days for each party; the status mapping is inferred
# (docs/providers/whop.md, "Legacy shape").
MERCHANT_RESPONSE_WINDOW = timedelta(days=7)
INFO_REQUEST_WINDOW = timedelta(days=7)
# Where each status goes when its due_date passes (docs/providers/whop.md, "Legacy shape").
EXPIRES_TO = {
    "merchant_response_needed": "under_platform_review",  # "after that, Whop takes it over"
    "merchant_info_needed": "under_platform_review",  # "the case returns to Whop review"
    "customer_info_needed": "merchant_won",  # "closed automatically" → the buyer loses
    "customer_response_needed": "merchant_won",  # merchant asked the buyer; silence ends it the same way
}
# Whop review "usually takes 1-2 business days"; the sandbox decides after 2 days unless overridden.
PLATFORM_REVIEW_TIME = timedelta(days=2)
PLATFORM_CUSTOMER_WIN_SHARE = 0.5  # outcome of an automatic review, drawn per case from the seed

RATE_LIMIT_PER_MINUTE = 600  # documented: per operation and credential
RATE_LIMIT_WINDOW = timedelta(minutes=1)

ID_LENGTH = 18  # documented placeholders are 18 characters, prefix included

WEBHOOK_SECRET_PREFIX = "ws_"  # a third-party note shows a dashboard secret starting `ws_` (docs/providers/whop.md, "Webhooks")
WEBHOOK_ID_IS_BODY_ID = True  # body `id` = `webhook-id`: both are described as the per-request `msg_` id

# -- dated versions and the current API (docs/providers/whop.md, "Versions") -----------------------
# The first Fern client pin (whop-sdk 1.0.11, 2026-08-21) already reads the current case shape and
# @whop/sdk 0.0.42's 2026-07-20 still reads the legacy one; the true cut-over lies in between and is
# not published, so the sandbox takes the first date known to read the current shape.
CURRENT_SHAPE_FROM = "2026-08-21"
EXTRA_VERSIONS = ("2026-11-04-1",)  # a docs page uses it as its example, so the live list is longer
CURRENT_PAGE_SIZE = 20  # "default 20, max 100" (whopsdk-rust); the legacy API keeps its 25
CURRENT_ORDER = "created_at"  # default sort undocumented: created_at, then id
# Legacy status → current (status, escalated, outcome), the one store read two ways
CURRENT_STATUS = {
    "merchant_response_needed": ("awaiting_merchant", False, None),
    "customer_response_needed": ("awaiting_customer", False, None),
    "merchant_info_needed": ("awaiting_merchant", True, None),
    "customer_info_needed": ("awaiting_customer", True, None),
    "under_platform_review": ("under_review", True, None),
    "merchant_won": ("closed", False, "merchant_won"),
    "customer_won": ("closed", False, "customer_won"),
    "customer_withdrew": ("closed", False, "withdrawn"),
}
# Legacy `issue` → current `reason`: the closest meaning in the successor's vocabulary
REASON_OF_ISSUE = {
    "forgot_to_cancel": "subscription_canceled",
    "item_not_received": "product_not_received",
    "significantly_not_as_described": "not_as_described",
    "unauthorized_transaction": "fraudulent",
    "product_unacceptable": "product_unacceptable",
}
# The money that moved when a case closed this way inside the sandbox (old closed cases read null)
REFUND_ON_CLOSE = {"customer_won": "merchant", "merchant_won": "none", "customer_withdrew": "none"}
# Current writes: the one scope seen for case actions in Whop's newer Ruby client
MANAGE_PERMISSION = "payment:resolution_center_case:manage"
EMAIL_PERMISSION = "member:email:read"  # documented: buyer.email is null without it
CUSTOMER_PERMISSIONS = (REQUIRED_PERMISSION, MANAGE_PERMISSION)  # a user token acts on its own cases
MESSAGE_MAX_LENGTH = 5_000  # message length is undocumented; a bound keeps bodies small
IDEMPOTENCY_KEY_MAX = 255  # documented maximum length of Idempotency-Key
IDEMPOTENCY_TTL = timedelta(hours=24)  # Stripe-style replay window, on the sandbox clock
IDEMPOTENCY_STORE_SIZE = 10_000  # answers kept per scenario build; the oldest go first
# A customer does not see what Whop asked the merchant (the events endpoint omits what the viewer
# may not see; which events those are is not documented)
HIDDEN_FROM_CUSTOMER_REPORTER = "platform"
BUYER_EMAIL_DOMAIN = "example.com"  # generated buyers have no email on record: `<username>@example.com`
# `user_id=me` asked with an account key lists nothing (an account key is no buyer); `summary` with
# another company's `account_id` answers total 0 (403 is not mapped on summary); a customer's
# `user_id` naming someone else lists nothing.
WEBHOOK_ROLE = "merchant"  # a webhook reads the case as the account it is delivered to
LEGACY_USER_TOKENS = 403  # the legacy docs describe company keys only: a user token there is forbidden
CREATE_BY = "customer"  # "The customer's explanation": an account key opening a case is forbidden (403)
# Case actions move the one stored status: accept → customer_won (refund merchant), deny →
# merchant_won (refund none), request_info → customer_response_needed, reply → back to the party
# or to Whop's review, appeal → under_platform_review, withdraw → customer_withdrew (lifecycle.act).

# -- disputes, evidence files, dispute alerts (docs/providers/whop-disputes.md) -------------------
DISPUTE_DEFAULT_ORDER = "created_at"  # sort default undocumented: created_at, newest first, then id
DISPUTE_EVIDENCE_WINDOW = timedelta(days=14)  # processors give 7-21 days; 14 d is the middle (the TS mock uses 7)
DISPUTE_DECISION_TIME = timedelta(days=30)  # issuers rule within ~30 days of receiving the response
DISPUTE_SUBMITTED_WIN_SHARE = 0.5  # chance the merchant wins a dispute it answered, drawn per dispute from the seed
DISPUTE_INQUIRY_UNANSWERED_TO = "warning_closed"  # an unanswered inquiry closes without moving funds
DISPUTE_FEE = "15.00"  # a typical chargeback fee, in the dispute's currency; inquiries and RDR carry none
DISPUTE_REASON_CODES = {"fraudulent": "10.4", "product_not_received": "13.1", "product_unacceptable": "13.3", "subscription_canceled": "13.2", "credit_not_processed": "13.6", "duplicate": "12.6.1"}  # Visa codes
LEGACY_STATUS_FOR = {"prevented": "closed"}  # legacy enum lacks `prevented`; a refunded-before-ruling dispute reads closed
DISPUTE_PERMISSION_READ = "payment:dispute:read"  # documented scope for dispute reads
DISPUTE_PERMISSION_WRITE = "payment:dispute"  # documented scope for evidence updates and submit
ALERT_PERMISSION_READ = "payment:dispute_alert:read"  # documented scope for alert reads
FILE_PERMISSION = "payment:dispute"  # files for evidence: no file scope is documented; evidence writers may upload
DISPUTE_STATE_CONFLICT_STATUS = 409  # submit/upload_evidence/accept on a locked dispute: 409 is what the SDK maps there
DISPUTE_UPDATE_LOCKED_STATUS = 400  # PATCH on a locked dispute: 409 is not mapped for update, 400 is
FILE_MAX_BYTES = 10 * 1024 * 1024  # the per-document limit; no other Files API limit applies to evidence
FILES_MAX_TOTAL_BYTES = 64 * 1024 * 1024  # stored bytes per scenario: memory stays bounded; above it 400
FILES_MAX_COUNT = 2_000  # file records per scenario
DOCUMENTS_MAX = 10  # documented: up to 10 documents
DOCUMENTS_MAX_TOTAL = 25 * 1024 * 1024  # documented: 25 MB total
ALERT_AUTO_REFUND_TYPES = ("rapid_dispute_resolution",)  # an RDR alert is "already closed by refunding"
ALERT_FEE = "15.00"  # dispute alerts and RDR pass on a fee ("Whop pays and passes on a fee"); amount undocumented
PLATFORM_POLICY_URL = "https://whop.com/tos/"  # Whop's hosted stand-in policy for an empty policy slot
DISPUTE_STATUS_WEIGHTS = {"needs_response": 4, "warning_needs_response": 1, "under_review": 2, "warning_under_review": 1, "won": 2, "lost": 2, "prevented": 1, "warning_closed": 1}
ALERT_TYPE_WEIGHTS = {"early_fraud_warning": 2, "dispute_alert": 2, "rapid_dispute_resolution": 1}
ALERT_REPORTED_BEFORE = timedelta(hours=6)  # issuers report some hours before Whop receives the alert
EVIDENCE_TEXT_MAX = 20_000  # evidence text fields have no documented length; longer is refused with 400
DISPUTE_UPDATED_ON_EVIDENCE_EDIT = False  # the guide names status changes as what fires dispute.updated; edits do not
UPLOAD_PATH = "/_uploads"  # presigned upload URLs point at the sandbox itself, under the provider's prefix
MULTIPART_UPLOADS = False  # Whop's multipart is for files over 5 MB of up to 50 GB; evidence documents are at most 10 MB
