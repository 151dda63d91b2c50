"""What the server does before its first request: it imports none of the modules only some requests
(or only the tests) need, compiles no route pattern, and avoids the costs listed in
docs/architecture.md (Start-up), so that start-up stays cheap (speed itself is in bench/)."""

import json
import os
import subprocess
import sys

# imported on first use: OpenAPI builders (GET /_sandbox/openapi), PyJWT (OrderProtection session
# tokens), standardwebhooks (signing a webhook), the SQLite store (--state-file), numpy.ma (np.unique's
# first call imports it: bulk columns use sandbox.bulk.member instead of np.isin); test dependencies never
LAZY = ("sandbox.openapi", "sandbox.control_openapi", "jwt", "standardwebhooks", "schemathesis", "hypothesis",
        "pytest", "httpx", "jinja2", "sqlite3", "sandbox.persist", "numpy.ma",
        # the routes no provider request needs, imported on their first call (sandbox/lazy.py): the
        # core's webhook, journal, OpenAPI, faults/drills and dashboard routes
        "sandbox.webhook_routes", "sandbox.journal_routes", "sandbox.openapi_routes", "sandbox.drill_routes",
        "sandbox.ui.pages",
        # OrderProtection's webhook payload shapes (pydantic classes made at import): with the first delivery
        "sandbox.providers.orderprotection.webhooks")
# each provider's modules of the same kind: its /_sandbox controls, its dashboard, and the API parts
# no first list call needs (Pandabase's webhook endpoints, Shoplazza's webhook API and OAuth flow,
# OrderProtection's orders API and session tokens)
PROVIDER_LAZY = ("control", "dispute_control", "ui", "webhook_api", "subscriptions", "oauth", "orders_api", "session",
                 # its wire models (pydantic classes): bound at start, made with the first request (sandbox/providers/__init__.py LAZY_SUBMODULES)
                 "wire", "dispute_wire",
                 # OrderProtection's body validators: made with the first write (LAZY_SUBMODULES too)
                 "bodies")

# what `dispute-sandbox serve` does before it binds its port, the app in `app` (each probe starts with it)
SERVE = """
import json, sys
from sandbox import cli
from sandbox.app import create_app
args = cli.build_parser().parse_args(["serve"])
sandbox = cli._loaded(args)
app = create_app(sandbox, cli.settings_of(args), cli._namespaces(sandbox, args))
"""

PROBE = SERVE + """
from sandbox.lazy import is_loaded
print(json.dumps(sorted(name for name, module in list(sys.modules.items()) if is_loaded(module))))
"""


def test_serving_the_default_scenario_imports_nothing_lazy():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True)
    loaded = set(json.loads(out.stdout.splitlines()[-1]))
    assert "sandbox.providers.whop" in loaded  # the probe did load the providers
    early = sorted(m for m in loaded if m.split(".")[0] in LAZY or m in LAZY or m.endswith(".openapi")
                   or (m.startswith("sandbox.providers.") and m.rsplit(".", 1)[1] in PROVIDER_LAZY))
    assert early == []


WIRE_PROBE = SERVE + """
from sandbox.lazy import is_loaded
from sandbox.providers import REGISTRY
from starlette.testclient import TestClient
from bench.scenarios import DEFAULT_LISTS
wires = [f"sandbox.providers.{p}.wire" for p in REGISTRY]
before = [is_loaded(sys.modules[m]) for m in wires]
with TestClient(app) as client:
    statuses = [client.get(path, headers=headers).status_code for path, headers in DEFAULT_LISTS.values()]
print(json.dumps([before, [is_loaded(sys.modules[m]) for m in wires], statuses]))
"""


def test_wire_models_are_bound_at_start_and_made_by_the_first_request():
    """The lazy modules are in sys.modules from the start (one copy of each class) and really load
    when a request first serializes (checked to fail with the lazy binding made eager)."""
    out = subprocess.run([sys.executable, "-c", WIRE_PROBE], capture_output=True, text=True, timeout=120, check=True)
    before, after, statuses = json.loads(out.stdout.splitlines()[-1])
    assert before == [False] * 5
    assert statuses == [200] * 5
    assert after == [True] * 5


