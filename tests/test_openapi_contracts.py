"""The served OpenAPI documents (issue 20): each validates, and fuzzing each against the sandbox
finds no server error, no response outside the document, no undeclared status.

Parametrised over every document every registered provider serves plus the control plane's, so a
provider that adds a document is fuzzed with no change here."""

from __future__ import annotations

import pytest
import schemathesis
import schemathesis.specs.openapi.checks as checks
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from sandbox.app import create_app
from sandbox.providers import load_providers
from sandbox.testing import asgi_client, make_sandbox

PROVIDERS = load_providers()
OWNER = {name: p.key for p in PROVIDERS for name in p.openapi_documents()}  # document → provider
DOCUMENTS = ["_sandbox", *OWNER]


def url(name: str) -> str:
    return "/_sandbox/openapi.json" if name == "_sandbox" else f"/_sandbox/openapi/{name}.json"


@pytest.fixture(scope="module")
def sandbox():
    return make_sandbox("default")


@pytest.fixture(scope="module")
def credentials(sandbox) -> dict[str, dict[str, str]]:
    """Provider key → the first tenant's first credential as a header."""
    with asgi_client(sandbox) as client:
        listed = client.get("/_sandbox/scenario").json()["providers"]
    return {key: {c["header"]: c["value"] for c in info["tenants"][0]["credentials"][:1]} for key, info in listed.items()}


@pytest.mark.skip(reason="until every provider's document has landed (issue 20); the lead removes this skip")
def test_every_provider_serves_a_document():
    assert [p.key for p in PROVIDERS if not p.openapi_documents()] == []


def test_index_lists_every_document(sandbox):
    with asgi_client(sandbox) as client:
        listed = client.get("/_sandbox/openapi").json()["documents"]
        assert sorted(listed) == sorted(OWNER)
        missing = client.get("/_sandbox/openapi/nope.json")
        assert missing.status_code == 404 and "nope" in missing.json()["error"]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_document_validates(sandbox, name):
    with asgi_client(sandbox) as client:
        doc = client.get(url(name)).json()
    validate(doc)
    assert doc["paths"], f"{name} documents no operation"
    assert all(s["url"].startswith("http://") for s in doc["servers"])


@pytest.mark.parametrize("name", DOCUMENTS)
def test_fuzz(sandbox, credentials, name):
    """Every operation of the document, with generated parameters and bodies (schemathesis), the
    owner's credentials sent; every answer checked against the document."""
    schema = schemathesis.openapi.from_asgi(url(name), create_app(sandbox))
    headers = credentials.get(schema.raw_schema["info"]["x-sandbox-provider"], {})
    # A document may name schemathesis checks that contradict what its provider documents (with its
    # reasons in the builder), e.g. Shoplazza's 400 for a missing token: `x-sandbox-excluded-checks`.
    excluded = [getattr(checks, name) for name in schema.raw_schema.get("x-sandbox-excluded-checks", [])]
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers=headers, excluded_checks=excluded)

        check()
