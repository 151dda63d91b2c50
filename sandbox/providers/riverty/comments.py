"""Gen 2 comments: `GET /disputes/{id}/comments` (a bare array, what the merchant may see) and
`POST /disputes/{id}/comments` (body up to 10000 characters, visibility flags, uploaded files by
id), docs/providers/riverty.md §6.4. A shop comment may answer a request for information
or appeal a decision (lifecycle.py)."""

from __future__ import annotations

import random

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ...access import request_body
from . import errors, inferred, tables
from .auth import authenticate
from .gen2 import shop_dispute
from .lifecycle import new_guid
from .models import AttachmentRecord, CommentRecord, DisputeRecord, ShopRecord
from .params import Binder
from .serialize import comment_json
from .state import RivertyState, state_of
from .web import api_base, json_response


def _merchant_sees(c: CommentRecord) -> bool:
    return bool(c.visibility & tables.VISIBILITY_MERCHANT) or c.author.get("$type") == "Client"


async def comments_list(request: Request) -> Response:
    state = state_of(request)
    shop = authenticate(request, state, "comments_list")
    dispute = shop_dispute(request, state, shop)
    if dispute is None:
        status = inferred.COMMENTS_UNKNOWN_DISPUTE_STATUS
        raise errors.exception_body(f"Dispute '{request.path_params['disputeId']}' was not found.", status)
    base = api_base(request)
    items = [comment_json(c, state, base) for c in dispute.comments if _merchant_sees(c)]
    return json_response(b"[" + b",".join(items) + b"]")


def _is_json(request: Request) -> bool:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def comments_add(request: Request) -> Response:
    state = state_of(request)
    shop = authenticate(request, state, "comments_add")
    b = Binder(request)
    dispute_id = b.guid("disputeId", request.path_params["disputeId"])
    b.check()
    if not _is_json(request):
        raise errors.problem(415, request)
    body, attachment_ids, visibility = _comment_body(await request_body(request), b)
    dispute = state.disputes.get(dispute_id) if dispute_id else None
    if dispute is None or dispute.shop != shop.key:
        raise errors.problem(400, request, f"Dispute with id '{dispute_id}' was not found.")
    files = _comment_files(request, state, shop, dispute, attachment_ids)
    now = state.ctx.now()
    rng = random.Random(f"{state.ctx.seed}:riverty-comment:{dispute.id}:{len(dispute.comments)}")
    client = state.clients[shop.client_id]
    comment = CommentRecord(new_guid(rng), dispute.id, body, visibility, [a.id for a in files],
                            {"$type": "Client", "clientName": client.name}, now)
    for a in files:
        a.dispute_id = dispute.id
    state.lifecycle.add_comment(dispute, comment, by_consumer=False)
    state.lifecycle.merchant_replied(dispute, now, bool(files))
    return json_response(comment_json(comment, state, api_base(request)))


def _comment_body(raw: bytes, b: Binder) -> tuple[str | None, list[str], int]:
    try:
        data = orjson.loads(raw) if raw.strip() else None
    except orjson.JSONDecodeError:
        b.stop("$", "The JSON value could not be converted to AddCommentRequest. Path: $.")
    if not isinstance(data, dict):
        b.stop("request", "The request field is required.")
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


def _comment_files(request: Request, state: RivertyState, shop: ShopRecord, dispute: DisputeRecord, ids: list[str]) -> list[AttachmentRecord]:
    files = []
    for attachment_id in dict.fromkeys(ids):
        a = state.attachments.get(attachment_id)
        if a is None or a.shop != shop.key or (a.dispute_id is not None and a.dispute_id != dispute.id):
            raise errors.problem(400, request, f"Attachment with id '{attachment_id}' was not found.")
        files.append(a)
    if dispute.shop_files + len(files) > inferred.MAX_MERCHANT_ATTACHMENTS:  # counted as comments came
        raise errors.problem(400, request, f"A dispute accepts at most {inferred.MAX_MERCHANT_ATTACHMENTS} attachments from the shop.")
    return files


