"""Whop test fixtures. whop-sdk 0.0.41 (the legacy Stainless client) beside today's 2.6.0 in one test process.

Both versions are the distribution `whop-sdk` with the import name `whop_sdk`, so pip can hold only
one per environment. The test extra installs 2.6.0; 0.0.41 is installed once per virtual
environment into a folder of its own (`pip install --target`) and imported under the name
`whop_sdk_legacy`. This works because 0.0.41 imports its own modules relatively; the one absolute
import (`whop_sdk.resources`, in `_utils/_resources_proxy.py`) runs only when that attribute is read.
"""

from __future__ import annotations

import fcntl
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

VERSION = "0.0.41"
NAME = "whop_sdk_legacy"
TARGET = Path(sys.prefix) / f"whop-sdk-{VERSION}"


def _install() -> None:
    """Install once per environment; the lock keeps pytest-xdist workers from racing."""
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with open(TARGET.parent / f".whop-sdk-{VERSION}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (TARGET / "whop_sdk" / "__init__.py").exists():
            return
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(TARGET), f"whop-sdk=={VERSION}"],
            check=True,
        )


def load() -> ModuleType:
    """The 0.0.41 package, imported as `whop_sdk_legacy`."""
    if NAME in sys.modules:
        return sys.modules[NAME]
    _install()
    package = TARGET / "whop_sdk"
    spec = importlib.util.spec_from_file_location(NAME, package / "__init__.py", submodule_search_locations=[str(package)])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[NAME] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def whop_legacy() -> ModuleType:
    """whop-sdk 0.0.41 as a module (`whop_legacy.Whop(api_key=…, base_url=…)`)."""
    return load()
