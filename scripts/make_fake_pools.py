"""Write sandbox/fake_pools.json: the Faker-made pools every generated record picks from.

The sandbox reads the file instead of running Faker at start-up (importing Faker, creating a
generator and filling the pools cost more than everything else in a default start). Run it after
changing a pool or upgrading Faker: `python scripts/make_fake_pools.py` (needs the test extra).
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
from faker import Faker

POOL_SIZE = 500
SEED = 20261126  # the default scenario's seed: that scenario's records stay as they were
OUT = Path(__file__).resolve().parent.parent / "sandbox" / "fake_pools.json"
RECIPES = {
    "first_names": lambda f: f.first_name(),
    "last_names": lambda f: f.last_name(),
    "products": lambda f: f"{f.color_name()} {f.word().title()} {f.word()}",
    "streets": lambda f: f.street_address(),
    "cities": lambda f: [f.city(), f.state_abbr(), f.postcode()],
    "domains": lambda f: f.free_email_domain(),
}


def make_pools() -> dict[str, list]:
    faker = Faker("en_US")
    pools = {}
    for name, make in RECIPES.items():
        faker.seed_instance(f"{SEED}:{name}")
        pools[name] = [make(faker) for _ in range(POOL_SIZE)]
    return pools


def render() -> bytes:
    return orjson.dumps(make_pools(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        sys.exit(0 if OUT.read_bytes() == render() else f"{OUT} is not what {__file__} makes: run it")
    OUT.write_bytes(render())
    print(f"wrote {OUT}")
