"""The dashboard's pages: server-rendered from the objects the control plane reads.

Every page reads through `sandbox_of(request)` and each provider's `dashboard` hook; nothing here
knows a provider. Pages change nothing: the buttons call the `/_sandbox/...` JSON endpoints from
the browser (static/dashboard.js). A page's bad query parameter is a 400 page naming it.
"""

from __future__ import annotations

import asyncio
import hmac
import math
from collections.abc import AsyncIterator, Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from ..access import sandbox_of
from ..journal import Entry
from ..provider import Provider, RecordRow
from ..settings import LOGIN_COOKIE, settings_of
from ..timefmt import iso_millis, iso_seconds, parse_duration

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..runtime import Sandbox

HERE = Path(__file__).parent
PER_PAGE = 25
MAX_PER_PAGE = 100
MAX_QUERY = 200  # characters of a search
TIMELINE_LIMIT = 200  # deadlines drawn on the axis
HORIZONS = {"1d": "1 day", "7d": "7 days", "30d": "30 days", "90d": "90 days"}
FEED_ROWS = 100  # latest events and deliveries the feed shows
FEED_POLL = 0.4  # seconds between looks at the event log and the delivery log
FEED_PING = 15.0  # seconds of silence before a keep-alive comment


class BadInput(ValueError):
    """A query parameter the page cannot use: a 400 naming it."""


@lru_cache(maxsize=1)
def templates() -> Environment:
    """Jinja2 is loaded on the first page, not at start-up (most runs never open the page)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["iso"] = lambda d: iso_seconds(d) if d else ""
    env.filters["pretty"] = lambda v: orjson.dumps(v, option=orjson.OPT_INDENT_2).decode()
    env.filters["compact"] = lambda v: orjson.dumps(v).decode() if v else ""
    return env


def _base(request: Request) -> str:
    """The dashboard's mount (`/_sandbox/ui`), under its namespace's prefix (`/_ns/{name}`) if any."""
    return str(request.scope.get("sandbox.prefix", "")) + str(request.scope.get("root_path", ""))


def render(request: Request, name: str, code: int = 200, **context: Any) -> HTMLResponse:
    sandbox = sandbox_of(request)
    base = _base(request)  # the mount, e.g. /_sandbox/ui
    page = {
        "request": request,
        "base": base,
        "api": base.removesuffix("/ui"),
        "sandbox": sandbox,
        "scenario": sandbox.scenario,
        "now": sandbox.now(),
        "clock_mode": clock_mode(sandbox.clock_speed),
        "providers": sandbox.providers,
        "colors": colors(sandbox),
        "ago": lambda when: relative(when, sandbox.now()),
        "seq": last_seq(sandbox),
    }
    html = templates().get_template(name).render(**page, **context)
    return HTMLResponse(html, status_code=code, headers={"Cache-Control": "no-store"})


def colors(sandbox: Sandbox) -> dict[str, int]:
    """A colour number per provider, by registry order (the stylesheet names no provider)."""
    return {p.key: i % 8 for i, p in enumerate(sandbox.providers)}


def bad_input(request: Request, message: str) -> HTMLResponse:
    return render(request, "error.html", code=400, message=message)


def clock_mode(speed: float) -> str:
    if not speed:
        return "frozen"
    return "realtime" if speed == 1 else f"speed={speed:g}"


def relative(when: datetime | None, now: datetime) -> str:
    """`in 3h 20m`, `2d ago`: how far an instant is from the sandbox's now, two units at most."""
    if when is None:
        return ""
    seconds = int((when - now).total_seconds())
    if seconds == 0:
        return "now"
    left = abs(seconds)
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if left >= size and len(parts) < 2:
            parts.append(f"{left // size}{unit}")
            left %= size
    text = " ".join(parts)
    return f"in {text}" if seconds > 0 else f"{text} ago"


# -- parameters --------------------------------------------------------------------------------
def _int(params: Mapping[str, str], name: str, default: int, lo: int, hi: int) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadInput(f"{name} must be a whole number, not {raw[:40]!r}") from None
    if not lo <= value <= hi:
        raise BadInput(f"{name} must be between {lo} and {hi}")
    return value


def _provider(sandbox: Sandbox, key: str) -> Provider:
    provider = sandbox.by_key.get(key)
    if provider is None:
        raise BadInput(f"unknown provider {key[:40]!r} (known: {', '.join(sandbox.by_key)})")
    return provider


# -- pages ---------------------------------------------------------------------------------------
async def to_dashboard(request: Request) -> Response:
    return RedirectResponse(request.scope.get("sandbox.prefix", "") + "/_sandbox/ui/", status_code=307)


