"""The cursor, out-of-order calls, divergence and the loss history."""

import json

import numpy as np
import pytest

from engine import DivergenceError, OrderError, create_network, to_record
from engine.core.history import LossHistory
from engine.limits import MAX_HISTORY_POINTS


def state(net):
    return json.dumps(to_record(net, trace=True), sort_keys=True)


def test_cursor_walks_the_iteration():
    net = create_network({"preset": "circle-tanh"})  # L = 3
    seen = [(net.phase, net.layer, net.next_action)]
    for action in ["forward"] * 3 + ["backward"] * 3:
        getattr(net, action)()
        seen.append((net.phase, net.layer, net.next_action))
    net.update()
    seen.append((net.phase, net.layer, net.next_action))
    assert seen == [
        ("idle", 0, "forward"),
        ("forward", 1, "forward"),
        ("forward", 2, "forward"),
        ("forward", 3, "backward"),
        ("backward", 3, "backward"),
        ("backward", 2, "backward"),
        ("backward", 1, "update"),
        ("updated", 0, "forward"),
    ]
    assert net.iteration == 1
    # the trace of the finished iteration stays, with the parameters before it
    assert all(lt.grad_w is not None for lt in net.trace.layers)
    assert net.previous is not None and net.previous.learning_rate == 0.5


@pytest.mark.parametrize(
    "moves,call,allowed",
    [
        ([], "backward", "forward"),
        ([], "update", "forward"),
        (["forward"], "backward", "forward"),
        (["forward"], "update", "forward"),
        (["forward_all"], "forward", "backward"),
        (["forward_all"], "update", "backward"),
        (["forward_all", "backward"], "forward", "backward"),
        (["forward_all", "backward_all"], "forward", "update"),
        (["forward_all", "backward_all"], "backward", "update"),
        (["step"], "backward", "forward"),
        (["step"], "update", "forward"),
        (["forward"], "train", "forward"),
        (["forward_all", "backward_all"], "train", "update"),
    ],
)
def test_out_of_order_calls_name_the_allowed_action(moves, call, allowed):
    net = create_network({"preset": "seed-xor"})
    for move in moves:
        name, _, rest = move.partition("_")
        getattr(net, name)(**({"all": True} if rest else {}))
    before = state(net)
    with pytest.raises(OrderError) as info:
        net.train(5) if call == "train" else getattr(net, call)()
    assert info.value.allowed == allowed
    assert f"'{allowed}'" in str(info.value)
    assert state(net) == before


def test_step_finishes_an_iteration_in_progress():
    a, b = create_network({"preset": "seed-xor"}), create_network({"preset": "seed-xor"})
    a.forward()
    a.step()
    b.step()
    assert state(a) == state(b)


def diverging_net():
    # linear / mse, x = ±10, η = 1: w ← w − η·mean((z − y)·x) ≈ w − 100 w, so |w| grows
    # about a hundredfold per update (1, 94, ~9e3, ~9e5, …) until a value overflows
    return create_network(
        {
            "layers": [1, 1],
            "activations": ["linear"],
            "loss": "mse",
            "learning_rate": 1.0,
            "weights": [[[1.0]]],
            "biases": [[0.0]],
            "inputs": [[10.0], [-10.0]],
            "targets": [[1.0], [0.0]],
        }
    )


def test_a_diverging_step_changes_nothing():
    net = diverging_net()
    for _ in range(100):
        before = state(net)
        try:
            net.step()
        except DivergenceError as e:
            assert state(net) == before
            assert e.iteration == net.iteration + 1
            assert "learning rate" in str(e)
            break
    else:
        pytest.fail("the network never diverged")
    assert net.iteration > 0
    assert all(np.isfinite(w).all() for w in net.weights)


def test_a_diverging_single_layer_move_changes_nothing():
    net = diverging_net()
    net.train(1000)  # stops at the last iteration before it diverges ...
    moves = [net.forward, net.backward, net.update]  # one layer: one move of each
    for move in moves:  # ... then one move at a time: the one that diverges changes nothing
        before = state(net)
        try:
            move()
        except DivergenceError:
            assert state(net) == before
            break
    else:
        pytest.fail("no move diverged")


def test_train_stops_at_the_diverging_iteration():
    steps = diverging_net()
    last_good = None
    while True:
        try:
            steps.step()
            last_good = [w.copy() for w in steps.weights]
        except DivergenceError as e:
            bad = e.iteration
            break
    net = diverging_net()
    result = net.train(1000)
    assert result.diverged is not None
    assert result.diverged["iteration"] == net.iteration + 1
    assert str(net.iteration + 1) in result.diverged["reason"]
    assert "learning rate" in result.diverged["remedy"]
    assert len(result.losses) == net.iteration
    assert np.isfinite(result.losses).all()
    assert all(np.isfinite(w).all() for w in net.weights + net.biases)
    # the step machine fails at the same iteration, with the same parameters before it
    assert bad == result.diverged["iteration"]
    np.testing.assert_allclose(net.weights[0], last_good[0], rtol=1e-9)


def test_loss_history_is_bounded_and_keeps_the_latest():
    h = LossHistory()
    for i in range(1, 100_001):
        h.append(i, 1.0 / i)
        if i in (999, 1000, 1001, 4097, 100_000):
            points = h.as_list()
            assert len(points) <= MAX_HISTORY_POINTS
            assert points[-1] == [i, 1.0 / i]
            its = [p[0] for p in points[:-1]]
            assert its == sorted(its) and len(set(np.diff(its))) <= 1  # evenly spaced
    assert len(h.as_list()) >= MAX_HISTORY_POINTS // 2


def test_train_and_step_fill_the_history():
    net = create_network({"preset": "seed-xor"})
    result = net.train(2500)
    net.step()
    points = net.history.as_list()
    assert len(points) <= MAX_HISTORY_POINTS
    assert points[-1] == [2501, net.trace.loss]
    assert points[0][1] == pytest.approx(result.losses[points[0][0] - 1], abs=0)


def test_parameters_that_training_grew_beyond_the_typed_in_bound_still_load():
    """Typed-in numbers are bounded to ±1e6; parameters that training produced need only be
    finite, so a stored network always loads again and carries on."""
    import engine as eng
    from engine import limits

    net = eng.create_network(
        {
            "layers": [1, 1],
            "activations": ["linear"],
            "loss": "mse",
            "learning_rate": 100.0,
            "inputs": [[1.0]],
            "targets": [[0.0]],
            "weights": [[[1.0]]],
            "biases": [[0.0]],
        }
    )
    net.train(5)  # |w| grows about 199-fold per iteration: ~1e11 after five
    assert abs(net.weights[0][0, 0]) > limits.MAX_ABS_VALUE
    for trace in (True, False):
        again = eng.from_record(eng.to_record(net, trace=trace))
        assert again.weights[0][0, 0] == net.weights[0][0, 0]
    again.step()
    assert again.iteration == 6
    with pytest.raises(eng.SpecError, match="beyond"):
        eng.edit_network(again, weights=[[[2e6]]])
