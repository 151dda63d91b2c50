"""Riverty's dispute endpoints: Gen 1 (`/{clientId}/disputes…`, the seed) and Gen 2 (`/disputes…`,
`/attachments…`), both reading one store. Gen 2 routes come first so that `/disputes/…` and
`/attachments/…` are never taken for a Gen 1 client id."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

import numpy as np
import orjson
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...bulk import micros
from ...provider import host_params, sandbox_of
from ...timefmt import UTC
from . import errors, inferred, tables
from .auth import authenticate
from .columns import REASON_IDS, Block, ticket_seq
from .lifecycle import AGENTS, new_guid
from .models import AttachmentRecord, CommentRecord, DisputeRecord, ShopRecord
from .serialize import comment_json, gen1_json, gen2_attachment, gen2_json

JSON_TYPE = "application/json; charset=utf-8"
GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\}?$")
INT = re.compile(r"^\s*[+-]?\d+\s*$")
INT32_MAX = 2**31 - 1
US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
FRACTION = re.compile(r"(\.\d{6})\d+")


# -- parameter binding, ASP.NET style: collect every error, then answer 400 once ------------------


class Binder:
    def __init__(self, request: Request) -> None:
        self.request = request
        self.errors: dict[str, list[str]] = {}

    @cached_property
    def params(self) -> dict[str, str]:
        """Lower-cased name → first value (ASP.NET binds names case-blind); read on first use, so
        that a page served from the cache never parses its query."""
        params: dict[str, str] = {}
        for key, value in self.request.query_params.multi_items():
            params.setdefault(key.lower(), value)
        return params

    def raw(self, name: str) -> str | None:
        """First value of a query parameter; empty counts as absent (ASP.NET binds null)."""
        value = self.params.get(name.lower())
        return value if value is not None and value.strip() else None

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def int32(self, name: str, default: int | None = None, minimum: int | None = None) -> int | None:
        raw = self.raw(name)
        if raw is None:
            return default
        if not INT.match(raw) or not -(2**31) <= int(raw) <= INT32_MAX:
            self.fail(*errors.not_valid(name, raw))
            return default
        value = int(raw)
        if minimum is not None and value < minimum:
            self.fail(name, f"The field {name} must be between {minimum} and {INT32_MAX}.")
        if inferred.MAX_PAGE_SIZE and name == "pageSize" and value > inferred.MAX_PAGE_SIZE:
            self.fail(name, f"The field {name} must be between 1 and {inferred.MAX_PAGE_SIZE}.")
        return value

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        raw = self.raw(name)
        if raw is None:
            return default
        for value in allowed:
            if value.lower() == raw.strip().lower():
                return value
        self.fail(*errors.not_valid(name, raw))
        return default

    def boolean(self, name: str) -> bool | None:
        raw = self.raw(name)
        if raw is None:
            return None
        if raw.strip().lower() in ("true", "false"):
            return raw.strip().lower() == "true"
        self.fail(*errors.not_valid(name, raw))
        return None

    def instant(self, name: str, end: bool) -> datetime | None:
        """A creation-time bound; a date-only `endDate` covers the whole day (exclusive next day)."""
        raw = self.raw(name)
        if raw is None:
            return None
        parsed = parse_date(raw.strip())
        if parsed is None:
            self.fail(*errors.not_valid(name, raw))
            return None
        value, date_only = parsed
        return value + timedelta(days=1) - timedelta(microseconds=1) if end and date_only else value

    def guid(self, name: str, raw: str) -> str | None:
        if not GUID.match(raw):
            self.fail(*errors.not_valid(name, raw))
            return None
        text = raw.strip("{}").replace("-", "").lower()
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def check(self) -> None:
        if self.errors:
            raise errors.validation(self.errors, self.request)


def parse_date(text: str) -> tuple[datetime, bool] | None:
    """ISO date, ISO date-time (any offset, up to 7 fractional digits) or `MM/dd/yyyy[ HH:mm[:ss]]`."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC), True
        match = US_DATE.match(text)
        if match:
            mo, dd, yy, hh, mi, ss = match.groups()
            value = datetime(int(yy), int(mo), int(dd), int(hh or 0), int(mi or 0), int(ss or 0), tzinfo=UTC)
            return value, hh is None
        if "T" in text or " " in text:
            value = datetime.fromisoformat(FRACTION.sub(r"\1", text.replace("Z", "+00:00").replace("z", "+00:00")))
            return (value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)), False
    except (ValueError, OverflowError):
        return None
    return None


