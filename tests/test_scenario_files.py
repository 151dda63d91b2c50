"""Bad scenario files: each problem named as `file:line: path: message`; nothing running is lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sandbox import scenario as scenario_module
from sandbox.providers import load_providers
from sandbox.scenario import ScenarioError, parse_scenario

GOOD = """\
version: 1
seed: 1
clock: {start: "2026-01-01T00:00:00Z"}
providers:
  whop:
    companies:
      - id: biz_A
        title: A
        api_keys: [{key: k}]
        cases:
          - {id: reso_One, status: customer_won}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml", load_providers(["whop"]))
    return info.value.lines


def test_good_file_parses():
    scenario = parse_scenario(GOOD, "s.yaml", load_providers(["whop"]))
    assert scenario.seed == 1 and "whop" in scenario.sections


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("title: A", "title: [A", "s.yaml:9: (syntax): invalid YAML"),
        ("seed: 1", "seed: 1\nsede: 2", "s.yaml:3: sede: unknown key 'sede'"),
        ("seed: 1", "seed: one", "s.yaml:2: seed: Input should be a valid integer"),
        ("status: customer_won", "status: won", "s.yaml:11: providers.whop.companies[0].cases[0].status: Input should be"),
        ("title: A", "title: A\n        colour: red", "s.yaml:9: providers.whop.companies[0].colour: unknown key 'colour'"),
        ("- id: biz_A", "- title_only: x", "providers.whop.companies[0].id: required key 'id' is missing"),
        ("  whop:", "  whopp:", "s.yaml:5: providers.whopp: unknown provider 'whopp'"),
        ('start: "2026-01-01T00:00:00Z"', "start: tomorrow", "s.yaml:3: clock.start:"),
        ("version: 1", "version: 2", "s.yaml:1: version: Input should be 1"),
        # generation weights and ranges are checked before any build draws from them
        ("api_keys: [{key: k}]", "api_keys: [{key: k}]\n        generate: {statuses: {customer_won: 0}}",
         "s.yaml:10: providers.whop.companies[0].generate.statuses: weights must name at least one value above 0"),
        ("api_keys: [{key: k}]", "api_keys: [{key: k}]\n        generate: {issues: {forgot_to_cancel: -1}}",
         "s.yaml:10: providers.whop.companies[0].generate.issues: a weight cannot be negative"),
        ("api_keys: [{key: k}]", "api_keys: [{key: k}]\n        generate: {total_between: [9, 1]}",
         "s.yaml:10: providers.whop.companies[0].generate.total_between: need 0 <= low <= high"),
    ],
)
def test_each_problem_is_named_precisely(old, new, expected):
    found = problems(GOOD.replace(old, new, 1))
    assert any(expected in line for line in found), found


@pytest.mark.parametrize(
    ("provider", "section"),
    [
        ("orderprotection", "stores: [{id: s, generate: {count: 3, states: {OPEN: 0}}}]"),
        ("pandabase", "stores: [{id: shp_aaaaaaaaaaaaaaaaaaaaaaaa, name: S, generate: {count: 3, amount_between: [9, 1]}}]"),
        ("riverty", "clients: [{id: 1, name: C, email: c@x.io, shops: [{shop_id: RTY000000001, country_code: DE,"
                    " api_key: k}], generate: {count: 3, reasons: {R1: -1}}}]"),
        ("shoplazza", "stores: [{id: '1', subdomain: one, generate: {count: 3, currencies: {USD: 0}}}]"),
    ],
)
def test_bad_generation_weights_or_ranges_are_problems_in_every_provider(provider, section):
    text = f"version: 1\nproviders:\n  {provider}:\n    {section}\n"
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml", load_providers([provider]))
    assert len(info.value.lines) == 1 and ".generate." in info.value.lines[0], info.value.lines
    assert any(m in info.value.lines[0] for m in ("above 0", "cannot be negative", "low <= high"))


def test_duplicate_ids_and_keys_are_reported_together():
    text = GOOD.replace(
        "          - {id: reso_One, status: customer_won}",
        "          - {id: reso_One, status: customer_won}\n          - {id: reso_One}",
    ).replace("api_keys: [{key: k}]", "api_keys: [{key: k}, {key: k}]")
    found = problems(text)
    assert "s.yaml:12: providers.whop.companies[0].cases[1].id: duplicate case id 'reso_One'" in found
    assert any("api_keys[1].key: duplicate API key 'k'" in line for line in found)


def test_duplicate_yaml_key_is_an_error():
    found = problems(GOOD.replace("seed: 1", "seed: 1\nseed: 2"))
    assert any(line.startswith("s.yaml:") and "duplicate key 'seed'" in line for line in found)


