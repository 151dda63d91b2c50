"""Field-by-field validation of the claim, order and fulfillment bodies, with class-validator
style messages.

Every problem in a body is reported at once (`message` is a list, each sentence naming the
field by its dotted path), and nothing is written unless the whole body is valid.
"""


import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...timefmt import parse_instant
from . import inferred
from .models import (
    CLAIM_CATEGORIES,
    DESIRED_RESOLUTIONS,
    FILED_FROM,
    FULFILLMENT_STATUSES,
    ISSUE_TYPES,
    PLATFORM_IDS,
    SALES_CHANNELS,
)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ISO_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")
URL = re.compile(r"^https?://\S+$")
MISSING = object()


@dataclass
class Checker:
    """Collects every problem of one body: each method checks one field by its dotted path, records
    any failure and returns what it read, so the caller reports all messages at once."""

    messages: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.messages.append(message)

    def string(
        self, obj: dict, key: str, path: str, *, required: bool = False, email: bool = False,
        url: bool = False, pattern: re.Pattern | None = None, allow_empty: bool = True,
        max_length: int = inferred.MAX_TEXT,
    ) -> str | None:
        value = obj.get(key, MISSING)
        if value is MISSING or value is None:
            if required:
                self.fail(f"{path} should not be empty")
                self.fail(f"{path} must be a string")
            return None
        if not isinstance(value, str):
            self.fail(f"{path} must be a string")
            return None
        if len(value) > max_length:
            self.fail(f"{path} must be shorter than or equal to {max_length} characters")
        elif required and not value.strip() and not allow_empty:
            self.fail(f"{path} should not be empty")
        elif email and not EMAIL.match(value):
            self.fail(f"{path} must be an email")
        elif url and value and not URL.match(value):
            self.fail(f"{path} must be a URL address")
        elif pattern is not None and not pattern.match(value):
            self.fail(f"{path} must be a valid ISO 8601 duration")
        return value

    def enum(self, obj: dict, key: str, path: str, values: Sequence[str], *, required: bool = False, default: str | None = None) -> str | None:
        value = obj.get(key, MISSING)
        if value is MISSING or value is None:
            if required:
                self.fail(f"{path} must be one of the following values: {', '.join(values)}")
            return default
        if value not in values:
            self.fail(f"{path} must be one of the following values: {', '.join(values)}")
            return default
        return value

    def integer(self, obj: dict, key: str, path: str, *, minimum: int = 1, maximum: int = 100_000, default: int = 1) -> int:
        value = obj.get(key, MISSING)
        if value is MISSING or value is None:
            return default
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # JSON.parse reads `1.0` as 1: class-validator's @IsInt cannot tell them apart
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{path} must be an integer number")
            return default
        if value < minimum:
            self.fail(f"{path} must not be less than {minimum}")
        elif value > maximum:
            self.fail(f"{path} must not be greater than {maximum}")
        return value

    def number(self, obj: dict, key: str, path: str) -> float | None:
        value = obj.get(key, MISSING)
        if value is MISSING or value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(f"{path} must be a number conforming to the specified constraints")
            return None
        if value < 0 or value > 1_000_000_000:
            self.fail(f"{path} must not be less than 0")
            return None
        return float(value)

    def boolean(self, obj: dict, key: str, path: str) -> bool | None:
        value = obj.get(key, MISSING)
        if value is MISSING or value is None:
            return None
        if not isinstance(value, bool):
            self.fail(f"{path} must be a boolean value")
            return None
        return value

    def obj(self, parent: dict, key: str, path: str, *, required: bool = False) -> dict | None:
        value = parent.get(key, MISSING)
        if value is MISSING or value is None:
            if required:
                self.fail(f"{path} should not be empty")
                self.fail(f"nested property {path} must be either object or array")
            return None
        if not isinstance(value, dict):
            self.fail(f"nested property {path} must be either object or array")
            return None
        return value

    def array(self, parent: dict, key: str, path: str, *, limit: int = inferred.MAX_ISSUES) -> list | None:
        value = parent.get(key, MISSING)
        if value is MISSING or value is None:
            return None
        if not isinstance(value, list):
            self.fail(f"{path} must be an array")
            return None
        if len(value) > limit:
            self.fail(f"{path} must contain no more than {limit} elements")
            return None
        return value

    def urls(self, parent: dict, key: str, path: str) -> list[str]:
        values = self.array(parent, key, path) or []
        out = []
        for i, value in enumerate(values):
            if not isinstance(value, str) or not URL.match(value) or len(value) > 2048:
                self.fail(f"{path}.{i} must be a URL address")
            else:
                out.append(value)
        return out


