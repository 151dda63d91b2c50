"""Whop's OpenAPI documents, one per version family, built from the wire models the routes answer with.

`whop` is the current family (an `Api-Version-Date` on or after `inferred.CURRENT_SHAPE_FROM`, the
shape whop-sdk 2.x reads), `whop-legacy` the legacy one (no header or an earlier date: whop-sdk 0.0.41,
@whop/sdk 0.0.42). Both share Whop's paths (https://api.whop.com/api/v1); the header picks the family
(https://docs.whop.com/developer/api/versioning). Operation ids follow the titles of Whop's reference
pages ("List resolution center cases" → `list_resolution_center_cases`), the names the rate limiter
counts by. Each operation's `security` names the scopes it needs (docs/providers/whop.md).
Each operation also carries `x-sandbox-examples` (TARGETS below): requests on the default
scenario's records that produce every status it declares, for tests/test_openapi_contracts.py.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, replace
from typing import Any

from ...openapi import Document, Param, Reply, Schema
from . import inferred, versions
from .dispute_models import ALERT_TYPES, DISPUTE_STATUSES, DOCUMENT_TYPES, SLOTS, TEXT_FIELDS
from .dispute_wire import Dispute as DisputeModel
from .dispute_wire import DisputeAlert as AlertModel
from .dispute_wire import (
    DisputeAlertListResponse,
    DisputeListResponse,
    DisputeSummary,
    File,
    LegacyAlert,
    LegacyAlertListResponse,
    LegacyDispute,
    LegacyDisputeListResponse,
)
from .errors import ErrorBody
from .models import CURRENT_STATUSES, OUTCOMES, REASONS, STATUSES
from .routes import ActionBody, CreateBody
from .wire import Case, CurrentCase, CurrentListResponse, EventListResponse, ListResponse, Summary

BEARER = "bearerAuth"
CURRENT_VERSIONS = [v for v in versions.KNOWN_VERSIONS if versions.is_current(v)]
LEGACY_VERSIONS = [v for v in versions.KNOWN_VERSIONS if not versions.is_current(v)]
ID_CHARS = "[A-Za-z0-9]{1,40}"  # Whop ids: a prefix and base62 (docs/providers/whop.md "IDs")

MESSAGES = {
    400: "A parameter, the body or Api-Version-Date is invalid (`param` names it)",
    401: "Missing or unknown API key",
    403: "The key lacks the scope, or names another account",
    404: "No such record for this key",
    409: "The record's state does not allow this, or the Idempotency-Key was used with another body",
    429: "Over the per-operation rate limit; `Retry-After` says when to retry",
}
RATE_HEADERS = {"Retry-After": {"type": "integer", "minimum": 1, "description": "seconds to wait"}}


def _id(prefix: str, description: str) -> Param:
    return Param("id", "path", {"type": "string", "pattern": f"^{prefix}{ID_CHARS}$"}, description=description)


def _q(name: str, schema: Schema, description: str = "") -> Param:
    """A query parameter; a free-form string one is at least one character (empty values are refused)."""
    if schema.get("type") == "string" and not {"pattern", "enum", "format"} & schema.keys():
        schema = {**schema, "minLength": 1}
    return Param(name, "query", schema, description=description)


def _many(name: str, values: tuple[str, ...] | list[str], description: str) -> Param:
    """A repeated key (`status=a&status=b`), as whop-sdk 2.6.0 sends arrays."""
    schema = {"type": "array", "items": {"type": "string", "enum": list(values)}, "uniqueItems": True}
    return Param(name, "query", schema, description=description, style="form", explode=True)


def _version(values: list[str], required: bool) -> Param:
    return Param(
        "Api-Version-Date",
        "header",
        {"type": "string", "enum": values},
        required=required,
        description="The dated API version the request reads; absent: the key's default, else 2025-01-01",
    )


IDEMPOTENCY = Param(
    "Idempotency-Key",
    "header",
    {"type": "string", "minLength": 1, "maxLength": inferred.IDEMPOTENCY_KEY_MAX, "pattern": "^[!-~]+$"},
    description="Replays the first answer to a retried write with the same body",
)
PAGING = [
    _q("first", {"type": "integer", "minimum": 0}, f"page size forward; above {inferred.MAX_PAGE_SIZE} is clamped"),
    _q("last", {"type": "integer", "minimum": 0}, "page size backward"),
    _q("after", {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"}, "an end_cursor of a page of this same query"),
    _q("before", {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"}, "a start_cursor of a page of this same query"),
]
CREATED = [
    _q("created_after", {"type": "string", "format": "date-time"}, "only records created after this instant"),
    _q("created_before", {"type": "string", "format": "date-time"}, "only records created before this instant"),
]
DIRECTION = _q("direction", {"type": "string", "enum": ["asc", "desc"], "default": inferred.DEFAULT_DIRECTION})


def _errors(*statuses: int) -> dict[int | str, Reply]:
    out: dict[int | str, Reply] = {s: Reply(ErrorBody, MESSAGES[s]) for s in statuses}
    if 429 in statuses:
        out[429] = Reply(ErrorBody, MESSAGES[429], headers=RATE_HEADERS)
    return out


READ = (400, 401, 403, 429)
ONE = (400, 401, 403, 404, 429)
WRITE = (400, 401, 403, 404, 409, 429)


def _scopes(*scopes: str) -> list[dict[str, list[str]]]:
    return [{BEARER: list(scopes)}]


def _document(title: str, versions_: list[str], required: bool, description: str) -> tuple[Document, Param]:
    doc = Document(
        title,
        inferred.CURRENT_SHAPE_FROM if required else versions.DEFAULT,
        servers=["/whop/api/v1"],
        security_schemes={
            BEARER: {
                "type": "http",
                "scheme": "bearer",
                "description": "A company API key (acts as the merchant) or a user token (acts as the customer)",
            }
        },
        security=_scopes(inferred.REQUIRED_PERMISSION),
        description=description,
    )
    return doc, _version(versions_, required)


def _upload_paths(doc: Document) -> None:
    """The presigned upload `POST /files` hands back: on the sandbox itself, outside `/api/v1`."""
    token = Param("token", "query", {"type": "string", "minLength": 1}, required=True)
    file_id = _id("file_", "the file's id")
    path = "/_uploads/{id}"
    doc.operation(
        "PUT", path, operation_id="upload_file_bytes", summary="Upload a file's bytes (the presigned URL)",
        params=[file_id, token], security=[], tags=["Files"],
        body={"type": "string", "format": "binary"}, body_media_type="application/octet-stream",
        responses={
            200: Reply(None, "Stored; the file is ready", headers={"ETag": {"type": "string"}}),
            400: Reply(ErrorBody, "Larger than the per-file limit, or storage is full", extensions={"x-sandbox-not-fuzzed": (
                f"needs a body past the {inferred.FILE_MAX_BYTES} bytes per-file limit or the scenario's file storage full: "
                "too large for an example (tests/whop/test_whop_disputes_http.py sends one)")}),
            404: Reply(ErrorBody, "Unknown file or wrong token"),
            409: Reply(ErrorBody, "Uploaded already"),
        },
    )
    doc.operation(
        "GET", path, operation_id="download_file_bytes", summary="Download a file's bytes",
        params=[file_id, token], security=[], tags=["Files"],
        responses={
            200: Reply({"type": "string", "format": "binary"}, "The stored bytes", media_type="*/*"),
            404: Reply(ErrorBody, "Unknown file, wrong token, or nothing uploaded yet"),
        },
    )


def _relative_upload_server(built: dict[str, Any]) -> dict[str, Any]:
    """Upload URLs live under the provider's prefix, not under `/api/v1`: a path-level server
    (relative to the document's own location, OpenAPI 3.1 §4.8.5)."""
    item = built["paths"].pop("/_uploads/{id}")
    built["paths"]["/_uploads/{id}"] = {"servers": [{"url": "/whop"}], **item}
    return built


# -- current family ---------------------------------------------------------------------------------


def _message_required() -> Schema:
    """deny, reply, appeal: `message` is required (the SDK marks it so)."""
    return {
        "allOf": [
            {"$ref": "sandbox-doc:ActionBody"},
            {"required": ["message"], "properties": {"message": {"type": "string", "minLength": 1}}},
        ]
    }


def _attachment_schema() -> Schema:
    one = [{"required": ["id"], "properties": {"id": {"type": "string"}}},
           {"required": ["direct_upload_id"], "properties": {"direct_upload_id": {"type": "string"}}}]
    return {"anyOf": [{"type": "null"}, {"type": "object", "additionalProperties": False,
                                          "properties": {"id": {"type": "string"}, "direct_upload_id": {"type": "string"},
                                                         "platform": {"const": True}},
                                          "oneOf": [*one, {"required": ["platform"]}]}]}


def _document_item() -> Schema:
    return {
        "type": "object",
        "required": ["document_type"],
        "properties": {
            "document_type": {"type": "string", "enum": list(DOCUMENT_TYPES)},
            "id": {"type": "string", "description": "a ready file of this account (POST /files)"},
            "direct_upload_id": {"type": "string"},
            "file": {"type": "string", "contentEncoding": "base64", "description": "the bytes, base64-encoded"},
        },
    }


def _evidence(flat: bool) -> Schema:
    props: dict[str, Any] = {name: {"type": ["string", "null"], "maxLength": inferred.EVIDENCE_TEXT_MAX} for name in TEXT_FIELDS}
    props.update({slot: _attachment_schema() for slot in SLOTS})
    if not flat:
        props["documents"] = {"type": "array", "maxItems": inferred.DOCUMENTS_MAX, "items": _document_item()}
    return {"type": "object", "additionalProperties": False, "properties": props}


def current_document() -> dict[str, Any]:
    doc, version = _document(
        "Whop API (current: Api-Version-Date >= " + inferred.CURRENT_SHAPE_FROM + ")",
        CURRENT_VERSIONS,
        True,
        "Resolution center cases, disputes, dispute alerts and evidence files as whop-sdk 2.x reads them.",
    )
    read, manage = _scopes(inferred.REQUIRED_PERMISSION), _scopes(inferred.MANAGE_PERMISSION)
    case_id = _id("reso_", "the case's id")
    tag = ["Resolution center cases"]
    doc.operation(
        "GET", "/resolution_center_cases", operation_id="list_resolution_center_cases", tags=tag,
        summary="List resolution center cases (a company key: its account's; a user token: the cases it opened)",
        params=[version, *PAGING, _q("account_id", {"type": "string", "pattern": f"^biz_{ID_CHARS}$"}),
                _q("user_id", {"type": "string", "pattern": f"^(me|user_{ID_CHARS})$"}),
                _many("status", CURRENT_STATUSES, "current status"), _many("reason", REASONS, "reason"),
                _many("outcome", OUTCOMES, "outcome of a closed case"),
                _q("order", {"type": "string", "enum": ["created_at", "response_due_at"], "default": inferred.CURRENT_ORDER}),
                DIRECTION, *CREATED],
        security=read, responses={200: Reply(CurrentListResponse), **_errors(*READ)},
    )
    doc.operation(
        "POST", "/resolution_center_cases", operation_id="create_resolution_center_case", tags=tag,
        summary="Open a case on one of the customer's payments (user tokens only)",
        params=[version, IDEMPOTENCY], body=CreateBody, security=manage,
        responses={201: Reply(CurrentCase, "The new case"), **_errors(*WRITE)},
    )
    doc.operation(
        "GET", "/resolution_center_cases/summary", operation_id="retrieve_resolution_center_case_summary", tags=tag,
        summary="Counts per status, reason and outcome",
        params=[version, _many("groups", ("status", "reason", "outcome"), "which counts to return"),
                _q("account_id", {"type": "string"}), _q("user_id", {"type": "string"}),
                _many("status", CURRENT_STATUSES, "current status"), _many("reason", REASONS, "reason"),
                _many("outcome", OUTCOMES, "outcome"), *CREATED],
        security=read, responses={200: Reply(Summary), **_errors(*READ)},
    )
    doc.operation(
        "GET", "/resolution_center_cases/{id}", operation_id="retrieve_resolution_center_case", tags=tag,
        params=[version, case_id], security=read, responses={200: Reply(CurrentCase), **_errors(*ONE)},
    )
    doc.operation(
        "GET", "/resolution_center_cases/{id}/events", operation_id="list_resolution_center_case_events", tags=tag,
        summary="The case's events, newest first (a customer sees its own part)",
        params=[version, case_id, *PAGING], security=read, responses={200: Reply(EventListResponse), **_errors(*ONE)},
    )
    for action, summary in (
        ("accept", "Accept: refund the payment in full (merchant)"),
        ("deny", "Deny the claim (merchant)"),
        ("request_info", "Ask the other party for information"),
        ("reply", "Reply to an information request"),
        ("appeal", "Appeal the decision"),
        ("withdraw", "Withdraw the case (customer)"),
    ):
        body = _message_required() if action in ("deny", "reply", "appeal") else ActionBody
        doc.operation(
            "POST", f"/resolution_center_cases/{{id}}/{action}", operation_id=f"{action}_resolution_center_case", tags=tag,
            summary=summary, params=[version, case_id, IDEMPOTENCY], body=body, body_required=action != "withdraw",
            security=manage, responses={200: Reply(CurrentCase, "The case after the action"), **_errors(*WRITE)},
        )
    _current_disputes(doc, version)
    _current_alerts_files(doc, version)
    _upload_paths(doc)
    built = _relative_upload_server(doc.to_json())
    return _with_examples(_with_links(_resolve_local_refs(built, ActionBody)), {"Api-Version-Date": inferred.CURRENT_SHAPE_FROM})


def _current_disputes(doc: Document, version: Param) -> None:
    read, write = _scopes(inferred.DISPUTE_PERMISSION_READ), _scopes(inferred.DISPUTE_PERMISSION_WRITE)
    dispute_id = _id("dspt_", "the dispute's id")
    tag = ["Disputes"]
    filters = [_many("status", DISPUTE_STATUSES, "status as reported"),
               _q("currency", {"type": "string", "pattern": "^[A-Za-z]{3}$"}), *CREATED]
    doc.operation(
        "GET", "/disputes", operation_id="list_disputes", tags=tag,
        params=[version, *PAGING, _q("account_id", {"type": "string"}), *filters,
                _q("order", {"type": "string", "enum": ["created_at", "amount", "evidence_due_at"]}), DIRECTION],
        security=read, responses={200: Reply(DisputeListResponse), **_errors(*READ)},
    )
    doc.operation(
        "GET", "/disputes/summary", operation_id="retrieve_dispute_summary", tags=tag,
        params=[version, _many("groups", ("status", "currency"), "which counts to return"),
                _q("account_id", {"type": "string"}), *filters],
        security=read, responses={200: Reply(DisputeSummary), **_errors(*READ)},
    )
    doc.operation(
        "GET", "/disputes/{id}", operation_id="retrieve_dispute", tags=tag, params=[version, dispute_id],
        security=read, responses={200: Reply(DisputeModel), **_errors(*ONE)},
    )
    doc.operation(
        "PATCH", "/disputes/{id}", operation_id="update_dispute", tags=tag, summary="Edit the evidence",
        params=[version, dispute_id, IDEMPOTENCY], security=write, body_required=False,
        body={"type": "object", "properties": {"evidence": {"anyOf": [_evidence(flat=False), {"type": "null"}]}}},
        responses={200: Reply(DisputeModel), **_errors(*WRITE)},
    )
    doc.operation(
        "POST", "/disputes/{id}/upload_evidence", operation_id="upload_dispute_evidence", tags=tag,
        params=[version, dispute_id, IDEMPOTENCY], security=write,
        body={"type": "object", "required": ["documents"],
              "properties": {"documents": {"type": "array", "maxItems": inferred.DOCUMENTS_MAX, "items": _document_item()}}},
        responses={200: Reply(DisputeModel), **_errors(*WRITE)},
    )
    for name, operation, summary in (
        ("accept", "accept_dispute", "Accept the chargeback"),
        ("submit", "submit_dispute", "Submit the evidence to the issuer"),
    ):
        doc.operation(
            "POST", f"/disputes/{{id}}/{name}", operation_id=operation, tags=tag, summary=summary,
            params=[version, dispute_id, IDEMPOTENCY], security=write,
            responses={200: Reply(DisputeModel), **_errors(*WRITE)},
        )
    _legacy_dispute_writes(doc, version, DisputeModel)


def _legacy_dispute_writes(doc: Document, version: Param, shape: Any) -> None:
    """`update_evidence`/`submit_evidence`: served at every version, answered in its shape."""
    write = _scopes(inferred.DISPUTE_PERMISSION_WRITE)
    dispute_id = _id("dspt_", "the dispute's id")
    doc.operation(
        "POST", "/disputes/{id}/update_evidence", operation_id="update_evidence_dispute", tags=["Disputes"],
        summary="Edit the evidence (flat body)", params=[version, dispute_id, IDEMPOTENCY], security=write,
        body=_evidence(flat=True), body_required=False, responses={200: Reply(shape), **_errors(*WRITE)},
    )
    doc.operation(
        "POST", "/disputes/{id}/submit_evidence", operation_id="submit_evidence_dispute", tags=["Disputes"],
        summary="Submit the evidence", params=[version, dispute_id, IDEMPOTENCY], security=write,
        responses={200: Reply(shape), **_errors(*WRITE)},
    )


def _current_alerts_files(doc: Document, version: Param) -> None:
    alerts = _scopes(inferred.ALERT_PERMISSION_READ)
    doc.operation(
        "GET", "/dispute_alerts", operation_id="list_dispute_alerts", tags=["Dispute alerts"],
        params=[version, *PAGING, _q("account_id", {"type": "string"}),
                _q("type", {"type": "string", "enum": list(ALERT_TYPES)}), _q("payment_id", {"type": "string"}),
                *CREATED, _q("order", {"type": "string", "enum": ["created_at", "reported_at", "amount"]}), DIRECTION],
        security=alerts, responses={200: Reply(DisputeAlertListResponse), **_errors(*READ)},
    )
    doc.operation(
        "GET", "/dispute_alerts/{id}", operation_id="retrieve_dispute_alert", tags=["Dispute alerts"],
        params=[version, _id("dspa_", "the alert's id")], security=alerts,
        responses={200: Reply(AlertModel), **_errors(*ONE)},
    )
    files = _scopes(inferred.FILE_PERMISSION)
    doc.operation(
        "POST", "/files", operation_id="create_file", tags=["Files"],
        summary="Create a file; the answer carries a presigned upload_url on the sandbox",
        params=[version, IDEMPOTENCY], security=files,
        body={"type": "object", "required": ["filename"], "properties": {
            "filename": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"\S"},
            "byte_size": {"type": ["integer", "null"], "minimum": 0, "maximum": inferred.FILE_MAX_BYTES},
            "visibility": {"enum": ["public", "private", None]},
            "multipart": {"enum": [False, None]},
        }},
        responses={201: Reply(File, "The file, pending its upload"), **_errors(400, 401, 403, 409, 429)},
    )
    doc.operation(
        "GET", "/files/{id}", operation_id="retrieve_file", tags=["Files"], params=[version, _id("file_", "the file's id")],
        security=files, responses={200: Reply(File), **_errors(*ONE)},
    )


