"""Golden checks (seed example ↔ wire models ↔ our output), scenario checks, default section, webhooks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from pydantic import ValidationError

from sandbox.events import Event
from sandbox.providers.shoplazza import provider
from sandbox.providers.shoplazza.lifecycle import Rules
from sandbox.providers.shoplazza.models import STATUSES
from sandbox.providers.shoplazza.wire import GetResponse, ListResponse
from sandbox.scenario import ScenarioError
from sandbox.testing import asgi_client, make_sandbox, shipped_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "shoplazza"
BASE = "/shoplazza/openapi/2024-07/shoplazza-payment/disputes"
TOKEN = {"Access-Token": "tok_alpha"}


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


# -- golden -------------------------------------------------------------------------------------


def test_seed_example_validates_against_the_serializer_models():
    seed = load("seed_list_example.json")
    assert ListResponse.model_validate(seed).model_dump() == seed
    sheet = load("sheet_get_example.json")
    assert GetResponse.model_validate(sheet).model_dump() == sheet


def test_models_reject_what_shoplazza_would_not_send():
    item = load("seed_list_example.json")["data"]["list"][0]
    for field, value in (
        ("dispute_amount", 50.0),
        ("dispute_amount", "50"),
        ("status", "open"),
        ("created_at", "1714104673"),
        ("fee", "10.000"),
    ):
        bad = {**item, field: value}
        with pytest.raises(ValidationError):
            ListResponse.model_validate(
                {
                    "code": "Success",
                    "message": "Success",
                    "data": {"has_more": False, "cursor": "", "list": [bad]},
                }
            )


def test_our_output_has_the_seed_field_order_and_validates(shz):
    _, client = shz
    seed = load("seed_list_example.json")
    ours = client.get(BASE, headers=TOKEN, params={"limit": 3}).json()
    ListResponse.model_validate(ours)
    assert list(ours) == list(seed)
    assert list(ours["data"]) == list(seed["data"])
    assert [list(d) for d in ours["data"]["list"]] == [list(seed["data"]["list"][0])] * 3
    got = client.get(BASE + "/dp_alpha_needs", headers=TOKEN).json()
    GetResponse.model_validate(got)
    assert list(got["data"]["dispute"]) == list(load("sheet_get_example.json")["data"]["dispute"])


def test_expiration_rule_reproduces_the_seed_example():
    created = datetime(2024, 4, 28, 12, 34, 56, tzinfo=UTC)
    assert Rules().expiration("needs_response", created) == datetime(2024, 5, 5, tzinfo=UTC)


# -- scenario checks ----------------------------------------------------------------------------


def _problems(section: str) -> list[str]:
    text = 'version: 1\nclock: {start: "2026-03-10T12:00:00Z"}\nproviders:\n  shoplazza:\n' + section
    with pytest.raises(ScenarioError) as info:
        make_sandbox(text=text, providers=["shoplazza"])
    return [line.split(": ", 1)[1] for line in info.value.lines]


def test_scenario_semantic_problems_are_all_reported_with_paths():
    section = """    stores:
      - id: "1"
        subdomain: one
        tokens: [{token: t1}, {token: t1}]
        disputes:
          - {id: dp_a}
          - {id: dp_a, dispute_amount: "20.00", original_order_amount: "10.00"}
      - id: "1"
        subdomain: one
    rules: {response_window: soon, review_time: "off", warning_review_time: 0s}
    timeline:
      - {at: "+1h", id: dp_missing, action: respond}
"""
    assert _problems(section) == [
        "providers.shoplazza.stores[0].tokens[1].token: duplicate token 't1'",
        "providers.shoplazza.stores[0].disputes[1].id: duplicate dispute id 'dp_a'",
        "providers.shoplazza.stores[0].disputes[1].dispute_amount: dispute_amount exceeds original_order_amount",
        "providers.shoplazza.stores[1].id: duplicate store id '1'",
        "providers.shoplazza.stores[1].subdomain: duplicate subdomain 'one'",
        "providers.shoplazza.timeline[0].id: no hand-written dispute with id 'dp_missing'",
        "providers.shoplazza.rules.response_window: not a duration like '3d12h' or '90m': 'soon'",
        "providers.shoplazza.rules.warning_review_time: a window must be longer than zero",
    ]


def test_scenario_shape_problems():
    section = """    stores:
      - id: "1"
        subdomain: Not_A_Host
        colour: red
        generate: {count: 1, currencies: {}, statuses: {won: 0}}
        disputes: [{status: open, currency: usd, created_at: yesterday}]
    timeline:
      - {at: "+1h", id: dp_a, action: refund}
