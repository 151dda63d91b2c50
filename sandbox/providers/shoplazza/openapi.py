"""Shoplazza's OpenAPI as the sandbox serves it, as OpenAPI 3.1 documents (issue 20), one per version
family: `shoplazza` for 2024-07 (the dispute reads, the flat 2022-01-style webhook API on 2022-01
and 2024-07, the OAuth install flow) and `shoplazza-2025-06` for 2025-06, 2026-01 and 2026-07
(the same dispute reads, the webhook API with `{"webhook":{…}}` bodies in the `{code,message,data}`
envelope). The `version` path parameter's enum is the family's served versions; any other
version is a 404 `{"errors":["Not Found"]}`.

Response schemas are the wire models the handlers build through (`models.py`, `errors.py`);
parameters and request bodies are written out here from the constants the handlers check
(`routes.py`, `subscriptions.py`, `inferred.py`). Operation ids follow the reference's page names
(`payment_admin-dispute-list`, …) where it has them (docs/providers/shoplazza.md).
"""

from __future__ import annotations

from typing import Any

from ...openapi import Document, Param, Reply, Schema
from . import inferred
from .models import STATUSES
from .subscriptions import KNOWN_TOPICS
from .wire import (
    CodeError,
    Dispute,
    FieldErrors,
    GetResponse,
    ListError,
    ListResponse,
    Nothing,
    OAuthError,
    StringError,
    TokenResponse,
    WebhookCount,
    WebhookList,
    WebhookOne,
    WrappedNothing,
    WrappedWebhook,
    WrappedWebhookCount,
    WrappedWebhookPage,
)

SCHEME = "accessToken"
HEADERS: dict[str, Schema] = {"Request-Id": {"type": "string", "description": "a fresh id on every reply"}}
FLAT_VERSIONS = sorted(inferred.WEBHOOK_VERSIONS - inferred.WRAPPED_WEBHOOK_VERSIONS)
WRAPPED_VERSIONS = sorted(inferred.WRAPPED_WEBHOOK_VERSIONS)
DISPUTE_VERSIONS = sorted(inferred.VERSIONS)


def _reply(body: Any, description: str, **headers: Schema) -> Reply:
    return Reply(body, description, headers={**HEADERS, **headers})


def _errors(doc: Document, *, scope: bool, field_status: int | None, not_found: type | None) -> dict[int | str, Reply]:
    """The refusals every Access-Token route shares; `field_status` 422 for the flat webhook API's
    field errors (400 `InvalidParameter` from 2025-06)."""
    bad: Schema = {"anyOf": [doc.schema(CodeError), doc.schema(StringError)]}
    out: dict[int | str, Reply] = {
        400: _reply(bad, "a bad parameter or body (`InvalidParameter`), a missing or invalid token "
                         "(`{\"error\":\"Unauthorized\"}`), or a store that is not active"),
        401: _reply(StringError, "a missing or invalid token, when the scenario's `auth_failure_status` is 401"),
        404: _reply(not_found or ListError, "an unknown record" if not_found else "an unknown version or route"),
        429: _reply(ListError, "the store's leaky bucket is full (when the scenario turns it on)",
                    **{"Retry-After": {"type": "integer"}}),
    }
    if not_found is not None and not_found is not ListError:
        out[404] = _reply({"anyOf": [doc.schema(not_found), doc.schema(ListError)]},
                          "an unknown record (or an unknown version or route)")
    if scope:
        out[403] = _reply(ListError, "the token lacks the scope (`read_finance`, or the topic's read scope)")
    if field_status == 422:
        out[422] = _reply(FieldErrors, "a field is blank, invalid or taken (messages by field)")
    return out


def _version(versions: list[str]) -> Param:
    return Param("version", "path", {"type": "string", "enum": versions},
                 description="the API version; any other is a 404")


