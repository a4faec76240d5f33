"""Build a network from a preset and/or explicit fields (edits.py edits one in place)."""

from __future__ import annotations

import copy
import math
from dataclasses import replace

from . import limits
from .core import conventions, runs
from .core.initialisers import INITS, init_parameters
from .core.network import Network
from .core.optimisers import check_optimiser
from .core.spec import (
    SPEC_FIELDS,
    Spec,
    check_parameters,
    check_test_split,
    make_spec,
)
from .data import samples
from .data.presets import PRESETS
from .errors import SpecError
from .notation import sup

CONVENTIONS = conventions.FIELDS
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
ALL_FIELDS = (*CONFIG_SPEC_FIELDS, "preset", "weights", "biases", "ghosts", *DATA_FIELDS)
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
    if {"layers", "init", "init_scale", "seed", "features"} & set(given):
        merged.pop("weights", None)
        merged.pop("biases", None)
    if "features" in given and "layers" not in given and isinstance(given["features"], list):
        merged["layers"] = [len(given["features"]), *merged["layers"][1:]]  # one per feature
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


def check_init_scale(scale) -> float:
    if (
        isinstance(scale, bool)
        or not isinstance(scale, (int, float))
        or not (math.isfinite(scale) and 0 < scale <= limits.MAX_INIT_SCALE)
    ):
        raise SpecError(
            "init_scale", f"is {scale!r}; it must be above 0 and at most {limits.MAX_INIT_SCALE:g}"
        )
    return float(scale)


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
        features=cfg.get("features"),
        **{k: cfg[k] for k in CONVENTIONS if k in cfg and k != "batch_size"},
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
    batch_size = conventions.check_batch_size(cfg.get("batch_size"), len(x))
    spec = replace(spec, dataset=opts, batch_size=batch_size)
    if "weights" in cfg or "biases" in cfg:
        biases = cfg.get("biases")
        if config.get("biases") is None:  # the preset's, or none given: none where no bias
            biases = given_biases(spec, biases)
        ws, bs = check_parameters(spec, cfg.get("weights"), biases)
    else:
        ws, bs = init_parameters(spec.layers, spec.init, spec.init_scale, spec.seed)
    net = Network(spec, ws, bs, x, y, test_inputs=tx, test_targets=ty)
    net.ghosts = runs.check_ghosts(cfg.get("ghosts"))  # kept runs an export brings along
    return net


def given_biases(spec: Spec, biases):
    """A preset's biases with zeros for the layers that have no bias term; zeros for every
    layer when none are given and no layer has a bias."""
    if biases is None:
        if any(spec.has_bias(l) for l in range(1, spec.depth + 1)):
            return None  # check_parameters says they are needed
        return [[0.0] * n for n in spec.layers[1:]]
    if not isinstance(biases, (list, tuple)) or len(biases) != spec.depth:
        return biases  # check_parameters names the problem
    return [
        b if spec.has_bias(l) or not isinstance(b, (list, tuple)) else [0.0] * len(b)
        for l, b in enumerate(biases, start=1)
    ]
