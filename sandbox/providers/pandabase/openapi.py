"""Pandabase Store API v2 as the sandbox serves it, as an OpenAPI 3.1 document (issue 20): cases,
disputes and webhook endpoints under `/stores/{storeId}`, Bearer `sk_…` with one scope per
operation, the `{ok:false,error}` body on every refusal and the headers every reply carries.

Response schemas are the wire models `serialize.py` builds replies through; request bodies and
parameters are written out here from the same constants the handlers check (`routes.py`,
`webhook_api.py`, `inferred.py`). Names follow Pandabase's published spec (`bearerAuth`, the
trailing-slash list paths; docs/providers/pandabase.md); it has no operationIds, so these are ours.
"""

from __future__ import annotations

from typing import Any, Literal

from ...openapi import Document, Param, Reply, Schema
from . import inferred, webhook_api
from .models import CASE_PRIORITIES, CASE_STATUSES, DISPUTE_STATUSES, SETTABLE_STATUSES, SIGNATURE_VERSIONS
from .routes import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_BODY, MAX_EVIDENCE
from .webhooks import EVENT_TYPES
from .wire import (
    CaseDetailResponse,
    CaseListResponse,
    CaseResponse,
    DeletedResponse,
    DisputeDetailResponse,
    DisputeListResponse,
    ErrorResponse,
    MessageListResponse,
    MessageResponse,
    ReadResponse,
    WebhookEndpointCreatedResponse,
    WebhookEndpointListResponse,
    WebhookEndpointResponse,
)

SCHEME = "bearerAuth"  # the published spec's name
STORE = "/stores/{storeId}"

HEADERS: dict[str, Schema] = {  # on every reply, errors included (errors.add_common_headers)
    "X-Request-ID": {"type": "string"},
    "X-Version": {"type": "string", "examples": [inferred.API_VERSION]},
    "X-RateLimit-Limit": {"type": "integer"},
    "X-RateLimit-Remaining": {"type": "integer"},
    "X-RateLimit-Reset": {"type": "integer", "description": "UTC epoch seconds"},
    "X-RateLimit-Type": {"type": "string", "enum": ["GlobalResource", "AccountResource", "StoreResource"]},
}
ERRORS = {  # status → when; every operation can answer each of these
    400: "a parameter, header or body fails the schema (Fastify's words: `querystring/limit must be <= 100`), "
         "or a state rule refuses the change",
    401: "missing or invalid token",
    403: "the token lacks the operation's scope, or belongs to another store",
    404: "no such record in this store (or, with `rules.other_store_status: 404`, another store)",
    429: inferred.RATE_LIMIT_MESSAGE,
}


def _id(name: str, where: Literal["path", "query"] = "path", description: str = "") -> Param:
    return Param(name, where, {"type": "string", "minLength": inferred.ID_MIN, "maxLength": inferred.ID_MAX},
                 description=description)


IDEMPOTENCY = Param("idempotency-key", "header", {
    "type": "string", "minLength": inferred.IDEMPOTENCY_KEY_MIN, "maxLength": inferred.IDEMPOTENCY_KEY_MAX,
}, description="listed on every Store API operation; checked for length, otherwise ignored")


def _page(default: int) -> list[Param]:
    return [
        Param("page", "query", {"type": "integer", "minimum": 1, "maximum": inferred.MAX_SAFE_PAGE, "default": 1}),
        Param("limit", "query", {"type": "integer", "minimum": 1, "maximum": inferred.MAX_PAGE_SIZE, "default": default}),
    ]


def _enum(values: tuple[str, ...]) -> Schema:
    return {"type": "string", "enum": list(values)}


def _replies(status: int, body: Any, description: str, body_taken: bool = False) -> dict[int | str, Reply]:
    out: dict[int | str, Reply] = {status: Reply(body, description, headers=HEADERS)}
    for code, when in ERRORS.items():
        headers = {**HEADERS, "Retry-After": {"type": "integer"}} if code == 429 else HEADERS
        out[code] = Reply(ErrorResponse, when, headers=headers)
    if body_taken:
        out[415] = Reply(ErrorResponse, "the body is not JSON (`Unsupported Media Type: …`)", headers=HEADERS)
    return out


