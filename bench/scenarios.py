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


def _orderprotection(n: int) -> str:
    return f"""  orderprotection:
    rate_limit_per_minute: 0
    stores:
      - id: bench-store
        name: Bench
        tokens: [{{token: op_at_bench, scopes: [read_claims]}}]
        generate: {{count: {n}}}
"""


def _pandabase(n: int) -> str:
    return f"""  pandabase:
    rate_limits: {{per_second: 0, replies_per_minute: 0}}
    stores:
      - id: shp_benchstore000000000001
        name: Bench
        tokens: [{{secret: sk_bench}}]
        generate: {{count: {n}}}
"""


def _shoplazza(n: int) -> str:
    return f"""  shoplazza:
    stores:
      - id: "9000001"
        subdomain: bench
        tokens: [{{token: shoplazza_bench}}]
        generate: {{count: {n}}}
"""


def _riverty(n: int) -> str:
    return f"""  riverty:
    clients:
      - id: 9
        name: Bench
        email: bench@example.com
        shops: [{{shop_id: RTY000009001, country_code: DE, api_key: riverty_bench}}]
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
    # the same Whop tenant read at a current Api-Version-Date (whop-sdk 2.x): full case objects
    "whop-current": ListTarget(
        first_page="/whop/api/v1/resolution_center_cases?first=25&status=closed",
        plain_page=lambda n: "/whop/api/v1/resolution_center_cases?first=25",
        deep_page=lambda n: "/whop/api/v1/resolution_center_cases?last=25",
        headers={"Authorization": "Bearer bench", "Api-Version-Date": "2026-10-15-1"},
        section=_whop,
    ),
    "orderprotection": ListTarget(
        first_page="/orderprotection/v1/claims?first=25&claimState=OPEN",
        plain_page=lambda n: "/orderprotection/v1/claims?first=25",
        deep_page=lambda n: "/orderprotection/v1/claims?last=25",
        headers={"Authorization": "Bearer op_at_bench"},
        section=_orderprotection,
    ),
    "pandabase": ListTarget(
        first_page="/pandabase/v2/core/stores/shp_benchstore000000000001/cases?limit=25&status=CLOSED",
        plain_page=lambda n: "/pandabase/v2/core/stores/shp_benchstore000000000001/cases?limit=25&page=1",
        deep_page=lambda n: f"/pandabase/v2/core/stores/shp_benchstore000000000001/cases?limit=25&page={min(1000, n // 25)}",
        headers={"Authorization": "Bearer sk_bench"},
        section=_pandabase,
    ),
    "shoplazza": ListTarget(
        first_page="/shoplazza/openapi/2024-07/shoplazza-payment/disputes?limit=25&status=won",
        plain_page=lambda n: "/shoplazza/openapi/2024-07/shoplazza-payment/disputes?limit=25",
        deep_page=lambda n: "/shoplazza/openapi/2024-07/shoplazza-payment/disputes?limit=25&created_at_max=1787918400",  # 90 days back: deep in the list
        headers={"Access-Token": "shoplazza_bench"},
        section=_shoplazza,
    ),
    "riverty": ListTarget(
        first_page="/riverty/9/disputes?pageSize=25&status=4",
        plain_page=lambda n: "/riverty/9/disputes?pageSize=25&pageNumber=1",
        deep_page=lambda n: f"/riverty/9/disputes?pageSize=25&pageNumber={min(1000, n // 25)}",
        headers={"X-Auth-Key": "riverty_bench"},
        section=_riverty,
    ),
}


def _whop_with_disputes(n: int) -> str:
    """Whop's bench tenant plus as many generated chargeback disputes, and a key that reads them."""
    return _whop(n).replace(
        "api_keys: [{key: bench}]",
        "api_keys: [{key: bench}, {key: bench_disputes, permissions: [payment:dispute:read]},"
        " {key: bench_evidence, permissions: [payment:dispute:read, payment:dispute]}]",
    ) + f"        generate_disputes: {{count: {n}}}\n"


# Other list calls of a provider already above, benched next to its first one (their sections
# replace that provider's: `provider_of` names it).
VARIANT_TARGETS: dict[str, ListTarget] = {
    "whop-disputes": ListTarget(
        first_page="/whop/api/v1/disputes?first=25&status=won",
        plain_page=lambda n: "/whop/api/v1/disputes?first=25",
        deep_page=lambda n: "/whop/api/v1/disputes?last=25",
        headers={"Authorization": "Bearer bench_disputes", "Api-Version-Date": "2026-10-15-1"},
        section=_whop_with_disputes,
    ),
}


