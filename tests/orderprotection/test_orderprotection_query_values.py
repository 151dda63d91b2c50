"""Query values as class-validator reads them (issue 20.4): an empty integer or enum value is
refused, not taken as absent; integers are ASCII digits only (`٣`, `1_0`, `²` are not numbers)."""

from __future__ import annotations

import base64

import pytest


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("first=", "first must be an integer number"),
        ("last=", "last must be an integer number"),
        ("size=", "size must be an integer number"),
        ("first=%D9%A3", "first must be an integer number"),  # ٣, ARABIC-INDIC DIGIT THREE
        ("first=1_0", "first must be an integer number"),
        ("first=%C2%B2", "first must be an integer number"),  # ²
        ("claimState=", "each value in claimState must be one of the following values"),
        ("claimState[]=", "each value in claimState must be one of the following values"),
        ("claimType=", "claimType must be one of the following values"),
        ("senderType=", "senderType must be one of the following values"),
        ("operator=", "operator must be one of the following values: AND, OR"),
    ],
)
def test_claims_list_refuses(small, k, query, message):
    _, client = small
    r = client.get(f"{k.BASE}/claims?{query}", headers=k.RW)
    assert r.status_code == 400, r.text
    assert any(m.startswith(message) for m in r.json()["message"]), r.json()


@pytest.mark.parametrize("query", ["storeId=", "after=", "before=", "authorEmail=", "first=-0", "first=0010"])
def test_claims_list_takes_empty_strings_as_absent(small, k, query):
    """Empty string filters and cursors are absent (inferred.py); `0010` is ten in ASCII digits."""
    _, client = small
    plain = client.get(f"{k.BASE}/claims", headers=k.RW).json()
    r = client.get(f"{k.BASE}/claims?{query}", headers=k.RW)
    if query.startswith("first=-0"):
        assert r.status_code == 400 and r.json()["message"] == ["first must not be less than 1"]
    else:
        assert r.status_code == 200, r.text
        assert r.json() == plain


@pytest.mark.parametrize(
    "query",
    ["size=", "buttonNum=", "size=%D9%A3", "buttonNum=1_0",
     "cursor=" + base64.b64encode("arrayconnection:٣".encode()).decode(),
     "cursor=" + base64.b64encode(b"arrayconnection:1_0").decode()],
)
def test_orders_list_refuses(small, k, query):
    _, client = small
    orders = {"Authorization": "Bearer op_at_alpha_orders"}
    r = client.get(f"{k.BASE}/orders?{query}", headers=orders)
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "Bad Request"


def test_control_orders_limit_is_ascii(small):
    _, client = small
    assert client.get("/_sandbox/orderprotection/stores/alpha/orders?limit=%D9%A3").status_code == 400
    long = client.get("/_sandbox/orderprotection/stores/alpha/orders?limit=" + "9" * 5000)
    assert long.status_code == 200 and len(long.json()["orders"]) > 0


def test_integral_json_numbers_are_integers(small, k):
    """`"quantity": 1.0` is the number 1 to a JavaScript server (found by fuzzing the document)."""
    _, client = small
    body = {"email": "ada@example.com", "issues": [{"issueType": "DAMAGED", "sourceItemId": "it-2", "quantity": 2.0}]}
    assert client.post(f"{k.BASE}/claims/A-100", headers=k.RW, json=body).status_code == 201
    claims = client.get(f"{k.BASE}/orders/A-100/claims", headers=k.RW).json()
    assert [i["quantity"] for c in claims for i in c["claimItems"] if c["claimState"] == "NEW"] == [2]
    body["issues"][0]["quantity"] = 1.5
    r = client.post(f"{k.BASE}/claims/A-100", headers=k.RW, json=body)
    assert r.status_code == 400 and r.json()["message"] == ["issues.0.quantity must be an integer number"]