@dataclass
class Issue:
    """One claimed issue of an online claim: what went wrong with which order item (matched by its
    source item, variant or product id)."""

    issue_type: str
    quantity: int
    source_item_id: str | None
    source_product_id: str | None
    source_variant_id: str | None
    details: str | None
    images: list[str]


@dataclass
class OnlineClaim:
    """A valid `POST /v1/claims/{sourceOrderId}` body, the issues of `issues` and
    `fulfillmentIssues` in one list; writes.file_online files it."""

    email: str
    sales_channel: str
    category: str
    issues: list[Issue]
    desired: str | None
    signature: str | None
    filed_from: str
    fulfillment_ids: list[tuple[str, str]] = field(default_factory=list)  # (body path, sourceFulfillmentId)


def _issue(check: Checker, raw: Any, path: str) -> Issue | None:
    if not isinstance(raw, dict):
        check.fail(f"nested property {path} must be either object or array")
        return None
    issue_type = check.enum(raw, "issueType", f"{path}.issueType", ISSUE_TYPES, required=True)
    quantity = check.integer(raw, "quantity", f"{path}.quantity")
    ids = [check.string(raw, k, f"{path}.{k}", max_length=255) for k in ("sourceItemId", "sourceProductId", "sourceVariantId")]
    details = check.string(raw, "details", f"{path}.details")
    images = check.urls(raw, "images", f"{path}.images")
    if not any(ids):
        check.fail(f"{path}.sourceItemId should not be empty")
    return Issue(issue_type or "", quantity, ids[0], ids[1], ids[2], details, images)


def online_claim(body: dict) -> tuple[OnlineClaim | None, list[str]]:
    check = Checker()
    email = check.string(body, "email", "email", required=True, email=True, max_length=320)
    channel = check.enum(body, "salesChannel", "salesChannel", SALES_CHANNELS, default="ONLINE")
    category = check.enum(body, "claimCategory", "claimCategory", CLAIM_CATEGORIES, default="SHIPPING")
    filed_from = check.enum(body, "claimFiledFrom", "claimFiledFrom", FILED_FROM, default="EXTERNAL")
    issues: list[Issue] = []
    fulfillment_ids: list[tuple[str, str]] = []
    for i, raw in enumerate(check.array(body, "issues", "issues") or []):
        issue = _issue(check, raw, f"issues.{i}")
        if issue:
            issues.append(issue)
    for f, group in enumerate(check.array(body, "fulfillmentIssues", "fulfillmentIssues") or []):
        path = f"fulfillmentIssues.{f}"
        if not isinstance(group, dict):
            check.fail(f"nested property {path} must be either object or array")
            continue
        key = "sourceFulfillmentId" if "sourceFulfillmentId" in group else "fulfillmentSourceId"
        fid = check.string(group, key, f"{path}.{key}", max_length=255)
        if fid:
            fulfillment_ids.append((f"{path}.{key}", fid))
        for i, raw in enumerate(check.array(group, "issues", f"{path}.issues") or []):
            issue = _issue(check, raw, f"{path}.issues.{i}")
            if issue:
                issues.append(issue)
    if not issues and not any(m.startswith(("issues", "fulfillmentIssues")) for m in check.messages):
        check.fail("issues should not be empty")
    desired = signature = None
    resolution = check.obj(body, "resolution", "resolution")
    if resolution is not None:
        signature = check.string(resolution, "customerSignature", "resolution.customerSignature", url=True, max_length=2048)
        desired = check.enum(resolution, "desiredMethod", "resolution.desiredMethod", DESIRED_RESOLUTIONS)
        check.string(resolution, "warrantyPeriod", "resolution.warrantyPeriod", pattern=ISO_DURATION, max_length=32)
        address = check.obj(resolution, "updatedShippingAddress", "resolution.updatedShippingAddress")
        for key in ("firstName", "lastName", "address1", "address2", "city", "state", "zip", "country", "orderId"):
            if address is not None:
                check.string(address, key, f"resolution.updatedShippingAddress.{key}", max_length=255)
    options = check.obj(body, "options", "options")
    if options is not None:
        check.boolean(options, "fromValet", "options.fromValet")
        check.boolean(options, "requireCustomerSignature", "options.requireCustomerSignature")
    if check.messages:
        return None, check.messages
    claim = OnlineClaim(
        email or "", channel or "ONLINE", category or "SHIPPING", issues, desired, signature or None,
        filed_from or "EXTERNAL", fulfillment_ids,
    )
    return claim, []


