"""The request journal (`GET/DELETE /_sandbox/requests`, issue 19): every refusal kind of every
provider is found with its reason; credentials are masked; the ring holds its bound and memory
stays flat; filters hold on every listing; bad filters are 400s; access and state-change logs."""

from __future__ import annotations

import asyncio
import logging
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.app import JOURNALED_PATHS as MEMO
from sandbox.app import FrontDoor
from sandbox.journal import BODY_CAP, Entry, mask
from sandbox.scenario import find_scenario
from sandbox.settings import Settings
from sandbox.testing import asgi_client, make_sandbox

W = "/whop/api/v1"
OP = "/orderprotection/v1"
PB = "/pandabase/v2/core"
SL = "/shoplazza/openapi/2024-07/shoplazza-payment"
STORE, OTHER_STORE = "shp_kxw5h7n4tr3bcfp2v8q1mzj0", "shp_m3nq8r2vt6wy0zb4dc7fg1hj"

WHOP = {"Authorization": "Bearer whop_test_pickaxe_read"}
OPA = {"Authorization": "Bearer op_at_teststore2_readwrite"}
PBA = {"Authorization": "Bearer sk_test_pixelforge_cases_rw"}
SLA = {"Access-Token": "shoplazza_test_aurora_finance"}
RVA = {"X-Auth-Key": "riverty_test_abc_de"}

PROBES = {  # an authenticated call that succeeds, per provider
    "whop": (W + "/resolution_center_cases", WHOP),
    "orderprotection": (OP + "/claims", OPA),
    "pandabase": (f"{PB}/stores/{STORE}/cases", PBA),
    "shoplazza": (SL + "/disputes", SLA),
    "riverty": ("/riverty/1/disputes", RVA),
}


def _first_id(client: httpx.Client, path: str, headers: dict[str, str], *keys: str) -> str:
    data: Any = client.get(path, headers=headers).json()
    for key in keys:
        data = data[key]
    return str(data)


@dataclass
class Refusal:
    provider: str
    kind: str
    path: str | Callable[[httpx.Client], str]
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 400
    reason: str = ""  # a fragment the recorded reason must contain (case-insensitive)
    method: str = "GET"


REFUSALS = [
    # Whop
    Refusal("whop", "auth", W + "/resolution_center_cases", {}, 401, "bearer"),
    Refusal("whop", "scope", W + "/resolution_center_cases", {"Authorization": "Bearer whop_test_courseforge_noperm"},
            403, "lacks payment:resolution_center_case:read"),
    Refusal("whop", "other tenant",
            lambda c: W + "/resolution_center_cases/" + _first_id(
                c, W + "/resolution_center_cases", {"Authorization": "Bearer whop_test_lumen_read"}, "data", 0, "id"),
            WHOP, 404, "another company"),
    Refusal("whop", "bad parameter", W + "/resolution_center_cases?first=abc", WHOP, 400, "first must be an integer"),
    Refusal("whop", "unknown id", W + "/resolution_center_cases/reso_nope", WHOP, 404, "reso_nope"),
    # OrderProtection
    Refusal("orderprotection", "auth", OP + "/claims", {}, 401, "authorization"),
    Refusal("orderprotection", "scope", OP + "/claims", {"Authorization": "Bearer op_at_teststore2_orders_only"},
            403, "lacks read_claims"),
    Refusal("orderprotection", "other tenant",
            lambda c: OP + "/orders/" + _first_id(
                c, OP + "/claims", {"Authorization": "Bearer op_at_northwind_manage"}, "edges", 0, "node",
                "sourceOrderId") + "/claims",
            OPA, 404, "not found"),
    Refusal("orderprotection", "bad parameter", OP + "/claims?first=abc", OPA, 400, "first must be an integer"),
    Refusal("orderprotection", "unknown id", OP + "/orders/nope/claims", OPA, 404, "order nope not found"),
    # Pandabase
    Refusal("pandabase", "auth", f"{PB}/stores/{STORE}/cases", {}, 401, "authorization"),
    Refusal("pandabase", "scope", f"{PB}/stores/{STORE}/cases", {"Authorization": "Bearer sk_test_pixelforge_disputes_rw"},
            403, "lacks CASES_READ"),
    Refusal("pandabase", "other tenant", f"{PB}/stores/{OTHER_STORE}/cases", PBA, 403, "access to this store"),
    Refusal("pandabase", "bad parameter", f"{PB}/stores/{STORE}/cases?limit=abc", PBA, 400, "limit must be integer"),
    Refusal("pandabase", "unknown id", f"{PB}/stores/{STORE}/cases/cse_nopenopenopenopenopenope", PBA, 404, "not found"),
    # Shoplazza
    Refusal("shoplazza", "auth", SL + "/disputes", {}, 400, "unauthorized"),
    Refusal("shoplazza", "scope", SL + "/disputes", {"Access-Token": "shoplazza_test_aurora_noscope"}, 403, "read_finance"),
    Refusal("shoplazza", "other tenant",
            lambda c: SL + "/disputes/" + _first_id(
                c, SL + "/disputes", {"Access-Token": "shoplazza_test_nimbus_finance"}, "data", "list", 0, "id"),
            SLA, 404, "not found"),
    Refusal("shoplazza", "bad parameter", SL + "/disputes?limit=abc", SLA, 400, "limit is invalid"),
    Refusal("shoplazza", "unknown id", SL + "/disputes/dp_nope", SLA, 404, "not found"),
    # Riverty
    Refusal("riverty", "auth", "/riverty/1/disputes", {}, 401, "no x-auth-key"),
    Refusal("riverty", "auth", "/riverty/1/disputes", {"X-Auth-Key": "wrong"}, 401, "unknown x-auth-key"),
    Refusal("riverty", "scope", "/riverty/disputes?shopId=AFS000003926", RVA, 403, "not the key's own shop"),
    Refusal("riverty", "other tenant", "/riverty/4/disputes", RVA, 403, "another client's"),
    Refusal("riverty", "bad parameter", "/riverty/1/disputes?pageSize=abc", RVA, 400, "pagesize"),
    # Riverty answers an unknown dispute 204 (docs/providers/riverty.md): a refusal all the same
    Refusal("riverty", "unknown id", "/riverty/disputes/00000000-0000-4000-8000-00000000beef", RVA, 204, "no such dispute"),
]


