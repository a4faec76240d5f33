"""One load per request: every route reads its network from the store at most once and
rebuilds it (engine.from_record, which replays the trace) at most once, and saves at most
one record; a page and all its partials are made from that one network."""

from __future__ import annotations

import pytest

import engine
from app.service.store import SQLiteStore
from tests.support.api_helpers import JSON

HX = {"HX-Request": "true"}


@pytest.fixture
def counted(client, monkeypatch):
    """count(method, url, **kwargs) -> (status, {loads, rebuilds, records, traces})."""
    seen = dict.fromkeys(("loads", "rebuilds", "records", "traces"), 0)

    def counting(name, function):
        def wrapper(*args, **kwargs):
            seen[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(SQLiteStore, "stored", counting("loads", SQLiteStore.stored))
    monkeypatch.setattr(engine, "from_record", counting("rebuilds", engine.from_record))
    monkeypatch.setattr(engine, "to_record", counting("records", engine.to_record))
    monkeypatch.setattr(engine, "trace_to_dict", counting("traces", engine.trace_to_dict))

    def count(method: str, url: str, **kwargs) -> tuple[int, dict]:
        seen.update(loads=0, rebuilds=0, records=0, traces=0)
        response = client.request(method, url, **kwargs)
        return response.status_code, dict(seen)

    return count


def new(client, preset: str) -> str:
    return client.post("/api/networks", json={"preset": preset}).json()["id"]


def at_most_once(counts: dict, traces: int = 0) -> None:
    assert counts["loads"] <= 1 and counts["rebuilds"] <= 1, counts
    assert counts["records"] <= 1 and counts["traces"] <= traces, counts


def test_an_htmx_step_loads_rebuilds_and_saves_once(client, counted):
    nid = new(client, "worked-example")
    for action in ("forward", "forward-all", "backward", "backward-all", "update", "step"):
        status, counts = counted("POST", f"/n/{nid}/{action}", headers=HX, data={"seen": ""})
        assert status == 200, action
        assert counts == {"loads": 1, "rebuilds": 1, "records": 1, "traces": 0}, action


def test_a_refused_step_loads_once_and_saves_nothing(client, counted):
    nid = new(client, "worked-example")
    status, counts = counted("POST", f"/n/{nid}/update", headers=HX, data={"seen": "1"})
    assert status == 409
    assert counts == {"loads": 1, "rebuilds": 1, "records": 0, "traces": 0}
    status, counts = counted("POST", f"/n/{nid}/train", headers=HX, data={"iterations": "x"})
    assert status == 422
    at_most_once(counts)


def test_a_play_refresh_loads_once(client, counted):
    nid = new(client, "circle-tanh")
    form = {"speed": "50", "mode": "train"}
    for _ in range(2):
        status, counts = counted("POST", f"/n/{nid}/chunk", headers=HX, data=form)
        assert status == 200
        assert counts == {"loads": 1, "rebuilds": 1, "records": 1, "traces": 0}
    client.post(f"/api/networks/{nid}/forward", headers=JSON)  # half an iteration: Play refuses
    status, counts = counted("POST", f"/n/{nid}/chunk", headers=HX, data=form)
    assert status == 200
    at_most_once(counts)


@pytest.mark.parametrize("query", ["", "?mode=train", "?mode=train&thumbs=1&focus=e-1-1-1"])
def test_the_lab_page_and_its_training_view_load_once(client, counted, query):
    nid = new(client, "circle-tanh")
    client.post(f"/api/networks/{nid}/step", headers=JSON)
    for headers in ({}, HX):
        status, counts = counted("GET", f"/n/{nid}{query}", headers=headers)
        assert status == 200
        assert counts == {"loads": 1, "rebuilds": 1, "records": 0, "traces": 0}


def test_every_other_page_route_loads_once(client, counted):
    nid = new(client, "circle-tanh")
    train = {"mode": "train"}
    for method, url, data in (
        ("POST", f"/n/{nid}/play", train),
        ("POST", f"/n/{nid}/pause", train),
        ("POST", f"/n/{nid}/optimizer", {**train, "optimizer": "adam"}),
        ("POST", f"/n/{nid}/data", {**train, "dataset": "circle", "test_split": "20"}),
        ("POST", f"/n/{nid}/data", {**train, "dataset": "circle", "test_split": "70"}),
        ("POST", f"/n/{nid}/edit", {"key": "w-1-1-1", "value": "0.5"}),
        ("POST", f"/n/{nid}/edit", {"key": "w-1-1-1", "value": "abc"}),
        ("POST", f"/n/{nid}/train", {"iterations": "5"}),
        ("POST", f"/n/{nid}/undo", {}),
        ("GET", f"/n/{nid}/gradcheck", None),
    ):
        status, counts = counted(method, url, headers=HX, data=data)
        assert status in (200, 422), (url, data, status)
        at_most_once(counts)


def test_api_answers_load_once_and_serialise_once(client, counted):
    nid = new(client, "worked-example")
    for method, url in (
        ("GET", f"/api/networks/{nid}"),
        ("POST", f"/api/networks/{nid}/forward"),
        ("POST", f"/api/networks/{nid}/step"),
        ("GET", f"/api/networks/{nid}/training-view"),
        ("GET", f"/api/networks/{nid}/trace"),
        ("POST", f"/api/networks/{nid}/undo"),
    ):
        status, counts = counted(method, url, headers=JSON)
        assert status == 200, url
        at_most_once(counts, traces=1)


def test_the_title_and_the_copies_load_once(client, counted):
    nid = new(client, "worked-example")
    status, counts = counted("POST", f"/n/{nid}/title", headers=HX, data={"title": "Hi"})
    assert status == 200
    at_most_once(counts)
    status, counts = counted("POST", f"/n/{nid}/title", headers=HX, data={"title": "x" * 81})
    assert status == 422
    at_most_once(counts)
    status, counts = counted("POST", f"/n/{nid}/copy")
    assert status == 303
    at_most_once(counts)
