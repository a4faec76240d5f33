"""Backprop against central finite differences for every convention × activation × loss,
penalty and input gradient included.

Two oracles: the engine's gradient check (vectorised central differences), for every
hidden activation with every (output activation, loss) pair; and, independent of it, a
plain central difference of the loss the network itself reports (its own forward pass over
the same batch, data loss plus penalty) with one parameter or one input moved at a time.
"""

import itertools

import numpy as np
import pytest

from engine import create_network, from_record, gradcheck, to_record
from engine.core import passes
from tests.support.networks import HIDDEN, allowed_outputs

H = 1e-6
BIAS = ["trained", "frozen", "none", ["none", "frozen"]]
REDUCTIONS = ["mean", "sum"]
PENALTIES = [("none", 0.0), ("l2", 0.3), ("l1", 0.2)]
BATCHES = [None, 1, 3]  # of 5 samples: the whole batch, online, batches of 3 and 2
KINKED = {"relu", "leaky_relu"}


def cases():
    return list(itertools.product(BIAS, REDUCTIONS, PENALTIES, BATCHES))


def random_net(seed, hidden, output, loss, bias, reduction, penalty, batch):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, (5, 2))
    if loss == "cce":
        y = np.eye(3)[rng.integers(0, 3, 5)]
    elif loss == "bce":
        y = rng.uniform(0, 1, (5, 3))
    else:
        y = rng.normal(0, 1, (5, 3))
    net = create_network(
        {
            "layers": [2, 3, 3],
            "activations": [hidden, output],
            "loss": loss,
            "learning_rate": 0.01,
            "init": "normal",
            "init_scale": 0.8,
            "seed": seed,
            "inputs": x.tolist(),
            "targets": y.tolist(),
            "bias": bias,
            "reduction": reduction,
            "regularization": penalty[0],
            "regularization_rate": penalty[1],
            "batch_size": batch,
        }
    )
    if net.spec.has_bias(1):  # biases away from zero, so that they matter
        net.biases = [b + rng.normal(0, 0.5, b.shape) for b in net.biases]
        net.biases = [b if net.spec.has_bias(l) else b * 0 for l, b in enumerate(net.biases, 1)]
        net.initial = ([w.copy() for w in net.weights], [b.copy() for b in net.biases])
    net.train(2)  # so that the batch checked is not the first one
    return net


def far_from_kinks(net, margin=100 * H) -> bool:
    """No z of a relu / leaky_relu layer (nor a weight under l1) within reach of the
    differences' step of its kink."""
    batch = net.batch_position()[1]
    a = net.inputs[batch]
    for l in range(1, net.depth + 1):
        z, a_next = passes.forward_layer(
            net.weights[l - 1], net.bias_or_none(l), a, net.spec.activations[l - 1]
        )
        if net.spec.activations[l - 1] in KINKED and np.abs(z).min() < margin * 10:
            return False
        a = a_next
    if net.spec.regularization == "l1":
        return min(float(np.abs(w).min()) for w in net.weights) > margin
    return True


@pytest.mark.parametrize("bias,reduction,penalty,batch", cases())
def test_gradcheck_for_every_convention_activation_and_loss(bias, reduction, penalty, batch):
    checked = 0
    for hidden, (output, loss) in itertools.product(HIDDEN, allowed_outputs()):
        for seed in range(3):
            net = random_net(seed, hidden, output, loss, bias, reduction, penalty, batch)
            if far_from_kinks(net):
                break
        else:
            continue
        result = gradcheck(net)
        assert result["max"] < 1e-6, (hidden, output, loss, result)
        assert result["inputs"]["error"] < 1e-6
        for l, layer in enumerate(result["layers"], start=1):
            assert (layer["biases"] is None) == (not net.spec.has_bias(l))
        checked += 1
    assert checked >= len(HIDDEN) * len(allowed_outputs()) - 3  # kinks skip very few


def reported_loss(probe, weights, biases, inputs=None) -> tuple[float, np.ndarray]:
    """(L, ℓ_i) the network reports from a fresh forward pass with these values."""
    probe.weights, probe.biases = weights, biases
    if inputs is not None:
        probe.inputs = inputs
    probe.clear_iteration()
    probe.forward(all=True)
    return probe.trace.loss, probe.trace.losses


def numeric(probe, net, which: str, l: int, index) -> float:
    """(L(θ + h) − L(θ − h)) / 2h for one weight or bias."""
    out = []
    for sign in (1.0, -1.0):
        ws, bs = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
        (ws if which == "w" else bs)[l][index] += sign * H
        out.append(reported_loss(probe, ws, bs)[0])
    return (out[0] - out[1]) / (2 * H)


def assert_agrees(backprop, fd, scale):
    assert abs(backprop - fd) <= 1e-6 * max(abs(backprop), abs(fd), scale), (backprop, fd)


@pytest.mark.parametrize("bias,reduction,penalty,batch", cases())
def test_trace_gradients_against_the_reported_loss(bias, reduction, penalty, batch):
    """One parameter at a time, for every weight and every bias that the layer has; the
    input gradient one input of the batch's samples at a time (ℓ_i per sample)."""
    for i, (output, loss) in enumerate(allowed_outputs()):
        hidden = HIDDEN[i % len(HIDDEN)]
        net = random_net(i, hidden, output, loss, bias, reduction, penalty, batch)
        if not far_from_kinks(net):
            continue
        net.forward(all=True)
        net.backward(all=True)
        probe = from_record(to_record(net))
        scale = max(1.0, abs(net.trace.loss))
        for l, lt in enumerate(net.trace.layers):
            for index in np.ndindex(lt.grad_w.shape):
                assert_agrees(lt.grad_w[index], numeric(probe, net, "w", l, index), scale)
            if lt.grad_b is None:
                assert not net.spec.has_bias(l + 1)
                continue
            for j in range(len(lt.grad_b)):  # frozen biases too: their gradient is shown
                assert_agrees(lt.grad_b[j], numeric(probe, net, "b", l, j), scale)
        check_input_gradient(net, probe, scale)


def check_input_gradient(net, probe, scale):
    batch = net.trace.batch
    for k in range(net.inputs.shape[1]):
        sides = []
        for sign in (1.0, -1.0):
            x = net.inputs.copy()
            x[batch, k] += sign * H
            sides.append(reported_loss(probe, net.weights, net.biases, x)[1])
        fd = (sides[0] - sides[1]) / (2 * H)  # ∂ℓ_i/∂x_ik for each sample of the batch
        for i in range(len(batch)):
            assert_agrees(net.trace.dloss_dinput[i, k], fd[i], scale)
