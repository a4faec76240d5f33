"""Unknown addresses answer like every other error: an HTML page with a way back for a
browser, JSON naming the address for the API."""

from __future__ import annotations

from tests.support.htmldom import parse


def test_unknown_page_is_an_html_404_linking_to_the_start_page(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    doc = parse(r.text)
    assert any(a.attrs.get("href") == "/" for a in doc.find_all("a"))


def test_unknown_api_route_is_json_naming_the_address(client):
    r = client.get("/api/no-such-route")
    assert r.status_code == 404
    assert r.json()["detail"] == "nothing at /api/no-such-route; the start page is at /"
