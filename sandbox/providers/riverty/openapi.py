"""Riverty's OpenAPI documents: `riverty` (Gen 2, `/disputes…`, `/attachments…`) and
`riverty-gen1` (the seed's `/{clientId}/disputes…` and the relative attachment `url`), from the
wire models the handlers answer with (docs/providers/riverty.md §3-§9).

Operation ids are the docs' page slugs (`get_all_shop_disputes`, `get_complaints`, …). Both
generations read one store; their shapes differ, hence two documents. Every list parameter binds
the ASP.NET way (params.py): names case-blind, an empty value absent.
"""

from __future__ import annotations

from typing import Any

from ...openapi import Body, Document, Param, Reply, Schema
from . import inferred, tables
from .params import INT32_MAX
from .wire import (
    Comment,
    ExceptionBody,
    Gen1Dispute,
    Gen2Attachment,
    Gen2Dispute,
    Gen2List,
    ProblemDetails,
    ValidationProblem,
)

SERVER = "/riverty"
JSON_TYPE = "application/json"
PROBLEM = "application/problem+json"
SECURITY: list[dict[str, list[str]]] = [{"apiKey": []}]
MESSAGE: Schema = {  # the one-key ASP.NET Web API body of 401, 429 and 500 (errors._message)
    "type": "object", "required": [inferred.UNAUTHORIZED_MESSAGE_KEY],
    "properties": {inferred.UNAUTHORIZED_MESSAGE_KEY: {"type": "string"}}, "additionalProperties": False,
}
RETRY_AFTER = {"Retry-After": {"type": "string", "pattern": "^[0-9]+$", "description": "seconds (a sandbox convenience)"}}
# `x-sandbox-rejects-valid`: statuses with which an operation refuses some schema-valid requests, and
# why (what a schema cannot state); a fuzzer's positive-data check should expect them there.
REJECTS_VALID = "x-sandbox-rejects-valid"
FILE_TYPES = sorted({*tables.MIME_TYPES.values(), "application/octet-stream"})

COMMON: dict[int | str, Reply] = {
    401: Reply(MESSAGE, "no or unknown X-Auth-Key"),
    429: Reply(MESSAGE, "rate limited (only when a scenario sets a limit)", headers=RETRY_AFTER),
}
INVALID = Reply(ValidationProblem, "a parameter failed to bind or validate", media_type=PROBLEM)
GUID: Schema = {"type": "string", "format": "uuid", "description": "a GUID (braces and no hyphens are read too)"}


def _int32(name: str, default: int | None = None, minimum: int | None = None, description: str = "") -> Param:
    schema: Schema = {"type": "integer", "format": "int32", "maximum": INT32_MAX,
                      "minimum": minimum if minimum is not None else -(2**31)}
    if name == "pageSize" and inferred.MAX_PAGE_SIZE:
        schema["maximum"] = inferred.MAX_PAGE_SIZE
    if default is not None:
        schema["default"] = default
    return Param(name, "query", schema, description=description)


def _date(name: str, description: str) -> Param:
    return Param(name, "query", {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]},
                 description=description + " (ISO date or date-time; `MM/dd/yyyy[ HH:mm[:ss]]` is read too)")


def list_params(sorts: tuple[str, ...], methods: tuple[str, str]) -> list[Param]:
    """What params.list_params binds (docs/providers/riverty.md §3, §6.1)."""
    return [
        Param("sortBy", "query", {"type": "string", "enum": list(sorts), "default": inferred.DEFAULT_SORT_BY},
              description="case-insensitive"),
        Param("sortMethod", "query", {"type": "string", "enum": list(methods)}, description="case-insensitive; default desc"),
        Param("query", "query", {"type": "string"}, description="a whole invoice or ticket number, case-insensitive"),
        _int32("status", description="complaintStatus id"),
        _date("startDate", "earliest creation time"),
        _date("endDate", "latest creation time; a date covers the whole day"),
        _int32("pageSize", inferred.DEFAULT_PAGE_SIZE, minimum=1),
        _int32("pageNumber", inferred.DEFAULT_PAGE_NUMBER, minimum=1),
    ]


