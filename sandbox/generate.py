"""Deterministic fake data: same seed and scope → same values, on every machine.

Each generated record gets its own `random.Random` seeded from (seed, scope, index), so records
are independent of each other and of generation order. Names, addresses and products come from
pools that Faker made once, shipped in `fake_pools.json`: Faker is far too slow to call per field
for large scenarios, and importing and warming it up cost most of a default start.
"""

from __future__ import annotations

import _random
import functools
import hashlib
import random
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

import orjson

T = TypeVar("T")
BASE62 = string.digits + string.ascii_letters
POOLS_FILE = Path(__file__).with_name("fake_pools.json")


def rng_for(seed: int, *scope: object) -> random.Random:
    """A private generator for one record or one build step (string seeds hash with SHA-512)."""
    return random.Random(":".join(map(str, (seed, *scope))))


def uuid4_text(bits: int, dashed: bool = True) -> str:
    """`str(uuid.UUID(int=bits, version=4))` (or its `.hex` when not `dashed`) without building a
    UUID: a request id is minted on every Shoplazza reply."""
    bits = (bits & ~(0xF000 << 64)) | (0x4000 << 64)  # version 4 (RFC 4122 §4.4)
    text = f"{(bits & ~(0xC000 << 48)) | (0x8000 << 48):032x}"  # the RFC 4122 variant
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}" if dashed else text


def random_for(seed: int, *scope: object) -> float:
    """`rng_for(seed, *scope).random()` without `random.Random.seed`'s Python layer: the same
    SHA-512 string seeding (CPython's `random.seed`, version 2) done here, the integer handed to
    the C generator. A clock move draws one per Whop review it decides."""
    text = ":".join(map(str, (seed, *scope))).encode()
    return _random.Random(int.from_bytes(text + hashlib.sha512(text).digest())).random()


def random_id(rng: random.Random, prefix: str, length: int, alphabet: str = BASE62) -> str:
    """`prefix` followed by random characters, `length` characters after the prefix."""
    return prefix + "".join(rng.choices(alphabet, k=length))


@dataclass(frozen=True)
class IdForm:
    """How one kind of a provider's ids looks, declared once as data; call it with a private rng
    and the prefix: `length` random characters after the prefix, or `total` characters with the
    prefix. `bytewise` draws one `randbytes` call mapped through a byte table (byte b → alphabet[b %
    len(alphabet)]: C speed for builds that mint millions, not quite uniform); else `random_id`."""

    length: int | None = None
    total: int | None = None
    alphabet: str = BASE62
    bytewise: bool = False
    table: bytes = field(init=False, repr=False, compare=False)  # byte b → its character (bytewise)

    def __post_init__(self) -> None:
        if (self.length is None) == (self.total is None):
            raise ValueError("IdForm needs exactly one of length and total")
        codes = self.alphabet.encode()
        object.__setattr__(self, "table", bytes(codes[b % len(codes)] for b in range(256)))

    def __call__(self, rng: random.Random, prefix: str = "") -> str:
        length = self.length
        if length is None:
            length = self.total - len(prefix)  # type: ignore[operator]  # __post_init__: one is set
        if self.bytewise:
            return prefix + rng.randbytes(length).translate(self.table).decode()
        return random_id(rng, prefix, length, self.alphabet)


def weighted(rng: random.Random, weights: Mapping[T, float]) -> T:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A uniformly random instant in [start, end], whole milliseconds."""
    span_ms = max(0, int((end - start).total_seconds() * 1000))
    return start + timedelta(milliseconds=rng.randint(0, span_ms))


def pick(rng: random.Random, pool: Sequence[T]) -> T:
    return pool[rng.randrange(len(pool))]


@functools.cache
def fake_pools() -> FakePools:
    """The pools, read once per process (`scripts/make_fake_pools.py` writes them with Faker)."""
    return FakePools(**orjson.loads(POOLS_FILE.read_bytes()))


@dataclass(frozen=True)
class FakePools:
    """Faker-made names, addresses and products that records pick from with their own seeded
    generator, so a record's values depend on the scenario seed and not on the pools' order of use."""

    first_names: list[str]
    last_names: list[str]
    products: list[str]
    streets: list[str]
    cities: list[list[str]]  # [city, state, zip]
    domains: list[str]

    def person(self, rng: random.Random) -> tuple[str, str]:
        return pick(rng, self.first_names), pick(rng, self.last_names)

    def email(self, rng: random.Random, first: str, last: str) -> str:
        local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        return f"{local}{rng.randint(1, 999)}@{pick(rng, self.domains)}"
