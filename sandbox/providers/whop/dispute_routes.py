"""`/disputes…`, `/dispute_alerts…` and `/files…` as whop-sdk 2.6.0 (current shape) and the legacy
clients call them; the request's `Api-Version-Date` picks the shape (versions.py).

Current routes answer only at current versions; `GET /disputes[/{id}]` and the legacy writes
`update_evidence` / `submit_evidence` answer at every version in that version's shape
(docs/providers/whop-disputes.md "Versions", "Disputes").
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

import orjson
from sortedcontainers import SortedList
from starlette.requests import Request
from starlette.responses import Response

from ...access import query_of, sandbox_of
from ...answers import Headers, remember
from ...bulk import micros
from ...jsonresp import spliced
from ...pagination import (
    CursorError,
    IndexedCollection,
    KeysetView,
    decode_cursor,
    encode_cursor,
    query_fingerprint,
    relay_slice,
)
from ...params import ascii_int
from ...routing import Route
from ...timefmt import parse_instant
from . import errors, files, inferred, versions
from .auth import authenticate
from .dispute_models import (
    DISPUTE_STATUSES,
    DOCUMENT_SLOT,
    SLOTS,
    TEXT_FIELDS,
    DisputeRecord,
)
from .dispute_serialize import current_json, legacy_json, legacy_list_item_json
from .disputes import DisputeBook
from .models import ApiKey

JSON_TYPE = "application/json"


class Query:
    """Query parameters of the current API: repeated keys without brackets (`status=a&status=b`).

    A parameter given with an empty value (`first=`, `direction=`) is refused, not read as absent
    (inferred.EMPTY_VALUE_REFUSED); integers are ASCII digits only (`٣`, `1_0` are refused)."""

    def __init__(self, request: Request) -> None:
        self.params = query_of(request)

    def raw(self, name: str) -> str | None:
        """The value as sent; None when absent; a 400 naming `name` when empty."""
        value = self.params.get(name)
        if value == "" and inferred.EMPTY_VALUE_REFUSED:
            raise errors.bad_request(name, f"{name} must not be empty")
        return value or None

    def text(self, name: str) -> str | None:
        return self.raw(name)

    def int(self, name: str) -> int | None:
        raw = self.raw(name)
        if raw is None:
            return None
        value = ascii_int(raw, signed=True)
        if value is None:
            raise errors.bad_request(name, f"{name} must be an integer")
        if value < 0:
            raise errors.bad_request(name, f"{name} must be non-negative")
        return min(value, inferred.MAX_PAGE_SIZE)

    def time(self, name: str) -> datetime | None:
        raw = self.raw(name)
        if raw is None:
            return None
        try:
            value = parse_instant(raw)
            micros(value)
        except (ValueError, OverflowError):  # an offset can push a valid-looking time out of range
            raise errors.bad_request(name, f"{name} must be an ISO 8601 date-time") from None
        return value

    def choice(self, name: str, allowed: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.raw(name) or default
        if value is not None and value not in allowed:
            raise errors.bad_request(name, f"{name} must be one of {', '.join(allowed)}")
        return value

    def many(self, name: str, allowed: tuple[str, ...]) -> list[str]:
        values = self.params.getlist(name) + self.params.getlist(f"{name}[]")
        for value in values:
            if value not in allowed:
                raise errors.bad_request(name, f"Invalid value for {name}: {value[:40]!r}")
        return sorted(set(values))


# -- shared plumbing ---------------------------------------------------------------------------


def book_of(request: Request) -> tuple[Any, DisputeBook]:
    state = sandbox_of(request).state("whop")
    return state, state.disputes_book


# Permission per operation (documented scopes, docs/providers/whop-disputes.md "Authentication").
OPERATION_PERMISSIONS = {
    "list_disputes": inferred.DISPUTE_PERMISSION_READ,
    "summary_disputes": inferred.DISPUTE_PERMISSION_READ,
    "retrieve_dispute": inferred.DISPUTE_PERMISSION_READ,
    "update_dispute": inferred.DISPUTE_PERMISSION_WRITE,
    "accept_dispute": inferred.DISPUTE_PERMISSION_WRITE,
    "submit_dispute": inferred.DISPUTE_PERMISSION_WRITE,
    "upload_dispute_evidence": inferred.DISPUTE_PERMISSION_WRITE,
    "list_dispute_alerts": inferred.ALERT_PERMISSION_READ,
    "retrieve_dispute_alert": inferred.ALERT_PERMISSION_READ,
    "create_file": inferred.FILE_PERMISSION,
    "retrieve_file": inferred.FILE_PERMISSION,
}


def caller(request: Request, operation: str) -> tuple[Any, DisputeBook, ApiKey, str]:
    """Authenticate first (a bad key is 401 everywhere), then the version (400 when unknown;
    the key's own default version applies without the header)."""
    state, book = book_of(request)
    key = authenticate(request, state, operation, OPERATION_PERMISSIONS[operation])
    account_of(key)
    return state, book, key, versions.resolve(request, getattr(key, "api_version_date", None))


def account_of(key: ApiKey) -> str:
    """The merchant account a key acts for; a customer's user token has none and reads no disputes."""
    if key.company_id is None:
        raise errors.forbidden(f"token {key.key[:12]}… is a customer's: disputes belong to merchant accounts")
    return key.company_id


def conflict(message: str, reason: str) -> errors.WhopError:
    """A write the dispute's state does not allow (the SDK maps 409 to ConflictError)."""
    return errors.WhopError(409, "conflict", message, reason)


def current_only(version: str) -> None:
    """Current routes are not served to legacy-dated requests (they would not know them)."""
    if not versions.is_current(version):
        error = errors.not_found()
        error.reason = f"route needs Api-Version-Date >= {inferred.CURRENT_SHAPE_FROM}, request has {version}"
        raise error


def account_filter(query: Query, key: ApiKey, name: str = "account_id") -> str:
    own = account_of(key)
    account = query.text(name) or own
    if account != own:
        error = errors.other_company_filter()
        error.reason = f"{name} {account[:40]!r} is not the key's account {own}"
        raise error
    return account


def own_dispute(book: DisputeBook, key: ApiKey, dispute_id: str) -> DisputeRecord:
    dispute = book.disputes.get(dispute_id)
    if dispute is None or dispute.account_id != account_of(key):
        error = errors.not_found()
        error.reason = f"no dispute {dispute_id[:40]!r} for account {key.company_id}"
        raise error
    return dispute


def bounds(created_after: datetime | None, created_before: datetime | None) -> dict[str, Any]:
    return {
        "lower": (micros(created_after), "\uffff") if created_after else None,
        "upper": (micros(created_before), "") if created_before else None,
    }


def reordered(view: KeysetView, collection: IndexedCollection[Any], sort_value: Callable[[tuple], tuple]) -> KeysetView:
    """The same records keyed by another sort value (`sort_value(key) + (id,)`). Built per
    request from the filtered keys: cost grows with the account's matching records (no record is
    built for it), unlike the created_at order, which walks the index."""
    keys = [sort_value(k) + (k[-1],) for k in view.after(None, len(collection) + 1)]
    return KeysetView(collection, [SortedList(keys)], None, None, view.descending, None)


def cursor(query: Query, name: str, binding: str) -> tuple | None:
    raw = query.params.get(name)
    if raw is None or (raw == "" and inferred.EMPTY_CURSOR_IS_ABSENT):  # `after=`: no cursor
        return None
    try:
        key = decode_cursor(raw, binding)
    except CursorError:
        raise errors.bad_request(name, f"Invalid cursor for {name}") from None
    if not key or not isinstance(key[-1], str) or not all(type(p) in (int, float, str) for p in key):
        raise errors.bad_request(name, f"Invalid cursor for {name}")
    return key


def page_body(view: KeysetView, query: Query, binding: str, default_size: int, render: Callable[[list[tuple]], list[bytes]]) -> bytes:
    first, last = query.int("first"), query.int("last")
    after, before = cursor(query, "after", binding), cursor(query, "before", binding)
    if first is None and last is None:
        first = default_size
    page = relay_slice(view, after, before, first, last)
    page_info = {
        "end_cursor": encode_cursor(page.keys[-1], binding) if page.keys else None,
        "start_cursor": encode_cursor(page.keys[0], binding) if page.keys else None,
        "has_next_page": page.has_next_page,
        "has_previous_page": page.has_previous_page,
    }
    return spliced(b'{"data":[', render(page.keys), b'],"page_info":' + orjson.dumps(page_info) + b"}")


async def write(request: Request, book: DisputeBook, key: ApiKey, answer: Callable[[dict[str, Any]], Response]) -> Response:
    """Read the JSON body (bounded), then answer once per `Idempotency-Key`, with the store the
    case writes use (WhopState.replay/remember)."""
    raw = await files.read_body(request, files.MAX_JSON_BODY)
    header = request.headers.get("idempotency-key")
    if header is None:
        return answer(files.parse_json(raw))
    # imported here, past the keyless write's return: each `from` costs an import look-up per call
    from .routes import _fingerprint  # the case routes import this module
    from .state import Replay

    if not header or len(header) > inferred.IDEMPOTENCY_KEY_MAX:
        raise errors.bad_request("Idempotency-Key", f"Idempotency-Key must be 1 to {inferred.IDEMPOTENCY_KEY_MAX} characters")
    state, now = book.state, book.ctx.now()
    slot = (header, key.key, request.method, request.url.path)
    fingerprint = _fingerprint(raw)
    stored = state.replay(slot, fingerprint, now)
    if stored is not None:
        return Response(stored.body, status_code=stored.status, media_type=JSON_TYPE)
    response = answer(files.parse_json(raw))
    state.remember(slot, Replay(fingerprint, response.status_code, bytes(response.body), now))
    return response


def dispute_response(d: DisputeRecord, book: DisputeBook, state: Any, version: str) -> Response:
    body = current_json(d, book) if versions.is_current(version) else legacy_json(d, book, state.companies)
    return Response(body, media_type=JSON_TYPE)


# -- disputes ----------------------------------------------------------------------------------


ORDERS = ("created_at", "amount", "evidence_due_at")


async def _admit_list(request: Request) -> Headers:
    """A stored list's per-request part (sandbox/answers.py): the `caller` checks, as below."""
    caller(request, "list_disputes")
    return []


async def list_disputes(request: Request) -> Response:
    state, book, key, version = caller(request, "list_disputes")
    return remember(request, _dispute_page(request, state, book, key, version), _admit_list, book.disputes)


def _dispute_page(request: Request, state: Any, book: DisputeBook, key: ApiKey, version: str) -> Response:
    current = versions.is_current(version)
    # a page is cached under the key's account only once its query passed the checks below: the
    # same query string for the same account answers before the query is parsed (a poller's path)
    cached = book.disputes.cached_page(("disputes", current, key.company_id, request.scope["query_string"]))
    if cached is not None:
        return Response(cached, media_type=JSON_TYPE)
    query = Query(request)
    if not current and not query.text("company_id"):
        raise errors.bad_request("company_id", "company_id is required")
    account = account_filter(query, key, "account_id" if current else "company_id")
    page_key = ("disputes", current, account, request.scope["query_string"])
    direction = query.choice("direction", ("asc", "desc"), inferred.DEFAULT_DIRECTION)
    order = (query.choice("order", ORDERS) if current else None) or inferred.DISPUTE_DEFAULT_ORDER
    statuses = query.many("status", DISPUTE_STATUSES) if current else []
    currency = (query.text("currency") or "").lower() or None if current else None
    if currency is not None and (len(currency) != 3 or not currency.isalpha()):
        raise errors.bad_request("currency", "currency must be a three-letter ISO code")
    created_after, created_before = query.time("created_after"), query.time("created_before")
    binding = query_fingerprint("disputes", current, account, statuses, currency, created_after, created_before, order, direction)
    groups = dispute_group_keys(account, statuses, currency)
    view = book.disputes.view(groups, **bounds(created_after, created_before), descending=direction == "desc")
    if order != "created_at":
        view = reordered(view, book.disputes, lambda key: book.sort_value(order, account, key))
    if current:
        render = lambda keys: book.disputes.fragments(keys, "current", lambda d: current_json(d, book))  # noqa: E731
    else:
        render = lambda keys: book.disputes.fragments(keys, "legacy_list", lambda d: legacy_list_item_json(d, state.companies))  # noqa: E731
    size = inferred.CURRENT_PAGE_SIZE if current else inferred.DEFAULT_PAGE_SIZE
    body = page_body(view, query, binding, size, render)
    return Response(book.disputes.cache_page(page_key, body), media_type=JSON_TYPE)


def dispute_group_keys(account: str, statuses: list[str], currency: str | None) -> list[Hashable]:
    if statuses and currency:
        return [(account, s, currency) for s in statuses]
    if statuses:
        return [(account, s) for s in statuses]
    if currency:
        return [(account, "cur", currency)]
    return [(account,)]


async def summary_disputes(request: Request) -> Response:
    state, book, key, version = caller(request, "summary_disputes")
    current_only(version)
    query = Query(request)
    wanted = query.many("groups", ("status", "currency")) or ["status", "currency"]
    statuses = query.many("status", DISPUTE_STATUSES)
    currency = (query.text("currency") or "").lower() or None
    lo_hi = bounds(query.time("created_after"), query.time("created_before"))
    account = query.text("account_id") or account_of(key)
    if account != account_of(key):  # summary maps no 403: another account reads as empty
        return Response(orjson.dumps(_empty_summary(wanted)), media_type=JSON_TYPE)

    def count(groups: list[Hashable]) -> int:
        return book.disputes.view(groups, **lo_hi).count()

    body: dict[str, Any] = {"total": count(dispute_group_keys(account, statuses, currency)), "groups": {}}
    if "status" in wanted:
        body["groups"]["status"] = {
            s: count(dispute_group_keys(account, [s], currency)) if not statuses or s in statuses else 0
            for s in DISPUTE_STATUSES
        }
    if "currency" in wanted:
        counts = {c: count(dispute_group_keys(account, statuses, c)) for c in sorted(book.currencies.get(account, ())) if currency in (None, c)}
        body["groups"]["currency"] = {c: n for c, n in counts.items() if n}
    return Response(orjson.dumps(body), media_type=JSON_TYPE)


def _empty_summary(wanted: list[str]) -> dict[str, Any]:
    groups: dict[str, Any] = {}
    if "status" in wanted:
        groups["status"] = dict.fromkeys(DISPUTE_STATUSES, 0)
    if "currency" in wanted:
        groups["currency"] = {}
    return {"total": 0, "groups": groups}


async def retrieve_dispute(request: Request) -> Response:
    state, book, key, version = caller(request, "retrieve_dispute")
    return dispute_response(own_dispute(book, key, request.path_params["id"]), book, state, version)


def _evidence_changes(book: DisputeBook, d: DisputeRecord, evidence: Any, request: Request, legacy: bool) -> dict[str, Any]:
    """Validated evidence edits → {field: value}; nothing is stored here. The API root (built
    from the request's URL) is read only when documents name files."""
    if evidence is None:
        return {}
    if not isinstance(evidence, dict):
        raise errors.bad_request("evidence", "evidence must be an object")
    allowed = set(TEXT_FIELDS) | set(SLOTS) | (set() if legacy else {"documents"})
    changes: dict[str, Any] = {}
    for name, value in evidence.items():
        param = name if legacy else f"evidence.{name}"
        if name not in allowed:
            raise errors.bad_request(param[:80], f"Unknown evidence field {name[:40]!r}")
        if name in TEXT_FIELDS:
            if value is not None and not isinstance(value, str):
                raise errors.bad_request(param, f"{name} must be a string")
            if isinstance(value, str) and len(value) > inferred.EVIDENCE_TEXT_MAX:
                raise errors.bad_request(param, f"{name} is limited to {inferred.EVIDENCE_TEXT_MAX} characters")
            changes[name] = value
        elif name in SLOTS:
            if isinstance(value, dict) and value.get("platform") is True:
                continue  # sending back Whop's stand-in policy "changes nothing"
            changes[name] = _slot(book, d, param, value)
        else:
            changes["documents"] = files.resolve_documents(book, d.account_id, value, files.api_root(request))
    return changes


def _slot(book: DisputeBook, d: DisputeRecord, param: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise errors.bad_request(param, "An attachment is {\"id\": \"file_…\"} or {\"direct_upload_id\": \"…\"}")
    file_id = value.get("id") or value.get("direct_upload_id")
    file = book.files.get(file_id) if isinstance(file_id, str) else None
    if file is None or file.account_id != d.account_id:
        raise errors.bad_request(param, f"No file {str(file_id)[:60]!r}")
    if file.upload_status != "ready":
        raise errors.bad_request(param, f"File {file.id} is not ready (upload_status {file.upload_status})")
    return file.id


def _apply_evidence(book: DisputeBook, d: DisputeRecord, changes: dict[str, Any]) -> None:
    if not changes:
        return
    old_docs = list(d.documents)

    def mutate(r: DisputeRecord) -> None:
        docs = changes.pop("documents", None)
        r.evidence.update(changes)
        if docs is not None:
            r.documents = docs
            for ref in docs:
                slot = DOCUMENT_SLOT.get(ref.document_type)
                if slot:  # a policy upload overrides the matching fixed slot for this dispute
                    r.evidence[slot] = ref.file_id

    book.change(d, book.ctx.now(), mutate)
    files.release(book, old_docs, {ref.file_id for ref in d.documents} | {v for v in d.evidence.values() if isinstance(v, str)})


def _locked(d: DisputeRecord, status: int) -> errors.WhopError:
    message = f"This dispute's evidence can no longer be changed ({d.locked_reason})."
    if status == 409:
        return conflict(message, f"dispute {d.id} is {d.reported_status}, evidence {d.locked_reason}")
    error = errors.bad_request("evidence", message)
    error.reason = f"dispute {d.id} evidence {d.locked_reason}"
    return error


async def _update(request: Request, legacy: bool) -> Response:
    state, book, key, version = caller(request, "update_dispute")
    if not legacy:
        current_only(version)
    d = own_dispute(book, key, request.path_params["id"])

    def answer(body: dict[str, Any]) -> Response:
        changes = _evidence_changes(book, d, body if legacy else body.get("evidence"), request, legacy=legacy)
        if not d.editable:
            raise _locked(d, inferred.DISPUTE_UPDATE_LOCKED_STATUS)
        _apply_evidence(book, d, changes)
        return dispute_response(d, book, state, version)

    return await write(request, book, key, answer)


async def update_dispute(request: Request) -> Response:
    """`PATCH /disputes/{id}` `{"evidence": {…}}` (current versions)."""
    return await _update(request, legacy=False)


async def update_evidence_legacy(request: Request) -> Response:
    """`POST /disputes/{id}/update_evidence`: the flat legacy body, at every version."""
    return await _update(request, legacy=True)


async def upload_evidence(request: Request) -> Response:
    state, book, key, version = caller(request, "upload_dispute_evidence")
    current_only(version)
    d = own_dispute(book, key, request.path_params["id"])
    root = files.api_root(request)

    def answer(body: dict[str, Any]) -> Response:
        if "documents" not in body:
            raise errors.bad_request("documents", "documents is required")
        docs = files.resolve_documents(book, d.account_id, body["documents"], root)
        if not d.editable:
            raise _locked(d, inferred.DISPUTE_STATE_CONFLICT_STATUS)
        _apply_evidence(book, d, {"documents": docs})
        return dispute_response(d, book, state, version)

    return await write(request, book, key, answer)


def _submit(request: Request, book: DisputeBook, state: Any, key: ApiKey, version: str) -> Callable[[dict[str, Any]], Response]:
    d = own_dispute(book, key, request.path_params["id"])

    def answer(body: dict[str, Any]) -> Response:
        if not d.editable:
            raise _locked(d, inferred.DISPUTE_STATE_CONFLICT_STATUS)
        book.submit(d, book.ctx.now())
        return dispute_response(d, book, state, version)

    return answer


async def submit_dispute(request: Request) -> Response:
    state, book, key, version = caller(request, "submit_dispute")
    current_only(version)
    return await write(request, book, key, _submit(request, book, state, key, version))


async def submit_evidence_legacy(request: Request) -> Response:
    state, book, key, version = caller(request, "submit_dispute")
    return await write(request, book, key, _submit(request, book, state, key, version))


async def accept_dispute(request: Request) -> Response:
    state, book, key, version = caller(request, "accept_dispute")
    current_only(version)
    d = own_dispute(book, key, request.path_params["id"])

    def answer(body: dict[str, Any]) -> Response:
        if d.inquiry:
            error = errors.bad_request("id", "Inquiries cannot be accepted; respond with evidence or let them close.")
            error.reason = f"dispute {d.id} is an inquiry"
            raise error
        if not d.acceptable:
            raise conflict(f"This dispute can no longer be accepted ({d.reported_status}).", f"dispute {d.id} not acceptable")
        book.accept(d, book.ctx.now())
        return dispute_response(d, book, state, version)

    return await write(request, book, key, answer)


# The alert and file handlers reuse the helpers above, so they are imported after them.
from . import dispute_alerts, file_routes  # noqa: E402

BASE = "/api/v1/disputes"
ROUTES = [
    Route(BASE, list_disputes, methods=["GET"]),
    Route(f"{BASE}/summary", summary_disputes, methods=["GET"]),
    Route(BASE + "/{id}/accept", accept_dispute, methods=["POST"]),
    Route(BASE + "/{id}/submit", submit_dispute, methods=["POST"]),
    Route(BASE + "/{id}/upload_evidence", upload_evidence, methods=["POST"]),
    Route(BASE + "/{id}/update_evidence", update_evidence_legacy, methods=["POST"]),
    Route(BASE + "/{id}/submit_evidence", submit_evidence_legacy, methods=["POST"]),
    Route(BASE + "/{id}", retrieve_dispute, methods=["GET"]),
    Route(BASE + "/{id}", update_dispute, methods=["PATCH"]),
    *dispute_alerts.ROUTES,
    *file_routes.ROUTES,
]
