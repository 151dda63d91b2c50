"""Pandabase test fixtures: a small two-store scenario and an HTTP helper bound to it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from sandbox.testing import asgi_client, make_sandbox

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pandabase"
STORE = "shp_kxw5h7n4tr3bcfp2v8q1mzj0"
OTHER = "shp_m3nq8r2vt6wy0zb4dc7fg1hj"
RW = "sk_test_alpha_rw"
RO = "sk_test_alpha_ro"
WO = "sk_test_alpha_wo"
OTHER_RW = "sk_test_beta_rw"
CASE = "cse_handwrittenawaitmerch01"
AWAIT_CUST = "cse_handwrittenawaitcust01"
CLOSED_CASE = "cse_handwrittenclosedcase1"
OTHER_CASE = "cse_otherstorecase00000001"
BASE = f"/pandabase/v2/core/stores/{STORE}/cases"

SCENARIO = f"""
version: 1
seed: 7
clock: {{start: "2026-06-01T12:00:00Z"}}
providers:
  pandabase:
    rate_limits: {{per_second: 0, replies_per_minute: 0}}
    stores:
      - id: {STORE}
        name: Alpha
        tokens:
          - {{secret: {RW}, id: stk_alpha_hmac_token01, scopes: [CASES_READ, CASES_WRITE]}}
          - {{secret: {RO}, scopes: [CASES_READ]}}
          - {{secret: {WO}, scopes: [CASES_WRITE]}}
        cases:
          - id: {CASE}
            subject: License key not working
            status: AWAITING_MERCHANT
            priority: NORMAL
            created_at: -3h
            customer: {{id: cus_j8h0r1n4tzcbfp2v8q1mzwx5, email: buyer@example.com, first_name: Alex, last_name: Doe}}
            order: {{id: ord_p2v8q1mzj0kxw5h7n4tr3bcf, order_number: cs_abcdef0123456789, amount: 2900, currency: USD}}
            messages:
              - {{sender_type: CUSTOMER, body: "It says invalid.", at: -3h}}
              - {{sender_type: MERCHANT, body: "Screenshot please?", at: -2h}}
              - {{sender_type: CUSTOMER, body: "Here.", at: -1h, attachments: [{{filename: e.png, mime_type: image/png, size_bytes: 4821}}]}}
          - id: {AWAIT_CUST}
            status: AWAITING_CUSTOMER
            priority: HIGH
            created_at: -2d
            messages:
              - {{sender_type: CUSTOMER, body: "Link expired.", at: -2d}}
              - {{sender_type: MERCHANT, body: "New link sent.", at: -1d}}
          - id: {CLOSED_CASE}
            status: CLOSED
            closed_by: MERCHANT
            closed_at: -1d
            created_at: -5d
            messages:
              - {{sender_type: CUSTOMER, body: "Charged twice.", at: -5d}}
              - {{sender_type: MERCHANT, body: "Refunded.", at: -4d}}
        generate:
          count: 57
      - id: {OTHER}
        name: Beta
        tokens:
          - {{secret: {OTHER_RW}}}
        cases:
          - id: {OTHER_CASE}
            status: OPEN
        generate:
          count: 5
"""


@dataclass
class Api:
    """The in-process client plus the sandbox, with the read-write token by default."""

    sandbox: object
    client: object
    STORE = STORE
    OTHER = OTHER
    RW, RO, WO, OTHER_RW = RW, RO, WO, OTHER_RW
    CASE, AWAIT_CUST, CLOSED_CASE, OTHER_CASE = CASE, AWAIT_CUST, CLOSED_CASE, OTHER_CASE
    BASE = BASE
    SCENARIO = SCENARIO
    FIXTURES = FIXTURES

    def headers(self, token: str | None = RW, **extra: str) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers.update(extra)
        return headers

    def get(self, path: str, token: str | None = RW, **kw):
        return self.client.get(path, headers=self.headers(token), **kw)

    def patch(self, path: str, body=None, token: str | None = RW, **kw):
        return self.client.patch(path, json=body, headers=self.headers(token), **kw)

    def post(self, path: str, body=None, token: str | None = RW, **kw):
        return self.client.post(path, json=body, headers=self.headers(token), **kw)

    def advance(self, duration: str):
        response = self.client.post("/_sandbox/clock/advance", json={"duration": duration})
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def api():
    sandbox = make_sandbox(text=SCENARIO, providers=["pandabase"])
    client = asgi_client(sandbox)
    yield Api(sandbox, client)
    client.close()


@pytest.fixture
def make_api():
    """`make_api(yaml_text)` → Api on another scenario (closed at teardown)."""
    made = []

    def build(text: str) -> Api:
        sandbox = make_sandbox(text=text, providers=["pandabase"])
        made.append(asgi_client(sandbox))
        return Api(sandbox, made[-1])

    yield build
    for client in made:
        client.close()
