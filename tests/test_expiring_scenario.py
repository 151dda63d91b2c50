"""The shipped `expiring-disputes` scenario: for every provider, one record per deadline passes
exactly at +1h, +1d, +3d, +7d and +21d, and not a second before."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sandbox.testing import make_sandbox

DEADLINES = {"1h": timedelta(hours=1), "1d": timedelta(days=1), "3d": timedelta(days=3),
             "7d": timedelta(days=7), "21d": timedelta(days=21)}
# the record of each provider whose deadline is each offset
RECORDS = {
    "whop": {k: f"reso_Expires{k}" for k in DEADLINES},
    "shoplazza": {
        "1h": "dp_ExpiringIn1Hour000000000001", "1d": "dp_ExpiringIn1Day0000000000001",
        "3d": "dp_ExpiringIn3Days000000000001", "7d": "dp_ExpiringIn7Days000000000001",
        "21d": "dp_ExpiringIn21Days00000000001",
    },
    "riverty": {k: f"00000000-0000-4000-8000-00000000000{i}" for i, k in enumerate(DEADLINES, 1)},
    "pandabase": {
        "1h": "cse_expires1h0000000000000001", "1d": "cse_expires1d0000000000000001",
        "3d": "cse_expires3d0000000000000001", "7d": "dsp_n96gs3m8uf3043di2i0903wu",  # its dispute
        "21d": "cse_expires21d000000000000001",
    },
    "orderprotection": {
        "1h": "cexpires1hour000001", "1d": "cexpires1day0000001", "3d": "cexpires3days000001",
        "7d": "cexpires7days000001", "21d": "cexpires21days00001",
    },
}


@pytest.fixture(scope="module")
def run():
    """Advance one second short of, then onto, each deadline; record which ids changed when."""
    sandbox = make_sandbox("expiring-disputes")
    start = sandbox.now()
    changes: dict[str, set[timedelta]] = {}
    for offset in sorted(DEADLINES.values()):
        for instant in (start + offset - timedelta(seconds=1), start + offset):
            seen = sandbox.events.query()[-1].seq if sandbox.events.query() else 0
            sandbox.set_clock(instant)
            for event in sandbox.events.query(since=seen):
                changes.setdefault(event.object_id, set()).add(event.at - start)
    return changes


@pytest.mark.parametrize("provider", sorted(RECORDS))
def test_each_deadline_passes_on_time(run, provider):
    for label, record_id in RECORDS[provider].items():
        offsets = run.get(record_id, set())
        assert DEADLINES[label] in offsets, (provider, label, record_id, offsets)
        assert DEADLINES[label] - timedelta(seconds=1) not in offsets
