"""OrderProtection's OpenAPI document (`/_sandbox/openapi/orderprotection.json`) and its control
routes in the control plane's, built from the wire models the handlers answer with.

Operation ids follow the docs' page slugs (docs/providers/orderprotection.md lists them): `getClaims`,
`getClaimsByOrder`, `createOnlineClaim`, … Query parameter names of `GET /v1/claims` are the
sandbox's (inferred.py): the real names were lost in the archived page. The two webhook dialects
are in the document's `webhooks`, one entry per topic.
"""

from __future__ import annotations

from typing import Any

from ...openapi import Document, Param, Reply, Schema
from . import inferred, webhooks
from .models import CLAIM_STATES, CLAIM_TYPES, FULFILLMENT_STATUSES, ISSUE_TYPES, SENDER_TYPES
from .routes import SCOPES
from .session import SessionTokenBody
from .wire import (
    ClaimNode,
    Connection,
    ErrorBody,
    Fulfillment,
    OfflineCreated,
    Ok,
    OrderConnection,
    OrderNode,
    SessionContext,
    TokenResponse,
)

SERVER = "/orderprotection"  # paths carry the documented `/v1`
RETRY_AFTER = {"Retry-After": {"type": "string", "pattern": "^[0-9]+$", "description": "seconds to wait"}}
WEBHOOK_MARK = "/x-sandbox-webhook/"
# `x-sandbox-rejects-valid`: statuses with which an operation refuses some schema-valid requests, and
# why (rules a schema cannot state: a cursor naming a live claim, the order's email, the 45-day
# window); a fuzzer's positive-data check should expect them there.
REJECTS_VALID = "x-sandbox-rejects-valid"  # webhook entries ride in the paths until `_move_webhooks`

ERRORS: dict[int, Reply] = {
    400: Reply(ErrorBody, "validation failed: `message` lists every problem"),
    401: Reply(ErrorBody, "no, unknown, revoked or expired token"),
    403: Reply(ErrorBody, "the token lacks the operation's scope"),
    404: Reply(ErrorBody, "unknown order (or another store's)"),
    409: Reply(ErrorBody, "the id already exists"),
    429: Reply(ErrorBody, "throttled", headers=RETRY_AFTER),
}


def _errors(*statuses: int) -> dict[int | str, Reply]:
    return {s: ERRORS[s] for s in statuses}


def _security(scopes: tuple[str, ...]) -> list[dict[str, list[str]]]:
    """A scenario token as a bearer, or an OAuth token holding any one of `scopes`."""
    return [{"bearer": []}, *({"oauth2": [s]} for s in scopes)]


