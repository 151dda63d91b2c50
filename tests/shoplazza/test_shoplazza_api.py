"""Shoplazza list/get over HTTP: auth, store selection, versions, parameters and every error body."""

from __future__ import annotations

import re

import pytest

BASE = "/shoplazza/openapi/2024-07/shoplazza-payment/disputes"
TOKEN = {"Access-Token": "tok_alpha"}
UNAUTHORIZED = {"error": "Unauthorized"}
NOT_ACTIVE = {"error": "store is not active"}
FIELDS = [
    "id",
    "transaction_order_id",
    "original_order_id",
    "store_id",
    "currency",
    "created_at",
    "updated_at",
    "expiration_time",
    "dispute_reason",
    "original_order_amount",
    "dispute_amount",
    "status",
    "fee",
    "fee_currency",
]
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def assert_error(response, status: int, body) -> None:
    assert (response.status_code, response.json()) == (status, body)
    assert response.headers["content-type"].startswith("application/json")
    assert UUID.match(response.headers["request-id"])


def all_pages(client, url: str, headers: dict, **params) -> list[dict]:
    """Every page of a list query, following `data.cursor` until `has_more` is false."""
    pages, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(url, headers=headers, params=query)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        data = response.json()["data"]
        if not data["has_more"]:
            assert data["cursor"] == ""
            return pages
        cursor = data["cursor"]


# -- auth ---------------------------------------------------------------------------------------


def test_bearer_instead_of_access_token_is_refused_like_a_missing_token(shz):
    _, client = shz
    bearer = client.get(BASE, headers={"Authorization": "Bearer tok_alpha"})
    assert_error(bearer, 400, UNAUTHORIZED)
    missing = client.get(BASE)
    assert_error(missing, 400, UNAUTHORIZED)
    # the same token under the right header works, so the header name is what was refused
    assert client.get(BASE, headers=TOKEN).status_code == 200
    assert client.get(BASE, headers={"access-token": "tok_alpha"}).status_code == 200


def test_invalid_token_and_blank_token(shz):
    _, client = shz
    assert_error(client.get(BASE, headers={"Access-Token": "nope"}), 400, UNAUTHORIZED)
    assert_error(client.get(BASE, headers={"Access-Token": " "}), 400, UNAUTHORIZED)
    assert_error(client.get(BASE + "/dp_alpha_needs", headers={"Access-Token": "nope"}), 400, UNAUTHORIZED)


def test_auth_failure_status_401_option(sandbox_from, shz_scenario):
    _, client = sandbox_from(shz_scenario("    auth_failure_status: 401"), providers=["shoplazza"])
    assert_error(client.get(BASE, headers={"Authorization": "Bearer tok_alpha"}), 401, UNAUTHORIZED)


def test_scope_read_finance_required_and_write_finance_implies_it(shz):
    _, client = shz
    body = {"errors": ["Forbidden: read_finance scope required"]}
    assert_error(client.get(BASE, headers={"Access-Token": "tok_alpha_noscope"}), 403, body)
    assert_error(
        client.get(BASE + "/dp_alpha_needs", headers={"Access-Token": "tok_alpha_noscope"}), 403, body
    )
    assert client.get(BASE, headers={"Access-Token": "tok_alpha_write"}).status_code == 200


def test_inactive_and_unknown_stores(shz):
    _, client = shz
    assert_error(client.get(BASE, headers={"Access-Token": "tok_gamma"}), 400, NOT_ACTIVE)
    host_base = "/openapi/2024-07/shoplazza-payment/disputes"
    gamma = client.get(host_base, headers={"Host": "gamma.myshoplaza.com", "Access-Token": "tok_gamma"})
    assert_error(gamma, 400, NOT_ACTIVE)
    unknown = client.get(host_base, headers={"Host": "nosuchstore.myshoplaza.com", **TOKEN})
    assert_error(unknown, 400, NOT_ACTIVE)
    # the store is checked before the token in host mode
    assert_error(client.get(host_base, headers={"Host": "nosuchstore.myshoplazza.com"}), 400, NOT_ACTIVE)


def test_host_mode_token_must_belong_to_the_subdomain_store(shz):
    _, client = shz
    url = "/openapi/2024-07/shoplazza-payment/disputes"
    other = client.get(url, headers={"Host": "beta.myshoplaza.com", **TOKEN})
    assert_error(other, 400, UNAUTHORIZED)
    other_get = client.get(
        url + "/dp_beta_one", headers={"Host": "alpha.myshoplaza.com", "Access-Token": "tok_beta"}
    )
    assert_error(other_get, 400, UNAUTHORIZED)
    own = client.get(url, headers={"Host": "beta.myshoplaza.com", "Access-Token": "tok_beta"})
    assert {d["store_id"] for d in own.json()["data"]["list"]} == {"1002"}


