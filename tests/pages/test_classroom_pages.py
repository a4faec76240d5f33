"""The classroom's pages: the edit page's share panel (the watch link, its QR code, the
line on the edit link, the title and Make my own copy), the copy routes of both pages, the
title, the watch page's note, and the presenter view as the server sends it."""

from __future__ import annotations

import pytest

from app.views.geometry import PRESENT_FONT
from tests.support.htmldom import parse

BASE = "http://lab.test"  # the in-process client's address (tests/support/app_client.py)


def create(client, preset: str = "worked-example") -> dict:
    r = client.post("/api/networks", json={"preset": preset})
    assert r.status_code == 201
    return r.json()


def new_id(response) -> str:
    assert response.status_code == 303, response.text[:300]
    location = response.headers["location"]
    assert location.startswith("/n/")
    return location.removeprefix("/n/")


def test_the_edit_page_has_the_share_panel(client):
    net = create(client)
    doc = parse(client.get(f"/n/{net['id']}").text)
    panel = doc.by_id("share")
    url = f"{BASE}/w/{net['watch_id']}"
    assert panel.find("input", id="watch-url").attrs["value"] == url
    assert panel.find("button", id=None, cls="jsonly").attrs["data-copy"] == "watch-url"
    qr = panel.find("svg", cls="qr")
    assert qr.attrs["role"] == "img" and qr.find("title").text()
    assert "full control" in panel.find("p", cls="edit-warning").text()
    forms = {f.attrs["action"]: f for f in panel.find_all("form")}
    assert set(forms) == {f"/n/{net['id']}/title", f"/n/{net['id']}/copy"}
    assert forms[f"/n/{net['id']}/copy"].find("button").text() == "Make my own copy"
    assert panel.attrs["data-network-id"] == net["id"]  # My networks remembers it


def test_make_my_own_copy_from_the_edit_page(client):
    net = create(client)
    client.post(f"/api/networks/{net['id']}/forward", json={"all": True})
    nid = new_id(client.post(f"/n/{net['id']}/copy"))
    assert nid != net["id"]
    copy, original = (client.get(f"/api/networks/{n}").json() for n in (nid, net["id"]))
    assert copy["watch_id"] != original["watch_id"]
    for key in ("weights", "biases", "cursor", "iteration", "trace", "inputs", "targets"):
        assert copy[key] == original[key], key
    client.post(f"/n/{nid}/backward")  # the copy moves on, the original stays
    assert client.get(f"/api/networks/{net['id']}").json()["cursor"] == original["cursor"]
    assert client.get(f"/api/networks/{nid}").json()["cursor"] != original["cursor"]


def test_make_my_own_copy_from_the_watch_page(client):
    net = create(client)
    page = client.get(f"/w/{net['watch_id']}")
    assert page.status_code == 200
    form = parse(page.text).by_id("share").find("form", cls="copy-form")
    assert form.attrs["action"] == f"/w/{net['watch_id']}/copy"
    nid = new_id(client.post(form.attrs["action"]))
    assert nid not in (net["id"], net["watch_id"])
    copy = client.get(f"/api/networks/{nid}").json()
    assert copy["weights"] == net["weights"] and copy["watch_id"] != net["watch_id"]
    assert parse(client.get(f"/n/{nid}").text).by_id("share").attrs["data-network-id"] == nid


def test_the_watch_page_says_whose_view_it_is_and_never_names_the_edit_id(client):
    net = create(client)
    for query in ("", "?present=1"):
        page = client.get(f"/w/{net['watch_id']}{query}")
        assert net["id"] not in page.text and net["id"] not in str(page.headers)
        panel = parse(page.text).by_id("share")
        assert panel.find("h2").text().startswith("You are watching")
        assert "Make my own copy to try it yourself" in panel.text()
        assert panel.find("form", id="title-form") is None
    presenting = parse(client.get(f"/w/{net['watch_id']}?present=1").text).by_id("share")
    assert presenting.find("svg", cls="qr") is not None
    assert presenting.find("a").attrs["href"] == f"{BASE}/w/{net['watch_id']}"


@pytest.mark.parametrize("path", ["/n/{}/copy", "/w/{}/copy", "/n/{}/title"])
def test_unknown_ids_are_not_found(client, path):
    r = client.post(path.format("no-such-network"), data={"title": "x"})
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert client.post(path.format("bad id!"), data={"title": "x"}).status_code == 404


@pytest.mark.parametrize("action", ["copy", "title", "forward", "step", "reset", "edit"])
def test_a_watch_id_changes_nothing_on_the_edit_routes(client, action):
    net = create(client)
    r = client.post(f"/n/{net['watch_id']}/{action}", data={"title": "x", "key": "lr"})
    assert r.status_code == 404
    after = client.get(f"/api/networks/{net['id']}").json()
    assert after["version"] == net["version"] and after["title"] == net["title"]


