"""`DisputeSandboxContainer`: the sandbox's Docker image for the Python `testcontainers` package.

    from sandbox.contrib.testcontainers import DisputeSandboxContainer

    with DisputeSandboxContainer("dispute-sandbox:latest", scenario="tests/sandbox.yaml") as sandbox:
        client = WhopClient(base_url=sandbox.base_url("whop"), api_key=...)
        ...
        sandbox.assert_requested(provider="whop", method="POST", times=1)

The scenario (a shipped name, or a YAML file copied into the container before it starts) is
served from the start; `start()` returns once `/_sandbox/health` answers. The verification and
control helpers are those of `sandbox.testing.SandboxControls` (journal, events, clock, faults,
reset). Webhooks reach the test process at `callback_url(port)`: `host.docker.internal` mapped to
the host gateway (Docker's `host-gateway`) and admitted by `--webhook-allow`. With
`host_network=True` the container shares the host's network (a daemon without a bridge, such as
scripts/docker_offline_base.sh's) and everything is on 127.0.0.1.

Testcontainers' docs: https://testcontainers-python.readthedocs.io/
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

import httpx
from testcontainers.core.container import DockerContainer

from ..testing import SandboxControls, free_port

DEFAULT_IMAGE = "dispute-sandbox:latest"
PORT = 8000
SCENARIO_PATH = "/scenarios/scenario.yaml"  # where a scenario file is copied in
HOST_ALIAS = "host.docker.internal"


class DisputeSandboxContainer(DockerContainer, SandboxControls):
    def __init__(
        self,
        image: str = DEFAULT_IMAGE,
        scenario: str | Path = "default",
        *,
        seed: int | None = None,
        clock: str | None = None,
        webhook_allow: str = "",
        host_network: bool = False,
        control_token: str | None = None,
        start_timeout: float = 60.0,
        **kwargs: Any,
    ) -> None:
        """`scenario`: a shipped name, or a path to a YAML file (copied in). `webhook_allow`:
        targets admitted beside the host callback (`--webhook-allow` syntax). `control_token`: the
        image serves beyond loopback, where `/_sandbox` needs one (docs/security.md); a random one
        unless given, sent by every helper (`control_headers` for your own calls)."""
        super().__init__(image, **kwargs)
        self.host_network = host_network
        self.start_timeout = start_timeout
        self.port = free_port() if host_network else PORT
        self.with_env("SANDBOX_PORT", str(self.port))
        self.control_token = control_token or secrets.token_urlsafe(24)
        self.control_headers = {"Authorization": f"Bearer {self.control_token}"}
        self.with_env("SANDBOX_CONTROL_TOKEN", self.control_token)
        path = Path(scenario)
        if path.suffix in (".yaml", ".yml") or path.exists():
            self.with_copy_into_container(path.read_bytes(), SCENARIO_PATH)
            self.with_env("SANDBOX_SCENARIO", SCENARIO_PATH)
        else:
            self.with_env("SANDBOX_SCENARIO", str(scenario))
        if seed is not None:
            self.with_env("SANDBOX_SEED", str(seed))
        if clock is not None:
            self.with_env("SANDBOX_CLOCK", clock)
        allow = ["127.0.0.0/8", HOST_ALIAS, *([webhook_allow] if webhook_allow else [])]
        self.with_env("SANDBOX_WEBHOOK_ALLOW", ",".join(allow))
        if host_network:
            self.with_kwargs(network_mode="host")
        else:
            self.with_exposed_ports(PORT)
            self.with_kwargs(extra_hosts={HOST_ALIAS: "host-gateway"})
        self._url: str | None = None

    def start(self) -> DisputeSandboxContainer:
        super().start()
        self._wait_healthy()
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/_sandbox/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}"
            if self.get_wrapped_container().status == "exited":
                break
            self.get_wrapped_container().reload()
            time.sleep(0.1)
        logs = b"".join(self.get_logs()).decode("utf-8", "replace")[-2000:]
        raise TimeoutError(f"dispute sandbox not healthy within {self.start_timeout}s ({last}); logs:\n{logs}")

    @property
    def url(self) -> str:
        """The sandbox root as the test process reaches it."""
        if self._url is None:
            if self.host_network:
                self._url = f"http://127.0.0.1:{self.port}"
            else:
                self._url = f"http://{self.get_container_host_ip()}:{self.get_exposed_port(PORT)}"
        return str(self._url)

    def base_url(self, provider: str) -> str:
        """The base URL a client of `provider` uses (`…/whop/api/v1`), read from the scenario."""
        base: str = self.scenario_info()["providers"][provider]["base_path"]
        return self.url + base

    def callback_url(self, port: int, path: str = "/hook") -> str:
        """Where the container reaches a webhook receiver listening on the test host's `port`."""
        host = "127.0.0.1" if self.host_network else HOST_ALIAS
        return f"http://{host}:{port}{path}"

    def _control(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.control_headers, **kwargs.pop("headers", {})}
        return httpx.request(method, self.url + path, headers=headers, timeout=30, **kwargs)
