"""Query and path values as ASP.NET binds them (issue 20.4): an empty value binds null, which the
non-nullable parameters refuse (inferred.EMPTY_REFUSED) and the nullable ones take as absent;
integers are ASCII digits (`٣`, `1_0` are not numbers; a sign and spaces are, as in .NET)."""

from __future__ import annotations

import pytest

AUTH = {"X-Auth-Key": "key-abc-de"}
LISTS = ["/riverty/disputes", "/riverty/1/disputes"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("name", ["pageSize", "pageNumber", "sortBy", "sortMethod", "PageSize"])
@pytest.mark.parametrize("value", ["", "%20"])
def test_empty_non_nullable_parameter_is_refused(riverty, path, name, value):
    _, client = riverty
    r = client.get(f"{path}?{name}={value}", headers=AUTH)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    shown = value.replace("%20", " ")
    assert r.json()["errors"] == {name if name != "PageSize" else "pageSize": [f"The value '{shown}' is invalid."]}


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("name", ["status", "startDate", "endDate", "query"])
def test_empty_nullable_parameter_is_absent(riverty, path, name):
    _, client = riverty
    plain = client.get(path, headers=AUTH)
    r = client.get(f"{path}?{name}=", headers=AUTH)
    assert r.status_code == 200 and r.json() == plain.json()


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("value", ["%D9%A3", "1_0", "%EF%BC%93", "9" * 5000])  # ٣, 1_0, fullwidth ３, too long
@pytest.mark.parametrize("name", ["pageSize", "pageNumber", "status"])
def test_non_ascii_integers_are_refused(riverty, path, name, value):
    _, client = riverty
    r = client.get(f"{path}?{name}={value}", headers=AUTH)
    assert r.status_code == 400, r.text
    assert list(r.json()["errors"]) == [name]


@pytest.mark.parametrize("value", [" 2", "+2", "2 "])
def test_dotnet_integer_forms_are_read(riverty, value):
    _, client = riverty
    r = client.get(f"/riverty/disputes?pageSize={value}", headers=AUTH)
    assert r.status_code == 200 and r.json()["paging"]["pageSize"] == 2


@pytest.mark.parametrize("client_id", ["%D9%A1", "1_0", "%EF%BC%91"])  # ١, 1_0, fullwidth １
def test_gen1_client_id_is_ascii(riverty, client_id):
    _, client = riverty
    r = client.get(f"/riverty/{client_id}/disputes", headers=AUTH)
    assert r.status_code == 400 and list(r.json()["errors"]) == ["clientId"]
