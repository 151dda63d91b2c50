"""Golden shapes and error bodies: the seed's example, the documented retrieve example, every error path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from sandbox.providers.whop.wire import Case, ListItem, ListResponse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "whop"
URL = "/whop/api/v1/resolution_center_cases"
OK = {"Authorization": "Bearer whop_test_pickaxe_read"}

SCENARIO = """
version: 1
seed: 7
clock: {start: "2026-03-01T00:00:00Z"}
providers:
  whop:
    companies:
      - id: biz_A
        title: Alpha
        api_keys: [{key: alpha}, {key: alpha_noperm, permissions: ["payment:basic:read"]}]
        cases:
          - {id: reso_AlphaOne000001, status: merchant_response_needed, created_at: -1d}
        generate: {count: 30}
      - id: biz_B
        title: Beta
        deleted: true
        api_keys: [{key: beta}]
        cases:
          - {id: reso_BetaOne0000001, status: customer_won, created_at: -10d}
"""


def test_seed_example_validates_against_the_serializer_models():
    body = json.loads((FIXTURES / "seed_list_response.json").read_text())
    ListResponse.model_validate(body)
    Case.model_validate(json.loads((FIXTURES / "sheet_retrieve_example.json").read_text()))


def test_models_refuse_drift():
    body = json.loads((FIXTURES / "seed_list_response.json").read_text())
    item = body["data"][0]
    with pytest.raises(ValidationError):
        ListItem.model_validate({**item, "status": "platform_refund"})
    with pytest.raises(ValidationError):
        ListItem.model_validate({**item, "extra_field": 1})


def test_served_items_keep_the_seed_field_order(sandbox_from):
    _, client = sandbox_from(SCENARIO, ["whop"])
    served = client.get(URL, headers={"Authorization": "Bearer alpha"}).json()
    seed = json.loads((FIXTURES / "seed_list_response.json").read_text())
    assert list(served) == list(seed)
    assert list(served["data"][0]) == list(seed["data"][0])
    assert list(served["page_info"]) == list(seed["page_info"])
    ListResponse.model_validate(served)


def test_deleted_company_serialises_as_null(sandbox_from):
    _, client = sandbox_from(SCENARIO, ["whop"])
    case = client.get(URL + "/reso_BetaOne0000001", headers={"Authorization": "Bearer beta"}).json()
    assert case["company"] is None
    assert case["merchant_response_actions"] == ["appeal"]


@pytest.mark.parametrize(
    ("headers", "path", "status", "body"),
    [
        ({}, URL, 401, {"type": "unauthorized", "message": "Invalid or missing API key"}),
        ({"Authorization": "alpha"}, URL, 401, {"type": "unauthorized", "message": "Invalid or missing API key"}),
        ({"Authorization": "Bearer nope"}, URL, 401, {"type": "unauthorized", "message": "Invalid or missing API key"}),
        (
            {"Authorization": "Bearer alpha_noperm"},
            URL,
            403,
            {"type": "forbidden", "message": "You do not have permission to access this resource"},
        ),
        (
            {"Authorization": "Bearer alpha"},
            URL + "?company_id=biz_B",
            403,
            {"type": "forbidden", "message": "You do not have permission to access this resource"},
        ),
        ({"Authorization": "Bearer alpha"}, URL + "/reso_BetaOne0000001", 404, {"type": "not_found", "message": "Resource not found"}),
        ({"Authorization": "Bearer alpha"}, URL + "/reso_nothing", 404, {"type": "not_found", "message": "Resource not found"}),
        ({"Authorization": "Bearer alpha"}, "/whop/api/v1/nothing_here", 404, {"type": "not_found", "message": "Resource not found"}),
    ],
)
def test_error_bodies(sandbox_from, headers, path, status, body):
    _, client = sandbox_from(SCENARIO, ["whop"])
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert response.json() == {"error": body}


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("first=abc", "first"),
        ("last=1.5", "last"),
        ("first=-3", "first"),
        ("direction=sideways", "direction"),
        ("statuses[]=open", "statuses"),
        ("created_after=yesterday", "created_after"),
        ("created_before=2026-13-01", "created_before"),
        ("after=%%%garbage", "after"),
        ("before=WyJ4IixbMV1d", "before"),
    ],
)
def test_bad_parameters_are_400_naming_the_param(sandbox_from, query, param):
    _, client = sandbox_from(SCENARIO, ["whop"])
    response = client.get(f"{URL}?{query}", headers={"Authorization": "Bearer alpha"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["param"] == param
    assert error["code"] == "parameter_invalid"


def test_host_mode_serves_the_real_path(sandbox_from):
    _, client = sandbox_from(SCENARIO, ["whop"])
    headers = {"Authorization": "Bearer alpha"}
    via_host = client.get("/api/v1/resolution_center_cases", headers={**headers, "Host": "api.whop.com"})
    via_prefix = client.get(URL, headers=headers)
    assert via_host.status_code == 200
    assert via_host.content == via_prefix.content


def test_rate_limit_from_the_scenario(sandbox_from):
    text = SCENARIO.replace("  whop:\n", "  whop:\n    rate_limit_per_minute: 3\n")
    _, client = sandbox_from(text, ["whop"])
    headers = {"Authorization": "Bearer alpha"}
    assert [client.get(URL, headers=headers).status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get(URL, headers=headers)
    assert limited.status_code == 429
    assert limited.json()["error"]["type"] == "rate_limit_exceeded"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    # per operation: retrieve still has its own budget
    assert client.get(URL + "/reso_AlphaOne000001", headers=headers).status_code == 200


def test_documented_current_example_validates_and_served_cases_keep_its_key_order(sandbox_from):
    from sandbox.providers.whop.wire import CurrentCase

    example = json.loads((FIXTURES / "current_case_example.json").read_text())
    CurrentCase.model_validate(example)
    with pytest.raises(ValidationError):
        CurrentCase.model_validate({**example, "status": "merchant_response_needed"})
    with pytest.raises(ValidationError):
        CurrentCase.model_validate({k: v for k, v in example.items() if k != "line_items"})
    _, client = sandbox_from(SCENARIO, ["whop"])
    served = client.get(f"{URL}/reso_AlphaOne000001", headers={**{"Authorization": "Bearer alpha"}, "Api-Version-Date": "2026-10-15-1"}).json()
    assert list(served) == list(example)
    assert list(served["buyer"]) == list(example["buyer"]) and list(served["line_items"][0]) == list(example["line_items"][0])