def _int(name: str, maximum: int, default: int, description: str = "") -> Param:
    return Param(name, "query", {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
                 description=description)


def _many(name: str, item: Schema, description: str = "") -> Param:
    """Repeated (`name=a&name=b`); `name[]=a` and `name=a,b` are read too."""
    return Param(name, "query", {"type": "array", "items": item}, description=description, style="form", explode=True)


def _enum(values: tuple[str, ...]) -> Schema:
    return {"type": "string", "enum": list(values)}


SOURCE_ORDER_ID = Param("sourceOrderId", "path", {"type": "string", "minLength": 1},
                        description="the merchant platform's order id")
TEXT = {"type": "string", "minLength": 1}
OPTIONAL = {"type": "string", "description": "empty: absent"}  # inferred.py: empty values


def _claims_params() -> list[Param]:
    page = inferred.MAX_PAGE_SIZE
    return [
        _int(inferred.PARAM_FIRST, page, inferred.DEFAULT_PAGE_SIZE, "page size, forward"),
        Param(inferred.PARAM_AFTER, "query", OPTIONAL, description="a claim id (a previous page's endCursor)"),
        _int(inferred.PARAM_LAST, page, inferred.DEFAULT_PAGE_SIZE, "page size, backward (not with first)"),
        Param(inferred.PARAM_BEFORE, "query", OPTIONAL, description="a claim id (a previous page's startCursor)"),
        _int(inferred.PARAM_SIZE_ALIAS, page, inferred.DEFAULT_PAGE_SIZE, "alias of first"),
        Param(inferred.PARAM_CURSOR_ALIAS, "query", OPTIONAL, description="alias of after"),
        _many(inferred.PARAM_STATE, _enum(CLAIM_STATES)),
        _many("claimType", _enum(CLAIM_TYPES)),
        *(_many(name, OPTIONAL, "exact match") for name in inferred.FIELD_FILTERS if name != "claimType"),
        _many(inferred.PARAM_SENDER, _enum(SENDER_TYPES), "claims with a message from this sender"),
        Param(inferred.PARAM_OPERATOR, "query", {"type": "string", "enum": ["AND", "OR"], "default": "AND"}),
        Param(inferred.PARAM_FILTER, "query",
              {"type": "string", "contentMediaType": "application/json", "description": "a JSON object of node field → value or values"}),
    ]


def _object(properties: dict[str, Schema], required: tuple[str, ...] = ()) -> Schema:
    out: Schema = {"type": "object", "properties": properties}
    if required:
        out["required"] = list(required)
    return out


STR = {"type": "string", "maxLength": 255}
LONG = {"type": "string", "maxLength": inferred.MAX_TEXT}
URL = {"type": "string", "format": "uri", "pattern": "^https?://", "maxLength": 2048}
EMAIL = {"type": "string", "format": "email", "maxLength": 320}
QUANTITY = {"type": "integer", "minimum": 1, "maximum": 100_000, "default": 1}
ISSUE_TYPE = _enum(ISSUE_TYPES)
ITEM_ISSUE = _object({
    "issueType": ISSUE_TYPE, "quantity": QUANTITY,
    "sourceItemId": STR, "sourceProductId": STR, "sourceVariantId": STR, "details": LONG,
    "images": {"type": "array", "items": URL, "maxItems": inferred.MAX_ISSUES},
}, ("issueType",))


def online_claim_schema() -> Schema:
    """The body `bodies.online_claim` reads (docs/providers/orderprotection.md "Claims")."""
    issues = {"type": "array", "items": ITEM_ISSUE, "maxItems": inferred.MAX_ISSUES}
    body = _object({
        "email": EMAIL,
        "salesChannel": {"type": "string", "enum": ["ONLINE", "IN_STORE"], "default": "ONLINE"},
        "claimCategory": {"type": "string", "enum": ["SHIPPING", "WARRANTY"], "default": "SHIPPING"},
        "claimFiledFrom": {"type": "string", "enum": ["EXTERNAL", "INTERNAL"], "default": "EXTERNAL"},
        "issues": issues,
        "fulfillmentIssues": {"type": "array", "maxItems": inferred.MAX_ISSUES, "items": _object(
            {"sourceFulfillmentId": STR, "issues": issues})},
        "resolution": _object({
            "customerSignature": URL, "desiredMethod": {"type": "string", "enum": ["RESHIP", "REFUND", "STORE_CREDIT"]},
            "warrantyPeriod": {"type": "string", "description": "ISO 8601 duration, e.g. P1Y"},
            "updatedShippingAddress": {"type": "object"},
        }),
        "options": _object({"fromValet": {"type": "boolean"}, "requireCustomerSignature": {"type": "boolean"}}),
    }, ("email",))
    body["anyOf"] = [{"required": ["issues"], "properties": {"issues": {"minItems": 1}}},
                     {"required": ["fulfillmentIssues"], "properties": {"fulfillmentIssues": {"minItems": 1}}}]
    return body


def offline_claim_schema() -> Schema:
    return _object({
        "customer": _object({"email": EMAIL, "phoneNumber": {"type": "string", "maxLength": 32}}, ("email",)),
        "item": _object({"name": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "\\S"}, "sourceItemId": STR, "sourceProductId": STR, "sourceVariantId": STR,
                         "sku": STR, "details": LONG, "productImage": URL, "price": {"type": "number", "minimum": 0, "maximum": 1e9},
                         "images": {"type": "array", "items": URL, "maxItems": inferred.MAX_ISSUES}, "subIssueId": STR}, ("name",)),
        "warranty": _object({"dateOfPurchase": {"type": "string", "format": "date-time"}, "receiptRequired": {"type": "boolean"},
                             "receiptImages": {"type": "array", "items": URL}, "warrantyPeriod": STR,
                             "productDescription": STR}),
        "shippingAddress": {"type": "object"},
        "storeId": {"type": "string", "description": "must be the token's store"},
        "signature": URL,
        "salesChannel": {"type": "string", "enum": ["ONLINE", "IN_STORE"]},
        "claimCategory": {"type": "string", "enum": ["SHIPPING", "WARRANTY"]},
        "issueType": ISSUE_TYPE,
        "resolution": {"type": "string", "enum": ["RESHIP", "REFUND", "STORE_CREDIT"]},
        "claimFiledFrom": {"type": "string", "enum": ["EXTERNAL", "INTERNAL"]},
    }, ("customer", "item", "issueType"))


