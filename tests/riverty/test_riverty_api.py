"""Riverty over HTTP: shapes (golden vs the docs' examples), formats, auth, every error body."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from sandbox.providers.riverty.wire import Gen1Dispute, Gen2Attachment, Gen2Dispute, Gen2List
from sandbox.scenario import ScenarioError
from sandbox.testing import make_sandbox

TICKS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$")
US = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}$")
MONEY = re.compile(r"^\d+\.\d{2}$")
TRACE = re.compile(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-00$")
DENIED = {"message": "Authorization has been denied for this request."}


def problem_errors(r, errors: dict) -> None:
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert TRACE.match(body.pop("traceId"))
    assert body == {
        "type": "https://tools.ietf.org/html/rfc7231#section-6.5.1",
        "title": "One or more validation errors occurred.",
        "status": 400,
        "errors": errors,
    }


# -- golden: the docs' examples validate against the models the serializer uses ----------------


def test_seed_example_is_the_gen1_model_field_for_field(C):
    seed = json.loads((C.FIXTURES / "seed_example.json").read_text())
    for item in seed:
        model = Gen1Dispute.model_validate(item)
        assert json.loads(model.model_dump_json()) == item
        assert list(model.model_dump()) == list(item)  # field order too
        assert list(model.model_dump()["attachments"][0]) == list(seed[0]["attachments"][0]) if item["attachments"] else True


def test_gen2_examples_validate_and_round_trip(C):
    listing = json.loads((C.FIXTURES / "gen2_list_example.json").read_text())
    model = Gen2List.model_validate(listing)
    assert json.loads(model.model_dump_json(exclude_none=True)) == listing
    assert list(json.loads(model.model_dump_json(exclude_none=True))["results"][0]) == list(listing["results"][0])
    upload = json.loads((C.FIXTURES / "gen2_upload_example.json").read_text())
    assert json.loads(Gen2Attachment.model_validate(upload).model_dump_json(exclude_none=True)) == upload


def test_emitted_gen1_item_has_seed_fields_in_seed_order(riverty, C):
    _, client = riverty
    seed = json.loads((C.FIXTURES / "seed_example.json").read_text())[0]
    items = client.get("/riverty/1/disputes", headers=C.K1, params={"query": "D-0001-4112"}).json()
    assert len(items) == 1
    item = items[0]
    Gen1Dispute.model_validate(item)
    assert list(item) == list(seed)
    assert list(item["attachments"][0]) == list(seed["attachments"][0])
    assert list(item["customer"]) == list(seed["customer"]) and list(item["client"]) == list(seed["client"])
    assert item["id"] == C.OPEN_ID and item["clientId"] == 1 and item["invoiceId"] == "INV#1234"
    assert item["amount"] == "600.54" and item["disputeAmount"] == "600.54"
    assert item["reason"] == {"id": 10203, "name": "I have a problem with the product"}
    assert item["complaintStatus"] == {"id": 1, "name": "Waiting for shop"}
    assert item["client"] == {"id": 1, "name": "ABC", "email": "info@abc.de", "countryCode": "DE", "country": "Germany"}
    assert item["customer"]["name"] == "Martin John" and item["customer"]["customerId"] == item["customerId"]
    assert item["createdAt"].startswith("2025-05-30T12:00:00.") and TICKS.match(item["createdAt"])
    att = item["attachments"][0]
    assert att["url"] == f"/Complaints/{C.OPEN_ID}/attachments/{att['id']}"
    assert att["size"] == 12432 and att["source"] == "Customer" and att["mimeType"] == "image/jpg"  # as the seed shows a .jpg


def test_date_and_money_formats_round_trip(riverty, C):
    sandbox, client = riverty
    state = sandbox.state("riverty")
    items = client.get("/riverty/1/disputes", headers=C.K1, params={"pageSize": 100}).json()
    assert len(items) > 30
    for item in items:
        record = state.disputes.get(item["id"])
        assert TICKS.match(item["createdAt"]) and TICKS.match(item["updatedAt"])
        created = datetime.strptime(item["createdAt"][:26] + "Z", "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        assert created == record.created_at
        assert US.match(item["invoiceDate"])
        invoice = datetime.strptime(item["invoiceDate"], "%m/%d/%Y %H:%M:%S").replace(tzinfo=UTC)
        assert invoice == record.invoice_date.replace(microsecond=0)
        assert MONEY.match(item["amount"]) and MONEY.match(item["disputeAmount"])
        assert int(item["amount"].replace(".", "")) == record.amount_cents
        assert all(US.match(a["createdAt"]) for a in item["attachments"])
        Gen1Dispute.model_validate(item)


def test_gen2_get_shape_and_absolute_download_url(riverty, C):
    _, client = riverty
    r = client.get(f"/riverty/disputes/{C.OPEN_ID}", headers=C.K1)
    assert r.status_code == 200
    body = r.json()
    Gen2Dispute.model_validate(body)
    assert list(body) == ["id", "ticketNumber", "stage", "reasonCode", "invoice", "createdAt", "attachments",
                          "description", "showInMerchantUi"]  # no decision before one: dropped, not null
    assert body["ticketNumber"] == "D-0001-4112" and body["stage"] == {"id": 1}
    assert body["invoice"] == {"invoiceNumber": "INV#1234", "client": {"shopId": "RTY000002240"}}
    att = body["attachments"][0]
    assert att["originalFileUrl"] == f"http://testserver/riverty/attachments/{att['id']}/content"
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", att["createdAt"])
    decided = client.get(f"/riverty/disputes/{C.DECIDED_ID}", headers=C.K1).json()
    assert decided["decision"] == {"name": "Collection continues"} and decided["stage"] == {"id": 4}


def test_attachment_urls_are_served_to_their_owner_only(riverty, C):
    _, client = riverty
    item = client.get(f"/riverty/1/disputes/{C.OPEN_ID}", headers=C.K1).json()
    att = item["attachments"][0]
    r = client.get("/riverty" + att["url"], headers=C.K1)
    assert r.status_code == 200 and len(r.content) == 12432 and r.headers["content-type"] == "image/jpeg"
    assert client.get("/riverty" + att["url"], headers=C.K1).content == r.content  # deterministic bytes
    other = client.get("/riverty" + att["url"], headers=C.K4)
    assert other.status_code == 404 and other.json()["title"] == "Not Found"
    gen2 = client.get(f"/riverty/attachments/{att['id']}/content", headers=C.K1)
    assert gen2.status_code == 200 and gen2.content == r.content
    assert client.get(f"/riverty/attachments/{att['id']}/content", headers=C.K1_AT).status_code == 404


def test_host_mode_serves_both_generations_without_prefix(riverty, C):
    _, client = riverty
    host = {"Host": "api.bnpl-pt.riverty.io", **C.K1}
    assert client.get(f"/1/disputes/{C.OPEN_ID}", headers=host).json()["id"] == C.OPEN_ID
    body = client.get(f"/disputes/{C.OPEN_ID}", headers=host).json()
    assert body["attachments"][0]["originalFileUrl"].startswith("http://api.bnpl-pt.riverty.io/attachments/")
    prod = client.get("/disputes", headers={"Host": "api.bnpl.riverty.io", **C.K1}).json()
    assert set(prod) == {"paging", "results"}


# -- auth ---------------------------------------------------------------------------------------


def test_missing_or_wrong_key_is_401_with_the_aspnet_message(riverty, C):
    _, client = riverty
    for path in ("/riverty/1/disputes", "/riverty/disputes", f"/riverty/disputes/{C.OPEN_ID}/comments"):
        for headers in ({}, {"X-Auth-Key": "nope"}, {"Authorization": "Bearer key-abc-de"}):
            r = client.get(path, headers=headers)
            assert r.status_code == 401 and r.json() == DENIED
            assert r.headers["content-type"].startswith("application/json")
    assert client.post("/riverty/attachments", files={"file": ("a.pdf", b"x")}).json() == DENIED
    assert client.get("/riverty/1/disputes", headers={"x-auth-key": "key-abc-de"}).status_code == 200


def test_gen1_other_client_is_403_empty_and_ids_are_isolated(riverty, C):
    _, client = riverty
    r = client.get("/riverty/4/disputes", headers=C.K1)
    assert r.status_code == 403 and r.content == b""
    assert client.get(f"/riverty/4/disputes/{C.OTHER_ID}", headers=C.K1).status_code == 403
    hidden = client.get(f"/riverty/1/disputes/{C.OTHER_ID}", headers=C.K1)
    assert hidden.status_code == 204 and hidden.content == b""
    assert client.get(f"/riverty/4/disputes/{C.OTHER_ID}", headers=C.K4).json()["clientId"] == 4
    # Gen 2: the key selects the shop; the other country's shop of the same client sees nothing of DE
    assert client.get(f"/riverty/disputes/{C.OPEN_ID}", headers=C.K1_AT).status_code == 204
    ids_de = {d["id"] for d in client.get("/riverty/disputes", headers=C.K1, params={"pageSize": 500}).json()["results"]}
    ids_at = {d["id"] for d in client.get("/riverty/disputes", headers=C.K1_AT, params={"pageSize": 500}).json()["results"]}
    ids_gen1 = {d["id"] for d in client.get("/riverty/1/disputes", headers=C.K1_AT, params={"pageSize": 500}).json()}
    assert ids_de and ids_at and not ids_de & ids_at and ids_gen1 == ids_de | ids_at


# -- errors -------------------------------------------------------------------------------------


def test_bad_list_parameters_are_aspnet_validation_problems(riverty, C):
    _, client = riverty
    r = client.get("/riverty/1/disputes", headers=C.K1,
                   params={"pageSize": "abc", "pageNumber": "0", "sortMethod": "up", "status": "x", "startDate": "soon"})
    problem_errors(r, {
        "sortMethod": ["The value 'up' is not valid."],
        "status": ["The value 'x' is not valid."],
        "startDate": ["The value 'soon' is not valid."],
        "pageSize": ["The value 'abc' is not valid."],
        "pageNumber": ["The field pageNumber must be between 1 and 2147483647."],
    })
    problem_errors(client.get("/riverty/disputes", headers=C.K1, params={"showInMerchantUi": "maybe", "sortBy": "Nope"}),
                   {"sortBy": ["The value 'Nope' is not valid."], "showInMerchantUi": ["The value 'maybe' is not valid."]})
    problem_errors(client.get("/riverty/1/disputes", headers=C.K1, params={"pageSize": "99999999999"}),
                   {"pageSize": ["The value '99999999999' is not valid."]})
    # Gen 1 accepts only the five sortBy values its era listed
    problem_errors(client.get("/riverty/1/disputes", headers=C.K1, params={"sortBy": "DisputeAmount"}),
                   {"sortBy": ["The value 'DisputeAmount' is not valid."]})
    problem_errors(client.get("/riverty/abc/disputes", headers=C.K1), {"clientId": ["The value 'abc' is not valid."]})


def test_bad_and_unknown_ids(riverty, C):
    _, client = riverty
    problem_errors(client.get("/riverty/1/disputes/not-a-guid", headers=C.K1),
                   {"disputeId": ["The value 'not-a-guid' is not valid."]})
    problem_errors(client.get("/riverty/disputes/xyz", headers=C.K1), {"disputeId": ["The value 'xyz' is not valid."]})
    unknown = "00000000-0000-4000-8000-000000000000"
    for path in (f"/riverty/1/disputes/{unknown}", f"/riverty/disputes/{unknown}"):
        r = client.get(path, headers=C.K1)
        assert r.status_code == 204 and r.content == b""
    # the id is a GUID: any casing and brace form binds
    assert client.get(f"/riverty/disputes/{{{C.OPEN_ID.upper()}}}", headers=C.K1).json()["id"] == C.OPEN_ID


def test_unknown_dispute_can_answer_404(sandbox_from, C):
    _, client = sandbox_from(C.SCENARIO.replace("    clients:", "    unknown_dispute_status: 404\n    clients:", 1),
                             providers=["riverty"])
    r = client.get("/riverty/disputes/00000000-0000-4000-8000-000000000000", headers=C.K1)
    assert r.status_code == 404 and r.json()["title"] == "Not Found"


def test_unknown_route_is_a_404_problem(riverty, C):
    _, client = riverty
    r = client.get("/riverty/api/v3/nothing", headers=C.K1)
    assert r.status_code == 404
    body = r.json()
    assert body["type"] == "https://tools.ietf.org/html/rfc7231#section-6.5.4" and body["status"] == 404
    assert body["instance"] == "/riverty/api/v3/nothing"


def test_route_order_gen2_paths_are_not_gen1_client_ids(riverty, C):
    _, client = riverty
    assert set(client.get("/riverty/disputes", headers=C.K1).json()) == {"paging", "results"}
    problem_errors(client.get("/riverty/disputes/disputes", headers=C.K1), {"disputeId": ["The value 'disputes' is not valid."]})
    assert isinstance(client.get(f"/riverty/disputes/{C.OPEN_ID}", headers=C.K1).json(), dict)
    assert client.get(f"/riverty/disputes/{C.OPEN_ID}/comments", headers=C.K1).status_code == 200


def test_forced_faults_and_rate_limit_use_riverty_bodies(riverty, sandbox_from, C):
    _, client = riverty
    for status, body in ((429, {"message": "Too many requests."}), (500, {"message": "Internal server error."}),
                         (401, DENIED)):
        client.post("/_sandbox/faults", json={"provider": "riverty", "status": status})
        r = client.get("/riverty/1/disputes", headers=C.K1)
        assert r.status_code == status and r.json() == body
    client.post("/_sandbox/faults", json={"provider": "riverty", "status": 403})
    r = client.get("/riverty/1/disputes", headers=C.K1)
    assert r.status_code == 403 and r.content == b""
    client.post("/_sandbox/faults", json={"provider": "riverty", "status": 404})
    assert client.get("/riverty/1/disputes", headers=C.K1).json()["title"] == "Not Found"
    client.post("/_sandbox/faults", json={"provider": "riverty", "status": 400})
    assert client.get("/riverty/1/disputes", headers=C.K1).json()["status"] == 400
    _, limited = sandbox_from(C.SCENARIO.replace("    clients:", "    rate_limit_per_minute: 2\n    clients:", 1),
                              providers=["riverty"])
    assert [limited.get("/riverty/disputes", headers=C.K1).status_code for _ in range(2)] == [200, 200]
    r = limited.get("/riverty/disputes", headers=C.K1)
    assert r.status_code == 429 and r.json() == {"message": "Too many requests."} and int(r.headers["Retry-After"]) >= 1
    assert limited.get("/riverty/disputes", headers=C.K4).status_code == 200  # per key


# -- filters ------------------------------------------------------------------------------------


def test_query_matches_invoice_or_ticket_exactly_case_insensitive(riverty, C):
    _, client = riverty
    for q in ("INV#1234", "inv#1234", "D-0001-4112", "d-0001-4112"):
        items = client.get("/riverty/1/disputes", headers=C.K1, params={"query": q}).json()
        assert [i["id"] for i in items] == [C.OPEN_ID]
    assert client.get("/riverty/1/disputes", headers=C.K1, params={"query": "INV#12"}).json() == []
    assert client.get("/riverty/4/disputes", headers=C.K4, params={"query": "INV#1234"}).json() == []
    g2 = client.get("/riverty/disputes", headers=C.K1, params={"query": "802693330"}).json()
    assert g2["paging"] == {"total": 1, "pageSize": 20} and g2["results"][0]["id"] == C.RFI_ID


def test_status_and_dates_filter(riverty, C):
    sandbox, client = riverty
    state = sandbox.state("riverty")
    # generated data need not hold every status: ask a customer (status 2) in one generated dispute
    opened = next(d for d in state.disputes if d.client_id == 1 and d.stage == 1 and d.id != C.OPEN_ID)
    assert client.post(f"/_sandbox/riverty/disputes/{opened.id}/request_info", json={"from": "customer"}).status_code == 200
    for status in range(1, 6):
        items = client.get("/riverty/1/disputes", headers=C.K1, params={"status": status, "pageSize": 500}).json()
        expected = {d.id for d in state.disputes if d.client_id == 1 and d.status == status}
        assert {i["id"] for i in items} == expected and expected
        assert all(i["complaintStatus"]["id"] == status for i in items)
    assert client.get("/riverty/1/disputes", headers=C.K1, params={"status": 99}).json() == []
    day = client.get("/riverty/1/disputes", headers=C.K1, params={"startDate": "2025-05-30", "endDate": "2025-05-30"}).json()
    expected = {d.id for d in state.disputes if d.client_id == 1 and d.created_at.date().isoformat() == "2025-05-30"}
    assert {i["id"] for i in day} == expected and C.OPEN_ID in expected
    us = client.get("/riverty/1/disputes", headers=C.K1, params={"startDate": "05/30/2025", "endDate": "05/30/2025 23:59:59"}).json()
    assert {i["id"] for i in us} == expected
    exact = client.get("/riverty/1/disputes", headers=C.K1, params={"startDate": "2025-05-30T12:00:00.0000000Z",
                                                                     "endDate": "2025-05-30T12:00:00Z"}).json()
    assert [i["id"] for i in exact] == [C.OPEN_ID]


def test_past_the_end_is_an_empty_array(riverty, C):
    _, client = riverty
    r = client.get("/riverty/1/disputes", headers=C.K1, params={"pageNumber": 1000})
    assert r.status_code == 200 and r.json() == []
    g2 = client.get("/riverty/disputes", headers=C.K1, params={"pageNumber": 1000, "pageSize": 5}).json()
    assert g2["results"] == [] and g2["paging"]["pageSize"] == 5 and g2["paging"]["total"] > 0


def test_show_in_merchant_ui_filter(riverty, C):
    sandbox, client = riverty
    state = sandbox.state("riverty")
    for flag in (True, False):
        body = client.get("/riverty/disputes", headers=C.K1, params={"showInMerchantUi": str(flag).lower(), "pageSize": 500}).json()
        expected = {d.id for d in state.disputes if d.shop == "RTY000002240/DE" and d.show_in_merchant_ui is flag}
        assert {r["id"] for r in body["results"]} == expected and body["paging"]["total"] == len(expected) > 0


# -- scenario validation ------------------------------------------------------------------------


def test_scenario_problems_are_reported_with_paths(C):
    bad = C.SCENARIO.replace("api_key: key-abc-at", "api_key: key-abc-de").replace(
        "    clients:", "    rules: {rfi_after: soon}\n    timeline:\n      - {at: +1d, id: 00000000-0000-4000-8000-000000000000, action: cancel}\n    clients:", 1
    ).replace(f"id: {C.OTHER_ID}", f"id: {C.OPEN_ID}")
    try:
        make_sandbox(text=bad, providers=["riverty"])
    except ScenarioError as exc:
        text = "\n".join(exc.lines)
    else:
        raise AssertionError("bad scenario loaded")
    assert "providers.riverty.clients[0].shops[1].api_key: duplicate api_key 'key-abc-de'" in text
    assert f"providers.riverty.clients[1].disputes[0].id: duplicate dispute id '{C.OPEN_ID}'" in text
    assert "providers.riverty.timeline[0].id: no hand-written dispute" in text
    assert "providers.riverty.rules.rfi_after: not a duration" in text


def test_default_section_covers_every_status_and_stage(C):
    sandbox = make_sandbox(text=C.default_scenario_text(), providers=["riverty"])
    state = sandbox.state("riverty")
    assert len(state.clients) == 2 and len(state.disputes) >= 120
    assert {d.status for d in state.disputes} == {1, 2, 3, 4, 5}
    assert {d.stage for d in state.disputes} == set(range(1, 8))
    assert sandbox.events.query() == []  # loading fires no transition
    assert all(d.deadline > sandbox.now() for d in state.disputes if d.stage in (1, 2, 3, 5))
