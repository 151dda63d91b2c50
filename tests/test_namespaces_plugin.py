"""The pytest plugin's `dispute_namespace`: a fresh namespace per test on one shared server."""

from __future__ import annotations

import httpx
import pytest

from sandbox.namespaces import NAME
from sandbox.testing import live_sandbox, namespace_name

W = "/whop/api/v1/resolution_center_cases"


def test_a_namespace_is_this_tests_alone(dispute_namespace, dispute_sandbox_session):
    assert dispute_namespace.url.startswith(dispute_sandbox_session.url + "/_ns/")
    assert dispute_namespace.requests() == []
    auth = dispute_namespace.credential("whop")
    assert httpx.get(dispute_namespace.base_url("whop") + "/resolution_center_cases", headers=auth).status_code == 200
    dispute_namespace.assert_requested(provider="whop", times=1)
    assert dispute_sandbox_session.requests(path=W) == []  # the default namespace saw nothing
    dispute_namespace.advance("5d")
    dispute_namespace.fault("whop", 500)
    assert dispute_namespace.sandbox.scenario.name == "default"


def test_the_next_one_starts_afresh(dispute_namespace):
    assert dispute_namespace.requests() == []
    assert dispute_namespace.now() == dispute_namespace.sandbox.start.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    auth = dispute_namespace.credential("whop")
    assert httpx.get(dispute_namespace.url + W, headers=auth).status_code == 200  # no fault left over


@pytest.mark.dispute_scenario("expiring-disputes")
def test_the_marker_picks_the_scenario(dispute_namespace, dispute_sandbox_session):
    assert dispute_namespace.scenario_info()["name"] == "expiring-disputes"
    names = [n["name"] for n in dispute_sandbox_session._call("GET", "/_sandbox/namespaces")["namespaces"]]
    assert dispute_namespace.name in names


def test_namespaces_are_deleted_after_their_test(dispute_sandbox_session):
    names = [n["name"] for n in dispute_sandbox_session._call("GET", "/_sandbox/namespaces")["namespaces"]]
    assert not [n for n in names if "test_a_namespace_is_this_tests_alone" in n or "starts_afresh" in n]


@pytest.mark.parametrize("worker, nodeid", [
    ("gw0", "tests/test_x.py::test_y[a-b]"), ("main", "T/Ünïcode.py::Test::test " + "z" * 300), ("", ""),
    ("gw12", "tests/test_x.py::test_y[A-B]"),
])
def test_names_are_valid_and_distinct(worker, nodeid):
    name = namespace_name(worker, nodeid)
    assert NAME.match(name), name
    assert name != namespace_name(worker + "x", nodeid) != namespace_name(worker, nodeid + "x")


def test_a_namespace_on_a_server_elsewhere():
    """What the fixture does with `DISPUTE_SANDBOX_URL` (a server every worker shares): only HTTP."""
    import sandbox.testing as plugin

    with live_sandbox("default") as server:
        made = plugin.NamespaceServer(server.url, namespace_name("gw3", "t::x"))
        made.create("expiring-disputes")
        assert made.scenario_info()["name"] == "expiring-disputes"
        assert server.scenario_info()["name"] == "default"
        with pytest.raises(RuntimeError):
            made.sandbox  # noqa: B018 (no Sandbox object across processes)
        made.create()  # a leftover of the same name is replaced
        assert made.scenario_info()["name"] == "default"
        made.drop()
        assert server._call("GET", "/_sandbox/namespaces")["count"] == 0
