"""The core answer cache (sandbox/answers.py), over every registered provider's probe list: a repeat
is answered without the handler, a change of the records drops the stored answer, and faults,
refusals and per-request headers behave as on a first request."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sandbox.answers import ANSWER_CACHE_SIZE, Answers
from sandbox.pagination import IndexedCollection
from sandbox.providers import REGISTRY, load_providers
from sandbox.testing import asgi_client, make_sandbox, shipped_text

PROVIDERS = {p.key: p for p in load_providers()}
PER_REQUEST = ("x-request-id", "x-ratelimit-remaining", "x-ratelimit-reset", "request-id")  # headers a provider makes afresh


def world(key: str):
    sandbox = make_sandbox(text=shipped_text("default", [key]), providers=[key])
    provider = PROVIDERS[key]
    tenant = provider.tenants(sandbox.state(key))[0]
    fields = {"tenant": tenant.id, **{k: v for k, v in tenant.extra.items() if isinstance(v, str)}}
    credential = tenant.credentials[0]
    return sandbox, asgi_client(sandbox), provider.probe_path.format(**fields), {credential.header: credential.value}


def same(a, b) -> bool:
    def fixed(r):
        return r.status_code, r.content, [(k, v) for k, v in r.headers.multi_items() if k not in PER_REQUEST]

    return fixed(a) == fixed(b)


@pytest.fixture(params=list(REGISTRY))
def probe(request):
    sandbox, client, path, headers = world(request.param)
    yield request.param, sandbox, client, path, headers
    client.close()


def test_every_provider_stores_its_probe_list(probe):
    key, sandbox, client, path, headers = probe
    assert PROVIDERS[key].answer_headers
    assert client.get(path, headers=headers).status_code == 200
    assert len(sandbox.world.answers) == 1


def test_a_repeat_is_answered_without_the_handler(probe, monkeypatch):
    _, sandbox, client, path, headers = probe
    first = client.get(path, headers=headers)
    pages = []
    monkeypatch.setattr(IndexedCollection, "cached_page", lambda self, key: pages.append(key))
    puts = []
    monkeypatch.setattr(Answers, "put", lambda self, key, answer: puts.append(key))
    again = client.get(path, headers=headers)
    assert same(again, first)
    assert (pages, puts) == ([], [])  # no list handler ran: each starts at its page cache


def test_another_credential_query_or_host_is_another_answer(probe):
    _, sandbox, client, path, headers = probe
    client.get(path, headers=headers)
    client.get(path + ("&" if "?" in path else "?") + "x=1", headers=headers)
    client.get(path, headers={**headers, "Host": "elsewhere.example"})
    assert client.get(path).status_code >= 400  # no credential: refused (Shoplazza: 400), nothing stored
    assert len(sandbox.world.answers) == 3


def test_a_change_of_the_records_drops_the_stored_answer(probe):
    key, warm, client, path, headers = probe
    cold, cold_client, *_ = world(key)
    client.get(path, headers=headers)
    for sandbox in (warm, cold):
        sandbox.advance_clock(timedelta(days=30))  # deadlines pass: records move on
    assert same(client.get(path, headers=headers), cold_client.get(path, headers=headers))
    cold_client.close()


def test_the_store_keeps_its_bound_and_drops_the_oldest_first(probe):
    """Keys are client-chosen (any query string): past ANSWER_CACHE_SIZE the oldest answer goes,
    and asking for it again builds it afresh, the same bytes."""
    key, sandbox, client, path, headers = probe
    if key == "pandabase":  # its default 10 requests a second would refuse the burst
        sandbox.load_text(shipped_text("default", [key]).replace("pandabase:\n", "pandabase:\n    rate_limits: {per_second: 0}\n", 1))
    join = "&" if "?" in path else "?"
    urls = [f"{path}{join}_poll={i}" for i in range(ANSWER_CACHE_SIZE + 5)]
    first = [client.get(url, headers=headers) for url in urls[:2]]
    for url in urls[2:]:
        assert client.get(url, headers=headers).status_code == 200
    stored = sandbox.world.answers._answers
    assert len(stored) == ANSWER_CACHE_SIZE
    assert not any(key[1].endswith(b"_poll=0") for key in stored)  # the oldest went first
    assert any(key[1].endswith(f"_poll={len(urls) - 1}".encode()) for key in stored)
    assert same(client.get(urls[0], headers=headers), first[0])


def test_a_reset_starts_an_empty_store(probe):
    _, sandbox, client, path, headers = probe
    client.get(path, headers=headers)
    assert client.post("/_sandbox/reset").status_code == 200
    assert len(sandbox.world.answers) == 0


def test_a_fault_wins_over_a_stored_answer(probe):
    key, _, client, path, headers = probe
    first = client.get(path, headers=headers)
    assert client.post("/_sandbox/faults", json={"provider": key, "status": 503}).status_code in (200, 201)
    assert client.get(path, headers=headers).status_code == 503
    assert same(client.get(path, headers=headers), first)


def test_a_refusal_on_a_repeat_is_rendered_like_the_handlers():
    """A rate limit counts the requests a stored answer serves, and its 429 carries the same
    per-request headers (Pandabase's X-RateLimit-*)."""
    text = shipped_text("default", ["pandabase"]).replace("pandabase:\n", "pandabase:\n    rate_limits: {per_second: 2}\n", 1)
    sandbox, client, path, headers = world("pandabase")
    sandbox.load_text(text)
    answers = [client.get(path, headers=headers) for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 429]
    assert [r.headers["x-ratelimit-remaining"] for r in answers] == ["1", "0", "0"]
    assert answers[0].headers["x-request-id"] != answers[1].headers["x-request-id"]
    client.close()


# each bench write (bench/scenarios.py WRITE_TARGETS) with the stored reads of its record: the list
# it picks the record from and, where it is stored, the record's own retrieve
READS_AFTER_WRITE = {
    "pandabase-reply": (),
    "riverty-comment": ("/riverty/disputes/{id}",),
    "whop-evidence": ("/whop/api/v1/disputes/{id}",),
}


@pytest.mark.parametrize("name", list(READS_AFTER_WRITE))
def test_after_a_write_every_stored_read_answers_what_a_sandbox_without_the_store_answers(name, monkeypatch):
    """Read, write, read again: the second reads come from a store primed by the first unless the
    write dropped it; a sandbox whose store never holds anything builds each read afresh. Both
    must answer the same bytes (a write that changed a record outside its collection's `update`
    would leave a stale stored answer)."""
    from bench.scenarios import WRITE_TARGETS, big_scenario

    target = WRITE_TARGETS[name]

    def run() -> list[bytes]:
        with asgi_client(make_sandbox(text=big_scenario(60, [target.provider]))) as client:
            page = client.get(target.list_page, headers=target.headers)
            record = target.pick(page.json())
            reads = [target.list_page, *(path.format(id=record) for path in READS_AFTER_WRITE[name])]
            before = [client.get(url, headers=target.headers) for url in reads]
            assert all(r.status_code == 200 for r in before), [r.text[:200] for r in before]
            headers = {**target.headers, "Content-Type": "application/json"}
            wrote = client.post(target.path.format(id=record), headers=headers, content=target.body)
            assert wrote.status_code in (200, 201), wrote.text[:300]
            return [r.content for r in before] + [client.get(url, headers=target.headers).content for url in reads]

    stored = run()
    monkeypatch.setattr(Answers, "get", lambda self, key: None)  # nothing is ever answered from the store
    fresh = run()
    assert stored == fresh
    half = len(stored) // 2
    assert stored[half:] != stored[:half]  # the write showed in what was read after it
