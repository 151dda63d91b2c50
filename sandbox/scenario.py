"""Scenario files: YAML → validated models, with every problem as `file:line: path: message`.

The document's top level is common to all providers (`version`, `name`, `seed`, `clock`,
`providers`); each provider validates its own section with its own pydantic model and may add
semantic checks (duplicate ids, dangling references). Errors are collected, never raised one at
a time, so a user fixes a file in one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, get_args

import yaml
from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)

from .timefmt import UTC, check_time, parse_duration, parse_instant

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
PACKAGED_SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    loc: Loc
    message: str


ScenarioTime = Annotated[str, AfterValidator(check_time)]
"""`+36h`, `-3d`, `now` or an ISO instant; resolved against the clock start at build time."""


def _off_is_false(value: object) -> object:
    return "off" if value is False else value  # YAML reads a bare `off` as false


K = TypeVar("K")
N = TypeVar("N")


def _check_weights(weights: dict) -> dict:
    if any(w < 0 for w in weights.values()):
        raise ValueError("a weight cannot be negative")
    if sum(weights.values()) <= 0:
        raise ValueError("weights must name at least one value above 0")
    return weights


Weights = Annotated[dict[K, float], AfterValidator(_check_weights)]
"""Relative weights that generated records draw a value from (`Weights[Status]`)."""


def _check_range(pair: tuple) -> tuple:
    if not 0 <= pair[0] <= pair[1]:
        raise ValueError("need 0 <= low <= high")
    return pair


Range = Annotated[tuple[N, N], AfterValidator(_check_range)]
"""`[low, high]` of a generated amount (`Range[float]`)."""


RuleDuration = Annotated[str, BeforeValidator(_off_is_false)]
"""A lifecycle window override in `rules:`: a duration like `7d`, or `off`. The text is checked
by `rule_problems`, after the schema, so that it is reported with every other problem."""


def _is_rule_duration(annotation: object) -> bool:
    if isinstance(annotation, BeforeValidator):
        return annotation.func is _off_is_false
    return any(_is_rule_duration(arg) for arg in get_args(annotation))


def rule_problems(rules: BaseModel, loc: Loc = ("rules",)) -> list[Problem]:
    """Each RuleDuration field of a `rules:` model that is neither `off` nor a positive duration."""
    problems = []
    for name, value in rules:
        annotation = type(rules).model_fields[name].annotation
        if not isinstance(value, str) or value == "off" or not _is_rule_duration(annotation):
            continue
        try:
            if parse_duration(value).total_seconds() <= 0:
                problems.append(Problem(loc + (name,), "duration must be positive"))
        except ValueError as exc:
            problems.append(Problem(loc + (name,), str(exc)))
    return problems


class Uniques:
    """What a provider's `check(section)` needs for duplicates: one seen-set per kind of value
    (store id, token, case id, …), each repeat reported where it stands."""

    def __init__(self, problems: list[Problem] | None = None) -> None:
        """Repeats go to `problems` (pass the check's own list to keep document order)."""
        self.seen: dict[str, set[Any]] = {}
        self.problems = problems if problems is not None else []

    def see(self, kind: str, value: Any, loc: Loc, shown: str | None = None) -> None:
        """Record `value`; a second sighting is `duplicate <kind> <value>` at `loc`."""
        if value is None:
            return
        seen = self.seen.setdefault(kind, set())
        if value in seen:
            self.problems.append(Problem(loc, f"duplicate {kind} {shown if shown is not None else repr(value)}"))
        seen.add(value)

    def has(self, kind: str, value: Any) -> bool:
        return value in self.seen.get(kind, ())


def timeline_problems(timeline: Sequence[TimelineEntry], known: Callable[[str], bool], what: str) -> list[Problem]:
    """Timeline entries must name a hand-written record (bulk ones have no stable id to name)."""
    return [
        Problem(("timeline", i, "id"), f"no hand-written {what} with id {entry.id!r}")
        for i, entry in enumerate(timeline)
        if not known(entry.id)
    ]


class Strict(BaseModel):
    """Base for every scenario model: unknown keys are errors (typos must not pass silently)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


class TimelineEntry(Strict):
    """A scheduled change to one record: providers narrow `action` to their own vocabulary."""

    at: ScenarioTime
    id: str
    action: str
    data: dict[str, Any] = Field(default_factory=dict)


class ClockSection(Strict):
    start: ScenarioTime = "now"


class SubscriptionSpec(Strict):
    """A subscription, in a scenario's top-level `webhooks:` list or POSTed to the control plane."""

    provider: str
    tenant: str
    url: AnyHttpUrl
    events: list[str] = Field(default_factory=list)  # empty: every event the provider sends
    secret: str | None = None
    duplicate: bool = False  # deliver every message twice (receivers must dedupe)
    out_of_order: bool = False  # deliver each batch newest first (receivers must not assume order)
    timeout: float | None = Field(default=None, gt=0, le=60)  # real seconds; default: the provider's
    api_version: str | None = Field(default=None, max_length=40)  # payload shape pin (Whop: api_version_date)


def check_subscriptions(specs: list[SubscriptionSpec], providers: Mapping[str, Any]) -> list[Problem]:
    problems = []
    for i, spec in enumerate(specs):
        provider = providers.get(spec.provider)
        if provider is None:
            problems.append(Problem(("webhooks", i, "provider"), f"unknown provider {spec.provider!r}"))
            continue
        if not provider.webhook_types:
            problems.append(Problem(("webhooks", i, "provider"), f"{spec.provider} sends no webhooks"))
        for j, name in enumerate(spec.events):
            if name not in provider.webhook_types:
                known = ", ".join(provider.webhook_types)
                problems.append(Problem(("webhooks", i, "events", j), f"unknown event {name!r} (known: {known})"))
        problem = provider.webhook_version_problem(spec.api_version) if spec.api_version is not None else None
        if problem:
            problems.append(Problem(("webhooks", i, "api_version"), problem))
    return problems


class ScenarioHead(Strict):
    version: Literal[1] = 1
    name: str = "unnamed"
    description: str = ""
    seed: int = 0
    clock: ClockSection = Field(default_factory=ClockSection)
    providers: dict[str, Any] = Field(default_factory=dict)
    webhooks: list[SubscriptionSpec] = Field(default_factory=list)


@dataclass
class Scenario:
    """A validated scenario: the head plus each provider's parsed section."""

    file: str
    name: str
    description: str
    seed: int
    clock_start: str
    sections: dict[str, Any]
    webhooks: list[SubscriptionSpec] = field(default_factory=list)
    text: str = field(repr=False, default="")

    def start_instant(self, loaded_at: datetime) -> datetime:
        """The clock start; `now` (or a relative start) is fixed at load time."""
        from .timefmt import resolve_time

        return resolve_time(self.clock_start, loaded_at)


class ScenarioError(Exception):
    """Every problem in one file, formatted `file:line: path.in.yaml: message`."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: ~10x faster


def _compose_lines(text: str) -> tuple[Any, dict[Loc, int], list[tuple[Loc, int, str]]]:
    """Parse YAML once; return the data, a map of document path → 1-based line, and the duplicate
    keys (which PyYAML would silently resolve to the last one)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    duplicates: list[tuple[Loc, int, str]] = []

    def walk(n: yaml.Node | None, loc: Loc) -> None:
        if n is None:
            return
        lines[loc] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in n.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue  # `{a: 1}: x`: construction has already refused the unhashable key
                key = key_node.value
                if key in seen:
                    duplicates.append((loc + (key,), key_node.start_mark.line + 1, key))
                seen.add(key)
                lines[loc + (key,)] = key_node.start_mark.line + 1
                walk(value_node, loc + (key,))
                lines[loc + (key,)] = key_node.start_mark.line + 1
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, loc + (i,))

    walk(node, ())
    return data, lines, duplicates