# -- legacy family ----------------------------------------------------------------------------------


def legacy_document() -> dict[str, Any]:
    doc, version = _document(
        "Whop API (legacy: no Api-Version-Date or one before " + inferred.CURRENT_SHAPE_FROM + ")",
        LEGACY_VERSIONS,
        False,
        "The shape whop-sdk 0.0.41 and @whop/sdk 0.0.42 read. Company keys only.",
    )
    read = _scopes(inferred.REQUIRED_PERMISSION)
    tag = ["Resolution center cases"]
    doc.operation(
        "GET", "/resolution_center_cases", operation_id="list_resolution_center_cases", tags=tag,
        params=[version, *PAGING, _q("company_id", {"type": "string"}),
                _many("statuses", STATUSES, "legacy status (also `statuses[]=`)"), DIRECTION, *CREATED],
        security=read, responses={200: Reply(ListResponse), **_errors(*READ)},
    )
    doc.operation(
        "GET", "/resolution_center_cases/{id}", operation_id="retrieve_resolution_center_case", tags=tag,
        params=[version, _id("reso_", "the case's id")], security=read, responses={200: Reply(Case), **_errors(*ONE)},
    )
    disputes = _scopes(inferred.DISPUTE_PERMISSION_READ)
    company = Param("company_id", "query", {"type": "string", "pattern": f"^biz_{ID_CHARS}$"}, required=True,
                    description="required by the legacy disputes and alerts lists")
    doc.operation(
        "GET", "/disputes", operation_id="list_disputes", tags=["Disputes"],
        params=[version, *PAGING, company, DIRECTION, *CREATED], security=disputes,
        responses={200: Reply(LegacyDisputeListResponse), **_errors(*READ)},
    )
    doc.operation(
        "GET", "/disputes/{id}", operation_id="retrieve_dispute", tags=["Disputes"],
        params=[version, _id("dspt_", "the dispute's id")], security=disputes,
        responses={200: Reply(LegacyDispute), **_errors(*ONE)},
    )
    _legacy_dispute_writes(doc, version, LegacyDispute)
    alerts = _scopes(inferred.ALERT_PERMISSION_READ)
    doc.operation(
        "GET", "/dispute_alerts", operation_id="list_dispute_alerts", tags=["Dispute alerts"],
        params=[version, *PAGING, company, DIRECTION, *CREATED], security=alerts,
        responses={200: Reply(LegacyAlertListResponse), **_errors(*READ)},
    )
    doc.operation(
        "GET", "/dispute_alerts/{id}", operation_id="retrieve_dispute_alert", tags=["Dispute alerts"],
        params=[version, _id("dspa_", "the alert's id")], security=alerts,
        responses={200: Reply(LegacyAlert), **_errors(*ONE)},
    )
    return _with_examples(_with_links(doc.to_json()), {})