FULFILLMENT = _object({
    "sourceFulfillmentId": TEXT,
    "fulfillmentStatus": {**_enum(FULFILLMENT_STATUSES), "description": "case ignored; `shipped` reads IN_TRANSIT"},
    "trackingCompany": STR,
    "trackingNumber": {"type": "array", "items": STR},
    "trackingUrl": {"type": "array", "items": URL},
    "sourceItemIds": {"type": "array", "maxItems": inferred.MAX_ISSUES * 10,
                      "items": _object({"sourceItemId": {**TEXT, "maxLength": 255, "pattern": "\\S"}, "quantity": QUANTITY},
                                       ("sourceItemId",))},
    "createdAt": {"type": "string", "format": "date-time"},
}, ("sourceFulfillmentId", "fulfillmentStatus", "sourceItemIds"))


def order_schema(create: bool) -> Schema:
    """`POST /v1/orders` (create) or `PUT /v1/orders/{id}` (every field optional)."""
    money = {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1e9},
                       {"type": "string", "pattern": "^[0-9]{1,9}(\\.[0-9]{1,2})?$"}],
             "description": "a number, or a numeric string (`\"15.40\"`)"}
    item = _object({"productName": TEXT, "sourceItemId": TEXT, "quantity": QUANTITY,
                    "price": money, "sku": STR, "productUrl": URL, "productImage": URL, "sourceProductId": STR,
                    "sourceVariantId": STR, "description": STR}, ("productName", "sourceItemId"))
    props: dict[str, Schema] = {
        "sourceOrderNumber": STR, "customerEmail": {"type": "string", "format": "email"}, "customerName": STR,
        "customerPhone": STR, "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "platformId": {"type": "string", "enum": ["shopify", "woocommerce", "magento", "bigcommerce", "api"]},
        "originalSourceOrderId": {"type": "string", "description": "marks a replacement (reship) order"},
        "sourceCreatedAt": {"type": "string", "format": "date-time"},
        "premiumPaid": money, "premiumCost": money, "total": money, "subtotal": money, "tax": money,
        "shippingCost": money, "orderItems": {"type": "array", "items": item, "minItems": 1, "maxItems": inferred.MAX_ISSUES * 10},
        "address": {"type": "object"},
    }
    if create:
        props = {"sourceOrderId": TEXT, **props, "fulfillments": {"type": "array", "items": FULFILLMENT}}
        return _object(props, ("sourceOrderId", "customerEmail", "orderItems"))
    return _object(props)


def _token_body() -> Schema:
    return _object({
        "grant_type": {"type": "string", "enum": ["authorization_code", "refresh_token", "client_credentials"]},
        "client_id": STR, "client_secret": STR, "store_id": STR, "refresh_token": STR,
        "scopes": {"type": "array", "items": _enum(SCOPES)}, "code": STR, "redirect_uri": STR, "code_verifier": STR,
    }, ("grant_type", "client_id", "client_secret"))