def _document(title: str) -> Document:
    return Document(
        title, "1", servers=[SERVER],
        description="Riverty BNPL Dispute API (https://api.bnpl.riverty.io) as the sandbox serves it.",
        security_schemes={"apiKey": {"type": "apiKey", "in": "header", "name": inferred.AUTH_HEADER,
                                     "description": "one key per webshop and country"}},
        security=SECURITY,
    )


def _file(description: str) -> Reply:
    return Reply({"type": "string", "contentMediaType": "application/octet-stream"}, description,
                 media_type=FILE_TYPES[0],
                 headers={"Content-Disposition": {"type": "string", "pattern": "^attachment; filename="}})


def _media(doc: Document, method: str, path: str, status: int, media: str, body: Body) -> None:
    """One more media type for a response (Document.operation takes one per status)."""
    reply = doc._paths[path][method.lower()]["responses"][str(status)]
    reply.setdefault("content", {})[media] = {"schema": doc.schema(body)}


def _files(doc: Document, method: str, path: str) -> None:
    """A download answers in the stored file's own type."""
    for media in FILE_TYPES[1:]:
        _media(doc, method, path, 200, media, {"type": "string", "contentMediaType": media})


def _rejects(doc: Document, method: str, path: str, status: int, why: str) -> None:
    doc._paths[path][method.lower()].setdefault(REJECTS_VALID, {})[str(status)] = why


def _link(doc: Document, method: str, path: str, status: int, target: str, params: dict[str, str]) -> None:
    reply = doc._paths[path][method.lower()]["responses"][str(status)]
    reply.setdefault("links", {})[target] = {"operationId": target, "parameters": params}