def _line_for(lines: Mapping[Loc, int], loc: Loc) -> int:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return 1


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _pydantic_problems(error: ValidationError, base: Loc) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = base + tuple(p for p in item["loc"] if not _is_union_tag(p))
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = f"unknown key {loc[-1]!r}"
        elif item["type"] == "missing":
            message = f"required key {loc[-1]!r} is missing"
        elif item["type"] == "value_error":  # our own validators: their message says it all
            message = str(item.get("ctx", {}).get("error", message))
        elif "input" in item and item["type"] not in ("model_type", "dict_type"):
            message = f"{message} (got {item['input']!r})"
        problems.append(Problem(loc, message))
    return problems


def _is_union_tag(part: object) -> bool:
    """pydantic inserts type names like 'function-after[...]' into locs; they are not YAML keys."""
    return isinstance(part, str) and ("[" in part or part in ("str", "int", "float"))


def parse_scenario(text: str, file: str, providers: Iterable[Any]) -> Scenario:
    """Validate a scenario document. `providers` supply `key`, `Section` and `check(section)`."""
    by_key = {p.key: p for p in providers}
    try:
        data, lines, duplicates = _compose_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError([f"{file}:{line}: (syntax): invalid YAML: {reason}"]) from None

    problems = [Problem(loc, f"duplicate key {key!r}") for loc, _, key in duplicates]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError([f"{file}:1: (document): a scenario is a mapping, not {type(data).__name__}"])

    head: ScenarioHead | None = None
    try:
        head = ScenarioHead.model_validate(data)
    except ValidationError as exc:
        problems += _pydantic_problems(exc, ())

    sections: dict[str, Any] = {}
    raw_providers = data.get("providers") if isinstance(data.get("providers"), dict) else {}
    for key, raw in raw_providers.items():
        provider = by_key.get(key)
        loc: Loc = ("providers", key)
        if provider is None:
            problems.append(
                Problem(loc, f"unknown provider {key!r} (known: {', '.join(sorted(by_key))})")
            )
            continue
        try:
            section = provider.Section.model_validate(raw or {})
        except ValidationError as exc:
            problems += _pydantic_problems(exc, loc)
            continue
        problems += [Problem(loc + p.loc, p.message) for p in provider.check(section)]
        sections[key] = section

    if head is not None:
        problems += check_subscriptions(head.webhooks, by_key)

    if problems or head is None:
        raise ScenarioError(
            [f"{file}:{_line_for(lines, p.loc)}: {_dotted(p.loc)}: {p.message}" for p in problems]
        )
    return Scenario(
        file=file,
        name=head.name,
        description=head.description,
        seed=head.seed,
        clock_start=head.clock.start,
        sections=sections,
        webhooks=head.webhooks,
        text=text,
    )


