"""`sandbox.testing` in a user's own test run: no warning, no side effect on their process."""

from __future__ import annotations

import subprocess
import sys


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=120, check=False
    )


def test_asgi_client_emits_no_warning():
    result = run(
        "from sandbox.testing import asgi_client, make_sandbox\n"
        "c = asgi_client(make_sandbox('default', providers=None))\n"
        "assert c.get('/_sandbox/health').json() == {'status': 'ok'}\n"
        "with asgi_client(make_sandbox('default')) as c:\n"
        "    assert c.post('/_sandbox/clock/advance', json={'seconds': 1}).status_code == 200\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_the_in_process_client_runs_the_lifespan_as_a_context(sandbox_from):
    from sandbox.testing import asgi_client, make_sandbox

    sandbox = make_sandbox("default")
    with asgi_client(sandbox) as client:
        assert client.get("/_sandbox/health").status_code == 200
        assert client.post("/_sandbox/clock/advance", content=b'{"seconds": 1}').status_code == 200
    assert client.is_closed


def test_make_sandbox_leaves_the_users_collector_alone():
    import gc

    from sandbox.testing import asgi_client, make_sandbox

    before = gc.get_freeze_count()
    mine = [object() for _ in range(1000)]  # the user's own objects stay collectable
    sandbox = make_sandbox("default")
    with asgi_client(sandbox) as client:
        client.post("/_sandbox/reset")
    assert gc.get_freeze_count() == before
    assert gc.isenabled() and mine
