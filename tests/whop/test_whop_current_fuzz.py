"""Fuzz the current case API (every route, each version and credential, hostile queries and
bodies): never a 500, every refusal in Whop's error body, and nothing stored on a refusal."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.testing import asgi_client, make_sandbox, shipped_text


def without_rate_limit(text: str) -> str:
    """The fuzz reads back after every write with one key: hundreds a minute, past Whop's 600/min
    per key and operation, which would turn a read into the (correct) 429."""
    data = yaml.safe_load(text)
    data["providers"]["whop"]["rate_limit_per_minute"] = 0
    return yaml.safe_dump(data, sort_keys=False)


BASE = "/whop/api/v1/resolution_center_cases"
SANDBOX = make_sandbox(text=without_rate_limit(shipped_text("default", ["whop"])))
CLIENT = asgi_client(SANDBOX)
PATHS = st.sampled_from([
    ("GET", BASE), ("POST", BASE), ("GET", BASE + "/summary"), ("GET", BASE + "/reso_LumenAwaitMer1"),
    ("GET", BASE + "/reso_LumenAwaitMer1/events"), ("GET", BASE + "/reso_nope/events"),
    *[("POST", f"{BASE}/reso_LumenAwaitMer1/{a}") for a in ("accept", "deny", "request_info", "reply", "appeal", "withdraw", "x")],
    ("DELETE", BASE + "/reso_LumenAwaitMer1"), ("PATCH", BASE),
])
NAMES = ["first", "last", "after", "before", "status", "reason", "outcome", "order", "direction", "account_id",
         "user_id", "created_after", "created_before", "groups", "status[]"]
VALUES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["-1", "0", "101", "99999999999999999999", "closed", "fraudulent", "merchant_won", "response_due_at",
                     "asc", "me", "biz_LumenStudio03", "biz_PickaxeLabs01", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59",
                     "eyJ4IjoxfQ", "status"]),
)
BODIES = st.one_of(
    st.none(), st.binary(max_size=40),
    st.sampled_from([b"{}", b"null", b"[]", b'{"message": 1}', b'{"message": "ok"}', b'{"attachments": "x"}',
                     b'{"attachments": [{"id": 1}]}', b'{"message": "m", "reason": "fraudulent", "receipt_id": "pay_AvaLumen0000001"}',
                     b'{"reason": null, "receipt_id": ["x"]}', b'{"terminate_membership": "yes"}']),
)
TOKENS = st.sampled_from([None, "whop_test_lumen_manage", "whop_test_lumen_read", "whop_test_user_ava", "whop_test_user_ben",
                          "whop_test_pickaxe_read", "nope"])
VERSIONS = st.sampled_from([None, "2026-10-15-1", "2026-08-21", "2026-07-08-1", "garbage", "2026-99-99"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=PATHS, query=st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=4), body=BODIES,
       token=TOKENS, version=VERSIONS, idem=st.sampled_from([None, "k1", "", "x" * 300]))
def test_no_input_makes_a_500(path, query, body, token, version, idem):
    method, url = path
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if version is not None:
        headers["Api-Version-Date"] = version
    if idem is not None:
        headers["Idempotency-Key"] = idem
    response = CLIENT.request(method, url, params=query, content=body, headers=headers)
    assert response.status_code < 500, (method, url, query, body, response.text[:300])
    if response.status_code >= 400 and response.status_code != 405:
        error = response.json()["error"]
        assert isinstance(error["type"], str) and isinstance(error["message"], str)
    # the case fuzzed most stays readable in both shapes
    for v in ("2026-10-15-1", "2026-07-08-1"):
        read = CLIENT.get(f"{BASE}/reso_LumenAwaitMer1", headers={"Authorization": "Bearer whop_test_lumen_manage", "Api-Version-Date": v})
        assert read.status_code == 200
