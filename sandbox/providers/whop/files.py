"""Evidence files: `POST /files` hands back an upload URL on the sandbox itself; the bytes PUT there
make the file `ready`; disputes attach it by id, or take the bytes base64-encoded in JSON.

Limits (docs/providers/whop-disputes.md "Evidence files"): up to 10 documents, 10 MB each, 25 MB
in all, content types PDF, JSON, JPEG, PNG, WebP. Stored bytes are bounded per scenario
(inferred.FILES_MAX_TOTAL_BYTES), so a client cannot grow the sandbox's memory without end.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ...access import front_door_body
from ...generate import random_id, rng_for
from ...params import is_ascii_digits
from . import errors, inferred
from .dispute_models import CONTENT_TYPES, DOCUMENT_TYPES, DocumentRef, FileRecord
from .models import new_id

if TYPE_CHECKING:
    from .disputes import DisputeBook

# JSON bodies carry at most 25 MB of documents as base64 (4/3 larger) plus the other fields.
MAX_JSON_BODY = inferred.DOCUMENTS_MAX_TOTAL * 4 // 3 + 1024 * 1024


def invalid(param: str, message: str, reason: str | None = None) -> errors.WhopError:
    error = errors.bad_request(param, message)
    error.reason = reason or message
    return error


async def read_body(request: Request, limit: int, param: str = "body") -> bytes:
    """The request body, refused in Whop's shape as soon as it passes `limit` (never buffered whole)."""
    declared = request.headers.get("content-length")
    if declared and is_ascii_digits(declared) and int(declared) > limit:
        raise invalid(param, f"Request body is larger than {limit} bytes")
    read = front_door_body(request)  # the front door's, when it read one
    if read is not None:
        if len(read) > limit:
            raise invalid(param, f"Request body is larger than {limit} bytes")
        return read
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise invalid(param, f"Request body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(raw: bytes) -> dict[str, Any]:
    """A JSON object body; an empty body reads as `{}` (calls with no body send none)."""
    if not raw.strip():
        return {}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        error = errors.WhopError(400, "invalid_request_error", "The request body is not valid JSON.", code="invalid_json", param=None)
        error.reason = "body is not JSON"
        raise error from None
    if not isinstance(data, dict):
        raise invalid("body", "The request body must be a JSON object.")
    return data


def sniff(data: bytes) -> str | None:
    """The content type the bytes are, among the allowed ones (magic numbers), else None."""
    if data.startswith(b"%PDF"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.lstrip()[:1] in (b"{", b"["):
        try:
            orjson.loads(data)
        except orjson.JSONDecodeError:
            return None
        return "application/json"
    return None


def api_root(request: Request) -> str:
    """`http://host/whop` in path mode, `https://api.whop.com` in host mode: where `/api/v1` lives."""
    url = str(request.url.replace(query=""))
    return url.split("/api/v1/", 1)[0]


def create_file(book: DisputeBook, account_id: str, body: dict[str, Any], root: str, inline: bool = False) -> FileRecord:
    filename = body.get("filename")
    if not isinstance(filename, str) or not filename.strip():
        raise invalid("filename", "filename is required")
    if len(filename) > 255:
        raise invalid("filename", "filename must be at most 255 characters")
    size = body.get("byte_size")
    if isinstance(size, float) and size.is_integer() and 0 <= size <= inferred.FILE_MAX_BYTES:
        size = int(size)  # JSON has one number type: 1024.0 is the integer 1024
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        raise invalid("byte_size", "byte_size must be a non-negative integer")
    if isinstance(size, int) and size > inferred.FILE_MAX_BYTES:
        raise invalid("byte_size", f"Files are limited to {inferred.FILE_MAX_BYTES} bytes")
    if body.get("multipart") not in (None, False) and not inferred.MULTIPART_UPLOADS:
        raise invalid("multipart", "Multipart uploads need files larger than 5MB; evidence documents are at most 10MB: use a single part")
    visibility = body.get("visibility") or "private"
    if visibility not in ("public", "private"):
        raise invalid("visibility", "visibility must be public or private")
    if len(book.files) >= inferred.FILES_MAX_COUNT:
        raise invalid("filename", "The sandbox holds no more files in this scenario", "file count limit reached")
    guessed = mimetypes.guess_type(filename)[0]
    file = FileRecord(
        id=_new_id(book),
        account_id=account_id,
        filename=filename,
        visibility=visibility,
        created_at=book.ctx.now(),
        inline=inline,
        upload_token=random_id(rng_for(book.ctx.seed, "whop-file-token", book.file_seq), "", 22),
        declared_size=size,
        content_type=guessed,
        base_url=root,
    )
    book.files[file.id] = file
    return file


def _new_id(book: DisputeBook) -> str:
    """Deterministic from the seed and the count of files made so far (same run, same ids)."""
    book.file_seq += 1
    return new_id(rng_for(book.ctx.seed, "whop-file", book.file_seq), "file_")


def store_bytes(book: DisputeBook, file: FileRecord, data: bytes, content_type: str | None) -> None:
    """Land the bytes: the file is `ready` (or `failed` when empty)."""
    previous = len(file.data) if file.data is not None else 0
    if book.file_bytes - previous + len(data) > inferred.FILES_MAX_TOTAL_BYTES:
        raise invalid("file", "The sandbox's file storage for this scenario is full", "stored bytes limit reached")
    book.file_bytes += len(data) - previous
    file.data = data
    declared = (content_type or "").split(";")[0].strip().lower()
    file.content_type = sniff(data) or (declared if declared in CONTENT_TYPES else None) or declared or file.content_type
    file.upload_status = "ready" if data else "failed"


def resolve_documents(book: DisputeBook, account_id: str, items: Any, root: str) -> list[DocumentRef]:
    """`documents[]` items (`{document_type, id | direct_upload_id | file}`) → references, every
    limit checked before anything is stored (a refusal leaves no file behind)."""
    if not isinstance(items, list):
        raise invalid("documents", "documents must be an array")
    if len(items) > inferred.DOCUMENTS_MAX:
        raise invalid("documents", f"At most {inferred.DOCUMENTS_MAX} documents can be attached")
    planned: list[tuple[str, FileRecord | bytes, str]] = []
    total = 0
    for i, item in enumerate(items):
        param = f"documents[{i}]"
        if not isinstance(item, dict):
            raise invalid(param, "Each document must be an object")
        kind = item.get("document_type")
        if kind not in DOCUMENT_TYPES:
            raise invalid(f"{param}.document_type", f"document_type must be one of {', '.join(DOCUMENT_TYPES)}")
        given = [k for k in ("id", "direct_upload_id", "file") if item.get(k) is not None]
        if len(given) != 1:
            raise invalid(param, "Give exactly one of id, direct_upload_id or file")
        if given[0] == "file":
            raw = item["file"]
            if not isinstance(raw, str):
                raise invalid(f"{param}.file", "file must be base64-encoded bytes")
            try:
                data = base64.b64decode(raw, validate=True)
            except (binascii.Error, ValueError):
                raise invalid(f"{param}.file", "file must be base64-encoded bytes") from None
            content_type = sniff(data)
            size = len(data)
            payload: FileRecord | bytes = data
        else:
            ref = item[given[0]]
            found = book.files.get(ref) if isinstance(ref, str) else None
            if found is None or found.account_id != account_id:
                raise invalid(f"{param}.{given[0]}", f"No file {str(ref)[:60]!r}")
            if found.upload_status != "ready" or found.data is None:
                raise invalid(f"{param}.{given[0]}", f"File {found.id} is not ready (upload_status {found.upload_status})")
            content_type, size, payload = found.content_type, len(found.data), found
        if content_type not in CONTENT_TYPES:
            raise invalid(f"{param}", f"Unsupported file type {content_type or 'unknown'}; allowed: {', '.join(CONTENT_TYPES)}")
        if size > inferred.FILE_MAX_BYTES:
            raise invalid(param, f"Each document is limited to {inferred.FILE_MAX_BYTES // (1024 * 1024)}MB")
        total += size
        if total > inferred.DOCUMENTS_MAX_TOTAL:
            raise invalid("documents", f"Documents are limited to {inferred.DOCUMENTS_MAX_TOTAL // (1024 * 1024)}MB in total")
        planned.append((kind, payload, content_type))
    inline = sum(len(p) for _, p, _ in planned if isinstance(p, bytes))
    if book.file_bytes + inline > inferred.FILES_MAX_TOTAL_BYTES:
        raise invalid("documents", "The sandbox's file storage for this scenario is full", "stored bytes limit reached")
    refs = []
    for kind, payload, content_type in planned:
        if isinstance(payload, bytes):
            ext = mimetypes.guess_extension(content_type) or ""
            file = create_file(book, account_id, {"filename": f"{kind}{ext}"}, root, inline=True)
            store_bytes(book, file, payload, content_type)
            payload = file
        refs.append(DocumentRef(payload.id, kind))
    return refs


def release(book: DisputeBook, refs: list[DocumentRef], keep: set[str]) -> None:
    """Drop the bytes of inline documents no longer attached (files created through POST /files
    stay: the client owns them), so replaced evidence does not pile up."""
    for ref in refs:
        file = book.files.get(ref.file_id)
        if file is not None and ref.file_id not in keep and file.inline:
            book.file_bytes -= len(file.data or b"")
            del book.files[ref.file_id]


def upload_response(file: FileRecord) -> Response:
    return Response(status_code=200, headers={"ETag": f'"{file.id}"'})