def api_base(request: Request) -> str:
    """Absolute base for Gen 2 download links: the real host in host mode, else `…/riverty`."""
    host = request.headers.get("host", "localhost")
    prefix = "" if host_params(request) else "/riverty"
    return f"{request.url.scheme}://{host}{prefix}"


def _json(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type=JSON_TYPE)


# -- the list algorithm shared by both generations -------------------------------------------------

SORT_VALUES: dict[str, Callable[[DisputeRecord], object]] = {
    "CreatedAt": lambda d: d.created_at,
    "StatusId": lambda d: d.status,
    "ReasonCodeId": lambda d: tables.REASONS[d.reason_code][0],
    "TicketNumber": lambda d: d.ticket_number,
    "Deadline": lambda d: d.deadline,
    "UpdatedByConsumerOrRivertyAt": lambda d: d.touched_at,
    "AgentAssignee": lambda d: d.agent.casefold() if d.agent else None,
    "DisputeAmount": lambda d: d.dispute_amount_cents,
    "StageId": lambda d: d.stage,  # internal: Gen 2's StatusId
}


def _sorter(sort_by: str, gen2: bool) -> Callable[[DisputeRecord], tuple]:
    value = SORT_VALUES[sort_by]
    if sort_by == "StatusId" and gen2 and inferred.GEN2_STATUS_SORT_FIELD == "stage":
        value = SORT_VALUES["StageId"]

    def key(d: DisputeRecord) -> tuple:
        v = value(d)
        null_rank = 0 if inferred.NULLS_FIRST_ASC else 2
        return ((null_rank, 0) if v is None else (1, v), d.id)

    return key


@dataclass(frozen=True)
class Scope:
    """The disputes a list covers: Gen 1 a client's, Gen 2 a shop's; optional status/visibility."""

    client_id: int | None = None
    shop: str | None = None
    status: int | None = None
    ui: bool | None = None

    def groups(self) -> list[tuple]:
        if self.client_id is not None:
            return [("c", self.client_id, self.status)] if self.status is not None else [("c", self.client_id)]
        head = ("s", self.shop)
        if self.status is not None:
            head += ("status", self.status)
        if self.ui is not None:
            head += ("ui", self.ui)
        return [head]

    def matches(self, d: DisputeRecord) -> bool:
        return (
            (self.client_id is None or d.client_id == self.client_id)
            and (self.shop is None or d.shop == self.shop)
            and (self.status is None or d.status == self.status)
            and (self.ui is None or d.show_in_merchant_ui == self.ui)
        )

    def mask(self, block: Block) -> np.ndarray | None:
        """The block's disputes in scope that are not built yet (a built record's columns may be
        stale: it is judged as a record instead)."""
        if self.client_id is not None and block.client_id != self.client_id:
            return None
        if self.shop is not None and self.shop not in block.shops:
            return None
        mask = ~block.built
        if self.shop is not None:
            mask &= block.shop == block.shops.index(self.shop)
        if self.status is not None:
            mask &= block.status == self.status
        if self.ui is not None:
            mask &= block.ui == self.ui
        return mask


