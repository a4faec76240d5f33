"""Training runs outside the database's write lock: other changes go on while it computes;
it saves only onto the version it started from, computing once more when the network
changed meanwhile, and answers 409 (saving nothing) when it changed again."""

from __future__ import annotations

import threading

import engine
from tests.support.api_helpers import JSON, checked


def interfering(monkeypatch, client, nid: str, times: int) -> list[int]:
    """Make each of the first `times` trainings step the network from another thread while
    it computes (the lock must be free for that step to finish); the versions seen."""
    train, seen = engine.Network.train, []

    def train_while_another_steps(net, n, stop=None):
        if len(seen) < times:
            step = f"/api/networks/{nid}/step"
            worker = threading.Thread(target=lambda: client.post(step, headers=JSON))
            worker.start()
            worker.join(timeout=20)
            assert not worker.is_alive(), "the step waited for the training's lock"
            seen.append(client.get(f"/api/networks/{nid}").json()["version"])
        return train(net, n, stop)

    monkeypatch.setattr(engine.Network, "train", train_while_another_steps)
    return seen


def test_a_change_during_training_is_kept_and_the_training_done_again_on_it(
    client, create, monkeypatch
):
    nid = create(preset="seed-xor")["id"]
    seen = interfering(monkeypatch, client, nid, times=1)
    trained = checked(client.post(f"/api/networks/{nid}/train", json={"iterations": 7}))
    assert seen == [2]  # the step was saved while the first training computed
    assert trained["version"] == 3 and trained["iteration"] == 1 + 7  # trained on top of it
    assert trained["trained"] == 7


def test_two_changes_during_training_give_409_and_save_nothing(client, create, monkeypatch):
    nid = create(preset="seed-xor")["id"]
    seen = interfering(monkeypatch, client, nid, times=2)
    refused = client.post(f"/api/networks/{nid}/train", json={"iterations": 7})
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert (
        "changed while the request ran" in body["detail"]
        and "from version 1 to 3" in body["detail"]
    )
    assert body["allowed"] == "forward"
    now = checked(client.get(f"/api/networks/{nid}"))
    assert seen == [2, 3] and now["version"] == 3 and now["iteration"] == 2  # the two steps


def test_play_shows_the_refusal_in_place_and_stops(client, create, monkeypatch):
    nid = create(preset="seed-xor")["id"]
    interfering(monkeypatch, client, nid, times=2)
    page = client.post(
        f"/n/{nid}/chunk", data={"speed": "20", "mode": "train"}, headers={"HX-Request": "true"}
    )
    assert page.status_code == 200
    assert "changed while the request ran" in page.text
