"""Claim records → OrderProtection JSON, through the wire models (what we emit is what they allow)."""

from __future__ import annotations

from datetime import datetime

import orjson

from ...timefmt import iso_millis
from . import inferred
from .models import (
    ClaimItem,
    ClaimMessage,
    ClaimNode,
    ClaimRecord,
    ClaimResolution,
    Document,
    Media,
    StoreCredit,
)


def num(value: float) -> int | float:
    """JavaScript renders 100.0 as `100`: integral amounts go out as integers."""
    return int(value) if float(value).is_integer() else round(value, 2)


def _stamps(row) -> dict:
    """createdAt/updatedAt/deletedAt: every OrderProtection row carries the three, milliseconds, `Z`."""
    return {"createdAt": iso_millis(row.created_at), "updatedAt": iso_millis(row.updated_at), "deletedAt": _ts(row.deleted_at)}


def _ts(value: datetime | None) -> str | None:
    return iso_millis(value) if value is not None else None


def claim_node(claim: ClaimRecord) -> ClaimNode:
    cid = claim.id
    return ClaimNode(
        id=cid,
        storeId=claim.store_id,
        orderId=claim.order_id,
        sourceOrderId=claim.source_order_id,
        sourceOrderNumber=claim.source_order_number,
        authorName=claim.author_name,
        authorEmail=claim.author_email,
        claimDescription=claim.description,
        claimState=claim.state,
        isOta=claim.is_ota,
        otaDescription=claim.ota_description,
        externalSource=inferred.EXTERNAL_SOURCE,
        claimType=claim.claim_type,
        **_stamps(claim),
        policyId=claim.policy_id,
        claimResolutions=[
            ClaimResolution(
                id=r.id,
                claimId=cid,
                resolution=r.resolution,
                claimState=r.claim_state,
                userId=r.user_id,
                resolutionType=r.resolution,
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
            ClaimItem(
                id=i.id,
                claimId=cid,
                itemId=i.item_id,
                quantity=i.quantity,
                **_stamps(i),
            )
            for i in claim.items
        ],
        claimMessages=[
            ClaimMessage(
                senderType=m.sender_type,
                id=m.id,
                claimId=cid,
                message=m.message,
                authorName=m.author_name,
                medias=[Media(**media) for media in m.medias],
            )
            for m in claim.messages
        ],
        customerId=claim.customer_id,
        claimFiledFrom=claim.claim_filed_from,
        resolutionRequested=claim.resolution_requested,
        resolutionDate=_ts(claim.resolution_date),
        storeCredits=[
            StoreCredit(
                type=c.kind,
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
            Document(
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