# -- host vs path ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["alpha.myshoplaza.com", "alpha.myshoplazza.com", "ALPHA.MyShoplaza.com:443"]
)
def test_host_and_path_mode_give_identical_bodies(shz, host):
    _, client = shz
    path_pages = all_pages(client, BASE, TOKEN, limit=7, status="needs_response")
    host_pages = all_pages(
        client,
        "/openapi/2024-07/shoplazza-payment/disputes",
        {"Host": host, **TOKEN},
        limit=7,
        status="needs_response",
    )
    assert len(path_pages) > 1
    assert host_pages == path_pages
    path_get = client.get(BASE + "/dp_alpha_needs", headers=TOKEN)
    host_get = client.get(
        "/openapi/2024-07/shoplazza-payment/disputes/dp_alpha_needs", headers={"Host": host, **TOKEN}
    )
    assert (host_get.status_code, host_get.content) == (200, path_get.content)
    # error bodies match too
    host_missing = client.get(
        "/openapi/2024-07/shoplazza-payment/disputes/dp_nope", headers={"Host": host, **TOKEN}
    )
    assert host_missing.content == client.get(BASE + "/dp_nope", headers=TOKEN).content


def test_host_mode_over_a_real_socket(shz_scenario):
    import httpx

    from sandbox.testing import live_sandbox

    with live_sandbox(text=shz_scenario(), providers=["shoplazza"]) as server:
        port = server.url.rsplit(":", 1)[1]
        via_host = httpx.get(
            server.url + "/openapi/2026-07/shoplazza-payment/disputes/dp_alpha_needs",
            headers={"Host": f"alpha.myshoplaza.com:{port}", **TOKEN},
        )
        via_path = httpx.get(server.url + BASE + "/dp_alpha_needs", headers=TOKEN)
    assert via_host.status_code == 200
    assert via_host.content == via_path.content
    assert via_host.headers["request-id"] != via_path.headers["request-id"]


# -- versions and routes -------------------------------------------------------------------------


def test_every_supported_version_serves_the_same_shapes(shz):
    _, client = shz
    bodies = {
        v: client.get(
            f"/shoplazza/openapi/{v}/shoplazza-payment/disputes", headers=TOKEN, params={"limit": 5}
        ).content
        for v in ("2024-07", "2025-06", "2026-01", "2026-07")
    }
    assert len(set(bodies.values())) == 1
    gets = {
        client.get(f"/shoplazza/openapi/{v}/shoplazza-payment/disputes/dp_alpha_needs", headers=TOKEN).content
        for v in ("2024-07", "2025-06", "2026-01", "2026-07")
    }
    assert len(gets) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/shoplazza/openapi/2024-01/shoplazza-payment/disputes",
        "/shoplazza/openapi/2020-07/shoplazza-payment/disputes/dp_alpha_needs",
        "/shoplazza/openapi/latest/shoplazza-payment/disputes",
        "/shoplazza/openapi/shoplazza-payment/disputes",
        "/shoplazza/openapi/shoplazza-payment/disputes/dp_alpha_needs",
        "/shoplazza/shoplazza-payment/disputes",
        "/shoplazza/openapi/2024-07/shoplazza-payment/dispute",
        "/shoplazza/openapi/2024-07/shoplazza-payment/disputes/dp_alpha_needs/evidence",
        "/shoplazza/openapi/2024-07/shoplazza-payment/disputes/",
    ],
)
def test_unsupported_versions_and_unknown_paths_are_404(shz, path):
    _, client = shz
    assert_error(client.get(path, headers=TOKEN), 404, {"errors": ["Not Found"]})


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_writes_are_405(shz, method):
    _, client = shz
    for path in (BASE, BASE + "/dp_alpha_needs"):
        response = client.request(method, path, headers=TOKEN, json={"status": "won"})
        assert_error(response, 405, {"errors": ["Method Not Allowed"]})
    # an unsupported version is still an unknown route
    response = client.request(method, "/shoplazza/openapi/2019-01/shoplazza-payment/disputes", headers=TOKEN)
    assert_error(response, 404, {"errors": ["Not Found"]})


