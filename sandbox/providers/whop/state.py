"""Whop's backend: companies, API keys, customers and their payments, cases, and the replay store
of idempotent writes, for one scenario build."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

import numpy as np
from sortedcontainers import SortedList

from ...bulk import Moves, SortKeys, deadlines, from_micros, micros, split
from ...faults import RateLimiter
from ...pagination import IndexedCollection
from ...provider import BuildContext
from . import errors, inferred
from .disputes import DisputeBook
from .generator import Skeleton, bulk_case, bulk_columns, bulk_issue, history_length, make_case
from .lifecycle import MAX_SYSTEM_MOVES, Lifecycle, Rules
from .models import STATUSES, ApiKey, CaseRecord, CompanyRecord, PaymentRecord
from .scenario import CompanySpec, WhopSection, WhopTimelineEntry


def case_sort_key(case: CaseRecord) -> tuple:
    return (micros(case.created_at), case.id)


def case_groups(case: CaseRecord) -> tuple:
    return ((case.company_id,), (case.company_id, case.status))


@dataclass(frozen=True, slots=True)
class BulkFacts:
    """What a company's bulk columns say of a case before it is built (status, due date, issue),
    so due-date order and summaries over 200k cases build none of them. A clock move changes a
    case nobody has read in these columns (`expire`): its status, deadline and history length,
    and the instants of its moves, replayed when it is built (`Lifecycle.replay`)."""

    company: CompanySpec
    created: np.ndarray  # micros, ascending: the order of `ids`
    ids: list[str]
    codes: np.ndarray  # index into `labels` (every status) of the case's status now
    labels: list[str]
    due: np.ndarray  # micros of the next deadline, -1 for none
    events: np.ndarray  # history entries of the case now (they seed Whop's review)
    moves: Moves  # the deadlines each case passed unread, replayed when it is built
    # the columns above as memoryviews (codes, due, events, created): a move reads and writes one
    # case at a time, at a third of the cost of numpy's scalar indexing
    cells: tuple[memoryview, ...] = field(init=False)

    def __post_init__(self) -> None:
        columns = (self.codes, self.due, self.events, self.created)
        object.__setattr__(self, "cells", tuple(c.data for c in columns))

    def position(self, key: tuple) -> int:
        i = int(np.searchsorted(self.created, key[0], side="left"))
        while self.ids[i] != key[-1]:  # equal creation times: the ids follow in key order
            i += 1
        return i

    def due_key(self, i: int) -> tuple[int, int, str]:
        """`due_key` of case `i` as the columns say (its review deadline is no due date)."""
        codes, due_at = self.cells[0], self.cells[1]
        due = due_at[i]
        null = due < 0 or self.labels[codes[i]] == "under_platform_review"
        return (1, 0, self.ids[i]) if null else (0, due, self.ids[i])

    def expire(self, lifecycle: Lifecycle, i: int, at: datetime) -> None:
        """`Lifecycle.expire` of case `i`, not built: the same indexes, deadline and events,
        with the case's record changes left to `Lifecycle.replay`."""
        codes, due, events, created = self.cells
        case_id, status = self.ids[i], self.labels[codes[i]]
        outcome = lifecycle.outcome(case_id, status, events[i])
        if outcome is None:
            return
        target, action = outcome
        state, company = lifecycle.state, self.company.id
        self.moves.add(i, at)
        events[i] += 1
        old_due = self.due_key(i) if state.due.lists else None  # due-date order asked for so far
        deadline = lifecycle.deadline_on_entry(target, at)
        codes[i] = self.labels.index(target)
        due[i] = -1 if deadline is None else micros(deadline)
        state.cases.refile((created[i], case_id), (company, status), (company, target))
        if old_due is not None:
            state.due.refile(old_due, self.due_key(i), (company,), (company, status), (company, target))
        lifecycle.deadlines.arm(case_id, deadline)
        lifecycle.announce(case_id, company, at, status, target, action)


def due_key(case: CaseRecord) -> tuple[int, int, str]:
    """`order=response_due_at`: nulls last ascending (so first descending), then id."""
    return (1, 0, case.id) if case.due_date is None else (0, micros(case.due_date), case.id)