def _column_sort(state, scope: Scope, start: datetime | None, end: datetime | None, sort_by: str,
                 gen2: bool, descending: bool, offset: int, count: int) -> tuple[list[DisputeRecord], int]:
    """A non-default order over the scope without building every record: records that exist are
    judged as records, the rest by their columns (the same values, as integers), all sorted
    together by (null rank, value, id) with numpy; only the page's records are built."""
    if sort_by == "StatusId" and gen2 and inferred.GEN2_STATUS_SORT_FIELD == "stage":
        sort_by = "StageId"
    lo, hi = (micros(start) if start else None), (micros(end) if end else None)
    agents = sorted({a.casefold() for a in AGENTS} | {d.agent.casefold() for d in state.eager if d.agent})
    agent_rank = {a: r for r, a in enumerate(agents)}
    record_value: Callable[[DisputeRecord], int | None] = {
        "CreatedAt": lambda d: micros(d.created_at),
        "StatusId": lambda d: d.status,
        "StageId": lambda d: d.stage,
        "ReasonCodeId": lambda d: tables.REASONS[d.reason_code][0],
        "TicketNumber": lambda d: ticket_seq(d.ticket_number),
        "Deadline": lambda d: micros(d.deadline) if d.deadline else None,
        "UpdatedByConsumerOrRivertyAt": lambda d: micros(d.touched_at),
        "AgentAssignee": lambda d: agent_rank[d.agent.casefold()] if d.agent else None,
        "DisputeAmount": lambda d: d.dispute_amount_cents,
    }[sort_by]
    nulls, values, ids = [], [], []
    for d in state.eager:
        if scope.matches(d) and (lo is None or micros(d.created_at) >= lo) and (hi is None or micros(d.created_at) <= hi):
            v = record_value(d)
            nulls.append(v is None)
            values.append(0 if v is None else v)
            ids.append(d.id.encode())
    null_parts = [np.array(nulls, dtype=bool)]
    value_parts = [np.array(values, dtype=np.int64)]
    id_parts = [np.array(ids, dtype="S36")]
    agent_codes = np.array([agent_rank[a.casefold()] for a in AGENTS] + [0], dtype=np.int64)  # [-1] → 0
    for block in state.blocks:
        mask = scope.mask(block)
        if mask is None:
            continue
        if lo is not None:
            mask &= block.created >= lo
        if hi is not None:
            mask &= block.created <= hi
        at = np.flatnonzero(mask)
        column = {
            "CreatedAt": lambda b: b.created,
            "StatusId": lambda b: b.status,
            "StageId": lambda b: b.stage,
            "ReasonCodeId": lambda b: REASON_IDS[b.reason],
            "TicketNumber": lambda b: b.seq,
            "Deadline": lambda b: b.deadline,
            "UpdatedByConsumerOrRivertyAt": lambda b: b.touched,
            "AgentAssignee": lambda b: agent_codes[b.agent],
            "DisputeAmount": lambda b: b.disputed,
        }[sort_by](block)[at]
        if sort_by == "Deadline":
            null = block.deadline[at] < 0
        elif sort_by == "AgentAssignee":
            null = block.agent[at] < 0
        else:
            null = np.zeros(len(at), dtype=bool)
        null_parts.append(null)
        value_parts.append(np.where(null, 0, column).astype(np.int64))
        id_parts.append(block.id_bytes[at])
    null = np.concatenate(null_parts)
    rank = np.where(null, 0 if inferred.NULLS_FIRST_ASC else 2, 1)
    id_bytes = np.concatenate(id_parts)
    order = np.lexsort((id_bytes, np.concatenate(value_parts), rank))
    if descending:
        order = order[::-1]
    page = [id_bytes[j].decode() for j in order[offset : offset + count].tolist()]
    return [state.disputes.get(i) for i in page], len(order)