ATTACHMENT: Schema = {
    "type": "object",
    "required": ["attachmentId", "filename", "mimeType", "sizeBytes"],
    "properties": {
        "attachmentId": {"type": "string", "minLength": 12, "maxLength": 48},
        "filename": {"type": "string", "minLength": 1, "maxLength": 255},
        "mimeType": {"type": "string", "pattern": r"^(image/[A-Za-z0-9.+-]+|application/pdf|text/plain|application/zip)$",
                     "maxLength": 128},
        "sizeBytes": {"type": "integer", "minimum": 1, "maximum": MAX_ATTACHMENT_BYTES},
    },
}
UPDATE_CASE: Schema = {
    "type": "object", "minProperties": 1,
    "properties": {"priority": _enum(CASE_PRIORITIES), "status": _enum(SETTABLE_STATUSES)},
    "anyOf": [{"required": ["priority"]}, {"required": ["status"]}],
    "description": "at least one of priority, status; AWAITING_MERCHANT is set by the system only",
}
REPLY: Schema = {
    "type": "object", "required": ["body"],
    "properties": {
        "body": {"type": "string", "minLength": 1, "maxLength": MAX_BODY},
        "attachments": {"type": "array", "maxItems": MAX_ATTACHMENTS, "items": ATTACHMENT},
    },
}
EVIDENCE: Schema = {
    "type": "object", "required": ["access_activity_log"],
    "properties": {"access_activity_log": {"type": "string", "minLength": 1, "maxLength": MAX_EVIDENCE}},
}
# Pandabase takes any `^https://` URL up to 512 characters; the sandbox delivers only where
# `--webhook-allow` admits (loopback by default), so the document offers loopback receivers, which
# keeps a fuzzer from making the sandbox resolve names on the network.
WEBHOOK_URL: Schema = {
    "type": "string", "format": "uri", "maxLength": webhook_api.MAX_URL,
    "pattern": r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:[1-9][0-9]{0,3})?(/[A-Za-z0-9._~-]{0,40}){0,4}$",
    "description": "Pandabase: `^https://`, at most 512 characters. The sandbox also takes http to loopback hosts "
                   "and refuses (400) a target its --webhook-allow does not admit (loopback only by default).",
}
EVENTS: Schema = {"type": "array", "minItems": 1, "items": _enum(EVENT_TYPES)}
CREATE_WEBHOOK: Schema = {
    "type": "object", "required": ["url", "eventTypes"],
    "properties": {
        "url": WEBHOOK_URL, "eventTypes": EVENTS,
        "note": {"type": "string", "maxLength": webhook_api.MAX_NOTE},
        "signatureVersion": {**_enum(SIGNATURE_VERSIONS), "default": inferred.DEFAULT_SIGNATURE_VERSION},
    },
}
UPDATE_WEBHOOK: Schema = {
    "type": "object",
    "properties": {
        "url": WEBHOOK_URL, "eventTypes": EVENTS,
        "note": {"type": ["string", "null"], "maxLength": webhook_api.MAX_NOTE},
        "isEnabled": {"type": "boolean"},
        "signatureVersion": _enum(SIGNATURE_VERSIONS),
    },
    "anyOf": [{"required": [name]} for name in ("url", "eventTypes", "note", "isEnabled", "signatureVersion")],
}


def _security(scope: str) -> list[dict[str, list[str]]]:
    return [{SCHEME: [scope]}]


