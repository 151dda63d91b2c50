"""Whop's `resolution_center_case.*` webhooks: Standard Webhooks signing with the raw secret bytes.

Whop's examples pass `btoa(secret)` to the verifier, so the HMAC key is the secret string's UTF-8
bytes (sheet §12). Undocumented choices are in inferred.py.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import orjson
from standardwebhooks import Webhook

from ...events import Event
from ...generate import BASE62, random_id, rng_for
from ...provider import WebhookMessage
from ...timefmt import iso_millis
from . import inferred
from . import versions as _versions
from .dispute_serialize import alert_json as _alert_current
from .dispute_serialize import current_json as _dispute_current
from .dispute_serialize import legacy_alert_json as _alert_legacy
from .dispute_serialize import legacy_json as _dispute_legacy
from .serialize import case_json

TYPES = (
    "resolution_center_case.created",
    "resolution_center_case.updated",
    "resolution_center_case.decided",
)
RETRY_DELAYS = (timedelta(seconds=10), timedelta(seconds=20), timedelta(seconds=40))  # documented


def messages(state, event: Event) -> list[WebhookMessage]:
    if event.type not in TYPES:
        return []
    case = state.cases.get(event.object_id)
    if case is None:
        return []
    message_id = random_id(rng_for(state.ctx.seed, "whop-webhook", event.seq), "msg_", 24)
    payload = {
        "id": message_id if inferred.WEBHOOK_ID_IS_BODY_ID else random_id(rng_for(state.ctx.seed, "whop-body", event.seq), "msg_", 24),
        "api_version": "v1",
        "timestamp": iso_millis(event.at),
        "type": event.type,
        "company_id": case.company_id,
        "data": orjson.loads(case_json(case, state.companies)),
    }
    return [WebhookMessage(event.type, message_id, payload)]


def headers(secret: str, message: WebhookMessage, body: bytes, at: datetime) -> dict[str, str]:
    signature = Webhook(secret.encode()).sign(message.message_id, at, body.decode())
    return {
        "webhook-id": message.message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def new_secret(rng: random.Random) -> str:
    return inferred.WEBHOOK_SECRET_PREFIX + "".join(rng.choices(BASE62, k=32))


# -- dispute events, in the shape of the subscription's version pin ----------------------------
# Whop pins a webhook's payloads to its `api_version_date`: "events serialize exactly like a REST
# read at this version"; unpinned webhooks get the legacy shape with `company_id`
# (docs/providers/whop-disputes.md "Webhooks").

DISPUTE_TYPES = ("dispute.created", "dispute.updated", "dispute_alert.created")
ALL_TYPES = TYPES + DISPUTE_TYPES


def version_problem(version: str) -> str | None:
    known = _versions.KNOWN_VERSIONS
    return None if version in known else f"unknown Whop api_version_date {version!r} (known: {', '.join(known)})"


def versioned_messages(state, event: Event, version: str | None) -> list[WebhookMessage]:
    if event.type not in DISPUTE_TYPES:
        return messages(state, event)
    book = state.disputes_book
    alert = event.type.startswith("dispute_alert")
    record = (book.alerts if alert else book.disputes).get(event.object_id)
    if record is None:
        return []
    message_id = random_id(rng_for(state.ctx.seed, "whop-webhook", event.seq), "msg_", 24)
    current = version is not None and _versions.is_current(version)
    if current:
        data = _alert_current(record) if alert else _dispute_current(record, book)
    else:
        data = _alert_legacy(record, book) if alert else _dispute_legacy(record, book, state.companies)
    payload: dict = {"id": message_id, "type": event.type, "api_version": "v1"}
    if current:
        payload["api_version_date"] = version
    payload["timestamp"] = iso_millis(event.at)
    payload["account_id" if current else "company_id"] = record.account_id
    payload["data"] = orjson.loads(data)
    previous = event.data.get("previous")
    if current and previous:
        payload["previous_attributes"] = previous
    return [WebhookMessage(event.type, message_id, payload)]
