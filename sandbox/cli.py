"""`dispute-sandbox serve | demo | validate | scenarios` (and `python -m sandbox …`).

Every flag also reads its `SANDBOX_*` environment variable (a flag beats its variable). A bad flag,
variable or scenario is one line on stderr and exit 2, never a traceback; SIGTERM and Ctrl-C stop
the server cleanly with exit 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import logging
import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Generator, Sequence
from datetime import datetime, timedelta
from typing import Any, NoReturn

import uvicorn

from . import __version__
from .app import create_app
from .clock import parse_clock_mode
from .events import Event
from .journal import DEFAULT_SIZE as DEFAULT_JOURNAL_SIZE
from .journal import MAX_SIZE as MAX_JOURNAL_SIZE
from .namespaces import Namespaces
from .providers import load_providers
from .runtime import Sandbox
from .scenario import MAX_SEED, ScenarioError, ScenarioLimits, load_scenario_file, shipped_scenarios
from .settings import Settings
from .timefmt import parse_duration
from .webhooks import WebhookAllow

WEBHOOK_ALLOW_HELP = "webhook targets allowed: host names, .domains, IP networks (CIDR) or *, comma-separated (default: loopback)"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
_SIZE = re.compile(r"^(\d+)\s*([kmg]?)(?:i?b)?$", re.IGNORECASE)


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"SANDBOX_{name}", default)


def _flag_type(variable: str, convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse type whose one-line error also names the variable the value may come from."""

    def parse(text: str) -> Any:
        try:
            return convert(text)
        except (ValueError, TypeError) as exc:
            raise argparse.ArgumentTypeError(f"{exc} (from the flag or {variable})") from None

    parse.__name__ = variable
    return parse