# (path, method, status) → link name → (target operationId, its parameters): create→retrieve and
# list→retrieve, for schemathesis' stateful runs and generated clients (OpenAPI 3.1 §4.8.20).
LINKS: dict[tuple[str, str, str], dict[str, tuple[str, dict[str, str]]]] = {
    ("/resolution_center_cases", "get", "200"): {
        "retrieve": ("retrieve_resolution_center_case", {"id": "$response.body#/data/0/id"})},
    ("/resolution_center_cases", "post", "201"): {
        "retrieve": ("retrieve_resolution_center_case", {"id": "$response.body#/id"}),
        "events": ("list_resolution_center_case_events", {"id": "$response.body#/id"})},
    ("/resolution_center_cases/{id}", "get", "200"): {
        "events": ("list_resolution_center_case_events", {"id": "$response.body#/id"})},
    ("/disputes", "get", "200"): {"retrieve": ("retrieve_dispute", {"id": "$response.body#/data/0/id"})},
    ("/dispute_alerts", "get", "200"): {"retrieve": ("retrieve_dispute_alert", {"id": "$response.body#/data/0/id"})},
    ("/files", "post", "201"): {"retrieve": ("retrieve_file", {"id": "$response.body#/id"})},
}


def _with_links(built: dict[str, Any]) -> dict[str, Any]:
    operations = {op["operationId"] for item in built["paths"].values() for op in item.values() if isinstance(op, dict) and "operationId" in op}
    for (path, method, status), links in LINKS.items():
        reply = built["paths"].get(path, {}).get(method, {}).get("responses", {}).get(status)
        if reply is None:
            continue
        reply["links"] = {
            name: {"operationId": target, "parameters": params}
            for name, (target, params) in links.items()
            if target in operations
        }
    return built