class DueIndex:
    """Case indexes in due-date order, one per case index group, each built on first use from the
    bulk columns (no case is built) and kept in step by every change (WhopState.update)."""

    def __init__(self, state: WhopState) -> None:
        self.state = state
        self.lists: dict[tuple, SortedList] = {}

    def get(self, group: tuple) -> SortedList:
        found = self.lists.get(group)
        if found is None:
            found = self.lists[group] = SortedList(self._keys(group))
        return found

    def _keys(self, group: tuple) -> list[tuple[int, int, str]]:
        state = self.state
        facts = state.bulk.get(group[0])
        built = [due_key(c) for c in state.cases.built_records() if group in state._groups(c)]
        if facts is None:  # hand-written and created cases are all built
            return built
        mask = np.ones(len(facts.ids), dtype=bool)
        if len(group) > 1:
            mask = facts.codes == facts.labels.index(group[1]) if group[1] in facts.labels else ~mask
        review = np.array([label == "under_platform_review" for label in facts.labels])[facts.codes]
        null = (facts.due < 0) | review
        made = state.cases.built
        lazy = [
            (1, 0, i) if n else (0, d, i)
            for n, d, i in zip(null[mask].tolist(), facts.due[mask].tolist(), np.asarray(facts.ids, dtype=object)[mask].tolist(), strict=True)
            if made(i) is None
        ]
        return lazy + built

    def refile(self, old: tuple, new: tuple, company: tuple, before: tuple, after: tuple) -> None:
        """A bulk case not built moved from group `before` to `after` (both under `company`),
        its due key from `old` to `new`."""
        for group, drop, add in ((company, old, new), (before, old, None), (after, None, new)):
            found = self.lists.get(group)
            if found is not None:
                if drop is not None:
                    found.discard(drop)
                if add is not None:
                    found.add(add)

    def forget(self, case: CaseRecord) -> None:
        """Before a change: drop the case's keys from the lists built so far."""
        key = due_key(case)
        for group in self.state._groups(case):
            found = self.lists.get(group)
            if found is not None:
                found.discard(key)

    def file(self, case: CaseRecord) -> None:
        key = due_key(case)
        for group in self.state._groups(case):
            found = self.lists.get(group)
            if found is not None:
                found.add(key)


@dataclass(frozen=True, slots=True)
class Replay:
    """The first answer to an idempotent write, replayed for the same key within the TTL."""

    fingerprint: bytes
    status: int
    body: bytes
    at: datetime


