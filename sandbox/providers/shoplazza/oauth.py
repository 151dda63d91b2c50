"""Shoplazza's OAuth install flow on the store host (docs/providers/shoplazza.md §3):
`GET /admin/oauth/authorize` and `POST /admin/oauth/token`.

The sandbox has no merchant to click "install", so authorize grants at once (inferred.py) and
redirects to the app's `redirect_uri` with `code`, `shop`, `state` (when given) and `hmac`:
HMAC-SHA256 of the other parameters sorted by key and joined as `k=v&…`, keyed by the client
secret, lower-case hex (as the signature-verification page documents). The token endpoint takes
the form body the official Go SDK sends (or JSON): `client_id`, `client_secret`, `grant_type`
`authorization_code` (with `code`, once, while fresh) or `refresh_token`, and answers the fields
that SDK reads; the access token then works in `Access-Token` like a private app's. In host mode
the subdomain names the store; in path mode (`/shoplazza/admin/oauth/…`) the app's `client_id` does.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import orjson
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ...access import host_params
from ...generate import random_id, rng_for
from ...timefmt import parse_duration
from . import errors, inferred
from .models import StoreRecord, TokenRecord
from .scenario import AppSpec
from .state import Grant, ShoplazzaState, state_of
from .wire import TokenResponse

MAX_FORM = 16 * 1024  # a token request is a handful of short fields


def callback_hmac(params: dict[str, str], secret: str) -> str:
    """The documented callback signature: sorted `k=v` pairs (hmac left out), `&`-joined, hex."""
    pairs = sorted((k, v) for k, v in params.items() if k != "hmac")
    message = urlencode(pairs) if inferred.OAUTH_HMAC_ENCODED else "&".join(f"{k}={v}" for k, v in pairs)
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def _app(state: ShoplazzaState, request: Request, client_id: str | None) -> tuple[AppSpec, StoreRecord]:
    """The app `client_id` names and its store, which must be the host's store in host mode."""
    found = state.apps.get(client_id or "")
    if found is None:
        raise errors.oauth_error(inferred.OAUTH_ERROR_STATUS.get("invalid_client", 400), "invalid_client",
                                 "unknown client_id")
    app, store_id = found
    store = state.stores[store_id]
    subdomain = host_params(request).get("store")
    if subdomain is not None and subdomain.lower() != store.subdomain:
        raise errors.oauth_error(400, "invalid_client", f"client_id is not installed on {subdomain}")
    if not store.active:
        raise errors.store_not_active()
    return app, store


def _mint(state: ShoplazzaState, kind: str, length: int) -> str:
    state.issued += 1
    return random_id(rng_for(state.ctx.seed, "shoplazza-oauth", kind, state.issued), "", length)


async def authorize(request: Request) -> Response:
    """`GET /admin/oauth/authorize?client_id&redirect_uri&scope&state&response_type=code`."""
    if request.method not in ("GET", "HEAD"):
        raise errors.method_not_allowed()
    state = state_of(request)
    params = request.query_params
    app, store = _app(state, request, params.get("client_id"))
    if params.get("response_type", "code") != "code":
        raise errors.oauth_error(400, "unsupported_response_type", "response_type must be code")
    redirect_uri = params.get("redirect_uri") or app.redirect_uri
    if not redirect_uri or (app.redirect_uri is not None and redirect_uri != app.redirect_uri):
        raise errors.oauth_error(400, "invalid_request", "redirect_uri does not match the app's")
    target = urlsplit(redirect_uri)
    if target.scheme not in ("http", "https") or not target.netloc:
        raise errors.oauth_error(400, "invalid_request", "redirect_uri must be an absolute http(s) URL")
    asked = [s for s in params.get("scope", "").replace(",", " ").split() if s]
    scopes = tuple(asked or app.scopes)
    now = state.ctx.now()
    _bound_grants(state, now)
    code = _mint(state, "code", inferred.OAUTH_CODE_LENGTH)
    state.grants[code] = Grant(code, app.client_id, store.id, scopes, params.get("redirect_uri"),
                               now + inferred.OAUTH_CODE_LIFETIME)
    back = {"code": code, "shop": store.domain}
    if params.get("state") is not None:
        back["state"] = params["state"]
    back["hmac"] = callback_hmac(back, app.client_secret)
    query = "&".join(part for part in (target.query, urlencode(back)) if part)
    response = RedirectResponse(urlunsplit(target._replace(query=query)), status_code=302)
    response.headers["Request-Id"] = errors.request_id()
    return response


