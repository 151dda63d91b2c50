"""sandbox/routing.py's Route behaves as Starlette's, only compiling its pattern later."""

import pytest
from starlette import routing
from starlette.responses import PlainTextResponse

from sandbox.routing import Route, is_compiled

PATHS = ["/", "/cases", "/cases/{id}", "/stores/{store}/cases/{n:int}", "/files/{rest:path}", "/{clientId}/disputes"]
REQUESTS = ["/", "/cases", "/cases/", "/cases/cse_1", "/stores/s1/cases/12", "/stores/s1/cases/x", "/files/a/b.pdf",
            "/7/disputes", "/7/disputes/extra"]


async def endpoint(request):
    return PlainTextResponse("ok")


def scope(path: str, method: str = "GET") -> dict:
    return {"type": "http", "path": path, "root_path": "", "method": method}


@pytest.mark.parametrize("path", PATHS)
def test_a_route_matches_and_builds_urls_as_starlettes_does(path):
    ours, theirs = Route(path, endpoint, methods=["GET"]), routing.Route(path, endpoint, methods=["GET"])
    assert not is_compiled(ours)
    assert (ours.path, ours.name, ours.methods, repr(ours)) == (theirs.path, theirs.name, theirs.methods, repr(theirs))
    for request in REQUESTS:
        for method in ("GET", "POST"):
            assert ours.matches(scope(request, method)) == theirs.matches(scope(request, method)), (request, method)
    assert is_compiled(ours)
    assert (ours.path_regex.pattern, ours.path_format, ours.param_convertors.keys()) == (
        theirs.path_regex.pattern, theirs.path_format, theirs.param_convertors.keys())
    params = {name: "1" if name != "n" else 1 for name in theirs.param_convertors}
    assert ours.url_path_for(theirs.name, **params) == theirs.url_path_for(theirs.name, **params)


def test_one_compile_serves_all_three_attributes(monkeypatch):
    """The first read fills `path_regex`, `path_format` and `param_convertors` together; later reads
    are plain attribute reads (sandbox/routing.py `_CompiledOnFirstRead`)."""
    compiled = []
    real = routing.compile_path
    monkeypatch.setattr(routing, "compile_path", lambda path: compiled.append(path) or real(path))
    route = Route("/stores/{store}/cases/{n:int}", endpoint)
    assert compiled == ["/"]  # the stand-in Starlette's `__init__` compiles (from `re`'s cache)
    assert route.path_format == "/stores/{store}/cases/{n}"
    assert set(route.param_convertors) == {"store", "n"}
    assert route.matches(scope("/stores/s1/cases/12"))[1]["path_params"] == {"store": "s1", "n": 12}
    assert compiled == ["/", "/stores/{store}/cases/{n:int}"]


def test_building_a_url_compiles_the_pattern_too():
    route = Route("/cases/{id}", endpoint)
    assert route.url_path_for("endpoint", id="cse_1") == "/cases/cse_1"
    assert is_compiled(route)


def test_an_unknown_attribute_is_still_an_attribute_error():
    route = Route("/cases", endpoint)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        route.nope  # noqa: B018
    assert not hasattr(route, "target")
    assert not is_compiled(route)


def test_a_path_without_its_leading_slash_is_refused_as_starlette_refuses_it():
    with pytest.raises(AssertionError, match="must start with '/'"):
        Route("cases", endpoint)