def _resolve_local_refs(built: dict[str, Any], model: Any) -> dict[str, Any]:
    """`sandbox-doc:<Model>` (used inside hand-written schemas) → the model's component `$ref`."""
    name = model.__name__
    target = f"#/components/schemas/{name}"

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("$ref") == f"sandbox-doc:{name}":
                return {**node, "$ref": target}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(built)


# -- targeted requests for the contract test (`x-sandbox-examples`; see sandbox/openapi.py) ----------
# From the default scenario (scenarios/default.yaml): its keys and records, so that every status an
# operation declares is one a real request gets. Every authenticated operation first gets the
# refusals all routes share (401 without a key, 403 for a key with no scope it needs, 400 for an
# unknown Api-Version-Date, 404 for an unknown id, 429 forced), then its success on a known record,
# then its own refusals (in order: state carries over within one operation's list).


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


READER, DISPUTES = _bearer("whop_test_pickaxe_read"), _bearer("whop_test_pickaxe_disputes")
MANAGER, CUSTOMER = _bearer("whop_test_lumen_manage"), _bearer("whop_test_user_ava")
NO_SCOPE = _bearer("whop_test_courseforge_noperm")  # payment:basic:read only
BAD_VERSION = {"Api-Version-Date": "1999-01-01"}
UNKNOWN = "NoSuchRecord00001"  # an id's prefix, then this: well-formed, never issued
PDF = base64.b64encode(b"%PDF-1.4\n% sandbox evidence\n").decode()
# The first file `POST /files` makes in the default scenario: its id and upload token come from the
# scenario's seed (files.create_file), so an example can PUT to its upload URL; a test in
# tests/whop/test_whop_openapi.py checks they still do.
FIRST_FILE = {"id": "file_CnuiV9jc7poWH", "token": "aDG00uGnJjV6R9IiJwbOIe"}
IDEMPOTENT = {"Idempotency-Key": "ex-whop-1"}


