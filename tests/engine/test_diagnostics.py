import numpy as np

import engine
from engine import diagnostics


def record_for(net):
    net.forward(all=True)
    net.backward(all=True)
    t = net.trace
    return diagnostics.measure(net.spec.activations, [lt.z for lt in t.layers],
                               [lt.a for lt in t.layers], [lt.grad_w for lt in t.layers], 0)


def test_vanishing_gradients_are_named_for_the_deep_sigmoid_preset():
    net = engine.create_network({"preset": "vanishing-sigmoid"})
    rec = record_for(net)
    assert rec["grad_norms"][0] < 1e-3 * rec["grad_norms"][-1]
    kinds = [h["kind"] for h in diagnostics.hints(net.spec, [rec], [])]
    assert "vanishing" in kinds


def test_dead_relus_are_counted():
    net = engine.create_network({
        "layers": [2, 4, 1], "activations": ["relu", "sigmoid"], "loss": "bce",
        "learning_rate": 0.1, "dataset": "xor",
        "weights": [[[-1, -1], [-1, -1], [-1, -1], [1, 1]], [[1, 1, 1, 1]]],
        "biases": [[-0.5, -0.5, -0.5, 0.0], [0.0]],
    })
    rec = record_for(net)
    assert rec["dead"][0] == 3  # three units have z ≤ 0 for all four samples
    assert rec["saturation"][0] == np.mean([[1, 1, 1, 1]] * 3 + [[1, 0, 0, 0]])
    kinds = [h["kind"] for h in diagnostics.hints(net.spec, [rec], [])]
    assert "dead_relu" in kinds


def test_oscillating_loss_and_plateau_and_healthy():
    spec = engine.create_network({"preset": "seed-xor"}).spec
    zigzag = [(i, 1.0 + (0.2 if i % 2 else -0.2)) for i in range(40)]
    assert "oscillating" in [h["kind"] for h in diagnostics.hints(spec, [], zigzag)]
    flat = [(i, 0.6931) for i in range(40)]
    assert "plateau" in [h["kind"] for h in diagnostics.hints(spec, [], flat)]
    falling = [(i, 1.0 / (i + 1)) for i in range(40)]
    assert diagnostics.hints(spec, [], falling) == []