def _int_between(low: int, high: int) -> Callable[[str], int]:
    def convert(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError(f"{text!r} is not an integer") from None
        if not low <= value <= high:
            raise ValueError(f"{value} is not within {low}..{high}")
        return value

    return convert


def _size(text: str) -> int:
    """`1000`, `64KiB`, `25MiB`, `1G` (binary multiples) → bytes."""
    match = _SIZE.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a size like 1000, 64KiB or 25MiB")
    value: int = int(match.group(1)) * 1024 ** " kmg".index(match.group(2).lower() or " ")
    if value < 1:
        raise ValueError("must be at least 1 byte")
    return value


def _log_level(text: str) -> str:
    level = text.strip().lower()
    if level not in LOG_LEVELS:
        raise ValueError(f"{text!r} is not one of {', '.join(LOG_LEVELS)}")
    return level


def _yes(text: str | None) -> bool:
    return (text or "").strip().lower() in ("1", "true", "yes", "on")


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line, exit 2 (argparse's own usage block buries the one line that matters)."""
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def _serving_flags(parser: argparse.ArgumentParser) -> None:
    """The flags `serve` and `demo` share; every one reads its variable."""
    parser.add_argument("--host", default=_env("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=_flag_type("SANDBOX_PORT", _int_between(0, 65535)),
                        default=_env("PORT", "8000"))
    parser.add_argument("--seed", type=_flag_type("SANDBOX_SEED", _int_between(0, MAX_SEED)),
                        default=_env("SEED") or None,
                        help="the seed of every scenario this server loads (unless a POST body names one)")
    parser.add_argument("--log-level", type=_flag_type("SANDBOX_LOG_LEVEL", _log_level),
                        default=_env("LOG_LEVEL", "warning"), help=", ".join(LOG_LEVELS))
    parser.add_argument("--control-token", default=_env("CONTROL_TOKEN") or None,
                        help="require `Authorization: Bearer TOKEN` on every /_sandbox call but /_sandbox/health")
    parser.add_argument("--allow-open-control", action="store_true", default=_yes(_env("ALLOW_OPEN_CONTROL")),
                        help="serve beyond loopback without a control token (SANDBOX_ALLOW_OPEN_CONTROL=1)")
    parser.add_argument("--webhook-allow", default=_env("WEBHOOK_ALLOW", ""), help=WEBHOOK_ALLOW_HELP)
    parser.add_argument("--max-body", type=_flag_type("SANDBOX_MAX_BODY", _size),
                        default=_env("MAX_BODY", str(Settings.max_body)), help="request body limit (default 25MiB)")
    parser.add_argument("--journal-size", type=_flag_type("SANDBOX_JOURNAL_SIZE", _int_between(0, MAX_JOURNAL_SIZE)),
                        default=_env("JOURNAL_SIZE", str(DEFAULT_JOURNAL_SIZE)),
                        help=f"requests kept in the journal, GET /_sandbox/requests (default {DEFAULT_JOURNAL_SIZE}; 0: off)")
    parser.add_argument("--access-log", action="store_true", default=_yes(_env("ACCESS_LOG")),
                        help="one line a request: method, path, status, ms, refusal reason (SANDBOX_ACCESS_LOG=1)")
    parser.add_argument("--max-namespaces", type=_flag_type("SANDBOX_MAX_NAMESPACES", _int_between(0, 100_000)),
                        default=_env("MAX_NAMESPACES", str(Settings.max_namespaces)),
                        help=f"namespaces (/_ns/NAME/...) besides the default one (default {Settings.max_namespaces})")
    parser.add_argument("--state-file", default=_env("STATE_FILE") or None, metavar="PATH",
                        help="keep every acknowledged change in this SQLite file and restore it on start")
    _limit_flags(parser)


def _limit_flags(parser: argparse.ArgumentParser) -> None:
    """What one scenario document may cost (docs/security.md); `validate` takes them too."""
    d = ScenarioLimits()
    parser.add_argument("--max-scenario-bytes", type=_flag_type("SANDBOX_MAX_SCENARIO_BYTES", _size),
                        default=_env("MAX_SCENARIO_BYTES", str(d.max_bytes)), help="scenario YAML size (default 1MiB)")
    parser.add_argument("--max-yaml-depth", type=_flag_type("SANDBOX_MAX_YAML_DEPTH", _int_between(1, 1000)),
                        default=_env("MAX_YAML_DEPTH", str(d.max_depth)), help=f"nesting levels (default {d.max_depth})")
    parser.add_argument("--max-yaml-aliases", type=_flag_type("SANDBOX_MAX_YAML_ALIASES", _int_between(0, 10**9)),
                        default=_env("MAX_YAML_ALIASES", str(d.max_alias_nodes)),
                        help=f"YAML nodes that aliases may copy in, nested copies counted (default {d.max_alias_nodes})")
    parser.add_argument("--max-records", type=_flag_type("SANDBOX_MAX_RECORDS", _int_between(0, 10**9)),
                        default=_env("MAX_RECORDS", str(d.max_records)),
                        help=f"generated records across all providers (default {d.max_records})")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="dispute-sandbox", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--version", action="version", version=f"dispute-sandbox {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser, metavar="COMMAND")

    serve = sub.add_parser("serve", help="serve a scenario over HTTP")
    serve.add_argument(
        "--scenario",
        nargs="?",
        const="default",
        default=_env("SCENARIO", "default"),
        help="a YAML path or a shipped scenario name (default: default)",
    )
    serve.add_argument(
        "--clock",
        default=_env("CLOCK", "frozen"),
        help="frozen (moved only by /_sandbox/clock), realtime, or speed=N",
    )
    _serving_flags(serve)

    demo = sub.add_parser("demo", help="serve a scenario and print every record change as the clock moves")
    demo.add_argument("scenario", nargs="?", default="expiring-disputes")
    demo.add_argument(
        "--auto",
        metavar="DURATION",
        help="advance the clock by DURATION (e.g. 6h) every --every seconds, by itself",
    )
    demo.add_argument("--every", type=_flag_type("--every", float), default=2.0)
    demo.add_argument("--until", metavar="DURATION", default="30d", help="stop auto-advancing after this much")
    demo.set_defaults(clock="frozen")
    _serving_flags(demo)

    export = sub.add_parser("export", help="print a running sandbox's state as a scenario YAML (GET /_sandbox/export)")
    export.add_argument("url", help="the sandbox's root URL, e.g. http://127.0.0.1:8000")
    export.add_argument("--namespace", help="a namespace's state instead of the default one")
    export.add_argument("--control-token", default=_env("CONTROL_TOKEN") or None)

    validate = sub.add_parser("validate", help="check scenario files; exit 2 on problems")
    validate.add_argument("paths", nargs="+")
    _limit_flags(validate)

    sub.add_parser("scenarios", help="list the shipped scenarios (the names POST /_sandbox/scenario takes)")

    openapi = sub.add_parser("openapi", help="print an OpenAPI document (no NAME: list them; _sandbox: the control plane)")
    openapi.add_argument("name", nargs="?")
    openapi.add_argument("--base-url", default="http://127.0.0.1:8000",
                         help="the sandbox's address the servers are given at (default http://127.0.0.1:8000)")
    return parser


def limits_of(args: argparse.Namespace) -> ScenarioLimits:
    return ScenarioLimits(
        max_bytes=args.max_scenario_bytes,
        max_depth=args.max_yaml_depth,
        max_alias_nodes=args.max_yaml_aliases,
        max_records=args.max_records,
    )


def settings_of(args: argparse.Namespace) -> Settings:
    return Settings(
        max_body=args.max_body,
        control_token=args.control_token,
        control_locked=is_exposed(args),
        seed=args.seed,
        limits=limits_of(args),
        access_log=args.access_log,
        max_namespaces=args.max_namespaces,
    )


def banner(sandbox: Sandbox, host: str, port: int) -> list[str]:
    """One line per provider: base URL and the first tenant's credential, ready for curl."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    root = f"http://{shown}:{port}"
    scenario = sandbox.scenario
    assert scenario is not None
    lines = [f"Dispute Sandbox: scenario {scenario.name!r} ({scenario.file}), clock {sandbox.now().isoformat()}"]
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


def _loaded(args: argparse.Namespace, name: str | None = None, speed: float = 0.0) -> Sandbox:
    """The sandbox serving `name` (default: `args.scenario`), built with the flags' limits."""
    try:
        allow = WebhookAllow.parse(args.webhook_allow)
    except ValueError as exc:
        raise UsageError(f"dispute-sandbox: {exc}") from None  # the message names --webhook-allow
    # the server process holds nothing but the sandbox: freezing its worlds spares the collector
    # full passes (88 ms over scenarios/large.yaml unfrozen, under 1 ms frozen)
    sandbox = Sandbox(load_providers(), clock_speed=speed, webhook_allow=allow, freeze_gc=True,
                      journal_size=args.journal_size)
    try:
        scenario = load_scenario_file(name or args.scenario, sandbox.providers, limits_of(args))
        sandbox.load(scenario, args.seed)
    except ScenarioError as exc:
        raise UsageError("\n".join(exc.lines)) from None
    return sandbox


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_exposed(args: argparse.Namespace) -> bool:
    """Beyond loopback with neither a control token nor the waiver: the control plane (which loads
    and resets everything) is then locked, while the providers serve as usual."""
    return not (is_loopback(args.host) or args.control_token or args.allow_open_control)


def _check_exposure(args: argparse.Namespace) -> None:
    if is_exposed(args):
        print(
            f"dispute-sandbox: serving on {args.host} without a control token: /_sandbox is locked (health "
            "excepted); set --control-token / SANDBOX_CONTROL_TOKEN, or waive with SANDBOX_ALLOW_OPEN_CONTROL=1",
            file=sys.stderr,
            flush=True,
        )


def _bind(host: str, port: int) -> socket.socket:
    try:
        # an ASCII name as bytes: a str goes through the idna codec, whose import (stringprep,
        # unicodedata) costs a few ms of every start and changes nothing for an ASCII name
        name = host.encode() if host.isascii() else host
        family, kind, proto, _, address = socket.getaddrinfo(
            name or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError:
            sock.close()
            raise
    except OSError as exc:
        raise UsageError(f"dispute-sandbox: cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


class Server(uvicorn.Server):
    """uvicorn's server, less its re-raising of the stop signal after a graceful stop (which made
    SIGTERM exit 143 and Ctrl-C print a traceback)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        signals = (signal.SIGINT, signal.SIGTERM)
        original = {sig: signal.signal(sig, self.handle_exit) for sig in signals}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


def _serve(sandbox: Sandbox, args: argparse.Namespace, before: Callable[[Server, str], None] | None = None) -> int:
    """Bind, print the banner (only once bound), serve until a signal."""
    sock = _bind(args.host, args.port)
    port = sock.getsockname()[1]
    _log_to_stderr(args.log_level, args.access_log)
    settings = settings_of(args)
    namespaces = _namespaces(sandbox, args)
    config = uvicorn.Config(
        create_app(sandbox, settings, namespaces),
        log_level=args.log_level,
        access_log=False,
        timeout_graceful_shutdown=1,
        ws="none",  # no websocket routes: skip importing a websocket stack at start
    )
    server = Server(config)
    lines = banner(sandbox, args.host, port)
    if args.state_file:
        lines.append(f"  state file       {args.state_file} ({len(namespaces.named)} namespaces restored)")
    print("\n".join(lines), flush=True)
    root = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{port}"
    if before is not None:
        before(server, root)
    server.run(sockets=[sock])
    return 0


def _namespaces(sandbox: Sandbox, args: argparse.Namespace) -> Namespaces:
    """The registry; with `--state-file`, every stored namespace restored by replay first."""
    if not args.state_file:
        return Namespaces(sandbox, args.max_namespaces)
    import sqlite3  # with the store: only a --state-file needs them

    from .persist import Store

    try:
        store = Store(args.state_file)
    except (OSError, sqlite3.Error) as exc:
        raise UsageError(f"dispute-sandbox: --state-file {args.state_file}: {exc}") from None
    namespaces = Namespaces(sandbox, max(args.max_namespaces, 0), store)
    try:
        asyncio.run(namespaces.restore())
    except ScenarioError as exc:
        raise UsageError("dispute-sandbox: cannot restore --state-file:\n" + "\n".join(exc.lines)) from None
    return namespaces


def cmd_export(args: argparse.Namespace) -> int:
    """`dispute-sandbox export URL [--namespace N] > file.yaml`."""
    import httpx

    root = args.url.rstrip("/")
    if args.namespace:
        root += f"/_ns/{args.namespace}"
    headers = {"Authorization": f"Bearer {args.control_token}"} if args.control_token else {}
    try:
        response = httpx.get(root + "/_sandbox/export", headers=headers, timeout=60)
    except httpx.HTTPError as exc:
        raise UsageError(f"dispute-sandbox: export from {root}: {exc}") from None
    if response.status_code != 200:
        raise UsageError(f"dispute-sandbox: export from {root}: {response.status_code} {response.text[:300]}")
    sys.stdout.write(response.text)
    return 0


def _log_to_stderr(level: str, access: bool) -> None:
    """The `sandbox` loggers to stderr: state changes (clock moves, domain events, webhook
    attempts) at INFO show with `--log-level info`; access lines with `--access-log` at any level."""
    root = logging.getLogger("sandbox")
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        root.addHandler(handler)
        root.propagate = False
    root.setLevel(logging.DEBUG if level == "trace" else getattr(logging, level.upper(), logging.WARNING))
    if access:
        logging.getLogger("sandbox.access").setLevel(logging.INFO)


def cmd_serve(args: argparse.Namespace) -> int:
    _check_exposure(args)
    try:
        speed = parse_clock_mode(args.clock)
    except ValueError as exc:
        raise UsageError(f"dispute-sandbox: --clock / SANDBOX_CLOCK: {exc}") from None
    return _serve(_loaded(args, args.scenario, speed), args)


def describe(event: Event) -> str:
    """One demo line: when, who, what changed."""
    changes = [v for v in event.data.values() if isinstance(v, dict) and {"from", "to"} <= v.keys()]
    if changes:
        what = ", ".join(f"{c['from']} -> {c['to']}" for c in changes)
    else:
        what = ", ".join(f"{k}={v}" for k, v in event.data.items() if not isinstance(v, dict | list))
    return f"{event.at.isoformat()}  {event.provider:<16} {event.object_id:<28} {event.type:<36} {what}"


def cmd_demo(args: argparse.Namespace) -> int:
    """Serve a scenario; print each domain event; optionally move the clock on a timer."""
    _check_exposure(args)
    try:
        step = parse_duration(args.auto) if args.auto else None
        until = parse_duration(args.until)
    except ValueError as exc:
        raise UsageError(f"dispute-sandbox: {exc}") from None
    sandbox = _loaded(args, args.scenario)
    sandbox.listen(lambda event: print(describe(event), flush=True))
    headers = {"Authorization": f"Bearer {args.control_token}"} if args.control_token else {}
    auth = "".join(f" -H '{k}: {v}'" for k, v in headers.items())

    def before(server: Server, root: str) -> None:
        print(f"Move the clock: curl -X POST{auth} {root}/_sandbox/clock/advance -d '{{\"duration\": \"1d\"}}'", flush=True)
        if step is not None:
            end = sandbox.now() + until
            ticker = threading.Thread(
                target=_tick, args=(server, sandbox, root, args.auto, step, end, args.every, headers), daemon=True
            )
            ticker.start()

    return _serve(sandbox, args, before)


def _tick(
    server: Server, sandbox: Sandbox, root: str, label: str, step: timedelta, end: datetime, every: float,
    headers: dict[str, str],
) -> None:
    """Advance the clock by `step` every `every` real seconds until `end`, through the HTTP API
    (so each move runs on the server's own loop, like a user's curl)."""
    import httpx

    while not server.started:
        time.sleep(0.05)
    while not server.should_exit and sandbox.now() + step <= end:
        time.sleep(every)
        print(f"-- clock +{label}", flush=True)
        httpx.post(f"{root}/_sandbox/clock/advance", json={"duration": label}, headers=headers)


def cmd_validate(args: argparse.Namespace) -> int:
    providers = load_providers()
    limits = limits_of(args)
    failed = False
    for path in args.paths:
        try:
            scenario = load_scenario_file(path, providers, limits)
            Sandbox(providers).load(scenario)  # build too: what validates must also load
        except ScenarioError as exc:
            print("\n".join(exc.lines), file=sys.stderr)
            failed = True
            continue
        print(f"{path}: ok ({scenario.name})")
    return 2 if failed else 0


def cmd_openapi(args: argparse.Namespace) -> int:
    """The document `GET /_sandbox/openapi/{name}.json` serves, without a server."""
    import orjson

    from .openapi_routes import CONTROL, documents_of, served_document

    providers = load_providers()
    if args.name is None:
        print("\n".join([CONTROL, *documents_of(providers)]))
        return 0
    doc = served_document(providers, args.name, args.base_url.rstrip("/"))
    if doc is None:
        raise UsageError(f"no OpenAPI document {args.name!r}; `dispute-sandbox openapi` lists them")
    sys.stdout.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "serve": cmd_serve,
        "validate": cmd_validate,
        "demo": cmd_demo,
        "export": cmd_export,
        "openapi": cmd_openapi,
    }
    if args.command not in commands:
        print("\n".join(shipped_scenarios()))
        return 0
    try:
        return commands[args.command](args)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C before the server took over the signal (a long load)
        return 130