def _disputes(doc: Document, versions: list[str]) -> None:
    security = [{SCHEME: [inferred.REQUIRED_SCOPE]}]
    base = "/openapi/{version}/shoplazza-payment/disputes"
    unix = {"type": "string", "pattern": "^" + inferred.TIMESTAMP_PATTERN + "$",
            "description": "Unix seconds as a string; inclusive"}
    doc.operation(
        "GET", base, operation_id="payment_admin-dispute-list", tags=["Shoplazza Payments"],
        summary="List disputes, newest first, filtered by status and creation time", security=security,
        params=[
            _version(versions),
            Param("cursor", "query", {"type": "string"}, description="`data.cursor` of the previous page"),
            Param("limit", "query", {"type": "integer", "minimum": 1, "maximum": inferred.MAX_LIMIT,
                                     "default": inferred.DEFAULT_LIMIT}),
            Param("status", "query", {"type": "string", "enum": list(STATUSES)}),
            Param("created_at_min", "query", unix), Param("created_at_max", "query", unix),
        ],
        responses={200: _reply(ListResponse, "a page of disputes"),
                   **_errors(doc, scope=True, field_status=None, not_found=None)},
    )
    doc.operation(
        "GET", base + "/{id}", operation_id="payment_admin-dispute-order", tags=["Shoplazza Payments"],
        summary="Get a dispute (under `data.dispute`)", security=security,
        params=[_version(versions), Param("id", "path", {"type": "string"})],
        responses={200: _reply(GetResponse, "the dispute"),
                   **_errors(doc, scope=True, field_status=None, not_found=CodeError)},
    )


# The sandbox delivers only where --webhook-allow admits (loopback by default): the documents offer
# loopback receivers, which also keeps a fuzzer from making the sandbox resolve names.
ADDRESS: Schema = {
    "type": "string", "format": "uri", "maxLength": 2000,
    "pattern": r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:[1-9][0-9]{0,3})?(/[A-Za-z0-9._~-]{0,40}){0,4}$",
    "description": "an http(s) URL; the sandbox refuses one its --webhook-allow does not admit (loopback by default)",
}
TOPIC: Schema = {"type": "string", "enum": sorted(KNOWN_TOPICS),
                 "description": "`disputes/create` and `disputes/update` are the sandbox's own (Shoplazza has no "
                                "dispute topic); the others are accepted but never sent"}
INSTANT: Schema = {"type": "string", "format": "date-time"}


def _webhooks(doc: Document, versions: list[str], wrapped: bool) -> None:
    base = "/openapi/{version}/webhooks"
    tags = ["Webhooks"]
    fields: Schema = {"type": "object", "properties": {"address": ADDRESS, "topic": TOPIC}}
    create: Schema = {**fields, "required": ["address", "topic"]}
    if wrapped:
        create = {"type": "object", "required": ["webhook"], "properties": {"webhook": create}}
        fields = {"type": "object", "required": ["webhook"], "properties": {"webhook": fields}}
    one, page, count, nothing = (WrappedWebhook, WrappedWebhookPage, WrappedWebhookCount, WrappedNothing) if wrapped \
        else (WebhookOne, WebhookList, WebhookCount, Nothing)
    field_status = None if wrapped else 422
    filters = [Param("address", "query", {"type": "string"}),
               Param("topic", "query", {"type": "string"}, description="one topic or a comma-separated list"),
               *[Param(f"{what}_at_{end}", "query", INSTANT) for what in ("created", "updated") for end in ("min", "max")]]
    size = {"type": "integer", "minimum": 1, "maximum": inferred.WEBHOOK_LIST_MAX, "default": inferred.WEBHOOK_LIST_DEFAULT}
    paging = [Param("page_size", "query", size), Param("cursor", "query", {"type": "string"})] if wrapped else \
        [Param("limit", "query", size), Param("page", "query", {"type": "integer", "minimum": 1, "maximum": 999_999_999,
                                                                 "default": 1})]
    security: list[dict[str, list[str]]] = [{SCHEME: []}]
    version = _version(versions)
    ident = Param("id", "path", {"type": "string"})
    refusals = _errors(doc, scope=False, field_status=field_status, not_found=None)
    writes = _errors(doc, scope=True, field_status=field_status, not_found=None)
    by_id = _errors(doc, scope=False, field_status=None, not_found=ListError)  # reads no query or body
    writes_by_id = _errors(doc, scope=True, field_status=field_status, not_found=ListError)
    doc.operation("GET", base, operation_id="webhooks-list", tags=tags, summary="List the store's webhooks",
                  security=security, params=[version, *filters, *paging],
                  responses={200: _reply(page, "the webhooks, oldest first"), **refusals})
    doc.operation("POST", base, operation_id="webhooks-create", tags=tags, summary="Subscribe an address to a topic",
                  security=security, params=[version], body=create,
                  responses={200: _reply(one, "the new webhook"), **writes})
    doc.operation("GET", base + "/count", operation_id="webhooks-count", tags=tags,
                  summary="Count the store's webhooks", security=security, params=[version, *filters],
                  responses={200: _reply(count, "how many match"), **refusals})
    doc.operation("GET", base + "/{id}", operation_id="webhooks-get", tags=tags, summary="Get a webhook",
                  security=security, params=[version, ident], responses={200: _reply(one, "the webhook"), **by_id})
    doc.operation("PUT", base + "/{id}", operation_id="webhooks-update", tags=tags,
                  summary="Change a webhook's address or topic", security=security, params=[version, ident], body=fields,
                  responses={200: _reply(one, "the changed webhook"), **writes_by_id})
    doc.operation("DELETE", base + "/{id}", operation_id="webhooks-delete", tags=tags,
                  summary="Delete a webhook", security=security, params=[version, ident],
                  responses={200: _reply(nothing, "deleted"), **by_id})


