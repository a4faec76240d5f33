"""What the lab page's rendering remembers between requests (an edge's words, the
histories' arrays, the equations' MathML and spoken skeletons, the symbols' buttons, the
view's hidden inputs, the label layouts) never shows anything but what a server that
remembers nothing shows: after every change (a step, an edit from another tab, a step
from a page that had not seen it, undo, a change of the network's shape, a reset, training)
and every change of view (focus, sample, decimals, practice, presenter view, the training
view, text size, a phone's drawing), the answer with everything remembered is the answer
with everything forgotten."""

from __future__ import annotations

import pytest

from app.views import diagram, histories, lab, mathwidth, pieces, placements
from app.views.equations import mathml, speech

HTMX = {"HX-Request": "true"}
PARTS = {"HX-Request": "true", "HX-Target": "div#lab"}
VIEWS = ["", "?digits=2", "?focus=e-1-1-2", "?focus=n-2-1&digits=6&practice=1"]
VIEWS += ["?present=1&sample=3&focus=n-0-1", "?mode=train", "?mode=train&log=1"]
DISPLAYS = [{}, {"bpl-scale": "1.6"}, {"bpl-narrow": "1"}]


def forget() -> None:
    for cached in (
        diagram.edge_what,
        mathml.side_mathml,
        mathml.symbols_mathml,
        mathml.to_mathml,
        speech.speak,
        mathwidth.shape_fit,
        pieces.term_markup,
        pieces.view_inputs,
        lab.known_focus,
    ):
        cached.cache_clear()
    placements.forget()
    histories.forget()


def same_remembered_or_not(client, nid: str) -> int:
    """Every view of the network now, remembered and forgotten: the same answers."""
    checked = 0
    for cookies in DISPLAYS:
        headers = {**HTMX, "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        for view in VIEWS:
            warm = client.get(f"/n/{nid}{view}", headers=headers)
            forget()
            cold = client.get(f"/n/{nid}{view}", headers=headers)
            assert warm.status_code == cold.status_code == 200
            assert warm.text == cold.text, (view, cookies)
            checked += 1
    return checked


@pytest.mark.parametrize("preset", ["seed-xor", "gauss-softmax"])
def test_nothing_remembered_is_ever_stale(client, preset):
    r = client.post("/api/networks", json={"preset": preset})
    assert r.status_code == 201, r.text
    nid = r.json()["id"]
    other_tab = client  # the same server and store: another tab of the same browser

    def version() -> int:
        return client.get(f"/api/networks/{nid}").json()["version"]

    changes = [
        lambda: client.post(f"/n/{nid}/forward", data={"seen": version()}, headers=PARTS),
        lambda: client.post(f"/n/{nid}/step", data={"seen": version()}, headers=PARTS),
        lambda: client.post(f"/n/{nid}/train", data={"iterations": "30"}, headers=HTMX),
        lambda: client.post(f"/n/{nid}/train", data={"iterations": "7"}, headers=HTMX),
        lambda: other_tab.post(
            f"/n/{nid}/edit", data={"key": "w-1-1-1", "value": "0.75"}, headers=HTMX
        ),
        lambda: client.post(f"/n/{nid}/step", data={"seen": version() - 1}, headers=PARTS),
        lambda: client.post(f"/n/{nid}/undo", headers=HTMX),
        lambda: client.post(f"/n/{nid}/network", data={"change": "add-neuron:1"}, headers=HTMX),
        lambda: client.post(f"/n/{nid}/forward-all", headers=PARTS),
        lambda: client.post(f"/n/{nid}/undo", headers=HTMX),
        lambda: client.post(f"/n/{nid}/reset", headers=HTMX),
        lambda: client.post(f"/n/{nid}/step", headers=PARTS),
    ]
    shown, versions = 0, []
    for change in changes:
        answer = change()
        assert answer.status_code == 200, answer.text[:300]
        versions.append(version())
        shown += same_remembered_or_not(client, nid)
    assert shown == len(changes) * len(VIEWS) * len(DISPLAYS)
    assert len(set(versions)) > 5  # the changes did change the network
    layers = client.get(f"/api/networks/{nid}").json()["layers"]
    assert layers[1] >= 2  # the shape change stood until undone and reset