def _default_with(**sections: dict[str, Any]) -> str:
    data = yaml.safe_load(find_scenario("default").read_text(encoding="utf-8"))
    for key, extra in sections.items():
        data["providers"][key].update(extra)
    return yaml.safe_dump(data, sort_keys=False)


def _refusals(client: httpx.Client, **filters: Any) -> list[dict[str, Any]]:
    response = client.get("/_sandbox/requests", params={"status": "4xx", **filters})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["requests"]
    return found


@pytest.fixture(scope="module")
def shared():
    """One default sandbox for the read-only refusal rows (each row reads only its own entries)."""
    with asgi_client(make_sandbox("default")) as client:
        yield client


@pytest.mark.parametrize("case", REFUSALS, ids=[f"{r.provider}-{r.kind}-{i}" for i, r in enumerate(REFUSALS)])
def test_each_refusal_kind_is_journaled_with_its_reason(shared: httpx.Client, case: Refusal) -> None:
    path = case.path(shared) if callable(case.path) else case.path
    since = shared.get("/_sandbox/requests").json()["next_seq"] - 1
    response = shared.request(case.method, path, headers=case.headers)
    assert response.status_code == case.status, response.text
    found = [e for e in _refusals(shared, since=since, status=case.status) if e["path"] == path.split("?")[0]]
    assert len(found) == 1, found
    entry = found[0]
    assert entry["provider"] == case.provider and entry["status"] == case.status
    assert entry["reason"], entry
    assert case.reason.lower() in entry["reason"].lower(), entry["reason"]
    assert entry["route"] and entry["route"].startswith("/" + path.split("/")[1])


# rate limits: the three providers whose APIs document one get it from the scenario; Whop and
# Shoplazza model none, so theirs comes from a forced 429 (as every provider's can)
RATE_LIMITED = {
    "orderprotection": {"rate_limit_per_minute": 2},
    "pandabase": {"rate_limits": {"per_second": 2}},
    "riverty": {"rate_limit_per_minute": 2},
}


@pytest.mark.parametrize("provider", sorted(RATE_LIMITED))
def test_a_rate_limit_refusal_says_so(provider: str) -> None:
    sandbox = make_sandbox(text=_default_with(**{provider: RATE_LIMITED[provider]}))
    path, headers = PROBES[provider]
    with asgi_client(sandbox) as client:
        statuses = [client.get(path, headers=headers).status_code for _ in range(4)]
        assert 429 in statuses, statuses
        limited = _refusals(client, provider=provider, status="429")
    assert limited and all(e["reason"] for e in limited)
    assert any(word in limited[0]["reason"].lower() for word in ("rate", "limit", "too many")), limited[0]["reason"]