def _oauth(doc: Document) -> None:
    refused: dict[int | str, Reply] = {400: _reply({"anyOf": [doc.schema(OAuthError), doc.schema(StringError)]},
                           "an OAuth error (RFC 6749 §5.2), or a store that is not active"),
               401: _reply(OAuthError, "`invalid_client`: unknown client_id or wrong client_secret")}
    doc.operation(
        "GET", "/admin/oauth/authorize", operation_id="oauth-authorize", tags=["OAuth"], security=[],
        summary="Grant at once (the sandbox has no consent screen) and redirect with code, shop, state, hmac",
        params=[Param("client_id", "query", {"type": "string"}, required=True),
                Param("redirect_uri", "query", {"type": "string", "format": "uri"}),
                Param("scope", "query", {"type": "string"}, description="space- or comma-separated scopes"),
                Param("state", "query", {"type": "string"}),
                Param("response_type", "query", {"type": "string", "enum": ["code"], "default": "code"})],
        responses={302: Reply(None, "to redirect_uri with `code`, `shop`, `state`, `hmac`",
                              headers={**HEADERS, "Location": {"type": "string", "format": "uri"}}), **refused},
    )
    form: Schema = {"type": "object", "required": ["client_id", "client_secret", "grant_type"], "properties": {
        "client_id": {"type": "string"}, "client_secret": {"type": "string"},
        "grant_type": {"type": "string", "enum": ["authorization_code", "refresh_token"]},
        "code": {"type": "string"}, "refresh_token": {"type": "string"}, "redirect_uri": {"type": "string"}}}
    doc.operation(
        "POST", "/admin/oauth/token", operation_id="oauth-token", tags=["OAuth"], security=[],
        summary="An authorization code (once) or a refresh token → an access token for `Access-Token`",
        body=form, body_media_type="application/x-www-form-urlencoded",
        responses={200: _reply(TokenResponse, "the token"), **refused},
    )


def _document(title_version: str, description: str) -> Document:
    return Document(
        f"Shoplazza OpenAPI {title_version} (Dispute Sandbox)", title_version, servers=["/shoplazza"],
        description=description + " Every reply carries `Request-Id`. In host mode (`<store>.myshoplaza.com`) the "
                                  "subdomain names the store; in path mode the token does.",
        security_schemes={SCHEME: {"type": "apiKey", "in": "header", "name": "Access-Token",
                                   "description": "A private app's token or one from the OAuth flow (not "
                                                  "`Authorization: Bearer`); the scopes an operation needs are "
                                                  "listed in its security requirement."}},
    )


def build() -> dict[str, Any]:
    """2024-07: disputes, the flat webhook API (2022-01 and 2024-07), OAuth."""
    doc = _document("2024-07", "Shoplazza Payments disputes (read-only), the webhook API with flat `{address, topic}` "
                               "bodies and bare answers, and the OAuth install flow.")
    _disputes(doc, ["2024-07"])
    _webhooks(doc, FLAT_VERSIONS, wrapped=False)
    _oauth(doc)
    return _linked(doc.to_json(), wrapped=False)


