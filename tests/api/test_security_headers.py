"""Every route, and every kind of error, answers with the security headers; state-changing
requests from another site are refused (403) and changes nothing, and the API's body-less
routes want JSON or a custom header (415)."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Route

from tests.support.api_helpers import JSON, checked

HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def assert_secure(response, private: bool = True) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (response.url, name)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, response.url
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp, response.url
    if private:
        assert response.headers["cache-control"] == "private, no-store", response.url


def every_route(app):
    """(path, methods) of every route (FastAPI's included routers opened up)."""
    for route in app.routes:
        if hasattr(route, "effective_route_contexts"):  # FastAPI ≥ 0.160: included routers
            for context in route.effective_route_contexts():
                yield context.path, context.methods
        elif isinstance(route, (APIRoute, Route)):
            yield route.path, route.methods


def requests_for_every_route(app, nid: str, watch_id: str = "") -> list[tuple[str, str]]:
    values = {"nid": nid, "action": "step", "name": "seed-xor", "number": 1, "ext": "md"}
    values |= {"token": "6Q84T-Q4NV0-F2", "code": "6Q84T-Q4NV0-DHNGW-V"}
    values["watch_id"] = watch_id or nid
    found = [
        (method, path.format(**values))
        for path, methods in every_route(app)
        for method in sorted(methods or ())
    ]
    assert len(found) > 30, found
    return found


def test_every_route_answers_with_the_security_headers(client, create):
    made = create(preset="worked-example")
    nid = made["id"]
    for method, path in requests_for_every_route(client.app, nid, made["watch_id"]):
        if method == "DELETE":
            continue  # below, last
        if path.endswith("/events") and method == "GET":
            continue  # a stream that never ends: tests/api/test_events.py checks its headers
        response = client.request(method, path, headers=JSON)
        assert response.status_code < 500, (method, path, response.text)
        assert_secure(response)
    assert_secure(client.delete(f"/api/networks/{nid}"))


@pytest.mark.parametrize(
    "method,path,kwargs,status",
    [
        ("GET", "/nothing", {}, 404),
        ("PUT", "/api/presets", {}, 405),
        ("POST", "/api/networks", {"json": {"layers": "x"}}, 422),
        ("POST", "/api/networks", {"content": b"x" * (2 << 20), "headers": JSON}, 413),
        ("POST", "/api/networks/abc/step", {}, 415),
        ("POST", "/presets/seed-xor", {"headers": {"origin": "http://evil.test"}}, 403),
    ],
)
def test_errors_carry_them_too(client, method, path, kwargs, status):
    response = client.request(method, path, **kwargs)
    assert response.status_code == status, response.text
    assert_secure(response)


def test_static_files_keep_their_caching_but_get_the_rest(client):
    response = client.get("/static/css/lab.css")
    assert response.status_code == 200
    assert_secure(response, private=False)
    assert response.headers.get("cache-control") != "private, no-store"


def test_docs_allow_only_their_own_inline_script(client):
    csp = client.get("/docs").headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp and "unsafe-inline' " not in csp.split("style")[0]


CROSS_SITE = [
    {"origin": "http://evil.test"},
    {"origin": "null"},
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site", "origin": "http://lab.test:9999"},
    {"referer": "http://evil.test/page"},
]


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_state_change_from_another_site_is_refused_and_changes_nothing(client, create, headers):
    net = create(preset="worked-example")
    nid = net["id"]
    for method, path, data in (
        ("POST", f"/n/{nid}/step", {"seen": "1"}),
        ("POST", f"/n/{nid}/edit", {"key": "lr", "value": "9"}),
        ("POST", f"/n/{nid}/train", {"iterations": "5"}),
        ("POST", "/presets/seed-xor", None),
        ("POST", f"/api/networks/{nid}/step", None),
        ("DELETE", f"/api/networks/{nid}", None),
    ):
        response = client.request(method, path, data=data, headers=headers)
        assert response.status_code == 403, (path, headers, response.text)
        assert "another site" in response.text
    assert checked(client.get(f"/api/networks/{nid}")) == net
    assert client.get("/api/presets").status_code == 200  # reading is never refused


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://lab.test"},
        {"sec-fetch-site": "same-origin", "origin": "null"},  # Referrer-Policy: no-referrer
        {"referer": "http://lab.test/n/x"},
        {"hx-request": "true", "origin": "null"},
        {},  # not a browser: curl, scripts
    ],
)
def test_our_own_pages_and_other_clients_pass(client, create, headers):
    nid = create(preset="worked-example")["id"]
    response = client.post(f"/n/{nid}/step", data={"seen": "1"}, headers=headers)
    assert response.status_code in (200, 303), response.text


@pytest.mark.parametrize(
    "headers",
    [JSON, {"x-requested-with": "fetch"}, {"sec-fetch-site": "same-origin"}],
)
def test_the_apis_body_less_routes_want_json_a_custom_header_or_our_page(client, create, headers):
    nid = create(preset="worked-example")["id"]
    refused = client.post(f"/api/networks/{nid}/step")
    assert (
        refused.status_code == 415 and "Content-Type: application/json" in refused.json()["detail"]
    )
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        form = client.post(f"/api/networks/{nid}/step", headers={"content-type": content_type})
        assert form.status_code == 415
    assert checked(client.post(f"/api/networks/{nid}/step", headers=headers))["version"] == 2
