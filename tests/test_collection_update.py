"""`IndexedCollection.update`: a change that keeps a record's sort key and groups (a comment on a
dispute, a reply at a frozen clock) re-files nothing but still drops the record's cached forms
and the finished pages; a change that moves it re-files it."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.pagination import IndexedCollection


@dataclass
class Rec:
    id: str
    at: int
    status: str
    note: str = ""


def _collection() -> IndexedCollection[Rec]:
    c: IndexedCollection[Rec] = IndexedCollection(lambda r: r.id, lambda r: (r.at, r.id), lambda r: (("all",), ("s", r.status)))
    c.add_many([Rec("a", 1, "open"), Rec("b", 2, "open"), Rec("c", 3, "closed")])
    return c


def test_a_change_that_keeps_key_and_groups_drops_cached_forms_and_pages_only():
    c = _collection()
    a = c.get("a")
    assert a is not None
    c.fragments([(1, "a")], "json", lambda r: r.note.encode())
    c.cache_page("p1", b"page")
    indexes = {g: list(c.index(g)) for g in (("all",), ("s", "open"), ("s", "closed"))}
    c.update(a, lambda r: setattr(r, "note", "commented"))
    assert {g: list(c.index(g)) for g in indexes} == indexes
    assert c.cached_page("p1") is None
    assert c.fragments([(1, "a")], "json", lambda r: r.note.encode()) == [b"commented"]
    assert c.mismatched_keys() == []


def test_a_change_that_moves_the_record_refiles_it():
    c = _collection()
    b = c.get("b")
    assert b is not None

    def close_later(r: Rec) -> None:
        r.status, r.at = "closed", 9

    c.update(b, close_later)
    assert list(c.index(("s", "open"))) == [(1, "a")]
    assert list(c.index(("s", "closed"))) == [(3, "c"), (9, "b")]
    assert list(c.index(("all",))) == [(1, "a"), (3, "c"), (9, "b")]
    assert c.mismatched_keys() == []
