"""Edit a network in place: η, optimiser, parameters, samples, loss and conventions, all
checked before anything changes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .core import conventions
from .core.network import Network
from .core.optimisers import align_state, check_optimiser
from .core.spec import (
    Spec,
    check_activations,
    check_data,
    check_learning_rate,
    check_loss,
    check_parameters,
    check_targets,
    check_test_split,
)
from .data import samples
from .errors import SpecError
from .factory import CONVENTIONS, given_biases


def edit_network(
    net: Network,
    learning_rate=None,
    weights=None,
    biases=None,
    inputs=None,
    targets=None,
    optimizer=None,
    dataset=None,
    test_split=None,
    test_inputs=None,
    test_targets=None,
    **changes,
) -> None:
    """Apply an edit atomically (everything is checked before anything changes).

    `changes` are the conventions (CONVENTIONS) and `loss`. Changing parameters, data or a
    convention clears the iteration in progress; changing only η or the optimizer keeps it
    (nothing computed so far depends on them). A new optimizer starts from a fresh state; a
    bias that becomes trained starts its optimiser state at zero, one that stops being
    trained loses it. A layer whose bias becomes none gets zero biases (now and on reset).
    `dataset` and / or `test_split` regenerate the samples and the split; new `inputs` /
    `targets` drop the test samples unless `test_inputs` and `test_targets` come too."""
    spec = net.spec
    if learning_rate is not None:
        spec = replace(spec, learning_rate=check_learning_rate(learning_rate))
    if optimizer is not None:
        spec = replace(spec, optimizer=check_optimiser(optimizer))
    changes = {k: v for k, v in changes.items() if v is not None}
    spec = edited_conventions(spec, changes)
    ws, bs = net.weights, net.biases
    if weights is not None or biases is not None:
        ws, bs = check_parameters(
            spec,
            weights if weights is not None else net.weights,
            biases if biases is not None else given_biases(spec, [b.tolist() for b in bs]),
        )
    elif spec.bias != net.spec.bias:
        bs = without_absent_biases(spec, bs)
    given = {
        "inputs": inputs,
        "targets": targets,
        "dataset": dataset,
        "test_split": test_split,
        "test_inputs": test_inputs,
        "test_targets": test_targets,
    }
    data = {k: v for k, v in given.items() if v is not None}
    spec, samples_now = edited_samples(net, spec, data) if data else (spec, None)
    x, y, _, ty = samples_now or (net.inputs, net.targets, net.test_inputs, net.test_targets)
    spec = replace(spec, batch_size=conventions.check_batch_size(spec.batch_size, len(x)))
    if spec.loss != net.spec.loss:
        check_targets(spec, y)
        check_targets(spec, ty, "test_targets")
    commit_edit(net, spec, ws, bs, samples_now)
    if weights is not None or biases is not None or data or changes:
        net.clear_iteration()


def edited_conventions(spec: Spec, changes: dict) -> Spec:
    """The spec with `changes` (loss and CONVENTIONS) checked and applied."""
    unknown = set(changes) - {"loss", *CONVENTIONS}
    if unknown:
        raise SpecError(min(unknown), "is not a field that an edit can change")
    if "loss" in changes:
        loss = check_loss(changes["loss"])
        check_activations(spec.activations, spec.depth, loss)
        spec = replace(spec, loss=loss)
    if "bias" in changes:
        spec = replace(spec, bias=conventions.check_bias(changes["bias"], spec.depth))
    if "reduction" in changes:
        spec = replace(spec, reduction=conventions.check_reduction(changes["reduction"]))
    if "shuffle" in changes:
        spec = replace(spec, shuffle=conventions.check_shuffle(changes["shuffle"]))
    if "regularization" in changes:
        name = conventions.check_regularization(changes["regularization"])
        spec = replace(spec, regularization=name)
    if "regularization_rate" in changes:
        rate = conventions.check_regularization_rate(changes["regularization_rate"])
        spec = replace(spec, regularization_rate=rate)
    if "batch_size" in changes:  # checked against the samples once the data edit is known
        spec = replace(spec, batch_size=changes["batch_size"])
    return spec


def without_absent_biases(spec: Spec, biases) -> list[np.ndarray]:
    """The biases with zeros for the layers that have no bias term."""
    return [b if spec.has_bias(l) else np.zeros_like(b) for l, b in enumerate(biases, start=1)]


def commit_edit(net: Network, spec: Spec, ws, bs, samples_now) -> None:
    """Apply a checked edit: spec, parameters, samples and the optimiser state."""
    old = net.spec
    net.spec, net.weights, net.biases = spec, list(ws), list(bs)
    if samples_now is not None:
        net.inputs, net.targets, net.test_inputs, net.test_targets = samples_now
    if spec.bias != old.bias:
        net.initial = (net.initial[0], without_absent_biases(spec, net.initial[1]))
    if spec.optimizer != old.optimizer:
        net.optimizer_state = net.fresh_optimizer_state()
    elif spec.bias != old.bias:
        params = [*net.weights, *net.trained_biases()]
        net.optimizer_state = align_state(spec.optimizer, net.optimizer_state, params)


def edited_samples(net: Network, spec, data: dict):
    """(spec, (x, y, x_test, y_test)) after a data edit; see edit_network."""
    if "test_split" in data and {"test_inputs", "test_targets"} & set(data):
        raise SpecError(
            "test_split", "give a test_split or explicit test_inputs and test_targets, not both"
        )
    if "test_split" in data:
        spec = replace(spec, test_split=check_test_split(data["test_split"]))
    if "dataset" in data or ("test_split" in data and not {"inputs", "targets"} & set(data)):
        if {"inputs", "targets", "test_inputs", "test_targets"} & set(data):
            raise SpecError(
                "dataset", "regenerate from a dataset, or give inputs and targets, not both"
            )
        if "dataset" in data or spec.dataset is not None:
            x, y, opts = samples.generate(spec, data.get("dataset", spec.dataset))
        else:  # explicit samples: split them all again
            x, y = (
                np.concatenate([a, b])
                for a, b in ((net.inputs, net.test_inputs), (net.targets, net.test_targets))
            )
            opts = None
        return replace(spec, dataset=opts), samples.split(x, y, spec.test_split, spec.seed)
    x, y = net.inputs, net.targets
    if "inputs" in data or "targets" in data:
        x, y = check_data(spec, data.get("inputs", net.inputs), data.get("targets", net.targets))
        spec = replace(spec, dataset=None)  # the data are no longer the generated set
        if "test_split" in data:
            return spec, samples.split(x, y, spec.test_split, spec.seed)
    if "test_inputs" in data or "test_targets" in data:
        tx, ty, fraction = samples.explicit_test(spec, data, len(x))
        return replace(spec, test_split=fraction), (x, y, tx, ty)
    return replace(spec, test_split=0.0), (x, y, x[:0], y[:0])
