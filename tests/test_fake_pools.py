"""The shipped Faker pools: what the script makes, the right shape, and no Faker at run time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sandbox.generate import fake_pools

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_pools_are_what_the_script_makes():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_fake_pools.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_every_pool_is_full_of_usable_values():
    pools = fake_pools()
    for name in ("first_names", "last_names", "products", "streets", "domains"):
        values = getattr(pools, name)
        assert len(values) == 500, name
        assert all(isinstance(v, str) and v.strip() == v and v for v in values), name
    assert all(len(c) == 3 and c[1].isalpha() and c[2].isdigit() for c in pools.cities)
    assert all("." in d and "@" not in d for d in pools.domains)


def test_serving_the_default_scenario_imports_neither_faker_nor_httpx():
    code = (
        "import sys\n"
        "from sandbox.cli import _loaded, build_parser\n"
        "from sandbox.app import create_app\n"
        "create_app(_loaded(build_parser().parse_args(['serve'])))\n"
        "print(sorted({'faker', 'httpx'} & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