@pytest.mark.parametrize("provider", sorted(PROBES))
def test_forced_faults_and_oversized_bodies_say_so(provider: str) -> None:
    path, headers = PROBES[provider]
    with asgi_client(make_sandbox("default"), settings=Settings(max_body=1024)) as client:
        assert client.post("/_sandbox/faults", json={"provider": provider, "status": 429, "count": 1}).status_code == 201
        assert client.get(path, headers=headers).status_code == 429
        big = client.post(path, headers={**headers, "content-type": "application/json"}, content=b"x" * 5000)
        assert big.status_code == 413
        found = _refusals(client, provider=provider)
    assert [e["status"] for e in found] == [429, 413]
    assert "forced fault 429" in found[0]["reason"]
    assert "over the limit of 1024 bytes" in found[1]["reason"]


def test_a_success_has_no_reason_and_names_tenant_and_route(shared: httpx.Client) -> None:
    since = shared.get("/_sandbox/requests").json()["next_seq"] - 1
    assert shared.get(W + "/resolution_center_cases?first=2", headers=WHOP).status_code == 200
    assert shared.get("/riverty/1/disputes").status_code == 401  # no key: the tenant from the path
    whop, riverty = shared.get("/_sandbox/requests", params={"since": since}).json()["requests"]
    assert whop["reason"] is None and whop["status"] == 200
    assert whop["tenant"] == "biz_PickaxeLabs01" and whop["query"] == "first=2"
    assert whop["route"] == W + "/resolution_center_cases"
    assert whop["sandbox_at"] == shared.get("/_sandbox/clock").json()["now"]
    assert riverty["tenant"] == "1" and riverty["route"] == "/riverty/{clientId}/disputes"


def test_control_calls_are_not_journaled(shared: httpx.Client) -> None:
    before = shared.get("/_sandbox/requests").json()["next_seq"]
    shared.get("/_sandbox/scenario")
    shared.get("/_sandbox/events")
    assert shared.get("/_sandbox/requests").json()["next_seq"] == before


# -- masking ---------------------------------------------------------------------------------------

SECRETS = {
    "authorization": "Bearer whop_test_pickaxe_read",
    "access-token": "shoplazza_test_aurora_finance",
    "x-auth-key": "riverty_test_abc_de",
    "cookie": "session=abcdefghijklmnop",
    "x-api-key": "k_1234567890abcdef",
}


def test_credentials_are_masked_to_a_short_prefix() -> None:
    with asgi_client(make_sandbox("default")) as client:
        client.get(W + "/resolution_center_cases?access_token=qs_secret_0123456789", headers=SECRETS)
        client.post(OP + "/oauth/token", json={"client_id": "op_app_sandbox_demo", "client_secret": "op_secret_sandbox_demo",
                                              "grant_type": "client_credentials"})
        client.post(OP + "/oauth/token", data={"client_id": "op_app_sandbox_demo", "client_secret": "form_secret_abcdefgh"})
        listing = client.get("/_sandbox/requests")
    text = listing.text
    for value in [*SECRETS.values(), "whop_test_pickaxe_read", "qs_secret_0123456789", "op_secret_sandbox_demo",
                  "form_secret_abcdefgh", "abcdefghijklmnop"]:
        assert value not in text, value
    first = listing.json()["requests"][0]
    assert first["headers"]["authorization"] == "Bearer whop…"
    assert first["headers"]["x-auth-key"].startswith("rive") and first["headers"]["x-auth-key"].endswith("…")
    assert first["headers"]["host"] == "testserver"  # others as sent
    assert "access_token=qs_s…" in first["query"]
    assert first["tenant"] == "biz_PickaxeLabs01"  # found from the real credential, masked only when shown
    assert '"client_id":"op_app_sandbox_demo"' in listing.json()["requests"][1]["body"].replace(" ", "")


def test_mask_keeps_at_most_a_third() -> None:
    assert mask("Bearer abcdefghijkl") == "Bearer abcd…"
    assert mask("abc") == "a…"
    assert mask("") == "…"


# -- bounds ------------------------------------------------------------------------------------------


def test_the_ring_holds_its_bound_and_counts_what_it_dropped() -> None:
    with asgi_client(make_sandbox("default", journal_size=25)) as client:
        for i in range(60):
            client.get(f"{W}/resolution_center_cases/reso_{i}", headers=WHOP)
        listing = client.get("/_sandbox/requests").json()
        assert listing["size"] == 25 and listing["dropped"] == 35 and listing["total"] == 25
        assert [e["seq"] for e in listing["requests"]] == list(range(36, 61))
        assert client.delete("/_sandbox/requests").status_code == 200
        after = client.get("/_sandbox/requests").json()
        assert after["requests"] == [] and after["next_seq"] == 61  # seqs go on after a clear


