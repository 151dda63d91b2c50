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


# -- the core control plane: real field names with wrong types, a read after every write ----------

JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**80), 2**80), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e300, -1e300, 0.5, "", "x" * 300, "9999-12-31T23:59:59-23:59", "99999999999d", "1d",
                     "2026-01-01T00:00:00Z", "whop", "riverty", "nope", 429, 418, 500, 200, [], {}, [1], {"a": 1}]),
    st.text(max_size=12),
)
CONTROL_FIELDS = {
    ("POST", "/_sandbox/faults"): ["provider", "status", "count", "path", "retry_after"],
    ("POST", "/_sandbox/clock/advance"): ["seconds", "duration"],
    ("POST", "/_sandbox/clock/set"): ["now"],
    ("POST", "/_sandbox/scenario"): ["name", "seed"],
    ("POST", "/_sandbox/reset"): [],
    ("DELETE", "/_sandbox/faults"): [],
    ("POST", "/_sandbox/webhooks"): ["provider", "tenant", "url", "events", "secret", "duplicate", "out_of_order", "timeout"],
}
NAMES = st.sampled_from(["default", "expiring-disputes", "large.yaml", "/etc/passwd", "", "../scenarios/default"])
YAML_VALUES = ["-1", "1e300", "2.5", "'x'", "[]", "null", "3", "2000001", "99999999999999999999", "'+99999999999d'",
               "'9999-12-31T23:59:59-23:59'", "&a [*a]", "{a: 1}", "'0001-01-01T00:00:00Z'", "'-36601d'"]
YAML_TEMPLATES = [
    "version: 1\nseed: {v}\n",
    "version: 1\nclock: {{start: {v}}}\n",
    "version: 1\nproviders:\n  whop:\n    companies: [{{id: biz_F, title: T, api_keys: [{{key: k}}], generate: {{count: {v}}}}}]\n",
    "version: 1\nproviders:\n  whop:\n    companies: [{{id: biz_F, title: T, api_keys: [{{key: k}}]}}]\n"
    "webhooks: [{{provider: whop, tenant: {v}, url: 'http://127.0.0.1:9/h'}}]\n",
    "{v}\n",
]
READS = ["/_sandbox/scenario", "/_sandbox/clock", "/_sandbox/faults", "/_sandbox/events", "/_sandbox/webhooks",
         "/_sandbox/webhooks/deliveries", "/_sandbox/health"]
PROBES = {p.key: p.prefix for p in load_providers()}


@pytest.fixture(scope="module")
def control_world():
    sandbox = make_sandbox("default")
    return sandbox, asgi_client(sandbox)


def _control_request(data):
    (method, path), fields = data.draw(st.sampled_from(sorted(CONTROL_FIELDS.items())))
    if path == "/_sandbox/scenario" and data.draw(st.booleans()):
        text = data.draw(st.sampled_from(YAML_TEMPLATES)).format(v=data.draw(st.sampled_from(YAML_VALUES)))
        return method, path, text.encode(), {"content-type": "application/yaml"}
    body = data.draw(st.dictionaries(st.sampled_from([*fields, "bogus"]) if fields else st.just("bogus"),
                                     NAMES if path == "/_sandbox/scenario" else JUNK, max_size=len(fields) + 1))
    if path == "/_sandbox/scenario" and "name" not in body and data.draw(st.booleans()):
        body["name"] = data.draw(NAMES)
    raw = json.dumps(body).encode()
    headers = data.draw(st.sampled_from([{"content-type": "application/json"}, {}, {"content-type": "text/plain"}]))
    return method, path, raw, headers


@settings(
    max_examples=int(os.environ.get("FUZZ_CONTROL_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_core_control_plane_never_answers_500_and_stays_readable(control_world, data):
    _, client = control_world
    method, path, raw, headers = _control_request(data)
    before = client.get("/_sandbox/scenario").json()
    response = client.request(method, path, content=raw, headers=headers)
    assert response.status_code < 500, (method, path, raw[:200], response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    problem = response.json()
    if response.status_code >= 400:
        assert isinstance(problem.get("error"), str) and "Traceback" not in response.text
        if path == "/_sandbox/scenario":  # a refused load leaves the running scenario as it was
            assert client.get("/_sandbox/scenario").json() == before
    for read in READS:
        answer = client.get(read)
        assert answer.status_code == 200, (method, path, raw[:200], read, answer.text[:300])
        answer.json()
    pending = client.get("/_sandbox/faults").json()["faults"]
    for key in {f["provider"] for f in pending}:  # forced faults answer with their own status
        statuses = {f["status"] for f in pending if f["provider"] == key and f["path"] in PROBES[key] + "/probe"}
        probe = client.get(PROBES[key] + "/probe")
        assert probe.status_code in statuses or (not statuses and probe.status_code < 500), (pending, probe.text)
    client.delete("/_sandbox/faults")
