"""The server's own settings (flags and `SANDBOX_*` variables), kept on the app, not the sandbox.

They bound what a request can make the server do (docs/security.md): the body size, the control
token, what a scenario may cost, and the seed every loaded scenario gets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

from .scenario import DEFAULT_LIMITS, ScenarioLimits

MiB = 1024 * 1024
LOGIN_COOKIE = "sandbox_control"  # the dashboard's sign-in: holds the control token (sandbox/ui)


@dataclass(frozen=True)
class Settings:
    """What one server may do, given to `create_app` (the CLI makes it from its flags); read back with
    `settings_of`."""

    # a request body past this is answered 413 while it is read (Riverty's uploads go to 20 MB)
    max_body: int = 25 * MiB
    # when set, every /_sandbox call but /_sandbox/health needs `Authorization: Bearer <token>`
    control_token: str | None = None
    # serving beyond loopback with neither a token nor the waiver: every /_sandbox call but health
    # is refused (the providers still serve), so an exposed sandbox cannot be reloaded by strangers
    control_locked: bool = False
    # `--seed` / SANDBOX_SEED: the seed of every scenario this server loads, at start and by POST,
    # unless a `{"name": ..., "seed": N}` body names its own
    seed: int | None = None
    limits: ScenarioLimits = field(default=DEFAULT_LIMITS)
    # `--access-log` / SANDBOX_ACCESS_LOG: one `sandbox.access` line a request (method, path,
    # status, ms, refusal reason)
    access_log: bool = False
    # `--max-namespaces` / SANDBOX_MAX_NAMESPACES: namespaces besides the default (sandbox/namespaces.py)
    max_namespaces: int = 100


DEFAULT_SETTINGS = Settings()


def settings_of(request: Request) -> Settings:
    found = getattr(request.app.state, "settings", None)
    return found if isinstance(found, Settings) else DEFAULT_SETTINGS