def build() -> dict[str, Any]:
    claims_read, claims_write = _security(inferred.READ_SCOPES), _security(inferred.WRITE_SCOPES)
    orders_read, orders_write = _security(inferred.ORDER_READ_SCOPES), _security(inferred.ORDER_WRITE_SCOPES)
    fulfillments = _security(inferred.FULFILLMENT_SCOPES)
    doc = Document(
        "OrderProtection API (sandbox)", "v1", servers=[SERVER],
        description="Claims, orders and fulfillments of https://api.production.orderprotection.com as the sandbox serves them.",
        security_schemes={
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "op_at_…"},
            "oauth2": {"type": "oauth2", "flows": {"clientCredentials": {
                "tokenUrl": SERVER + "/v1/oauth/token", "refreshUrl": SERVER + "/v1/oauth/token",
                "scopes": {s: s.replace("_", " ") for s in SCOPES}}}},
        },
        security=[{"bearer": []}],
    )
    sfid = Param("sourceFulfillmentId", "path", {"type": "string", "minLength": 1})
    doc.operation("GET", "/v1/claims", operation_id="getClaims", summary="List claims (Relay connection)",
                  params=_claims_params(), security=claims_read, tags=["claims"],
                  responses={200: Reply(Connection), **_errors(400, 401, 403, 429)})
    doc.operation("POST", "/v1/claims/offline", operation_id="createOfflineClaim", tags=["claims"],
                  body=offline_claim_schema(), security=claims_write,
                  responses={201: Reply(OfflineCreated), **_errors(400, 401, 403, 429)})
    doc.operation("POST", "/v1/claims/{sourceOrderId}", operation_id="createOnlineClaim", tags=["claims"],
                  params=[SOURCE_ORDER_ID], body=online_claim_schema(), security=claims_write,
                  responses={201: Reply(Ok), **_errors(400, 401, 403, 404, 429)})
    doc.operation("GET", "/v1/orders/{sourceOrderId}/claims", operation_id="getClaimsByOrder", tags=["claims"],
                  params=[SOURCE_ORDER_ID], security=claims_read,
                  responses={200: Reply({"type": "array", "items": doc.schema(ClaimNode)}), **_errors(401, 403, 404, 429)})
    doc.operation("GET", "/v1/orders", operation_id="getAllOrders", tags=["orders"], security=orders_read,
                  params=[_int("size", inferred.ORDERS_MAX_SIZE, inferred.ORDERS_DEFAULT_SIZE),
                          Param("cursor", "query", OPTIONAL,
                                description="a pageCursors / pageInfo cursor (base64 `arrayconnection:N`)"),
                          _int("buttonNum", inferred.ORDERS_MAX_BUTTONS, inferred.ORDERS_DEFAULT_BUTTONS)],
                  responses={200: Reply(OrderConnection), **_errors(400, 401, 403, 429)})
    doc.operation("POST", "/v1/orders", operation_id="createOrder", tags=["orders"], security=orders_write,
                  body=order_schema(create=True),
                  responses={inferred.ORDER_CREATE_STATUS: Reply(Ok), **_errors(400, 401, 403, 409, 429)})
    doc.operation("GET", "/v1/orders/{sourceOrderId}", operation_id="getOrderBySourceId", tags=["orders"],
                  params=[SOURCE_ORDER_ID], security=orders_read,
                  responses={200: Reply(OrderNode), **_errors(401, 403, 404, 429)})
    doc.operation("PUT", "/v1/orders/{sourceOrderId}", operation_id="updateOrder", tags=["orders"],
                  params=[SOURCE_ORDER_ID], body=order_schema(create=False), security=orders_write,
                  responses={200: Reply(Ok), **_errors(400, 401, 403, 404, 429)})
    doc.operation("GET", "/v1/orders/{sourceOrderId}/fulfillments", operation_id="getFulfillmentsForOrder",
                  tags=["fulfillments"], params=[SOURCE_ORDER_ID], security=fulfillments,
                  responses={200: Reply({"type": "array", "items": doc.schema(Fulfillment)}), **_errors(401, 403, 404, 429)})
    doc.operation("POST", "/v1/orders/{sourceOrderId}/fulfillments", operation_id="createFulfillmentForOrder",
                  tags=["fulfillments"], params=[SOURCE_ORDER_ID], body=FULFILLMENT, security=fulfillments,
                  responses={201: Reply(Ok), **_errors(400, 401, 403, 404, 409, 429)})
    doc.operation("PUT", "/v1/orders/{sourceOrderId}/fulfillments/{sourceFulfillmentId}",
                  operation_id="updateFulfillmentStatus", tags=["fulfillments"], params=[SOURCE_ORDER_ID, sfid],
                  body=_object({"status": {**_enum(FULFILLMENT_STATUSES), "description": "case ignored"}}, ("status",)),
                  security=fulfillments, responses={200: Reply(Ok), **_errors(400, 401, 403, 404, 429)})
    doc.operation("POST", "/v1/oauth/token", operation_id="createToken", tags=["oauth"], security=[],
                  summary="OAuth 2.0 token (client_credentials, refresh_token; JSON or form encoded)",
                  body=_token_body(),
                  responses={200: Reply(TokenResponse), 400: ERRORS[400],
                             401: Reply(ErrorBody, "unknown client_id or wrong client_secret"),
                             403: Reply(ErrorBody, "app not installed on the store, or scopes not granted")})
    doc.operation("POST", "/v1/oauth/revoke", operation_id="revokeToken", tags=["oauth"], security=[],
                  body=_object({"token": TEXT, "client_id": STR, "client_secret": STR,
                                "token_type_hint": {"type": "string", "enum": ["access_token", "refresh_token"]}},
                               ("token", "client_id", "client_secret")),
                  responses={200: Reply(Ok), 400: ERRORS[400], 401: Reply(ErrorBody, "bad client credentials")})
    doc.operation("POST", "/v1/oauth/session/verify", operation_id="verifySessionToken", tags=["oauth"], security=[],
                  summary=f"Embedded-app session token ({inferred.SESSION_VERIFY_PER_MINUTE} requests a minute per IP)",
                  body=_object({"session_token": TEXT}, ("session_token",)),
                  responses={200: Reply(SessionContext), 400: ERRORS[400],
                             401: Reply(ErrorBody, "not a session token, altered, or expired"), 429: ERRORS[429]})
    _rejects(doc, "GET", "/v1/claims", 400, "after/before must name a live claim of the store; first and last exclude each other; filter must be a JSON object")
    _rejects(doc, "GET", "/v1/orders", 400, "cursor must be one the list handed out")
    _rejects(doc, "POST", "/v1/claims/{sourceOrderId}", 400,
             "email must be the order's customer; issues must match the order's items; the filing window must be open")
    _rejects(doc, "POST", "/v1/orders", 400, "originalSourceOrderId must be another order of the store; ids must not repeat")
    _rejects(doc, "PUT", "/v1/orders/{sourceOrderId}", 400, "originalSourceOrderId must be another order of the store")
    _rejects(doc, "POST", "/v1/oauth/token", 400, "a refresh_token must be live; authorization_code has no consent screen here")
    _add_webhooks(doc)
    _links(doc)
    out = _move_webhooks(doc.to_json())
    _examples(out)
    return out


