"""Where a network's samples come from (a named dataset, explicit rows, or CSV text) and
how they are split into training samples and held-out test samples.

Every function returns arrays with one row per sample: inputs (m, N_0), targets (m, N_L).
"""

from __future__ import annotations

import numpy as np

from ..core.features import is_identity
from ..core.spec import Spec, check_data, check_test_data
from ..errors import SpecError
from .csvdata import parse_csv
from .datasets import make_dataset

SPLIT_STREAM = 0x5EED  # mixed into the seed so the split does not reuse the init's numbers


def dataset_options(dataset) -> dict:
    """A dataset given by name or as {name, samples, noise, seed, classes}."""
    if isinstance(dataset, str):
        return {"name": dataset}
    if isinstance(dataset, dict) and isinstance(dataset.get("name"), str):
        allowed = {"name", "samples", "noise", "seed", "classes"}
        extra = set(dataset) - allowed
        if extra:
            raise SpecError(
                f"dataset.{min(extra)}", f"is not a dataset option ({', '.join(sorted(allowed))})"
            )
        return dict(dataset)
    raise SpecError("dataset", "must be a dataset name or {name, samples, noise, seed}")


def check_shapes(spec: Spec, x: np.ndarray, y: np.ndarray, source: str) -> None:
    """The input and output layers must match the samples' columns."""
    last = len(spec.layers) - 1
    if x.shape[1] != spec.raw_inputs and not is_identity(spec.features):
        n = x.shape[1]
        raise SpecError(
            "features",
            f"are computed from samples with 2 inputs (x₁, x₂), but {source} has {n} "
            f"input{'s' if n != 1 else ''} per sample; leave features out",
        )
    if x.shape[1] != spec.raw_inputs:
        raise SpecError(
            "layers[0]",
            f"is {spec.layers[0]}, but {source} has {x.shape[1]} "
            f"inputs per sample; make the input layer {x.shape[1]}",
        )
    if y.shape[1] != spec.layers[-1]:
        raise SpecError(
            f"layers[{last}]",
            f"is {spec.layers[-1]}, but {source} has "
            f"{y.shape[1]} targets per sample; make the output layer {y.shape[1]}",
        )


def generate(spec: Spec, dataset) -> tuple[np.ndarray, np.ndarray, dict]:
    """(x, y, options) of a named dataset, checked against the spec."""
    opts = dataset_options(dataset)
    x, y = make_dataset(**opts)
    check_shapes(spec, x, y, f"dataset {opts['name']!r}")
    x, y = check_data(spec, x, y)
    return x, y, opts


def from_csv(spec: Spec, cfg: dict) -> tuple[np.ndarray, np.ndarray]:
    """Samples from cfg["csv"] with the columns cfg["csv_inputs"], cfg["csv_targets"] or a
    one-hot label column cfg["csv_label"]; errors name the line and the problem."""
    try:
        x, y, info = parse_csv(
            cfg["csv"], cfg.get("csv_inputs"), cfg.get("csv_targets"), cfg.get("csv_label")
        )
    except SpecError as e:
        raise SpecError(
            e.field if e.field.startswith("csv") else f"csv_{e.field}", e.message
        ) from None
    what = (
        f"the CSV (label column {info['label_column']}: {len(info['classes'])} classes)"
        if info["label_column"] is not None
        else "the CSV"
    )
    check_shapes(spec, x, y, what)
    return check_data(spec, x, y)


def load(spec: Spec, cfg: dict) -> tuple[np.ndarray, np.ndarray, dict | None]:
    """(x, y, dataset options or None) from exactly one source in `cfg`."""
    sources = [k for k in ("csv", "dataset", "inputs") if k in cfg]
    if "targets" in cfg and "inputs" not in cfg:
        sources.append("inputs")
    if len(sources) > 1:
        raise SpecError(
            sources[0],
            "give one source of samples: csv, dataset, or inputs "
            f"and targets (got {' and '.join(sources)})",
        )
    if "csv" in cfg:
        return (*from_csv(spec, cfg), None)
    if "inputs" in cfg or "targets" in cfg:
        if "inputs" not in cfg or "targets" not in cfg:
            raise SpecError(
                "targets" if "inputs" in cfg else "inputs",
                "explicit data needs both inputs and targets",
            )
        return (*check_data(spec, cfg["inputs"], cfg["targets"]), None)
    if "dataset" not in cfg:
        raise SpecError(
            "dataset", "give a dataset name, inputs and targets (one row per sample), or csv text"
        )
    return generate(spec, cfg["dataset"])


def split(x: np.ndarray, y: np.ndarray, fraction: float, seed: int):
    """(x_train, y_train, x_test, y_test): round(fraction · m) samples, chosen by `seed`,
    held out (at most m − 1, so one training sample remains); each part keeps the samples'
    order."""
    m = len(x)
    k = min(round(fraction * m), m - 1)
    if k <= 0:
        return x, y, x[:0], y[:0]
    order = np.random.default_rng([seed, SPLIT_STREAM]).permutation(m)
    test, train = np.sort(order[:k]), np.sort(order[k:])
    return x[train], y[train], x[test], y[test]


def explicit_test(spec: Spec, cfg: dict, m: int):
    """(x_test, y_test, test_split) from cfg["test_inputs"], cfg["test_targets"]."""
    if ("test_inputs" in cfg) != ("test_targets" in cfg):
        raise SpecError(
            "test_targets" if "test_inputs" in cfg else "test_inputs",
            "held-out data need both test_inputs and test_targets",
        )
    tx, ty = check_test_data(spec, cfg["test_inputs"], cfg["test_targets"])
    return tx, ty, len(tx) / (m + len(tx))