def build_gen2() -> dict[str, Any]:
    doc = _document("Riverty Dispute API, Gen 2 (sandbox)")
    dispute_id = Param("disputeId", "path", GUID)
    doc.operation(
        "GET", "/disputes", operation_id="get_all_shop_disputes", tags=["disputes"],
        params=[*list_params(tables.SORT_BY_GEN2, ("Desc", "Asc")),
                Param("showInMerchantUi", "query", {"type": "boolean"}, description="absent: every dispute"),
                Param("shopId", "query", {"type": "string"}, description="intermediate docs: must be the key's shop"),
                Param("countryCode", "query", {"type": "string"}, description="intermediate docs: must be the key's country")],
        responses={200: Reply(Gen2List), 400: INVALID, 403: Reply(None, "shopId or countryCode of another shop"), **COMMON},
    )
    doc.operation(
        "GET", "/disputes/{disputeId}", operation_id="get_shop_disputes_by_id", tags=["disputes"], params=[dispute_id],
        responses={200: Reply(Gen2Dispute), 204: Reply(None, "no such dispute for this key"), 400: INVALID,
                   404: Reply(ProblemDetails, "no such dispute (when the scenario switches 204 to 404)", media_type=PROBLEM),
                   **COMMON},
    )
    doc.operation(
        "GET", "/disputes/{disputeId}/comments", operation_id="get_all_dispute_comments", tags=["comments"],
        params=[dispute_id],
        responses={200: Reply({"type": "array", "items": doc.schema(Comment)}, "what the merchant may see, oldest first"),
                   400: Reply(ExceptionBody, "no such dispute for this key (a serialised .NET exception)"), **COMMON},
    )
    _media(doc, "GET", "/disputes/{disputeId}/comments", 400, PROBLEM, ValidationProblem)
    doc.operation(
        "POST", "/disputes/{disputeId}/comments", operation_id="add_comment_for_a_dispute", tags=["comments"],
        params=[dispute_id],
        body={"type": "object", "properties": {
            "body": {"type": "string", "maxLength": inferred.COMMENT_MAX_LENGTH, "description": "may be left out when attachments are given"},
            "attachments": {"type": "array", "items": {"type": "string", "format": "uuid"},
                            "description": "ids from POST /attachments"},
            "visibility": {"type": "integer", "minimum": 1, "maximum": tables.VISIBILITY_ALL,
                           "default": inferred.DEFAULT_VISIBILITY,
                           "description": "flags: 1 internal, 2 customer, 4 merchant"},
        }, "anyOf": [{"required": ["body"], "properties": {"body": {"minLength": 1}}},
                     {"required": ["attachments"], "properties": {"attachments": {"minItems": 1}}}]},
        responses={200: Reply(Comment),
                   400: Reply({"anyOf": [doc.schema(ProblemDetails), doc.schema(ValidationProblem)]},
                              "invalid body, unknown dispute or attachment", media_type=PROBLEM),
                   415: Reply(ProblemDetails, "not a JSON body", media_type=PROBLEM), **COMMON},
    )
    extensions = ", ".join(tables.ALLOWED_EXTENSIONS)
    doc.operation(
        "POST", "/attachments", operation_id="upload_a_file", tags=["attachments"],
        summary=f"Upload evidence ({inferred.MAX_UPLOAD_BYTES // 2**20} MB; {extensions}); a comment attaches it",
        body={"type": "object", "required": ["file"],
              "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream"}}},
        body_media_type="multipart/form-data",
        responses={200: Reply(Gen2Attachment), 400: INVALID,
                   413: Reply(ProblemDetails, "over 20 MB, or the sandbox's upload store is full", media_type=PROBLEM),
                   415: Reply(ProblemDetails, "not multipart/form-data", media_type=PROBLEM),
                   422: Reply(ProblemDetails, "file extension not allowed", media_type=PROBLEM), **COMMON},
    )
    doc.operation(
        "GET", "/attachments/{attachmentId}/content", operation_id="download_attachment", tags=["attachments"],
        summary="The file at a Gen 2 attachment's `originalFileUrl` (inferred route)",
        params=[Param("attachmentId", "path", GUID)],
        responses={200: _file("the file's bytes"), 400: INVALID,
                   404: Reply(ProblemDetails, "no such file for this key", media_type=PROBLEM), **COMMON},
    )
    _files(doc, "GET", "/attachments/{attachmentId}/content")
    _rejects(doc, "GET", "/disputes/{disputeId}/comments", 400, "the dispute must be the key's (documented 400)")
    _rejects(doc, "POST", "/disputes/{disputeId}/comments", 400,
             "the dispute and each attachment must be the key's; at most 5 shop attachments a dispute")
    _rejects(doc, "POST", "/attachments", 422, "the file name must end in an allowed extension")
    _rejects(doc, "POST", "/attachments", 400, "the file must have content")
    _link(doc, "GET", "/disputes", 200, "get_shop_disputes_by_id", {"disputeId": "$response.body#/results/0/id"})
    _link(doc, "GET", "/disputes", 200, "get_all_dispute_comments", {"disputeId": "$response.body#/results/0/id"})
    _link(doc, "GET", "/disputes/{disputeId}", 200, "get_all_dispute_comments", {"disputeId": "$request.path.disputeId"})
    _link(doc, "POST", "/disputes/{disputeId}/comments", 200, "get_all_dispute_comments",
          {"disputeId": "$request.path.disputeId"})
    _link(doc, "POST", "/attachments", 200, "download_attachment", {"attachmentId": "$response.body#/id"})
    return _examples(doc.to_json())