# Schemathesis checks that do not fit what Shoplazza documents, for the contract test to leave off:
# `ignored_auth` wants 401/403 without a token, and Shoplazza answers 400 `{"error":"Unauthorized"}`;
# `positive_data_acceptance` wants schema-valid data accepted, and a drawn `cursor` is a 400 `wrong
# cursor` and a second webhook for the same address and topic a 422 "has already been taken".
EXCLUDED_CHECKS = "x-sandbox-excluded-checks"


def build_2025() -> dict[str, Any]:
    """2025-06, 2026-01, 2026-07: disputes and the wrapped webhook API."""
    doc = _document("2025-06", "Shoplazza Payments disputes (read-only) and the webhook API with `{\"webhook\": {…}}` "
                               "bodies, answers in `{code, message, data}` and `page_size`/`cursor` paging.")
    _disputes(doc, [v for v in DISPUTE_VERSIONS if v in inferred.WRAPPED_WEBHOOK_VERSIONS])
    _webhooks(doc, WRAPPED_VERSIONS, wrapped=True)
    return _linked(doc.to_json(), wrapped=True)


def _linked(doc: dict[str, Any], wrapped: bool) -> dict[str, Any]:
    """The checks a fuzzer should leave off, and response links (OpenAPI's `links`) list → get and create → get/update/delete, so a stateful
    fuzzer can follow them."""
    data = "/data" if wrapped else ""
    doc[EXCLUDED_CHECKS] = ["ignored_auth", "positive_data_acceptance"]
    _examples(doc, wrapped)
    version = {"version": "$request.path.version"}
    disputes = "/openapi/{version}/shoplazza-payment/disputes"
    _link(doc, disputes, "get", "payment_admin-dispute-order",
          {**version, "id": "$response.body#/data/list/0/id"})
    for target in ("webhooks-get", "webhooks-update", "webhooks-delete"):
        _link(doc, "/openapi/{version}/webhooks", "post", target,
              {**version, "id": f"$response.body#{data}/webhook/id"})
    _link(doc, "/openapi/{version}/webhooks", "get", "webhooks-get",
          {**version, "id": f"$response.body#{data}/webhooks/0/id"})
    return doc


# -- targeted requests for the contract test (`x-sandbox-examples`, `x-sandbox-not-fuzzed`; see
# sandbox/openapi.py), from the default scenario: its first store's tokens, a dispute and the app.
NO_SCOPE = {"Access-Token": "shoplazza_test_aurora_noscope"}  # read_product only
DISPUTE = "dp_thbrorMt8N0oy2a9bqyw6cleVlN"
APP = {"client_id": "shoplazza_app_aurora", "client_secret": "shoplazza_app_secret_aurora"}
NOT_FUZZED = {
    "401": "only under the scenario's `auth_failure_status: 401` (the default answers 400)",
    "429": "only with the scenario's `rate_limit:` on and the store's bucket of 40 emptied first",
}