@dataclass(frozen=True)
class Target:
    """How an operation succeeds (key, known record, query, body); `setup`: examples sent first;
    `more`: its own refusals as (status, changed fields: `key`, `id`, `query`, `body`, `headers`)."""

    key: dict[str, str]
    id: str | None = None
    query: dict[str, Any] | None = None
    body: Any = None
    setup: tuple[dict[str, Any], ...] = ()
    more: tuple[tuple[int, dict[str, Any]], ...] = ()


def _send(t: Target, status: int, version: dict[str, str], *, anonymous: bool = False, fault: bool = False,
          headers: dict[str, str] | None = None) -> dict[str, Any]:
    """One example: `t`'s request with `version`'s header; `anonymous` drops the key, `fault` forces `status`."""
    out: dict[str, Any] = {"status": status}
    sent = {**version, **({} if anonymous else t.key), **(headers or {})}
    if anonymous:
        out["anonymous"] = True
    if fault:
        out["fault"] = True
    if sent:
        out["headers"] = sent
    if t.id is not None:
        out["path_parameters"] = {"id": t.id}
    if t.query:
        out["query"] = t.query
    if t.body is not None:
        out.update(body=t.body, media_type="application/json")
    return out


def _changed(t: Target, status: int, version: dict[str, str], fields: dict[str, Any]) -> dict[str, Any]:
    headers = fields.get("headers")
    return _send(replace(t, **{k: v for k, v in fields.items() if k != "headers"}), status, version, headers=headers)