def build() -> dict[str, Any]:
    doc = Document(
        "Pandabase Store API (Dispute Sandbox)", "2.0.0", servers=["/pandabase/v2/core"],
        description="Support cases, disputes and webhook endpoints of the Pandabase Store API v2 as the sandbox "
                    "serves them. Every refusal is `{ok:false,error}`; every reply carries X-Request-ID, X-Version "
                    "and X-RateLimit-*. The list routes answer with and without their trailing slash.",
        security_schemes={SCHEME: {
            "type": "http", "scheme": "bearer", "bearerFormat": "sk_...",
            "description": "A store token's secret `sk_…` (or HMAC mode: `stk_…` with `X-Signature`, the hex "
                           "HMAC-SHA256 of the raw body keyed by the hex SHA-256 of the secret). Each operation names "
                           "the scope it needs (CASES_*, DISPUTES_*, WEBHOOKS_*).",
        }},
    )
    store = _id("storeId", description="the token's own store (`shp_…`)")
    case, dispute, webhook = _id("caseId"), _id("disputeId"), _id("webhookId")

    def op(method: str, path: str, operation_id: str, scope: str, summary: str, status: int, body: Any,
           params: list[Param], request: Schema | None = None, tag: str = "") -> None:
        """One Store API operation: the store id, its own parameters and the idempotency key."""
        doc.operation(method, path, operation_id=operation_id, summary=summary, tags=[tag],
                      params=[store, *params, IDEMPOTENCY], body=request, security=_security(scope),
                      responses=_replies(status, body, summary, body_taken=request is not None))

    cases = STORE + "/cases"
    op("GET", cases + "/", "listCases", "CASES_READ", "A page of the store's cases, most recent message first",
       200, CaseListResponse, [*_page(inferred.CASE_PAGE_SIZE), Param("status", "query", _enum(CASE_STATUSES)),
                               Param("priority", "query", _enum(CASE_PRIORITIES)), _id("customerId", "query"),
                               _id("orderId", "query")], tag="Cases")
    op("GET", cases + "/{caseId}", "getCaseDetail", "CASES_READ", "A case, its order with status and createdAt",
       200, CaseDetailResponse, [case], tag="Cases")
    op("PATCH", cases + "/{caseId}", "updateCase", "CASES_WRITE", "Change a case's priority or status (close, reopen)",
       200, CaseResponse, [case], UPDATE_CASE, tag="Cases")
    op("GET", cases + "/{caseId}/messages", "listCaseMessages", "CASES_READ", "A page of a case's messages, oldest first",
       200, MessageListResponse, [case, *_page(inferred.MESSAGE_PAGE_SIZE)], tag="Cases")
    op("POST", cases + "/{caseId}/messages", "replyToCase", "CASES_WRITE", "Send the merchant's reply",
       201, MessageResponse, [case], REPLY, tag="Cases")
    op("POST", cases + "/{caseId}/read", "markCaseRead", "CASES_WRITE", "Set the case's unread count to 0",
       200, ReadResponse, [case], tag="Cases")

    disputes = STORE + "/disputes"
    op("GET", disputes + "/", "listDisputes", "DISPUTES_READ", "A page of the store's disputes, by createdAt",
       200, DisputeListResponse, [*_page(inferred.DISPUTE_PAGE_SIZE), Param("status", "query", _enum(DISPUTE_STATUSES)),
                                  Param("sort", "query", {**_enum(("asc", "desc")), "default": inferred.DISPUTE_SORT}),
                                  Param("needsEvidence", "query", {"type": "boolean"})], tag="Disputes")
    op("GET", disputes + "/{disputeId}", "getDispute", "DISPUTES_READ", "A dispute with its customer and order",
       200, DisputeDetailResponse, [dispute], tag="Disputes")
    op("POST", disputes + "/{disputeId}/evidence", "submitDisputeEvidence", "DISPUTES_WRITE",
       "Submit evidence once, within the window: the dispute goes UNDER_REVIEW", 200, DisputeDetailResponse,
       [dispute], EVIDENCE, tag="Disputes")

    hooks = STORE + "/webhooks"
    op("GET", hooks + "/", "listWebhooks", "WEBHOOKS_READ", "A page of the store's webhook endpoints, newest first",
       200, WebhookEndpointListResponse, _page(inferred.WEBHOOK_PAGE_SIZE), tag="Webhooks")
    op("POST", hooks + "/", "createWebhook", "WEBHOOKS_WRITE", "Create an endpoint; its secret is shown this once",
       201, WebhookEndpointCreatedResponse, [], CREATE_WEBHOOK, tag="Webhooks")
    op("GET", hooks + "/{webhookId}", "getWebhook", "WEBHOOKS_READ", "A webhook endpoint",
       200, WebhookEndpointResponse, [webhook], tag="Webhooks")
    op("PATCH", hooks + "/{webhookId}", "updateWebhook", "WEBHOOKS_WRITE", "Change url, events, note, isEnabled, "
       "signatureVersion", 200, WebhookEndpointResponse, [webhook], UPDATE_WEBHOOK, tag="Webhooks")
    op("DELETE", hooks + "/{webhookId}", "deleteWebhook", "WEBHOOKS_WRITE", "Delete a webhook endpoint",
       200, DeletedResponse, [webhook], tag="Webhooks")

    out = doc.to_json()
    store_of = {"storeId": "$request.path.storeId"}
    first = "$response.body#/data/items/0/id"
    made = "$response.body#/data/id"
    _link(out, cases + "/", "get", 200, "getCaseDetail", {**store_of, "caseId": first})
    _link(out, cases + "/{caseId}", "get", 200, "listCaseMessages", {**store_of, "caseId": "$request.path.caseId"})
    _link(out, disputes + "/", "get", 200, "getDispute", {**store_of, "disputeId": first})
    _link(out, hooks + "/", "get", 200, "getWebhook", {**store_of, "webhookId": first})
    for target in ("getWebhook", "updateWebhook", "deleteWebhook"):
        _link(out, hooks + "/", "post", 201, target, {**store_of, "webhookId": made})
    _examples(out)
    return out