def select(
    state,
    scope: Scope,
    query: str | None,
    start: datetime | None,
    end: datetime | None,
    sort_by: str,
    descending: bool,
    offset: int,
    count: int,
    want_total: bool,
    gen2: bool,
) -> tuple[list[DisputeRecord], int | None]:
    """One page and (if asked) the total. Default order comes straight from the index; `query`
    narrows to a handful of ids first; other orders sort the scope per request (`_column_sort`)."""
    collection = state.disputes

    def keep(d: DisputeRecord) -> bool:
        return (start is None or d.created_at >= start) and (end is None or d.created_at <= end) and scope.matches(d)

    if query is not None:
        ids = state.find_number(query.strip().lower())
        found = [d for d in (collection.get(i) for i in ids) if d is not None and keep(d)]
        found = list({d.id: d for d in found}.values())
        found.sort(key=_sorter(sort_by, gen2), reverse=descending)
        return found[offset : offset + count], len(found)
    if sort_by != "CreatedAt":
        return _column_sort(state, scope, start, end, sort_by, gen2, descending, offset, count)
    view = collection.view(
        scope.groups(),
        lower=(micros(start), "") if start else None,
        upper=(micros(end), "\uffff") if end else None,
        descending=descending,
    )
    records = view.records(view.offset(offset, count))
    return records, view.count() if want_total else None


def _list_params(b: Binder, sorts: tuple[str, ...]) -> dict:
    sort_by = b.choice("sortBy", sorts, inferred.DEFAULT_SORT_BY)
    method = b.choice("sortMethod", ("asc", "desc"), inferred.DEFAULT_SORT_METHOD)
    status = b.int32("status")
    start, end = b.instant("startDate", end=False), b.instant("endDate", end=True)
    size = b.int32("pageSize", inferred.DEFAULT_PAGE_SIZE, minimum=1)
    number = b.int32("pageNumber", inferred.DEFAULT_PAGE_NUMBER, minimum=1)
    return {
        "sort_by": sort_by,
        "descending": method == "desc",
        "status": status,
        "start": start,
        "end": end,
        "size": size,
        "number": number,
        "query": b.raw("query"),
    }


# -- Gen 1 ---------------------------------------------------------------------------------------


def _gen1_client(request: Request, shop: ShopRecord, b: Binder) -> int:
    raw = request.path_params["clientId"]
    if not INT.match(raw) or not -(2**31) <= int(raw) <= INT32_MAX:
        b.fail(*errors.not_valid("clientId", raw))
        b.check()
    if int(raw) != shop.client_id:
        raise errors.forbidden()
    return int(raw)


async def gen1_list(request: Request) -> Response:
    state = sandbox_of(request).state("riverty")
    try:
        shop = authenticate(request, state, "gen1_list")
        b = Binder(request)
        client_id = _gen1_client(request, shop, b)
        page_key = ("gen1", client_id, request.scope["query_string"])
        cached = state.disputes.cached_page(page_key)
        if cached is not None:
            return _json(cached)
        p = _list_params(b, tables.SORT_BY_GEN1)
        b.check()
    except errors.RivertyError as exc:
        return exc.response()
    records, _ = select(
        state, Scope(client_id=client_id, status=p["status"]), p["query"], p["start"], p["end"], p["sort_by"],
        p["descending"], (p["number"] - 1) * p["size"], p["size"], False, False,
    )
    items = state.disputes.record_fragments(records, "gen1", lambda r: gen1_json(r, state))
    return _json(state.disputes.cache_page(page_key, b"[" + b",".join(items) + b"]"))


async def gen1_get(request: Request) -> Response:
    state = sandbox_of(request).state("riverty")
    try:
        shop = authenticate(request, state, "gen1_get")
        b = Binder(request)
        client_id = _gen1_client(request, shop, b)
        dispute_id = b.guid("disputeId", request.path_params["disputeId"])
        b.check()
        dispute = state.disputes.get(dispute_id)
        if dispute is None or dispute.client_id != client_id:
            raise errors.unknown_dispute(state.unknown_dispute_status)
    except errors.RivertyError as exc:
        return exc.response()
    return _json(state.disputes.fragment(dispute, "gen1", lambda r: gen1_json(r, state)))


