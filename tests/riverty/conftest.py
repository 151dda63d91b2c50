"""Riverty test fixtures: a small fixed-clock scenario and helpers to reach both generations."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sandbox.testing import shipped_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "riverty"
START = "2025-06-01T12:00:00Z"
K1 = {"X-Auth-Key": "key-abc-de"}  # client 1, shop RTY000002240/DE
K1_AT = {"X-Auth-Key": "key-abc-at"}  # client 1, shop RTY000002240/AT
K4 = {"X-Auth-Key": "key-nordic-se"}  # client 4
OPEN_ID = "b87a9941-5d89-46a7-8890-3d1beec40def"  # stage 1, created 2025-05-30T12:00:00Z
RFI_ID = "9aee8e2a-8c5d-41cd-98d1-79861b072402"  # stage 2 asked the shop, rfi at 2025-05-28T12:00Z
DECIDED_ID = "11111111-2222-4333-8444-555555555555"  # stage 4, appeal window open until 06-05
OTHER_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"  # client 4's dispute

SCENARIO = f"""
seed: 7
clock: {{start: "{START}"}}
providers:
  riverty:
    clients:
      - id: 1
        name: ABC
        email: info@abc.de
        country_code: DE
        shops:
          - {{shop_id: RTY000002240, country_code: DE, api_key: key-abc-de}}
          - {{shop_id: RTY000002240, country_code: AT, api_key: key-abc-at}}
        disputes:
          - id: {OPEN_ID}
            shop_id: RTY000002240
            stage: 1
            reason_code: R3
            ticket_number: D-0001-4112
            invoice_number: "INV#1234"
            amount: "600.54"
            dispute_amount: "600.54"
            first_name: Martin
            last_name: John
            email: martin.john@gmail.com
            created_at: "2025-05-30T12:00:00Z"
            attachments:
              - {{original_file_name: tv_screen_broken.jpg, size: 12432}}
          - id: {RFI_ID}
            shop_id: RTY000002240
            stage: 2
            rfi_party: shop
            reason_code: R2
            invoice_number: "802693330"
            created_at: "2025-05-07T12:00:00Z"
          - id: {DECIDED_ID}
            shop_id: RTY000002240
            stage: 4
            decision: Collection continues
            reason_code: R1
            created_at: "2025-04-20T12:00:00Z"
            deadline: "2025-06-05T12:00:00Z"
        generate:
          count: 60
          stages: {{1: 2, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1}}
          hidden_share: 0.2
      - id: 4
        name: Nordic Gear AB
        email: support@nordicgear.se
        country_code: SE
        shops:
          - {{shop_id: AFS000003926, country_code: SE, api_key: key-nordic-se}}
        disputes:
          - id: {OTHER_ID}
            stage: 1
        generate:
          count: 10
"""


@pytest.fixture
def riverty(sandbox_from):
    """(sandbox, client) on the small scenario."""
    return sandbox_from(SCENARIO, providers=["riverty"])


def default_scenario_text() -> str:
    return shipped_text("default", ["riverty"])


@pytest.fixture(scope="session")
def C():
    """This module's constants (test files cannot import a conftest under importlib mode)."""
    return sys.modules[__name__]


@pytest.fixture(scope="module")
def world():
    """(sandbox, client, constants) shared by a module's read-only tests."""
    from sandbox.testing import asgi_client, make_sandbox

    sandbox = make_sandbox(text=SCENARIO, providers=["riverty"])
    client = asgi_client(sandbox)
    yield sandbox, client, sys.modules[__name__]
    client.close()