def find_scenario(name_or_path: str | None) -> Path:
    """A path, or the name of a shipped scenario (`default`, `expiring-disputes`)."""
    if not name_or_path:
        name_or_path = "default"
    path = Path(name_or_path)
    if path.exists():
        return path
    for folder in (SCENARIO_DIR, PACKAGED_SCENARIO_DIR):
        for candidate in (folder / name_or_path, folder / f"{name_or_path}.yaml"):
            if candidate.exists():
                return candidate
    raise ScenarioError([f"{name_or_path}:1: (document): no such file or shipped scenario"])


def load_scenario_file(name_or_path: str | None, providers: Iterable[Any]) -> Scenario:
    path = find_scenario(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([f"{path}:1: (document): cannot read: {exc}"]) from None
    return parse_scenario(text, str(path), providers)


def shipped_scenarios() -> list[str]:
    folder = SCENARIO_DIR if SCENARIO_DIR.exists() else PACKAGED_SCENARIO_DIR
    return sorted(p.stem for p in folder.glob("*.yaml"))


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


__all__ = [
    "Problem",
    "RuleDuration",
    "rule_problems",
    "Scenario",
    "ScenarioError",
    "ScenarioTime",
    "Strict",
    "TimelineEntry",
    "Uniques",
    "timeline_problems",
    "find_scenario",
    "load_scenario_file",
    "parse_instant",
    "parse_scenario",
]