async def gen1_attachment(request: Request) -> Response:
    """`GET /Complaints/{disputeId}/attachments/{attachmentId}`: the seed's relative `url`."""
    state = sandbox_of(request).state("riverty")
    try:
        shop = authenticate(request, state, "gen1_attachment")
        b = Binder(request)
        dispute_id = b.guid("disputeId", request.path_params["disputeId"])
        attachment_id = b.guid("attachmentId", request.path_params["attachmentId"])
        b.check()
        dispute = state.disputes.get(dispute_id)
        attachment = state.attachments.get(attachment_id)
        if dispute is None or dispute.client_id != shop.client_id or attachment is None or attachment.dispute_id != dispute.id:
            raise errors.problem(404, request)
    except errors.RivertyError as exc:
        return exc.response()
    return _file(attachment)


def _file(a: AttachmentRecord) -> Response:
    content = a.content if a.content is not None else random.Random(a.id).randbytes(a.size)
    return Response(content, media_type=a.mime_type,
                    headers={"Content-Disposition": f'attachment; filename="{a.original_file_name}"'})


# -- Gen 2 ---------------------------------------------------------------------------------------


async def gen2_list(request: Request) -> Response:
    state = sandbox_of(request).state("riverty")
    try:
        shop = authenticate(request, state, "gen2_list")
        page_key = ("gen2", shop.key, api_base(request), request.scope["query_string"])
        cached = state.disputes.cached_page(page_key)
        if cached is not None:  # only a query that passed every check below was cached
            return _json(cached)
        b = Binder(request)
        p = _list_params(b, tables.SORT_BY_GEN2)
        ui = b.boolean("showInMerchantUi")
        b.check()
        for name, own in (("shopId", shop.shop_id), ("countryCode", shop.country_code)):
            given = b.raw(name)  # listed by the intermediate page only: must name the key's own shop
            if given is not None and given.strip().upper() != own:
                raise errors.forbidden()
    except errors.RivertyError as exc:
        return exc.response()
    records, total = select(
        state, Scope(shop=shop.key, status=p["status"], ui=ui), p["query"], p["start"], p["end"], p["sort_by"],
        p["descending"], (p["number"] - 1) * p["size"], p["size"], True, True,
    )
    base = api_base(request)
    items = state.disputes.record_fragments(records, "gen2" + base, lambda r: gen2_json(r, state, base))
    head = b'{"paging":' + orjson.dumps({"total": total, "pageSize": p["size"]}) + b',"results":['
    return _json(state.disputes.cache_page(page_key, head + b",".join(items) + b"]}"))


def _gen2_dispute(request: Request, state, shop: ShopRecord) -> DisputeRecord | None:
    b = Binder(request)
    dispute_id = b.guid("disputeId", request.path_params["disputeId"])
    b.check()
    dispute = state.disputes.get(dispute_id)
    return dispute if dispute is not None and dispute.shop == shop.key else None


async def gen2_get(request: Request) -> Response:
    state = sandbox_of(request).state("riverty")
    try:
        shop = authenticate(request, state, "gen2_get")
        dispute = _gen2_dispute(request, state, shop)
        if dispute is None:
            raise errors.unknown_dispute(state.unknown_dispute_status)
    except errors.RivertyError as exc:
        return exc.response()
    base = api_base(request)
    return _json(state.disputes.fragment(dispute, "gen2" + base, lambda r: gen2_json(r, state, base)))


def _merchant_sees(c: CommentRecord) -> bool:
    return bool(c.visibility & tables.VISIBILITY_MERCHANT) or c.author.get("$type") == "Client"


async def comments_list(request: Request) -> Response:
    state = sandbox_of(request).state("riverty")
    try:
        shop = authenticate(request, state, "comments_list")
        dispute = _gen2_dispute(request, state, shop)
        if dispute is None:
            status = inferred.COMMENTS_UNKNOWN_DISPUTE_STATUS
            raise errors.exception_body(f"Dispute '{request.path_params['disputeId']}' was not found.", status)
    except errors.RivertyError as exc:
        return exc.response()
    base = api_base(request)
    items = [comment_json(c, state, base) for c in dispute.comments if _merchant_sees(c)]
    return _json(b"[" + b",".join(items) + b"]")


