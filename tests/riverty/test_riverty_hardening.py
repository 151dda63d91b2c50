"""Riverty under bad input and growth: downloads of any file name, a bounded fragment cache and
upload store, validated control bodies, forced faults of every status, the seed's Gen 1 values
(`image/jpg`, the relative `url` in path mode) and timeline refusals that show."""

from __future__ import annotations

from urllib.parse import quote

import pytest

FAULT_STATUSES = list(range(400, 600))


def upload(client, headers, name="proof.pdf", content=b"%PDF-1.4 proof"):
    return client.post("/riverty/attachments", headers=headers, files={"file": (name, content, "application/pdf")})


def test_gen1_relative_url_resolves_at_the_sandbox_root(riverty, C):
    _, client = riverty
    att = client.get(f"/riverty/1/disputes/{C.OPEN_ID}", headers=C.K1).json()["attachments"][0]
    assert att["url"].startswith("/Complaints/")
    root = client.get(att["url"], headers=C.K1)  # path mode, no /riverty prefix: as a client resolves it
    prefixed = client.get("/riverty" + att["url"], headers=C.K1)
    assert root.status_code == 200 and root.content == prefixed.content and len(root.content) == 12432
    assert client.get(att["url"]).status_code == 401  # Riverty's auth, not the sandbox's 404
    unknown = client.get("/Complaints/nope/attachments/nope", headers=C.K1)
    assert unknown.status_code == 400 and "disputeId" in unknown.json()["errors"]


def test_gen1_says_image_jpg_for_a_jpg_as_the_seed_does_gen2_and_downloads_image_jpeg(riverty, C):
    _, client = riverty
    gen1 = client.get(f"/riverty/1/disputes/{C.OPEN_ID}", headers=C.K1).json()["attachments"][0]
    gen2 = client.get(f"/riverty/disputes/{C.OPEN_ID}", headers=C.K1).json()["attachments"][0]
    assert gen1["originalFileName"].endswith(".jpg") and gen1["mimeType"] == "image/jpg"
    assert gen2["mimeType"] == "image/jpeg"
    assert client.get(gen1["url"], headers=C.K1).headers["content-type"] == "image/jpeg"


@pytest.mark.parametrize("name", ['Доказательство "1".pdf', "naïve receipt.pdf", "收据.png"])
def test_download_of_any_file_name_escapes_and_encodes_it(riverty, C, name):
    _, client = riverty
    r = upload(client, C.K1, name=name)
    assert r.status_code == 200, r.text
    stored = r.json()["originalFileName"]
    d = client.get(f"/riverty/attachments/{r.json()['id']}/content", headers=C.K1)
    assert d.status_code == 200 and d.content == b"%PDF-1.4 proof"
    header = d.headers["content-disposition"]
    assert header.startswith('attachment; filename="')
    assert header.endswith("; filename*=UTF-8''" + quote(stored, safe=""))
    quoted = header.split('filename="', 1)[1].split('"; filename*=')[0]
    assert all(" " <= ch <= "~" for ch in quoted)
    assert quoted.replace('\\"', "").count('"') == 0  # every quote inside is escaped


def test_quotes_backslashes_and_controls_in_a_name_cannot_break_the_header():
    from sandbox.providers.riverty.attachments import content_disposition

    header = content_disposition('a"b\\c\r\nX-Evil: 1.pdf')
    assert "\r" not in header and "\n" not in header
    assert header == ('attachment; filename="a\\"b\\\\cX-Evil: 1.pdf"; '
                      "filename*=UTF-8''a%22b%5CcX-Evil%3A%201.pdf")


def test_plain_ascii_name_keeps_the_simple_header(riverty, C):
    _, client = riverty
    r = upload(client, C.K1, name="proof.pdf")
    d = client.get(f"/riverty/attachments/{r.json()['id']}/content", headers=C.K1)
    assert d.headers["content-disposition"] == 'attachment; filename="proof.pdf"'


def test_two_hundred_hosts_share_one_fragment_cache(riverty, C):
    sandbox, client = riverty
    for i in range(200):
        body = client.get("/riverty/disputes", headers={**C.K1, "Host": f"h{i}.example"},
                          params={"pageSize": 5}).json()
        urls = [a["originalFileUrl"] for d in body["results"] for a in d["attachments"]]
        assert all(u.startswith(f"http://h{i}.example/riverty/attachments/") for u in urls)
        one = client.get(f"/riverty/disputes/{C.OPEN_ID}", headers={**C.K1, "Host": f"h{i}.example"}).json()
        assert one["attachments"][0]["originalFileUrl"].startswith(f"http://h{i}.example/riverty/")
    state = sandbox.state("riverty")
    assert set(state.disputes._fragments) <= {"gen1", "gen2"}


UPLOAD_CAP = """
seed: 1
clock: {start: "2025-06-01T12:00:00Z"}
providers:
  riverty:
    uploads: {max_files: 2, max_bytes: 100}
    clients:
      - id: 1
        name: ABC
        email: info@abc.de
        shops: [{shop_id: RTY000002240, country_code: DE, api_key: k}]
"""


def test_upload_store_is_bounded_and_released_on_reset(sandbox_from):
    _, client = sandbox_from(UPLOAD_CAP, providers=["riverty"])
    key = {"X-Auth-Key": "k"}
    first = upload(client, key, content=b"x" * 60)
    assert first.status_code == 200
    too_many_bytes = upload(client, key, content=b"y" * 41)
    assert too_many_bytes.status_code == 413 and too_many_bytes.json()["detail"] == "Request body too large."
    assert upload(client, key, content=b"y" * 40).status_code == 200
    full = upload(client, key, content=b"z")
    assert full.status_code == 413 and full.headers["content-type"].startswith("application/problem+json")
    first_id = first.json()["id"]
    assert client.get(f"/riverty/attachments/{first_id}/content", headers=key).content == b"x" * 60
    assert client.post("/_sandbox/reset").status_code == 200
    assert client.get(f"/riverty/attachments/{first_id}/content", headers=key).status_code == 404
    assert upload(client, key, content=b"x" * 60).status_code == 200


