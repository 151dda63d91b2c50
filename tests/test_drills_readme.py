"""README's "Drills and faults" section runs: its Python example against a live server."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_drills_example_runs() -> None:
    section = README.read_text(encoding="utf-8").split("## Drills and faults", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert "unknown_enum" in block and "X-Sandbox-Drill" in section
    exec(compile(block, "README.md", "exec"), {})
