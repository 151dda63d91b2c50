"""Fuzz every route of every provider (and its controls): no input may produce a 500 or a traceback.

Paths come from each provider's own route table, their parameters filled with real tenant and
record ids (taken from the default scenario's list responses) or with garbage; queries mix the
parameter names the providers read with hostile values; bodies are JSON of odd shapes, invalid
JSON or binary; credentials are valid, foreign or missing.
"""

from __future__ import annotations

import json
import os
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.providers import load_providers
from sandbox.testing import asgi_client, make_sandbox

PARAM = re.compile(r"{(\w+)(?::\w+)?}")
QUERY_NAMES = [
    "first", "last", "after", "before", "statuses", "statuses[]", "status", "direction", "company_id",
    "created_before", "created_after", "limit", "page", "cursor", "priority", "customerId", "orderId",
    "claimState", "claimType", "operator", "filter", "size", "created_at_min", "created_at_max",
    "sortBy", "sortMethod", "query", "startDate", "endDate", "pageSize", "pageNumber", "showInMerchantUi",
    "address", "topic", "page_size", "updated_at_min", "updated_at_max", "client_id", "client_secret",
    "redirect_uri", "scope", "state", "response_type", "code", "grant_type", "refresh_token",
]
HOSTILE = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["-1", "0", "1e9", "99999999999999999999", "null", "[]", "{}", "%00", "NaN", "true",
                     "2026-13-45T99:99:99Z", "../../etc", "' OR 1=1", "\u202e", "AND", "OR", "desc"]),
    st.integers(-(2**70), 2**70).map(str),
)
BODIES = st.one_of(
    st.none(),
    st.binary(max_size=64),
    st.sampled_from([b"{", b"[]", b"null", b'"x"', b"{}", b'{"a":', b"\xff\xfe"]),
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10)),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=8,
    ).map(lambda v: json.dumps(v).encode()),
)


def _strings(value, out: set[str]) -> None:
    if isinstance(value, str) and 0 < len(value) < 60:
        out.add(value)
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out)


@pytest.fixture(scope="module")
def world():
    sandbox = make_sandbox("default")
    client = asgi_client(sandbox)
    info = client.get("/_sandbox/scenario").json()
    credentials, ids = [], set()
    for provider in info["providers"].values():
        for tenant in provider["tenants"]:
            ids.add(str(tenant["id"]))
            credentials += [(c["header"], c["value"]) for c in tenant["credentials"]]
    first_pages = [
        ("/whop/api/v1/resolution_center_cases", "Authorization", "Bearer whop_test_pickaxe_read"),
        ("/orderprotection/v1/claims", "Authorization", "Bearer op_at_teststore2_readwrite"),
        ("/pandabase/v2/core/stores/shp_kxw5h7n4tr3bcfp2v8q1mzj0/cases", "Authorization", "Bearer sk_test_pixelforge_cases_rw"),
        ("/shoplazza/openapi/2024-07/shoplazza-payment/disputes", "Access-Token", "shoplazza_test_aurora_finance"),
        ("/riverty/1/disputes", "X-Auth-Key", "riverty_test_abc_de"),
        ("/riverty/disputes", "X-Auth-Key", "riverty_test_abc_de"),
    ]
    for path, header, value in first_pages:
        response = client.get(path, headers={header: value})
        assert response.status_code == 200, path
        _strings(response.json(), ids)
    routes = []
    for provider in load_providers():
        for route in provider.routes:
            routes.append((provider.prefix + route.path, sorted(route.methods or ["GET"])))
        for route in provider.control_routes:
            routes.append(("/_sandbox" + route.path, sorted(route.methods or ["GET"])))
    return sandbox, client, sorted(ids), credentials, routes


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "600")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_input_gives_a_500(world, data):
    _, client, ids, credentials, routes = world
    template, methods = data.draw(st.sampled_from(routes))
    segment = st.one_of(st.sampled_from(ids), st.sampled_from(["2024-07", "2026-07"]), st.text(min_size=1, max_size=12))
    path = PARAM.sub(
        lambda m: quote(data.draw(segment), safe=""),
        template.replace("{rest:path}", "anything/here"),
    )
    method = data.draw(st.sampled_from([*methods, "GET", "POST", "PATCH", "DELETE"]))
    query = data.draw(st.lists(st.tuples(st.sampled_from(QUERY_NAMES), HOSTILE), max_size=5))
    headers = dict(data.draw(st.lists(st.sampled_from(credentials), max_size=2)))
    body = data.draw(BODIES) if method in ("POST", "PATCH", "PUT") else None
    if body is not None:
        headers["content-type"] = data.draw(
            st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
        )
    response = client.request(method, path, params=query, headers=headers, content=body)
    assert response.status_code < 500, (method, path, query, response.text[:300])
    assert "Traceback" not in response.text
    if response.content and response.headers.get("content-type", "").startswith("application/json"):
        response.json()  # a JSON content type always carries valid JSON