# -- targeted requests for the contract test (`x-sandbox-examples`, `x-sandbox-not-fuzzed`; see
# sandbox/openapi.py): the default scenario's first store, its read-write tokens and known records,
# so that each declared status is one the sandbox really answers.
CASES_RW = {"Authorization": "Bearer sk_test_pixelforge_cases_rw"}
DISPUTES_RW = {"Authorization": "Bearer sk_test_pixelforge_disputes_rw"}  # DISPUTES_* and WEBHOOKS_*
KNOWN = {"caseId": "cse_re3riuv46u5m5rwu86hhh3szko", "disputeId": "dsp_8h0r1n4tzcbfp2v8q1mzwxj5"}
UNKNOWN = "zzz_not_a_known_record_000"
HOOK = {"url": "http://127.0.0.1:9/hook", "eventTypes": ["PAYMENT_DISPUTED"]}
NOT_FUZZED = {
    429: "needs the rate window full first (60 requests a second per token, or 60 replies a minute)",
}
LIST_404 = "only under `rules.other_store_status: 404`, for another store's id (the default is 403)"


def _examples(doc: dict[str, Any]) -> None:
    """Each operation: 401 without a token, 400 for a bad path id or idempotency key, 403 with a
    token lacking its scope, its success and 404 (a known or an unknown record), 415 for a body
    that is not JSON."""
    creating = {"operation_id": "createWebhook", "path_parameters": {"storeId": "$tenant:pandabase"},
                "headers": DISPUTES_RW, "body": HOOK, "media_type": "application/json", "status": 201}
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            token = DISPUTES_RW if "/cases" not in path else CASES_RW
            ids = [name for name in KNOWN if "{" + name + "}" in path] + (["webhookId"] if "{webhookId}" in path else [])
            where = {"storeId": "$tenant:pandabase"}
            known = {**where, **{name: KNOWN.get(name, "$last#/data/id") for name in ids}}
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            sample: Any = {"PATCH": {"priority": "HIGH"} if "/cases" in path else {"note": "checked"},
                      "POST": {"body": "Thanks, looking into it."}}.get(method.upper()) if body else None
            if "evidence" in path:
                sample = {"access_activity_log": "Logged in 14 times after purchase."}
            elif path.endswith("/webhooks/") and method == "post":
                sample = HOOK
            success = int(next(code for code in op["responses"] if code.startswith("2")))
            examples: list[dict[str, Any]] = [
                {"anonymous": True, "path_parameters": known if not ids or "webhookId" not in ids else
                 {**known, "webhookId": UNKNOWN}, "status": 401},
                {"path_parameters": {**where, **{name: "short" for name in ids}}, "headers":
                 {**token, "idempotency-key": "short"}, "status": 400},
            ]
            examples.append({"path_parameters": {**known, "webhookId": UNKNOWN} if "webhookId" in ids else known,
                             "headers": CASES_RW if token is DISPUTES_RW else DISPUTES_RW,  # lacks the scope
                             **({"body": sample, "media_type": "application/json"} if body else {}), "status": 403})
            if "webhookId" in ids:
                examples.append(creating)
            if body and success:
                examples.append({"path_parameters": known, "headers": token, "body": sample,
                                 "media_type": "application/json", "status": success})
            elif not body:
                examples.append({"path_parameters": known, "headers": token, "status": success})
            if ids:
                examples.append({"path_parameters": {**where, **{name: UNKNOWN for name in ids}}, "headers": token,
                                 **({"body": sample, "media_type": "application/json"} if body else {}),
                                 "status": 404})
            else:
                op["responses"]["404"]["x-sandbox-not-fuzzed"] = LIST_404
            if body:
                examples.append({"path_parameters": known if "webhookId" not in ids else {**where, "webhookId": UNKNOWN},
                                 "headers": token, "body": "not json", "media_type": "text/plain", "status": 415})
            for code, why in NOT_FUZZED.items():
                op["responses"][str(code)]["x-sandbox-not-fuzzed"] = why
            op["x-sandbox-examples"] = examples


