"""The provider registry: the one list the app reads. A new provider is one folder and one line."""

from __future__ import annotations

import importlib

from ..provider import Provider

REGISTRY = [
    "whop",
    "orderprotection",
    "pandabase",
    "shoplazza",
    "riverty",
]


def load_providers(names: list[str] | None = None) -> list[Provider]:
    return [importlib.import_module(f"{__name__}.{name}").provider for name in names or REGISTRY]
