"""`--webhook-allow`: which targets webhooks may reach (loopback by default), checked at subscribe
time (400 naming the rule, nothing stored) and at send time on the resolved, pinned address (a
refused attempt is logged without any body and never connects)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from sandbox.cli import build_parser
from sandbox.providers import load_providers
from sandbox.runtime import Sandbox
from sandbox.testing import WebhookReceiver, asgi_client, live_sandbox
from sandbox.webhooks import Refused, WebhookAllow

SCENARIO = """
version: 1
clock: {start: "2026-05-01T00:00:00Z"}
providers:
  whop:
    companies:
      - id: biz_A
        title: A
        api_keys: [{key: k}]
        cases: [{id: reso_One, status: merchant_response_needed, created_at: "-1d"}]
"""


def sandbox_with(allow: str | None, extra: str = "") -> Sandbox:
    sandbox = Sandbox(load_providers(["whop"]), webhook_allow=WebhookAllow.parse(allow))
    sandbox.load_text(SCENARIO + extra)
    return sandbox


def resolved(allow: WebhookAllow, url: str):
    return asyncio.run(allow.resolve(url))


def test_rules_parse_and_bad_ones_are_named():
    default = WebhookAllow.parse(None)
    assert str(default) == "127.0.0.0/8, ::1/128" and str(WebhookAllow.parse("  ")) == str(default)
    mixed = WebhookAllow.parse("10.0.0.0/8, receiver ,.test,[fd00::]/8")
    assert mixed.hosts == ("receiver", ".test") and len(mixed.networks) == 2
    assert WebhookAllow.parse("*").anything
    for bad in ("receiver:9000", "bad rule!", "http://x/"):
        with pytest.raises(ValueError, match="--webhook-allow"):
            WebhookAllow.parse(bad)


def test_addresses_and_names_are_checked():
    default = WebhookAllow.parse(None)
    assert resolved(default, "http://127.0.0.1:9/h").url == "http://127.0.0.1:9/h"
    assert resolved(default, "http://[::1]:9/h").url == "http://[::1]:9/h"
    pinned = resolved(default, "http://localhost:9/h?x=1")  # a name: checked where it resolves, then pinned
    assert pinned.url in ("http://127.0.0.1:9/h?x=1", "http://[::1]:9/h?x=1")
    assert pinned.host_header == "localhost:9" and pinned.sni == "localhost"
    for url in ("http://10.1.2.3/h", "http://169.254.169.254/latest", "http://[::ffff:10.0.0.1]/h", "http://192.0.2.1/"):
        with pytest.raises(Refused, match=r"outside --webhook-allow \(127.0.0.0/8, ::1/128\)"):
            resolved(default, url)
    with pytest.raises(Refused, match="does not resolve"):
        resolved(default, "http://no-such-host.invalid/h")
    private = WebhookAllow.parse("10.0.0.0/8,.test")
    assert resolved(private, "http://10.1.2.3/h").url == "http://10.1.2.3/h"
    assert resolved(private, "http://hooks.example.test/h").url == "http://hooks.example.test/h"  # trusted name
    with pytest.raises(Refused, match=r"localhost resolves to .* outside --webhook-allow \(10.0.0.0/8, .test\)"):
        resolved(private, "http://localhost/h")
    assert resolved(WebhookAllow.parse("*"), "http://192.0.2.1/h").url == "http://192.0.2.1/h"


def test_subscribing_outside_the_rule_is_a_400_naming_it_and_stores_nothing():
    client = asgi_client(sandbox_with(None))
    for url in ("http://10.0.0.5/hook", "http://169.254.169.254/latest/meta-data", "http://no-such-host.invalid/"):
        response = client.post("/_sandbox/webhooks", json={"provider": "whop", "tenant": "biz_A", "url": url})
        assert response.status_code == 400, url
        assert response.json()["error"].startswith("url: ") and "--webhook-allow" in response.json()["error"]
    assert client.get("/_sandbox/webhooks").json() == {"subscriptions": []}
    ok = client.post("/_sandbox/webhooks", json={"provider": "whop", "tenant": "biz_A", "url": "http://127.0.0.1:9/h"})
    assert ok.status_code == 201
    moved = client.patch(f"/_sandbox/webhooks/{ok.json()['id']}", json={"url": "http://10.0.0.5/hook"})
    assert moved.status_code == 400 and "--webhook-allow" in moved.json()["error"]
    assert client.get(f"/_sandbox/webhooks/{ok.json()['id']}").json()["url"] == "http://127.0.0.1:9/h"


def test_a_wider_rule_admits_a_private_target():
    client = asgi_client(sandbox_with("10.0.0.0/8"))
    response = client.post("/_sandbox/webhooks", json={"provider": "whop", "tenant": "biz_A", "url": "http://10.0.0.5/hook"})
    assert response.status_code == 201
    refused = client.post("/_sandbox/webhooks", json={"provider": "whop", "tenant": "biz_A", "url": "http://127.0.0.1:9/h"})
    assert refused.status_code == 400 and "(10.0.0.0/8)" in refused.json()["error"]


def test_a_scenario_target_outside_the_rule_is_refused_at_send_time_without_any_body():
    extra = 'webhooks:\n  - {provider: whop, tenant: biz_A, url: "http://192.0.2.1/hook"}\n'
    with live_sandbox(sandbox=sandbox_with(None, extra)) as server:
        httpx.post(server.url + "/_sandbox/whop/cases/reso_One/resolve", json={"outcome": "merchant_won"})
        found = server.wait_deliveries(2)
        assert len(found) == 2 and {d["state"] for d in found} == {"refused"}
        assert all("192.0.2.1 is outside --webhook-allow" in d["error"] for d in found)
        assert all(d["response"] is None and d["request"]["body"] is None and d["request"]["headers"] == {}
                   for d in found)
        httpx.post(server.url + "/_sandbox/clock/advance", json={"duration": "1d"})
        assert len(server.deliveries()) == 2  # refused is final: no retries


def test_a_name_is_delivered_to_the_address_it_was_checked_on():
    with WebhookReceiver() as receiver, live_sandbox(sandbox=sandbox_with(None)) as server:
        url = receiver.url.replace("127.0.0.1", "localhost")
        server.subscribe("whop", "biz_A", url, events=["resolution_center_case.decided"])
        httpx.post(server.url + "/_sandbox/whop/cases/reso_One/resolve", json={"outcome": "merchant_won"})
        got = receiver.wait_for(1)
        assert len(got) == 1 and got[0].headers["host"] == f"localhost:{receiver.port}"
        assert server.wait_deliveries(1)[0]["request"]["url"] == url


def test_the_flag_and_its_environment_variable(monkeypatch):
    assert build_parser().parse_args(["serve"]).webhook_allow == ""
    monkeypatch.setenv("SANDBOX_WEBHOOK_ALLOW", "10.0.0.0/8,receiver")
    assert build_parser().parse_args(["serve"]).webhook_allow == "10.0.0.0/8,receiver"
    assert build_parser().parse_args(["serve", "--webhook-allow", "*"]).webhook_allow == "*"
    assert build_parser().parse_args(["demo", "--webhook-allow", ".test"]).webhook_allow == ".test"


def test_a_bad_rule_stops_the_cli_with_one_line(capsys):
    from sandbox.cli import main

    assert main(["serve", "--webhook-allow", "bad rule!", "--port", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "dispute-sandbox: --webhook-allow: 'bad rule!' is neither a host name nor an IP network"
