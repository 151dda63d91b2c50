"""Deterministic fake data: same seed and scope → same values, on every machine.

Each generated record gets its own `random.Random` seeded from (seed, scope, index), so records
are independent of each other and of generation order. Faker is called once per build to fill
small pools (names, sentences, …) that records then pick from: Faker is far too slow to call per
field for large scenarios.
"""

from __future__ import annotations

import functools
import random
import string
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from functools import cached_property
from typing import TypeVar

from faker import Faker

T = TypeVar("T")
BASE62 = string.digits + string.ascii_letters
POOL_SIZE = 500


def rng_for(seed: int, *scope: object) -> random.Random:
    """A private generator for one record or one build step (string seeds hash with SHA-512)."""
    return random.Random(":".join(map(str, (seed, *scope))))


def random_id(rng: random.Random, prefix: str, length: int, alphabet: str = BASE62) -> str:
    """`prefix` followed by random characters, `length` characters after the prefix."""
    return prefix + "".join(rng.choices(alphabet, k=length))


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
def _faker(locale: str) -> Faker:
    return Faker(locale)  # costly to create (tens of ms): one per process, re-seeded per pool


@functools.cache
def pools_for(seed: int, locale: str = "en_US") -> FakePools:
    """Pools are pure functions of the seed, so every build with that seed shares them."""
    return FakePools(seed, locale)


class FakePools:
    """Faker-made pools for one seed. Each pool is filled on first use, from its own seed."""

    def __init__(self, seed: int, locale: str = "en_US") -> None:
        self.seed = seed
        self.locale = locale

    def _pool(self, name: str, make) -> list:
        faker = _faker(self.locale)
        faker.seed_instance(f"{self.seed}:{name}")
        return [make(faker) for _ in range(POOL_SIZE)]

    @cached_property
    def first_names(self) -> list[str]:
        return self._pool("first_names", lambda f: f.first_name())

    @cached_property
    def last_names(self) -> list[str]:
        return self._pool("last_names", lambda f: f.last_name())

    @cached_property
    def companies(self) -> list[str]:
        return self._pool("companies", lambda f: f.company())

    @cached_property
    def products(self) -> list[str]:
        return self._pool("products", lambda f: f"{f.color_name()} {f.word().title()} {f.word()}")

    @cached_property
    def streets(self) -> list[str]:
        return self._pool("streets", lambda f: f.street_address())

    @cached_property
    def cities(self) -> list[tuple[str, str, str]]:
        return self._pool("cities", lambda f: (f.city(), f.state_abbr(), f.postcode()))

    @cached_property
    def domains(self) -> list[str]:
        return self._pool("domains", lambda f: f.free_email_domain())

    def person(self, rng: random.Random) -> tuple[str, str]:
        return pick(rng, self.first_names), pick(rng, self.last_names)

    def email(self, rng: random.Random, first: str, last: str) -> str:
        local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        return f"{local}{rng.randint(1, 999)}@{pick(rng, self.domains)}"
