"""Scenario files: YAML → validated models, with every problem as `file:line: path: message`.

The document's top level is common to all providers (`version`, `name`, `seed`, `clock`,
`providers`); each provider validates its own section with its own pydantic model and may add
semantic checks (duplicate ids, dangling references). Errors are collected, never raised one at
a time, so a user fixes a file in one pass.

A document is measured before any work that could grow with it (`ScenarioLimits`: its size, its
nesting, what its aliases copy in, the records it generates), since scenarios arrive over HTTP too:
see docs/security.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
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

from .oplog import Op
from .timefmt import UTC, check_range, check_time, parse_duration, parse_instant, resolve_time

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
PACKAGED_SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
MAX_SEED = 2**63 - 1  # numpy's generators take 0..2**64-1; JSON readers are safe below 2**63
MAX_PROBLEMS = 100  # a file with a million bad records gets the first hundred and a count

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class ScenarioLimits:
    """What one scenario document may cost, checked before the work it would cause.

    Each is a CLI flag and an environment variable (`--max-scenario-bytes` /
    `SANDBOX_MAX_SCENARIO_BYTES`, ...); see docs/security.md.
    """

    max_bytes: int = 1024 * 1024  # the YAML text, UTF-8 encoded
    max_depth: int = 32  # nested mappings/sequences; real scenarios use about ten
    max_alias_nodes: int = 10_000  # YAML nodes that aliases copy in, nested copies counted
    max_records: int = 2_000_000  # generated records (`count:`) across all providers and tenants


DEFAULT_LIMITS = ScenarioLimits()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, at a path into the document; shown as `file:line: path: message`
    (`Scenario.problem_lines`)."""

    loc: Loc
    message: str


ScenarioTime = Annotated[str, AfterValidator(check_time)]
"""`+36h`, `-3d`, `now` or an ISO instant; resolved against the clock start at build time."""


def _off_is_false(value: object) -> object:
    return "off" if value is False else value  # YAML reads a bare `off` as false


K = TypeVar("K")
N = TypeVar("N")


def _check_weights(weights: dict[Any, float]) -> dict[Any, float]:
    if any(w < 0 for w in weights.values()):
        raise ValueError("a weight cannot be negative")
    if sum(weights.values()) <= 0:
        raise ValueError("weights must name at least one value above 0")
    return weights


Weights = Annotated[dict[K, float], AfterValidator(_check_weights)]
"""Relative weights that generated records draw a value from (`Weights[Status]`)."""


def _check_range(pair: tuple[Any, Any]) -> tuple[Any, Any]:
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


def rule_overrides(rules: BaseModel, names: Mapping[str, str] | None = None) -> dict[str, timedelta | None]:
    """The RuleDuration fields a `rules:` section sets, as windows (`off` → None), for
    `Rules(**rule_overrides(spec))`; unset fields keep the provider's default. `names` (spec field →
    Rules field) is for a section that feeds several Rules: only the fields it names are taken, under
    their mapped names. The text was checked by `rule_problems` when the scenario loaded."""
    overrides: dict[str, timedelta | None] = {}
    for name, value in rules:
        if names is not None and name not in names:
            continue
        if isinstance(value, str) and _is_rule_duration(type(rules).model_fields[name].annotation):
            overrides[names[name] if names is not None else name] = None if value == "off" else parse_duration(value)
    return overrides


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


def empty_list() -> list[Any]:
    """`Field(default_factory=empty_list)` for a list field, not `default_factory=list`: pydantic reads
    a factory's signature each time it builds a model, and the builtin `list`'s is parsed from its
    text signature with the tokenizer, about 0.25 ms each against 0.01 ms for this function: the
    34 list fields of the scenario models cost 2% of a start (docs/architecture.md, Start-up)."""
    return []


class Strict(BaseModel):
    """Base for every scenario model: unknown keys are errors (typos must not pass silently)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


MAX_GENERATED = 2_000_000
"""Records one `generate:` section may ask for: bounds a build's memory and time."""


class GenerateBase(Strict):
    """What every provider's `generate:` section starts from: how many records to draw. A
    provider's spec adds its own weights and windows (their defaults are the provider's)."""

    count: int = Field(default=0, ge=0, le=MAX_GENERATED)


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
    events: list[str] = Field(default_factory=empty_list)  # empty: every event the provider sends
    secret: str | None = None
    duplicate: bool = False  # deliver every message twice (receivers must dedupe)
    out_of_order: bool = False  # deliver each batch newest first (receivers must not assume order)
    timeout: float | None = Field(default=None, gt=0, le=60)  # real seconds; default: the provider's
    # the provider's payload version pin (Whop: the webhook's api_version_date); None: unpinned
    version: str | None = Field(default=None, min_length=1, max_length=32)


