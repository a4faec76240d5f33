"""train: divergence is reported in `diverged` and the network is kept at its last good
iteration; long runs keep an evenly decimated loss history of at most 1000 points."""

from __future__ import annotations

from api_helpers import checked

# One linear neuron, w = 1, b = 0, x = 1, y = 0, η = 100. With ℓ = ½(wx + b − y)²:
# it 1: z = 1,     δ = 1,     w = 1 − 100 = −99,         b = −100
# it 2: z = −199,  δ = −199,  w = −99 + 19900 = 19801,   b = 19800
# it 3: z = 39601, δ = 39601, w = 19801 − 3960100 < −1e6: out of bounds, so iteration 3
# is where training diverges.
RUNAWAY = {"layers": [1, 1], "activations": ["linear"], "loss": "mse", "learning_rate": 100,
           "weights": [[[1.0]]], "biases": [[0.0]], "inputs": [[1.0]], "targets": [[0.0]]}


def test_diverging_train_stops_at_the_last_good_iteration(create, act):
    nid = create(**RUNAWAY)["id"]
    s = act(nid, "train", {"iterations": 50})
    assert s["trained"] == 2 and s["iteration"] == 2
    assert s["weights"] == [[[19801.0]]] and s["biases"] == [[19800.0]]
    diverged = s["diverged"]
    assert diverged["iteration"] == 3
    assert "iteration 3" in diverged["reason"] and "learning rate" in diverged["remedy"]
    assert [p[0] for p in s["loss_history"]] == [1, 2]
    assert s["loss_history"][0][1] == 0.5 and s["loss_history"][1][1] == 0.5 * 199**2


def test_diverged_network_can_still_be_used(client, create, act):
    nid = create(**RUNAWAY)["id"]
    act(nid, "train", {"iterations": 10})
    s = checked(client.patch(f"/api/networks/{nid}", json={"learning_rate": 0.001}))
    s = act(nid, "train", {"iterations": 10})
    assert s["diverged"] is None and s["iteration"] == 12


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
