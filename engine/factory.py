"""Build a network from a preset and/or explicit fields, and edit one in place."""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np

from . import limits
from .core.initialisers import INITS, init_parameters
from .core.network import Network
from .core.optimisers import check_optimiser
from .core.spec import (
    SPEC_FIELDS,
    check_data,
    check_learning_rate,
    check_parameters,
    check_test_split,
    make_spec,
)
from .data import samples
from .data.presets import PRESETS
from .errors import SpecError
from .notation import sup

DATA_FIELDS = (
    "dataset",
    "inputs",
    "targets",
    "csv",
    "csv_inputs",
    "csv_targets",
    "csv_label",
    "test_split",
    "test_inputs",
    "test_targets",
)
# the spec fields a config gives directly (a dataset and a split are about the samples)
CONFIG_SPEC_FIELDS = tuple(f for f in SPEC_FIELDS if f not in DATA_FIELDS)
ALL_FIELDS = (*CONFIG_SPEC_FIELDS, "preset", "weights", "biases", *DATA_FIELDS)
SEED_RANGE = f"a whole number from 0 to 2{sup(limits.SEED_BITS)} − 1"
SOURCES = ("dataset", "inputs", "targets", "csv")  # where samples come from


def resolve(config: dict) -> dict:
    """Merge a preset with the overrides in `config` (explicit fields win). A preset's
    explicit parameters are dropped when the overrides change the shape or ask for an
    initialisation; its data are dropped when the overrides bring other data."""
    unknown = set(config) - set(ALL_FIELDS)
    if unknown:
        raise SpecError(min(unknown), f"is not a field; known fields: {', '.join(ALL_FIELDS)}")
    given = {k: v for k, v in config.items() if v is not None}
    name = given.pop("preset", None)
    if name is None:
        return given
    if name not in PRESETS:
        raise SpecError("preset", f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    merged = {k: copy.deepcopy(v) for k, v in PRESETS[name].items() if k in ALL_FIELDS}
    if {"layers", "init", "init_scale", "seed"} & set(given):
        merged.pop("weights", None)
        merged.pop("biases", None)
    if {"dataset", "csv"} & set(given):  # other samples: the preset's go
        for key in SOURCES:
            merged.pop(key, None)
    if "inputs" in given or "targets" in given:  # edited samples: the preset's dataset goes
        merged.pop("dataset", None)
    merged.update(given)
    return merged


def check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= limits.MAX_SEED:
        raise SpecError("seed", f"is {seed!r}; it must be {SEED_RANGE}")
    return seed


def build_spec(cfg: dict):
    for name in ("layers", "activations", "loss", "learning_rate"):
        if name not in cfg:
            raise SpecError(name, "is required (or choose a preset)")
    init = cfg.get("init", "xavier")
    if init not in INITS:
        raise SpecError(
            "init", f"unknown initialisation {init!r}; choose one of {', '.join(INITS)}"
        )
    return make_spec(
        cfg["layers"],
        cfg["activations"],
        cfg["loss"],
        cfg["learning_rate"],
        init=init,
        init_scale=float(cfg.get("init_scale", 0.1)),
        seed=check_seed(cfg.get("seed", 0)),
        optimizer=check_optimiser(cfg.get("optimizer", "sgd")),
        test_split=check_test_split(cfg.get("test_split", 0.0)),
    )


def create_network(config: dict) -> Network:
    """Validate `config` (see ALL_FIELDS) and build the network; raises SpecError.

    Samples come from `dataset`, `inputs` + `targets`, or `csv` (with `csv_inputs`,
    `csv_targets` or `csv_label`); `test_split` holds a share of them out, or
    `test_inputs` + `test_targets` give the held-out samples explicitly."""
    cfg = resolve(config)
    spec = build_spec(cfg)
    x, y, opts = samples.load(spec, cfg)
    if "test_inputs" in cfg or "test_targets" in cfg:
        tx, ty, fraction = samples.explicit_test(spec, cfg, len(x))
        spec = replace(spec, test_split=spec.test_split if "test_split" in cfg else fraction)
    else:
        x, y, tx, ty = samples.split(x, y, spec.test_split, spec.seed)
    spec = replace(spec, dataset=opts)
    if "weights" in cfg or "biases" in cfg:
        ws, bs = check_parameters(spec, cfg.get("weights"), cfg.get("biases"))
    else:
        ws, bs = init_parameters(spec.layers, spec.init, spec.init_scale, spec.seed)
    return Network(spec, ws, bs, x, y, test_inputs=tx, test_targets=ty)


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
) -> None:
    """Apply an edit atomically (everything is checked before anything changes).

    Changing parameters or data clears the iteration in progress; changing only η or the
    optimizer keeps it (nothing computed so far depends on them). A new optimizer starts
    from a fresh state. `dataset` and / or `test_split` regenerate the samples and the
    split; new `inputs` / `targets` drop the test samples unless `test_inputs` and
    `test_targets` come too."""
    spec = net.spec
    if learning_rate is not None:
        spec = replace(spec, learning_rate=check_learning_rate(learning_rate))
    if optimizer is not None:
        spec = replace(spec, optimizer=check_optimiser(optimizer))
    ws, bs = net.weights, net.biases
    if weights is not None or biases is not None:
        ws, bs = check_parameters(
            spec,
            weights if weights is not None else net.weights,
            biases if biases is not None else net.biases,
        )
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
    new_optimizer = spec.optimizer != net.spec.optimizer
    net.spec, net.weights, net.biases = spec, list(ws), list(bs)
    if samples_now is not None:
        net.inputs, net.targets, net.test_inputs, net.test_targets = samples_now
    if new_optimizer:
        net.optimizer_state = net.fresh_optimizer_state()
    if weights is not None or biases is not None or data:
        net.clear_iteration()


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