@dataclass
class OfflineClaim:
    """A valid `POST /v1/claims/offline` body: an in-store or warranty purchase, for which
    writes.file_offline mints an order before filing the claim."""

    email: str
    item_name: str
    item_ids: tuple[str | None, str | None, str | None]
    sku: str | None
    price: float
    details: str | None
    images: list[str]
    purchased: datetime | None
    receipts: list[str]
    first_name: str | None
    last_name: str | None
    address: dict[str, str]
    store_id: str | None
    signature: str | None
    issue_type: str
    resolution: str | None
    filed_from: str
    category: str


def offline_claim(body: dict) -> tuple[OfflineClaim | None, list[str]]:
    check = Checker()
    customer = check.obj(body, "customer", "customer", required=True) or {}
    email = check.string(customer, "email", "customer.email", required=True, email=True, max_length=320)
    check.string(customer, "phoneNumber", "customer.phoneNumber", max_length=32)
    item = check.obj(body, "item", "item", required=True) or {}
    name = check.string(item, "name", "item.name", required=True, allow_empty=False, max_length=255)
    ids = (
        check.string(item, "sourceItemId", "item.sourceItemId", max_length=255),
        check.string(item, "sourceProductId", "item.sourceProductId", max_length=255),
        check.string(item, "sourceVariantId", "item.sourceVariantId", max_length=255),
    )
    sku = check.string(item, "sku", "item.sku", max_length=255)
    details = check.string(item, "details", "item.details")
    check.string(item, "productImage", "item.productImage", url=True, max_length=2048)
    check.string(item, "subIssueId", "item.subIssueId", max_length=255)
    images = check.urls(item, "images", "item.images")
    price = check.number(item, "price", "item.price")
    warranty = check.obj(body, "warranty", "warranty") or {}
    purchased = None
    raw_date = check.string(warranty, "dateOfPurchase", "warranty.dateOfPurchase", max_length=64)
    if raw_date:
        try:
            purchased = parse_instant(raw_date)
        except ValueError:
            check.fail("warranty.dateOfPurchase must be a valid ISO 8601 date string")
    check.boolean(warranty, "receiptRequired", "warranty.receiptRequired")
    receipts = check.urls(warranty, "receiptImages", "warranty.receiptImages")
    check.string(warranty, "warrantyPeriod", "warranty.warrantyPeriod", max_length=64)
    check.string(warranty, "productDescription", "warranty.productDescription")
    address = check.obj(body, "shippingAddress", "shippingAddress") or {}
    clean: dict[str, str] = {}
    for key in ("firstName", "lastName", "address1", "address2", "city", "state", "stateAbr", "zip", "country", "countryAbr", "addressOrigin"):
        value = check.string(address, key, f"shippingAddress.{key}", max_length=255)
        if value is not None:
            clean[key] = value
    for key in ("lat", "lng"):
        if address.get(key) is not None and (isinstance(address[key], bool) or not isinstance(address[key], (int, float))):
            check.fail(f"shippingAddress.{key} must be a number conforming to the specified constraints")
    store_id = check.string(body, "storeId", "storeId", max_length=64)
    signature = check.string(body, "signature", "signature", url=True, max_length=2048)
    check.enum(body, "salesChannel", "salesChannel", SALES_CHANNELS)
    category = check.enum(body, "claimCategory", "claimCategory", CLAIM_CATEGORIES, default="WARRANTY")
    issue_type = check.enum(body, "issueType", "issueType", ISSUE_TYPES, required=True)
    resolution = check.enum(body, "resolution", "resolution", DESIRED_RESOLUTIONS)
    filed_from = check.enum(body, "claimFiledFrom", "claimFiledFrom", FILED_FROM, default="EXTERNAL")
    options = check.obj(body, "options", "options")
    if options is not None:
        check.boolean(options, "fromValet", "options.fromValet")
        check.boolean(options, "requireCustomerSignature", "options.requireCustomerSignature")
    if check.messages:
        return None, check.messages
    return (
        OfflineClaim(
            email or "", name or "", ids, sku, price or 0.0, details, images, purchased, receipts,
            clean.get("firstName"), clean.get("lastName"), clean, store_id, signature or None,
            issue_type or "", resolution, filed_from or "EXTERNAL", category or "WARRANTY",
        ),
        [],
    )


# -- orders and fulfillments ------------------------------------------------------------------------

