"""A copy of one's own, by the edit id or the watch id: identical to the original in
everything but its ids and undo (and its version, a new network's), independent of it."""

from __future__ import annotations

import pytest

from tests.support.api_helpers import JSON, checked

NOT_COPIED = {"id", "watch_id", "version", "undo_levels"}


def same_but_ids(copy: dict, original: dict) -> None:
    assert set(copy) == set(original)
    for key in set(original) - NOT_COPIED:
        assert copy[key] == original[key], key


def trained_midway(client, act) -> dict:
    """A network with Adam's moments, a test split, a kept run, a title, training behind it
    and a forward pass half done: everything a copy must carry."""
    made = checked(
        client.post(
            "/api/networks",
            json={"preset": "circle-tanh", "optimizer": "adam", "test_split": 0.25},
        ),
        201,
    )
    nid = made["id"]
    act(nid, "train", {"iterations": 30})
    act(nid, "keep")
    act(nid, "train", {"iterations": 5})
    checked(client.patch(f"/api/networks/{nid}", json={"title": "Circles, Adam"}))
    act(nid, "forward")
    return checked(client.get(f"/api/networks/{nid}"))


@pytest.mark.parametrize("by", ["id", "watch_id"])
def test_a_copy_is_identical_but_for_its_ids_and_undo(client, act, by):
    original = trained_midway(client, act)
    service = client.app.state.service
    url = (
        f"/api/networks/{original['id']}/copy"
        if by == "id"
        else (f"/api/watch/{original['watch_id']}/copy")
    )
    response = client.post(url, headers=JSON)
    copy = checked(response, 201)
    assert copy["id"] not in (original["id"], original["watch_id"])
    assert copy["watch_id"] not in (original["id"], original["watch_id"])
    assert copy["undo_levels"] == 0 and copy["version"] == 1
    assert original["undo_levels"] > 0
    same_but_ids(copy, original)
    assert copy["trace"]["layers"] and copy["cursor"] == original["cursor"]
    # the record inside, optimiser moments and diagnostics included
    assert service.get(copy["id"]).record == service.get(original["id"]).record
    if by == "watch_id":
        assert original["id"] not in response.text
    assert checked(client.get(f"/api/networks/{original['id']}")) == original  # untouched


def test_a_copy_is_independent_and_resets_to_the_same_start(client, act):
    original = trained_midway(client, act)
    copy = checked(client.post(f"/api/networks/{original['id']}/copy", headers=JSON), 201)
    for _ in range(3):
        act(copy["id"], "step")
    act(copy["id"], "train", {"iterations": 7})
    assert checked(client.get(f"/api/networks/{original['id']}")) == original
    reset_copy = act(copy["id"], "reset")
    reset_original = act(original["id"], "reset")
    assert reset_copy["weights"] == reset_original["weights"] == original["initial_weights"]
    assert act(copy["id"], "undo")["iteration"] == copy["iteration"] + 10  # its own undo
    act(original["id"], "undo")
    assert checked(client.get(f"/api/networks/{copy['id']}"))["iteration"] > copy["iteration"]


def test_a_copy_of_a_copy_and_a_deleted_original(client, act):
    original = trained_midway(client, act)
    first = checked(client.post(f"/api/networks/{original['id']}/copy", headers=JSON), 201)
    second = checked(client.post(f"/api/watch/{first['watch_id']}/copy", headers=JSON), 201)
    same_but_ids(second, original)
    assert client.delete(f"/api/networks/{original['id']}", headers=JSON).status_code == 204
    assert checked(client.get(f"/api/networks/{second['id']}"))["weights"] == original["weights"]
    assert client.post(f"/api/networks/{original['id']}/copy", headers=JSON).status_code == 404
    gone = client.post(f"/api/watch/{original['watch_id']}/copy", headers=JSON)
    assert gone.status_code == 404


def test_copies_count_as_creations(tmp_path):
    from app.main import create_app
    from app.settings import Settings
    from tests.support.app_client import running

    with running(create_app(Settings(db=str(tmp_path / "q.db"), create_per_minute=2))) as c:
        nid = checked(c.post("/api/networks", json={"preset": "seed-xor"}), 201)["id"]
        checked(c.post(f"/api/networks/{nid}/copy", headers=JSON), 201)
        refused = c.post(f"/api/networks/{nid}/copy", headers=JSON)
        assert refused.status_code == 429 and "retry-after" in refused.headers