def build_gen1() -> dict[str, Any]:
    doc = _document("Riverty Dispute API, Gen 1 complaints (sandbox)")
    client_id = Param("clientId", "path", {"type": "integer", "format": "int32", "minimum": -(2**31), "maximum": INT32_MAX},
                      description="must be the key's client")
    other = Reply(None, "another client's clientId")
    doc.operation(
        "GET", "/{clientId}/disputes", operation_id="get_complaints", tags=["disputes"],
        params=[client_id, *list_params(tables.SORT_BY_GEN1, ("desc", "asc"))],
        responses={200: Reply({"type": "array", "items": doc.schema(Gen1Dispute)}), 400: INVALID, 403: other, **COMMON},
    )
    doc.operation(
        "GET", "/{clientId}/disputes/{disputeId}", operation_id="retrieve_specific_complaint", tags=["disputes"],
        params=[client_id, Param("disputeId", "path", GUID)],
        responses={200: Reply(Gen1Dispute), 204: Reply(None, "no such dispute for this client"), 400: INVALID,
                   403: other,
                   404: Reply(ProblemDetails, "no such dispute (when the scenario switches 204 to 404)", media_type=PROBLEM),
                   **COMMON},
    )
    path = "/Complaints/{disputeId}/attachments/{attachmentId}"
    doc.operation(
        "GET", path, operation_id="get_complaint_attachment", tags=["attachments"],
        summary="A Gen 1 attachment's relative `url` (also served from the sandbox root, so the relative link resolves)",
        params=[Param("disputeId", "path", GUID), Param("attachmentId", "path", GUID)],
        responses={200: _file("the file's bytes"), 400: INVALID,
                   404: Reply(ProblemDetails, "no such file on a dispute of this key's client", media_type=PROBLEM),
                   **COMMON},
    )
    _files(doc, "GET", path)
    _link(doc, "GET", "/{clientId}/disputes", 200, "retrieve_specific_complaint",
          {"clientId": "$request.path.clientId", "disputeId": "$response.body#/0/id"})
    _link(doc, "GET", "/{clientId}/disputes/{disputeId}", 200, "get_complaint_attachment",
          {"disputeId": "$request.path.disputeId", "attachmentId": "$response.body#/attachments/0/id"})
    return _examples(doc.to_json())


# -- targeted requests for the contract test (`x-sandbox-examples`, `x-sandbox-not-fuzzed`; see
# sandbox/openapi.py): the default scenario's client 1 (ABC), its DE key and its dispute with an
# attachment, so that each declared status is one the sandbox really answers.
DISPUTE = {"disputeId": "b87a9941-5d89-46a7-8890-3d1beec40def"}  # ABC's, RTY000002240 DE, one attachment
CLIENT = {"clientId": "$tenant:riverty"}
NOT_A_GUID = "not-a-guid"
BAD_ID = {"disputeId": NOT_A_GUID}
# A multipart body written out: the contract test's client names a file part after its field
# (`file`, no extension: a 422), so the part and its boundary are spelled here.
UPLOAD = {"body": '--sbx\r\nContent-Disposition: form-data; name="file"; filename="receipt.pdf"\r\n'
                  'Content-Type: application/pdf\r\n\r\n%PDF-1.4 receipt\r\n--sbx--\r\n',
          "media_type": "text/plain", "headers": {"Content-Type": "multipart/form-data; boundary=sbx"}}
UPLOADED = {"operation_id": "upload_a_file", **UPLOAD, "status": 200}
COMMENT = {"body": {"body": "Tracking shows delivery on the 3rd."}, "media_type": JSON_TYPE}
NOT_FUZZED = {
    404: "only under a scenario whose rules switch the unknown dispute's 204 to 404 (the default answers 204)",
    413: "needs a body over 20 MB (or a full upload store), too large to carry in this document; "
         "tests/riverty cover it",
}
# operationId → its examples past 401 (no key) and 429 (forced), which every operation gets
EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "get_all_shop_disputes": [{"status": 200}, {"query": {"pageSize": "many"}, "status": 400}],
    "get_shop_disputes_by_id": [{"path_parameters": DISPUTE, "status": 200},
                                {"path_parameters": BAD_ID, "status": 400}],
    "get_all_dispute_comments": [{"path_parameters": DISPUTE, "status": 200}],
    "add_comment_for_a_dispute": [{"path_parameters": DISPUTE, **COMMENT, "status": 200},
                                  {"path_parameters": DISPUTE, "body": "not json", "media_type": "text/plain",
                                   "status": 415}],
    "upload_a_file": [UPLOADED, {"body": "not multipart", "media_type": "text/plain", "status": 415}],
    "download_attachment": [UPLOADED, {"path_parameters": {"attachmentId": "$last#/id"}, "status": 200},
                            {"path_parameters": {"attachmentId": NOT_A_GUID}, "status": 400}],
    "get_complaints": [{"path_parameters": CLIENT, "status": 200}],
    "retrieve_specific_complaint": [{"path_parameters": {**CLIENT, **DISPUTE}, "status": 200},
                                    {"path_parameters": {**CLIENT, **BAD_ID}, "status": 400}],
    "get_complaint_attachment": [
        {"operation_id": "retrieve_specific_complaint", "path_parameters": {**CLIENT, **DISPUTE}, "status": 200},
        {"path_parameters": {**DISPUTE, "attachmentId": "$last#/attachments/0/id"}, "status": 200},
        {"path_parameters": {**DISPUTE, "attachmentId": NOT_A_GUID}, "status": 400}],
}


