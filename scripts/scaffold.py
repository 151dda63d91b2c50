"""Start a new provider folder that already meets the provider contract.

    python scripts/scaffold.py acme            # writes sandbox/providers/acme/
    python scripts/scaffold.py acme --into DIR # writes DIR/acme/ (the contract test does this)

It prints the checklist of docs/adding-a-provider.md: the one registry line, the scenario
sections, the docs page. The folder serves one list route with bearer auth, page/limit paging and a
deadline on the sandbox clock; replace each part with the real API's.
"""

from __future__ import annotations

import argparse
import keyword
import re
import sys
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "scaffold_template"
PROVIDERS = Path(__file__).resolve().parent.parent / "sandbox" / "providers"
FILES = ("__init__.py", "errors.py", "scenario.py", "state.py", "routes.py")


def render(name: str, template: str) -> str:
    title = "".join(part.capitalize() for part in name.split("_"))
    return (TEMPLATES / template).read_text(encoding="utf-8").format(key=name, Title=title)


def scaffold(name: str, into: Path) -> Path:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or keyword.iskeyword(name):
        raise ValueError(f"provider key must be a lower-case Python identifier, not {name!r}")
    folder = into / name
    if folder.exists():
        raise FileExistsError(f"{folder} exists already")
    folder.mkdir(parents=True)
    for file in FILES:
        (folder / file).write_text(render(name, file + ".tmpl"), encoding="utf-8")
    (folder / "inferred.py").write_text(
        f'"""Every choice {name}\'s documentation leaves open: one line each, with its reason."""\n',
        encoding="utf-8",
    )
    return folder


def example_section(name: str) -> str:
    """The provider's part of a scenario, indented for `providers:`."""
    return render(name, "example.yaml.tmpl")


CHECKLIST = """Next steps (docs/adding-a-provider.md):
  1. add "{name}" to REGISTRY in sandbox/providers/__init__.py
  2. add a {name} section to scenarios/default.yaml and scenarios/expiring-disputes.yaml:
{section}
  3. write docs/providers/{name}.md (the public sources) and fill {folder}/inferred.py
  4. python -m pytest tests/test_provider_contract.py   # says what is still missing
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name")
    parser.add_argument("--into", type=Path, default=PROVIDERS)
    args = parser.parse_args(argv)
    try:
        folder = scaffold(args.name, args.into)
    except (ValueError, FileExistsError) as exc:
        print(f"scaffold: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {folder}/")
    print(CHECKLIST.format(name=args.name, folder=folder, section=example_section(args.name)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