CREATE_FILE = {"operation_id": "create_file", "headers": {**DISPUTES, "Api-Version-Date": inferred.CURRENT_SHAPE_FROM},
               "body": {"filename": "receipt.pdf"}, "media_type": "application/json", "status": 201}
LOCKED, OPEN_DISPUTE = {"id": "dspt_PickaxeWon0001"}, "dspt_PickaxeNeeds01"
NOTES = {"notes": "The customer logged in 14 times after the purchase."}
SIDEWAYS = {"company_id": "biz_PickaxeLabs01", "direction": "sideways"}
BAD_ATTACHMENT: dict[str, Any] = {"body": {"attachments": [{}]}}  # neither id nor direct_upload_id
MERCHANT_WON, CUSTOMER_WON = {"id": "reso_LumenMerWon01"}, {"id": "reso_LumenCusWon01"}
NEW_CASE = {"message": "I never got access.", "reason": "product_not_received", "receipt_id": "pay_AvaLumen0000001"}

# operationId → how it succeeds and what else it refuses; one table for both families (an
# operation the legacy document lacks is skipped there).
TARGETS: dict[str, Target] = {
    "list_resolution_center_cases": Target(READER, more=((400, {"query": {"direction": "sideways"}}),)),
    "create_resolution_center_case": Target(CUSTOMER, body=NEW_CASE, more=(
        (409, {}),  # the same payment again: an open case exists
        (404, {"body": {**NEW_CASE, "receipt_id": "pay_NoSuchPayment01"}}),
        (400, {"body": {"reason": "fraudulent", "receipt_id": "pay_AvaLumen0000002"}}))),
    "retrieve_resolution_center_case_summary": Target(READER, more=((400, {"query": {"groups": "nope"}}),)),
    "retrieve_resolution_center_case": Target(READER, id="reso_PickaxeDue01"),
    "list_resolution_center_case_events": Target(READER, id="reso_PickaxeDue01", more=((400, {"query": {"first": "many"}}),)),
    "accept_resolution_center_case": Target(MANAGER, id="reso_LumenAwaitMer1", body={},
                                            more=((409, MERCHANT_WON), (400, BAD_ATTACHMENT))),
    "deny_resolution_center_case": Target(MANAGER, id="reso_LumenAwaitMer1", body={"message": "Access was used."},
                                          more=((409, MERCHANT_WON), (400, {"body": {}}))),
    "request_info_resolution_center_case": Target(MANAGER, id="reso_LumenAwaitMer1", body={"message": "Which login?"},
                                                  more=((409, MERCHANT_WON), (400, BAD_ATTACHMENT))),
    "reply_resolution_center_case": Target(MANAGER, id="reso_LumenMerInfo1", body={"message": "Logs attached."},
                                           more=((409, MERCHANT_WON), (400, {"body": {}}))),
    "appeal_resolution_center_case": Target(CUSTOMER, id="reso_LumenMerWon01", body={"message": "Please look again."},
                                            more=((409, CUSTOMER_WON), (400, {"body": {}}))),
    "withdraw_resolution_center_case": Target(CUSTOMER, id="reso_LumenAwaitMer1", body={},
                                              more=((409, CUSTOMER_WON), (400, BAD_ATTACHMENT))),
    "list_disputes": Target(DISPUTES, query={"company_id": "biz_PickaxeLabs01"}, more=((400, {"query": SIDEWAYS}),)),
    "retrieve_dispute_summary": Target(DISPUTES, more=((400, {"query": {"groups": "nope"}}),)),
    "retrieve_dispute": Target(DISPUTES, id=OPEN_DISPUTE),
    "update_dispute": Target(DISPUTES, id=OPEN_DISPUTE, body={"evidence": NOTES}, more=(
        (200, {"headers": IDEMPOTENT}), (409, {"headers": IDEMPOTENT, "body": {"evidence": {"notes": "Changed."}}}),
        (400, LOCKED))),  # a locked dispute's PATCH is a 400 (inferred.DISPUTE_UPDATE_LOCKED_STATUS)
    "upload_dispute_evidence": Target(DISPUTES, id=OPEN_DISPUTE, body={"documents": [
        {"document_type": "customer_session", "file": PDF}]}, more=((409, LOCKED), (400, {"body": {}}))),
    "accept_dispute": Target(DISPUTES, id=OPEN_DISPUTE, more=((400, {"id": "dspt_PickaxeInquiry1"}), (409, LOCKED))),
    "submit_dispute": Target(DISPUTES, id=OPEN_DISPUTE, more=((409, LOCKED),)),
    "update_evidence_dispute": Target(DISPUTES, id=OPEN_DISPUTE, body=NOTES, more=(
        (200, {"headers": IDEMPOTENT}), (409, {"headers": IDEMPOTENT, "body": {"notes": "Changed."}}),
        (400, {"body": {"nope": "x"}}))),
    "submit_evidence_dispute": Target(DISPUTES, id=OPEN_DISPUTE, more=((409, LOCKED),)),
    "list_dispute_alerts": Target(DISPUTES, query={"company_id": "biz_PickaxeLabs01"}, more=((400, {"query": SIDEWAYS}),)),
    "retrieve_dispute_alert": Target(DISPUTES, id="dspa_PickaxeEfw00001"),
    "create_file": Target(DISPUTES, body={"filename": "receipt.pdf"}, more=(
        (201, {"headers": IDEMPOTENT}), (409, {"headers": IDEMPOTENT, "body": {"filename": "other.pdf"}}),
        (400, {"body": {"filename": "a.pdf", "byte_size": 1.5}}))),
    "retrieve_file": Target(DISPUTES, id=FIRST_FILE["id"], setup=(CREATE_FILE,)),
}

