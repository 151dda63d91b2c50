"""Golden checks: the seed's examples validate against the models the serializer goes through."""

from __future__ import annotations

import json
import re

from sandbox.providers.orderprotection.wire import (
    ClaimItem,
    ClaimMessage,
    ClaimNode,
    ClaimResolution,
    Connection,
    Document,
    PageInfo,
    StoreCredit,
)

TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_seed_list_example_validates(k):
    seed = json.loads((k.FIXTURES / "seed_example.json").read_text())
    parsed = Connection.model_validate(seed)
    node = parsed.edges[0].node
    assert node.id == "cm0b57zjv00myq52xh0c590b8" and node.claimType is None
    assert parsed.pageInfo.startCursor == parsed.pageInfo.endCursor == node.id
    # the seed's keys are, in order, the first keys our node model emits
    seed_keys = list(seed["edges"][0]["node"])
    assert list(ClaimNode.model_fields)[: len(seed_keys)] == seed_keys


def test_seed_schema_examples_validate(k):
    schema = json.loads((k.FIXTURES / "seed_schema_examples.json").read_text())
    for model, key in [
        (ClaimItem, "claimItems"),
        (ClaimMessage, "claimMessages"),
        (ClaimResolution, "claimResolutions"),
        (StoreCredit, "storeCredits"),
        (Document, "documents"),
    ]:
        for item in schema[key]:
            assert model.model_validate(item).model_dump(exclude_unset=True) == item
    PageInfo.model_validate(schema["pageInfo"])
    Connection.model_validate({"edges": schema["edges"], "pageInfo": schema["pageInfo"]})
    # the schema's message keys are our emitted order (senderType first)
    assert list(ClaimMessage.model_fields) == list(schema["claimMessages"][0])
    assert list(Document.model_fields) == list(schema["documents"][0])


def test_emitted_pages_validate_and_keep_key_order(sandbox_from, k):
    sandbox, client = sandbox_from(k.default_text(), providers=["orderprotection"])
    headers = {"Authorization": "Bearer op_at_teststore2_readwrite"}
    data = client.get(k.BASE + "/claims?first=100", headers=headers).json()
    parsed = Connection.model_validate(data)
    state = sandbox.state("orderprotection")
    live = [c for c in state.claims if c.store_id == "teststore2" and c.deleted_at is None]
    assert len(parsed.edges) == len(live) >= 60 and data["pageInfo"]["hasNextPage"] is False
    for edge in data["edges"]:
        node = edge["node"]
        assert list(node) == list(ClaimNode.model_fields)
        assert re.fullmatch(r"c[0-9a-z]{24}", node["id"])
        for key in ("createdAt", "updatedAt"):
            assert TS.match(node[key])
        assert node["deletedAt"] is None
        for res in node["claimResolutions"]:
            assert list(res) == list(ClaimResolution.model_fields)
            assert res["resolution"] == res["resolutionType"]
            assert isinstance(res["paidValue"], (int, float)) and TS.match(res["createdAt"])
        for msg in node["claimMessages"]:
            assert list(msg) == list(ClaimMessage.model_fields) and msg["senderType"]
        for credit in node["storeCredits"]:
            assert credit["totalValue"] == credit["creditValue"] + credit["bonusValue"]
    assert any(e["node"]["storeCredits"] for e in data["edges"])
    assert any(d["deletedAt"] for e in data["edges"] for d in e["node"]["documents"])


def test_integral_amounts_render_as_integers(sandbox_from, k):
    _, client = sandbox_from(k.SMALL, providers=["orderprotection"])
    client.post("/_sandbox/orderprotection/claims/cnew000000000000000000001/approve", json={"type": "REFUND", "paid_value": 100})
    node = client.get("/_sandbox/orderprotection/claims/cnew000000000000000000001").text
    assert '"paidValue":100,' in node and '"paidOriginalValue":100,' in node
