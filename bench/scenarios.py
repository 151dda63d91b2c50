"""What the bench serves and asks: one big tenant per provider, and each provider's list call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ListTarget:
    first_page: str  # 25 per page, status filter
    plain_page: Callable[[int], str]  # page 1, no filter (for the deep-page ratio)
    deep_page: Callable[[int], str]  # far into the unfiltered list, given the record count
    headers: dict[str, str] = field(default_factory=dict)
    section: Callable[[int], str] = lambda n: ""  # YAML under `providers:`, two-space indented


def _whop(n: int) -> str:
    return f"""  whop:
    rate_limit_per_minute: 0
    companies:
      - id: biz_BenchCompany01
        title: Bench
        api_keys: [{{key: bench}}]
        generate: {{count: {n}}}
"""


LIST_TARGETS: dict[str, ListTarget] = {
    "whop": ListTarget(
        first_page="/whop/api/v1/resolution_center_cases?first=25&statuses=merchant_won",
        plain_page=lambda n: "/whop/api/v1/resolution_center_cases?first=25",
        deep_page=lambda n: "/whop/api/v1/resolution_center_cases?last=25",  # the far end, by keyset
        headers={"Authorization": "Bearer bench"},
        section=_whop,
    ),
}


def big_scenario(records: int, providers: list[str]) -> str:
    sections = "".join(LIST_TARGETS[p].section(records) for p in providers)
    return f"""version: 1
name: bench
seed: 1
clock: {{start: "2026-11-26T12:00:00Z"}}
providers:
{sections}"""