"""
    problems = _problems(section)
    assert any(p.startswith("providers.shoplazza.stores[0].subdomain:") for p in problems)
    assert "providers.shoplazza.stores[0].colour: unknown key 'colour'" in problems
    assert any(p.startswith("providers.shoplazza.stores[0].disputes[0].status:") for p in problems)
    assert any(p.startswith("providers.shoplazza.stores[0].disputes[0].currency:") for p in problems)
    assert any(p.startswith("providers.shoplazza.stores[0].disputes[0].created_at:") for p in problems)
    assert any(p.startswith("providers.shoplazza.timeline[0].action:") for p in problems)


def test_zero_weights_are_problems_not_crashes():
    section = """    stores:
      - id: "1"
        subdomain: one
        generate: {count: 1, currencies: {}, statuses: {won: 0}}
"""
    assert _problems(section) == [
        "providers.shoplazza.stores[0].generate.statuses: weights must name at least one value above 0",
        "providers.shoplazza.stores[0].generate.currencies: weights must name at least one value above 0",
    ]


def test_hand_written_amounts_stay_consistent(sandbox_from):
    text = """version: 1
providers:
  shoplazza:
    stores:
      - id: "1"
        subdomain: one
        tokens: [{token: t}]
        disputes: [{id: dp_big, dispute_amount: 99999.99}]
"""
    sandbox, client = sandbox_from(text, providers=["shoplazza"])
    body = client.get(BASE + "/dp_big", headers={"Access-Token": "t"}).json()["data"]["dispute"]
    assert (body["dispute_amount"], body["original_order_amount"]) == ("99999.99", "99999.99")


# -- default section ----------------------------------------------------------------------------


def default_text() -> str:
    return shipped_text("default", ["shoplazza"])


def test_default_section_two_stores_120_plus_disputes_every_status_some_expiring_soon():
    sandbox = make_sandbox(text=default_text(), providers=["shoplazza"])
    state = sandbox.state("shoplazza")
    assert len(state.stores) == 2 and len(state.disputes) >= 120
    assert set(Counter(d.status for d in state.disputes)) == set(STATUSES)
    for store_id in state.stores:
        assert {d.status for d in state.disputes if d.store_id == store_id} == set(STATUSES)
    now = sandbox.now()
    soon = [
        d
        for d in state.disputes
        if d.status in ("needs_response", "warning_needs_response")
        and now < d.expiration_time <= now + timedelta(days=3)
    ]
    assert len(soon) >= 5
    assert sandbox.events.query("shoplazza") == []  # loading announces nothing
    with asgi_client(sandbox) as client:
        first = provider.tenants(state)[0]
        token = first.credentials[0].value
        response = client.get(BASE, headers={"Access-Token": token})
        assert response.status_code == 200 and response.json()["data"]["has_more"] is True
        denied = client.get(BASE, headers={"Access-Token": "shoplazza_test_aurora_noscope"})
        assert denied.status_code == 403
        soonest = client.post("/_sandbox/clock/advance", json={"duration": "1d"}).json()["events"]
        assert {e["object_id"] for e in soonest} >= {
            "dp_NimbusExpiresIn12Hours000001",
            "dp_AuroraExpiresTomorrow0000001",
        }


# -- webhooks (opt-in, invented topics) ---------------------------------------------------------


def test_webhook_hooks_are_flagged_opt_in_with_the_documented_retry_schedule():
    assert provider.webhook_opt_in is True
    assert tuple(provider.webhook_types) == ("disputes/create", "disputes/update")
    delays = list(provider.webhook_retry_delays)
    assert len(delays) == 19
    assert delays[:8] == [timedelta(minutes=m) for m in (1, 2, 2, 5, 20, 30, 60, 120)]
    assert sum(delays, timedelta()) == timedelta(hours=48)


def test_webhook_messages_and_shoplazza_style_signature(shz):
    sandbox, client = shz
    advance = client.post("/_sandbox/clock/set", json={"now": "2026-03-15T00:00:00Z"}).json()
    assert any(e["object_id"] == "dp_alpha_needs" for e in advance["events"])
    state = sandbox.state("shoplazza")
    event = next(e for e in sandbox.events.query("shoplazza") if e.object_id == "dp_alpha_needs")
    messages = provider.webhook_messages(state, event)
    assert len(messages) == 1
    message = messages[0]
    assert message.type == "disputes/update"
    assert message.payload == {
        "dispute": client.get(BASE + "/dp_alpha_needs", headers=TOKEN).json()["data"]["dispute"]
    }
    assert provider.webhook_messages(state, event)[0].message_id == message.message_id  # stable
    body = orjson.dumps(message.payload)
    at = datetime(2026, 3, 15, tzinfo=UTC)
    headers = provider.webhook_headers("client-secret", message, body, at)
    expected = base64.b64encode(hmac.new(b"client-secret", body, hashlib.sha256).digest()).decode()
    assert headers["X-Shoplazza-Hmac-Sha256"] == expected
    assert headers["X-Shoplazza-Topic"] == "disputes/update"
    assert headers["X-Shoplazza-Shop-Domain"] == "alpha.myshoplaza.com"
    assert headers["X-Shoplazza-Api-Version"] == "2024-07"
    assert headers["X-Shoplazza-Deduplication-ID"] == message.message_id
    assert headers["X-Sandbox-Invented-Topic"] == "true"
    other = Event(999, "shoplazza", "orders/create", "dp_alpha_needs", "alpha", at)
    assert provider.webhook_messages(state, other) == []


def test_webhook_payload_shows_the_dispute_as_the_event_left_it(shz):
    sandbox, client = shz
    assert client.post("/_sandbox/shoplazza/disputes/dp_alpha_warn/escalate").status_code == 200
    client.post("/_sandbox/clock/advance", json={"duration": "2h"})
    assert client.post("/_sandbox/shoplazza/disputes/dp_alpha_warn/respond").status_code == 200
    state = sandbox.state("shoplazza")
    escalated, responded = [e for e in sandbox.events.query("shoplazza") if e.object_id == "dp_alpha_warn"]
    first = provider.webhook_messages(state, escalated)[0].payload["dispute"]
    second = provider.webhook_messages(state, responded)[0].payload["dispute"]
    assert (first["status"], first["updated_at"]) == ("needs_response", "2026-03-10T12:00:00Z")
    assert (second["status"], second["updated_at"]) == ("under_review", "2026-03-10T14:00:00Z")
    assert (
        provider.webhook_messages(state, escalated)[0].message_id
        != provider.webhook_messages(state, responded)[0].message_id
    )


# -- the webhook registration API against its documented examples ---------------------------------

WEBHOOKS = json.loads((FIXTURES / "webhook_examples.json").read_text())


def _shape(value):
    """Keys in order and value types, all the way down (lists by their first item)."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