def test_bodies_are_capped_and_memory_stays_flat() -> None:
    body = b'{"x": "' + b"y" * 16_000 + b'"}'
    with asgi_client(make_sandbox("default", journal_size=20)) as client:
        def burst(n: int) -> None:
            for _ in range(n):
                client.post(W + "/resolution_center_cases", headers=WHOP, content=body)

        burst(50)  # warm up: the ring is full from here on
        tracemalloc.start()
        start = tracemalloc.take_snapshot()
        burst(600)  # 9.6 MB of bodies: kept whole, the journal would grow by as much
        grown = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(start, "filename"))
        tracemalloc.stop()
        entries = client.get("/_sandbox/requests").json()["requests"]
    assert grown < 2_000_000, grown
    assert len(entries) == 20
    assert all(e["body_size"] == len(body) and e["body_truncated"] and len(e["body"]) == BODY_CAP for e in entries)


def test_the_front_door_memo_of_provider_paths_is_bounded() -> None:
    """Each new path is one memo entry up to its bound; past it, paths are still journaled (the
    memo only spares the prefix look-up), with the right provider, and control paths never enter it."""
    sandbox = make_sandbox("default", journal_size=10)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b'{"message": "Case not found"}'})

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        pass

    door = FrontDoor(app, sandbox, Settings())

    async def calls() -> None:
        for path in [f"{W}/resolution_center_cases/reso_{i}" for i in range(MEMO + 5)] + ["/_sandbox/health", "/riverty/x"]:
            await door({"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []}, receive, send)

    asyncio.run(calls())
    assert len(door._journaled) == MEMO and all(p.startswith(W + "/") for p in door._journaled)
    entries = [Entry._make(raw) for raw in sandbox.journal.entries]
    assert [e.provider for e in entries[-3:]] == ["whop", "whop", "riverty"]
    assert entries[-1].seq == MEMO + 5 + 1 and entries[-1].status == 404
    assert entries[-1].reason == "404 Not Found: Case not found"  # no reason named: read from the body


def test_size_zero_turns_the_journal_off() -> None:
    with asgi_client(make_sandbox("default", journal_size=0)) as client:
        assert client.get(W + "/resolution_center_cases", headers=WHOP).status_code == 200
        listing = client.get("/_sandbox/requests").json()
    assert listing["requests"] == [] and listing["size"] == 0


def test_cli_refuses_a_bad_journal_size(capsys: pytest.CaptureFixture[str]) -> None:
    from sandbox.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--journal-size", "-1", "--port", "1"])
    assert exit_.value.code == 2
    assert "--journal-size" in capsys.readouterr().err


# -- filters ---------------------------------------------------------------------------------------

CALLS = [  # (method, path, headers)
    ("GET", W + "/resolution_center_cases", WHOP),
    ("GET", W + "/resolution_center_cases", {}),
    ("GET", W + "/resolution_center_cases/reso_nope", WHOP),
    ("POST", W + "/resolution_center_cases", WHOP),
    ("GET", OP + "/claims", OPA),
    ("GET", OP + "/claims?first=abc", OPA),
    ("GET", f"{PB}/stores/{STORE}/cases", PBA),
    ("GET", f"{PB}/stores/{OTHER_STORE}/cases", PBA),
    ("GET", SL + "/disputes", SLA),
    ("DELETE", SL + "/disputes", SLA),
    ("GET", "/riverty/1/disputes", RVA),
    ("GET", "/riverty/4/disputes", RVA),
]

FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "provider": st.sampled_from(sorted(PROBES)),
        "tenant": st.sampled_from(["biz_PickaxeLabs01", "teststore2", STORE, "aurora-apparel", "1", "nobody"]),
        "method": st.sampled_from(["GET", "post", "DELETE"]),
        "path": st.sampled_from(["/cases", "/whop/", "/disputes", "claims", "/riverty/4"]),
        "status": st.sampled_from(["200", "4xx", "404", "401", "2xx", "405"]),
        "since": st.integers(0, 30).map(str),
        "limit": st.integers(1, 5).map(str),
    },
)