def test_a_mapping_as_a_key_is_a_syntax_problem():
    found = problems(GOOD.replace("title: A", "{title: A}: x"))
    assert len(found) == 1 and found[0].startswith("s.yaml:8: (syntax):"), found


def test_not_a_mapping():
    assert problems("- just\n- a list\n") == ["s.yaml:1: (document): a scenario is a mapping, not list"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sandbox", *args], capture_output=True, text=True, timeout=60
    )


def test_validate_exit_codes(tmp_path: Path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(GOOD)
    bad.write_text(GOOD.replace("status: customer_won", "status: won"))
    ok = run_cli("validate", str(good))
    assert ok.returncode == 0 and "ok" in ok.stdout
    failed = run_cli("validate", str(bad))
    assert failed.returncode == 2
    assert f"{bad}:11: providers.whop.companies[0].cases[0].status:" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_serve_with_a_bad_file_exits_2_without_traceback(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("seed: [\n")
    result = run_cli("serve", "--scenario", str(bad), "--port", "1")
    assert result.returncode == 2
    assert result.stderr.startswith(f"{bad}:")
    assert "Traceback" not in result.stderr


def test_shipped_scenarios_validate():
    folder = Path(__file__).resolve().parent.parent / "scenarios"
    shipped = sorted(p for p in folder.glob("*.yaml") if p.stem != "large")  # large: the bench's, built there
    assert len(shipped) >= 2
    result = run_cli("validate", *map(str, shipped))
    assert result.returncode == 0, result.stderr


def test_rule_overrides_takes_only_the_named_fields_under_their_mapped_names():
    from datetime import timedelta

    from sandbox.scenario import RuleDuration, Strict, rule_overrides

    class Spec(Strict):
        window: RuleDuration | None = None
        dispute_window: RuleDuration | None = None
        unset: RuleDuration | None = None

    spec = Spec(window="2d", dispute_window="off")
    assert rule_overrides(spec) == {"window": timedelta(days=2), "dispute_window": None}
    assert rule_overrides(spec, {"dispute_window": "window", "unset": "unset"}) == {"window": None}
    assert rule_overrides(spec, {"window": "window"}) == {"window": timedelta(days=2)}


@pytest.mark.parametrize(
    ("provider", "section"),
    [
        ("orderprotection", "stores: [{id: s, generate: {count: %s}}]"),
        ("pandabase", "stores: [{id: shp_aaaaaaaaaaaaaaaaaaaaaaaa, name: S, generate: {count: %s}}]"),
        ("riverty", "clients: [{id: 1, name: C, email: c@x.io, shops: [{shop_id: RTY000000001, country_code: DE,"
                    " api_key: k}], generate: {count: %s}}]"),
        ("shoplazza", "stores: [{id: '1', subdomain: one, generate: {count: %s}}]"),
        ("whop", "companies: [{id: biz_A, title: A, api_keys: [{key: k}], generate: {count: %s}}]"),
    ],
)
@pytest.mark.parametrize("count", ["-1", "2000001", "'many'"])
def test_every_generate_count_has_the_core_bound(provider, section, count):
    text = f"version: 1\nproviders:\n  {provider}:\n    {section % count}\n"
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml", load_providers([provider]))
    assert len(info.value.lines) == 1 and ".generate.count" in info.value.lines[0], info.value.lines


def test_a_scenario_that_loads_finds_no_lines_until_a_refusal_needs_them(monkeypatch):
    """The line map is a second parse: a start never pays it, a later refusal still names the line."""
    calls = []
    real = scenario_module._line_map
    monkeypatch.setattr(scenario_module, "_line_map", lambda text: calls.append(1) or real(text))
    loaded = scenario_module.parse_scenario("version: 1\nname: x\nseed: 3\n", "x.yaml", [])
    assert calls == []
    assert loaded.problem_lines([scenario_module.Problem(("seed",), "refused")]) == ["x.yaml:3: seed: refused"]
    assert calls == [1]


@pytest.mark.parametrize(
    ("anchor", "walker"), [("", "_measure_tree"), ("x-shared: &s {a: 1}\nx-copy: *s\n", "_measure")]
)
def test_a_repeated_key_is_found_with_and_without_aliases(monkeypatch, anchor, walker):
    """A document without `*` is measured as a tree, one with aliases as a graph: both see the repeat."""
    walked = []
    real = getattr(scenario_module, walker)
    monkeypatch.setattr(scenario_module, walker, lambda *args: walked.append(walker) or real(*args))
    with pytest.raises(ScenarioError) as info:
        parse_scenario(f"version: 1\n{anchor}name: a\nname: b\n", "r.yaml", [])
    assert walked == [walker]
    assert any(line.startswith("r.yaml:") and "duplicate key 'name'" in line for line in info.value.lines), info.value.lines