async def overview(request: Request) -> Response:
    sandbox = sandbox_of(request)
    horizon = request.query_params.get("horizon", "7d")
    if horizon not in HORIZONS:
        return bad_input(request, f"horizon must be one of {', '.join(HORIZONS)}")
    sections = []
    for provider in sandbox.providers:
        state = sandbox.state(provider.key)
        tenants = [
            {"tenant": t, "counts": provider.dashboard.status_counts(state, t.id)}
            for t in provider.tenants(state)
        ]
        sections.append({"provider": provider, "tenants": tenants})
    return render(request, "overview.html", sections=sections, timeline=timeline(sandbox, horizon),
                  horizon=horizon, horizons=HORIZONS)


def timeline(sandbox: Sandbox, horizon: str) -> dict[str, Any]:
    """Every provider's pending deadlines up to now + horizon, placed on an axis (0-100 %)."""
    now = sandbox.now()
    span = parse_duration(horizon)
    until = now + span
    rows: list[tuple[str, RecordRow]] = []
    partial = False
    for provider in sandbox.providers:
        found = provider.dashboard.pending_deadlines(sandbox.state(provider.key), until, TIMELINE_LIMIT)
        partial = partial or found.partial
        rows += [(provider.key, row) for row in found.rows]
    rows.sort(key=lambda pr: (pr[1].due or now, pr[0], pr[1].id))
    partial = partial or len(rows) > TIMELINE_LIMIT
    rows = rows[:TIMELINE_LIMIT]
    step = timedelta(hours=1) if span <= timedelta(days=1) else timedelta(days=1)
    count = int(span / step)
    every = max(1, math.ceil(count / 10))
    ticks = [
        {"at": now + step * i, "left": 100 * i / count, "label": f"+{i}{'h' if step.days == 0 else 'd'}"}
        for i in range(0, count + 1, every)
    ]
    points = [
        {"provider": key, "row": row, "left": max(0.0, min(100.0, 100 * ((row.due or now) - now) / span))}
        for key, row in rows
    ]
    return {"points": points, "ticks": ticks, "until": until, "partial": partial}


async def records(request: Request) -> Response:
    sandbox = sandbox_of(request)
    params = request.query_params
    try:
        provider = _provider(sandbox, params.get("provider") or sandbox.providers[0].key)
        state = sandbox.state(provider.key)
        tenants = [t.id for t in provider.tenants(state)]
        tenant = params.get("tenant") or (tenants[0] if tenants else "")
        if tenants and tenant not in tenants:  # a provider without tenants shows an empty table
            raise BadInput(f"unknown {provider.key} tenant {tenant[:60]!r} (known: {', '.join(tenants)})")
        counts = provider.dashboard.status_counts(state, tenant)
        status = params.get("status", "")
        if status and status not in provider.dashboard.statuses:
            raise BadInput(f"unknown {provider.key} status {status[:40]!r}")
        query = params.get("q", "").strip()
        if len(query) > MAX_QUERY:
            raise BadInput(f"q is limited to {MAX_QUERY} characters")
        per_page = _int(params, "per_page", PER_PAGE, 1, MAX_PER_PAGE)
        page_no = _int(params, "page", 1, 1, 10_000_000)
    except BadInput as exc:
        return bad_input(request, str(exc))
    page = provider.dashboard.records(state, tenant, query, status, (page_no - 1) * per_page, per_page)
    pages = max(1, math.ceil(page.total / per_page))
    return render(
        request, "records.html", provider=provider, tenants=tenants, tenant=tenant, status=status,
        counts=counts, query=query, page=page, page_no=page_no, pages=pages, per_page=per_page,
    )


async def record(request: Request) -> Response:
    sandbox = sandbox_of(request)
    try:
        provider = _provider(sandbox, request.path_params["provider"])
    except BadInput as exc:
        return bad_input(request, str(exc))
    record_id = request.path_params["id"]
    detail = provider.dashboard.record(sandbox.state(provider.key), record_id)
    if detail is None:
        return render(request, "error.html", code=404, message=f"no {provider.title} record {record_id[:80]!r}")
    events = [e for e in sandbox.events.query(provider.key, record_id)][::-1]
    prefix = request.scope.get("sandbox.prefix", "")  # the namespace's controls, not the default's
    paths = [prefix + path for path in control_paths(provider, record_id, detail.row.tenant)]
    return render(request, "record.html", provider=provider, detail=detail, events=events, paths=paths)


def control_paths(provider: Provider, record_id: str, tenant: str) -> list[str]:
    """The provider's `/_sandbox/<key>/...` control paths, this record's id (or tenant) filled in:
    the choices of the record page's generic form."""
    out = []
    for route in provider.control_routes:
        path = getattr(route, "path", "")
        methods = getattr(route, "methods", None) or set()
        if "POST" not in methods:
            continue
        path = path.replace("{id}", record_id)
        for name in ("{store}", "{storeId}"):
            path = path.replace(name, tenant)
        out.append("/_sandbox" + path.replace(":str}", "}"))
    return out