def _holds(entry: dict[str, Any], filters: dict[str, str]) -> bool:
    status = filters.get("status")
    return (
        entry["provider"] == filters.get("provider", entry["provider"])
        and entry["tenant"] == filters.get("tenant", entry["tenant"])
        and entry["method"] == filters.get("method", entry["method"]).upper()
        and filters.get("path", "") in entry["path"]
        and (status is None or (str(entry["status"])[0] == status[0] if status.endswith("xx") else str(entry["status"]) == status))
        and entry["seq"] > int(filters.get("since", "0"))
    )


@pytest.fixture(scope="module")
def filtered():
    with asgi_client(make_sandbox("default")) as client:
        for method, path, headers in CALLS * 2:
            client.request(method, path, headers=headers)
        everything = client.get("/_sandbox/requests").json()["requests"]
        assert len(everything) == 2 * len(CALLS)
        yield client, everything


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filters=FILTERS)
def test_every_filter_holds_on_every_entry(filtered, filters: dict[str, str]) -> None:
    client, everything = filtered
    response = client.get("/_sandbox/requests", params=filters)
    assert response.status_code == 200, response.text
    data = response.json()
    expected = [e for e in everything if _holds(e, filters)]
    limit = int(filters.get("limit", "10000"))
    assert data["requests"] == expected[:limit]
    assert data["total"] == len(expected) and data["truncated"] == (len(expected) > limit)


def test_since_an_instant_lists_what_arrived_from_then(filtered) -> None:
    client, everything = filtered
    assert client.get("/_sandbox/requests", params={"since": "2000-01-01T00:00:00Z"}).json()["total"] == len(everything)
    assert client.get("/_sandbox/requests", params={"since": "2999-01-01T00:00:00Z"}).json()["total"] == 0
    middle = everything[len(everything) // 2]["at"]
    found = client.get("/_sandbox/requests", params={"since": middle}).json()["requests"]
    assert found and all(e["at"] >= middle for e in found)


@pytest.mark.parametrize(
    "query, field",
    [
        ("provider=nope", "provider"),
        ("status=abc", "status"),
        ("status=999", "status"),
        ("status=6xx", "status"),
        ("since=yesterday", "since"),
        ("since=-1", "since"),
        ("method=G3T", "method"),
        ("limit=0", "limit"),
        ("limit=99999999999999999999", "limit"),
        ("path=", "path"),
        ("colour=red", "colour"),
        ("status=404&status=401", "status"),
        ("tenant=" + "t" * 5000, "tenant"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(filtered, query: str, field: str) -> None:
    client, everything = filtered
    response = client.get("/_sandbox/requests?" + query)
    assert response.status_code == 400, response.text
    assert response.json()["error"].startswith(field + ":"), response.json()
    assert client.get("/_sandbox/requests").json()["requests"] == everything  # nothing changed


# -- logs --------------------------------------------------------------------------------------------


def test_the_access_log_has_one_line_a_request_with_its_reason(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sandbox.access")
    with asgi_client(make_sandbox("default"), settings=Settings(access_log=True)) as client:
        client.get(W + "/resolution_center_cases?first=2", headers=WHOP)
        client.get(W + "/resolution_center_cases", headers={"Authorization": "Bearer whop_test_courseforge_noperm"})
        client.get("/_sandbox/health")
    lines = [r.getMessage() for r in caplog.records if r.name == "sandbox.access"]
    assert len(lines) == 3, lines
    assert lines[0].startswith(f"GET {W}/resolution_center_cases?first=2 200 ") and lines[0].endswith("ms")
    assert lines[1].startswith(f"GET {W}/resolution_center_cases 403 ")
    assert "lacks payment:resolution_center_case:read" in lines[1]
    assert lines[2].startswith("GET /_sandbox/health 200")


def test_no_access_log_unless_asked(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sandbox.access")
    with asgi_client(make_sandbox("default")) as client:
        client.get(W + "/resolution_center_cases", headers=WHOP)
    assert not [r for r in caplog.records if r.name == "sandbox.access"]


def test_clock_moves_and_domain_events_are_logged_at_info(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sandbox")
    with asgi_client(make_sandbox("expiring-disputes")) as client:
        assert client.post("/_sandbox/clock/advance", json={"duration": "2d"}).status_code == 200
    clock = [r.getMessage() for r in caplog.records if r.name == "sandbox.clock"]
    events = [r.getMessage() for r in caplog.records if r.name == "sandbox.events"]
    assert len(clock) == 1 and "clock moved" in clock[0] and "events" in clock[0]
    assert any("reso_Expires1h" in line and "->" in line for line in events), events[:5]