def check_subscriptions(specs: list[SubscriptionSpec], providers: Mapping[str, Any]) -> list[Problem]:
    problems = []
    for i, spec in enumerate(specs):
        provider = providers.get(spec.provider)
        if provider is None:
            problems.append(Problem(("webhooks", i, "provider"), f"unknown provider {spec.provider!r}"))
            continue
        if not provider.webhook_types:
            problems.append(Problem(("webhooks", i, "provider"), f"{spec.provider} sends no webhooks"))
        if spec.version is not None:
            problem = provider.webhook_version_problem(spec.version)
            if problem:
                problems.append(Problem(("webhooks", i, "version"), problem))
        for j, name in enumerate(spec.events):
            if name not in provider.webhook_types:
                known = ", ".join(provider.webhook_types)
                problems.append(Problem(("webhooks", i, "events", j), f"unknown event {name!r} (known: {known})"))
    return problems


def webhook_tenant_problems(
    specs: Sequence[SubscriptionSpec], providers: Mapping[str, Any], states: Mapping[str, Any]
) -> list[Problem]:
    """Subscriptions naming a tenant the built scenario does not have (known once built, since
    only the provider knows what its tenants are: `tenants(state)`)."""
    problems = []
    for i, spec in enumerate(specs):
        provider = providers.get(spec.provider)
        if provider is None or spec.provider not in states:
            continue
        known = [t.id for t in provider.tenants(states[spec.provider])]
        if spec.tenant not in known:
            shown = ", ".join(map(str, known)) or "none"
            problems.append(Problem(("webhooks", i, "tenant"), f"unknown {spec.provider} tenant {spec.tenant!r} (known: {shown})"))
    return problems


def _instant(value: str) -> str:
    check_range(parse_instant(value))
    return value


ReplayInstant = Annotated[str, AfterValidator(_instant)]


def _base64(value: str) -> str:
    import base64
    import binascii

    try:
        base64.b64decode(value, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"not base64: {exc}") from None
    return value


class ReplayOp(Strict):
    """One acknowledged change of an exported sandbox (`GET /_sandbox/export`, sandbox/oplog.py)."""

    at: ReplayInstant
    kind: Literal["request", "clock"] = "request"
    method: Literal["POST", "PUT", "PATCH", "DELETE"] = "POST"
    path: str = Field(default="/", pattern=r"^/", max_length=8192)
    query: str = Field(default="", max_length=8192)
    headers: list[tuple[str, str]] = Field(default_factory=empty_list, max_length=200)
    body: str | None = None
    body_base64: Annotated[str, AfterValidator(_base64)] | None = None


class ReplaySection(Strict):
    """`replay: {now, ops}`: the changes to replay after the scenario is built, then the clock's
    final instant."""

    now: ReplayInstant | None = None
    ops: list[ReplayOp] = Field(default_factory=empty_list)


class ScenarioHead(Strict):
    version: Literal[1] = 1
    name: str = "unnamed"
    description: str = ""
    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    clock: ClockSection = Field(default_factory=ClockSection)
    providers: dict[str, Any] = Field(default_factory=dict)
    webhooks: list[SubscriptionSpec] = Field(default_factory=empty_list)
    replay: ReplaySection | None = None


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
    replay: list[Op] = field(default_factory=list)  # an export's changes (sandbox/oplog.py)
    replay_now: datetime | None = None

    @cached_property
    def lines(self) -> dict[Loc, int]:
        """Document path → line, found when a refusal first needs one (a start never does)."""
        return _line_map(self.text)[0]

    def replay_line(self, index: int) -> str:
        """`file:line: replay.ops[i]` of one replayed op, for a refusal."""
        return f"{self.file}:{_line_for(self.lines, ('replay', 'ops', index))}: replay.ops[{index}]"

    def problem_lines(self, problems: Sequence[Problem]) -> list[str]:
        """`file:line: path: message` for problems found after parsing (e.g. once built)."""
        return [f"{self.file}:{_line_for(self.lines, p.loc)}: {_dotted(p.loc)}: {p.message}" for p in problems]

    def start_instant(self, loaded_at: datetime) -> datetime:
        """The clock start; `now` (or a relative start) is fixed at load time."""
        return resolve_time(self.clock_start, loaded_at)


class ScenarioError(Exception):
    """Every problem in one file, formatted `file:line: path.in.yaml: message`."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: ~10x faster


def _compose(text: str, file: str, limits: ScenarioLimits) -> tuple[Any, bool]:
    """Parse YAML once; return the data and whether some mapping repeats a key (which PyYAML
    would silently resolve to the last one). The node graph is measured (`_measure`) before
    anything is built from it. Lines are found only when a problem needs them (`_line_map`)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        # no `*`, no alias: the graph is a tree (a `*` in a quoted string only costs the slower walk)
        measure = _measure if "*" in text else _measure_tree
        repeats = measure(node, file, limits) if node is not None else False
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, repeats


