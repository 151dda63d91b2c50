"""What the server imports before its first request: none of the modules only some requests (or
only the tests) need, so that start-up stays cheap (docs/architecture.md; speed itself is in bench/)."""

import json
import subprocess
import sys

# imported on first use: OpenAPI builders (GET /_sandbox/openapi), PyJWT (OrderProtection session
# tokens), standardwebhooks (signing a webhook); test dependencies never
LAZY = ("sandbox.openapi", "sandbox.control_openapi", "jwt", "standardwebhooks", "schemathesis", "hypothesis",
        "pytest", "httpx", "jinja2")

PROBE = """
import json, sys
from sandbox import cli
from sandbox.app import create_app
args = cli.build_parser().parse_args(["serve"])
sandbox = cli._loaded(args)
create_app(sandbox, cli.settings_of(args), cli._namespaces(sandbox, args))
print(json.dumps(sorted(sys.modules)))
"""


def test_serving_the_default_scenario_imports_nothing_lazy():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True)
    loaded = set(json.loads(out.stdout.splitlines()[-1]))
    assert "sandbox.providers.whop" in loaded  # the probe did load the providers
    early = sorted(m for m in loaded if m.split(".")[0] in LAZY or m in LAZY or m.endswith(".openapi"))
    assert early == []
