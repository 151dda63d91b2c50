"""`dispute-sandbox serve | validate | scenarios` (and `python -m sandbox …`).

Every flag also reads its `SANDBOX_*` environment variable. Scenario problems exit 2 with one
`file:line: path: message` line each and no traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Sequence

import uvicorn

from .app import create_app
from .clock import parse_clock_mode
from .providers import load_providers
from .runtime import Sandbox
from .scenario import ScenarioError, load_scenario_file, shipped_scenarios
from .webhooks import WebhookAllow


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"SANDBOX_{name}", default)


WEBHOOK_ALLOW_HELP = "webhook targets allowed: host names, .domains, IP networks (CIDR) or *, comma-separated (default: loopback)"


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
    serve.add_argument("--webhook-allow", default=_env("WEBHOOK_ALLOW", ""), help=WEBHOOK_ALLOW_HELP)

    validate = sub.add_parser("validate", help="check scenario files; exit 2 on problems")
    validate.add_argument("paths", nargs="+")

    demo = sub.add_parser(
        "demo", help="serve a scenario and print every record change as the clock moves"
    )
    demo.add_argument("scenario", nargs="?", default="expiring-disputes")
    demo.add_argument("--host", default=_env("HOST", "127.0.0.1"))
    demo.add_argument("--port", type=int, default=int(_env("PORT", "8000")))
    demo.add_argument(
        "--auto",
        metavar="DURATION",
        help="advance the clock by DURATION (e.g. 6h) every --every seconds, by itself",
    )
    demo.add_argument("--every", type=float, default=2.0)
    demo.add_argument("--webhook-allow", default=_env("WEBHOOK_ALLOW", ""), help=WEBHOOK_ALLOW_HELP)
    demo.add_argument("--until", metavar="DURATION", default="30d", help="stop auto-advancing after this much")

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


class UsageError(Exception):
    """A bad flag or scenario: printed as is, exit 2, no traceback."""


def _loaded(args: argparse.Namespace, speed: float = 0.0, seed: int | None = None) -> Sandbox:
    try:
        allow = WebhookAllow.parse(getattr(args, "webhook_allow", ""))
    except ValueError as exc:
        raise UsageError(f"dispute-sandbox: {exc}") from None
    # the server process holds nothing but the sandbox: freezing its worlds spares the collector
    # full passes (88 ms over scenarios/large.yaml unfrozen, under 1 ms frozen)
    sandbox = Sandbox(load_providers(), clock_speed=speed, webhook_allow=allow, freeze_gc=True)
    try:
        sandbox.load_file(args.scenario, seed=seed)
    except ScenarioError as exc:
        raise UsageError("\n".join(exc.lines)) from None
    return sandbox


def _server(sandbox: Sandbox, args: argparse.Namespace, log_level: str = "warning"):
    """The uvicorn server for a loaded sandbox, after printing the banner."""
    print("\n".join(banner(sandbox, args.host, args.port)), flush=True)
    config = uvicorn.Config(
        create_app(sandbox),
        host=args.host,
        port=args.port,
        log_level=log_level,
        access_log=False,
        timeout_graceful_shutdown=1,
        ws="none",  # no websocket routes: skip importing a websocket stack at start
    )
    return uvicorn.Server(config)


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        speed = parse_clock_mode(args.clock)
    except ValueError as exc:
        raise UsageError(f"dispute-sandbox: {exc}") from None
    _server(_loaded(args, speed, args.seed), args, args.log_level).run()
    return 0


def describe(event) -> str:
    """One demo line: when, who, what changed."""
    changes = [v for v in event.data.values() if isinstance(v, dict) and {"from", "to"} <= v.keys()]
    if changes:
        what = ", ".join(f"{c['from']} -> {c['to']}" for c in changes)
    else:
        what = ", ".join(f"{k}={v}" for k, v in event.data.items() if not isinstance(v, (dict, list)))
    return f"{event.at.isoformat()}  {event.provider:<16} {event.object_id:<28} {event.type:<36} {what}"


def cmd_demo(args: argparse.Namespace) -> int:
    """Serve a scenario; print each domain event; optionally move the clock on a timer."""
    from .timefmt import parse_duration

    try:
        step = parse_duration(args.auto) if args.auto else None
        until = parse_duration(args.until)
    except ValueError as exc:
        raise UsageError(f"dispute-sandbox: {exc}") from None
    sandbox = _loaded(args)
    sandbox.listen(lambda event: print(describe(event), flush=True))
    root = f"http://{args.host}:{args.port}"
    server = _server(sandbox, args)
    print(f"Move the clock: curl -X POST {root}/_sandbox/clock/advance -d '{{\"duration\": \"1d\"}}'", flush=True)
    if step is not None:
        end = sandbox.now() + until
        threading.Thread(target=_tick, args=(server, sandbox, root, args.auto, step, end, args.every), daemon=True).start()
    server.run()
    return 0


def _tick(server, sandbox: Sandbox, root: str, label: str, step, end, every: float) -> None:
    """Advance the clock by `step` every `every` real seconds until `end`, through the HTTP API
    (so each move runs on the server's own loop, like a user's curl)."""
    import httpx

    while not server.started:
        time.sleep(0.05)
    while not server.should_exit and sandbox.now() + step <= end:
        time.sleep(every)
        print(f"-- clock +{label}", flush=True)
        httpx.post(f"{root}/_sandbox/clock/advance", json={"duration": label})


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
    commands = {"serve": cmd_serve, "validate": cmd_validate, "demo": cmd_demo}
    if args.command not in commands:
        print("\n".join(shipped_scenarios()))
        return 0
    try:
        return commands[args.command](args)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
