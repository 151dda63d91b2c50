"""Legacy clients read byte-identical answers: the legacy wire answers (whop-sdk 0.0.41, @whop/sdk 0.0.42, no header) for fixed scenarios.

`requests()` is a fixed walk over the default and expiring-disputes scenarios: every list page at
several filter sets, every case retrieved, the error paths, and reads after control actions and a
clock move. `digests()` hashes each answer; `fixtures/whop/legacy_golden.json` holds the digests
taken before the current API was added, so a change to any legacy byte fails the test.
Regenerate (only on purpose) with `python tests/whop/test_whop_legacy_golden.py`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sandbox.testing import asgi_client, make_sandbox, shipped_text

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "whop" / "legacy_golden.json"
URL = "/whop/api/v1/resolution_center_cases"
# what each legacy client sends (docs/providers/whop.md, "Versions"); None sends no header
LEGACY_HEADERS = {"none": None, "sdk-0.0.41": "2026-07-08-1", "js-0.0.42": "2026-07-20"}
# the companies of the day the digests were taken; companies added later are not walked
GOLDEN_COMPANIES = ("biz_PickaxeLabs01", "biz_CourseForge02", "biz_ExpiringDemo1")
QUERIES = [
    "first=25",
    "first=7&direction=asc&statuses[]=merchant_response_needed&statuses[]=customer_won",
    "first=10&statuses=under_platform_review",
    "first=50&created_after=2026-10-01T00:00:00Z&created_before=2026-11-20T00:00:00Z",
    "last=5",
]


def _walk(client, headers: dict, query: str) -> list[tuple[str, int, bytes]]:
    out, url = [], f"{URL}?{query}"
    for _ in range(40):
        response = client.get(url, headers=headers)
        out.append((url, response.status_code, response.content))
        body = response.json()
        cursor = body.get("page_info", {}).get("end_cursor")
        if response.status_code != 200 or not body["data"] or not body["page_info"]["has_next_page"]:
            break
        url = f"{URL}?{query}&after={cursor}"
    return out


def requests(version: str | None) -> list[tuple[str, int, bytes]]:
    """Every (request, status, body) of the fixed walk, at one legacy version header."""
    out: list[tuple[str, int, bytes]] = []
    for scenario, keys in (
        ("default", ["whop_test_pickaxe_read", "whop_test_courseforge_read", "whop_test_courseforge_noperm", "nope"]),
        ("expiring-disputes", ["whop_test_expiring"]),
    ):
        sandbox = make_sandbox(text=shipped_text(scenario, ["whop"]))
        with asgi_client(sandbox) as client:
            for key in keys:
                headers = {"Authorization": f"Bearer {key}"}
                if version:
                    headers["Api-Version-Date"] = version
                for query in QUERIES:
                    out += _walk(client, headers, query)
                ids = [c.id for c in sandbox.state("whop").cases if c.company_id in GOLDEN_COMPANIES]
                for case_id in sorted(ids) + ["reso_missing", ""]:
                    response = client.get(f"{URL}/{case_id}", headers=headers)
                    out.append((f"{URL}/{case_id} {key}", response.status_code, response.content))
            if scenario == "default":
                headers = {"Authorization": "Bearer whop_test_pickaxe_read", **({"Api-Version-Date": version} if version else {})}
                client.post("/_sandbox/whop/cases/reso_PickaxeDue01/request_info", json={"from": "customer"})
                client.post("/_sandbox/whop/cases/reso_PickaxeDue01/customer_reply", json={"details": "here"})
                client.post("/_sandbox/clock/advance", json={"duration": "9d"})
                for query in QUERIES[:2]:
                    out += _walk(client, headers, query)
                response = client.get(f"{URL}/reso_PickaxeDue01", headers=headers)
                out.append(("after actions", response.status_code, response.content))
    return out


def digests() -> dict[str, str]:
    result = {}
    for name, version in LEGACY_HEADERS.items():
        h = hashlib.sha256()
        for url, status, body in requests(version):
            h.update(f"{url}\n{status}\n".encode() + body + b"\n")
        result[name] = h.hexdigest()
    return result


def test_legacy_answers_are_byte_identical_to_the_golden_digests():
    assert digests() == json.loads(GOLDEN.read_text())


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(digests(), indent=2) + "\n")
    print(GOLDEN.read_text())