# The presigned upload URL takes no key: its examples are written out.
_UPLOAD = {"path_parameters": {"id": FIRST_FILE["id"]}, "query": {"token": FIRST_FILE["token"]}}
_BYTES = {"body": "%PDF-1.4\n% receipt\n", "media_type": "application/octet-stream"}
UPLOADS: dict[str, list[dict[str, Any]]] = {
    "upload_file_bytes": [
        CREATE_FILE, {**_UPLOAD, **_BYTES, "status": 200}, {**_UPLOAD, **_BYTES, "status": 409},
        {**_UPLOAD, **_BYTES, "query": {"token": "wrong"}, "status": 404}],
    "download_file_bytes": [
        CREATE_FILE, {**_UPLOAD, "query": {"token": "wrong"}, "status": 404}, {**_UPLOAD, **_BYTES, "operation_id": "upload_file_bytes", "status": 200},
        {**_UPLOAD, "status": 200}],
}


def _examples_of(op: dict[str, Any], t: Target, version: dict[str, str]) -> list[dict[str, Any]]:
    codes = {int(code) for code in op["responses"] if code.isdigit()}
    unknown = replace(t, id=t.id.split("_", 1)[0] + "_" + UNKNOWN) if t.id else None
    shared = [
        (401, _send(t, 401, version, anonymous=True)),
        (403, _send(replace(t, key=NO_SCOPE), 403, version)),
        (400, _send(t, 400, {**version, **BAD_VERSION})),
        *([(404, _send(unknown, 404, version))] if unknown else []),
        (429, _send(t, 429, version, fault=True)),
    ]
    success = min(code for code in codes if code < 300)
    return [*t.setup, *(e for code, e in shared if code in codes), _send(t, success, version),
            *(_changed(t, status, version, fields) for status, fields in t.more)]


