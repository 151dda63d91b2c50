"""The provider registry: the one list the app reads. A new provider is one folder and one line."""

from __future__ import annotations

import importlib

from ..lazy import defer_submodules
from ..provider import Provider

REGISTRY = [
    "whop",
    "orderprotection",
    "pandabase",
    "shoplazza",
    "riverty",
]

# a provider's wire models (pydantic classes, whose creation is most of their import) and request-body
# validators (OrderProtection's bodies.py: only a write calls them): bound when a module imports them
# (`from . import wire`), made by the first request that uses them (sandbox/lazy.py)
LAZY_SUBMODULES = ("wire", "dispute_wire", "bodies")
defer_submodules([f"{__name__}.{name}" for name in REGISTRY], LAZY_SUBMODULES)


def load_providers(names: list[str] | None = None) -> list[Provider]:
    return [importlib.import_module(f"{__name__}.{name}").provider for name in names or REGISTRY]
