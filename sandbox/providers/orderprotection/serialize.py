"""Claim and order records → OrderProtection JSON, through the wire models (what we emit is what they allow).

Records hold enum values as plain strings, checked where they enter (bodies, scenario models); the
casts below only tell mypy so, and the wire models check them again at runtime.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

import orjson

from ...timefmt import iso_millis
from . import inferred, wire
from .models import (
    ClaimFiledFrom,
    ClaimRecord,
    ClaimState,
    ClaimType,
    CreditKind,
    FulfillmentRecord,
    FulfillmentStatus,
    OrderRecord,
    PlatformId,
    ResolutionType,
    SenderType,
)
from .orders import fulfillments_of, premium_of, subtotal_of


def num(value: float) -> int | float:
    """JavaScript renders 100.0 as `100`: integral amounts go out as integers."""
    return int(value) if float(value).is_integer() else round(value, 2)


def _stamps(row) -> dict:
    """createdAt/updatedAt/deletedAt: every OrderProtection row carries the three, milliseconds, `Z`."""
    return {"createdAt": iso_millis(row.created_at), "updatedAt": iso_millis(row.updated_at), "deletedAt": _ts(row.deleted_at)}


def _ts(value: datetime | None) -> str | None:
    return iso_millis(value) if value is not None else None


def claim_node(claim: ClaimRecord) -> wire.ClaimNode:
    cid = claim.id
    return wire.ClaimNode(
        id=cid,
        storeId=claim.store_id,
        orderId=claim.order_id,
        sourceOrderId=claim.source_order_id,
        sourceOrderNumber=claim.source_order_number,
        authorName=claim.author_name,
        authorEmail=claim.author_email,
        claimDescription=claim.description,
        claimState=cast(ClaimState, claim.state),
        isOta=claim.is_ota,
        otaDescription=claim.ota_description,
        externalSource=inferred.EXTERNAL_SOURCE,
        claimType=cast(ClaimType | None, claim.claim_type),
        **_stamps(claim),
        policyId=claim.policy_id,
        claimResolutions=[
            wire.ClaimResolution(
                id=r.id,
                claimId=cid,
                resolution=cast(ResolutionType, r.resolution),
                claimState=cast(ClaimState, r.claim_state),
                userId=r.user_id,
                resolutionType=cast(ResolutionType, r.resolution),
                resolutionDetails=r.details,
                paidValue=num(r.paid_value),
                paidCurrency=r.paid_currency,
                paidOriginalValue=num(r.paid_value),
                includeShipping=r.include_shipping,
                shippingAmount=num(r.shipping_amount),
                creditStore=r.credit_store,
                **_stamps(r),
            )
            for r in claim.resolutions
        ],
        claimItems=[
            wire.ClaimItem(
                id=i.id,
                claimId=cid,
                itemId=i.item_id,
                quantity=i.quantity,
                **_stamps(i),
            )
            for i in claim.items
        ],
        claimMessages=[
            wire.ClaimMessage(
                senderType=cast(SenderType, m.sender_type),
                id=m.id,
                claimId=cid,
                message=m.message,
                authorName=m.author_name,
                medias=[wire.Media(**media) for media in m.medias],
            )
            for m in claim.messages
        ],
        customerId=claim.customer_id,
        claimFiledFrom=cast(ClaimFiledFrom, claim.claim_filed_from),
        resolutionRequested=cast(ResolutionType | None, claim.resolution_requested),
        resolutionDate=_ts(claim.resolution_date),
        storeCredits=[
            wire.StoreCredit(
                type=cast(CreditKind, c.kind),
                code=c.code,
                emailStatus=c.email_status,
                emailTime=_ts(c.email_time),
                creditValue=num(c.credit_value),
                bonusValue=num(c.bonus_value),
                totalValue=num(c.credit_value + c.bonus_value),
                bonus=num(c.bonus_value),
                bonusType=c.bonus_type,
                creditCurrency=c.currency,
                exchangeRate=1,
                claimId=cid,
                **_stamps(c),
            )
            for c in claim.credits
        ],
        documents=[
            wire.Document(
                id=d.id,
                claimId=cid,
                url=d.url,
                documentType=d.document_type,
                **_stamps(d),
            )
            for d in claim.documents
        ],
    )


RENAMED = (inferred.CREDITS_KEY, inferred.DOCUMENTS_KEY, inferred.CREDIT_KIND_KEY) != ("storeCredits", "documents", "type")


def node_json(claim: ClaimRecord) -> bytes:
    """One claim as JSON, with the lost key names mapped per inferred.py."""
    if not RENAMED:
        return claim_node(claim).model_dump_json().encode()
    data = claim_node(claim).model_dump(mode="json")
    if inferred.CREDITS_KEY != "storeCredits":
        data[inferred.CREDITS_KEY] = data.pop("storeCredits")
    if inferred.DOCUMENTS_KEY != "documents":
        data[inferred.DOCUMENTS_KEY] = data.pop("documents")
    if inferred.CREDIT_KIND_KEY != "type":
        for credit in data[inferred.CREDITS_KEY]:
            credit[inferred.CREDIT_KIND_KEY] = credit.pop("type")
    return orjson.dumps(data)


# -- orders -------------------------------------------------------------------------------------


def order_totals(order: OrderRecord) -> dict[str, float]:
    """total, subtotal, discountTotal, tax, shippingCost, shippingCostTax: as the client sent them,
    else summed from the items (total = subtotal − discounts + tax + shipping + its tax + premium)."""
    sent = order.totals or {}
    subtotal = sent.get("subtotal", subtotal_of(order))
    discount = sent.get("discountTotal", round(sum(i.discount * i.quantity for i in order.items), 2))
    tax = sent.get("tax", round(sum(i.tax * i.quantity for i in order.items), 2))
    shipping = sent.get("shippingCost", order.shipping_amount)
    shipping_tax = sent.get("shippingCostTax", order.shipping_tax)
    total = sent.get("total", round(subtotal - discount + tax + shipping + shipping_tax + premium_of(order), 2))
    return {
        "total": total, "subtotal": subtotal, "discountTotal": discount, "tax": tax,
        "shippingCost": shipping, "shippingCostTax": shipping_tax,
    }


def fulfillment_model(order: OrderRecord, f: FulfillmentRecord) -> wire.Fulfillment:
    return wire.Fulfillment(
        id=f.id,
        sourceOrderId=order.source_order_id,
        fulfillmentStatus=cast(FulfillmentStatus, f.status),
        trackingCompany=f.tracking_company,
        trackingNumber=f.tracking_numbers,
        sourceItemIds=[wire.FulfillmentItem(id=i, sourceItemId=i, quantity=q) for i, q in f.items],
        sourceFulfillmentId=f.source_fulfillment_id,
        trackingUrl=f.tracking_urls,
        createdAt=iso_millis(f.created_at),
        updatedAt=iso_millis(f.updated_at),
    )


def order_node(order: OrderRecord) -> wire.OrderNode:
    created = iso_millis(order.created_at)
    totals = {k: num(v) for k, v in order_totals(order).items()}
    return wire.OrderNode(
        id=order.id,
        fulfillments=[fulfillment_model(order, f) for f in fulfillments_of(order)],
        sourceOrderId=order.source_order_id,
        originalSourceOrderId=order.original_source_order_id,
        originalOrderId=order.original_order_id,
        sourceOrderNumber=order.source_order_number,
        sourceCreatedAt=created,
        sourceUpdatedAt=_ts(order.source_updated_at),
        sourceCancelledAt=_ts(order.source_cancelled_at),
        policyCancelledAt=_ts(order.policy_cancelled_at),
        platformId=cast(PlatformId, order.platform_id),
        premiumPaid=num(premium_of(order)),
        premiumCost=num(order.premium_cost if order.premium_cost is not None else premium_of(order)),
        currency=order.currency,
        orderItems=[
            wire.OrderItem(
                id=i.id,
                orderId=order.id,
                productName=i.name,
                productUrl=i.product_url,
                productImage=i.product_image,
                itemDescription=i.description,
                sku=i.sku or None,
                selectedOptions=[],
                quantity=i.quantity,
                price=num(i.price),
                discount=num(i.discount),
                tax=num(i.tax),
                sourceItemId=i.source_item_id,
                sourceProductId=i.source_product_id,
                sourceVariantId=i.source_variant_id,
                addressId=None,
                createdAt=created,
                updatedAt=created,
                refundedQuantity=0,
            )
            for i in order.items
        ],
        storeId=order.store_id,
        policyId=order.policy_id,
        customerId=order.customer_id,
        customerEmail=order.customer_email,
        customerName=order.customer_name,
        customerPhone=order.customer_phone,
        premiumDiscount=num(order.premium_discount),
        riskLevel=order.risk_level,
        **totals,
        tags=order.tags,
        address=wire.Address(**{k: v for k, v in order.address.items() if k in wire.Address.model_fields}),
        createdAt=created,
        updatedAt=iso_millis(order.updated_at or order.created_at),
    )


def order_json(order: OrderRecord) -> bytes:
    return order_node(order).model_dump_json().encode()