def _examples(doc: dict[str, Any], wrapped: bool) -> None:
    """Each operation's refusals (400 without a token, 403 without the scope, 404 for another
    version or an unknown id, 422/400 for a bad field) and its success."""
    v = WRAPPED_VERSIONS[0] if wrapped else "2024-07"
    hook = {"address": "http://127.0.0.1:9/hook", "topic": "disputes/update"}

    def body(fields: dict[str, Any]) -> dict[str, Any]:
        return {"webhook": fields} if wrapped else fields

    def create(fields: dict[str, Any] = hook) -> dict[str, Any]:
        return {"operation_id": "webhooks-create", "path_parameters": {"version": v}, "body": body(fields),
                "media_type": "application/json", "status": 200}

    made = f"$last#{'/data' if wrapped else ''}/webhook/id"
    bad_field = 400 if wrapped else 422
    at = {"version": v}
    table: dict[tuple[str, str], list[dict[str, Any]]] = {
        ("get", "/openapi/{version}/shoplazza-payment/disputes"): [
            {"path_parameters": at, "status": 200}, {"path_parameters": at, "anonymous": True, "status": 400},
            {"path_parameters": at, "headers": NO_SCOPE, "status": 403},
            {"path_parameters": {"version": "2020-01"}, "status": 404}],
        ("get", "/openapi/{version}/shoplazza-payment/disputes/{id}"): [
            {"path_parameters": {**at, "id": DISPUTE}, "status": 200},
            {"path_parameters": {**at, "id": DISPUTE}, "anonymous": True, "status": 400},
            {"path_parameters": {**at, "id": DISPUTE}, "headers": NO_SCOPE, "status": 403},
            {"path_parameters": {**at, "id": "dp_unknown"}, "status": 404}],
        ("get", "/openapi/{version}/webhooks"): [
            {"path_parameters": at, "status": 200}, {"path_parameters": at, "anonymous": True, "status": 400},
            {"path_parameters": {"version": "2020-01"}, "status": 404},
            {"path_parameters": at, "query": {"page_size" if wrapped else "limit": "x"}, "status": bad_field}],
        ("get", "/openapi/{version}/webhooks/count"): [
            {"path_parameters": at, "status": 200}, {"path_parameters": at, "anonymous": True, "status": 400},
            {"path_parameters": {"version": "2020-01"}, "status": 404},
            {"path_parameters": at, "query": {"created_at_min": "x"}, "status": bad_field}],
        ("post", "/openapi/{version}/webhooks"): [
            create(), {**create(), "anonymous": True, "status": 400},
            {**create({**hook, "topic": "products/create"}), "status": 403},
            {**create({**hook, "address": ""}), "status": bad_field},
            {**create(), "path_parameters": {"version": "2020-01"}, "status": 404}],
        ("get", "/openapi/{version}/webhooks/{id}"): [
            create({**hook, "topic": "orders/create"}), {"path_parameters": {**at, "id": made}, "status": 200},
            {"path_parameters": {**at, "id": "nope"}, "anonymous": True, "status": 400},
            {"path_parameters": {**at, "id": "nope"}, "status": 404}],
        ("put", "/openapi/{version}/webhooks/{id}"): [
            create({**hook, "topic": "orders/paid"}),
            {"path_parameters": {**at, "id": made}, "body": body({"address": "http://127.0.0.1:9/other"}),
             "media_type": "application/json", "status": 200},
            {"path_parameters": {**at, "id": "nope"}, "body": body({}), "media_type": "application/json",
             "anonymous": True, "status": 400},
            {"path_parameters": {**at, "id": "nope"}, "body": body({}), "media_type": "application/json",
             "status": 404},
            create({**hook, "topic": "orders/delete"}),
            {"path_parameters": {**at, "id": made}, "body": body({"topic": "products/create"}),
             "media_type": "application/json", "status": 403},
            create({**hook, "topic": "orders/cancelled"}),
            {"path_parameters": {**at, "id": made}, "body": body({"address": ""}),
             "media_type": "application/json", "status": bad_field}],
        ("delete", "/openapi/{version}/webhooks/{id}"): [
            create({**hook, "topic": "orders/refunded"}), {"path_parameters": {**at, "id": made}, "status": 200},
            {"path_parameters": {**at, "id": "nope"}, "anonymous": True, "status": 400},
            {"path_parameters": {**at, "id": "nope"}, "status": 404}],
        ("get", "/admin/oauth/authorize"): [
            {"query": {"client_id": APP["client_id"], "redirect_uri": "http://127.0.0.1:9/cb", "state": "s"},
             "status": 302},
            {"query": {"client_id": APP["client_id"], "response_type": "token"}, "status": 400},
            {"query": {"client_id": "unknown"}, "status": 401}],
        ("post", "/admin/oauth/token"): [
            {"body": {**APP, "grant_type": "password"}, "media_type": "application/x-www-form-urlencoded",
             "status": 400},
            {"body": {**APP, "client_secret": "wrong", "grant_type": "refresh_token"},
             "media_type": "application/x-www-form-urlencoded", "status": 401}],
    }
    for (method, path), examples in table.items():
        op = doc["paths"].get(path, {}).get(method)
        if op is None:
            continue
        op["x-sandbox-examples"] = examples
        for code, why in NOT_FUZZED.items():
            if code in op["responses"] and op.get("security") != []:
                op["responses"][code]["x-sandbox-not-fuzzed"] = why
    token = doc["paths"].get("/admin/oauth/token", {}).get("post")
    if token is not None:
        token["responses"]["200"]["x-sandbox-not-fuzzed"] = (
            "needs the code of an authorize redirect (its Location), which an example cannot carry over")