def _is_json(request: Request) -> bool:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def comments_add(request: Request) -> Response:
    sandbox = sandbox_of(request)
    state = sandbox.state("riverty")
    try:
        shop = authenticate(request, state, "comments_add")
        b = Binder(request)
        dispute_id = b.guid("disputeId", request.path_params["disputeId"])
        b.check()
        if not _is_json(request):
            raise errors.problem(415, request)
        body, attachment_ids, visibility = _comment_body(await request.body(), b)
        dispute = state.disputes.get(dispute_id)
        if dispute is None or dispute.shop != shop.key:
            raise errors.problem(400, request, f"Dispute with id '{dispute_id}' was not found.")
        files = _comment_files(request, state, shop, dispute, attachment_ids)
    except errors.RivertyError as exc:
        return exc.response()
    now = sandbox.now()
    rng = random.Random(f"{state.ctx.seed}:riverty-comment:{dispute.id}:{len(dispute.comments)}")
    client = state.clients[shop.client_id]
    comment = CommentRecord(new_guid(rng), dispute.id, body, visibility, [a.id for a in files],
                            {"$type": "Client", "clientName": client.name}, now)
    for a in files:
        a.dispute_id = dispute.id
    state.lifecycle.add_comment(dispute, comment, by_consumer=False)
    state.lifecycle.merchant_replied(dispute, now, bool(files))
    return _json(comment_json(comment, state, api_base(request)))


def _comment_body(raw: bytes, b: Binder) -> tuple[str | None, list[str], int]:
    try:
        data = orjson.loads(raw) if raw.strip() else None
    except orjson.JSONDecodeError:
        b.fail("$", "The JSON value could not be converted to AddCommentRequest. Path: $.")
        b.check()
    if not isinstance(data, dict):
        b.fail("request", "The request field is required.")
        b.check()
    fields = {k.lower(): v for k, v in data.items()}  # System.Text.Json in ASP.NET: case-insensitive
    body, attachments, visibility = fields.get("body"), fields.get("attachments"), fields.get("visibility")
    if body is not None and not isinstance(body, str):
        b.fail("$.body", "The JSON value could not be converted to System.String. Path: $.body.")
    if attachments is not None and not (isinstance(attachments, list) and all(isinstance(a, str) for a in attachments)):
        b.fail("$.attachments", "The JSON value could not be converted to System.Collections.Generic.List`1[System.Guid]. Path: $.attachments.")
        attachments = None
    if visibility is not None and (isinstance(visibility, bool) or not isinstance(visibility, int)):
        b.fail("$.visibility", "The JSON value could not be converted to Visibility. Path: $.visibility.")
        visibility = None
    b.check()
    ids = []
    for value in attachments or []:
        guid = b.guid("attachments", value)
        if guid:
            ids.append(guid)
    if isinstance(body, str) and len(body) > inferred.COMMENT_MAX_LENGTH:
        b.fail("body", f"The field body must be a string or array type with a maximum length of '{inferred.COMMENT_MAX_LENGTH}'.")
    if not body and not ids and "attachments" not in b.errors:
        b.fail("body", "The body field is required when no attachments are given.")
    if visibility is not None and not 1 <= visibility <= tables.VISIBILITY_ALL:
        b.fail("visibility", f"The value '{visibility}' is not valid for visibility.")
    b.check()
    return body or None, ids, visibility if visibility is not None else inferred.DEFAULT_VISIBILITY


