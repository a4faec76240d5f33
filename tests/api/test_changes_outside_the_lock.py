"""A change (a step, a click, an edit) does its work outside the database's write lock and
holds the lock only to save: another network's change goes on meanwhile. When the same
network changed meanwhile, the change is done again inside the lock on top of that one,
so neither is lost."""

from __future__ import annotations

import threading

import engine
from tests.support.api_helpers import JSON, checked


def stepping_meanwhile(monkeypatch, client, other: str) -> list[dict]:
    """Make the first step computed step network `other` from another thread while it
    computes (that step can finish only if the write lock is free); what it answered."""
    step, answers = engine.Network.step, []

    def step_while_another_steps(net):
        if not answers:
            answers.append({})  # from here on, steps (this one's too) step plainly
            worker = threading.Thread(
                target=lambda: answers.append(
                    checked(client.post(f"/api/networks/{other}/step", headers=JSON))
                )
            )
            worker.start()
            worker.join(timeout=20)
            assert not worker.is_alive(), "the other step waited for this step's lock"
        return step(net)

    monkeypatch.setattr(engine.Network, "step", step_while_another_steps)
    return answers


def test_another_networks_step_is_saved_while_a_step_computes(client, create, monkeypatch):
    nid, other = create(preset="seed-xor")["id"], create(preset="seed-xor")["id"]
    answers = stepping_meanwhile(monkeypatch, client, other)
    mine = checked(client.post(f"/api/networks/{nid}/step", headers=JSON))
    assert answers[1]["id"] == other and answers[1]["version"] == 2  # saved meanwhile
    assert mine["version"] == 2 and mine["iteration"] == 1  # and this one too, once


def test_a_step_of_the_same_network_meanwhile_is_kept_and_this_one_done_on_top(
    client, create, monkeypatch
):
    nid = create(preset="seed-xor")["id"]
    answers = stepping_meanwhile(monkeypatch, client, nid)
    mine = checked(client.post(f"/api/networks/{nid}/step", headers=JSON))
    assert answers[1]["version"] == 2 and answers[1]["iteration"] == 1  # the other step
    assert mine["version"] == 3 and mine["iteration"] == 2  # this one, on top of it
    now = checked(client.get(f"/api/networks/{nid}"))
    assert now["version"] == 3 and now["iteration"] == 2
    undone = checked(client.post(f"/api/networks/{nid}/undo", headers=JSON))
    assert undone["iteration"] == 1  # each step is its own undo level


def test_the_lab_pages_click_is_saved_once_when_the_network_moved_on(client, create, monkeypatch):
    nid = create(preset="seed-xor")["id"]
    stepping_meanwhile(monkeypatch, client, nid)
    page = client.post(f"/n/{nid}/step", headers={"HX-Request": "true", "HX-Target": "div#lab"})
    assert page.status_code == 200, page.text
    now = checked(client.get(f"/api/networks/{nid}"))
    assert now["version"] == 3 and now["iteration"] == 2
