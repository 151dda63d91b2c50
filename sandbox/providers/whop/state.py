"""Whop's backend: companies, API keys and cases for one scenario build."""

from __future__ import annotations

from ...faults import RateLimiter
from ...pagination import IndexedCollection
from ...provider import BuildContext
from .generator import make_case
from .lifecycle import Lifecycle, Rules
from .models import ApiKey, CaseRecord, CompanyRecord
from .scenario import WhopSection


def case_sort_key(case: CaseRecord) -> tuple:
    return (case.created_at.timestamp(), case.id)


def case_groups(case: CaseRecord) -> tuple:
    return ((case.company_id,), (case.company_id, case.status))


class WhopState:
    def __init__(self, section: WhopSection, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.rules = Rules.from_spec(section.rules)
        self.rate = RateLimiter(section.rate_limit_per_minute or None)
        self.companies: dict[str, CompanyRecord] = {}
        self.keys: dict[str, ApiKey] = {}
        self.cases: IndexedCollection[CaseRecord] = IndexedCollection(
            lambda c: c.id, case_sort_key, case_groups
        )
        self.lifecycle = Lifecycle(self)
        for company in section.companies:
            self.companies[company.id] = CompanyRecord(company.id, company.title, not company.deleted)
            for key in company.api_keys:
                self.keys[key.key] = ApiKey(key.key, company.id, tuple(key.permissions))
            hand = [make_case(ctx, self.rules, company, i, spec) for i, spec in enumerate(company.cases)]
            bulk = (make_case(ctx, self.rules, company, i) for i in range(company.generate.count))
            self.cases.add_many([*hand, *bulk])
        for case in sorted(self.cases, key=case_sort_key):
            self.lifecycle.arm(case)  # scenario records exist already: no `created` event
        for entry in section.timeline:
            ctx.scheduler.at(
                ctx.time(entry.at),
                lambda at, e=entry: self.lifecycle.apply(self.cases.get(e.id), e.action, e.data, at),
            )