def test_webhook_answers_have_the_documented_shapes(shz):
    _, client = shz
    base = "/shoplazza/openapi/2022-01/webhooks"
    token = {"Access-Token": "tok_alpha"}
    doc = WEBHOOKS["2022-01"]
    made = client.post(base, headers=token, json={"address": "http://127.0.0.1:9/hook", "topic": "disputes/update"})
    assert _shape(made.json()) == _shape(doc["create"])
    from sandbox.providers.shoplazza.wire import Webhook

    for example in (doc["create"]["webhook"], *doc["list"]["webhooks"]):
        Webhook.model_validate(example)  # the model we serialise through accepts the documented objects
    hook_id = made.json()["webhook"]["id"]
    assert _shape(client.get(f"{base}/{hook_id}", headers=token).json()) == _shape(doc["create"])
    assert _shape(client.get(base, headers=token).json()) == _shape(doc["list"])
    assert _shape(client.get(f"{base}/count", headers=token).json()) == _shape(doc["count"])
    blank = client.post(base, headers=token, json={"address": "", "topic": ""})
    assert blank.status_code == 422 and _shape(blank.json()) == _shape(doc["invalid_body"])
    bad_query = client.get(base, headers=token, params={"limit": 251})
    assert bad_query.status_code == 422 and set(bad_query.json()["errors"]) <= set(doc["invalid_query"]["errors"])
    assert client.delete(f"{base}/{hook_id}", headers=token).json() == doc["delete"]
    assert client.get(f"{base}/{hook_id}", headers=token).json() == doc["not_found"]
    new = client.get("/shoplazza/openapi/2025-06/webhooks", headers=token).json()
    assert list(new["data"]) == WEBHOOKS["2025-06"]["list_fields"]
