"""The step machine's moves, one layer at a time: the forward pass of layer l (with the loss
at layer L), the backward pass of layer l, and the update. Network._run runs them on a
trace of their own and restores everything they change if one raises; each reads and
writes the network it is given.

Shapes as in trace.py: rows are the b samples of the iteration's batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

import numpy as np

from . import optimisers, passes
from .losses import reduce_losses
from .penalties import is_active, penalty, penalty_gradient
from .trace import Trace

if TYPE_CHECKING:
    from .network import Network


@dataclass
class Previous:
    """The parameters as they were before the last update, the η and the optimiser it used,
    and the optimiser's state before it."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    learning_rate: float
    optimizer: str = "sgd"
    optimizer_state: dict = field(default_factory=dict)


def batch_rows(net: Network, rows: np.ndarray) -> np.ndarray:
    """The rows of the iteration's batch: all of `rows` for the whole batch."""
    batch = net.trace.batch
    return rows if batch is None or len(batch) == len(rows) else rows[batch]


def a_of(net: Network, l: int) -> np.ndarray:
    """a^l of the iteration in progress (a⁰ = φ(x) of the batch's samples: x itself without
    features); the step order has computed it."""
    if l > 0:
        return cast(np.ndarray, net.trace.layers[l - 1].a)
    a0 = net.trace.a0
    return batch_rows(net, net.a0) if a0 is None else a0


def forward_one(net: Network) -> None:
    """z^l and a^l of the next layer; at layer L also ℓ_i, L_data, Ω and L."""
    if net.phase in ("idle", "updated"):
        net.trace, net.previous, net.layer = Trace.empty(net.depth), None, 0
        net.trace.batch = net.schedule.batch(net.iteration)
    l = net.layer + 1
    net._stage = ("the forward pass", l)
    spec, t = net.spec, net.trace
    lt = t.layers[l - 1]
    if l == 1:
        t.a0 = batch_rows(net, net.a0)
    lt.z, lt.a = passes.forward_layer(
        net.weights[l - 1], net.bias_or_none(l), a_of(net, l - 1), spec.activations[l - 1]
    )
    if l == net.depth:
        net._stage = ("the loss", None)
        t.losses, t.dloss_doutput = passes.output_loss(
            spec.activations[-1], spec.loss, lt.z, lt.a, batch_rows(net, net.targets)
        )
        t.data_loss = reduce_losses(t.losses, spec.reduction)
        t.penalty = penalty(spec.regularization, spec.regularization_rate, net.weights)
        t.loss = t.data_loss + t.penalty if is_active(spec.regularization) else t.data_loss
    net.phase, net.layer = "forward", l


def backward_one(net: Network) -> None:
    """δ^l, ∂L/∂W^l (with the penalty's part) and ∂L/∂b^l of the next layer down; at
    layer 1 also ∂ℓ_i/∂x_i."""
    l = net.depth if net.phase == "forward" else net.layer - 1
    net._stage = ("the backward pass", l)
    spec, t = net.spec, net.trace
    lt = t.layers[l - 1]
    if l == net.depth:
        lt.grad_a = t.dloss_doutput
        lt.fprime, lt.delta = passes.output_delta(
            spec.activations[-1], spec.loss, lt.z, lt.a, batch_rows(net, net.targets), lt.grad_a
        )
    else:
        lt.grad_a, lt.fprime, lt.delta = passes.hidden_delta(
            spec.activations[l - 1], lt.z, lt.a, net.weights[l], t.layers[l].delta
        )
    lt.grad_w, lt.grad_b = passes.parameter_gradients(
        lt.delta, a_of(net, l - 1), spec.reduction, spec.with_bias[l - 1]
    )
    extra = penalty_gradient(spec.regularization, spec.regularization_rate, net.weights[l - 1])
    if extra is not None:
        lt.grad_w_data, lt.grad_w_penalty = lt.grad_w, extra
        lt.grad_w = lt.grad_w + extra
    if l == 1:
        t.dloss_dinput = passes.input_gradient(lt.delta, net.weights[0])
    net.phase, net.layer = "backward", l


def update(net: Network) -> None:
    """Every weight and trained bias by the optimiser's rule; the histories and records."""
    net._stage = ("the update", None)
    spec, L, t = net.spec, net.depth, net.trace
    eta, name = spec.learning_rate, spec.optimizer
    grads = [lt.grad_w for lt in t.layers] + [
        lt.grad_b if trained else None for lt, trained in zip(t.layers, spec.trained_bias)
    ]
    new, state, details = optimisers.step(
        name, [*net.weights, *net.biases], grads, net.optimizer_state, eta
    )
    t.update = optimisers.update_details(name, eta, net.optimizer_state, state, details, L)
    test_loss = net.test_loss()
    # with the parameters the forward pass used: its outputs when it took every sample
    # (then in the samples' order: batch_rows)
    every = t.batch is None or len(t.batch) == len(net.targets)
    accuracy = net.accuracies(t.layers[-1].a if every else None)
    net.previous = Previous(net.weights, net.biases, eta, name, net.optimizer_state)
    net.weights, net.biases, net.optimizer_state = new[:L], new[L:], state
    t.learning_rate = eta
    net.iteration += 1
    net.phase, net.layer = "updated", 0
    # Last, once nothing can fail any more: the histories and records grow.
    net.history.append(net.iteration, cast(float, t.loss))  # the forward pass set it
    if test_loss is not None:
        net.test_history.append(net.iteration, test_loss)
    net.record_accuracy(net.iteration, *accuracy)
    zs, as_ = [lt.z for lt in t.layers], [lt.a for lt in t.layers]
    fprimes = [lt.fprime for lt in t.layers]
    net.add_records([(spec.activations, zs, as_, grads[:L], net.iteration, fprimes)])
