"""Bulk records filed lazily (`bulk.split` groups made on first use, records found by sort key
before the id map exists) answer exactly as the same records filed eagerly (key lists, id map at
once), through reads, refiles, adds and updates in any order (sandbox/pagination.py, sandbox/bulk.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.bulk import SortKeys, deadlines, from_micros, split
from sandbox.pagination import IndexedCollection

LABELS = ["open", "won", "lost"]


@dataclass
class Rec:
    id: str
    created: int
    label: str


class Block:
    """Generated records as columns, like a provider's: `make(i)` reads the current label."""

    def __init__(self, created: list[int], codes: list[int], tag: str) -> None:
        order = sorted(range(len(created)), key=lambda i: (created[i], f"{tag}{i:03d}"))
        self.ids = [f"{tag}{i:03d}" for i in order]
        self.created = np.array([created[i] for i in order], dtype=np.int64)
        self.labels = [LABELS[codes[i]] for i in order]
        self.codes = np.array([codes[i] for i in order], dtype=np.int64)
        self.made = 0

    def make(self, i: int) -> Rec:
        self.made += 1
        return Rec(self.ids[i], int(self.created[i]), self.labels[i])

    def keys(self) -> list[tuple[int, str]]:
        return list(zip(self.created.tolist(), self.ids, strict=True))


def collection() -> IndexedCollection[Rec]:
    return IndexedCollection(lambda r: r.id, lambda r: (r.created, r.id), lambda r: [("t",), ("t", r.label)])


def load(lazy: bool, blocks: list[Block]) -> IndexedCollection[Rec]:
    c = collection()
    for block in blocks:
        if lazy:
            keys = SortKeys(block.created, block.ids)
            groups: dict[Any, Any] = split(keys, block.codes, [("t", s) for s in LABELS])
            groups[("t",)] = keys.group()
            c.add_lazy(block.ids, groups, block.make, keys)
        else:
            eager = block.keys()
            lists = {("t", s): [k for k, lab in zip(eager, block.labels, strict=True) if lab == s] for s in LABELS}
            c.add_lazy(block.ids, {**{g: v for g, v in lists.items() if v}, ("t",): eager}, block.make)
    return c


def state(c: IndexedCollection[Rec]) -> tuple:
    return (len(c), {g: list(c.index(("t", *g))) for g in [(), *[(s,) for s in LABELS]]})


SIZES = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 2)), min_size=1, max_size=12)
OPS = st.lists(st.tuples(st.sampled_from(["page", "get", "refile", "add", "update", "contains", "unbuilt"]),
                         st.integers(0, 40), st.integers(0, 2)), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(SIZES, min_size=1, max_size=2), OPS)