# -- targeted requests for the contract test (`x-sandbox-examples`, `x-sandbox-not-fuzzed`; see
# sandbox/openapi.py): the default scenario's store `teststore2`, its tokens, app and records, so
# that each declared status is one the sandbox really answers.
JSON_BODY = "application/json"
CLAIMS_RW = {"Authorization": "Bearer op_at_teststore2_readwrite"}  # read_claims, write_claims
ORDERS_ONLY = {"Authorization": "Bearer op_at_teststore2_orders_only"}  # read_orders
ORDERS_RW = {"Authorization": "Bearer op_at_teststore2_orders_rw"}  # orders and claims, read and write
APP = {"client_id": "op_app_sandbox_demo", "client_secret": "op_secret_sandbox_demo"}
KNOWN = {"sourceOrderId": "5001001"}  # Desiree Ward's order, items 13001 and 13002, fulfilled 5 days ago
UNKNOWN = {"sourceOrderId": "no-such-order-000"}
CLAIM = {"email": "desiree.ward@example.com", "issues": [{"issueType": "DAMAGED", "sourceItemId": "13001"}]}
OFFLINE = {"customer": {"email": "walk.in@example.com"}, "item": {"name": "Travel Mug"}, "issueType": "DAMAGED"}
ORDER = {"sourceOrderId": "ex-order-9001", "customerEmail": "new.buyer@example.com",
         "orderItems": [{"productName": "Travel Mug", "sourceItemId": "ex-item-1"}]}
