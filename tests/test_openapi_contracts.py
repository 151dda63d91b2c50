"""The served OpenAPI documents (issue 20): each validates, and fuzzing each against the sandbox
finds no server error, no response outside the document, no undeclared status, and every status a
document declares is one the sandbox really gives.

Parametrised over every document every registered provider serves plus the control plane's
(`_sandbox`), so a provider that adds a document is fuzzed with no change here. Per document, on a
sandbox of its own (the default scenario; the control plane's fuzzing loads scenarios, resets and
moves the clock, which must disturb no other document), `test_fuzz` runs in this order:

1. **Targeted examples**: each operation's `x-sandbox-examples` (`sandbox/openapi.py`,
   `EXTENSIONS`): `{"path_parameters", "query", "headers", "body", "media_type", "status",
   "anonymous", "operation_id", "fault"}`, all optional but `status`. Each is sent once (first;
   each operation's list starts from the scenario's state, reset after any write, so a scenario
   id is found) and must answer its `status`. They reach what random data
   rarely does: a known id's 200, a 403 of a key without the scope, a 409. `anonymous: true` sends
   no credential; `headers` replace the default credential's header of the same name; `operation_id`
   sends the example to that operation (to create a record the next one reads); in strings,
   `$tenant:<provider>` is that provider's first tenant id and `$last#/pointer` a value of the
   previous example's answer; `fault: true` (or `{"retry_after": N}`) forces `status` on it
   through a forced fault (`POST /_sandbox/faults`: the provider's own body for that status), for
   a 429 or 5xx no single ordinary request produces.
2. **Fuzzing**: every operation, `EXAMPLES` generated cases (schemathesis, positive data).
3. **Stateful**: for a document whose responses carry `links`, schemathesis' state machine
   (`schema.as_state_machine()`), `STATEFUL_RUNS` runs of at most `STATEFUL_STEPS` steps.
4. **Every declared status is real**: each status an operation declares was answered by 1-3, unless
   the response is marked `x-sandbox-not-fuzzed: "<why no single request produces it>"`.

Document-level hooks: `x-sandbox-excluded-checks` (names of `CHECKS` a document leaves off, with
its reasons in its builder, e.g. a documented status the check would call wrong) and
`x-sandbox-tenant-parameter` (a path parameter fuzzing fills with the first tenant's id, so
generated requests reach past the tenant lookup). Requests carry the document's provider's (`info.x-sandbox-provider`) first tenant's first credential
from the default scenario, or the one `info.x-sandbox-credential` picks (see `credential`). Checks: `CHECKS` (the issue's five). Left off: `positive_data_acceptance`
(schema-valid is not enough to be accepted: an unknown id is a 404, a shipped scenario name must
exist), `negative_data_rejection` (no negative data is generated; providers also document leniency,
e.g. unknown query keys ignored), `missing_required_header` and `unsupported_method` (they act only in
schemathesis' coverage phase, not run here; tests/test_methods_and_paths.py covers 405 with `Allow`),
`allow_header_conformance` (ditto, OPTIONS only), `ignored_auth`, `use_after_free`,
`ensure_resource_availability`, `object_level_authorization` (each provider's tests hold its auth and
lifecycle; these re-send requests and would double the run's time).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import orjson
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis import checks
from schemathesis.core import NOT_SET

from sandbox.app import create_app
from sandbox.faults import Fault
from sandbox.providers import load_providers
from sandbox.testing import asgi_client, make_sandbox, shipped_text

PROVIDERS = load_providers()
OWNER = {name: p.key for p in PROVIDERS for name in p.openapi_documents()}  # document → provider
DOCUMENTS = ["_sandbox", *OWNER]
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
EXAMPLES = 15  # generated cases per operation
STATEFUL_RUNS, STATEFUL_STEPS = 5, 6
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
Checks = list[Any]  # schemathesis check functions
Seen = dict[tuple[str, str], set[int]]  # (METHOD, path template) → statuses answered


def url(name: str) -> str:
    return "/_sandbox/openapi.json" if name == "_sandbox" else f"/_sandbox/openapi/{name}.json"


def settings_for(examples: int, **extra: Any) -> settings:
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck), **extra)


def credential(sandbox, info: dict[str, Any]) -> dict[str, str]:
    """The credential the document's requests carry: `info.x-sandbox-credential` (`{"header",
    "value"}`, or `{"tenant": i, "credential": j}`: indexes into the default scenario's listing),
    else the provider's first tenant's first credential; {} for the control plane."""
    key = info["x-sandbox-provider"]
    chosen = info.get("x-sandbox-credential", {})
    if "header" in chosen:
        return {chosen["header"]: chosen["value"]}
    if not key:
        return {}
    tenant = sandbox.by_key[key].tenants(sandbox.state(key))[chosen.get("tenant", 0)]
    first = tenant.credentials[chosen.get("credential", 0)]
    return {first.header: first.value}


@pytest.fixture(scope="module")
def sandbox():
    return make_sandbox("default")



def test_every_provider_serves_a_document():
    assert [p.key for p in PROVIDERS if not p.openapi_documents()] == []


def test_index_lists_every_document(sandbox):
    with asgi_client(sandbox) as client:
        listed = client.get("/_sandbox/openapi").json()["documents"]
        assert sorted(listed) == sorted(OWNER)
        missing = client.get("/_sandbox/openapi/nope.json")
        assert missing.status_code == 404 and "nope" in missing.json()["error"]


def test_a_namespace_documents_its_own_base_urls(sandbox):
    """A client generated from a namespace's document must talk to that namespace, not the default."""
    name = next(iter(OWNER))
    with asgi_client(sandbox) as client:
        plain = client.get(url(name)).json()["servers"]
        spaced = client.get("/_ns/team-a" + url(name)).json()["servers"]
        listed = client.get("/_ns/team-a/_sandbox/openapi").json()["documents"]
    assert [s["url"].replace("http://testserver", "http://testserver/_ns/team-a", 1) for s in plain] == [
        s["url"] for s in spaced
    ]
    assert all("/_ns/team-a/_sandbox/openapi/" in link for link in listed.values())


@pytest.mark.parametrize("name", DOCUMENTS)
def test_document_validates(sandbox, name):
    with asgi_client(sandbox) as client:
        doc = client.get(url(name)).json()
    validate(doc)
    assert doc["paths"], f"{name} documents no operation"
    assert all(s["url"].startswith("http://") for s in doc["servers"])


def test_control_document_names_the_served_providers():
    """The control plane's document is built per set of providers (its enums name them)."""
    with asgi_client(make_sandbox(text=shipped_text("default", ["whop"]), providers=["whop"])) as client:
        doc = client.get(url("_sandbox")).json()
    events = doc["paths"]["/events"]["get"]["parameters"]
    assert next(p for p in events if p["name"] == "provider")["schema"]["enum"] == ["whop"]


def declared(schema) -> dict[tuple[str, str], set[int]]:
    """(METHOD, path) → the statuses it declares that some request must produce, for each
    operation schemathesis tests (it leaves out the document's own URL)."""
    out = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        out[(operation.method.upper(), operation.path)] = {
            int(code) for code, reply in operation.definition.raw["responses"].items()
            if code.isdigit() and "x-sandbox-not-fuzzed" not in reply
        }
    return out


def fill(value: Any, sandbox, last: Any) -> Any:
    """An example's value with `$tenant:<provider>` and `$last#<pointer>` filled in."""
    if isinstance(value, dict):
        return {k: fill(v, sandbox, last) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, sandbox, last) for v in value]
    if isinstance(value, str) and value.startswith("$tenant:"):
        key = value.removeprefix("$tenant:")
        return sandbox.by_key[key].tenants(sandbox.state(key))[0].id
    if isinstance(value, str) and value.startswith("$last#"):
        for part in value.removeprefix("$last#").strip("/").split("/"):
            last = last[int(part)] if isinstance(last, list) else last[part]
        return last
    return value


