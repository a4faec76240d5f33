"""train: divergence is reported in `diverged` and the network is kept at its last good
iteration; long runs keep an evenly decimated loss history of at most 1000 points."""

from __future__ import annotations

import math

from tests.support.api_helpers import checked

# One linear neuron, w = 1, b = 0, x = 1, y = 0, η = 100. With ℓ = ½(wx + b − y)²:
# it 1: z = 1,     δ = 1,     w = 1 − 100 = −99,         b = −100
# it 2: z = −199,  δ = −199,  w = −99 + 19900 = 19801,   b = 19800
# it 3: z = 39601, ... every iteration multiplies z by −199, until ½z² overflows.
RUNAWAY = {
    "layers": [1, 1],
    "activations": ["linear"],
    "loss": "mse",
    "learning_rate": 100,
    "weights": [[[1.0]]],
    "biases": [[0.0]],
    "inputs": [[1.0]],
    "targets": [[0.0]],
}


def runaway_by_hand():
    """The same iterations in plain Python floats: (first iteration whose loss or update is
    not finite, w and b before it, the losses of the good iterations)."""
    w, b, losses = 1.0, 0.0, []
    for it in range(1, 1000):
        z = w * 1.0 + b
        loss = 0.5 * z * z
        nw, nb = w - 100 * z * 1.0, b - 100 * z
        if not all(math.isfinite(v) for v in (loss, nw, nb)):
            return it, w, b, losses
        w, b = nw, nb
        losses.append(loss)
    raise AssertionError("never diverged")


def test_diverging_train_stops_at_the_last_good_iteration(create, act):
    bad, w, b, losses = runaway_by_hand()
    assert 50 < bad < 200  # |z| grows ×199 per iteration: ½z² passes 1.8e308 near 1e154
    nid = create(**RUNAWAY)["id"]
    s = act(nid, "train", {"iterations": 500})
    assert s["trained"] == bad - 1 and s["iteration"] == bad - 1
    assert s["weights"] == [[[w]]] and s["biases"] == [[b]]
    diverged = s["diverged"]
    assert diverged["iteration"] == bad
    assert f"iteration {bad}" in diverged["reason"] and "learning rate" in diverged["remedy"]
    assert [p[1] for p in s["loss_history"][:3]] == [0.5, 0.5 * 199**2, losses[2]]


def test_diverged_network_can_still_be_used(client, create, act):
    nid = create(**RUNAWAY)["id"]
    assert act(nid, "train", {"iterations": 500})["diverged"] is not None
    act(nid, "reset")
    checked(client.patch(f"/api/networks/{nid}", json={"learning_rate": 0.1}))
    s = act(nid, "train", {"iterations": 10})
    assert s["diverged"] is None and s["iteration"] == 10


def test_train_twice_equals_train_once(create, act):
    a = act(create(preset="sine-regression")["id"], "train", {"iterations": 600})
    nid = create(preset="sine-regression")["id"]
    act(nid, "train", {"iterations": 250})
    b = act(nid, "train", {"iterations": 350})
    assert a["weights"] == b["weights"] and a["iteration"] == b["iteration"] == 600


def test_train_is_refused_in_the_middle_of_an_iteration(client, create, act):
    nid = create(preset="seed-xor")["id"]
    act(nid, "forward")
    response = client.post(f"/api/networks/{nid}/train", json={"iterations": 3})
    assert response.status_code == 409 and response.json()["allowed"] == "forward"
