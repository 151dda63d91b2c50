"""`/_sandbox/openapi`: each provider's OpenAPI documents, as `Provider.openapi_documents` builds them.

Documents are built on first request and kept (they depend on code, not on the scenario). Server
URLs are given relative to the sandbox root by the provider and made absolute here from the
request's own base URL, so a generated client or a fuzzer pointed at the document reaches this
sandbox however it is addressed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from starlette.requests import Request

from .access import sandbox_of
from .control import ControlError
from .jsonresp import JSON
from .provider import Provider

_built: dict[str, dict[str, Any]] = {}


CONTROL = "_sandbox"  # the control plane's document, by name (`dispute-sandbox openapi _sandbox`)
Builder = Callable[[], dict[str, Any]]


def documents_of(providers: Sequence[Provider]) -> dict[str, tuple[str, Builder]]:
    """Every served document name → (its provider's key, its builder)."""
    return {name: (p.key, build) for p in providers for name, build in p.openapi_documents().items()}


def builders(request: Request) -> dict[str, tuple[str, Builder]]:
    return documents_of(sandbox_of(request).providers)


def served_document(providers: Sequence[Provider], name: str, base_url: str) -> dict[str, Any] | None:
    """The document `name` (a provider's, or CONTROL) as served at `base_url`; None if unknown."""
    if name == CONTROL:
        key = "_sandbox:" + ",".join(p.key for p in providers)
        from .control_openapi import control_document  # its models and builder: only when asked for

        return document(key, "", lambda: control_document(providers), base_url)
    found = documents_of(providers).get(name)
    return document(name, *found, base_url) if found else None


def document(name: str, owner: str, build: Builder, base_url: str) -> dict[str, Any]:
    """The built document (kept under `name`) with absolute server URLs; `info.x-sandbox-provider` names its provider
    (an OpenAPI extension field), so a fuzzer knows which credentials it needs."""
    doc = _built.get(name)
    if doc is None:
        doc = _built[name] = build()
    servers = [{**s, "url": base_url + s["url"]} if s["url"].startswith("/") else s for s in doc.get("servers", [])]
    return {**doc, "info": {**doc["info"], "x-sandbox-provider": owner}, "servers": servers}


def served_at(request: Request) -> str:
    """The request's base URL, with its namespace's `/_ns/{name}` prefix when it came through one, so
    a client generated from a namespace's document talks to that namespace."""
    return str(request.base_url).rstrip("/") + str(request.scope.get("sandbox.prefix", ""))


async def index(request: Request) -> JSON:
    base = served_at(request)
    return JSON({"documents": {name: f"{base}/_sandbox/openapi/{name}.json" for name in builders(request)}})


async def served(request: Request) -> JSON:
    name = request.path_params["name"]
    found = builders(request).get(name)
    if found is None:
        raise ControlError(f"no OpenAPI document {name!r}; GET /_sandbox/openapi lists them", 404)
    return JSON(document(name, *found, served_at(request)))


async def control(request: Request) -> JSON:
    """The control plane's document: it names the providers this sandbox serves, so it is kept
    per set of providers."""
    doc = served_document(sandbox_of(request).providers, CONTROL, served_at(request))
    assert doc is not None
    return JSON(doc)