def _with_examples(built: dict[str, Any], version: dict[str, str]) -> dict[str, Any]:
    """Every operation's `x-sandbox-examples` (TARGETS, UPLOADS); `version`: the header each request carries."""
    for item in built["paths"].values():
        for op in item.values():
            if not isinstance(op, dict) or "operationId" not in op:
                continue
            name = op["operationId"]
            if name in UPLOADS:
                op["x-sandbox-examples"] = UPLOADS[name]
            else:
                op["x-sandbox-examples"] = _examples_of(op, TARGETS[name], version)
    return built


DOCUMENTS = {"whop": current_document, "whop-legacy": legacy_document}


# -- the fake-only controls (`/_sandbox/whop/...`) ----------------------------------------------------


CONTROL_ERROR: Schema = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}


# A known case per control action, and a body it takes (the default scenario's records)
CONTROL_CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "set_status": ("reso_PickaxeDue01", {"status": "under_platform_review"}),
    "customer_reply": ("reso_LumenAwaitCus1", {"message": "Here is my receipt."}),
    "merchant_reply": ("reso_LumenMerInfo1", {"message": "Logs attached."}),
    "request_info": ("reso_PickaxeDue01", {"from": "merchant"}),
    "appeal": ("reso_LumenMerWon01", {"by": "customer"}),
    "decide": ("reso_LumenReview01", {"winner": "merchant"}),
    "withdraw": ("reso_LumenAwaitMer1", {}),
    "resolve": ("reso_LumenReview01", {"outcome": "customer_won"}),
}
NEW_PAYMENT = "pay_SandboxCharge01"  # no such payment in the scenario: a chargeback with account_id opens it


def _control(status: int, body: dict[str, Any], record: str | None = None) -> dict[str, Any]:
    """One `x-sandbox-examples` entry of a control route (no credential: the control plane takes none)."""
    out = {"body": body, "media_type": "application/json", "status": status}
    return {**out, "path_parameters": {"id": record}} if record else out


def _examples(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"x-sandbox-examples": list(entries)}


def control(doc: Document) -> None:
    """The provider's control routes in the control plane's document (servers `/_sandbox`). Only a
    chargeback and a dispute ruling answer 409 (control.py answers a refused case move with 400)."""
    from .dispute_control import AlertBody, ChargebackBody, DecideBody
    from .scenario import ACTION_DATA

    refused: dict[int | str, Reply] = {400: Reply(CONTROL_ERROR, "The body is invalid or the move is not allowed"),
                                       404: Reply(CONTROL_ERROR, "No such record")}
    conflict: dict[int | str, Reply] = {409: Reply(CONTROL_ERROR, "Not in this state")}
    case_id = Param("id", "path", {"type": "string"}, description="a Whop case id (reso_…)")
    for action, model in ACTION_DATA.items():
        known, body = CONTROL_CASES[action]
        doc.operation(
            "POST", f"/whop/cases/{{id}}/{action}", operation_id=f"whop_case_{action}", tags=["whop"],
            summary=f"Whop: {action} on a case (what the platform or the other party does)",
            params=[case_id], body=model, body_required=False,
            responses={200: Reply(Case, "The case (legacy shape)"), **refused},
            extensions=_examples(_control(200, body, known), _control(400, {**body, "nope": 1}, known),
                                 _control(404, body, "reso_" + UNKNOWN)),
        )
    charge = {"account_id": "biz_PickaxeLabs01"}
    doc.operation(
        "POST", "/whop/payments/{id}/chargeback", operation_id="whop_chargeback", tags=["whop"],
        summary="Whop: the card network opens a chargeback on a payment",
        params=[Param("id", "path", {"type": "string", "pattern": "^pay_[A-Za-z0-9]+$"})], body=ChargebackBody,
        responses={201: Reply(DisputeModel, "The new dispute"), **refused, **conflict},
        extensions=_examples(_control(201, charge, NEW_PAYMENT), _control(409, charge, NEW_PAYMENT),  # one open dispute a payment
                             _control(400, {**charge, "amount": -1}, NEW_PAYMENT), _control(404, {}, "pay_" + UNKNOWN)),
    )
    doc.operation(
        "POST", "/whop/disputes/{id}/decide", operation_id="whop_dispute_decide", tags=["whop"],
        summary="Whop: the issuer rules on a dispute", params=[Param("id", "path", {"type": "string"})],
        body=DecideBody, responses={200: Reply(DisputeModel, "The decided dispute"), **refused, **conflict},
        extensions=_examples(_control(200, {"winner": "merchant"}, OPEN_DISPUTE), _control(409, {"winner": "merchant"}, LOCKED["id"]),
                             _control(400, {"winner": "nobody"}, OPEN_DISPUTE), _control(404, {"winner": "merchant"}, "dspt_" + UNKNOWN)),
    )
    doc.operation(
        "POST", "/whop/dispute_alerts", operation_id="whop_raise_dispute_alert", tags=["whop"],
        summary="Whop: raise a dispute alert (auto-refunded ones refund the payment)", body=AlertBody,
        responses={201: Reply(AlertModel, "The alert"), **refused},
        extensions=_examples(_control(201, charge), _control(400, {**charge, "type": "nope"}),
                             _control(404, {"account_id": "biz_" + UNKNOWN})),
    )