def test_lazy_filing_answers_as_eager_filing(sizes, ops):
    sides = []
    for lazy in (True, False):
        blocks = [Block([c for c, _ in s], [k for _, k in s], f"b{n}_") for n, s in enumerate(sizes)]
        sides.append((load(lazy, blocks), blocks))
    every = [(b, i) for b in range(len(sizes)) for i in range(len(sizes[b]))]
    for op, pick, arg in ops:
        answers = []
        for c, blocks in sides:
            block, i = every[pick % len(every)]
            ident = blocks[block].ids[i]
            if op == "page":  # a list page: records by key
                view = c.view([("t", LABELS[arg])] if arg else [("t",)], descending=bool(pick % 2))
                answers.append([(r.id, r.label) for r in view.records(view.after(None, 3))])
            elif op == "get":
                r = c.get(ident)
                answers.append(None if r is None else (r.id, r.label))
            elif op == "contains":
                answers.append((ident in c, f"x{ident}" in c))
            elif op == "unbuilt":
                answers.append(c.unbuilt(ident))
            elif op == "refile" and c.built(ident) is None:  # a clock move on an unbuilt record
                where = c.unbuilt(ident)
                assert where is not None
                old, new = blocks[block].labels[i], LABELS[arg]
                if old != new:
                    blocks[block].labels[i] = new
                    c.refile((int(blocks[block].created[i]), ident), ("t", old), ("t", new))
                answers.append(where)
            elif op == "add":
                c.add(Rec(f"new{pick}_{len(c)}", pick % 7, LABELS[arg]))
            elif op == "update":
                r = c.get(ident)
                assert r is not None
                c.update(r, lambda r, label=LABELS[arg]: setattr(r, "label", label))
            answers.append(state(c))
        assert answers[: len(answers) // 2] == answers[len(answers) // 2 :], op
    lazy_c, eager_c = sides[0][0], sides[1][0]
    assert [r.id for r in lazy_c] == [r.id for r in eager_c]  # built in the same order
    assert lazy_c.mismatched_keys() == eager_c.mismatched_keys() == []
    assert state(lazy_c) == state(eager_c)
    assert [b.made for b in sides[0][1]] == [b.made for b in sides[1][1]]


def test_loading_makes_no_key_and_a_page_makes_only_its_group_and_its_records():
    created = list(range(100))
    block = Block(created, [i % 3 for i in created], "r")
    made: list[int] = []
    keys = SortKeys(block.created, block.ids)
    take = keys.take
    keys.take = lambda positions=None: made.append(100 if positions is None else len(positions)) or take(positions)  # type: ignore[method-assign]
    c = collection()
    groups: dict[Any, Any] = split(keys, block.codes, [("t", s) for s in LABELS])
    groups[("t",)] = keys.group()
    c.add_lazy(block.ids, groups, block.make, keys)
    assert made == [] and len(c) == 100 and block.made == 0
    view = c.view([("t", "won")])
    page = view.records(view.after(None, 5))
    assert [r.id for r in page] == ["r001", "r004", "r007", "r010", "r013"]
    assert made == [33] + [1] * 5  # the "won" group's keys, not the others', then one key per record found
    assert block.made == 5
    assert c._waiting  # found by sort key: no id map made for a list page
    assert c.get("r099") is not None and not c._waiting  # by id alone: the map is made now
    assert len(c) == 100 and "r004" in c and c.unbuilt("r004") is None and c.unbuilt("r005") == (0, 5)
    assert [r.id for r in view.records(view.after(None, 2))] == ["r001", "r004"]  # located ones are not rebuilt
    assert block.made == 6


def test_sort_keys_find_positions_with_ties_and_refuse_foreign_keys():
    keys = SortKeys(np.array([1, 2, 2, 2, 5], dtype=np.int64), ["a", "b", "c", "d", "e"])
    assert [keys.position(k) for k in keys.take()] == [0, 1, 2, 3, 4]
    assert keys.position((2, "z")) is None and keys.position((3, "b")) is None and keys.position((9, "e")) is None
    assert keys.position(("x", "a")) is None and keys.position((1,)) is None
    assert keys.take(np.array([3, 0])) == [(2, "d"), (1, "a")] and keys[4] == (5, "e")
    assert SortKeys(np.array([3, 1]), ["a", "b"]).position((1, "b")) is None  # not in key order: no bisecting


@given(st.lists(st.integers(-1, 5), max_size=30))
def test_deadline_stream_is_the_stable_sort_of_the_live_deadlines(due):
    """The stream finds its first entry without sorting (it is taken at load) and sorts the rest
    when that one fires: the same (instant, id) run as sorting everything at once."""
    column = np.array(due, dtype=np.int64) * 60_000_000
    ids = [f"r{i}" for i in range(len(due))]
    fired: list[str] = []
    stream = [(at, action) for at, action in deadlines(column, ids, lambda ident, at: fired.append(ident))]
    for at, action in stream:
        action(at)
    order = [i for i in np.argsort(column, kind="stable").tolist() if column[i] >= 0]
    assert fired == [ids[i] for i in order]
    assert [at for at, _ in stream] == [from_micros(int(column[i])) for i in order]
