"""The network specification and its validation.

Notation (the article's): layer 0 is the input, layers 1..L have weights; ``layers[l]`` is
N_l, ``activations[l-1]`` is f^l. ``W^l`` has shape (N_l, N_{l-1}).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from functools import cached_property

import numpy as np

from .. import limits
from ..errors import SpecError
from . import conventions, features
from .activations import ACTIVATIONS
from .losses import LOSSES


@dataclass(frozen=True)
class Spec:
    layers: tuple[int, ...]
    activations: tuple[str, ...]
    loss: str
    learning_rate: float
    init: str = "xavier"
    init_scale: float = 0.1
    seed: int = 0
    dataset: dict | None = field(default=None)
    optimizer: str = "sgd"  # the update rule, see optimisers.py
    test_split: float = 0.0  # the share of the samples held out as a test set
    # The conventions (see conventions.py); the defaults are the article's.
    bias: tuple[str, ...] = ()  # per layer 1..L: trained | frozen | none (make_spec fills it)
    reduction: str = "mean"  # L = (1/m) Σ_i ℓ_i, or sum: L = Σ_i ℓ_i
    batch_size: int | None = None  # samples per iteration; None: the whole batch
    shuffle: bool = True  # a new order every epoch (mini-batches only)
    regularization: str = "none"  # none | l2 | l1, on the weights
    regularization_rate: float = 0.0  # λ
    # The input features (features.py) of samples in the plane: a⁰ = φ(x), one input neuron
    # each; None for samples not in the plane (a⁰ = x). make_spec fills in x1, x2.
    features: tuple[str, ...] | None = None

    @property
    def depth(self) -> int:
        """L, the number of layers with weights."""
        return len(self.layers) - 1

    @property
    def raw_inputs(self) -> int:
        """The numbers per sample (the data's columns): 2 with features, else N_0."""
        return features.RAW_INPUTS if self.features is not None else self.layers[0]

    def bias_mode(self, l: int) -> str:
        """Layer l's (1..L) bias: trained, frozen or none."""
        return self.bias[l - 1] if self.bias else "trained"

    def has_bias(self, l: int) -> bool:
        return self.with_bias[l - 1]

    def trains_bias(self, l: int) -> bool:
        return self.trained_bias[l - 1]

    @cached_property
    def with_bias(self) -> tuple[bool, ...]:
        """Per layer 1..L: whether z^l has a bias term (trained or frozen)."""
        return tuple(self.bias_mode(l) != "none" for l in range(1, self.depth + 1))

    @cached_property
    def trained_bias(self) -> tuple[bool, ...]:
        """Per layer 1..L: whether the update moves b^l."""
        return tuple(self.bias_mode(l) == "trained" for l in range(1, self.depth + 1))


SPEC_FIELDS = tuple(f.name for f in fields(Spec))  # layers … test_split, the conventions


def check_layers(layers) -> tuple[int, ...]:
    if not isinstance(layers, (list, tuple)):
        raise SpecError("layers", "must be a list of neuron counts, input layer first")
    if not limits.MIN_LAYERS <= len(layers) <= limits.MAX_LAYERS:
        raise SpecError(
            "layers",
            f"has {len(layers)} entries; a network has {limits.MIN_LAYERS} to "
            f"{limits.MAX_LAYERS} layers, input layer included",
        )
    for i, n in enumerate(layers):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise SpecError(f"layers[{i}]", f"must be a whole number, got {n!r}")
        if not limits.MIN_NEURONS <= n <= limits.MAX_NEURONS:
            raise SpecError(
                f"layers[{i}]",
                f"is {n}; each layer has {limits.MIN_NEURONS} to {limits.MAX_NEURONS} neurons",
            )
    return tuple(int(n) for n in layers)


def check_learning_rate(eta) -> float:
    if isinstance(eta, bool) or not isinstance(eta, (int, float)) or not math.isfinite(eta):
        raise SpecError("learning_rate", f"must be a finite number, got {eta!r}")
    if not 0.0 < eta <= limits.MAX_LEARNING_RATE:
        raise SpecError(
            "learning_rate",
            f"is {eta}; it must be above 0 and at most {limits.MAX_LEARNING_RATE:g}",
        )
    return float(eta)


def check_activations(activations, depth: int, loss: str) -> tuple[str, ...]:
    if not isinstance(activations, (list, tuple)) or len(activations) != depth:
        raise SpecError(
            "activations",
            f"needs one activation per layer after the input: {depth} names, got {activations!r}",
        )
    for i, name in enumerate(activations):
        if name not in ACTIVATIONS:
            raise SpecError(
                f"activations[{i}]",
                f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}",
            )
        if name == "softmax" and i != depth - 1:
            raise SpecError(
                f"activations[{i}]", "softmax may only be the output layer's activation"
            )
    out = activations[-1]
    if out == "softmax" and loss != "cce":
        raise SpecError("loss", "a softmax output layer needs the cce loss")
    if loss == "cce" and out != "softmax":
        raise SpecError(
            "activations", "the cce loss needs a softmax output layer (the last activation)"
        )
    if loss == "bce" and out != "sigmoid":
        raise SpecError(
            "activations",
            f"bce needs outputs in (0, 1): make the output activation sigmoid (it is {out!r})",
        )
    return tuple(activations)


