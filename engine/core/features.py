"""Input features: what a network with samples in the plane (x₁, x₂) feeds its input layer.

Each feature φ is a function of the sample x = (x₁, x₂), written beside its gradient
∂φ/∂x, as TensorFlow Playground offers them:

    x1        x₁                 ∂/∂x = (1, 0)
    x2        x₂                 (0, 1)
    x1^2      x₁²                (2x₁, 0)
    x2^2      x₂²                (0, 2x₂)
    x1*x2     x₁ x₂              (x₂, x₁)
    sin(x1)   sin x₁             (cos x₁, 0)
    sin(x2)   sin x₂             (0, cos x₂)

The samples stay the data (inputs (m, 2)); the network's input layer is a⁰ = φ(x), one
neuron per chosen feature: N_0 is the number of features. A network whose samples are not
in the plane has no features: a⁰ = x. The default, x1 and x2, is a⁰ = x exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..errors import SpecError

RAW_INPUTS = 2  # features are defined on samples with two inputs, (x₁, x₂)


@dataclass(frozen=True)
class Feature:
    name: str
    f: Callable[[np.ndarray], np.ndarray]  # (m, 2) → (m,)
    grad: Callable[[np.ndarray], np.ndarray]  # (m, 2) → (m, 2): ∂φ/∂x₁, ∂φ/∂x₂
    latex: str  # how the equations write φ(x)
    text: str  # how the diagram and the forms write it


def _pair(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    return np.stack([first, second], axis=-1)


def _zero(x: np.ndarray) -> np.ndarray:
    return np.zeros(x.shape[:-1])


FEATURES: dict[str, Feature] = {
    f.name: f
    for f in (
        Feature(
            "x1", lambda x: x[..., 0], lambda x: _pair(np.ones(x.shape[:-1]), _zero(x)), "x_1", "x₁"
        ),
        Feature(
            "x2", lambda x: x[..., 1], lambda x: _pair(_zero(x), np.ones(x.shape[:-1])), "x_2", "x₂"
        ),
        Feature(
            "x1^2",
            lambda x: x[..., 0] ** 2,
            lambda x: _pair(2 * x[..., 0], _zero(x)),
            "x_1^2",
            "x₁²",
        ),
        Feature(
            "x2^2",
            lambda x: x[..., 1] ** 2,
            lambda x: _pair(_zero(x), 2 * x[..., 1]),
            "x_2^2",
            "x₂²",
        ),
        Feature(
            "x1*x2",
            lambda x: x[..., 0] * x[..., 1],
            lambda x: _pair(x[..., 1], x[..., 0]),
            r"x_1 x_2",
            "x₁x₂",
        ),
        Feature(
            "sin(x1)",
            lambda x: np.sin(x[..., 0]),
            lambda x: _pair(np.cos(x[..., 0]), _zero(x)),
            r"\sin x_1",
            "sin x₁",
        ),
        Feature(
            "sin(x2)",
            lambda x: np.sin(x[..., 1]),
            lambda x: _pair(_zero(x), np.cos(x[..., 1])),
            r"\sin x_2",
            "sin x₂",
        ),
    )
}
IDENTITY = ("x1", "x2")  # the default: a⁰ = x


def check_features(value) -> tuple[str, ...]:
    """A list of feature names, each once, at least one → a tuple in the given order."""
    choices = ", ".join(FEATURES)
    if not isinstance(value, (list, tuple)) or not value:
        raise SpecError("features", f"must be a list of one or more of {choices}")
    for i, name in enumerate(value):
        if not isinstance(name, str) or name not in FEATURES:
            raise SpecError(
                f"features[{i}]", f"is not a feature (got {name!r}); choose from {choices}"
            )
    if len(set(value)) != len(value):
        twice = next(n for n in value if list(value).count(n) > 1)
        raise SpecError("features", f"names {twice} twice; each feature is one input neuron")
    return tuple(value)


def canonical(names) -> list[str]:
    """The names in the order FEATURES lists them (the order the pages offer them)."""
    return [n for n in FEATURES if n in set(names)]


def is_identity(features: tuple[str, ...] | None) -> bool:
    return features is None or tuple(features) == IDENTITY


def apply(features: tuple[str, ...] | None, x: np.ndarray) -> np.ndarray:
    """a⁰ = φ(x): (…, 2) samples → (…, N_0), one column per feature (x itself, the same
    array, when there are no features or they are x1, x2)."""
    if features is None or tuple(features) == IDENTITY:
        return x
    return np.stack([FEATURES[n].f(x) for n in features], axis=-1)


def jacobian(features: tuple[str, ...], x: np.ndarray) -> np.ndarray:
    """∂a⁰/∂x for every sample: (m, 2) → (m, N_0, 2)."""
    return np.stack([FEATURES[n].grad(x) for n in features], axis=-2)
