"""What the request journal keeps per entry (issue 19's cost criterion, `bench/run.py --journal-cost`):
a read the answer store serves is journaled as a built one, with the status it sent, though no
wrapper around `send` saw it; identical header sets share one kept tuple, up to a bound."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from sandbox import answers
from sandbox.app import SHARED_HEADERS, FrontDoor
from sandbox.journal import Entry
from sandbox.settings import Settings
from sandbox.testing import asgi_client, make_sandbox, shipped_text

PATH = "/pandabase/v2/core/stores/shp_kxw5h7n4tr3bcfp2v8q1mzj0/cases"
PBA = {"Authorization": "Bearer sk_test_pixelforge_cases_rw"}
W = "/whop/api/v1"


def test_a_stored_answer_is_journaled_as_a_built_one() -> None:
    """The first GET is built, the next two are served from the store (the third refused by its
    rate limit there): each entry has the status the client got, the same fields otherwise."""
    text = shipped_text("default", ["pandabase"]).replace("pandabase:\n", "pandabase:\n    rate_limits: {per_second: 2}\n", 1)
    sandbox = make_sandbox(text=text, providers=["pandabase"])
    with asgi_client(sandbox) as client:
        statuses = [client.get(PATH, headers=PBA).status_code for _ in range(3)]
        listing = client.get("/_sandbox/requests").json()["requests"]
    assert statuses == [200, 200, 429]
    assert len(sandbox.world.answers) == 1
    assert [e["status"] for e in listing] == statuses
    assert listing[0]["reason"] is None and listing[1]["reason"] is None
    assert "rate limit" in listing[2]["reason"].lower()
    built, stored = ({k: v for k, v in e.items() if k not in ("seq", "at", "ms")} for e in listing[:2])
    assert built == stored


def test_entries_share_one_tuple_per_header_set_up_to_a_bound() -> None:
    """Each distinct header set is kept once up to SHARED_HEADERS; past it, entries keep their own
    copy; a poller's repeated headers (new objects each request, as a server makes them) are one tuple."""
    sandbox = make_sandbox("default", journal_size=SHARED_HEADERS + 20)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        pass

    door = FrontDoor(app, sandbox, Settings())
    values = [f"value-{i}" for i in [*range(SHARED_HEADERS + 10), *[0] * 5]]

    async def calls() -> None:
        for value in values:
            headers = [(b"x-n", value.encode())]  # a new bytes object each request
            await door({"type": "http", "method": "GET", "path": W + "/x", "query_string": b"", "headers": headers},
                       receive, send)

    asyncio.run(calls())
    entries = [Entry._make(raw) for raw in sandbox.journal.entries]
    assert len(door._headers) == SHARED_HEADERS
    assert [e.headers for e in entries] == [((b"x-n", v.encode()),) for v in values]
    assert all(e.headers is entries[0].headers for e in entries[-5:])
    assert entries[SHARED_HEADERS].headers is not door._headers.get(entries[SHARED_HEADERS].headers)


def test_a_stored_answer_that_fails_is_journaled_as_a_500() -> None:
    """An error raised while the store answers (its `admit`) is journaled as the 500 the client gets,
    with the error in the reason, as a built answer's would be."""
    sandbox = make_sandbox(text=shipped_text("default", ["pandabase"]), providers=["pandabase"])

    async def broken(request: Any) -> Any:
        raise RuntimeError("admit broke")

    with asgi_client(sandbox) as client:
        assert client.get(PATH, headers=PBA).status_code == 200
        store = sandbox.world.answers._answers
        (key, answer), = store.items()
        store[key] = answer._replace(admit=broken)
        try:
            status = client.get(PATH, headers=PBA).status_code
        except RuntimeError:  # a client that raises what the app raised
            status = 500
        listing = client.get("/_sandbox/requests").json()["requests"]
    assert status == 500
    assert [e["status"] for e in listing] == [200, 500]
    assert listing[1]["reason"] == "internal sandbox error: RuntimeError: admit broke"


def test_a_get_with_a_body_is_still_answered_by_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """The front door reads a body before it asks the store: such a GET is answered from the store
    (as one without a body is) and journaled with its body."""
    served: list[int] = []
    serve = answers.serve

    async def counted(*args: Any) -> int:
        status = await serve(*args)
        served.append(status)
        return status

    monkeypatch.setattr(answers, "serve", counted)
    sandbox = make_sandbox(text=shipped_text("default", ["pandabase"]), providers=["pandabase"])
    with asgi_client(sandbox) as client:
        first = client.get(PATH, headers=PBA)
        again = client.request("GET", PATH, headers=PBA, content=b"ignored")
        listing = client.get("/_sandbox/requests").json()["requests"]
    assert again.status_code == 200 and again.content == first.content
    assert served == [0, 200]  # a miss (built), then the stored answer
    assert [(e["status"], e["body"], e["body_size"]) for e in listing] == [(200, "", 0), (200, "ignored", 7)]