ORDER_STRINGS = ("sourceOrderNumber", "riskLevel", "customerName", "customerPhone", "tags", "originalSourceOrderId", "originalSourceOrderNumber")
ORDER_DATES = ("sourceCreatedAt", "sourceUpdatedAt", "sourceCancelledAt")
ORDER_NUMBERS = ("premiumPaid", "premiumCost", "premiumDiscount", "total", "discountTotal", "shippingCost", "tax", "subtotal", "shippingCostTax")
ADDRESS_KEYS = ("firstName", "lastName", "address1", "address2", "city", "state", "zip", "country")
CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass
class OrderItemBody:
    """One valid `orderItems[]` entry of an order create or update body."""

    name: str
    url: str | None
    image: str | None
    sku: str | None
    quantity: int
    price: float
    source_item_id: str
    source_product_id: str | None
    source_variant_id: str | None
    description: str | None


@dataclass
class FulfillmentBody:
    """A valid fulfillment body (`POST /v1/orders/{sourceOrderId}/fulfillments`, or one of an
    order create body's `fulfillments[]`), its status already in the enum's spelling."""

    source_fulfillment_id: str
    status: str
    company: str | None
    numbers: list[str]
    urls: list[str]
    items: list[tuple[str, int]]
    created_at: datetime | None


@dataclass
class OrderBody:
    """The fields a create or update body gave (`fields`: key → clean value), plus items,
    fulfillments and address when present."""

    source_order_id: str | None
    fields: dict[str, Any]
    items: list[OrderItemBody] | None
    fulfillments: list[FulfillmentBody]
    address: dict[str, str] | None


def _money(check: Checker, obj: dict, key: str, path: str) -> float | None:
    """A number, or a numeric string as the update example sends (`"15.40"`)."""
    value = obj.get(key)
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            check.fail(f"{path} must be a number conforming to the specified constraints")
            return None
        if value != value or value in (float("inf"), float("-inf")):
            check.fail(f"{path} must be a number conforming to the specified constraints")
            return None
        obj = {key: value}
    return check.number(obj, key, path)


def _date(check: Checker, obj: dict, key: str, path: str) -> datetime | None:
    raw = check.string(obj, key, path, max_length=64)
    if not raw:
        return None
    try:
        return parse_instant(raw)
    except (ValueError, OverflowError):
        check.fail(f"{path} must be a valid ISO 8601 date string")
        return None


def _fulfillment(check: Checker, raw: Any, path: str) -> FulfillmentBody | None:
    if not isinstance(raw, dict):
        check.fail(f"nested property {path} must be either object or array")
        return None
    prefix = f"{path}." if path else ""
    fid = check.string(raw, "sourceFulfillmentId", f"{prefix}sourceFulfillmentId", required=True, allow_empty=False, max_length=255)
    status_raw = raw.get("fulfillmentStatus")
    status = None
    if isinstance(status_raw, str):
        upper = status_raw.strip().upper().replace(" ", "_")
        status = inferred.FULFILLMENT_STATUS_ALIASES.get(upper, upper)
    if status not in FULFILLMENT_STATUSES:
        check.fail(f"{prefix}fulfillmentStatus must be one of the following values: {', '.join(FULFILLMENT_STATUSES)}")
    company = check.string(raw, "trackingCompany", f"{prefix}trackingCompany", max_length=255)
    numbers: list[str] = []
    if isinstance(raw.get("trackingNumber"), str):  # the order example's spelling
        numbers = [raw["trackingNumber"]]
    else:
        for i, value in enumerate(check.array(raw, "trackingNumber", f"{prefix}trackingNumber") or []):
            if not isinstance(value, str) or len(value) > 255:
                check.fail(f"{prefix}trackingNumber.{i} must be a string")
            else:
                numbers.append(value)
    urls = check.urls(raw, "trackingUrl", f"{prefix}trackingUrl")
    items: list[tuple[str, int]] = []
    listed = check.array(raw, "sourceItemIds", f"{prefix}sourceItemIds", limit=inferred.MAX_ISSUES * 10)
    if listed is None and "sourceItemIds" not in raw:
        check.fail(f"{prefix}sourceItemIds should not be empty")
    for i, item in enumerate(listed or []):
        ipath = f"{prefix}sourceItemIds.{i}"
        if not isinstance(item, dict):
            check.fail(f"nested property {ipath} must be either object or array")
            continue
        key = "sourceItemId" if "sourceItemId" in item or "id" not in item else "id"
        sid = check.string(item, key, f"{ipath}.{key}", required=True, allow_empty=False, max_length=255)
        quantity = check.integer(item, "quantity", f"{ipath}.quantity")
        if sid:
            items.append((sid, quantity))
    created = _date(check, raw, "createdAt", f"{prefix}createdAt")
    if fid is None or status is None or status not in FULFILLMENT_STATUSES:
        return None
    return FulfillmentBody(fid, status, company, numbers, urls, items, created)