def test_an_edit_id_is_not_a_watch_id(client):
    net = create(client)
    assert client.post(f"/w/{net['id']}/copy").status_code == 404


def test_the_title_is_set_on_the_edit_page_and_escaped_everywhere(client):
    net = create(client)
    title = 'Lesson <b>3</b> & "XOR"'
    r = client.post(f"/n/{net['id']}/title", data={"title": title})
    assert r.status_code == 303 and r.headers["location"] == f"/n/{net['id']}"
    assert client.get(f"/api/networks/{net['id']}").json()["title"] == title
    for url in (f"/n/{net['id']}", f"/w/{net['watch_id']}"):
        html = client.get(url).text
        assert "<b>3</b>" not in html and "Lesson &lt;b&gt;3&lt;/b&gt; &amp;" in html
        doc = parse(html)
        assert doc.find("title").text().startswith(title + " · 2–2–2 network")
        assert doc.by_id("network-title").text() == title
    doc = parse(client.get(f"/n/{net['id']}").text)
    assert doc.by_id("title").attrs["value"] == title
    assert doc.by_id("share").attrs["data-title"] == title


def test_the_title_by_htmx_answers_the_lab_region_and_says_so(client):
    net = create(client)
    r = client.post(f"/n/{net['id']}/title", data={"title": "Cats"}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    doc = parse(r.text)
    assert doc.by_id("lab") is not None and doc.by_id("network-title").text() == "Cats"
    assert doc.by_id("announce").text() == "The title is now “Cats”."
    r = client.post(f"/n/{net['id']}/title", data={"title": ""}, headers={"HX-Request": "true"})
    assert parse(r.text).by_id("network-title") is None


@pytest.mark.parametrize(
    ("title", "said"), [("x" * 81, "at most 80"), ("two\nlines", "control character")]
)
def test_a_bad_title_is_refused_in_place_and_changes_nothing(client, title, said):
    net = create(client)
    r = client.post(f"/n/{net['id']}/title", data={"title": title})
    assert r.status_code == 422
    message = parse(r.text).by_id("message").text()
    assert "title" in message and said in message
    after = client.get(f"/api/networks/{net['id']}").json()
    assert after["title"] == "" and after["version"] == net["version"]


def test_the_presenter_view_as_served(client):
    net = create(client)
    doc = parse(client.get(f"/n/{net['id']}?present=1").text)
    assert "present" in doc.find("html").classes
    toggle = doc.by_id("present-toggle")
    assert toggle.attrs["href"] == f"/n/{net['id']}" and "Leave" in toggle.text()
    for form in ("step-form", "train-form", "view-form", "title-form"):
        hidden = doc.by_id(form).find("input", name="present")
        assert hidden is not None and hidden.attrs["value"] == "1", form
    font = float(doc.by_id("diagram").attrs["style"].removeprefix("--font:").removesuffix("px"))
    assert font >= PRESENT_FONT
    plain = parse(client.get(f"/n/{net['id']}").text)
    assert "present" not in plain.find("html").classes
    assert plain.by_id("present-toggle").attrs["href"] == f"/n/{net['id']}?present=1"
    assert float(plain.by_id("diagram").attrs["style"][7:-2]) < PRESENT_FONT


def test_the_presenter_view_stays_after_a_step(client):
    net = create(client)
    r = client.post(f"/n/{net['id']}/forward", data={"present": "1"})
    assert r.headers["location"] == f"/n/{net['id']}?present=1"
    r = client.post(
        f"/n/{net['id']}/forward", data={"present": "1"}, headers={"HX-Request": "true"}
    )
    assert r.headers["HX-Replace-Url"] == f"/n/{net['id']}?present=1"


def test_the_start_page_has_my_networks_and_marks_the_forms_that_create(client):
    doc = parse(client.get("/").text)
    mine = doc.by_id("my-networks")
    assert "hidden" in mine.attrs and mine.find("ul", id="my-networks-list") is not None
    creating = [f.attrs["action"] for f in doc.find_all("form") if "data-creates" in f.attrs]
    presets = [p["name"] for p in client.get("/api/presets").json()]
    assert sorted(creating) == sorted(["/", "/import", *(f"/presets/{p}" for p in presets)])


@pytest.mark.parametrize("path", ["/n/{id}/copy", "/w/{watch_id}/copy", "/n/{id}/title"])
def test_another_sites_page_cannot_copy_or_retitle(client, path):
    net = create(client)
    url = path.format(id=net["id"], watch_id=net["watch_id"])
    r = client.post(url, data={"title": "pwned"}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    r = client.post(url, data={"title": "pwned"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    assert client.get(f"/api/networks/{net['id']}").json()["title"] == ""