def _examples(doc: dict[str, Any]) -> dict[str, Any]:
    """Each operation: 401 without a key and a forced 429 (on its first self-contained example), then
    EXAMPLES; NOT_FUZZED marks what no request here produces."""
    for item in doc["paths"].values():
        for op in item.values():
            own = EXAMPLES[op["operationId"]]
            probe = next(e for e in own if "operation_id" not in e and "$last" not in str(e))  # stands alone
            op["x-sandbox-examples"] = [{**probe, "anonymous": True, "status": 401},
                                        {**probe, "fault": True, "status": 429}, *own]
            for code, why in NOT_FUZZED.items():
                if str(code) in op["responses"]:
                    op["responses"][str(code)]["x-sandbox-not-fuzzed"] = why
    return doc


def openapi_control(doc: Document) -> None:
    """The fake-only `/_sandbox/riverty/…` controls (control.py)."""
    from .control import ACTIONS, OpenDispute

    error = Reply({"type": "object", "required": ["error"], "properties": {
        "error": {"type": "string"}, "problems": {"type": "array", "items": {"type": "string"}}}})
    view = Reply({"type": "object", "required": ["dispute", "stage"], "properties": {
        "dispute": doc.schema(Gen1Dispute), "stage": {"type": "object"}, "rfiParty": {"type": "string"},
        "decision": {"type": ["string", "null"]}, "deadline": {"type": ["string", "null"]},
        "ticketNumber": {"type": "string"}, "shopId": {"type": "string"}, "comments": {"type": "integer"}}})
    dispute = Param("id", "path", GUID)
    doc.operation("POST", "/riverty/disputes", operation_id="riverty_open_dispute", tags=["riverty"],
                  summary="A consumer opens a dispute now (sends DisputeNotificationEvent)", body=OpenDispute,
                  body_required=False, responses={201: view, 400: error, 404: error, 409: error},
                  extensions={"x-sandbox-examples": [  # the scenario's dispute id again: a conflict
                      {"body": {"id": DISPUTE["disputeId"]}, "media_type": JSON_TYPE, "status": 409},
                      # a client the scenario lacks (fuzzing found it only by luck: its strings come
                      # from the constants of the modules loaded so far)
                      {"body": {"client_id": 999999}, "media_type": JSON_TYPE, "status": 404}]})
    doc.operation("GET", "/riverty/disputes/{id}", operation_id="riverty_dispute", tags=["riverty"], params=[dispute],
                  responses={200: view, 404: error},
                  extensions={"x-sandbox-examples": [{"path_parameters": {"id": DISPUTE["disputeId"]}, "status": 200}]})
    doc.operation("POST", "/riverty/disputes/{id}/{action}", operation_id="riverty_dispute_action", tags=["riverty"],
                  params=[dispute, Param("action", "path", {"type": "string", "enum": list(ACTIONS)})],
                  body={"type": "object"}, body_required=False, responses={200: view, 400: error, 404: error},
                  extensions={"x-sandbox-examples": [
                      {"path_parameters": {"id": DISPUTE["disputeId"], "action": action}, "body": body,
                       "media_type": JSON_TYPE, "status": status}
                      for action, body, status in (("customer_comment", {"body": "It still does not work."}, 200),
                                                   ("set_stage", {"stage": 9}, 400))]})