def test_upload_store_limits_are_scenario_checked(sandbox_from):
    from sandbox.scenario import ScenarioError
    from sandbox.testing import make_sandbox

    with pytest.raises(ScenarioError, match="max_files"):
        make_sandbox(text=UPLOAD_CAP.replace("max_files: 2", "max_files: -1"), providers=["riverty"])


BAD_BODIES = [
    ("request_info", {"from": 1}, "from"),
    ("request_info", {"from": "bank"}, "from"),
    ("supply_info", {"by": ["shop"]}, "by"),
    ("decide", {"decision": 7}, "decision"),
    ("appeal", {"by": {}}, "by"),
    ("resolve", {"decision": "Maybe"}, "decision"),
    ("cancel", {"reason": "x"}, "reason"),
    ("customer_comment", {"body": 123}, "body"),
    ("customer_comment", {"body": "x", "visibility": "6"}, "visibility"),
    ("agent_comment", {"body": "x" * 10001}, "body"),
    ("set_stage", {"stage": "4"}, "stage"),
    ("set_stage", {"stage": 10**30}, "stage"),
    ("set_stage", {}, "stage"),
]


@pytest.mark.parametrize(("action", "body", "field"), BAD_BODIES)
def test_control_bodies_are_validated_before_anything_changes(riverty, C, action, body, field):
    _, client = riverty
    before = client.get(f"/_sandbox/riverty/disputes/{C.OPEN_ID}").json()
    gen2 = client.get(f"/riverty/disputes/{C.OPEN_ID}/comments", headers=C.K1).content
    r = client.post(f"/_sandbox/riverty/disputes/{C.OPEN_ID}/{action}", json=body)
    assert r.status_code == 400, r.text
    assert any(p.startswith(field) for p in r.json()["problems"]), r.json()
    assert client.get(f"/_sandbox/riverty/disputes/{C.OPEN_ID}").json() == before
    assert client.get(f"/riverty/disputes/{C.OPEN_ID}/comments", headers=C.K1).content == gen2
    assert client.get(f"/riverty/1/disputes/{C.OPEN_ID}", headers=C.K1).status_code == 200


@pytest.mark.parametrize("body", [{"client_id": [1]}, {"client_id": "1"}, {"client_id": 1, "stage": "x", "email": 5},
                                  {"client_id": 1, "email": 123}, {"client_id": 1, "nope": True}])
def test_open_dispute_refuses_wrong_types_and_stores_nothing(riverty, C, body):
    sandbox, client = riverty
    count = len(sandbox.state("riverty").disputes)
    r = client.post("/_sandbox/riverty/disputes", json=body)
    assert r.status_code == 400 and r.json()["problems"], r.text
    assert len(sandbox.state("riverty").disputes) == count
    assert client.get("/riverty/1/disputes", headers=C.K1, params={"pageSize": 100}).status_code == 200


@pytest.mark.parametrize("raw", [b"[]", b"not json", b'{"client_id": 1e400}'])
def test_open_dispute_refuses_bodies_that_are_not_objects(riverty, raw):
    _, client = riverty
    r = client.post("/_sandbox/riverty/disputes", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400 and "error" in r.json()


@pytest.mark.parametrize("status", FAULT_STATUSES)
def test_forced_fault_keeps_every_status(riverty, C, status):
    _, client = riverty
    assert client.post("/_sandbox/faults", json={"provider": "riverty", "status": status}).status_code == 201
    r = client.get("/riverty/disputes", headers=C.K1)
    assert r.status_code == status
    if status in (204, 403):
        assert r.content == b""
    elif status < 500 and status not in (401, 429):
        assert r.headers["content-type"].startswith("application/problem+json") and r.json()["status"] == status
    elif status != 403:
        assert set(r.json()) == {"message"}
    assert client.get("/riverty/disputes", headers=C.K1).status_code == 200  # spent


TIMELINE = """
seed: 3
clock: {start: "2025-06-01T12:00:00Z"}
providers:
  riverty:
    clients:
      - id: 1
        name: ABC
        email: info@abc.de
        shops: [{shop_id: RTY000002240, country_code: DE, api_key: k}]
        disputes:
          - {id: b87a9941-5d89-46a7-8890-3d1beec40def, stage: 1}
    timeline:
      - {at: "+1h", id: b87a9941-5d89-46a7-8890-3d1beec40def, action: appeal}
      - {at: "+2h", id: b87a9941-5d89-46a7-8890-3d1beec40def, action: cancel}
"""


def test_timeline_action_refused_when_due_is_a_visible_event(sandbox_from, caplog):
    _, client = sandbox_from(TIMELINE, providers=["riverty"])
    with caplog.at_level("WARNING", logger="sandbox.timeline"):
        events = client.post("/_sandbox/clock/advance", json={"duration": "3h"}).json()["events"]
    refused = [e for e in events if e["type"] == "sandbox.timeline_refused"]
    assert len(refused) == 1 and refused[0]["data"]["action"] == "appeal"
    assert refused[0]["data"]["reason"] == "only a stage 4 decision can be appealed"
    assert refused[0]["tenant"] == "1" and refused[0]["at"].startswith("2025-06-01T13:00:00")
    assert any(e["type"] == "CancellationEvent" for e in events)  # the next action still ran
    assert any("appeal" in r.getMessage() and "refused" in r.getMessage() for r in caplog.records)