class WhopState:
    def __init__(self, section: WhopSection, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.rules = Rules.from_spec(section.rules)
        self.rate = RateLimiter(section.rate_limit_per_minute or None, inferred.RATE_LIMIT_WINDOW.total_seconds())
        self.companies: dict[str, CompanyRecord] = {}
        self.keys: dict[str, ApiKey] = {}
        self.users = {c.user_id: c for c in section.customers}
        self.customers = set(self.users)
        self.cases: IndexedCollection[CaseRecord] = IndexedCollection(lambda c: c.id, case_sort_key, self._groups)
        self.lifecycle = Lifecycle(self)
        self.payments: dict[str, PaymentRecord] = {}
        self.bulk: dict[str, BulkFacts] = {}
        self.bulk_cases: list[BulkFacts] = []  # in `cases.add_lazy` order (`cases.unbuilt` sources)
        self.due = DueIndex(self)
        self.issues: dict[str, str] = {}  # bulk cases' issues read from the seed (summaries)
        self.replays: OrderedDict[tuple, Replay] = OrderedDict()
        for customer in section.customers:
            self.keys[customer.token] = ApiKey(
                customer.token, None, tuple(customer.permissions), customer.user_id, customer.api_version_date
            )
            for p in customer.payments:
                self.payments[p.id] = PaymentRecord(p.id, p.company_id, customer.user_id, p.total, p.currency, ctx.time(p.created_at))
        for company in section.companies:
            self.companies[company.id] = CompanyRecord(company.id, company.title, not company.deleted)
            for key in company.api_keys:
                self.keys[key.key] = ApiKey(key.key, company.id, tuple(key.permissions), None, key.api_version_date)
            hand = [make_case(ctx, self.rules, company, i, spec) for i, spec in enumerate(company.cases)]
            for case in hand:  # a scenario customer's cases carry its name and email
                user = self.users.get(case.user_id)
                if user is not None:
                    case.user_name, case.username, case.email = user.name or case.user_name, user.username, user.email
            self.cases.add_many(hand)
            for case in sorted(hand, key=case_sort_key):
                self.lifecycle.arm(case)  # scenario records exist already: no `created` event
            if company.generate.count:
                self._add_bulk(company)
        for entry in section.timeline:
            ctx.scheduler.at(ctx.time(entry.at), partial(self._fire, entry))
        self.disputes_book = DisputeBook(self, section, ctx)  # chargebacks, alerts, evidence files

    def _fire(self, entry: WhopTimelineEntry, at: datetime) -> None:
        """A timeline entry falls due: apply it (its data was validated with the scenario); an
        action the case refuses then is reported."""
        case = self.cases.get(entry.id)
        if case is None:
            return
        problem = self.lifecycle.apply(case, entry.action, entry.data, at)
        if problem:  # a visible event and a log line, never a silent drop
            self.ctx.timeline_refused(case.id, case.company_id, at, entry.action, problem)

    def update(self, case: CaseRecord, mutate: Callable[[CaseRecord], Any]) -> None:
        """Every change to a case goes through here: the case indexes and the due-date ones follow."""
        self.due.forget(case)
        self.cases.update(case, mutate)
        self.due.file(case)

    def add(self, case: CaseRecord) -> None:
        self.cases.add(case)
        self.due.file(case)

    def issue_of(self, company_id: str | None, key: tuple) -> str:
        """A case's issue, read from the seed for a bulk case not yet built (and kept)."""
        case = self.cases.built(key[-1])
        facts = self.bulk.get(company_id) if company_id else None
        if case is None and facts is not None:
            issue = self.issues.get(key[-1])
            if issue is None:
                issue = self.issues[key[-1]] = bulk_issue(self.ctx, facts.company, facts.position(key))
            return issue
        return (case or self.cases.record_for(key)).issue

    def _groups(self, case: CaseRecord) -> tuple:
        """The company indexes, plus one per scenario customer (bulk buyers have none)."""
        groups = case_groups(case)
        return groups + ((("user", case.user_id),) if case.user_id in self.customers else ())

    def replay(self, slot: tuple, fingerprint: bytes, now: datetime) -> Replay | None:
        """The stored answer for an idempotency slot, if still fresh (a different body is refused)."""
        stored = self.replays.get(slot)
        if stored is None or now - stored.at > inferred.IDEMPOTENCY_TTL:
            return None
        if stored.fingerprint != fingerprint:
            raise errors.idempotency_mismatch()
        return stored

    def remember(self, slot: tuple, replay: Replay) -> None:
        self.replays[slot] = replay
        self.replays.move_to_end(slot)
        while len(self.replays) > inferred.IDEMPOTENCY_STORE_SIZE:
            self.replays.popitem(last=False)

    def _add_bulk(self, company) -> None:
        """Generated cases: columns now, each record on first read (see sandbox/bulk.py)."""
        cols = bulk_columns(self.ctx, self.rules, company)
        ids, labels, codes, entered = cols["ids"], cols["labels"], cols["codes"], cols["entered"]
        created = cols["created"]
        keys = SortKeys(created, ids)  # already in key order
        groups = split(keys, codes, [(company.id, s) for s in labels])
        groups[(company.id,)] = keys.group()
        facts = BulkFacts(
            company, cols["created"], ids, np.array([STATUSES.index(s) for s in labels], dtype=np.int8)[cols["codes"]],
            list(STATUSES), cols["due"].copy(), np.array([history_length(s) for s in labels], dtype=np.int16)[cols["codes"]],
            Moves(len(ids), MAX_SYSTEM_MOVES))

        def make(i: int) -> CaseRecord:  # read from the columns: no per-record lists kept for it
            skeleton = Skeleton(ids[i], labels[codes[i]], from_micros(created[i]), from_micros(entered[i]))
            case = bulk_case(self.ctx, self.rules, company, i, skeleton)
            return self.lifecycle.replay(case, facts.moves.of(i))

        self.cases.add_lazy(ids, groups, make, keys)
        self.bulk[company.id] = facts
        self.bulk_cases.append(facts)
        self.ctx.scheduler.stream(deadlines(cols["due"], ids, self.lifecycle.deadlines.first))
