"""Gen 2 comments and evidence upload: limits, visibility flags, attachments by id, error bodies."""

from __future__ import annotations

import re

from sandbox.providers.riverty.wire import Comment

TRACE = re.compile(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-00$")


def problem(r, status: int, **expected) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert TRACE.match(body.pop("traceId"))
    for key, value in expected.items():
        assert body[key] == value, (key, body)
    return body


def upload(client, headers, name="proof.pdf", content=b"%PDF-1.4 proof"):
    return client.post("/riverty/attachments", headers=headers, files={"file": (name, content, "application/octet-stream")})


def test_upload_then_attach_then_download(riverty, C):
    sandbox, client = riverty
    r = upload(client, C.K1)
    assert r.status_code == 200
    att = r.json()
    assert list(att)[:5] == ["id", "size", "mimeType", "createdAt", "originalFileName"]
    assert att["size"] == 14 and att["mimeType"] == "application/pdf" and att["originalFileName"] == "proof.pdf"
    assert att["createdAt"] == "2025-06-01T12:00:00Z"
    assert client.get(f"/riverty/attachments/{att['id']}/content", headers=C.K1).content == b"%PDF-1.4 proof"
    c = client.post(f"/riverty/disputes/{C.OPEN_ID}/comments", headers=C.K1,
                    json={"body": "Delivery proof attached.", "attachments": [att["id"]], "visibility": 4})
    assert c.status_code == 200
    comment = c.json()
    Comment.model_validate(comment)
    assert list(comment) == ["id", "disputeId", "body", "visibility", "attachments", "author", "createdAt"]
    assert comment["author"] == {"$type": "Client", "clientName": "ABC"}
    assert comment["disputeId"] == C.OPEN_ID and comment["visibility"] == 4
    assert [a["id"] for a in comment["attachments"]] == [att["id"]]
    assert comment["createdAt"] == "2025-06-01T12:00:00.0000000Z"
    listed = client.get(f"/riverty/disputes/{C.OPEN_ID}/comments", headers=C.K1).json()
    assert listed[-1] == comment
    # Gen 1 `updatedAt` moved with the comment
    assert client.get(f"/riverty/1/disputes/{C.OPEN_ID}", headers=C.K1).json()["updatedAt"] == "2025-06-01T12:00:00.0000000Z"
    # attached to this dispute now: not usable on another
    again = client.post(f"/riverty/disputes/{C.RFI_ID}/comments", headers=C.K1, json={"attachments": [att["id"]]})
    problem(again, 400, title="Bad Request", detail=f"Attachment with id '{att['id']}' was not found.")


def test_upload_limits(riverty, C):
    _, client = riverty
    problem(upload(client, C.K1, content=b""), 400, errors={"file": ["The file has no content."]})
    body = problem(upload(client, C.K1, name="virus.exe"), 422, title="Unprocessable Entity")
    assert body["detail"].startswith("File extension '.exe' is not allowed.")
    problem(upload(client, C.K1, name="noext"), 422)
    big = b"x" * (20 * 1024 * 1024 + 1)
    problem(upload(client, C.K1, name="big.pdf", content=big), 413, detail="Request body too large.")
    assert upload(client, C.K1, name="exact.PNG", content=b"x" * (20 * 1024 * 1024)).status_code == 200
    for ext in (".pdf", ".jpg", ".png", ".gif", ".jpeg", ".docx", ".doc", ".bmp"):
        assert upload(client, C.K1, name="f" + ext).status_code == 200
    problem(client.post("/riverty/attachments", headers=C.K1, json={"file": "x"}), 415)
    problem(client.post("/riverty/attachments", headers=C.K1, files={"other": ("a.pdf", b"x")}), 400,
            errors={"file": ["The file field is required."]})


def test_comment_validation(riverty, C):
    _, client = riverty
    url = f"/riverty/disputes/{C.OPEN_ID}/comments"
    assert client.post(url, headers=C.K1, json={"body": "x" * 10000}).status_code == 200
    problem(client.post(url, headers=C.K1, json={"body": "x" * 10001}), 400,
            errors={"body": ["The field body must be a string or array type with a maximum length of '10000'."]})
    problem(client.post(url, headers=C.K1, json={}), 400,
            errors={"body": ["The body field is required when no attachments are given."]})
    for bad in (0, 8, -1):
        problem(client.post(url, headers=C.K1, json={"body": "hi", "visibility": bad}), 400,
                errors={"visibility": [f"The value '{bad}' is not valid for visibility."]})
    problem(client.post(url, headers=C.K1, json={"body": "hi", "visibility": "public"}), 400,
            errors={"$.visibility": ["The JSON value could not be converted to Visibility. Path: $.visibility."]})
    problem(client.post(url, headers=C.K1, json={"body": 5}), 400,
            errors={"$.body": ["The JSON value could not be converted to System.String. Path: $.body."]})
    problem(client.post(url, headers=C.K1, json={"attachments": ["nope"]}), 400,
            errors={"attachments": ["The value 'nope' is not valid."]})
    problem(client.post(url, headers={**C.K1, "Content-Type": "application/json"}, content=b"{nope"), 400,
            errors={"$": ["The JSON value could not be converted to AddCommentRequest. Path: $."]})
    problem(client.post(url, headers={**C.K1, "Content-Type": "text/plain"}, content=b"hi"), 415, title="Unsupported Media Type")
    unknown = "00000000-0000-4000-8000-000000000000"
    problem(client.post(f"/riverty/disputes/{unknown}/comments", headers=C.K1, json={"body": "hi"}), 400,
            detail=f"Dispute with id '{unknown}' was not found.")
    problem(client.post(url, headers=C.K1, json={"attachments": [unknown]}), 400,
            detail=f"Attachment with id '{unknown}' was not found.")
    ok = client.post(url, headers=C.K1, json={"body": "no visibility"}).json()
    assert ok["visibility"] == 6 and ok["attachments"] == []


def test_other_shops_upload_cannot_be_attached_and_sixth_file_is_refused(riverty, C):
    _, client = riverty
    foreign = upload(client, C.K4).json()["id"]
    url = f"/riverty/disputes/{C.OPEN_ID}/comments"
    problem(client.post(url, headers=C.K1, json={"attachments": [foreign]}), 400,
            detail=f"Attachment with id '{foreign}' was not found.")
    assert client.get(f"/riverty/attachments/{foreign}/content", headers=C.K1).status_code == 404
    ids = [upload(client, C.K1).json()["id"] for _ in range(6)]
    assert client.post(url, headers=C.K1, json={"attachments": ids[:5]}).status_code == 200
    problem(client.post(url, headers=C.K1, json={"attachments": ids[5:]}), 400,
            detail="A dispute accepts at most 5 attachments from the shop.")


def test_comments_list_errors_and_visibility(riverty, C):
    sandbox, client = riverty
    unknown = "00000000-0000-4000-8000-000000000000"
    r = client.get(f"/riverty/disputes/{unknown}/comments", headers=C.K1)
    assert r.status_code == 400
    assert r.json() == {
        "message": f"Dispute '{unknown}' was not found.", "statusCode": 400, "data": {}, "innerException": None,
        "helpLink": None, "source": "Riverty.Disputes.Api", "hResult": -2146233088, "stackTrace": None, "targetSite": None,
    }
    assert client.get(f"/riverty/disputes/{C.OTHER_ID}/comments", headers=C.K1).status_code == 400
    # an internal-only agent note is not shown to the merchant; one for the merchant is
    client.post(f"/_sandbox/riverty/disputes/{C.OPEN_ID}/agent_comment", json={"body": "internal", "visibility": 1})
    client.post(f"/_sandbox/riverty/disputes/{C.OPEN_ID}/agent_comment", json={"body": "to shop", "visibility": 4})
    bodies = [c["body"] for c in client.get(f"/riverty/disputes/{C.OPEN_ID}/comments", headers=C.K1).json()]
    assert "internal" not in bodies and bodies[-1] == "to shop"
    listed = client.get(f"/riverty/disputes/{C.DECIDED_ID}/comments", headers=C.K1).json()
    assert [c["createdAt"] for c in listed] == sorted(c["createdAt"] for c in listed)
    assert {c["author"]["$type"] for c in listed} >= {"Agent"}


def _shop_files_recounted(state, dispute) -> int:
    """The count as it used to be taken: every comment's files the shop sent."""
    return sum(1 for c in dispute.comments for a in c.attachment_ids
               if state.attachments[a].source == "Shop")


def test_shop_file_count_is_kept_as_comments_come_and_limits_generated_disputes_too(riverty, C):
    """`shop_files` is counted as comments are added, never by walking the history: it must equal
    the walk for every dispute, hand-written and generated (whose stage 3 and 5 comments carry the
    shop's proof), and the limit must count those generated files."""
    sandbox, client = riverty
    state = sandbox.state("riverty")
    disputes = [state.disputes.get(key[-1]) for key in state.disputes.index(("c", 1))]
    assert all(d.shop_files == _shop_files_recounted(state, d) for d in disputes)
    with_proof = next(d for d in disputes if d.shop_files and d.shop == "RTY000002240/DE" and d.show_in_merchant_ui)
    room = 5 - with_proof.shop_files
    ids = [upload(client, C.K1).json()["id"] for _ in range(room + 1)]
    url = f"/riverty/disputes/{with_proof.id}/comments"
    assert client.post(url, headers=C.K1, json={"body": "one", "attachments": ids[:1]}).status_code == 200
    assert client.post(url, headers=C.K1, json={"body": "again"}).status_code == 200  # no file: no change
    assert with_proof.shop_files == _shop_files_recounted(state, with_proof) == 6 - room
    if room > 1:
        assert client.post(url, headers=C.K1, json={"attachments": ids[1:room]}).status_code == 200
    problem(client.post(url, headers=C.K1, json={"attachments": ids[room:]}), 400,
            detail="A dispute accepts at most 5 attachments from the shop.")
    assert with_proof.shop_files == _shop_files_recounted(state, with_proof) == 5
