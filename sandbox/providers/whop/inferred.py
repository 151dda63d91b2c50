"""Every Whop choice that no source documents (shared/providers/whop.md marks them "inferred").

One line each, with the reason, so that a later fact changes one line.
"""

from datetime import timedelta

DEFAULT_PAGE_SIZE = 25  # no documented default; graphql-ruby style connections commonly use 25
MAX_PAGE_SIZE = 100  # oversize `first`/`last` is clamped, not rejected (graphql-ruby max_page_size)
DEFAULT_DIRECTION = "desc"  # sort key undocumented: created_at then id, newest first
OTHER_COMPANY_CASE_STATUS = 404  # another company's reso_ id is "not found", so ids are not revealed
OTHER_COMPANY_FILTER_STATUS = 403  # company_id naming another company is "forbidden" (sheet §2)
RESOLUTION_EVENTS_LIMIT = 50  # documented "50 most recent"; newest first is inferred from the successor API
REQUIRED_PERMISSION = "payment:resolution_center_case:read"  # documented for both endpoints

# Deadlines: the help pages give 7 days for each party; the status mapping is inferred (sheet §8).
MERCHANT_RESPONSE_WINDOW = timedelta(days=7)
INFO_REQUEST_WINDOW = timedelta(days=7)
# Where each status goes when its due_date passes (sheet §8 "Timeouts").
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

WEBHOOK_SECRET_PREFIX = "ws_"  # a third-party note shows a dashboard secret starting `ws_` (sheet §12)
WEBHOOK_ID_IS_BODY_ID = True  # body `id` = `webhook-id`: both are described as the per-request `msg_` id
