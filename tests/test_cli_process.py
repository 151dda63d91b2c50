"""The command line as a process (issue 14): one-line errors with exit 2, the banner only once
bound, `--version`, the help, the exposure guard, and a clean exit 0 on SIGTERM and Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from sandbox.testing import free_port


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sandbox", *args], capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})}, check=False,
    )


@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        (["serve", "--log-level", "loud"], {}, "--log-level"),
        (["serve"], {"SANDBOX_PORT": "abc"}, "SANDBOX_PORT"),
        (["serve"], {"SANDBOX_SEED": "x"}, "SANDBOX_SEED"),
        (["serve", "--seed", "-1"], {}, "--seed"),
        (["serve"], {"SANDBOX_MAX_BODY": "lots"}, "SANDBOX_MAX_BODY"),
        (["serve", "--clock", "sideways"], {}, "--clock"),
        (["bogus"], {}, "bogus"),
    ],
)
def test_bad_flags_and_variables_are_one_line_and_exit_2(args, env, words, monkeypatch, capsys):
    from sandbox.cli import main

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's way out
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert words in err
    assert out == ""  # no banner


def test_a_bad_variable_in_a_process_is_one_line_without_traceback():
    result = run_cli("serve", env={"SANDBOX_PORT": "abc"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "SANDBOX_PORT" in result.stderr and result.stdout == ""


def test_a_failed_bind_prints_no_banner():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"dispute-sandbox: cannot listen on 127.0.0.1:{port}:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_version_and_help(capsys):
    from sandbox.cli import main

    for argv in (["--version"], ["--help"], ["serve", "--help"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("dispute-sandbox 0.")
    for command in ("serve", "demo", "validate", "scenarios", "--control-token", "--max-body"):
        assert command in out


def test_scenarios_lists_the_shipped_names():
    result = run_cli("scenarios")
    assert {"default", "expiring-disputes"} <= set(result.stdout.split())


def test_validate_refuses_an_empty_file_and_a_webhook_for_an_unknown_tenant(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n")
    hook = tmp_path / "hook.yaml"
    hook.write_text(
        "version: 1\nproviders:\n  whop:\n    companies: [{id: biz_A, title: A, api_keys: [{key: k}]}]\n"
        "webhooks:\n  - {provider: whop, tenant: biz_Nobody, url: 'http://127.0.0.1:9/h'}\n"
    )
    result = run_cli("validate", str(empty), str(hook))
    assert result.returncode == 2
    assert f"{empty}:1: (document): empty scenario" in result.stderr
    assert f"{hook}:6: webhooks[0].tenant: unknown whop tenant 'biz_Nobody' (known: biz_A)" in result.stderr


def test_validate_takes_the_limits(tmp_path, monkeypatch, capsys):
    from sandbox.cli import main

    path = tmp_path / "s.yaml"
    path.write_text("version: 1\nproviders:\n  whop:\n    companies: [{id: biz_A, title: A, api_keys: [{key: k}], generate: {count: 50}}]\n")
    assert main(["validate", str(path)]) == 0
    assert main(["validate", "--max-records", "10", str(path)]) == 2
    assert "--max-records" in capsys.readouterr().err
    monkeypatch.setenv("SANDBOX_MAX_RECORDS", "10")
    assert main(["validate", str(path)]) == 2


def test_validate_reads_no_more_than_the_size_limit(capsys):
    from sandbox.cli import main

    started = time.monotonic()
    assert main(["validate", "/dev/zero"]) == 2
    assert "--max-scenario-bytes" in capsys.readouterr().err
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_exits_0_without_a_traceback(sig):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "serve", "--port", str(port), "--control-token", "t"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/_sandbox/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        assert httpx.get(f"http://127.0.0.1:{port}/_sandbox/scenario").status_code == 401
        process.send_signal(sig)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert out.startswith("Dispute Sandbox: scenario 'default'")


def test_beyond_loopback_without_a_token_the_control_plane_is_locked():
    """`docker run -p 8000:8000 IMAGE` keeps serving (DESIGN.md), but nobody can reload it."""
    from sandbox.cli import build_parser, is_exposed, settings_of
    from sandbox.testing import asgi_client, make_sandbox

    exposed = build_parser().parse_args(["serve", "--host", "0.0.0.0"])
    assert is_exposed(exposed) and settings_of(exposed).control_locked
    for flags in (["--host", "127.0.0.1"], ["--host", "0.0.0.0", "--control-token", "t"], ["--host", "0.0.0.0", "--allow-open-control"]):
        assert not settings_of(build_parser().parse_args(["serve", *flags])).control_locked
    client = asgi_client(make_sandbox(), settings=settings_of(exposed))
    headers = {"Authorization": "Bearer whop_test_pickaxe_read"}
    assert client.get("/whop/api/v1/resolution_center_cases", headers=headers).status_code == 200
    assert client.get("/_sandbox/health").status_code == 200
    for method, path in (("POST", "/_sandbox/reset"), ("GET", "/_sandbox/scenario"), ("POST", "/_sandbox/clock/advance")):
        refused = client.request(method, path)
        assert refused.status_code == 403 and "SANDBOX_CONTROL_TOKEN" in refused.json()["error"], (method, path)
