"""Files: Gen 2 `POST /attachments` (multipart part `file`, 20 MB, the allowed extensions; not on
a dispute until a comment names it), downloads at Gen 2's `originalFileUrl` and at Gen 1's
relative `url` (`/Complaints/{disputeId}/attachments/{attachmentId}`), docs/providers/riverty.md §5,
§6.5 and §6.6."""

from __future__ import annotations

import random
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from . import errors, inferred, tables
from .auth import authenticate
from .lifecycle import new_guid
from .models import AttachmentRecord
from .params import Binder
from .serialize import gen2_attachment
from .state import state_of
from .web import api_base, json_response


async def gen1_attachment(request: Request) -> Response:
    """`GET /Complaints/{disputeId}/attachments/{attachmentId}`: the seed's relative `url`."""
    state = state_of(request)
    shop = authenticate(request, state, "gen1_attachment")
    b = Binder(request)
    dispute_id = b.guid("disputeId", request.path_params["disputeId"])
    attachment_id = b.guid("attachmentId", request.path_params["attachmentId"])
    b.check()
    dispute = state.disputes.get(dispute_id) if dispute_id else None
    attachment = state.attachments.get(attachment_id) if attachment_id else None
    if dispute is None or dispute.client_id != shop.client_id or attachment is None or attachment.dispute_id != dispute.id:
        raise errors.problem(404, request)
    return file_response(attachment)


async def gen2_download(request: Request) -> Response:
    state = state_of(request)
    shop = authenticate(request, state, "download")
    b = Binder(request)
    attachment_id = b.guid("attachmentId", request.path_params["attachmentId"])
    b.check()
    a = state.attachments.get(attachment_id) if attachment_id else None
    if a is None or a.shop != shop.key:
        raise errors.problem(404, request)
    return file_response(a)


def file_response(a: AttachmentRecord) -> Response:
    content = a.content if a.content is not None else random.Random(a.id).randbytes(a.size)
    return Response(content, media_type=a.mime_type,
                    headers={"Content-Disposition": content_disposition(a.original_file_name)})


def content_disposition(name: str) -> str:
    """`attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 with RFC 5987's encoding, as
    ASP.NET Core writes it for a file result): the quoted name in ASCII with `"` and `\\` escaped,
    the exact name percent-encoded. Control characters never reach the header."""
    name = "".join(c for c in name if c.isprintable())
    fallback = "".join(c if " " <= c <= "~" else inferred.DOWNLOAD_FALLBACK_CHAR for c in name)
    fallback = fallback.replace("\\", "\\\\").replace('"', '\\"')
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += "; filename*=UTF-8''" + quote(name, safe="")
    return header


async def upload(request: Request) -> Response:
    """`POST /attachments`: multipart part `file`; 20 MB; allowed extensions; not yet on a dispute."""
    state = state_of(request)
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
    full = state.uploads_full(len(content))
    if full:
        raise errors.problem(413, request, "Request body too large.", reason=full)
    rng = state.upload_rng(len(content))
    record = AttachmentRecord(
        id=new_guid(rng), file_name=new_guid(rng), original_file_name=name, created_at=state.ctx.now(),
        size=len(content), source=inferred.ATTACHMENT_SOURCE_SHOP, mime_type=tables.MIME_TYPES[ext],
        shop=shop.key, content=content, malware_detected=False,
    )
    state.attachments[record.id] = record
    return json_response(gen2_attachment(record, api_base(request)).model_dump_json(exclude_none=True).encode())