@dataclass(frozen=True)
class WriteTarget:
    """A write repeated under load: `list_page` finds the record (`pick` takes its id from the
    parsed page), `path` (with `{id}`) is POSTed `body`, which the record accepts again and again."""

    provider: str
    list_page: str
    pick: Callable[[object], str]
    path: str
    body: str
    headers: dict[str, str] = field(default_factory=dict)


# Whop's case actions are not here: each moves the case on (a repeated one is refused with a 409).
# Its repeatable write is evidence on an open chargeback: `update_evidence` (a POST at every
# version, answering in the request's shape: the current one at whop-sdk 2.6.0's date) sets the
# same text again and again (docs/providers/whop-disputes.md).
WRITE_TARGETS: dict[str, WriteTarget] = {
    "pandabase-reply": WriteTarget(
        provider="pandabase",
        list_page="/pandabase/v2/core/stores/shp_benchstore000000000001/cases?limit=25&status=OPEN",
        pick=lambda page: page["data"]["items"][0]["id"],  # type: ignore[index]
        path="/pandabase/v2/core/stores/shp_benchstore000000000001/cases/{id}/messages",
        body='{"body": "Thanks, we are looking into it."}',
        headers={"Authorization": "Bearer sk_bench"},
    ),
    "riverty-comment": WriteTarget(
        provider="riverty",
        list_page="/riverty/9/disputes?pageSize=25",
        pick=lambda page: page[0]["id"],  # type: ignore[index]
        path="/riverty/disputes/{id}/comments",
        body='{"body": "Delivery proof follows.", "visibility": 4}',
        headers={"X-Auth-Key": "riverty_bench"},
    ),
    "whop-evidence": WriteTarget(
        provider="whop-disputes",
        list_page="/whop/api/v1/disputes?first=25&status=needs_response",
        pick=lambda page: page["data"][0]["id"],  # type: ignore[index]
        path="/whop/api/v1/disputes/{id}/update_evidence",
        body='{"product_description": "Lifetime access to the course, delivered at once.", "customer_email_address": "ava@example.com"}',
        headers={"Authorization": "Bearer bench_evidence", "Api-Version-Date": "2026-10-15-1"},
    ),
}


def provider_of(name: str) -> str:
    return name.split("-", 1)[0]


def target_for(name: str) -> ListTarget:
    return LIST_TARGETS.get(name) or VARIANT_TARGETS[name]


BENCH_PROVIDERS: tuple[str, ...] = tuple(dict.fromkeys(provider_of(name) for name in LIST_TARGETS))  # one section each


# Each provider's list call on the default scenario (the tenants and keys its banner prints): the
# bench times the first of each right after start-up, which pays for what the start deferred.
DEFAULT_LISTS: dict[str, tuple[str, dict[str, str]]] = {
    "whop": ("/whop/api/v1/resolution_center_cases?first=25", {"Authorization": "Bearer whop_test_pickaxe_read"}),
    "orderprotection": ("/orderprotection/v1/claims?first=25", {"Authorization": "Bearer op_at_teststore2_readwrite"}),
    "pandabase": (
        "/pandabase/v2/core/stores/shp_kxw5h7n4tr3bcfp2v8q1mzj0/cases?limit=25",
        {"Authorization": "Bearer sk_test_pixelforge_cases_rw"},
    ),
    "shoplazza": (
        "/shoplazza/openapi/2024-07/shoplazza-payment/disputes?limit=25",
        {"Access-Token": "shoplazza_test_aurora_finance"},
    ),
    "riverty": ("/riverty/1/disputes?pageSize=25", {"X-Auth-Key": "riverty_test_abc_de"}),
}


LARGE_RECORDS = 200_000  # per provider: scenarios/large.yaml holds 1M records in all


def big_scenario(records: int, providers: list[str], name: str = "bench") -> str:
    # targets that read one provider two ways share its section: each provider's once; a
    # variant's section (a superset) replaces its provider's
    chosen: dict[str, str] = {}
    for wanted in providers:
        if wanted in VARIANT_TARGETS or provider_of(wanted) not in chosen:
            chosen[provider_of(wanted)] = target_for(wanted).section(records)
    sections = "".join(chosen.values())
    return f"""# Made by bench/scenarios.py: one big tenant per provider. Regenerate, do not edit.
version: 1
name: {name}
description: {records:,} generated records in one tenant of each provider, for the bench.
seed: 1
clock: {{start: "2026-11-26T12:00:00Z"}}
providers:
{sections}"""
