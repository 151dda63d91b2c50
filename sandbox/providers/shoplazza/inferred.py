"""Every Shoplazza choice that no source documents (docs/providers/shoplazza.md marks them "inferred").

One line each, with the reason, so that a later fact changes one line.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Literal

# -- routing and versions (docs/providers/shoplazza.md §2) -----------------------------------------------------------
# 2024-07 is documented [SEED]; 2025-06/2026-01/2026-07 are the supported prefixes [CHG] with the
# same dispute group [PAY26]; the `shoplazza-payment` segment for the later ones is assumed.
VERSIONS = frozenset({"2024-07", "2025-06", "2026-01", "2026-07"})
REQUEST_ID_IS_UUID4 = True  # Request-Id is documented on every response, its format is not

# -- auth (docs/providers/shoplazza.md §3) ---------------------------------------------------------------------------
REQUIRED_SCOPE = "read_finance"  # documented on both dispute pages
IMPLYING_SCOPES = frozenset({"read_finance", "write_finance"})  # write presumably implies read
AUTH_FAILURE_STATUS: Literal[400, 401] = 400  # the 2024-07 page puts "Unauthorized" in its 400 row; scenario may pick 401
AUTH_FAILURE_BODY = {"error": "Unauthorized"}  # `error` string shape "when the token is missing or invalid"
STORE_NOT_ACTIVE_STATUS = 400  # documented body, status not stated; 2025-06+ groups store problems under 400
SCOPE_MESSAGE = "Forbidden: read_finance scope required"  # documented `errors` array shape, wording invented
OTHER_STORE_TOKEN_IS_INVALID = True  # a token names one store+app pair: elsewhere it is just invalid

# -- list and get (docs/providers/shoplazza.md §4, §7) ---------------------------------------------------------------
DEFAULT_LIMIT = 10  # documented
MAX_LIMIT = 100  # documented range 1-100; outside it → 400 (not clamped)
LAST_PAGE_CURSOR = ""  # last page: has_more false and an empty cursor
TIMESTAMP_PATTERN = r"[0-9]{1,18}"  # created_at_min/max: Unix seconds as ASCII digits; inclusive bounds
# An empty value (`limit=`, `status=`, `cursor=`, `created_at_min=`) is taken as absent, on the dispute
# list and the webhook list alike: a client that sends the last page's empty `cursor` back, or a form
# with blank fields, gets the first page rather than a refusal (undocumented either way)
NOT_FOUND_BODY = {"code": "NotFound", "message": "dispute not found"}  # generic 404 row, `code` shape
OTHER_STORE_DISPUTE_IS_NOT_FOUND = True  # another store's dispute is "not found": ids are not revealed

# -- the dispute object (docs/providers/shoplazza.md §4.3) ------------------------------------------------------------
DISPUTE_ID_PREFIX, DISPUTE_ID_LENGTH = "dp_", 27  # legacy id dp_2akNzR9y4k8v2oXkomIsSRu8dZC [LEG]
PAYMENT_ID_PREFIX, PAYMENT_ID_LENGTH = "py_", 12  # payment order id py_2oFAVxHstl9r [PO]
ORDER_ID_IS_UUID = True  # original_order_id: Shoplazza order ids are opaque strings; UUID-shaped here
CHARGEBACK_FEE = Decimal("15.00")  # no fee documented; a typical card-network dispute fee
WARNING_FEE = Decimal("0.00")  # inquiries (warning_*) carry no fee; escalation charges CHARGEBACK_FEE
FEE_CURRENCY = "USD"  # fee in the store's settlement currency, USD unless the scenario says otherwise
REASONS = (  # no enum published; a set of capitalised labels like, example `Fraudulent` [SEED]
    "Fraudulent",
    "Product not received",
    "Product unacceptable",
    "Duplicate",
    "Subscription canceled",
    "Credit not processed",
    "General",
)

# -- lifecycle (docs/providers/shoplazza.md §5) ------------------------------------------------------------------------
# The seed's example: created 2024-04-28T12:34:56Z, expires 2024-05-05T00:00:00Z = created + 7 days,
# floored to midnight UTC. Both response windows follow that rule.
RESPONSE_WINDOW = timedelta(days=7)  # needs_response → lost at expiration_time (docs/providers/shoplazza.md §5)
WARNING_RESPONSE_WINDOW = timedelta(days=7)  # warning_needs_response → warning_closed at expiration_time
EXPIRATION_AT_MIDNIGHT = True  # expiration_time is floored to 00:00:00Z, as in the seed example
EXPIRES_TO = {"needs_response": "lost", "warning_needs_response": "warning_closed"}
REVIEW_TIME = timedelta(
    days=30
)  # under_review → won|lost; help centre: "up to 120 days"; 30 keeps demos short
REVIEW_WIN_SHARE = 0.5  # outcome of an automatic review, drawn per dispute from the seed
WARNING_REVIEW_TIME = timedelta(days=10)  # warning_under_review → warning_closed (issuer satisfied)
RESPONDED_TO = {"needs_response": "under_review", "warning_needs_response": "warning_under_review"}

# -- rate limit (docs/providers/shoplazza.md §8) ----------------------------------------------------------------------
RATE_BUCKET_SIZE = 40  # documented app/store leaky bucket
RATE_LEAK_PER_SECOND = 2.0  # documented
RATE_LIMIT_ON_BY_DEFAULT = False  # off by default; scenarios turn it on with `rate_limit:`
RETRY_AFTER_HEADER = True  # no throttle header documented; Retry-After is a harmless fake addition

# -- webhooks (docs/providers/shoplazza.md §9): Shoplazza has NO dispute topic; these are the sandbox's invention ------
WEBHOOK_TOPICS = ("disputes/create", "disputes/update")  # flagged as not Shoplazza's
WEBHOOK_API_VERSION = "2024-07"  # X-Shoplazza-Api-Version: the version the dispute API is documented in
CLIENT_SECRET_LENGTH = 32  # subscription secret = the app's client secret; format undocumented, base62 here
WEBHOOK_FLAG_HEADER = ("X-Sandbox-Invented-Topic", "true")  # says on the wire that the topic is invented
# Documented intervals 1m, 2m, 2m, 5m, 20m, 30m, 1h, 2h, then 4h x11 (about two days) [WH].
WEBHOOK_RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=2),
    timedelta(minutes=2),
    timedelta(minutes=5),
    timedelta(minutes=20),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
    *(timedelta(hours=4),) * 11,
)

# -- webhook registration API (docs/providers/shoplazza.md §9) -----------------------------------
# 2022-01 is the version the reference shows with the flat body; 2025-06 wraps it in `webhook`.
# The sandbox serves both families on these versions (2024-07 sits in the flat family: before 2025-06).
WEBHOOK_VERSIONS = frozenset({"2022-01", "2024-07", "2025-06", "2026-01", "2026-07"})
WRAPPED_WEBHOOK_VERSIONS = frozenset({"2025-06", "2026-01", "2026-07"})  # body {"webhook":{…}}, data envelope
WEBHOOK_ENVELOPE_FROM_2025 = True  # 2025-06+ answers sit in {"code","message","data"} like every 2025-06 call
WEBHOOK_LIST_DEFAULT, WEBHOOK_LIST_MAX = 50, 250  # 2022-01 documents limit=50 and "max: 250"; page_size copies it
WEBHOOK_FORMAT: Literal["json"] = "json"  # the only format the examples show
WEBHOOK_SCOPES = frozenset({"read_finance", "write_finance"})  # a dispute topic needs the finance read scope [WH]
# Topics a client may register: the documented ones (the sandbox never sends them: it models no
# orders, products or apps) and the sandbox's own dispute topics (WEBHOOK_TOPICS, which it sends).
DOCUMENTED_TOPICS = (
    "orders/create", "orders/update", "orders/delete", "orders/paid", "orders/cancelled",
    "orders/fulfilled", "orders/partially_fulfilled", "orders/refunded",
    "products/create", "products/update", "products/delete",
    "collections/create", "collections/update", "collections/delete",
    "customers/create", "customers/update", "customers/delete",
    "carts/create", "carts/update", "checkouts/create", "checkouts/update", "app/uninstalled",
)
TOPIC_SCOPES = {  # the read scope each topic family needs (a subscription needs the matching read scope)
    "orders": "read_order", "products": "read_product", "collections": "read_collection",
    "customers": "read_customer", "carts": "read_order", "checkouts": "read_order", "app": "",
    "disputes": "read_finance",
}
WEBHOOK_ADDRESS_SCHEMES = ("http", "https")  # Shoplazza delivers over HTTPS; local receivers are plain HTTP
WEBHOOK_TARGET_REFUSED = "is refused by the sandbox: {reason}"  # sandbox-only: --webhook-allow (SSRF guard)
# Webhook ids: seeded UUIDs, as the documented examples' ids are (37593634-c272-4ed5-…).
WEBHOOKS_PER_STORE = 500  # subscriptions a store may hold; the next is refused (422) rather than kept
# A private app's token has no client secret: its subscriptions are signed with one the sandbox mints.

# -- OAuth install flow (docs/providers/shoplazza.md §3) ----------------------------------------
# No merchant clicks "install": authorize redirects at once, as if the merchant had consented.
OAUTH_CODE_LIFETIME = timedelta(minutes=10)  # RFC 6749 §4.1.2 recommends at most 10 minutes; once only (documented)
OAUTH_TOKEN_LIFETIME = "30d"  # `expires_at` is documented, the lifetime is not
OAUTH_TOKEN_TYPE = "Bearer"  # the token response's token_type (the Go SDK's JSON has one); the header stays Access-Token
OAUTH_HMAC_ENCODED = False  # the signed query is `k=v&…` sorted, not URL-encoded (the docs), though the Go SDK encodes
OAUTH_CODE_LENGTH, OAUTH_TOKEN_LENGTH = 32, 43  # the documented example token is 43 URL-safe characters
OAUTH_LOCALE = "en-US"  # the token response's `locale`; stores have no locale in the sandbox
OAUTH_ERROR_STATUS = {"invalid_client": 401}
OAUTH_PENDING_CODES = 1000  # unused codes kept per build (expired ones go first): client input must not grow memory
OAUTH_TOKENS_PER_APP = 100  # live OAuth tokens per app; the oldest is revoked past it (a re-install loop stays flat)  # RFC 6749 §5.2: 401 for a bad client, 400 for the rest

# -- documented but not served (one line each, why) ------------------------------------------------
# Not served: the pre-2024-07 "Dispute Order Properties" object (no path is documented for it);
# not served: evidence or accept calls (none published; /_sandbox/shoplazza/… stands in for the admin);
# not served: a consent screen (authorize grants at once, above).
