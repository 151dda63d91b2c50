"""Whop's backend: companies, API keys and cases for one scenario build."""

from __future__ import annotations

from ...bulk import deadlines, from_micros, micros, split
from ...faults import RateLimiter
from ...pagination import IndexedCollection
from ...provider import BuildContext
from . import inferred
from .disputes import DisputeBook
from .generator import Skeleton, bulk_case, bulk_columns, make_case
from .lifecycle import Lifecycle, Rules
from .models import ApiKey, CaseRecord, CompanyRecord
from .scenario import WhopSection


def case_sort_key(case: CaseRecord) -> tuple:
    return (micros(case.created_at), case.id)


def case_groups(case: CaseRecord) -> tuple:
    return ((case.company_id,), (case.company_id, case.status))


class WhopState:
    def __init__(self, section: WhopSection, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.rules = Rules.from_spec(section.rules)
        self.rate = RateLimiter(section.rate_limit_per_minute or None, inferred.RATE_LIMIT_WINDOW.total_seconds())
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
            self.cases.add_many(hand)
            for case in sorted(hand, key=case_sort_key):
                self.lifecycle.arm(case)  # scenario records exist already: no `created` event
            if company.generate.count:
                self._add_bulk(company)
        for entry in section.timeline:
            ctx.scheduler.at(
                ctx.time(entry.at),
                lambda at, e=entry: self.lifecycle.apply(self.cases.get(e.id), e.action, e.data, at),
            )
        self.disputes_book = DisputeBook(self, section, ctx)  # chargebacks, alerts, evidence files

    def _add_bulk(self, company) -> None:
        """Generated cases: columns now, each record on first read (see sandbox/bulk.py)."""
        cols = bulk_columns(self.ctx, self.rules, company)
        ids, labels = cols["ids"], cols["labels"]
        created_l, entered_l, codes_l = cols["created"].tolist(), cols["entered"].tolist(), cols["codes"].tolist()
        keys = list(zip(created_l, ids, strict=True))  # already in key order
        groups = split(keys, cols["codes"], [(company.id, s) for s in labels])
        groups[(company.id,)] = keys

        def make(i: int) -> CaseRecord:
            skeleton = Skeleton(ids[i], labels[codes_l[i]], from_micros(created_l[i]), from_micros(entered_l[i]))
            return bulk_case(self.ctx, self.rules, company, i, skeleton)

        self.cases.add_lazy(ids, groups, make)
        self.ctx.scheduler.stream(deadlines(cols["due"], ids, self.lifecycle.deadlines.first))
