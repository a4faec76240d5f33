"""The classic 2-2-2 worked example walked through one iteration over HTTP.

Expected numbers are worked out by hand from the equations (the blog post's values, to
9 digits): z^l = W^l a^{l-1} + b^l, a = σ(z), ℓ = ½ Σ (ŷ − y)², δ^2 = (ŷ − y) ⊙ σ'(z^2),
δ^1 = (W^2)ᵀ δ^2 ⊙ σ'(z^1), ∂L/∂W^l = δ^l (a^{l-1})ᵀ, W ← W − η ∂L/∂W with η = 0.5.
"""

from __future__ import annotations

import numpy as np
import pytest

TOL = 1e-8

Z1 = [0.3775, 0.3925]
A1 = [0.593269992, 0.596884378]
Z2 = [1.105905967, 1.224921404]
A2 = [0.751365070, 0.772928465]
LOSS = 0.298371109
DELTA2 = [0.138498562, -0.038098236]
GRAD_W2 = [[0.082167041, 0.082667628], [-0.022602540, -0.022740242]]
DELTA1 = [0.008771354, 0.009954254]
GRAD_W1 = [[0.000438568, 0.000877135], [0.000497713, 0.000995425]]
NEW_W1 = [[0.149780716, 0.199561432], [0.249751144, 0.299502287]]
NEW_W2 = [[0.358916480, 0.408666186], [0.511301270, 0.561370121]]
NEW_B1 = [0.345614323, 0.345022873]
NEW_B2 = [0.530750719, 0.619049118]


def near(values, expected) -> bool:
    return np.allclose(values, expected, rtol=0, atol=TOL)


def test_one_iteration_layer_by_layer(create, act):
    net = create(preset="worked-example")
    nid = net["id"]
    assert net["cursor"] == {"phase": "idle", "layer": 0, "next": "forward"}
    assert all(v is None for v in net["trace"]["layers"][0].values())

    s = act(nid, "forward")
    l1, l2 = s["trace"]["layers"]
    assert near(l1["z"][0], Z1) and near(l1["a"][0], A1)
    assert l2["z"] is None and s["trace"]["loss"] is None and l1["delta"] is None
    assert s["cursor"] == {"phase": "forward", "layer": 1, "next": "forward"}

    s = act(nid, "forward")
    l2 = s["trace"]["layers"][1]
    assert near(l2["z"][0], Z2) and near(l2["a"][0], A2)
    assert near(s["trace"]["loss"], LOSS)
    assert near(s["trace"]["dloss_doutput"][0], [A2[0] - 0.01, A2[1] - 0.99])
    assert s["cursor"]["next"] == "backward"

    s = act(nid, "backward")
    l1, l2 = s["trace"]["layers"]
    assert near(l2["delta"][0], DELTA2) and near(l2["grad_weights"], GRAD_W2)
    assert near(l2["grad_biases"], DELTA2)
    assert l1["delta"] is None and l1["grad_weights"] is None
    assert s["trace"]["output_delta"] == "chain_rule"

    s = act(nid, "backward")
    l1 = s["trace"]["layers"][0]
    assert near(l1["delta"][0], DELTA1) and near(l1["grad_weights"], GRAD_W1)
    assert s["cursor"]["next"] == "update"

    s = act(nid, "update")
    assert near(s["weights"][0], NEW_W1) and near(s["weights"][1], NEW_W2)
    assert near(s["biases"][0], NEW_B1) and near(s["biases"][1], NEW_B2)
    assert s["iteration"] == 1 and s["version"] == net["version"] + 5
    assert s["cursor"] == {"phase": "updated", "layer": 0, "next": "forward"}
    assert s["previous"]["weights"] == net["weights"]
    assert s["loss_history"] == [[1, pytest.approx(LOSS, abs=TOL)]]
    # the trace of the finished iteration stays visible after the update
    assert near(s["trace"]["layers"][0]["delta"][0], DELTA1)


def test_step_and_all_give_the_same_iteration(create, act):
    by_step = act(create(preset="worked-example")["id"], "step")
    nid = create(preset="worked-example")["id"]
    act(nid, "forward", {"all": True})
    act(nid, "backward", {"all": True})
    by_pass = act(nid, "update")
    assert by_step["weights"] == by_pass["weights"] and by_step["biases"] == by_pass["biases"]
    assert near(by_step["weights"][1], NEW_W2)