# -- list parameters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, message",
    [
        ({"limit": "0"}, "limit is invalid"),
        ({"limit": "101"}, "limit is invalid"),
        ({"limit": "-1"}, "limit is invalid"),
        ({"limit": "ten"}, "limit is invalid"),
        ({"limit": "1.5"}, "limit is invalid"),
        ({"limit": "99999999999999999999"}, "limit is invalid"),
        ({"status": "open"}, "status is invalid"),
        ({"status": "won,lost"}, "status is invalid"),
        ({"status": "WON"}, "status is invalid"),
        ({"created_at_min": "2026-03-01"}, "created_at_min is invalid"),
        ({"created_at_min": "-5"}, "created_at_min is invalid"),
        ({"created_at_max": "1714104673.5"}, "created_at_max is invalid"),
        ({"created_at_max": "9" * 40}, "created_at_max is invalid"),
        ({"cursor": "abc123"}, "wrong cursor"),
        ({"cursor": "!!!"}, "wrong cursor"),
        ({"cursor": "WyIiLFsxLDJdXQ"}, "wrong cursor"),  # well-formed, bound to another query
    ],
)
def test_bad_parameters(shz, params, message):
    _, client = shz
    assert_error(
        client.get(BASE, headers=TOKEN, params=params), 400, {"code": "InvalidParameter", "message": message}
    )


def test_bad_parameters_are_checked_after_auth(shz):
    _, client = shz
    assert_error(client.get(BASE, params={"limit": "0"}), 400, UNAUTHORIZED)


def test_defaults_limit_10_newest_first_and_object_shape(shz):
    _, client = shz
    response = client.get(BASE, headers=TOKEN)
    body = response.json()
    assert list(body) == ["code", "message", "data"]
    assert (body["code"], body["message"]) == ("Success", "Success")
    assert list(body["data"]) == ["has_more", "cursor", "list"]
    items = body["data"]["list"]
    assert len(items) == 10 and body["data"]["has_more"] is True
    assert [d["created_at"] for d in items] == sorted((d["created_at"] for d in items), reverse=True)
    for item in items:
        assert list(item) == FIELDS
        assert all(isinstance(v, str) for v in item.values())
        assert item["store_id"] == "1001"
        assert re.fullmatch(r"dp_[A-Za-z0-9_]+", item["id"])
        for money in ("original_order_amount", "dispute_amount", "fee"):
            assert re.fullmatch(r"\d+\.\d{2}", item[money])
        for when in ("created_at", "updated_at", "expiration_time"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item[when])
    empty = client.get(BASE, headers=TOKEN, params={"limit": "", "status": "", "cursor": ""})
    assert empty.content == response.content


def test_created_at_bounds_are_inclusive_unix_seconds(shz):
    _, client = shz
    # dp_alpha_needs was created at 2026-03-08T09:30:00Z = 1772962200
    exact = client.get(
        BASE, headers=TOKEN, params={"created_at_min": "1772962200", "created_at_max": "1772962200"}
    )
    assert [d["id"] for d in exact.json()["data"]["list"]] == ["dp_alpha_needs"]
    after = client.get(
        BASE, headers=TOKEN, params={"created_at_min": "1772962201", "created_at_max": "1772962260"}
    )
    assert "dp_alpha_needs" not in [d["id"] for d in after.json()["data"]["list"]]
    crossed = client.get(
        BASE, headers=TOKEN, params={"created_at_min": "1772962201", "created_at_max": "1772962200"}
    )
    assert crossed.json()["data"] == {"has_more": False, "cursor": "", "list": []}


def test_cursor_is_bound_to_its_filters_and_store(shz):
    _, client = shz
    first = client.get(BASE, headers=TOKEN, params={"limit": 2, "status": "needs_response"}).json()["data"]
    cursor = first["cursor"]
    assert first["has_more"] and cursor
    ok = client.get(BASE, headers=TOKEN, params={"limit": 5, "status": "needs_response", "cursor": cursor})
    assert ok.status_code == 200  # the page size may change between pages
    wrong = {"code": "InvalidParameter", "message": "wrong cursor"}
    for params in ({}, {"status": "won"}, {"status": "needs_response", "created_at_min": "1"}):
        assert_error(client.get(BASE, headers=TOKEN, params={**params, "cursor": cursor}), 400, wrong)
    beta = client.get(
        BASE, headers={"Access-Token": "tok_beta"}, params={"status": "needs_response", "cursor": cursor}
    )
    assert_error(beta, 400, wrong)


# -- get -------------------------------------------------------------------------------------------


