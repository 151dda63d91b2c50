"""`/_sandbox/openapi`: each provider's OpenAPI documents, as `Provider.openapi_documents` builds them.

Documents are built on first request and kept (they depend on code, not on the scenario). Server
URLs are given relative to the sandbox root by the provider and made absolute here from the
request's own base URL, so a generated client or a fuzzer pointed at the document reaches this
sandbox however it is addressed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from .access import sandbox_of
from .control import ControlError
from .jsonresp import JSON

_built: dict[str, dict[str, Any]] = {}


def builders(request: Request) -> dict[str, tuple[str, Callable[[], dict[str, Any]]]]:
    """Every served document name → (its provider's key, its builder)."""
    return {
        name: (p.key, build) for p in sandbox_of(request).providers for name, build in p.openapi_documents().items()
    }


def document(name: str, owner: str, build: Callable[[], dict[str, Any]], base_url: str) -> dict[str, Any]:
    """The built document with absolute server URLs; `info.x-sandbox-provider` names its provider
    (an OpenAPI extension field), so a fuzzer knows which credentials it needs."""
    doc = _built.get(name)
    if doc is None:
        doc = _built[name] = build()
    servers = [{**s, "url": base_url + s["url"]} if s["url"].startswith("/") else s for s in doc.get("servers", [])]
    return {**doc, "info": {**doc["info"], "x-sandbox-provider": owner}, "servers": servers}


async def index(request: Request) -> JSON:
    base = str(request.base_url).rstrip("/")
    return JSON({"documents": {name: f"{base}/_sandbox/openapi/{name}.json" for name in builders(request)}})


async def served(request: Request) -> JSON:
    name = request.path_params["name"]
    found = builders(request).get(name)
    if found is None:
        raise ControlError(f"no OpenAPI document {name!r}; GET /_sandbox/openapi lists them", 404)
    return JSON(document(name, *found, str(request.base_url).rstrip("/")))


ROUTES = [
    Route("/openapi", index, methods=["GET"]),
    Route("/openapi/{name}.json", served, methods=["GET"]),
]


def control_document() -> dict[str, Any]:
    """The control plane's own document (`GET /_sandbox/openapi.json`)."""
    from .openapi import Document, Reply

    doc = Document("Dispute Sandbox control plane", "1", servers=["/_sandbox"])
    doc.operation("GET", "/health", operation_id="health",
                  responses={200: Reply({"type": "object", "required": ["status"],
                                         "properties": {"status": {"const": "ok"}}})})
    return doc.to_json()


async def control(request: Request) -> JSON:
    return JSON(document("_sandbox", "", control_document, str(request.base_url).rstrip("/")))


ROUTES.insert(0, Route("/openapi.json", control, methods=["GET"]))
