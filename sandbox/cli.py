"""`dispute-sandbox serve | validate | scenarios` (and `python -m sandbox …`).

Every flag also reads its `SANDBOX_*` environment variable. Scenario problems exit 2 with one
`file:line: path: message` line each and no traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .clock import parse_clock_mode
from .providers import load_providers
from .runtime import Sandbox
from .scenario import ScenarioError, load_scenario_file, shipped_scenarios


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"SANDBOX_{name}", default)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dispute-sandbox", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve a scenario over HTTP")
    serve.add_argument("--host", default=_env("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(_env("PORT", "8000")))
    serve.add_argument(
        "--scenario",
        nargs="?",
        const="default",
        default=_env("SCENARIO", "default"),
        help="a YAML path or a shipped scenario name (default: default)",
    )
    serve.add_argument("--seed", type=int, default=_int_env("SEED"))
    serve.add_argument(
        "--clock",
        default=_env("CLOCK", "frozen"),
        help="frozen (moved only by /_sandbox/clock), realtime, or speed=N",
    )
    serve.add_argument("--log-level", default=_env("LOG_LEVEL", "warning"))

    validate = sub.add_parser("validate", help="check scenario files; exit 2 on problems")
    validate.add_argument("paths", nargs="+")

    sub.add_parser("scenarios", help="list the shipped scenarios")
    return parser


def _int_env(name: str) -> int | None:
    value = _env(name)
    return int(value) if value not in (None, "") else None


def banner(sandbox: Sandbox, host: str, port: int) -> list[str]:
    """One line per provider: base URL and the first tenant's credential, ready for curl."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    root = f"http://{shown}:{port}"
    lines = [f"Dispute Sandbox: scenario {sandbox.scenario.name!r} ({sandbox.scenario.file}), clock {sandbox.now().isoformat()}"]
    for provider in sandbox.providers:
        tenants = provider.tenants(sandbox.state(provider.key))
        credential = next((c for t in tenants for c in t.credentials), None)
        auth = f"{credential.header}: {credential.value}" if credential else "(no tenants)"
        tenant = f" tenant {tenants[0].id}" if tenants else ""
        lines.append(f"  {provider.title:<16} {root}{provider.base_path:<32}{tenant}  {auth}")
    lines.append(f"  control plane    {root}/_sandbox/health")
    return lines


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app

    try:
        speed = parse_clock_mode(args.clock)
    except ValueError as exc:
        print(f"dispute-sandbox: {exc}", file=sys.stderr)
        return 2
    sandbox = Sandbox(load_providers(), clock_speed=speed)
    try:
        sandbox.load_file(args.scenario, seed=args.seed)
    except ScenarioError as exc:
        print("\n".join(exc.lines), file=sys.stderr)
        return 2
    print("\n".join(banner(sandbox, args.host, args.port)), flush=True)
    uvicorn.run(
        create_app(sandbox),
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    providers = load_providers()
    failed = False
    for path in args.paths:
        try:
            scenario = load_scenario_file(path, providers)
        except ScenarioError as exc:
            print("\n".join(exc.lines), file=sys.stderr)
            failed = True
            continue
        try:  # build too: what validates must also load
            Sandbox(providers).load(scenario)
        except ScenarioError as exc:
            print("\n".join(exc.lines), file=sys.stderr)
            failed = True
            continue
        print(f"{path}: ok ({scenario.name})")
    return 2 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return cmd_serve(args)
    if args.command == "validate":
        return cmd_validate(args)
    print("\n".join(shipped_scenarios()))
    return 0
