"""The app matches routes in the order it includes them (app/main.py puts the busiest
first): every route must still be the one a request for its own path reaches, so that no
route hides another, whatever the order."""

from __future__ import annotations

import re

from app.main import create_app

PARAM = re.compile(r"\{[^}]+\}")


def routes_in_order(routes) -> list:
    """The app's routes with a path and methods, in the order they are tried (included
    routers opened in place)."""
    out = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            out += routes_in_order(inner.routes)
        elif getattr(route, "methods", None) and hasattr(route, "path_regex"):
            out.append(route)
    return out


def test_each_route_is_the_first_that_matches_its_own_path():
    ordered = routes_in_order(create_app().router.routes)
    assert len(ordered) > 40  # the lab page's, Play's and the API's routes are all there
    for route in ordered:
        path = PARAM.sub("x1", route.path)
        for method in route.methods:
            first = next(r for r in ordered if method in r.methods and r.path_regex.fullmatch(path))
            assert first is route, f"{method} {path} reaches {first.path}, not {route.path}"


def test_the_lab_pages_catch_all_comes_after_the_actions_that_share_its_shape():
    ordered = [r.path for r in routes_in_order(create_app().router.routes)]
    catch_all = ordered.index("/n/{nid}/{action}")
    for path in ("/n/{nid}/play", "/n/{nid}/chunk", "/n/{nid}/copy", "/n/{nid}/network"):
        assert ordered.index(path) < catch_all