SHIPMENT = {"sourceFulfillmentId": "ex-ful-1", "fulfillmentStatus": "IN_TRANSIT",
            "sourceItemIds": [{"sourceItemId": "13001"}]}
SESSION_200 = ("needs a session token that the control plane mints (POST /_sandbox/orderprotection/session_tokens, "
               "in the control document); no request of this document makes one")


def _json(status: int, body: Any, **extra: Any) -> dict[str, Any]:
    return {"body": body, "media_type": JSON_BODY, "status": status, **extra}


# operationId → (the token it is sent with, a token without its scope, the examples past 401/403/429)
EXAMPLES: dict[str, tuple[dict[str, str], dict[str, str], list[dict[str, Any]]]] = {
    "getClaims": (CLAIMS_RW, ORDERS_ONLY, [{"status": 200}, {"query": {"after": "not-a-claim"}, "status": 400}]),
    "createOfflineClaim": (CLAIMS_RW, ORDERS_ONLY, [_json(201, OFFLINE), _json(400, {"issueType": "DAMAGED"})]),
    "createOnlineClaim": (CLAIMS_RW, ORDERS_ONLY, [
        _json(201, CLAIM, path_parameters=KNOWN), _json(404, CLAIM, path_parameters=UNKNOWN),
        _json(400, {**CLAIM, "email": "someone.else@example.com"}, path_parameters=KNOWN)]),
    "getClaimsByOrder": (CLAIMS_RW, ORDERS_ONLY, [{"path_parameters": KNOWN, "status": 200},
                                                  {"path_parameters": UNKNOWN, "status": 404}]),
    "getAllOrders": (ORDERS_RW, CLAIMS_RW, [{"status": 200}, {"query": {"cursor": "not-a-cursor"}, "status": 400}]),
    "createOrder": (ORDERS_RW, CLAIMS_RW, [_json(201, ORDER), _json(409, {**ORDER, "sourceOrderId": "5001001"}),
                                           _json(400, {"sourceOrderId": "ex-order-9002"})]),
    "getOrderBySourceId": (ORDERS_RW, CLAIMS_RW, [{"path_parameters": KNOWN, "status": 200},
                                                  {"path_parameters": UNKNOWN, "status": 404}]),
    "updateOrder": (ORDERS_RW, CLAIMS_RW, [
        _json(200, {"customerName": "Desiree W."}, path_parameters=KNOWN),
        _json(404, {"customerName": "Nobody"}, path_parameters=UNKNOWN),
        _json(400, {"originalSourceOrderId": "no-such-order-000"}, path_parameters=KNOWN)]),
    "getFulfillmentsForOrder": (ORDERS_RW, CLAIMS_RW, [{"path_parameters": KNOWN, "status": 200},
                                                       {"path_parameters": UNKNOWN, "status": 404}]),
    "createFulfillmentForOrder": (ORDERS_RW, CLAIMS_RW, [
        _json(201, SHIPMENT, path_parameters=KNOWN), _json(409, SHIPMENT, path_parameters=KNOWN),
        _json(404, SHIPMENT, path_parameters=UNKNOWN), _json(400, {"fulfillmentStatus": "LOST"}, path_parameters=KNOWN)]),
    "updateFulfillmentStatus": (ORDERS_RW, CLAIMS_RW, [
        _json(201, SHIPMENT, path_parameters=KNOWN, operation_id="createFulfillmentForOrder"),
        _json(200, {"status": "delivered"}, path_parameters={**KNOWN, "sourceFulfillmentId": "ex-ful-1"}),
        _json(404, {"status": "DELIVERED"}, path_parameters={**KNOWN, "sourceFulfillmentId": "no-such-ful"}),
        _json(400, {"status": "LOST"}, path_parameters={**KNOWN, "sourceFulfillmentId": "ex-ful-1"})]),
    "createToken": ({}, {}, [
        _json(200, {"grant_type": "client_credentials", **APP, "store_id": "teststore2"}),
        _json(400, {"grant_type": "password", **APP}),
        _json(403, {"grant_type": "client_credentials", **APP, "store_id": "teststore2", "scopes": ["write_orders"]})]),
    "revokeToken": ({}, {}, [_json(200, {"token": "op_at_not_issued", **APP}), _json(400, APP)]),
    "verifySessionToken": ({}, {}, [_json(400, {"session_token": ""})]),
}


