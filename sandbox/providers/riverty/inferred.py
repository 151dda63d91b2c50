"""Every Riverty choice no source documents (docs/providers/riverty.md marks them "inferred").

One line each, with the reason, so that a later fact changes one line. Enum tables are in
`tables.py`.
"""

from datetime import timedelta

# -- auth and errors ----------------------------------------------------------------------------
AUTH_HEADER = "X-Auth-Key"  # documented; matched case-insensitively like any HTTP header
UNAUTHORIZED_MESSAGE_KEY = "message"  # stock ASP.NET text is documented, the key casing is not
OTHER_CLIENT_STATUS = 403  # Gen 1 path clientId not the key's client: 403, empty body
UNKNOWN_DISPUTE_STATUS = 204  # Gen 2 get documents 204 No content; Gen 1 copies it (switchable to 404)
COMMENTS_UNKNOWN_DISPUTE_STATUS = 400  # the comments page documents only 400 and a .NET Exception body
EXCEPTION_SOURCE = "Riverty.Disputes.Api"  # `source` of the serialised .NET exception body
EXCEPTION_HRESULT = -2146233088  # System.Exception's HResult (COR_E_EXCEPTION)

# -- paging, sorting, filtering -----------------------------------------------------------------
DEFAULT_PAGE_SIZE = 20  # documented
DEFAULT_PAGE_NUMBER = 1  # documented
MAX_PAGE_SIZE: int | None = None  # none published; None = no cap
DEFAULT_SORT_BY = "CreatedAt"  # documented
DEFAULT_SORT_METHOD = "desc"  # documented
NULLS_FIRST_ASC = True  # SQL Server orders NULL lowest: nulls first ascending, last descending
GEN2_STATUS_SORT_FIELD = "stage"  # Gen 2 shows `stage`, not a status, so StatusId sorts by stage id
# Empty values (`pageSize=`): ASP.NET binds an empty value as null, which a nullable parameter takes
# as absent (`status`, dates, `showInMerchantUi`, `query`) and a non-nullable one refuses. These four
# have defaults, so they are read as non-nullable (`int pageSize = 20`, enum `sortBy`):
EMPTY_REFUSED = ("pageSize", "pageNumber", "sortBy", "sortMethod")
# `query` matches a whole invoice or ticket number, case-insensitive (a "contains" match is undocumented)

# -- ids and formats ----------------------------------------------------------------------------
TICKET_FORMAT = "D-{hi:04d}-{lo:04d}"  # documented shape D-0001-4112; numbering is invented
INVOICE_DIGITS = 9  # Gen 2 example invoice number 802693330; the seed's `INV#1234` is a placeholder
SOURCE = "Web"  # only value seen for a dispute's `source`
ATTACHMENT_SOURCE_CUSTOMER = "Customer"  # seen in the seed
ATTACHMENT_SOURCE_SHOP = "Shop"  # merchant uploads: unseen, guessed
GEN2_ATTACHMENT_DOWNLOAD = "/attachments/{id}/content"  # no download page: originalFileUrl points here
ROOT_PATHS = ("/Complaints",)  # Gen 1's `url` is relative to the API host: in path mode the sandbox root
DOWNLOAD_FALLBACK_CHAR = "_"  # a download's ASCII `filename` replaces what ASCII cannot spell; `filename*` has it all

# -- comments and uploads -----------------------------------------------------------------------
COMMENT_MAX_LENGTH = 10000  # documented
DEFAULT_VISIBILITY = 6  # customer + merchant when omitted: undocumented
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # documented 20 MB
UPLOAD_STORE_FILES = 1000  # uploads kept per scenario build (released on reset); the next → 413
UPLOAD_STORE_BYTES = 512 * 1024 * 1024  # bytes kept per build; a sandbox must not grow without bound
MAX_MERCHANT_ATTACHMENTS = 5  # marketing page: "up to 5 supporting documents"; the 6th → 400

# -- lifecycle (docs/providers/riverty.md §7) -----------------------------------------------------------------------
RFI_AFTER = timedelta(days=21)  # documented: day 21 of an open dispute → Request for Information
RFI_WINDOW = timedelta(days=14)  # third-party (Adyen) flow: 14 days to answer the first RFI
REVIEW_TIME = timedelta(days=5)  # Riverty's decision after information is supplied: unpublished
APPEAL_WINDOW = timedelta(days=5)  # Adyen flow: 5 days for the second round of proof
SILENT_SHOP_DECISION = "Chargeback"  # the shop was asked and said nothing: it loses
SILENT_CUSTOMER_DECISION = "Collection continues"  # the consumer was asked and said nothing
APPEAL_NEEDS_ATTACHMENT = True  # at stage 4 only a comment with evidence counts as an appeal
SHOP_RFI_SHARE = 0.7  # share of information requests addressed to the shop (drawn per dispute)

# -- webhooks (docs/providers/riverty.md §11) -----------------------------------------------------------------------
SIGNATURE_HEADER = "Riverty-Signature"  # documented
SIGNED_SEPARATOR = "."  # Stripe-style "{t}.{body}" signed string: inferred from the t=,v1= layout
WEBHOOK_VERSION = "1.0"  # documented example
WEBHOOK_RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)  # "retried later", schedule unpublished: 5 attempts in all

FAULT_STATUS_KEPT = True  # a forced fault of a status Riverty documents no body for keeps its status (ProblemDetails)
RATE_LIMIT_PER_MINUTE: int | None = None  # no numbers published: no limit unless a scenario sets one

# -- documented but not served (one line each, why) ------------------------------------------------
# Not served: the older Gen 2 list shape (clientDisputeStatus, …), superseded by the current one;
# not served: webhook registration (Riverty's team registers endpoints; /_sandbox/webhooks stands in);
# not served: create/accept/reject (consumers use the app, Riverty decides; /_sandbox/riverty/… stands in).
# A method no route serves on a served path: 405 as ProblemDetails with Allow (ASP.NET Core's routing answers 405; the docs show none)