def test_binding_an_ascii_host_needs_no_idna_codec():
    """getaddrinfo encodes a str host with the idna codec (stringprep, unicodedata: a few ms of a
    start); the CLI hands it an ASCII name as bytes."""
    probe = ("import sys\nfrom sandbox import cli\nsock = cli._bind('localhost', 0)\nsock.close()\n"
             "print('encodings.idna' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["False"]


RUN_PROBE = """
import os, sys
from sandbox import __main__ as entry, cli
cli.main = lambda argv=None: 0  # the command's set-up, no server
entry.run()
print(os.environ.get("OPENBLAS_NUM_THREADS"))
"""


def test_the_server_command_runs_numpy_with_one_blas_thread_unless_the_user_chose():
    """OpenBLAS threads spin at numpy's import (a quarter of a start's CPU); the server makes no
    BLAS call, so its command asks for one thread, and leaves a user's own choice alone."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", RUN_PROBE], capture_output=True, text=True, timeout=120, check=True, env=env)
    assert out.stdout.split()[-1] == "1"
    out = subprocess.run([sys.executable, "-c", RUN_PROBE], capture_output=True, text=True, timeout=120, check=True,
                         env={**env, "OPENBLAS_NUM_THREADS": "3"})
    assert out.stdout.split()[-1] == "3"


PLUGIN_PROBE = RUN_PROBE.replace('"OPENBLAS_NUM_THREADS"', '"PYDANTIC_DISABLE_PLUGINS"')


def test_the_server_command_skips_pydantic_plugin_discovery_unless_the_user_chose():
    """pydantic reads every installed distribution's metadata for plugins at its first validator;
    the server uses none, so its command turns the search off, and leaves a user's setting alone."""
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    out = subprocess.run([sys.executable, "-c", PLUGIN_PROBE], capture_output=True, text=True, timeout=120, check=True,
                         env=env)
    assert out.stdout.split()[-1] == "__all__"
    out = subprocess.run([sys.executable, "-c", PLUGIN_PROBE], capture_output=True, text=True, timeout=120, check=True,
                         env={**env, "PYDANTIC_DISABLE_PLUGINS": "logfire"})
    assert out.stdout.split()[-1] == "logfire"


ROUTES_PROBE = SERVE + """
from sandbox.routing import Route, is_compiled
from starlette.routing import Mount
from starlette.testclient import TestClient
from bench.scenarios import DEFAULT_LISTS

def ours(routes, prefix=""):
    for route in routes:
        if isinstance(route, Mount):
            yield from ours(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            yield prefix + route.path, route

def compiled():
    return sorted(path for path, route in ours(app.routes) if is_compiled(route))

before = compiled()
with TestClient(app) as client:
    statuses = [client.get(path, headers=headers).status_code for path, headers in DEFAULT_LISTS.values()]
print(json.dumps([len(list(ours(app.routes))), before, compiled(), statuses]))
"""


def test_route_patterns_compile_when_a_request_first_reaches_them():
    """No route of ours is compiled by a start; the five list calls compile the route each was
    matched to, and no other: the router's literal-start check skips the rest (sandbox/routing.py).
    Seen failing with the patterns compiled in `Route.__init__` as Starlette does."""
    out = subprocess.run([sys.executable, "-c", ROUTES_PROBE], capture_output=True, text=True, timeout=120, check=True)
    declared, before, after, statuses = json.loads(out.stdout.splitlines()[-1])
    assert declared > 100
    assert before == []
    assert statuses == [200] * 5
    assert after == ["/orderprotection/v1/claims", "/pandabase/v2/core/stores/{storeId}/cases",
                     "/riverty/{clientId}/disputes", "/shoplazza/openapi/{version}/shoplazza-payment/disputes",
                     "/whop/api/v1/resolution_center_cases"]


def test_no_scenario_model_field_uses_the_list_builtin_as_its_default_factory():
    """pydantic reads a default factory's signature whenever it builds a model, and the builtin
    `list`'s costs more than ten times a function's (sandbox/scenario.py `empty_list`): every scenario model
    is built by a start that has its section."""
    from sandbox.providers import load_providers
    from sandbox.scenario import Strict

    load_providers()
    models, todo = [], [Strict]
    while todo:
        model = todo.pop()
        models.append(model)
        todo.extend(model.__subclasses__())
    assert len(models) > 40
    offenders = [f"{model.__module__}.{model.__qualname__}.{name}" for model in models
                 for name, info in model.model_fields.items() if info.default_factory is list]
    assert offenders == []


def test_every_dataclass_of_the_package_has_its_own_docstring():
    """`dataclasses` makes a class without a docstring one from `inspect.signature`, a fifth of the
    class's creation; ours are documented instead (pkgutil walks every module of the package)."""
    import dataclasses
    import importlib
    import pkgutil

    import sandbox

    undocumented, seen = [], 0
    for info in pkgutil.walk_packages(sandbox.__path__, "sandbox."):
        module = importlib.import_module(info.name)
        for value in list(vars(module).values()):
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == info.name:
                seen += 1
                if not value.__dict__.get("__doc__") or value.__doc__.startswith(value.__name__ + "("):
                    undocumented.append(f"{info.name}.{value.__qualname__}")
    assert seen > 80
    assert undocumented == []


def test_every_provider_route_compiles_on_first_use():
    """Each provider's routes and control routes are sandbox.routing's Route, not Starlette's."""
    from starlette.routing import Route as StarletteRoute

    from sandbox.providers import load_providers
    from sandbox.routing import Route

    providers = load_providers()
    routes = [(p.key, r) for p in providers for r in [*p.routes, *p.control_routes] if isinstance(r, StarletteRoute)]
    assert len(routes) > 80
    assert [f"{key} {route.path}" for key, route in routes if not isinstance(route, Route)] == []
