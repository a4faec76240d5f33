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


def test_the_html_404_speaks_to_people_and_the_api_404_to_programs(client):
    """A browser that follows a broken share link reads what happened and what to do, not
    an API call; the JSON API keeps its message for programs."""
    r = client.get("/n/no-such-network")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    doc = parse(r.text)
    assert doc.find("h1").text() == "No network here"
    text = doc.find("main").text()
    assert "no network at this address" in text and "start page" in text
    for jargon in ("POST", "/api", "id '", "create one with"):
        assert jargon not in text, jargon
    other = parse(client.get("/no/such/page").text)
    assert other.find("h1").text() == "Page not found"
    api = client.get("/api/networks/no-such-network")
    assert api.status_code == 404 and "POST /api/networks" in api.json()["detail"]