def _comment_files(request: Request, state, shop: ShopRecord, dispute: DisputeRecord, ids: list[str]) -> list[AttachmentRecord]:
    files = []
    for attachment_id in dict.fromkeys(ids):
        a = state.attachments.get(attachment_id)
        if a is None or a.shop != shop.key or (a.dispute_id is not None and a.dispute_id != dispute.id):
            raise errors.problem(400, request, f"Attachment with id '{attachment_id}' was not found.")
        files.append(a)
    already = sum(
        1 for c in dispute.comments for a in c.attachment_ids if state.attachments[a].source == inferred.ATTACHMENT_SOURCE_SHOP
    )
    if already + len(files) > inferred.MAX_MERCHANT_ATTACHMENTS:
        raise errors.problem(400, request, f"A dispute accepts at most {inferred.MAX_MERCHANT_ATTACHMENTS} attachments from the shop.")
    return files


async def upload(request: Request) -> Response:
    """`POST /attachments`: multipart part `file`; 20 MB; allowed extensions; not yet on a dispute."""
    sandbox = sandbox_of(request)
    state = sandbox.state("riverty")
    try:
        shop = authenticate(request, state, "upload")
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "multipart/form-data":
            raise errors.problem(415, request)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > inferred.MAX_UPLOAD_BYTES + 65536:
            raise errors.problem(413, request, "Request body too large.")
        try:
            form = await request.form(max_files=4, max_fields=16)
        except Exception:  # malformed multipart, of any kind, is a binding failure
            raise errors.validation({"file": ["The file field is required."]}, request) from None
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise errors.validation({"file": ["The file field is required."]}, request)
        content = await file.read()
        if len(content) > inferred.MAX_UPLOAD_BYTES:
            raise errors.problem(413, request, "Request body too large.")
        if not content:
            raise errors.validation({"file": ["The file has no content."]}, request)
        name = (file.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
        ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if ext not in tables.ALLOWED_EXTENSIONS:
            allowed = ", ".join(tables.ALLOWED_EXTENSIONS)
            raise errors.problem(422, request, f"File extension '{ext or name}' is not allowed. Allowed extensions: {allowed}.")
    except errors.RivertyError as exc:
        return exc.response()
    rng = state.upload_rng()
    record = AttachmentRecord(
        id=new_guid(rng), file_name=new_guid(rng), original_file_name=name, created_at=sandbox.now(),
        size=len(content), source=inferred.ATTACHMENT_SOURCE_SHOP, mime_type=tables.MIME_TYPES[ext],
        shop=shop.key, content=content, malware_detected=False,
    )
    state.attachments[record.id] = record
    return _json(gen2_attachment(record, api_base(request)).model_dump_json(exclude_none=True).encode())


async def gen2_download(request: Request) -> Response:
    state = sandbox_of(request).state("riverty")
    try:
        shop = authenticate(request, state, "download")
        b = Binder(request)
        attachment_id = b.guid("attachmentId", request.path_params["attachmentId"])
        b.check()
        a = state.attachments.get(attachment_id)
        if a is None or a.shop != shop.key:
            raise errors.problem(404, request)
    except errors.RivertyError as exc:
        return exc.response()
    return _file(a)


def unknown_path(request: Request) -> errors.RivertyError:
    return errors.problem(404, request)


ROUTES = [
    # Gen 2 first: these literal paths must win over Gen 1's `/{clientId}/disputes`.
    Route("/disputes", gen2_list, methods=["GET"]),
    Route("/disputes/{disputeId}", gen2_get, methods=["GET"]),
    Route("/disputes/{disputeId}/comments", comments_list, methods=["GET"]),
    Route("/disputes/{disputeId}/comments", comments_add, methods=["POST"]),
    Route("/attachments", upload, methods=["POST"]),
    Route("/attachments/{attachmentId}/content", gen2_download, methods=["GET"]),
    Route("/Complaints/{disputeId}/attachments/{attachmentId}", gen1_attachment, methods=["GET"]),
    # Gen 1 (the seed)
    Route("/{clientId}/disputes", gen1_list, methods=["GET"]),
    Route("/{clientId}/disputes/{disputeId}", gen1_get, methods=["GET"]),
]
