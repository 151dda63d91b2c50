"""The core's unindexed lazy table (sandbox/bulk.py LazyTable): generated records are an id column
until first read, built once, and counted once whether built or not."""

from __future__ import annotations

import numpy as np

from sandbox.bulk import LazyTable


def _table(calls: list[int]) -> tuple[LazyTable[tuple[str, int]], int]:
    table: LazyTable[tuple[str, int]] = LazyTable()
    ids = np.array([b"ord_aa", b"ord_bb", b"ord_cc"], dtype="S6")

    def make(i: int) -> tuple[str, int]:
        calls.append(i)
        return (ids[i].decode(), i)

    source = table.add_lazy(ids, make)
    table["cus_hand"] = ("cus_hand", -1)
    return table, source


def test_a_generated_record_is_built_on_first_read_and_only_once():
    calls: list[int] = []
    table, source = _table(calls)
    assert calls == [] and len(table) == 4
    assert table.get("ord_bb") == ("ord_bb", 1)
    assert table["ord_bb"] == ("ord_bb", 1)
    assert table.build(source, 1) == ("ord_bb", 1)
    assert calls == [1] and len(table) == 4  # built records are not counted twice


def test_unknown_and_non_string_ids_are_simply_not_found():
    calls: list[int] = []
    table, _ = _table(calls)
    assert table.get("ord_zz") is None and "ord_zz" not in table
    assert table.get(12) is None  # type: ignore[arg-type]
    assert "cus_hand" in table and table["cus_hand"] == ("cus_hand", -1)
    assert calls == []