def test_get_puts_the_object_under_data_dispute(shz):
    _, client = shz
    body = client.get(BASE + "/dp_alpha_needs", headers=TOKEN).json()
    assert body == {
        "code": "Success",
        "message": "Success",
        "data": {
            "dispute": {
                "id": "dp_alpha_needs",
                "transaction_order_id": body["data"]["dispute"]["transaction_order_id"],
                "original_order_id": body["data"]["dispute"]["original_order_id"],
                "store_id": "1001",
                "currency": "EUR",
                "created_at": "2026-03-08T09:30:00Z",
                "updated_at": "2026-03-08T09:30:00Z",
                "expiration_time": "2026-03-15T00:00:00Z",
                "dispute_reason": "Fraudulent",
                "original_order_amount": "120.50",
                "dispute_amount": "60.25",
                "status": "needs_response",
                "fee": "15.00",
                "fee_currency": "USD",
            }
        },
    }
    assert body["data"]["dispute"]["transaction_order_id"].startswith("py_")
    listed = [d for p in all_pages(client, BASE, TOKEN, limit=100) for d in p["data"]["list"]]
    assert body["data"]["dispute"] in listed


def test_get_unknown_and_other_store_ids_are_404(shz):
    _, client = shz
    missing = {"code": "NotFound", "message": "dispute not found"}
    assert_error(client.get(BASE + "/dp_nope", headers=TOKEN), 404, missing)
    assert_error(client.get(BASE + "/dp_beta_one", headers=TOKEN), 404, missing)
    assert_error(client.get(BASE + "/" + "x" * 5000, headers=TOKEN), 404, missing)
    assert client.get(BASE + "/dp_beta_one", headers={"Access-Token": "tok_beta"}).status_code == 200


# -- headers, faults, rate limit, listing --------------------------------------------------------------


def test_every_response_carries_a_unique_request_id(shz):
    _, client = shz
    responses = [
        client.get(BASE, headers=TOKEN),
        client.get(BASE + "/dp_alpha_needs", headers=TOKEN),
        client.get(BASE),
        client.get(BASE, headers={"Access-Token": "tok_alpha_noscope"}),
        client.get(BASE, headers=TOKEN, params={"cursor": "x"}),
        client.get("/shoplazza/nowhere"),
        client.post(BASE, headers=TOKEN),
    ]
    ids = [r.headers["request-id"] for r in responses]
    assert all(UUID.match(i) for i in ids) and len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    "status, body",
    [
        (400, {"code": "InvalidParameter", "message": "Bad Request"}),
        (401, {"error": "Unauthorized"}),
        (403, {"errors": ["Forbidden: read_finance scope required"]}),
        (404, {"errors": ["Not Found"]}),
        (429, {"errors": ["Too Many Requests"]}),
        (500, {"errors": ["Internal Server Error"]}),
    ],
)
def test_forced_faults_use_shoplazza_bodies(shz, status, body):
    _, client = shz
    added = client.post(
        "/_sandbox/faults", json={"provider": "shoplazza", "status": status, "retry_after": 3}
    )
    assert added.status_code == 201
    assert_error(client.get(BASE, headers=TOKEN), status, body)
    assert client.get(BASE, headers=TOKEN).status_code == 200  # spent
    if status == 429:
        client.post("/_sandbox/faults", json={"provider": "shoplazza", "status": 429, "retry_after": 3})
        assert client.get(BASE, headers=TOKEN).headers["retry-after"] == "3"


def test_leaky_bucket_rate_limit(sandbox_from, shz_scenario):
    _, client = sandbox_from(
        shz_scenario("    rate_limit: {bucket_size: 3, leak_per_second: 0.01}"), providers=["shoplazza"]
    )
    statuses = [client.get(BASE, headers=TOKEN).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = client.get(BASE, headers=TOKEN)
    assert_error(limited, 429, {"errors": ["Too Many Requests"]})
    assert int(limited.headers["retry-after"]) >= 90
    # buckets are per token and store
    assert client.get(BASE, headers={"Access-Token": "tok_beta"}).status_code == 200


def test_scenario_listing_shows_stores_and_access_tokens(shz):
    _, client = shz
    info = client.get("/_sandbox/scenario").json()["providers"]["shoplazza"]
    assert info["base_path"] == "/shoplazza/openapi/2024-07"
    alpha = info["tenants"][0]
    assert alpha == {
        "id": "alpha",
        "store_id": "1001",
        "domain": "alpha.myshoplaza.com",
        "active": True,
        "credentials": [
            {"header": "Access-Token", "value": "tok_alpha", "scopes": ["read_finance"]},
            {"header": "Access-Token", "value": "tok_alpha_write", "scopes": ["write_finance"]},
            {"header": "Access-Token", "value": "tok_alpha_noscope", "scopes": ["read_product"]},
        ],
    }
    assert [t["id"] for t in info["tenants"]] == ["alpha", "beta", "gamma"]