def fulfillment_body(body: dict) -> tuple[FulfillmentBody | None, list[str]]:
    check = Checker()
    found = _fulfillment(check, body, "")
    return (None, check.messages) if check.messages else (found, [])


def _order_item(check: Checker, raw: Any, path: str) -> OrderItemBody | None:
    if not isinstance(raw, dict):
        check.fail(f"nested property {path} must be either object or array")
        return None
    name = check.string(raw, "productName", f"{path}.productName", required=True, allow_empty=False, max_length=255)
    url = check.string(raw, "productUrl", f"{path}.productUrl", url=True, max_length=2048)
    image = check.string(raw, "productImage", f"{path}.productImage", url=True, max_length=2048)
    sku = check.string(raw, "sku", f"{path}.sku", max_length=255)
    quantity = check.integer(raw, "quantity", f"{path}.quantity")
    price = _money(check, raw, "price", f"{path}.price")
    sid = check.string(raw, "sourceItemId", f"{path}.sourceItemId", required=True, allow_empty=False, max_length=255)
    product = check.string(raw, "sourceProductId", f"{path}.sourceProductId", max_length=255)
    variant = check.string(raw, "sourceVariantId", f"{path}.sourceVariantId", max_length=255)
    description = check.string(raw, "description", f"{path}.description")
    if name is None or sid is None:
        return None
    return OrderItemBody(name, url, image, sku, quantity, price or 0.0, sid, product, variant, description)


def order_body(body: dict, *, create: bool) -> tuple[OrderBody | None, list[str]]:
    """`POST /v1/orders` (create: sourceOrderId, customerEmail, orderItems required) or `PUT
    /v1/orders/{id}` (every field optional; only those given change)."""
    check = Checker()
    source_id = None
    if create:
        source_id = check.string(body, "sourceOrderId", "sourceOrderId", required=True, allow_empty=False, max_length=100)
    elif "sourceOrderId" in body:
        check.fail("property sourceOrderId should not exist")
    fields: dict[str, Any] = {}
    for key in ORDER_STRINGS:
        if key in body:
            fields[key] = check.string(body, key, key, max_length=255)
    for key in ORDER_DATES:
        if key in body:
            fields[key] = _date(check, body, key, key)
    for key in ORDER_NUMBERS:
        if key in body:
            fields[key] = _money(check, body, key, key)
    if "platformId" in body:
        fields["platformId"] = check.enum(body, "platformId", "platformId", PLATFORM_IDS)
    if "currency" in body:
        fields["currency"] = check.string(body, "currency", "currency", max_length=3)
        if isinstance(fields["currency"], str) and not CURRENCY.match(fields["currency"]):
            check.fail("currency must be a valid enum value")
    required_email = create and inferred.REQUIRE_CUSTOMER_EMAIL
    if "customerEmail" in body or required_email:
        fields["customerEmail"] = check.string(body, "customerEmail", "customerEmail", required=required_email, email=True, max_length=320)
    items = None
    listed = check.array(body, "orderItems", "orderItems", limit=inferred.MAX_ISSUES * 10)
    if listed is not None:
        items = [i for n, raw in enumerate(listed) if (i := _order_item(check, raw, f"orderItems.{n}")) is not None]
        seen = [i.source_item_id for i in items]
        if len(set(seen)) != len(seen):
            check.fail("orderItems must not repeat a sourceItemId")
    if create and not listed:
        check.fail("orderItems should not be empty")
    address = None
    raw_address = check.obj(body, "address", "address")
    if raw_address is not None:
        address = {}
        for key in ADDRESS_KEYS:
            value = check.string(raw_address, key, f"address.{key}", max_length=255)
            if value is not None:
                address[key] = value
    fulfillments = []
    if create:
        for n, raw in enumerate(check.array(body, "fulfillments", "fulfillments") or []):
            found = _fulfillment(check, raw, f"fulfillments.{n}")
            if found is not None:
                fulfillments.append(found)
        ids = [f.source_fulfillment_id for f in fulfillments]
        if len(set(ids)) != len(ids):
            check.fail("fulfillments must not repeat a sourceFulfillmentId")
    elif "fulfillments" in body:
        check.fail("property fulfillments should not exist")
    if check.messages:
        return None, check.messages
    return OrderBody(source_id, fields, items, fulfillments, address), []