async def feed(request: Request) -> Response:
    return render(request, "feed.html", **feed_rows(sandbox_of(request)))


def last_seq(sandbox: Sandbox) -> int:
    """The newest event's number: the page notes it, the feed tells the page when it moved on."""
    journal = sandbox.events.query()
    return journal[-1].seq if journal else 0


def feed_rows(sandbox: Sandbox) -> dict[str, Any]:
    events = sandbox.events.query()[-FEED_ROWS:][::-1]
    deliveries = list(sandbox.world.webhooks.log)[-FEED_ROWS:][::-1] if sandbox.world else []
    requests = [Entry._make(raw) for raw in list(sandbox.journal.entries)[-FEED_ROWS:][::-1]]
    return {"events": events, "deliveries": deliveries, "requests": requests}


def _feed_fingerprint(sandbox: Sandbox) -> tuple[Any, ...]:
    """Changes whenever the feed would show something new: a new world, event or attempt, or an
    attempt finishing. Cheap: a poll must not cost anything measurable."""
    world = sandbox.world
    if world is None:
        return ()
    log, journal = world.webhooks.log, world.events.query()
    recent = list(log)[-FEED_ROWS:]
    return (id(world), journal[-1].seq if journal else 0, log[-1].id if log else 0,
            sum(1 for a in recent if a.state == "pending"), sandbox.journal.next_seq)


async def feed_stream(request: Request) -> Response:
    """Server-sent events: `feed` carries the rendered rows of the events and deliveries tables
    and the clock, whenever they change. `?once=1` sends one and ends (for plain HTTP clients)."""
    sandbox = sandbox_of(request)
    once = request.query_params.get("once") == "1"
    rows = templates().get_template("_feed_rows.html").module
    base = _base(request)
    api, palette = base.removesuffix("/ui"), colors(sandbox)

    async def stream() -> AsyncIterator[str]:
        last: tuple[Any, ...] | None = None
        last_now = None
        quiet = 0.0
        while True:
            mark, now = _feed_fingerprint(sandbox), sandbox.now()
            if mark == last and now != last_now:  # a running clock: only the time changed
                last_now, quiet = now, 0.0
                yield f"event: clock\ndata: {orjson.dumps({'now': iso_millis(now)}).decode()}\n\n"
            elif mark != last:
                last_now = now
                last, quiet = mark, 0.0
                data = feed_rows(sandbox)
                payload = {
                    "now": iso_millis(sandbox.now()),
                    "events": str(rows.events(data["events"], base, palette)),  # type: ignore[attr-defined]
                    "deliveries": str(rows.deliveries(data["deliveries"], api)),  # type: ignore[attr-defined]
                    "requests": str(rows.requests(data["requests"], palette)),  # type: ignore[attr-defined]
                    "seq": data["events"][0].seq if data["events"] else 0,
                }
                yield f"event: feed\ndata: {orjson.dumps(payload, default=str).decode()}\n\n"
            elif quiet >= FEED_PING:
                quiet = 0.0
                yield ": ping\n\n"
            if once:
                return
            await asyncio.sleep(FEED_POLL)
            quiet += FEED_POLL

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


async def faults(request: Request) -> Response:
    return render(request, "faults.html", faults=sandbox_of(request).faults.pending)


async def static(request: Request) -> Response:
    """The page's own CSS and JS, shipped in the package (nothing is fetched from elsewhere)."""
    name = request.path_params["name"]
    kinds = {"dashboard.css": "text/css", "dashboard.js": "text/javascript"}
    if name not in kinds:
        return Response("not found", status_code=404, media_type="text/plain")
    body = (HERE / "static" / name).read_bytes()
    return Response(body, media_type=kinds[name], headers={"Cache-Control": "no-cache"})


async def login(request: Request) -> Response:
    """A browser cannot send `Authorization: Bearer`: with a control token set, the dashboard signs
    in once and keeps the token in an HttpOnly, SameSite=Strict cookie (no other site's page can
    send it), which the front door accepts on every /_sandbox call (docs/security.md)."""
    settings = settings_of(request)
    base = _base(request)
    page = templates().get_template("login.html")
    if settings.control_token is None:
        state = "locked" if settings.control_locked else "open"
        return HTMLResponse(page.render(base=base, state=state), status_code=403 if state == "locked" else 200)
    if request.method == "GET":
        return HTMLResponse(page.render(base=base, state="ask"))
    form = await request.form()
    given = form.get("token")
    if not isinstance(given, str) or not hmac.compare_digest(given.encode(), settings.control_token.encode()):
        return HTMLResponse(page.render(base=base, state="ask", message="That is not this server's control token."), status_code=401)
    response = RedirectResponse(base + "/", status_code=303)
    response.set_cookie(LOGIN_COOKIE, settings.control_token, httponly=True, samesite="strict", path="/")
    return response
