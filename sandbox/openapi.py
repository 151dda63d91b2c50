"""OpenAPI 3.1 documents built from the same pydantic models that build the responses.

A provider describes each operation it serves (`Document.operation`) with its wire models; the
schemas come from `pydantic`'s own JSON Schema output (`models_json_schema`), so a field added to a
response model appears in the served document with no second declaration. The core serves the
documents at `/_sandbox/openapi/{name}.json` (see `Provider.openapi_documents`).
Reference: https://spec.openapis.org/oas/v3.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

# Extensions the contract test (tests/test_openapi_contracts.py) reads; a served document may carry them:
# - operation `x-sandbox-examples`: targeted requests, each `{"path_parameters", "query", "headers",
#   "body", "media_type", "anonymous", "operation_id", "fault", "status"}` (all optional but `status`;
#   `operation_id` sends it to that operation instead; `fault: true` forces `status` with a forced
#   fault, e.g. a 429's body and headers), sent once on a fresh sandbox; each must
#   answer `status`. They make the statuses random data rarely reaches real (a known id's 200, a 409).
#   In a string value, `$tenant:<provider>` stands for that provider's first tenant id and
#   `$last#<JSON pointer>` for a value in the previous example's answer (an id it created).
# - response `x-sandbox-not-fuzzed`: why no single request can produce this status (a race, a
#   delivered webhook); the test then does not require seeing it.
# - `info.x-sandbox-credential`: the credential the test sends, `{"header", "value"}` or
#   `{"tenant": i, "credential": j}` (indexes into the default scenario's `GET /_sandbox/scenario`).
# - document `x-sandbox-excluded-checks`: schemathesis checks the test leaves off for it (reasons in
#   its builder); `x-sandbox-tenant-parameter`: a path parameter fuzzing fills with the tenant's id.
EXTENSIONS = ("x-sandbox-examples", "x-sandbox-not-fuzzed", "x-sandbox-credential", "x-sandbox-excluded-checks",
              "x-sandbox-tenant-parameter")
REF_TEMPLATE = "#/components/schemas/{model}"
PLACEHOLDER = "sandbox-model:"  # stands for a model's `$ref` until pydantic names them all at once

Schema = dict[str, Any]
Body = type[BaseModel] | Schema  # a wire model, or a JSON Schema written out (a bare array, …)


@dataclass(frozen=True)
class Param:
    """One parameter: `where` is `query`, `path` or `header`; `schema` a JSON Schema (bounds,
    enums, patterns). `explode`/`style` as OpenAPI spells them, for repeated keys."""

    name: str
    where: Literal["query", "path", "header"]
    schema: Schema
    required: bool = False
    description: str = ""
    style: str | None = None
    explode: bool | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "in": self.where, "schema": self.schema}
        if self.required or self.where == "path":
            out["required"] = True
        if self.description:
            out["description"] = self.description
        if self.style is not None:
            out["style"] = self.style
        if self.explode is not None:
            out["explode"] = self.explode
        return out


@dataclass(frozen=True)
class Reply:
    """One documented response: a body (model or schema; None for no body), its media type and the
    headers it carries (name → JSON Schema)."""

    body: Body | None
    description: str = ""
    media_type: str = "application/json"
    headers: Mapping[str, Schema] = field(default_factory=dict)
    links: Mapping[str, dict[str, Any]] = field(default_factory=dict)  # OpenAPI Link objects by name
    extensions: Mapping[str, Any] = field(default_factory=dict)  # `x-…` keys (see EXTENSIONS)


@dataclass
class Document:
    """An OpenAPI document under construction. `security_schemes` as OpenAPI's
    `components.securitySchemes`; `security` the default requirement for every operation."""

    title: str
    version: str
    servers: list[str]
    security_schemes: dict[str, Schema] = field(default_factory=dict)
    security: list[dict[str, list[str]]] = field(default_factory=list)
    description: str = ""
    info_extensions: dict[str, Any] = field(default_factory=dict)  # `x-…` keys of `info` (see EXTENSIONS)
    _paths: dict[str, dict[str, Any]] = field(default_factory=dict)
    _models: dict[type[BaseModel], str] = field(default_factory=dict)  # model → placeholder ref

    def operation(
        self,
        method: str,
        path: str,
        *,
        operation_id: str,
        responses: Mapping[int | str, Reply],
        summary: str = "",
        params: Iterable[Param] = (),
        body: Body | None = None,
        body_media_type: str = "application/json",
        body_required: bool = True,
        security: list[dict[str, list[str]]] | None = None,
        tags: Iterable[str] = (),
        bodies: Mapping[str, Body] | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        """Add `method path` (`path` in OpenAPI's `{param}` form, relative to the servers).
        `bodies`: media type → body, where the route reads more than one; `extensions`: `x-…`
        keys of the operation (see EXTENSIONS)."""
        op: dict[str, Any] = {"operationId": operation_id}
        if summary:
            op["summary"] = summary
        if tags:
            op["tags"] = list(tags)
        if params:
            op["parameters"] = [p.to_json() for p in params]
        content = {body_media_type: body} if body is not None else {}
        content.update(bodies or {})
        if content:
            op["requestBody"] = {
                "required": body_required,
                "content": {media: {"schema": self.schema(one)} for media, one in content.items()},
            }
        op["responses"] = {str(status): self._reply(reply) for status, reply in responses.items()}
        if security is not None:
            op["security"] = security
        op.update(extensions or {})
        self._paths.setdefault(path, {})[method.lower()] = op

    def schema(self, body: Body) -> Schema:
        """A `$ref` to a model's schema (collected into components), or the schema as given."""
        if isinstance(body, type) and issubclass(body, BaseModel):
            ref = self._models.setdefault(body, f"{PLACEHOLDER}{len(self._models)}")
            return {"$ref": ref}
        return body

    def _reply(self, reply: Reply) -> dict[str, Any]:
        out: dict[str, Any] = {"description": reply.description or "response"}
        if reply.body is not None:
            out["content"] = {reply.media_type: {"schema": self.schema(reply.body)}}
        if reply.headers:
            out["headers"] = {name: {"schema": schema} for name, schema in reply.headers.items()}
        if reply.links:
            out["links"] = dict(reply.links)
        out.update(reply.extensions)
        return out

    def to_json(self) -> dict[str, Any]:
        """The finished document. Models are rendered in serialization mode (what the wire shows)."""
        schemas: dict[str, Any] = {}
        refs: dict[str, str] = {}
        if self._models:  # pydantic names clashing models apart; the placeholders take its names
            keyed, top = models_json_schema(
                [(model, "serialization") for model in self._models], ref_template=REF_TEMPLATE
            )
            schemas = top.get("$defs", {})
            refs = {placeholder: keyed[(model, "serialization")]["$ref"] for model, placeholder in self._models.items()}
        info: dict[str, Any] = {"title": self.title, "version": self.version}
        if self.description:
            info["description"] = self.description
        info.update(self.info_extensions)
        doc: dict[str, Any] = {
            "openapi": "3.1.0",
            "info": info,
            "servers": [{"url": url} for url in self.servers],
            "paths": _replace_refs(self._paths, refs),
            "components": {"schemas": schemas, "securitySchemes": self.security_schemes},
        }
        if self.security:
            doc["security"] = self.security
        return doc


def _replace_refs(node: Any, refs: Mapping[str, str]) -> Any:
    """A copy of `node` with each placeholder `$ref` replaced by pydantic's name for the model."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref in refs:
            return {**node, "$ref": refs[ref]}
        return {key: _replace_refs(value, refs) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace_refs(value, refs) for value in node]
    return node