def check_loss(loss) -> str:
    if loss not in LOSSES:
        raise SpecError("loss", f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
    return loss


def check_input_features(value, layers: tuple[int, ...]) -> tuple[str, ...] | None:
    """The features for these layers: the given ones, whose count must be N_0; None given,
    x1 and x2 for 2 inputs (a⁰ = x) and none for any other number of inputs."""
    if value is None:
        return features.IDENTITY if layers[0] == features.RAW_INPUTS else None
    chosen = features.check_features(value)
    if len(chosen) != layers[0]:
        raise SpecError(
            "layers[0]",
            f"is {layers[0]}, but {len(chosen)} feature{'s are' if len(chosen) > 1 else ' is'} "
            f"chosen ({', '.join(chosen)}): the input layer has one neuron per feature; "
            f"make it {len(chosen)}",
        )
    return chosen


def make_spec(layers, activations, loss, learning_rate, **extra) -> Spec:
    """Validate and build a Spec; raises SpecError naming the field and the limit.
    The conventions among `extra` are checked here too, except batch_size, which needs
    the number of training samples (conventions.check_batch_size); and the features."""
    layers = check_layers(layers)
    loss = check_loss(loss)
    activations = check_activations(activations, len(layers) - 1, loss)
    if activations[-1] == "softmax" and layers[-1] < 2:
        raise SpecError("layers", "a softmax output layer needs at least 2 neurons")
    extra["bias"] = conventions.check_bias(extra.get("bias", "trained"), len(layers) - 1)
    extra["reduction"] = conventions.check_reduction(extra.get("reduction", "mean"))
    extra["shuffle"] = conventions.check_shuffle(extra.get("shuffle", True))
    extra["regularization"] = conventions.check_regularization(extra.get("regularization", "none"))
    extra["regularization_rate"] = conventions.check_regularization_rate(
        extra.get("regularization_rate", 0.0)
    )
    extra["features"] = check_input_features(extra.get("features"), layers)
    return Spec(layers, activations, loss, check_learning_rate(learning_rate), **extra)


def as_matrix(
    value, field_name: str, shape: tuple[int, int], bound: float | None = limits.MAX_ABS_VALUE
) -> np.ndarray:
    """Turn nested lists into a float64 array of exactly `shape`, finite and within
    ±bound (no bound when None)."""
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise SpecError(
            field_name, f"must be a list of {shape[0]} rows of {shape[1]} numbers"
        ) from None
    if arr.shape != shape:
        raise SpecError(
            field_name,
            f"has shape {arr.shape}; expected {shape[0]} rows of {shape[1]} numbers",
        )
    check_finite(arr, field_name, bound)
    return arr


def as_vector(
    value, field_name: str, size: int, bound: float | None = limits.MAX_ABS_VALUE
) -> np.ndarray:
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise SpecError(field_name, f"must be a list of {size} numbers") from None
    if arr.shape != (size,):
        raise SpecError(field_name, f"has shape {arr.shape}; expected {size} numbers")
    check_finite(arr, field_name, bound)
    return arr


def check_finite(
    arr: np.ndarray, field_name: str, bound: float | None = limits.MAX_ABS_VALUE
) -> None:
    if not np.isfinite(arr).all():
        raise SpecError(field_name, "contains a non-finite number (NaN or infinity)")
    if bound is not None and arr.size and np.abs(arr).max() > bound:
        raise SpecError(field_name, f"contains a number beyond ±{bound:g}")


def check_parameters(
    spec: Spec, weights, biases, bound: float | None = limits.MAX_ABS_VALUE
) -> tuple[list, list]:
    """Validate W^l (N_l, N_{l-1}) and b^l (N_l,) for l = 1..L. Typed-in parameters are
    bounded; parameters that training produced need only be finite (bound=None)."""
    L = spec.depth
    if not isinstance(weights, (list, tuple)) or len(weights) != L:
        raise SpecError("weights", f"needs {L} matrices, one per layer after the input")
    if not isinstance(biases, (list, tuple)) or len(biases) != L:
        raise SpecError("biases", f"needs {L} vectors, one per layer after the input")
    ws = [
        as_matrix(w, f"weights[{l}]", (spec.layers[l + 1], spec.layers[l]), bound)
        for l, w in enumerate(weights)
    ]
    bs = [as_vector(b, f"biases[{l}]", spec.layers[l + 1], bound) for l, b in enumerate(biases)]
    for l, b in enumerate(bs, start=1):
        if not spec.has_bias(l) and b.any():
            raise SpecError(
                f"biases[{l - 1}]",
                f"layer {l} has no bias term (bias none): its biases must be zeros; "
                "choose bias trained or frozen to give it biases",
            )
    return ws, bs


def parameters_as_arrays(weights, biases) -> tuple[list, list]:
    """W^l and b^l as float64 arrays, as check_parameters gives them but unchecked: for
    parameters this process has checked before (or written itself, to_record)."""
    ws = [np.array(w, dtype=np.float64) for w in weights]
    return ws, [np.array(b, dtype=np.float64) for b in biases]


def data_as_arrays(spec: Spec, inputs, targets) -> tuple[np.ndarray, np.ndarray]:
    """Samples as check_data gives them, unchecked (as for parameters_as_arrays)."""
    if not len(inputs):
        return np.empty((0, spec.raw_inputs)), np.empty((0, spec.layers[-1]))
    return np.array(inputs, dtype=np.float64), np.array(targets, dtype=np.float64)


def check_data(
    spec: Spec, inputs, targets, names=("inputs", "targets"), least: int = limits.MIN_SAMPLES
) -> tuple[np.ndarray, np.ndarray]:
    """Validate inputs (m, N_0, or 2 with features) and targets (m, N_L), one row per
    sample. `names` are the
    fields the messages name (test data: test_inputs, test_targets, with least=0)."""
    x_name, y_name = names
    if not isinstance(inputs, (list, tuple, np.ndarray)) or not isinstance(
        targets, (list, tuple, np.ndarray)
    ):
        raise SpecError(x_name, f"{x_name} and {y_name} must be lists of rows, one per sample")
    m = len(inputs)
    if not least <= m <= limits.MAX_SAMPLES:
        raise SpecError(x_name, f"has {m} samples; a network has {least} to {limits.MAX_SAMPLES}")
    if len(targets) != m:
        raise SpecError(y_name, f"has {len(targets)} rows; it needs one per sample ({m})")
    if m == 0:
        return np.empty((0, spec.raw_inputs)), np.empty((0, spec.layers[-1]))
    x = as_matrix(inputs, x_name, (m, spec.raw_inputs))
    y = as_matrix(targets, y_name, (m, spec.layers[-1]))
    check_targets(spec, y, y_name)
    return x, y


def check_test_data(spec: Spec, inputs, targets) -> tuple[np.ndarray, np.ndarray]:
    """Held-out samples: like check_data, but there may be none."""
    return check_data(spec, inputs, targets, ("test_inputs", "test_targets"), least=0)


def check_targets(spec: Spec, y: np.ndarray, name: str = "targets") -> None:
    if LOSSES[spec.loss].classifies and ((y < 0).any() or (y > 1).any()):
        raise SpecError(name, f"the {spec.loss} loss needs targets between 0 and 1")
    if spec.loss == "cce" and not np.allclose(y.sum(axis=1), 1.0, atol=1e-9):
        raise SpecError(name, "the cce loss needs each target row to sum to 1 (one-hot)")


def check_test_split(fraction) -> float:
    """The share of samples held out: a number from 0 to MAX_TEST_SPLIT."""
    if (
        isinstance(fraction, bool)
        or not isinstance(fraction, (int, float))
        or not (math.isfinite(fraction) and 0 <= fraction <= limits.MAX_TEST_SPLIT)
    ):
        raise SpecError(
            "test_split",
            f"is {fraction!r}; it must be a fraction from 0 to "
            f"{limits.MAX_TEST_SPLIT:g} (the share of samples held out for testing)",
        )
    return float(fraction)