def _line_map(text: str) -> tuple[dict[Loc, int], list[tuple[Loc, int, str]]]:
    """Document path → 1-based line, and the repeated keys with their paths: a second parse of a
    text `_compose` has already accepted, paid only when a problem is reported."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
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
    return lines, duplicates


def _repeats_a_key(node: yaml.Node) -> bool:
    if not isinstance(node, yaml.MappingNode):
        return False
    keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
    return len(set(keys)) != len(keys)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _measure(root: yaml.Node, file: str, limits: ScenarioLimits) -> bool:
    """Refuse a node graph that is too deep or whose aliases copy in too much, before it is built;
    return whether some mapping in it repeats a key.

    An alias is the same node object reached twice, so the graph is walked once per distinct node
    (iteratively, memoised): a 1 KB alias bomb of 9 levels × 9 aliases, which expands to 9**9
    nodes, costs a few dozen steps here.
    """
    size: dict[int, int] = {}  # id(node) -> nodes once every alias in it is expanded
    depth: dict[int, int] = {}
    open_: set[int] = set()
    repeats = False
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            open_.discard(key)
            if depth[key] > limits.max_depth:
                _too_deep(file, node, limits)
            continue
        if key in size:
            continue
        if key in open_:
            _refuse(file, node, "an alias refers to a node that contains it (recursive alias)")
        open_.add(key)
        repeats = repeats or _repeats_a_key(node)
        stack.append((node, True))
        stack.extend((k, False) for k in _children(node) if id(k) not in size)
        if len(open_) > limits.max_depth:
            _too_deep(file, node, limits)
    copied = size[id(root)] - len(size)
    if copied > limits.max_alias_nodes:
        message = f"aliases copy in {copied} nodes, over the limit of {limits.max_alias_nodes} (--max-yaml-aliases)"
        _refuse(file, root, message)
    return repeats


def _measure_tree(root: yaml.Node, file: str, limits: ScenarioLimits) -> bool:
    """`_measure` for a document with no alias, whose nodes are each reached once: only the depth
    can be too much, found in one pass with no memo (a tenth of `_measure`'s time)."""
    repeats = False
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limits.max_depth:
            _too_deep(file, node, limits)
        if isinstance(node, yaml.MappingNode):
            repeats = repeats or _repeats_a_key(node)
            stack.extend((value, depth + 1) for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
    return repeats


def _refuse(file: str, node: yaml.Node, message: str) -> None:
    raise ScenarioError([f"{file}:{node.start_mark.line + 1}: (document): {message}"])


def _too_deep(file: str, node: yaml.Node, limits: ScenarioLimits) -> None:
    _refuse(file, node, f"nested deeper than {limits.max_depth} levels (--max-yaml-depth)")


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
            message = f"{message} (got {_short_repr(item['input'])})"
        problems.append(Problem(loc, message))
    return problems


def _short_repr(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def count_fields(value: object, loc: Loc = ()) -> Iterator[tuple[Loc, int]]:
    """Every integer `count` field in a validated section, with its path: the records a section
    generates unless its provider says otherwise (`Provider.record_count`)."""
    if isinstance(value, BaseModel):
        for name, field_info in type(value).model_fields.items():
            child = getattr(value, name)
            key = field_info.alias or name
            if name == "count" and isinstance(child, int) and not isinstance(child, bool):
                yield loc + (key,), child
            else:
                yield from count_fields(child, loc + (key,))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from count_fields(item, loc + (i,))
    elif isinstance(value, dict):
        for k, item in value.items():
            if isinstance(item, BaseModel | list | dict):
                yield from count_fields(item, loc + (str(k),))


def record_problems(counts: Iterable[tuple[Loc, int]], limit: int) -> list[Problem]:
    """The one `count` at which generated records pass `limit` (across every provider)."""
    total = 0
    for loc, count in counts:
        total += count
        if total > limit:
            return [Problem(loc, f"the scenario generates more than {limit} records in all (--max-records)")]
    return []


def _is_union_tag(part: object) -> bool:
    """pydantic inserts type names like 'function-after[...]' into locs; they are not YAML keys."""
    return isinstance(part, str) and ("[" in part or part in ("str", "int", "float"))


def parse_scenario(
    text: str, file: str, providers: Iterable[Any], limits: ScenarioLimits = DEFAULT_LIMITS
) -> Scenario:
    """Validate a scenario document. `providers` supply `key`, `Section` and `check(section)`
    (and optionally `record_count(section)`); `limits` are checked before the work they bound."""
    by_key = {p.key: p for p in providers}
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise ScenarioError(
            [f"{file}:1: (document): {size} bytes, over the limit of {limits.max_bytes} (--max-scenario-bytes)"]
        )
    try:
        data, repeats = _compose(text, file, limits)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError([f"{file}:{line}: (syntax): invalid YAML: {reason}"]) from None

    line_map = _line_map(text) if repeats else None  # the second parse, here only to place the repeats
    duplicates = line_map[1] if line_map else []
    problems = [Problem(loc, f"duplicate key {key!r}") for loc, _, key in duplicates]
    if data is None:
        raise ScenarioError([f"{file}:1: (document): empty scenario: it needs at least `version: 1`"])
    if not isinstance(data, dict):
        raise ScenarioError([f"{file}:1: (document): a scenario is a mapping, not {type(data).__name__}"])

    head: ScenarioHead | None = None
    try:
        head = ScenarioHead.model_validate(data)
    except ValidationError as exc:
        problems += _pydantic_problems(exc, ())

    sections: dict[str, Any] = {}
    counts: list[tuple[Loc, int]] = []
    found = data.get("providers")
    raw_providers: dict[Any, Any] = found if isinstance(found, dict) else {}
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
        counter = getattr(provider, "record_count", None)
        counts += [(loc + at, n) for at, n in (counter(section) if counter else count_fields(section))]
        sections[key] = section
    problems += record_problems(counts, limits.max_records)
    for key, section in sections.items():  # semantic checks see hand-written records, not counts
        problems += [Problem(("providers", key) + p.loc, p.message) for p in by_key[key].check(section)]

    if head is not None:
        problems += check_subscriptions(head.webhooks, by_key)

    if problems or head is None:
        lines = (line_map or _line_map(text))[0]
        shown = [f"{file}:{_line_for(lines, p.loc)}: {_dotted(p.loc)}: {p.message}" for p in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"{file}: ... and {len(problems) - MAX_PROBLEMS} more problems")
        raise ScenarioError(shown)
    return Scenario(
        file=file,
        name=head.name,
        description=head.description,
        seed=head.seed,
        clock_start=head.clock.start,
        sections=sections,
        webhooks=head.webhooks,
        text=text,
        replay=[Op.from_json(op.model_dump()) for op in head.replay.ops] if head.replay else [],
        replay_now=parse_instant(head.replay.now) if head.replay and head.replay.now else None,
    )


def find_scenario(name_or_path: str | None) -> Path:
    """A path, or the name of a shipped scenario (`default`, `expiring-disputes`): for the command
    line and `SANDBOX_SCENARIO`, whose user owns the machine. Over HTTP use `shipped_scenario`."""
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


def read_scenario_text(path: Path, limits: ScenarioLimits = DEFAULT_LIMITS) -> str:
    """A scenario file's text, reading at most one byte past `limits.max_bytes` (so `/dev/zero` or a
    huge file is refused, not read). Problems never quote the file."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise ScenarioError([f"{path}:1: (document): cannot read: {exc.strerror or exc}"]) from None
    if len(raw) > limits.max_bytes:
        raise ScenarioError(
            [f"{path}:1: (document): over the limit of {limits.max_bytes} bytes (--max-scenario-bytes)"]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError([f"{path}:1: (document): not UTF-8 text"]) from None


def load_scenario_file(
    name_or_path: str | None, providers: Iterable[Any], limits: ScenarioLimits = DEFAULT_LIMITS
) -> Scenario:
    path = find_scenario(name_or_path)
    return parse_scenario(read_scenario_text(path, limits), str(path), providers, limits)


def shipped_scenarios() -> list[str]:
    """The names `POST /_sandbox/scenario {"name": ...}` accepts (`dispute-sandbox scenarios`)."""
    folder = SCENARIO_DIR if SCENARIO_DIR.exists() else PACKAGED_SCENARIO_DIR
    return sorted(p.stem for p in folder.glob("*.yaml"))


def shipped_scenario(
    name: str, providers: Iterable[Any], limits: ScenarioLimits = DEFAULT_LIMITS
) -> Scenario:
    """A shipped scenario by name only: never a path, so a request cannot make the server read a
    file of its choosing."""
    names = shipped_scenarios()
    if name not in names:
        shown = ", ".join(names)
        raise ScenarioError([f"{name!r}: no such file or shipped scenario (a request names only these: {shown})"])
    folder = SCENARIO_DIR if SCENARIO_DIR.exists() else PACKAGED_SCENARIO_DIR
    return load_scenario_file(str(folder / f"{name}.yaml"), providers, limits)


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
    "ScenarioLimits",
    "DEFAULT_LIMITS",
    "count_fields",
    "webhook_tenant_problems",
    "find_scenario",
    "load_scenario_file",
    "shipped_scenario",
    "shipped_scenarios",
    "parse_instant",
    "parse_scenario",
]
