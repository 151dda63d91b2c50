"""`serve --state-file PATH`: every namespace's op log (sandbox/oplog.py) in SQLite.

Per namespace one base row (the scenario's text, seed and start instant; written at a load or
reset, which also deletes the namespace's ops) and its ops in order; deleting a namespace deletes
both. An op is committed by the front door before the start of its 2xx answer is forwarded, so
an answered change is on disk and one the server died before answering is either absent or whole
(one row, one transaction): never half-applied. On start every namespace is rebuilt by replaying
its ops onto its base.

WAL with `synchronous=NORMAL`: a commit is written to the WAL file (the operating system's page
cache) before it returns, and only checkpoints are synced. A killed process (SIGKILL, an OOM kill)
loses nothing: the kernel still writes the pages out. Only a power cut or kernel crash can lose
the last commits, which `synchronous=FULL` would keep at an fsync per change
(https://www.sqlite.org/pragma.html#pragma_synchronous, https://www.sqlite.org/wal.html).

Faults, drills, the request journal and webhook deliveries are not stored.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import orjson

from .oplog import Op
from .timefmt import parse_instant

SCHEMA = """
CREATE TABLE IF NOT EXISTS bases (name TEXT PRIMARY KEY, made INTEGER NOT NULL, text TEXT NOT NULL,
                                  seed INTEGER NOT NULL, start TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ops (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, op BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS ops_by_name ON ops (name, id);
"""


@dataclass
class Stored:
    """One namespace as the state file holds it: its base and the ops to replay onto it (`Store.load`)."""

    name: str
    text: str
    seed: int
    start: datetime
    ops: list[Op] = field(default_factory=list)


class Store:
    def __init__(self, path: str) -> None:
        self.path = path
        # autocommit (isolation_level=None): each statement is its own transaction unless BEGIN
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self._made = (self.db.execute("SELECT COALESCE(MAX(made), 0) FROM bases").fetchone()[0] or 0) + 1

    def rebase(self, name: str, text: str, seed: int, start: datetime) -> None:
        """A load or reset of `name` (or its creation): the new base, no ops."""
        with self._transaction():
            made = self.db.execute("SELECT made FROM bases WHERE name = ?", (name,)).fetchone()
            self.db.execute("DELETE FROM ops WHERE name = ?", (name,))
            self.db.execute(
                "INSERT OR REPLACE INTO bases (name, made, text, seed, start) VALUES (?, ?, ?, ?, ?)",
                (name, made[0] if made else self._made, text, seed, start.isoformat()),
            )
            self._made += 1

    def append(self, name: str, op: Op) -> None:
        self.db.execute("INSERT INTO ops (name, op) VALUES (?, ?)", (name, orjson.dumps(op.to_json())))

    def drop(self, name: str) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM ops WHERE name = ?", (name,))
            self.db.execute("DELETE FROM bases WHERE name = ?", (name,))

    def load(self) -> list[Stored]:
        """Every namespace in the order it was made, with its ops in order."""
        found = {
            name: Stored(name, text, seed, parse_instant(start))
            for name, text, seed, start in self.db.execute("SELECT name, text, seed, start FROM bases ORDER BY made")
        }
        for name, raw in self.db.execute("SELECT name, op FROM ops ORDER BY id"):
            if name in found:
                found[name].ops.append(Op.from_json(orjson.loads(raw)))
        return list(found.values())

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