def run_examples(schema, sandbox, chosen: Checks, provider: str, headers: dict[str, str], seen: Seen) -> None:
    last: Any = None
    operations = [result.ok() for result in schema.get_all_operations()]
    by_id = {op.definition.raw.get("operationId"): op for op in operations}
    changed = False
    for owner in operations:
        group = owner.definition.raw.get("x-sandbox-examples", [])
        if changed and group:  # each operation's examples start from the scenario's state
            sandbox.reset()
            changed = False
        changed = changed or any(by_id.get(e.get("operation_id"), owner).method.upper() != "GET" for e in group)
        for example in group:
            example = fill(example, sandbox, last)
            operation = by_id[example["operation_id"]] if "operation_id" in example else owner
            if example.get("fault"):  # the provider's own answer for this status, forced (POST /_sandbox/faults)
                retry_after = example["fault"].get("retry_after", 1) if isinstance(example["fault"], dict) else 1
                sandbox.faults.add(Fault(provider=provider, status=example["status"], count=1, path="",
                                         retry_after=retry_after), sandbox.scenario.seed)
            sent = {} if example.get("anonymous") else dict(headers)
            sent.update(example.get("headers", {}))
            case = operation.Case(
                path_parameters=example.get("path_parameters"), query=example.get("query"),
                body=example.get("body", NOT_SET), media_type=example.get("media_type"),
            )
            response = case.call_and_validate(headers=sent, checks=chosen)
            seen[(operation.method.upper(), operation.path)].add(response.status_code)
            assert response.status_code == example["status"], (operation.label, example, response.text[:300])
            try:
                last = response.json()
            except ValueError:
                last = None


