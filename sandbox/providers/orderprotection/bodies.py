"""Field-by-field validation of the create bodies, with class-validator style messages.

Every problem in a body is reported at once (`message` is a list, each sentence naming the
field by its dotted path), and nothing is written unless the whole body is valid.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...timefmt import parse_instant
from . import inferred
from .models import CLAIM_CATEGORIES, DESIRED_RESOLUTIONS, FILED_FROM, ISSUE_TYPES, SALES_CHANNELS

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ISO_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")
URL = re.compile(r"^https?://\S+$")
MISSING = object()


@dataclass
class Checker:
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
    issue_type: str
    quantity: int
    source_item_id: str | None
    source_product_id: str | None
    source_variant_id: str | None
    details: str | None
    images: list[str]


@dataclass
class OnlineClaim:
    email: str
    sales_channel: str
    category: str
    issues: list[Issue]
    desired: str | None
    signature: str | None
    filed_from: str


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
        check.string(group, key, f"{path}.{key}", max_length=255)
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
    return OnlineClaim(email or "", channel or "ONLINE", category or "SHIPPING", issues, desired, signature or None, filed_from or "EXTERNAL"), []


@dataclass
class OfflineClaim:
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
    ids = tuple(check.string(item, k, f"item.{k}", max_length=255) for k in ("sourceItemId", "sourceProductId", "sourceVariantId"))
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
