"""`POST /files`, `GET /files/{id}` (whop-sdk 2.6.0 `client.files`) and the presigned upload URL
that `POST /files` hands back, served by the sandbox itself (`PUT`/`GET /_uploads/{id}?token=`).
Sources: docs/providers/whop-disputes.md "Evidence files"."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ...routing import Route
from . import errors, files, inferred
from .dispute_routes import JSON_TYPE, account_of, book_of, caller, current_only, write
from .dispute_serialize import file_json


async def create_file(request: Request) -> Response:
    state, book, key, version = caller(request, "create_file")
    current_only(version)
    root = files.api_root(request)

    def answer(body: dict) -> Response:
        file = files.create_file(book, account_of(key), body, root)
        return Response(file_json(file, with_upload=True), status_code=201, media_type=JSON_TYPE)

    return await write(request, book, key, answer)


async def retrieve_file(request: Request) -> Response:
    state, book, key, version = caller(request, "retrieve_file")
    current_only(version)
    file = book.files.get(request.path_params["id"])
    if file is None or file.account_id != account_of(key):
        raise errors.not_found()
    return Response(file_json(file, with_upload=True), media_type=JSON_TYPE)


def _upload_target(request: Request):
    state, book = book_of(request)
    file = book.files.get(request.path_params["id"])
    if file is None or request.query_params.get("token") != file.upload_token:
        error = errors.not_found()
        error.reason = "unknown upload URL or wrong token"
        raise error
    return book, file


async def put_upload(request: Request) -> Response:
    """The presigned PUT: bounded at the per-file limit; the file becomes `ready`."""
    book, file = _upload_target(request)
    if file.upload_status == "ready":
        raise errors.conflict(f"File {file.id} has been uploaded already.")
    data = await files.read_body(request, inferred.FILE_MAX_BYTES, "file")
    files.store_bytes(book, file, data, request.headers.get("content-type"))
    return files.upload_response(file)


async def get_upload(request: Request) -> Response:
    book, file = _upload_target(request)
    if file.data is None:
        raise errors.not_found()
    return Response(file.data, media_type=file.content_type or "application/octet-stream")


ROUTES: list[BaseRoute] = [
    Route("/api/v1/files", create_file, methods=["POST"]),
    Route("/api/v1/files/{id}", retrieve_file, methods=["GET"]),
    Route(inferred.UPLOAD_PATH + "/{id}", put_upload, methods=["PUT"]),
    Route(inferred.UPLOAD_PATH + "/{id}", get_upload, methods=["GET"]),
]