def run_fuzz(schema, chosen: Checks, tenant: dict[str, str], headers: dict[str, str], seen: Seen) -> None:
    for result in schema.get_all_operations():
        operation = result.ok()
        fuzz(operation, chosen, tenant, headers, seen[(operation.method.upper(), operation.path)])


def fuzz(operation, chosen: Checks, tenant: dict[str, str], headers: dict[str, str], statuses: set[int]) -> None:
    @settings_for(EXAMPLES)
    @given(case=operation.as_strategy())
    def check(case):
        if case.path_parameters:
            case.path_parameters.update({k: v for k, v in tenant.items() if k in case.path_parameters})
        statuses.add(case.call_and_validate(headers=headers, checks=chosen).status_code)

    check()


def run_stateful(schema, chosen: Checks, headers: dict[str, str], seen: Seen) -> None:
    class Machine(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            seen[(case.operation.method.upper(), case.operation.path)].add(response.status_code)
            case.validate_response(response, checks=chosen, headers=headers)

    Machine.run(settings=settings_for(STATEFUL_RUNS, stateful_step_count=STATEFUL_STEPS))


def has_links(doc: dict[str, Any]) -> bool:
    return any("links" in reply for item in doc["paths"].values() for method, op in item.items()
               if method in HTTP_METHODS for reply in op["responses"].values())


@pytest.mark.parametrize("name", DOCUMENTS)
def test_fuzz(name):
    """Targeted examples, fuzzing, stateful runs, then: every declared status was answered."""
    sandbox = make_sandbox("default")
    schema = schemathesis.openapi.from_asgi(url(name), create_app(sandbox))
    raw = schema.raw_schema
    provider = raw["info"]["x-sandbox-provider"]
    headers = credential(sandbox, raw["info"])
    excluded = set(raw.get("x-sandbox-excluded-checks", []))
    chosen = [check for check in CHECKS if check.__name__ not in excluded]
    tenant = {}
    if "x-sandbox-tenant-parameter" in raw:
        tenant = {raw["x-sandbox-tenant-parameter"]: sandbox.by_key[provider].tenants(sandbox.state(provider))[0].id}
    seen: Seen = defaultdict(set)
    run_examples(schema, sandbox, chosen, provider, headers, seen)
    run_fuzz(schema, chosen, tenant, headers, seen)
    if has_links(raw):
        run_stateful(schema, chosen, headers, seen)
    missing = {f"{method} {path}: {sorted(codes - seen[(method, path)])}"
               for (method, path), codes in declared(schema).items() if codes - seen[(method, path)]}
    assert not missing, f"{name}: declared statuses no request produced (add x-sandbox-examples): {sorted(missing)}"


def test_cli_prints_a_document(capsys):
    """`dispute-sandbox openapi` lists the documents; with a name it prints the one served."""
    from sandbox.cli import main

    assert main(["openapi"]) == 0
    assert capsys.readouterr().out.split() == DOCUMENTS
    assert main(["openapi", "_sandbox", "--base-url", "http://sandbox:9000"]) == 0
    doc = orjson.loads(capsys.readouterr().out)
    validate(doc)
    assert doc["servers"] == [{"url": "http://sandbox:9000/_sandbox"}]
    assert main(["openapi", "nope"]) == 2
