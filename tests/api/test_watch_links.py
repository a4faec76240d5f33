"""The two links of a network: its id (the edit link, full control) and its watch id (the
read-only link). A watch answer never names the edit id; every route that changes a
network refuses a watch id as an unknown network."""

from __future__ import annotations

import re
import sqlite3

import pytest

from app.main import create_app
from app.settings import Settings
from tests.api.test_security_headers import every_route
from tests.support.api_helpers import JSON, checked
from tests.support.app_client import running

HTMX = {"HX-Request": "true"}
CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def everything_in(response) -> str:
    """A response's status line, every header and its body, as one text to search."""
    head = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return f"{response.status_code}\n{head}\n{response.text}"


def test_every_network_has_a_watch_id_and_a_title(client, create, act):
    made = create(preset="seed-xor")
    nid, watch_id = made["id"], made["watch_id"]
    assert made["title"] == ""
    assert re.fullmatch(r"[A-Za-z0-9_-]{24,}", watch_id)  # ≥ 144 bits as URL-safe base64
    assert watch_id != nid and watch_id not in nid and nid not in watch_id
    assert checked(client.get(f"/api/networks/{nid}"))["watch_id"] == watch_id
    for action in ("forward", "step", "undo", "reset"):
        assert act(nid, action)["watch_id"] == watch_id, action
    patched = checked(client.patch(f"/api/networks/{nid}", json={"learning_rate": 0.3}))
    assert patched["watch_id"] == watch_id
    for readout in ("gradcheck", "trace", "training-view"):
        answer = client.get(f"/api/networks/{nid}/{readout}")
        assert answer.status_code == 200 and answer.json()["watch_id"] == watch_id, readout
    others = {create(preset="seed-xor")["watch_id"] for _ in range(20)}
    assert len(others) == 20 and watch_id not in others


def test_the_watch_answer_is_the_network_without_its_edit_id(client, create, act):
    nid = create(preset="seed-xor")["id"]
    act(nid, "forward")
    edit = checked(client.get(f"/api/networks/{nid}"))
    response = client.get(f"/api/watch/{edit['watch_id']}")
    watched = checked(response)
    assert "id" not in watched
    assert watched == {k: v for k, v in edit.items() if k != "id"}
    assert nid not in everything_in(response)


def test_a_watch_id_that_names_no_network_is_not_found(client, create):
    nid = create(preset="seed-xor")["id"]
    for bad in ("nope", nid, "x" * 65, "a b"):
        response = client.get(f"/api/watch/{bad}")
        assert response.status_code == 404, bad
        assert "watch id" in response.json()["detail"]
    assert client.post(f"/api/watch/{nid}/copy", headers=JSON).status_code == 404


def api_requests(nid: str) -> dict[tuple[str, str], dict]:
    """A valid request for every changing API route of a network (by route path)."""
    p = "/api/networks/{nid}"
    return {
        ("PATCH", p): {"json": {"learning_rate": 0.2}},
        ("DELETE", p): {"headers": JSON},
        ("POST", p + "/forward"): {"headers": JSON},
        ("POST", p + "/backward"): {"headers": JSON},
        ("POST", p + "/update"): {"headers": JSON},
        ("POST", p + "/step"): {"headers": JSON},
        ("POST", p + "/train"): {"json": {"iterations": 2}},
        ("POST", p + "/undo"): {"headers": JSON},
        ("POST", p + "/reset"): {"headers": JSON},
        ("POST", p + "/regenerate"): {"json": {"test_split": 0.25}},
        ("POST", p + "/keep"): {"headers": JSON},
        ("DELETE", p + "/ghosts/{number}"): {"headers": JSON},
        ("POST", p + "/copy"): {"headers": JSON},
        ("POST", p + "/check"): {"json": {"quantity": "z", "layer": 1, "neuron": 1, "value": 0}},
    }


def page_requests() -> dict[tuple[str, str], dict]:
    """A request for every changing page route of a network: what its form sends."""
    n = "/n/{nid}"
    form = {"headers": HTMX}
    return {
        ("POST", n + "/{action}"): form,
        ("POST", n + "/train"): {"headers": HTMX, "data": {"iterations": "5"}},
        ("POST", n + "/edit"): {"headers": HTMX, "data": {"key": "W-2-1-1", "value": "0.5"}},
        ("POST", n + "/conventions"): {"headers": HTMX, "data": {"bias": "trained"}},
        ("POST", n + "/network"): {"headers": HTMX, "data": {"add_neuron": "1"}},
        ("POST", n + "/keep"): form,
        ("POST", n + "/forget"): {"headers": HTMX, "data": {"number": "1"}},
        ("POST", n + "/optimizer"): {"headers": HTMX, "data": {"optimizer": "adam"}},
        ("POST", n + "/data"): {"headers": HTMX, "data": {"dataset": "xor"}},
        ("POST", n + "/play"): form,
        ("POST", n + "/pause"): form,
        ("POST", n + "/chunk"): form,
        ("POST", n + "/copy"): form,
        ("POST", n + "/title"): {"headers": HTMX, "data": {"title": "Week 3"}},
        ("POST", n + "/check"): {
            "headers": HTMX,
            "data": {"quantity": "z", "layer": "1", "neuron": "1", "value": "0"},
        },
    }


def changing_routes(app) -> set[tuple[str, str]]:
    """(method, path) of every route that can change a network named in its path."""
    return {
        (method, path)
        for path, methods in every_route(app)
        if "{nid}" in path
        for method in set(methods or ()) & CHANGING
    }


