"""Every OrderProtection choice no source documents (docs/providers/orderprotection.md lists the sources).

One line each, with the reason, so that a later fact changes one line.
"""

from datetime import timedelta

# -- GET /v1/claims parameters (the real names were lost in the flattened docs) -------
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
MAX_PAGE_SIZE = 100  # over the limit is rejected with 400, not clamped
# Empty values (`first=`, `claimState=`, `operator=`): NestJS's class-validator skips only a missing
# or null value (@IsOptional), so an empty integer or enum value is refused in its usual words; an
# empty string filter (`storeId=`) or cursor (`after=`) is taken as absent, as a service's `if (value)` does.
EMPTY_CURSOR = None  # Relay cursors are nullable; the orders list uses "" (switch here)

# -- claim node ---------------------------------------------------------------------------------
CREDITS_KEY = "storeCredits"  # key of the credit array lost in flattening
DOCUMENTS_KEY = "documents"  # key of the document array lost in flattening
CREDIT_KIND_KEY = "type"  # name of the GIFT_CARD/DISCOUNT_CODE field lost in flattening
# Enum values beyond the documented ones, used by generated data and creates: emailStatus only
# SENT (documented); bonusType NONE (documented) and FIXED for a bonus; documentType SIGNATURE
# (documented), RECEIPT for offline receipts, IMAGE for photos (both inferred from CC-OFF).
EXTERNAL_SOURCE = "api"  # the only value seen
# Orders (undocumented): the list is createdAt desc, id desc (dashboard-style newest first, see
# state.claim_sort_key); GET /orders/{id}/claims returns the order's claims in filing order.

# -- auth ---------------------------------------------------------------------------------------
READ_SCOPES = ("read_claims", "write_claims", "manage_claims")  # any claim scope reads
WRITE_SCOPES = ("write_claims", "manage_claims")  # create needs write or manage
DEFAULT_TOKEN_SCOPES = ("read_claims", "write_claims")  # scenario tokens without `scopes`
TOKEN_LIFETIME = timedelta(seconds=3600)  # documented `expires_in` 3600
TOKEN_RANDOM_LENGTH = 32  # characters after `op_at_` / `op_rt_`; length undocumented
# Out of scope: the authorization_code grant (its code comes from the merchant's consent screen at
# install, which the sandbox does not have: the grant answers 400, use client_credentials), and the
# partner `POST /v2/quote` / partner contexts (pricing, not claims or orders).
STORE_ID_MISMATCH_STATUS = 403  # offline claim naming another store than the token's

# -- errors (NestJS default shape, chosen from the stack's fingerprints: cuid ids, {status: ok}) -----------------
ERROR_401_MESSAGE = "Unauthorized"
ERROR_403_MESSAGE = "Forbidden resource"
ERROR_429_MESSAGE = "ThrottlerException: Too Many Requests"  # @nestjs/throttler default text
ERROR_500_MESSAGE = "Internal server error"
ERROR_UNNAMED_4XX_MESSAGE = "Request failed"  # forced 4xx fault with no HTTP phrase (e.g. 499): NestJS needs a text
UNKNOWN_ORDER_STATUS = 404  # unknown or other store's order on every by-order route
RATE_LIMIT_PER_MINUTE = 0  # none published for claims; 0 = off, scenario may set one

# -- create -------------------------------------------------------------------------------------
FILING_WINDOW = timedelta(days=45)  # documented default: 45 days after fulfilment [FILING]
EMAIL_MUST_MATCH_ORDER = True  # the claimant email must be the order's customer
MAX_TEXT = 5000  # longest free-text field accepted; undocumented
MAX_ISSUES = 50  # most issues in one claim; undocumented
OFFLINE_ORDER_PREFIX = "OF"  # minted sourceOrderId looks like `XX-1234-1234`
CLAIM_TYPE_FOR_ISSUE = {  # issue types outside the 8 claim types leave claimType null
    "TRACKING_NOT_MOVING": None,
    "WRONG_ADDRESS": None,
}

# -- lifecycle (store settings give "N days"; N is undocumented) ------------------------
PENDING_AUTO_CLOSE = timedelta(days=7)  # WAITING_FOR_CUSTOMER silent this long → CLOSED
ON_HOLD_RETURN = timedelta(days=3)  # WAITING_FOR_BRAND this long → back to To Do
ON_HOLD_RETURNS_TO = "OPEN"  # the To Do state an On Hold claim returns to
CUSTOMER_REPLY_MOVES_TO = "COMMUNICATING"  # a customer reply to a Pending claim puts it in To Do
TERMINAL = ("DENIED", "RESOLVED", "RESOLVED_BY_BRAND", "CLOSED", "DISMISSED", "ARCHIVED")
APPROVAL_TYPES = (  # the payout resolution values
    "RESHIP", "REPLACEMENT", "REFUND", "FLAT_RATE", "CUSTOM", "EXCHANGE", "CREDIT", "STORE_CREDIT", "RETURN",
)
SYSTEM_AUTHOR = "OrderProtection"  # authorName on system messages

