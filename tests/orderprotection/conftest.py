"""Shared OrderProtection test scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.testing import shipped_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "orderprotection"
START = "2026-11-26T12:00:00Z"
BASE = "/orderprotection/v1"
RW = {"Authorization": "Bearer op_at_alpha_rw"}
RO = {"Authorization": "Bearer op_at_alpha_ro"}
BETA = {"Authorization": "Bearer op_at_beta_manage"}

SMALL = f"""
version: 1
seed: 7
clock: {{start: "{START}"}}
providers:
  orderprotection:
    stores:
      - id: alpha
        tokens:
          - {{token: op_at_alpha_rw, scopes: [read_claims, write_claims]}}
          - {{token: op_at_alpha_ro, scopes: [read_claims]}}
          - {{token: op_at_alpha_orders, scopes: [read_orders]}}
          - {{token: op_at_alpha_expiring, scopes: [read_claims], expires_at: "+1h"}}
        orders:
          - source_order_id: "A-100"
            source_order_number: "#100"
            customer_name: Ada Lovelace
            customer_email: ada@example.com
            fulfilled_at: -2d
            items:
              - {{name: Kettle, sku: KET-1, source_item_id: "it-1", price: 30.0}}
              - {{name: Mug, sku: MUG-1, source_item_id: "it-2", price: 12.5, quantity: 3}}
          - source_order_id: "A-OLD"
            customer_email: old@example.com
            fulfilled_at: -60d
        claims:
          - id: cpending000000000000000001
            source_order_id: "A-100"
            state: WAITING_FOR_CUSTOMER
            type: DAMAGED
            created_at: -3d
            updated_at: -1d
          - id: chold00000000000000000001
            state: WAITING_FOR_BRAND
            created_at: -2d
            updated_at: -1d
          - id: cnew000000000000000000001
            state: NEW
            created_at: -1h
          - id: cgone000000000000000000001
            state: OPEN
            created_at: -30m
            deleted_at: -10m
        generate:
          count: 40
          orders_without_claims: 2
          deleted_share: 0.1
      - id: beta
        tokens:
          - {{token: op_at_beta_manage, scopes: [manage_claims]}}
        generate:
          count: 15
    apps:
      - client_id: op_app_demo
        client_secret: op_secret_demo
        stores: [alpha]
        scopes: [read_claims, write_claims]
"""


@pytest.fixture
def small(sandbox_from):
    """(sandbox, client) on the small two-store scenario."""
    return sandbox_from(SMALL, providers=["orderprotection"])


def default_text() -> str:
    return shipped_text("default", ["orderprotection"])


class K:
    """Constants for the test modules (conftest is not importable under --import-mode=importlib)."""

    FIXTURES = FIXTURES
    START = START
    BASE = BASE
    RW = RW
    RO = RO
    BETA = BETA
    SMALL = SMALL
    default_text = staticmethod(default_text)


@pytest.fixture
def k() -> type[K]:
    return K


@pytest.fixture(scope="session")
def k_session() -> type[K]:
    return K
