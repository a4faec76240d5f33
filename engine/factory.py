"""Build a network from a preset and/or explicit fields, and edit one in place."""

from __future__ import annotations

import copy
from dataclasses import replace

from .datasets import make_dataset
from .errors import SpecError
from .initialisers import INITS, init_parameters
from .network import Network
from .presets import PRESETS
from .spec import check_data, check_learning_rate, check_parameters, make_spec

SPEC_FIELDS = ("layers", "activations", "loss", "learning_rate", "init", "init_scale", "seed")
ALL_FIELDS = SPEC_FIELDS + ("preset", "weights", "biases", "dataset", "inputs", "targets")


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
    if "dataset" in given:
        merged.pop("inputs", None)
        merged.pop("targets", None)
    if "inputs" in given or "targets" in given:
        merged.pop("dataset", None)
    merged.update(given)
    return merged


def dataset_options(dataset) -> dict:
    """A dataset given by name or as {name, samples, noise, seed, classes}."""
    if isinstance(dataset, str):
        return {"name": dataset}
    if isinstance(dataset, dict) and isinstance(dataset.get("name"), str):
        allowed = {"name", "samples", "noise", "seed", "classes"}
        extra = set(dataset) - allowed
        if extra:
            raise SpecError(f"dataset.{min(extra)}", f"is not a dataset option ({', '.join(sorted(allowed))})")
        return dict(dataset)
    raise SpecError("dataset", "must be a dataset name or {name, samples, noise, seed}")


def load_data(cfg: dict, spec):
    if "inputs" in cfg or "targets" in cfg:
        if "inputs" not in cfg or "targets" not in cfg:
            raise SpecError("targets" if "inputs" in cfg else "inputs",
                            "explicit data needs both inputs and targets")
        return check_data(spec, cfg["inputs"], cfg["targets"]), None
    if "dataset" not in cfg:
        raise SpecError("dataset", "give a dataset name, or inputs and targets (one row per sample)")
    opts = dataset_options(cfg["dataset"])
    x, y = make_dataset(**opts)
    if x.shape[1] != spec.layers[0]:
        raise SpecError("layers[0]", f"is {spec.layers[0]}, but dataset {opts['name']!r} has "
                        f"{x.shape[1]} inputs per sample; make the input layer {x.shape[1]}")
    if y.shape[1] != spec.layers[-1]:
        raise SpecError(f"layers[{len(spec.layers) - 1}]", f"is {spec.layers[-1]}, but dataset "
                        f"{opts['name']!r} has {y.shape[1]} targets per sample; make the "
                        f"output layer {y.shape[1]}")
    return check_data(spec, x, y), opts


def create_network(config: dict) -> Network:
    """Validate `config` (see ALL_FIELDS) and build the network; raises SpecError."""
    cfg = resolve(config)
    for name in ("layers", "activations", "loss", "learning_rate"):
        if name not in cfg:
            raise SpecError(name, "is required (or choose a preset)")
    init = cfg.get("init", "xavier")
    if init not in INITS:
        raise SpecError("init", f"unknown initialisation {init!r}; choose one of {', '.join(INITS)}")
    seed = cfg.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise SpecError("seed", f"is {seed!r}; it must be a whole number from 0 to 2³² − 1")
    spec = make_spec(cfg["layers"], cfg["activations"], cfg["loss"], cfg["learning_rate"],
                     init=init, init_scale=float(cfg.get("init_scale", 0.1)), seed=seed)
    (x, y), opts = load_data(cfg, spec)
    spec = replace(spec, dataset=opts)
    if "weights" in cfg or "biases" in cfg:
        ws, bs = check_parameters(spec, cfg.get("weights"), cfg.get("biases"))
    else:
        ws, bs = init_parameters(spec.layers, init, spec.init_scale, seed)
    return Network(spec, ws, bs, x, y)


def edit_network(net: Network, learning_rate=None, weights=None, biases=None, inputs=None,
                 targets=None) -> None:
    """Apply an edit atomically. Changing parameters or data clears the iteration in
    progress; changing only η keeps it (nothing computed so far depends on η)."""
    spec = net.spec
    if learning_rate is not None:
        spec = replace(spec, learning_rate=check_learning_rate(learning_rate))
    ws, bs = net.weights, net.biases
    if weights is not None or biases is not None:
        ws, bs = check_parameters(spec, weights if weights is not None else net.weights,
                                  biases if biases is not None else net.biases)
    x, y = net.inputs, net.targets
    if inputs is not None or targets is not None:
        x, y = check_data(spec, inputs if inputs is not None else net.inputs,
                          targets if targets is not None else net.targets)
        spec = replace(spec, dataset=None)  # the data are no longer the generated set
    changed = any(v is not None for v in (weights, biases, inputs, targets))
    net.spec, net.weights, net.biases, net.inputs, net.targets = spec, list(ws), list(bs), x, y
    if changed:
        net.clear_iteration()