def _bound_grants(state: ShoplazzaState, now: datetime) -> None:
    """Drop expired codes, then the oldest, so that the pending ones stay under the bound."""
    for code in [c for c, g in state.grants.items() if g.expires_at <= now]:
        del state.grants[code]
    while len(state.grants) >= inferred.OAUTH_PENDING_CODES:
        del state.grants[next(iter(state.grants))]


def _bound_tokens(state: ShoplazzaState, client_id: str) -> None:
    """Revoke the app's oldest live tokens past the bound (with their refresh tokens)."""
    mine = [t for t in state.tokens.values() if t.client_id == client_id]
    for old in mine[: max(0, len(mine) - inferred.OAUTH_TOKENS_PER_APP + 1)]:
        del state.tokens[old.token]
    live = set(state.tokens)
    for refresh in [r for r, access in state.refresh.items() if access not in live]:
        del state.refresh[refresh]


async def _form(request: Request) -> dict[str, str]:
    """The token request's fields: form-encoded (the Go SDK) or a JSON object of strings."""
    raw = await request.body()
    if len(raw) > MAX_FORM:
        raise errors.oauth_error(400, "invalid_request", "request body too large")
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        try:
            data = orjson.loads(raw) if raw.strip() else {}
        except orjson.JSONDecodeError:
            raise errors.oauth_error(400, "invalid_request", "body is not valid JSON") from None
        if not isinstance(data, dict):
            raise errors.oauth_error(400, "invalid_request", "body must be an object")
        bad = [k for k, v in data.items() if not isinstance(v, str)]
        if bad:
            raise errors.oauth_error(400, "invalid_request", f"{bad[0]} must be a string")
        return data
    try:
        return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        raise errors.oauth_error(400, "invalid_request", "body is not UTF-8") from None


async def token(request: Request) -> Response:
    """`POST /admin/oauth/token`: an authorization code (once) or a refresh token → an access token."""
    if request.method != "POST":
        raise errors.method_not_allowed(("POST",))
    state = state_of(request)
    form = {**dict(request.query_params), **await _form(request)}
    app, store = _app(state, request, form.get("client_id"))
    if not hmac.compare_digest(form.get("client_secret", "").encode(), app.client_secret.encode()):
        raise errors.oauth_error(inferred.OAUTH_ERROR_STATUS.get("invalid_client", 400), "invalid_client",
                                 "client_secret does not match")
    now = state.ctx.now()
    grant_type = form.get("grant_type", "")
    if grant_type == "authorization_code":
        grant = state.grants.pop(form.get("code", ""), None)
        if grant is None or grant.client_id != app.client_id:
            raise errors.oauth_error(400, "invalid_grant", "code is unknown or was used already")
        if now >= grant.expires_at:
            raise errors.oauth_error(400, "invalid_grant", "code has expired")
        if grant.redirect_uri is not None and form.get("redirect_uri", grant.redirect_uri) != grant.redirect_uri:
            raise errors.oauth_error(400, "invalid_grant", "redirect_uri differs from the authorize request's")
        scopes = grant.scopes
    elif grant_type == "refresh_token":
        old = state.tokens.get(state.refresh.pop(form.get("refresh_token", ""), ""))
        if old is None or old.client_id != app.client_id:
            raise errors.oauth_error(400, "invalid_grant", "refresh_token is unknown or was used already")
        del state.tokens[old.token]  # the refreshed token stops working
        scopes = old.scopes
    else:
        raise errors.oauth_error(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
    _bound_tokens(state, app.client_id)
    lifetime = parse_duration(app.token_lifetime)
    access = _mint(state, "access", inferred.OAUTH_TOKEN_LENGTH)
    refresh = _mint(state, "refresh", inferred.OAUTH_TOKEN_LENGTH)
    expires_at = now + lifetime
    state.tokens[access] = TokenRecord(access, store.id, scopes, expires_at, app.client_id)
    state.refresh[refresh] = access
    body = TokenResponse(
        access_token=access, token_type=inferred.OAUTH_TOKEN_TYPE, refresh_token=refresh,
        expires_in=int(lifetime.total_seconds()), expires_at=int(expires_at.timestamp()), scope=" ".join(scopes),
        created_at=int(now.timestamp()), store_id=store.id, store_name=store.subdomain, locale=inferred.OAUTH_LOCALE,
    )
    return errors.ok(body.model_dump_json().encode())

