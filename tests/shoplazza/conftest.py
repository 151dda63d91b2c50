"""Shoplazza test scenario: three stores (one inactive), hand-written disputes with known deadlines."""

from __future__ import annotations

import pytest

BASE = "/shoplazza/openapi/2024-07/shoplazza-payment/disputes"
TOKEN = {"Access-Token": "tok_alpha"}

SCENARIO = """
version: 1
seed: 7
clock: {start: "2026-03-10T12:00:00Z"}
providers:
  shoplazza:
    stores:
      - id: "1001"
        subdomain: alpha
        tokens:
          - {token: tok_alpha, scopes: [read_finance]}
          - {token: tok_alpha_write, scopes: [write_finance]}
          - {token: tok_alpha_noscope, scopes: [read_product]}
        disputes:
          - {id: dp_alpha_needs, status: needs_response, created_at: "2026-03-08T09:30:00Z",
             original_order_amount: "120.50", dispute_amount: "60.25", currency: EUR, dispute_reason: Fraudulent}
          - {id: dp_alpha_warn, status: warning_needs_response, created_at: "2026-03-09T10:00:00Z"}
          - {id: dp_alpha_review, status: under_review, created_at: "2026-03-05T08:00:00Z",
             updated_at: "2026-03-09T00:00:00Z"}
          - {id: dp_alpha_wreview, status: warning_under_review, created_at: "2026-03-04T08:00:00Z",
             updated_at: "2026-03-08T00:00:00Z"}
        generate: {count: 60}
      - id: "1002"
        subdomain: beta
        tokens: [{token: tok_beta}]
        disputes: [{id: dp_beta_one, status: won, created_at: -10d}]
        generate: {count: 5}
      - id: "1003"
        subdomain: gamma
        active: false
        tokens: [{token: tok_gamma}]
%(extra)s
"""


def scenario(extra: str = "") -> str:
    """The test scenario; `extra` is YAML indented under `shoplazza:` (rules, timeline, ...)."""
    return SCENARIO % {"extra": extra}


@pytest.fixture
def shz_scenario():
    """`shz_scenario(extra)` → the scenario text with `extra` under `shoplazza:`."""
    return scenario


@pytest.fixture
def shz(sandbox_from):
    """(sandbox, client) on the test scenario."""
    return sandbox_from(scenario(), providers=["shoplazza"])
