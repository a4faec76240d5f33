"""Momentum and Adam inside a real network: hand-worked updates, the fast path against
traced steps, the update's details in the trace, and serialization of the state."""

import json

import numpy as np
import pytest

from engine import SpecError, create_network, edit_network, from_record, gradcheck, to_record

# The worked example's ∂L/∂w^2_{11} (the blog's ∂E/∂w5) in iteration 1: 0.082167041.
G_W5 = 0.08216704056423078


def dump(net, trace=True):
    return json.dumps(to_record(net, trace=trace), sort_keys=True)


def test_momentum_worked_example_two_updates_by_hand():
    net = create_network({"preset": "worked-example", "optimizer": "momentum"})
    net.step()
    # iteration 1: v = 0.9·0 + g = 0.082167041; w5 = 0.40 − 0.5·0.082167041 = 0.358916480
    assert net.trace.layers[1].grad_w[0, 0] == pytest.approx(G_W5, abs=1e-12)
    assert net.weights[1][0, 0] == pytest.approx(0.35891648, abs=1e-8)
    details = net.trace.update
    assert (details["optimizer"], details["learning_rate"], details["mu"]) == ("momentum", 0.5, 0.9)
    assert details["layers"][1]["v_before"]["weights"][0, 0] == 0.0
    assert details["layers"][1]["v"]["weights"][0, 0] == pytest.approx(G_W5, abs=1e-15)
    net.step()
    # iteration 2: v = 0.9·0.082167041 + g₂, w5 = 0.358916480 − 0.5·v, with g₂ from the trace
    g2 = net.trace.layers[1].grad_w[0, 0]
    v2 = 0.9 * 0.08216704056423078 + g2
    layer = net.trace.update["layers"][1]
    assert layer["v_before"]["weights"][0, 0] == pytest.approx(G_W5, abs=1e-15)
    assert layer["v"]["weights"][0, 0] == pytest.approx(v2, abs=1e-15)
    assert net.weights[1][0, 0] == pytest.approx(0.35891647971788465 - 0.5 * v2, abs=1e-15)
    assert net.previous.optimizer == "momentum"
    np.testing.assert_array_equal(
        net.previous.optimizer_state["v"][1], layer["v_before"]["weights"]
    )


def test_adam_worked_example_first_update_by_hand():
    net = create_network({"preset": "worked-example", "optimizer": "adam"})
    net.step()
    # t = 1: m = 0.1·g, v = 0.001·g², so m̂ = g = 0.0821670406 and v̂ = g² = 0.0067514225;
    # w5 = 0.40 − 0.5 · 0.0821670406 / (0.0821670406 + 1e-8) = 0.40 − 0.4999999391
    details = net.trace.update
    assert (details["t"], details["beta1"], details["beta2"], details["eps"]) == (
        1,
        0.9,
        0.999,
        1e-8,
    )
    layer = details["layers"][1]
    assert layer["m"]["weights"][0, 0] == pytest.approx(0.00821670406, abs=1e-11)
    assert layer["v"]["weights"][0, 0] == pytest.approx(6.7514225e-06, abs=1e-13)
    assert layer["m_hat"]["weights"][0, 0] == pytest.approx(0.0821670406, abs=1e-10)
    assert layer["v_hat"]["weights"][0, 0] == pytest.approx(0.0067514225, abs=1e-10)
    assert net.weights[1][0, 0] == pytest.approx(0.40 - 0.4999999391, abs=1e-10)
    # every first Adam step moves each parameter by about η against its gradient's sign
    for w, w0, lt in zip(net.weights, net.previous.weights, net.trace.layers):
        np.testing.assert_allclose(w0 - w, 0.5 * np.sign(lt.grad_w), rtol=1e-4)
    assert net.optimizer_state["t"] == 1


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("preset", ["circle-tanh", "gauss-softmax", "sine-regression"])
def test_train_equals_traced_steps(optimizer, preset):
    fast = create_network({"preset": preset, "optimizer": optimizer, "learning_rate": 0.05})
    traced = create_network({"preset": preset, "optimizer": optimizer, "learning_rate": 0.05})
    losses = fast.train(30).losses
    traced_losses = []
    for _ in range(30):
        traced.step()
        traced_losses.append(traced.trace.loss)
    np.testing.assert_allclose(losses, traced_losses, rtol=0, atol=1e-12)
    for a, b in zip([*fast.weights, *fast.biases], [*traced.weights, *traced.biases]):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    for key, arrays in fast.optimizer_state.items():
        if key == "t":
            assert arrays == traced.optimizer_state["t"] == 30
            continue
        for a, b in zip(arrays, traced.optimizer_state[key]):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    assert fast.iteration == traced.iteration == 30


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_round_trip_with_state_in_every_phase(optimizer):
    net = create_network({"preset": "circle-tanh", "optimizer": optimizer})
    net.train(4)
    for action in [
        "step",
        "forward",
        "forward",
        "forward",
        "backward",
        "backward",
        "backward",
        "update",
    ]:
        getattr(net, action)()
        full = dump(net)
        assert dump(from_record(json.loads(full))) == full
        bare = json.loads(dump(net, trace=False))  # replays, the update's details included
        assert dump(from_record(bare)) == full
    assert (
        json.loads(full)["trace"]["update"]["layers"][0]["m_hat" if optimizer == "adam" else "v"]
        is not None
    )


def test_replay_after_an_optimizer_edit_uses_the_previous_rule():
    net = create_network({"preset": "worked-example", "optimizer": "adam"})
    net.step()
    edit_network(net, optimizer="momentum")
    assert net.phase == "updated" and net.trace.update["optimizer"] == "adam"
    full = dump(net)
    assert dump(from_record(json.loads(dump(net, trace=False)))) == full


def test_optimizer_edit_resets_state_but_keeps_the_iteration():
    net = create_network({"preset": "circle-tanh", "optimizer": "momentum"})
    net.train(3)
    net.forward(all=True)
    net.backward()
    edit_network(net, optimizer="momentum")  # the same rule: nothing changes
    assert np.abs(net.optimizer_state["v"][0]).max() > 0
    edit_network(net, optimizer="adam")
    assert (net.phase, net.layer, net.iteration) == ("backward", 3, 3)
    assert net.optimizer_state["t"] == 0
    assert all(not a.any() for a in net.optimizer_state["m"] + net.optimizer_state["v"])
    net.backward(all=True)
    net.update()
    assert net.trace.update["optimizer"] == "adam" and net.optimizer_state["t"] == 1


def test_reset_clears_the_state_and_bad_names_are_refused():
    net = create_network({"preset": "circle-tanh", "optimizer": "adam"})
    net.train(5)
    net.reset()
    assert net.optimizer_state["t"] == 0 and not net.optimizer_state["m"][0].any()
    with pytest.raises(SpecError) as err:
        create_network({"preset": "seed-xor", "optimizer": "rmsprop"})
    assert err.value.field == "optimizer"
    with pytest.raises(SpecError):
        edit_network(net, optimizer="nesterov")
    assert net.spec.optimizer == "adam"


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_gradients_stay_exact_while_an_optimizer_trains(optimizer):
    net = create_network({"preset": "gauss-softmax", "optimizer": optimizer, "learning_rate": 0.05})
    net.train(20)
    assert gradcheck(net)["max"] < 1e-6


def test_momentum_and_adam_learn_circle():
    for optimizer, eta in (("momentum", 0.05), ("adam", 0.02)):
        net = create_network(
            {"preset": "circle-tanh", "optimizer": optimizer, "learning_rate": eta}
        )
        losses = net.train(300).losses
        assert losses[-1] < 0.2 * losses[0], optimizer
