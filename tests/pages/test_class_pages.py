"""The pages of a class's exercise sheets: the start page's form (errors at their fields,
what was typed kept, nothing created), the class's page (a code per student, links to
its sheets and key in parts), "Open a sheet's network" (303 to the lab page of the
student's network; a bad code shown in place) and junk in every field: never a 5xx."""

from __future__ import annotations

import pytest

from app.web.forms import classform
from tests.pages.test_page_fuzz import HUGE, JUNK
from tests.support.forms import network_count
from tests.support.htmldom import parse

FORM = {**classform.DEFAULTS, "class_code": "Physics 2B", "count": "4"}


def make(client, **change):
    """POST the class form with these fields changed (by field name)."""
    data = {classform.name(k): v for k, v in {**FORM, **change}.items()}
    return client.post("/classes", data=data, follow_redirects=False)


def test_the_start_page_offers_both_forms(client):
    doc = parse(client.get("/").text)
    assert doc.by_id("classes") is not None and doc.by_id("sheet") is not None
    assert doc.by_id("x-layers").attrs["value"] == classform.DEFAULTS["layers"]
    assert doc.by_id("x-bias") is not None  # the conventions' own fields, prefixed x-
    assert doc.by_id("sheet-code") is not None


def test_a_class_opens_its_page_with_a_code_per_student(client):
    r = make(client)
    assert r.status_code == 303 and r.headers["location"].startswith("/classes/")
    doc = parse(client.get(r.headers["location"]).text)
    codes = [c.text() for c in doc.find_all("code")]
    assert len(codes) == 4 and len(set(codes)) == 4
    links = [a.attrs["href"] for a in doc.find_all("a") if "/api/classes/" in a.attrs["href"]]
    assert len(links) == 4 and all("first=1" in h and "last=4" in h for h in links)
    for href in links:
        assert client.get(href).status_code == 200


@pytest.mark.parametrize(
    "change,field,words",
    [
        ({"count": "0"}, "count", "from 1 to 200"),
        ({"count": "500"}, "count", "from 1 to 200"),
        ({"class_code": ""}, "class_code", "1 to 40"),
        ({"layers": "2, 9, 1"}, "layers", "1 to 4 neurons"),
        ({"activations": "sigmoid"}, "activations", "one per layer"),
        ({"learning_rate": "0.123"}, "learning_rate", "two significant digits"),
        ({"samples": "2", "batch_size": "3"}, "batch_size", "at most"),
        ({"samples": "7"}, "samples", "not one of"),
    ],
)
def test_class_errors_are_shown_at_their_field(client, change, field, words):
    before = network_count(client)
    r = make(client, **change)
    assert r.status_code == 422
    doc = parse(r.text)
    error = doc.by_id(f"x-err-{field}")
    assert error is not None and words in error.text(), error and error.text()
    assert doc.by_id(f"x-{field}").attrs.get("aria-invalid") == "true"
    for name, value in change.items():  # what was typed is kept
        assert doc.by_id(f"x-{name}").attrs["value"] == value
    assert network_count(client) == before


def test_a_preset_gives_the_architecture(client):
    r = make(client, preset="worked-example", layers="junk")
    assert r.status_code == 303
    info = client.get("/api" + r.headers["location"]).json()
    assert info["spec"]["layers"] == [2, 2, 2]


def test_a_sheets_code_opens_the_students_network(client):
    info = client.post("/api/classes", json={**FORM, "count": 2}).json()
    code = info["students"][1]["code"]
    r = client.post("/sheets", data={"code": f" {code.lower()} "}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/n/")
    before = network_count(client)
    bad = client.post("/sheets", data={"code": code[:-1]}, follow_redirects=False)
    assert bad.status_code == 422
    doc = parse(bad.text)
    assert "not a sheet's code" in doc.by_id("err-sheet").text()
    assert doc.by_id("sheet-code").attrs["value"] == code[:-1]
    assert network_count(client) == before


def test_junk_in_every_class_field_never_gets_a_5xx(client):
    for value in JUNK:
        for name in classform.FIELDS:
            r = make(client, **{name: value})
            assert r.status_code < 500, (name, value[:20], r.text[:300])
        r = client.post("/sheets", data={"code": value})
        assert r.status_code < 500, ("code", value[:20])
        info = client.post("/api/classes", json={**FORM, "count": 2}).json()
        for token in ("6Q84T" * 3, info["token"]):
            for query in ({"class_code": value, "count": 3}, {"class_code": "x", "count": value}):
                r = client.get(f"/classes/{token}", params=query)
                assert r.status_code < 500, (query, r.text[:300])
    info = client.post("/api/classes", json={**FORM, "count": 2}).json()
    for query in ({"class_code": "x", "count": HUGE}, {"class_code": "\x00", "count": 2}, {}):
        for path in ("", "/sheets.html", "/key.md"):
            r = client.get(f"/api/classes/{info['token']}{path}", params=query)
            assert r.status_code == 422, (path, r.text[:300])
