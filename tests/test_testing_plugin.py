"""`sandbox.testing`'s verification helpers and its pytest plugin (issue 19): the helpers on a
live server and on the in-process client, a readable `assert_requested` failure, and the plugin
run as a user would (`pytest -p sandbox.testing`) in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from sandbox.testing import asgi_client, live_sandbox, make_sandbox

ROOT = Path(__file__).resolve().parent.parent
W = "/whop/api/v1/resolution_center_cases"


def test_the_helpers_on_a_live_server() -> None:
    with live_sandbox("expiring-disputes") as server:
        auth = server.credential("whop")
        assert server.base_url("whop") == server.url + "/whop/api/v1"
        assert httpx.get(server.url + W, headers=auth).status_code == 200
        assert httpx.get(server.url + W + "/reso_nope", headers=auth).status_code == 404
        assert len(server.assert_requested(provider="whop", path="/resolution_center_cases", times=2)) == 2
        assert server.assert_requested(method="GET", status=200)[0]["tenant"]
        moved = server.advance("1d")
        assert moved["now"] == server.now() and moved["events_total"] > 0
        assert server.events(provider="whop", type="resolution_center_case.updated")
        assert server.events(type="no.such.type") == []
        assert server.fault("whop", 503, count=2)[0]["count"] == 2
        assert httpx.get(server.url + W, headers=auth).status_code == 503
        server.reset()
        assert server.requests() == []
        assert server.events(provider="whop", type="resolution_center_case.updated") == []
        assert httpx.get(server.url + W, headers=auth).status_code == 200  # the faults went with the reset


def test_assert_requested_shows_the_closest_requests() -> None:
    with asgi_client(make_sandbox("default")) as client:
        client.get(W, headers={"Authorization": "Bearer whop_test_courseforge_noperm"})
        client.get("/riverty/1/disputes")
        with pytest.raises(AssertionError) as failure:
            client.assert_requested(provider="whop", method="GET", path="/resolution_center_case", status=200, times=1)
    lines = str(failure.value).splitlines()
    assert lines[0] == (
        "expected 1 request(s) matching provider='whop' path='/resolution_center_case' method='GET'"
        " status=200, found 0"
    )
    assert lines[1] == "closest of the 2 request(s) in the journal:"
    assert lines[2].startswith(f"  #1 GET {W} -> 403 (token whop_test_co… lacks payment:resolution_center_case:read)")
    assert lines[3].startswith("  #2 GET /riverty/1/disputes -> 401")


def test_assert_requested_on_an_empty_journal_says_so() -> None:
    with asgi_client(make_sandbox("default")) as client, pytest.raises(AssertionError, match="the journal is empty"):
        client.assert_requested(provider="whop")


def test_assert_requested_times_zero_holds_when_nothing_came() -> None:
    with asgi_client(make_sandbox("default")) as client:
        assert client.assert_requested(provider="whop", times=0) == []
        client.get(W)
        with pytest.raises(AssertionError, match="expected 0 request"):
            client.assert_requested(provider="whop", times=0)


def test_a_refused_control_call_raises_with_its_error() -> None:
    from sandbox.testing import SandboxControlError

    with asgi_client(make_sandbox("default")) as client:
        with pytest.raises(SandboxControlError, match="provider: unknown provider"):
            client.fault("nope", 500)
        with pytest.raises(SandboxControlError, match="status"):
            client.requests(status="abc")
        assert client.get("/_sandbox/faults").json() == {"faults": []}  # nothing stored


PLUGIN_TESTS = '''
import httpx
import pytest

W = "/whop/api/v1/resolution_center_cases"

def test_one_mutates(dispute_sandbox):
    auth = dispute_sandbox.credential("whop")
    httpx.get(dispute_sandbox.url + W, headers=auth)
    dispute_sandbox.fault("whop", 500)
    dispute_sandbox.advance("5d")
    assert dispute_sandbox.sandbox.scenario.name == "default"

def test_two_is_isolated(dispute_sandbox, dispute_sandbox_session):
    assert dispute_sandbox is dispute_sandbox_session  # one server for the session
    assert dispute_sandbox.requests() == []
    assert dispute_sandbox.now() == dispute_sandbox.sandbox.start.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert httpx.get(dispute_sandbox.url + W, headers=dispute_sandbox.credential("whop")).status_code == 200

@pytest.mark.dispute_scenario("expiring-disputes")
def test_three_marked(dispute_sandbox):
    assert dispute_sandbox.scenario_info()["name"] == "expiring-disputes"
    dispute_sandbox.advance("1d")

@pytest.mark.dispute_scenario("expiring-disputes")
class TestMarkedClass:
    def test_four_reset_to_the_start(self, dispute_sandbox):
        assert dispute_sandbox.scenario_info()["name"] == "expiring-disputes"
        assert dispute_sandbox.events(type="resolution_center_case.updated") == []

def test_five_back_to_default(dispute_sandbox):
    assert dispute_sandbox.scenario_info()["name"] == "default"
'''


def test_the_pytest_plugin_isolates_each_test(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(textwrap.dedent(PLUGIN_TESTS))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "sandbox.testing", "-p", "no:cacheprovider", "-q", "-W", "error",
         "--strict-markers", "test_user.py"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "5 passed" in result.stdout


def test_the_entry_point_names_the_plugin_module() -> None:
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert data["project"]["entry-points"]["pytest11"] == {"sandbox.testing": "sandbox.testing"}
    assert any(d.startswith("testcontainers") for d in data["project"]["optional-dependencies"]["containers"])