def test_every_changing_route_refuses_a_watch_id(client, create, act):
    made = {**api_requests(""), **page_requests()}
    assert changing_routes(client.app) == set(made), "a changing route without a request here"
    for (method, path), kwargs in sorted(made.items()):
        nid = create(preset="seed-xor")["id"]
        act(nid, "step")
        act(nid, "keep")
        watch_id = checked(client.get(f"/api/networks/{nid}"))["watch_id"]
        before = checked(client.get(f"/api/watch/{watch_id}"))
        url = path.replace("{number}", "1").replace("{action}", "forward")
        refused = client.request(method, url.replace("{nid}", watch_id), **kwargs)
        assert refused.status_code == 404, (method, path, refused.text[:300])
        assert checked(client.get(f"/api/watch/{watch_id}")) == before, (method, path)
        served = client.request(method, url.replace("{nid}", nid), **kwargs)
        assert served.status_code != 404, (method, path, served.text[:300])


def test_a_title_is_set_shown_and_kept_by_undo(client, create, act):
    made = create(preset="seed-xor")
    nid = made["id"]
    titled = checked(client.patch(f"/api/networks/{nid}", json={"title": "  Week 3: XOR  "}))
    assert titled["title"] == "Week 3: XOR" and titled["version"] == made["version"] + 1
    assert titled["edit"]["changed"] == ["title"]
    assert checked(client.get(f"/api/watch/{made['watch_id']}"))["title"] == "Week 3: XOR"
    both = checked(client.patch(f"/api/networks/{nid}", json={"title": "t2", "seed": 5}))
    assert both["title"] == "t2" and both["seed"] == 5 and "title" in both["edit"]["changed"]
    assert both["version"] == titled["version"] + 1
    undone = act(nid, "undo")
    assert undone["seed"] == made["seed"] and undone["title"] == "t2"


def test_a_title_past_80_characters_or_with_control_characters_is_refused(client, create):
    made = create(preset="seed-xor")
    nid = made["id"]
    assert checked(client.patch(f"/api/networks/{nid}", json={"title": "é" * 80}))["title"]
    for bad in ("x" * 81, "two\nlines", "tab\there", "bell\x07", "rtl\u202eover"):
        response = client.patch(f"/api/networks/{nid}", json={"title": bad})
        body = checked(response, 422)
        assert body["field"] == "title", bad
        if len(bad) > 80:
            assert "80" in body["detail"], body
    assert checked(client.get(f"/api/networks/{nid}"))["title"] == "é" * 80


@pytest.mark.sqlite_only
def test_a_version_2_database_gets_watch_ids_on_upgrade(tmp_path):
    db = str(tmp_path / "v2.db")
    with running(create_app(Settings(db=db))) as c:
        ids = [
            checked(c.post("/api/networks", json={"preset": "seed-xor"}), 201)["id"] for _ in "abc"
        ]
    with sqlite3.connect(db) as conn:  # the same file as version 2 left it
        conn.execute("DROP INDEX networks_watch")
        conn.execute("ALTER TABLE networks DROP COLUMN watch_id")
        conn.execute("ALTER TABLE networks DROP COLUMN title")
        conn.execute("UPDATE meta SET value='2' WHERE key='schema_version'")
    with running(create_app(Settings(db=db))) as c:
        states = [checked(c.get(f"/api/networks/{nid}")) for nid in ids]
        watch_ids = {s["watch_id"] for s in states}
        assert len(watch_ids) == 3 and all(len(w) >= 24 for w in watch_ids)
        assert all(s["title"] == "" for s in states)
        for state in states:
            assert checked(c.get(f"/api/watch/{state['watch_id']}"))["version"] == state["version"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (
            "3",
        )


WATCH_VIEWS = ("", "?mode=train", "?focus=n-1-2&digits=2", "?mode=train&thumbs=1&log=1", "?edit=lr")


def test_the_watch_page_never_names_the_edit_id_nor_posts(client, create, act):
    made = create(preset="circle-tanh", test_split=0.25)
    nid, watch_id = made["id"], made["watch_id"]
    act(nid, "train", {"iterations": 20})
    act(nid, "keep")
    act(nid, "forward")
    for query in WATCH_VIEWS:
        for headers in ({}, HTMX):
            response = client.get(f"/w/{watch_id}{query}", headers=headers)
            assert response.status_code == 200, (query, response.text[:300])
            page = response.text
            assert nid not in everything_in(response), (query, headers)
            # its one form that posts is Make my own copy, which changes no network
            posts = re.findall(r'<form[^>]*method="post"[^>]*>', page)
            assert [f'action="/w/{watch_id}/copy"' in form for form in posts] == [True], query
            assert "hx-post" not in page, query
            assert "formaction" not in page and 'class="editor"' not in page, query
            for target in re.findall(r'(?:href|action|data-hx-get)="([^"]*)"', page):
                assert not target.startswith(("/n/", "/api/networks")), (query, target)
            assert "data-watching" in page and f"/api/watch/{watch_id}/events" in page
    edit_page = client.get(f"/n/{nid}").text
    assert 'method="post"' in edit_page and f"/api/watch/{watch_id}/events" in edit_page


def test_the_watch_page_of_no_network_is_a_404_page(client, create):
    nid = create(preset="seed-xor")["id"]
    for bad in (nid, "nope", "x" * 70):
        response = client.get(f"/w/{bad}")
        assert response.status_code == 404 and "No network here" in response.text, bad
