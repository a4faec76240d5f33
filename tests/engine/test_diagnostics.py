import math

import numpy as np
import pytest

import engine
from engine.core import records
from engine.inspect import diagnostics


def record_for(net):
    net.forward(all=True)
    net.backward(all=True)
    t = net.trace
    return records.measure(
        net.spec.activations,
        [lt.z for lt in t.layers],
        [lt.a for lt in t.layers],
        [lt.grad_w for lt in t.layers],
        0,
    )


def test_vanishing_gradients_are_named_for_the_deep_sigmoid_preset():
    net = engine.create_network({"preset": "vanishing-sigmoid"})
    rec = record_for(net)
    assert rec["grad_norms"][0] < 1e-3 * rec["grad_norms"][-1]
    kinds = [h["kind"] for h in diagnostics.hints(net.spec, [rec], [])]
    assert "vanishing" in kinds


def test_dead_relus_are_counted():
    net = engine.create_network(
        {
            "layers": [2, 4, 1],
            "activations": ["relu", "sigmoid"],
            "loss": "bce",
            "learning_rate": 0.1,
            "dataset": "xor",
            "weights": [[[-1, -1], [-1, -1], [-1, -1], [1, 1]], [[1, 1, 1, 1]]],
            "biases": [[-0.5, -0.5, -0.5, 0.0], [0.0]],
        }
    )
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


def stuck_record(depth: int) -> dict:
    return {
        "iteration": 500,
        "grad_norms": [1e-6 * (l + 1) for l in range(depth)],
        "saturation": [0.0] * depth,
        "dead": [0] * depth,
    }


def test_the_stuck_hint_is_general_and_says_what_to_do_in_this_app():
    net = engine.create_network({"preset": "circle-tanh"})  # not the article's net
    baseline = diagnostics.constant_loss(net.spec.loss, net.targets)
    flat = [(i, baseline) for i in range(40)]
    hints = diagnostics.hints(net.spec, [stuck_record(3)], flat, baseline=baseline)
    assert [h["kind"] for h in hints] == ["stuck_at_average"]
    message = hints[0]["message"]
    assert "article" not in message and "seed-xor" not in message and "100,000" not in message
    assert "Adam" in message and "lab page" in message and "Update rule" in message
    assert "Network card" in message and "init_scale 1" in message  # changed live, no new net
    assert "the largest, |∂L/∂W³|, is 3.0×10⁻⁶" in message  # the layer with the largest norm


def test_hint_messages_write_layer_numbers_as_superscripts_never_w_caret():
    net = engine.create_network({"preset": "vanishing-sigmoid"})
    rec = record_for(net)
    baseline = diagnostics.constant_loss(net.spec.loss, net.targets)
    flat = [(i, baseline) for i in range(40)]
    hints = diagnostics.hints(net.spec, [rec], flat, baseline=baseline)
    assert {"vanishing", "stuck_at_average"} <= {h["kind"] for h in hints}
    for h in hints:
        assert "^" not in h["message"], h["message"]
    vanishing = next(h["message"] for h in hints if h["kind"] == "vanishing")
    assert "|∂L/∂W¹|" in vanishing and "|∂L/∂W⁷|" in vanishing
    assert diagnostics.grad_w(12) == "|∂L/∂W¹²|"


def test_a_saturated_output_layer_is_not_a_warning_and_the_all_clear_says_so():
    net = engine.create_network({"preset": "circle-tanh"})  # 2-8-8-1 tanh, tanh, sigmoid
    confident = {
        "iteration": 9,
        "grad_norms": [0.1, 0.1, 0.1],
        "saturation": [0.1, 0.2, 1.0],
        "dead": [0, 0, 0],
    }
    assert diagnostics.hints(net.spec, [confident], []) == []
    assert "output layer is not counted" in diagnostics.ALL_CLEAR
    assert "no hidden layer has more than 80% of its units saturated" in diagnostics.ALL_CLEAR
    assert "few" not in diagnostics.ALL_CLEAR  # 43 % saturated is not "few": no vague words
    at_limit = dict(confident, saturation=[0.8, 0.8, 1.0])  # the all-clear's own threshold
    assert diagnostics.hints(net.spec, [at_limit], []) == []
    hidden = dict(confident, saturation=[0.81, 0.2, 1.0])
    [hint] = diagnostics.hints(net.spec, [hidden], [])
    assert hint["kind"] == "saturated" and "hidden layer 1" in hint["message"]


def test_a_complete_backward_pass_gives_a_record_before_any_update():
    net = engine.create_network({"preset": "vanishing-sigmoid"})
    net.forward(all=True)
    net.backward()  # only the output layer's gradients: nothing to measure yet
    assert diagnostics.current_records(net) == [] and engine.network_hints(net) == []
    net.backward(all=True)
    [rec] = diagnostics.current_records(net)
    assert net.records == []  # measured, not stored
    assert rec["iteration"] == 1
    assert rec["grad_norms"][0] == records.norm(net.trace.layers[0].grad_w)
    assert "vanishing" in [h["kind"] for h in engine.network_hints(net)]
    net.update()  # the update records the same iteration once
    assert diagnostics.current_records(net) == net.records
    assert [r["iteration"] for r in net.records] == [1]
    assert net.records[0]["grad_norms"] == rec["grad_norms"]
    net.forward()  # a new iteration: the last record stays, no trace record yet
    assert diagnostics.current_records(net) == net.records


def test_the_stuck_hint_follows_the_reduction_and_batch():
    """With the sum reduction the loss of a constant answer is the batch's sum: 4 ln 2 for
    XOR's four samples, 2 ln 2 for batches of two."""
    for extra, baseline in (({}, math.log(2)), ({"reduction": "sum"}, 4 * math.log(2))):
        net = engine.create_network({"preset": "seed-xor", "learning_rate": 1e-6, **extra})
        net.train(60)
        assert net.history.as_list()[-1][1] == pytest.approx(baseline, rel=1e-2)
        assert "stuck_at_average" in {h["kind"] for h in diagnostics.network_hints(net)}
    xor = engine.create_network({"preset": "seed-xor"})
    per_sample = diagnostics.constant_loss("bce", xor.targets)
    assert diagnostics.constant_loss("bce", xor.targets, "sum", 2) == 2 * per_sample
    assert diagnostics.constant_loss("bce", xor.targets, "mean", 2) == per_sample
