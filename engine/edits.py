"""Edit a network in place: η, optimiser, parameters, samples, loss and conventions, the
shape (layers, activations, input features: architecture.py) and the initialisation, all
checked before anything changes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from . import architecture
from .core import conventions, runs
from .core.initialisers import INITS, init_parameters
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
from .factory import CONVENTIONS, check_init_scale, check_seed, given_biases

SHAPE_FIELDS = ("layers", "activations", "features")
INIT_FIELDS = ("init", "init_scale", "seed")


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
) -> dict:
    """Apply an edit atomically (everything is checked before anything changes) and return
    what it did: {"changed": [fields], "message"} and, for a new shape, the weights it
    "kept", "drawn" and "dropped" (architecture.py).

    `changes` are the conventions (CONVENTIONS), `loss`, the shape (SHAPE_FIELDS: the
    weights that stay are kept, new ones drawn from the initialiser) and the
    initialisation (INIT_FIELDS: every parameter drawn again, and the network starts a new
    run from iteration 0, as Reset does). Changing parameters, data, the shape or a
    convention clears the iteration in progress; changing only η or the optimizer keeps
    it (nothing computed so far depends on them). A new optimizer starts from a fresh
    state; a bias that becomes trained starts its optimiser state at zero, one that stops
    being trained loses it. A layer whose bias becomes none gets zero biases (now and on
    reset). `dataset` and / or `test_split` regenerate the samples and the split; new
    `inputs` / `targets` drop the test samples unless `test_inputs` and `test_targets`
    come too. Each change but a new initialisation is marked on the loss history."""
    old = net.spec
    changes = {k: v for k, v in changes.items() if v is not None}
    given = {"learning_rate": learning_rate, "optimizer": optimizer, **changes}
    spec = edited_spec(old, learning_rate, optimizer, changes)
    reinit = bool(set(INIT_FIELDS) & set(changes))
    ws, bs = net.weights, net.biases
    if weights is not None or biases is not None:
        ws, bs = check_parameters(
            spec,
            weights if weights is not None else net.weights,
            biases if biases is not None else given_biases(spec, [b.tolist() for b in bs]),
        )
    data_given = {
        "inputs": inputs,
        "targets": targets,
        "dataset": dataset,
        "test_split": test_split,
        "test_inputs": test_inputs,
        "test_targets": test_targets,
    }
    data = {k: v for k, v in data_given.items() if v is not None}
    spec, samples_now = edited_samples(net, spec, data) if data else (spec, None)
    x, y, _, ty = samples_now or (net.inputs, net.targets, net.test_inputs, net.test_targets)
    spec = replace(spec, batch_size=conventions.check_batch_size(spec.batch_size, len(x)))
    if spec.loss != old.loss:
        check_targets(spec, y)
        check_targets(spec, ty, "test_targets")
    explicit = weights is not None or biases is not None
    report = commit_edit(net, spec, (ws, bs) if explicit else None, samples_now, reinit)
    if explicit or data or changes:
        net.clear_iteration()
    every = {**given, "weights": weights, "biases": biases, **data}
    named = [k for k, v in every.items() if v is not None]
    report["changed"] = named
    what = runs.describe_edit(old, spec, named, report)
    report.setdefault("message", what)
    if named and not reinit:
        runs.mark(net, what)
    return report


def edited_spec(spec: Spec, learning_rate, optimizer, changes: dict) -> Spec:
    """The spec with η, the optimizer, the shape, the loss, the conventions and the
    initialisation of `changes` checked and applied."""
    unknown = set(changes) - {"loss", *CONVENTIONS, *SHAPE_FIELDS, *INIT_FIELDS}
    if unknown:
        raise SpecError(min(unknown), "is not a field that an edit can change")
    if learning_rate is not None:
        spec = replace(spec, learning_rate=check_learning_rate(learning_rate))
    if optimizer is not None:
        spec = replace(spec, optimizer=check_optimiser(optimizer))
    loss = check_loss(changes["loss"]) if "loss" in changes else spec.loss
    if set(SHAPE_FIELDS) & set(changes):
        shape = {k: changes.get(k) for k in SHAPE_FIELDS}
        spec = architecture.reshaped_spec(spec, loss=loss, **shape)
    spec = edited_conventions(spec, changes, loss)
    if "init" in changes:
        if changes["init"] not in INITS:
            raise SpecError(
                "init",
                f"unknown initialisation {changes['init']!r}; choose one of {', '.join(INITS)}",
            )
        spec = replace(spec, init=changes["init"])
    if "init_scale" in changes:
        spec = replace(spec, init_scale=check_init_scale(changes["init_scale"]))
    if "seed" in changes:
        spec = replace(spec, seed=check_seed(changes["seed"]))
    return spec


def edited_conventions(spec: Spec, changes: dict, loss: str) -> Spec:
    """The spec with the (checked) `loss` and the CONVENTIONS of `changes` applied."""
    if "loss" in changes:
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


def commit_edit(net: Network, spec: Spec, params, samples_now, reinit: bool) -> dict:
    """Apply a checked edit: the shape (or a new initialisation), the spec, explicit
    parameters (`params`, or None), the samples and the optimiser state. Returns what the
    shape change kept and drew ({} for none)."""
    old = net.spec
    report: dict = {}
    if reinit:
        net.spec = spec
        net.initial = init_parameters(spec.layers, spec.init, spec.init_scale, spec.seed)
        net.initial = (net.initial[0], without_absent_biases(spec, net.initial[1]))
        net.reset()  # a new run: iteration 0 from the new initial parameters
        report["message"] = f"new initial parameters ({spec.init}, seed {spec.seed}): a new run"
    elif architecture.changes_shape(old, spec) or old.activations != spec.activations:
        report = architecture.reshape(net, spec)
        net.records, net.last_divergence = [], None  # the diagnostics start afresh
    net.spec = spec
    biases_moved = spec.bias != old.bias or bool(report)  # new modes, or a new shape
    if params is not None:
        net.weights, net.biases = list(params[0]), list(params[1])
    elif biases_moved:
        net.biases = without_absent_biases(spec, net.biases)
    if samples_now is not None:
        net.inputs, net.targets, net.test_inputs, net.test_targets = samples_now
    if biases_moved:
        net.initial = (net.initial[0], without_absent_biases(spec, net.initial[1]))
    if spec.optimizer != old.optimizer and not reinit:
        net.optimizer_state = net.fresh_optimizer_state()
    elif biases_moved and not reinit:
        params_now = [*net.weights, *net.trained_biases()]
        net.optimizer_state = align_state(spec.optimizer, net.optimizer_state, params_now)
    return report


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