def _examples(doc: dict[str, Any]) -> None:
    """Each operation: 401 without a token, 403 with one lacking its scope, 429 forced, then its
    own (EXAMPLES); a status no request of this document produces is marked not fuzzed."""
    for item in doc["paths"].values():
        for op in item.values():
            token, other, own = EXAMPLES[op["operationId"]]
            declared = op["responses"]
            found: list[dict[str, Any]] = []
            bearer = op.get("security") != []
            probe = own[-1]  # auth and throttling come first: its 401/403/429 are the ones shown
            if bearer and "401" in declared:
                found.append({**probe, "anonymous": True, "status": 401})
            if bearer and "403" in declared:
                found.append({**probe, "headers": other, "status": 403})
            if "429" in declared:
                found.append({**probe, "headers": token, "fault": True, "status": 429})
            found += [{"headers": token, **example} for example in own]
            op["x-sandbox-examples"] = found
    doc["paths"]["/v1/oauth/session/verify"]["post"]["responses"]["200"]["x-sandbox-not-fuzzed"] = SESSION_200


def _links(doc: Document) -> None:
    """Create → retrieve and list → retrieve, for stateful fuzzing (OpenAPI `links`)."""
    by_order = {"sourceOrderId": "$response.body#/edges/0/node/sourceOrderId"}
    _link(doc, "GET", "/v1/claims", 200, "getClaimsByOrder", by_order)
    _link(doc, "GET", "/v1/orders", 200, "getOrderBySourceId", by_order)
    _link(doc, "POST", "/v1/orders", inferred.ORDER_CREATE_STATUS, "getOrderBySourceId",
          {"sourceOrderId": "$request.body#/sourceOrderId"})
    _link(doc, "POST", "/v1/orders", inferred.ORDER_CREATE_STATUS, "getFulfillmentsForOrder",
          {"sourceOrderId": "$request.body#/sourceOrderId"})
    _link(doc, "GET", "/v1/orders/{sourceOrderId}", 200, "getFulfillmentsForOrder",
          {"sourceOrderId": "$response.body#/sourceOrderId"})
    _link(doc, "POST", "/v1/claims/{sourceOrderId}", 201, "getClaimsByOrder",
          {"sourceOrderId": "$request.path.sourceOrderId"})
    _link(doc, "POST", "/v1/claims/offline", 201, "getClaimsByOrder",
          {"sourceOrderId": "$response.body#/payload/sourceOrderId"})


def _rejects(doc: Document, method: str, path: str, status: int, why: str) -> None:
    doc._paths[path][method.lower()].setdefault(REJECTS_VALID, {})[str(status)] = why


def _link(doc: Document, method: str, path: str, status: int, target: str, params: dict[str, str]) -> None:
    reply = doc._paths[path][method.lower()]["responses"][str(status)]
    reply.setdefault("links", {})[target] = {"operationId": target, "parameters": params}


def _add_webhooks(doc: Document) -> None:
    """Each topic of both dialects as a webhook (a POST the sandbox sends, `x-webhook-secret`
    carrying the subscription's secret); parked under WEBHOOK_MARK so the models' refs resolve."""
    secret = Param("x-webhook-secret", "header", {"type": "string"}, required=True,
                   description="the subscription's shared secret: compare for equality")
    for topic, model in webhooks.PAYLOADS.items():
        dialect = "webhook_dev_app_" if "/" in topic else "webhook_"
        doc.operation("POST", WEBHOOK_MARK + topic, operation_id=dialect + topic.replace(".", "_").replace("/", "_"),
                      params=[secret], body=model, security=[], tags=["webhooks"],
                      responses={200: Reply(None, "any 2xx within 5 s acknowledges the delivery")})