# -- webhooks -------------------------------------------------------------------------------------
WEBHOOK_RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))  # "3 retries with backoff"
# Two dialects are documented: the reference pages' {"id","topic","created_at","body"} with dot
# topics and snake_case, and the developer-app page's {"topic","body"} with slash topics and
# camelCase. A subscription picks by the topics it lists (dot or slash); one listing none gets the
# reference dialect only (webhook_default_events), so existing subscriptions see no change.
# Developer-app bodies beyond the example's {claimId, storeId, resolutions}: the reference body's
# fields in camelCase (the example's case), so a receiver finds the same facts in either dialect.
DASHBOARD_URL = "https://app.orderprotection.com/claims/{claim_id}"  # link in message.created texts
# No webhook registration API exists: apps set their URL and topics in the developer dashboard and
# install registers them per store, so subscriptions come from /_sandbox/webhooks or `webhooks:`.
# Protection is added or removed "manually in the dashboard" only: the sandbox's stand-in is
# POST /_sandbox/orderprotection/stores/{store}/orders/{id}/protection; removing sets policyCancelledAt.

# -- orders (GET/POST /v1/orders, PUT /v1/orders/{id}, POST …/fulfillments) ------------------------
ORDERS_DEFAULT_SIZE = 10  # no documented default; the example's 5 orders fit one page
ORDERS_MAX_SIZE = 100  # as the claims list
ORDERS_DEFAULT_BUTTONS = 5  # `buttonNum` default: five page buttons, the usual pager
ORDERS_MAX_BUTTONS = 50
# Cursors are graphql-relay offset cursors (base64 "arrayconnection:N", as the example decodes).
# The example's page 1 cursor is offset 0, so a cursor names the first record of its page
# (inclusive); startCursor/endCursor name the previous/next page ("" when there is none, as the
# example's one-page answer shows), so `cursor=endCursor` while hasNextPage walks every order once.
CURSOR_PREFIX = "arrayconnection:"
ORDERS_EMPTY_CURSOR = ""  # the example's value for an absent cursor
# List order: as OrderProtection received them (oldest first), so offsets stay valid as orders arrive.
ORDER_READ_SCOPES = ("read_orders", "write_orders")  # "Requires read_orders or write_orders scope"
ORDER_WRITE_SCOPES = ("write_orders",)  # create and update change orders
FULFILLMENT_SCOPES = ("read_orders", "write_orders")  # the docs say Fulfillments "requires read_orders"
DUPLICATE_ORDER_STATUS = 409  # POST of a sourceOrderId the store has: NestJS ConflictException
DUPLICATE_FULFILLMENT_STATUS = 409  # same for a sourceFulfillmentId the order has
ORDER_CREATE_STATUS = 201  # success body {"status":"ok"} documented, code not: NestJS POST default
# Numbers: the update example sends them as strings ("15.40"), so numeric strings are accepted.
# fulfillmentStatus: the examples send "Fulfilled"/"shipped" against an upper-case enum, so case is
# ignored and the enum's spelling stored; "shipped" (order example) reads as IN_TRANSIT.
FULFILLMENT_STATUS_ALIASES = {"SHIPPED": "IN_TRANSIT"}
# The create example's fulfillment names sourceItemIds (1478, 1479) its orderItems do not have, so
# fulfillment items are not checked against the order.
# trackingNumber: a string in the order example, string[] in the fulfillment pages: always an array.
UNFULFILLED_STATUSES = ("UNFULFILLED",)  # a fulfillment in these does not start the filing window
REQUIRE_CUSTOMER_EMAIL = True  # claims match the claimant's email against it, so create requires it
GENERATED_CARRIERS = ("UPS", "FedEx", "USPS", "DHL")  # scenario orders' derived shipment
TRACKING_URL = "https://track.example.com/{number}"
PREMIUM_RATE = 0.03  # protection premium of scenario orders: 3 % of the subtotal (undocumented)
PREMIUM_MINIMUM = 0.98
# Reship: a replacement order (originalSourceOrderId) for an order with an APPROVED RESHIP claim
# moves that claim to RESOLVED with a system note naming the replacement (the guide's "send the
# outcome back"; the resulting state is not documented).
RESHIP_RESOLVES_TO = "RESOLVED"

# -- POST /v1/oauth/session/verify (embedded apps) ----------------------------------------------
SESSION_TOKEN_LIFETIME = timedelta(seconds=60)  # documented; counted on the sandbox clock
SESSION_VERIFY_PER_MINUTE = 30  # documented, per IP (real minutes, as rate limits are)
# The dashboard mints the token; the docs name HS256 (the example header) but not the key or the
# claims, so the sandbox signs with a key of its own, derived from the seed: the app only forwards it.
SESSION_INVALID_MESSAGE = "Invalid session token"  # 401 text for a bad or expired token: undocumented
SESSION_DEFAULT_EMAIL = "owner@{store}.example.com"  # merchant identity when the mint names none
SESSION_DEFAULT_NAME = ("Jane", "Smith")  # the docs' example merchant
# "Designed for a single use" is advice to the app, not a documented refusal: a token verifies
# until it expires.
# A method no route serves on a served path is NestJS's `Cannot <METHOD> <path>` 404, not a 405 (Express routes on method and path)
