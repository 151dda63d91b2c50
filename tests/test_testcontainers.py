"""`DisputeSandboxContainer` against the real image (issue 19), run only where a Docker daemon
runs (`SANDBOX_DOCKER_SMOKE=1`, set by .ci/run when scripts/docker_offline_base.sh starts one):
builds the image once, starts it from a scenario file copied in, and drives it through the
helpers; the README's container example runs too. Elsewhere: a visible skip."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    os.environ.get("SANDBOX_DOCKER_SMOKE") != "1",
    reason="Testcontainers test off: set SANDBOX_DOCKER_SMOKE=1 with a reachable Docker daemon "
    "(.ci/run does when scripts/docker_offline_base.sh can start dockerd)",
)

SCENARIO = """\
version: 1
name: containers
seed: 7
clock: {start: "2026-01-01T00:00:00Z"}
providers:
  whop:
    rules: {merchant_response_window: 1d}
    companies:
      - id: biz_Container1
        title: Container
        api_keys: [{key: tc_key}]
        cases:
          - {id: reso_Container1, status: merchant_response_needed, created_at: "-1d"}
"""


@pytest.fixture(scope="module")
def image():
    """The image built from this checkout (on the offline base where there is one); removed after."""
    pytest.importorskip("testcontainers")
    os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")  # the reaper image cannot be pulled offline
    docker = os.environ.get("DOCKER", "docker")
    tag = f"dispute-sandbox-tc:{os.getpid()}"
    cmd = [docker, "build", "--network=host", "-t", tag]
    if os.environ.get("SANDBOX_DOCKER_BASE_IMAGE"):
        cmd += ["--build-arg", f"BASE_IMAGE={os.environ['SANDBOX_DOCKER_BASE_IMAGE']}"]
    built = subprocess.run([*cmd, str(ROOT)], capture_output=True, text=True, timeout=1200, check=False)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    yield tag
    subprocess.run([docker, "rmi", "-f", tag], capture_output=True, timeout=120, check=False)


def test_the_container_serves_a_copied_scenario_with_the_helpers(image: str, tmp_path: Path) -> None:
    from sandbox.contrib.testcontainers import DisputeSandboxContainer
    from sandbox.testing import WebhookReceiver

    scenario = tmp_path / "containers.yaml"
    scenario.write_text(SCENARIO)
    with WebhookReceiver() as receiver, DisputeSandboxContainer(image, scenario=scenario, host_network=True) as sandbox:
        assert sandbox.scenario_info()["name"] == "containers"
        whop = sandbox.base_url("whop")
        auth = sandbox.credential("whop")
        listed = httpx.get(whop + "/resolution_center_cases", headers=auth)
        assert listed.status_code == 200 and listed.json()["data"][0]["id"] == "reso_Container1"
        sandbox.assert_requested(provider="whop", path="/resolution_center_cases", status=200, times=1)
        sandbox.fault("whop", 503)
        assert httpx.get(whop + "/resolution_center_cases", headers=auth).status_code == 503
        assert sandbox.requests(status=503)[0]["reason"].startswith("forced fault 503")
        sandbox.subscribe("whop", "biz_Container1", sandbox.callback_url(receiver.port))
        moved = sandbox.advance("3d")  # the response window closes: the case moves, a webhook goes out
        assert moved["events_total"] >= 1
        assert receiver.wait_for(1, timeout=20), "no webhook reached the host"
        sandbox.reset()
        assert sandbox.requests() == [] and sandbox.now() == "2026-01-01T00:00:00.000Z"


def test_the_readme_container_example_runs(image: str, readme_blocks) -> None:
    (block,) = [b for b in readme_blocks("python") if "DisputeSandboxContainer" in b]
    code = block.replace('DisputeSandboxContainer("dispute-sandbox:latest"', f'DisputeSandboxContainer("{image}", host_network=True')
    assert code != block
    exec(compile(textwrap.dedent(code), "README.md", "exec"), {})