def _link(doc: dict[str, Any], path: str, method: str, target: str, params: dict[str, str]) -> None:
    reply = doc["paths"][path][method]["responses"]["200"]
    reply.setdefault("links", {})[target] = {"operationId": target, "parameters": params}


def control(doc: Document) -> None:
    """The fake-only `/_sandbox/shoplazza/…` routes (control.py): what the Shoplazza admin and the
    card network do, which the read-only API cannot."""
    from .control import ACTIONS

    problem: Schema = {"type": "object", "required": ["error"], "properties": {
        "error": {"type": "string"}, "problems": {"type": "array", "items": {"type": "string"}}}}
    shown: Schema = {"type": "object", "required": ["dispute"], "additionalProperties": False,
                     "properties": {"dispute": doc.schema(Dispute)}}
    status = {"type": "string", "enum": list(STATUSES)}
    doc.operation("POST", "/shoplazza/disputes", operation_id="shoplazzaOpenDispute", tags=["shoplazza"],
                  summary="Open a dispute now in a store (`store`: its subdomain or id), any dispute field given",
                  body={"type": "object", "required": ["store"], "properties": {"store": {"type": "string", "minLength": 1},
                                                                                "status": status}},
                  responses={201: Reply(shown, "the new dispute"), 400: Reply(problem, "an invalid body"),
                             404: Reply(problem, "no such store"), 409: Reply(problem, "the id exists already")})
    body: Schema = {"type": "object", "properties": {
        "action": {"type": "string", "enum": sorted(ACTIONS)}, "outcome": status, "status": status,
        "expiration_time": {"type": "string"}}}
    for path, params, op_id in (
        ("/shoplazza/disputes/{id}/act", [Param("id", "path", {"type": "string"})], "shoplazzaDisputeAct"),
        ("/shoplazza/disputes/{id}/{action}", [Param("id", "path", {"type": "string"}),
                                               Param("action", "path", {"type": "string", "enum": sorted(ACTIONS)})],
         "shoplazzaDisputeAction"),
    ):
        doc.operation("POST", path, operation_id=op_id, tags=["shoplazza"], params=params, body=body,
                      body_required=False,
                      summary="respond, escalate, resolve `{outcome}` or set_status `{status, expiration_time}`",
                      responses={200: Reply(shown, "the dispute"), 400: Reply(problem, "a refused action or body"),
                                 404: Reply(problem, "no such dispute"), 409: Reply(problem, "not in this state")})
    json = "application/json"
    known = {"id": DISPUTE}
    _extend(doc, "POST", "/shoplazza/disputes", [
        {"body": {"store": "aurora-apparel"}, "media_type": json, "status": 201},
        {"body": {"store": ""}, "media_type": json, "status": 400},
        {"body": {"store": "no-such-store"}, "media_type": json, "status": 404},
        {"body": {"store": "aurora-apparel", "id": DISPUTE}, "media_type": json, "status": 409}])
    _extend(doc, "POST", "/shoplazza/disputes/{id}/act", [
        {"path_parameters": known, "body": {"action": "set_status", "status": "needs_response"}, "media_type": json,
         "status": 200},
        {"path_parameters": known, "body": {"action": "escalate"}, "media_type": json, "status": 409},
        {"path_parameters": known, "body": {}, "media_type": json, "status": 400},
        {"path_parameters": {"id": "dp_unknown"}, "body": {"action": "respond"}, "media_type": json, "status": 404}])
    _extend(doc, "POST", "/shoplazza/disputes/{id}/{action}", [
        {"path_parameters": {**known, "action": "set_status"}, "body": {"status": "needs_response"},
         "media_type": json, "status": 200},
        {"path_parameters": {**known, "action": "escalate"}, "body": {}, "media_type": json, "status": 409},
        {"path_parameters": {**known, "action": "resolve"}, "body": {"outcome": "maybe"}, "media_type": json,
         "status": 400},
        {"path_parameters": {"id": "dp_unknown", "action": "respond"}, "body": {}, "media_type": json,
         "status": 404}])


def _extend(doc: Document, method: str, path: str, examples: list[dict[str, Any]]) -> None:
    """`x-sandbox-examples` on an operation already added (the contract test sends them first)."""
    doc._paths[path][method.lower()]["x-sandbox-examples"] = examples  # Document keeps operations by path
