"""Whop's `resolution_center_case.*` webhooks: Standard Webhooks signing with the raw secret bytes.

Whop's examples pass `btoa(secret)` to the verifier, so the HMAC key is the secret string's UTF-8
bytes. A subscription pinned (`version`) at or after the cut-over gets the current envelope and
case shape, "exactly like a REST read at this version"; unpinned and legacy-pinned ones get the
legacy payload they always got (docs/providers/whop.md, "Webhooks"). Undocumented choices are in
inferred.py.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import orjson

from ...events import Event
from ...generate import BASE62, random_id, rng_for
from ...provider import WebhookMessage
from ...timefmt import iso_millis
from . import inferred, versions
from .serialize import case_json, current_case_json

TYPES = (
    "resolution_center_case.created",
    "resolution_center_case.updated",
    "resolution_center_case.decided",
)
RETRY_DELAYS = (timedelta(seconds=10), timedelta(seconds=20), timedelta(seconds=40))  # documented


def messages(state: Any, event: Event) -> list[WebhookMessage]:
    """The legacy (unpinned) payload."""
    return messages_for(state, event, None)


def messages_for(state: Any, event: Event, version: str | None) -> list[WebhookMessage]:
    if event.type not in TYPES:
        return []
    case = state.cases.get(event.object_id)
    if case is None:
        return []
    message_id = random_id(rng_for(state.ctx.seed, "whop-webhook", event.seq), "msg_", 24)
    body_id = message_id if inferred.WEBHOOK_ID_IS_BODY_ID else random_id(rng_for(state.ctx.seed, "whop-body", event.seq), "msg_", 24)
    if version is None or not versions.is_current(version):
        payload = {
            "id": body_id,
            "api_version": "v1",
            "timestamp": iso_millis(event.at),
            "type": event.type,
            "company_id": case.company_id,
            "data": orjson.loads(case_json(case, state.companies)),
        }
        return [WebhookMessage(event.type, message_id, payload)]
    payload = {
        "id": body_id,
        "type": event.type,
        "api_version": "v1",
        "api_version_date": version,
        "timestamp": iso_millis(event.at),
        "account_id": case.company_id,
        "data": orjson.loads(current_case_json(state, case, inferred.WEBHOOK_ROLE, False)),
    }
    moved = event.data.get("status")
    if event.type.endswith(".updated") and isinstance(moved, dict):
        before = inferred.CURRENT_STATUS.get(moved.get("from", ""), (None,))[0]
        if before is not None and before != payload["data"]["status"]:
            payload["previous_attributes"] = {"status": before}
    return [WebhookMessage(event.type, message_id, payload)]


def message_types(state: Any, event: Event, version: str | None) -> list[str]:
    """What `all_messages_for` would send, by type: one message for a known record, else none."""
    if event.type in TYPES:  # `in`, not `get`: a case not built yet stays so (a dropped message reads nothing)
        found = event.object_id in state.cases
    elif event.type in DISPUTE_TYPES:
        book = state.disputes_book
        found = (book.alerts if event.type.startswith("dispute_alert") else book.disputes).get(event.object_id) is not None
    else:
        return []
    return [event.type] if found else []


def version_problem(version: str) -> str | None:
    return versions.problem(version)


def headers(secret: str, message: WebhookMessage, body: bytes, at: datetime) -> dict[str, str]:
    from standardwebhooks import Webhook  # only once a webhook is signed

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


def all_messages_for(state: Any, event: Event, version: str | None) -> list[WebhookMessage]:
    """Case events as `messages_for` makes them; dispute and alert events as below."""
    if event.type not in DISPUTE_TYPES:
        return messages_for(state, event, version)
    from .dispute_serialize import alert_json, current_json, legacy_alert_json, legacy_json

    book = state.disputes_book
    alert = event.type.startswith("dispute_alert")
    record = (book.alerts if alert else book.disputes).get(event.object_id)
    if record is None:
        return []
    message_id = random_id(rng_for(state.ctx.seed, "whop-webhook", event.seq), "msg_", 24)
    current = version is not None and versions.is_current(version)
    if current:
        data = alert_json(record) if alert else current_json(record, book)
    else:
        data = legacy_alert_json(record, book) if alert else legacy_json(record, book, state.companies)
    payload: dict[str, Any] = {"id": message_id, "type": event.type, "api_version": "v1"}
    if current:
        payload["api_version_date"] = version
    payload["timestamp"] = iso_millis(event.at)
    payload["account_id" if current else "company_id"] = record.account_id
    payload["data"] = orjson.loads(data)
    previous = event.data.get("previous")
    if current and previous:
        payload["previous_attributes"] = previous
    return [WebhookMessage(event.type, message_id, payload)]