def _move_webhooks(out: dict[str, Any]) -> dict[str, Any]:
    paths = out["paths"]
    out["webhooks"] = {p[len(WEBHOOK_MARK):]: paths.pop(p) for p in list(paths) if p.startswith(WEBHOOK_MARK)}
    return out


def openapi_control(doc: Document) -> None:
    """The fake-only `/_sandbox/orderprotection/…` controls (control.py, session.py)."""
    error = Reply({"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}})
    claim_id = Param("id", "path", {"type": "string"})
    store = Param("store", "path", {"type": "string"})
    doc.operation("GET", "/orderprotection/claims/{id}", operation_id="orderprotection_claim", params=[claim_id],
                  tags=["orderprotection"], responses={200: Reply(ClaimNode), 404: error},
                  extensions=_control_examples({"path_parameters": CLAIM_ID, "status": 200}))
    doc.operation("POST", "/orderprotection/claims/{id}/{action}", operation_id="orderprotection_claim_action",
                  tags=["orderprotection"], summary="resolve, approve, deny, message, set_state, delete (or act with body.action)",
                  params=[claim_id, Param("action", "path", {"type": "string", "enum": [
                      "act", "resolve", "approve", "deny", "message", "set_state", "delete"]})],
                  body={"type": "object"}, body_required=False,
                  responses={200: Reply(ClaimNode), 400: error, 404: error},
                  extensions=_control_examples(
                      _json(200, {"message": "Photo attached."}, path_parameters={**CLAIM_ID, "action": "message"}),
                      _json(400, {"outcome": "maybe"}, path_parameters={**CLAIM_ID, "action": "resolve"})))
    doc.operation("GET", "/orderprotection/stores/{store}/orders", operation_id="orderprotection_orders",
                  tags=["orderprotection"], params=[store, Param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 1000}),
                                                    Param("without_claims", "query", {"type": "string", "enum": ["1", "true", "0", "false"]})],
                  responses={200: Reply({"type": "object", "required": ["orders"],
                                         "properties": {"orders": {"type": "array", "items": {"type": "object"}}}}),
                             400: error, 404: error},
                  extensions=_control_examples({"path_parameters": STORE, "query": {"without_claims": "1"}, "status": 200},
                                               {"path_parameters": STORE, "query": {"limit": "many"}, "status": 400}))
    doc.operation("POST", "/orderprotection/stores/{store}/orders/{sourceOrderId}/protection",
                  operation_id="orderprotection_protection", tags=["orderprotection"], params=[store, SOURCE_ORDER_ID],
                  body=_object({"action": {"type": "string", "enum": ["add", "remove"]}, "amount": {"type": "number", "minimum": 0}},
                               ("action",)),
                  responses={200: Reply(OrderNode), 400: error, 404: error, 409: error},
                  extensions=_control_examples(  # the scenario's order is protected: removing it twice
                      *(_json(status, {"action": "remove"}, path_parameters={**STORE, **KNOWN}) for status in (200, 409)),
                      _json(400, {"action": "toggle"}, path_parameters={**STORE, **KNOWN})))
    doc.operation("POST", "/orderprotection/session_tokens", operation_id="orderprotection_session_token",
                  tags=["orderprotection"], body=SessionTokenBody,
                  responses={201: Reply({"type": "object", "required": ["session_token", "expires_at"], "properties": {
                      "session_token": {"type": "string"}, "expires_at": {"type": "string"}}}), 400: error, 404: error},
                  extensions=_control_examples(_json(201, {"client_id": APP["client_id"], "store_id": "teststore2"}),
                                               _json(400, {"client_id": APP["client_id"]})))


CLAIM_ID = {"id": "cm0b57zjv00myq52xh0c590b8"}  # the default scenario's claim, WAITING_FOR_CUSTOMER
STORE = {"store": "teststore2"}


def _control_examples(*requests: dict[str, Any]) -> dict[str, Any]:
    """A control operation's `x-sandbox-examples` (sandbox/openapi.py): on the default scenario."""
    return {"x-sandbox-examples": list(requests)}
