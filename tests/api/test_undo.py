"""Undo: every change can be undone, at least the last 100, in order."""

from __future__ import annotations

from tests.support.api_helpers import JSON, checked


def test_undo_a_hundred_levels(client, create, act):
    nid = create(preset="worked-example")["id"]
    states = [checked(client.get(f"/api/networks/{nid}"))]
    for _ in range(105):
        states.append(act(nid, "step"))
    assert states[-1]["undo_levels"] == 100
    for back in range(1, 101):
        s = act(nid, "undo")
        expected = states[-1 - back]
        assert s["iteration"] == expected["iteration"] == 105 - back
        assert s["weights"] == expected["weights"] and s["trace"] == expected["trace"]
        assert s["undo_levels"] == 100 - back
        assert s["version"] == 106 + back  # an undo is a change too
    response = client.post(f"/api/networks/{nid}/undo", headers=JSON)
    assert response.status_code == 409 and "nothing to undo" in response.json()["detail"]


def test_undo_restores_edits_and_the_step_in_progress(client, create, act):
    net = create(preset="worked-example")
    nid = net["id"]
    forward = act(nid, "forward")
    checked(client.patch(f"/api/networks/{nid}", json={"inputs": [[1.0, 2.0]]}))
    s = act(nid, "undo")
    assert s["inputs"] == net["inputs"] and s["cursor"] == forward["cursor"]
    assert s["trace"] == forward["trace"]