def _link(doc: dict[str, Any], path: str, method: str, status: int, target: str, params: dict[str, str]) -> None:
    """A response link (OpenAPI's `links`), so a stateful fuzzer can follow list → read, create → read."""
    reply = doc["paths"][path][method]["responses"][str(status)]
    reply.setdefault("links", {})[target] = {"operationId": target, "parameters": params}


def control(doc: Document) -> None:
    """The fake-only `/_sandbox/pandabase/…` routes (control.py): the customer's, staff's and the
    network's side, which the Store API cannot do."""
    problem: Schema = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
    refused: dict[int | str, Reply] = {400: Reply(problem, "the body or the action is refused"), 404: Reply(problem, "no such record or action")}
    text = {"type": "string", "minLength": 1, "maxLength": 20_000}
    open_case: Schema = {
        "type": "object", "additionalProperties": False,
        "properties": {
            "orderId": {"type": "string", "minLength": 12, "maxLength": 48},
            "subject": {"type": "string", "minLength": 1, "maxLength": 500},
            "priority": _enum(CASE_PRIORITIES),
            "body": {"type": "string", "minLength": 1, "maxLength": MAX_BODY},
            "email": {"type": "string", "minLength": 3, "maxLength": 254},
            "anyOrderStatus": {"type": "boolean"},
            "attachments": {"type": "array", "maxItems": MAX_ATTACHMENTS, "items": {
                "type": "object", "additionalProperties": False, "properties": {
                    "filename": {"type": "string", "minLength": 1, "maxLength": 255},
                    "mimeType": {"type": "string", "minLength": 1, "maxLength": 128},
                    "sizeBytes": {"type": "integer", "minimum": 1, "maximum": MAX_ATTACHMENT_BYTES}}}},
        },
    }
    from .control import ControlDispute
    from .wire import CaseDetail

    doc.operation("POST", "/pandabase/stores/{storeId}/cases", operation_id="pandabaseOpenCase",
                  summary="The customer opens a case (on a given or a fresh order)", tags=["pandabase"],
                  params=[Param("storeId", "path", {"type": "string"})], body=open_case, body_required=False,
                  responses={201: Reply(CaseDetail, "the case as the Store API shows it"), **refused})
    action: Schema = {"type": "object", "properties": {
        "body": text, "message": text, "status": _enum(SETTABLE_STATUSES), "priority": _enum(CASE_PRIORITIES),
        "by": _enum(("MERCHANT", "CUSTOMER", "STAFF", "SYSTEM")), "closedBy": _enum(("MERCHANT", "CUSTOMER", "STAFF", "SYSTEM")),
        "reason": {"type": "string"}}, "description": "the fields the action takes"}
    doc.operation("POST", "/pandabase/cases/{id}/{action}", operation_id="pandabaseCaseAction",
                  summary="customer-reply, staff-reply, merchant-reply, customer-close, set-status, dispute, resolve, close",
                  tags=["pandabase"], body=action, body_required=False,
                  params=[Param("id", "path", {"type": "string"}), Param("action", "path", _enum((
                      "customer-reply", "staff-reply", "merchant-reply", "customer-close", "set-status", "dispute",
                      "resolve", "close")))],
                  responses={200: Reply(CaseDetail, "the case as the Store API shows it"), **refused})
    listed: Schema = {"type": "object", "required": ["disputes"], "properties": {"disputes": {"type": "array", "items": {
        "type": "object", "required": ["id", "storeId", "orderId", "reason", "status"],
        "properties": {"id": {"type": "string"}, "storeId": {"type": "string"}, "orderId": {"type": "string"},
                       "reason": {"type": "string"}, "status": _enum(DISPUTE_STATUSES)}}}}}
    doc.operation("GET", "/pandabase/disputes", operation_id="pandabaseListDisputes", tags=["pandabase"],
                  summary="Every dispute of every store", responses={200: Reply(listed, "the disputes")})
    doc.operation("POST", "/pandabase/disputes/{id}/{action}", operation_id="pandabaseDisputeAction",
                  summary="resolve `{outcome}` (the network decides) or evidence `{access_activity_log}`",
                  tags=["pandabase"], body_required=False,
                  body={"type": "object", "properties": {"outcome": {"type": "string"},
                                                         "access_activity_log": text}},
                  params=[Param("id", "path", {"type": "string"}), Param("action", "path", _enum(("resolve", "evidence")))],
                  responses={200: Reply(ControlDispute, "the dispute as the Store API shows it, plus `orderId`"),
                             **refused})
    at = {"storeId": "$tenant:pandabase"}
    case, dispute = {"id": KNOWN["caseId"]}, {"id": "dsp_7w2ztbyttf9jrnm8q2juqpc6"}  # default scenario's
    json = "application/json"
    _extend(doc, "POST", "/pandabase/stores/{storeId}/cases", [
        {"path_parameters": at, "body": {"subject": "Where is my key?"}, "media_type": json, "status": 201},
        {"path_parameters": at, "body": {"priority": "SOON"}, "media_type": json, "status": 400},
        {"path_parameters": {"storeId": "shp_nosuchstore"}, "body": {}, "media_type": json, "status": 404}])
    _extend(doc, "POST", "/pandabase/cases/{id}/{action}", [
        {"path_parameters": {**case, "action": "customer-reply"}, "body": {"body": "Still broken."},
         "media_type": json, "status": 200},
        {"path_parameters": {**case, "action": "set-status"}, "body": {}, "media_type": json, "status": 400},
        {"path_parameters": {"id": "cse_nosuchcase", "action": "close"}, "body": {}, "media_type": json,
         "status": 404}])
    _extend(doc, "POST", "/pandabase/disputes/{id}/{action}", [
        {"path_parameters": {**dispute, "action": "resolve"}, "body": {"outcome": "won"}, "media_type": json,
         "status": 200},
        {"path_parameters": {**dispute, "action": "resolve"}, "body": {"outcome": "maybe"}, "media_type": json,
         "status": 400},
        {"path_parameters": {"id": "dsp_nosuchdispute", "action": "resolve"}, "body": {}, "media_type": json,
         "status": 404}])


def _extend(doc: Document, method: str, path: str, examples: list[dict[str, Any]]) -> None:
    """`x-sandbox-examples` on an operation already added (the contract test sends them first)."""
    doc._paths[path][method.lower()]["x-sandbox-examples"] = examples  # Document keeps operations by path
