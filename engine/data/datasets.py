"""Small seeded datasets. Each returns (inputs (m, n_in), targets (m, n_out)).

Classification sets in the plane have targets 0/1 in one column (or one-hot columns when
``classes`` > 2); ``sine`` is a 1-D regression set, and ``plane`` and ``gaussians`` are
regression sets in the plane (TensorFlow Playground's "Plane" and "Multi Gaussian",
scaled to the square ±1: a target that grows along x₁ + x₂, and six bumps of alternating
sign; the noise moves the point a target is read at).
"""

from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..errors import SpecError

TRUTH_TABLES = {
    "xor": [0, 1, 1, 0],
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
}
GENERATED = ("circle", "spiral", "gauss", "moons", "sine", "plane", "gaussians")
REGRESSION = ("sine", "plane", "gaussians")  # targets are numbers, not classes
# the bumps of `gaussians`: (centre x₁, centre x₂, sign), and the radius where each ends
BUMPS = tuple(
    (cx / 6, cy / 6, s)
    for cx, cy, s in (
        (-4, 2.5, 1),
        (0, 2.5, -1),
        (4, 2.5, 1),
        (-4, -2.5, -1),
        (0, -2.5, 1),
        (4, -2.5, -1),
    )
)
BUMP_RADIUS = 2 / 6
DATASETS = tuple(TRUTH_TABLES) + GENERATED
DEFAULT_SAMPLES = 200
DEFAULT_NOISE = 0.05
MAX_NOISE = 1.0
MIN_CLASSES, MAX_CLASSES = 2, 8  # gauss clusters


def gauss_classes(outputs: int) -> int:
    """The gauss clusters a network with `outputs` output neurons fits: one per output
    (one-hot targets), or 2 for a single output (0/1 targets)."""
    return outputs if outputs > MIN_CLASSES else MIN_CLASSES


def _truth_table(name):
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return x, np.array(TRUTH_TABLES[name], dtype=np.float64)[:, None]


def _circle(rng, m, noise):
    # inside radius 0.5 → class 1; ring between 0.7 and 1.0 → class 0
    label = (np.arange(m) % 2).astype(np.float64)
    r = np.where(label == 1, rng.uniform(0, 0.5, m), rng.uniform(0.7, 1.0, m))
    t = rng.uniform(0, 2 * math.pi, m)
    x = np.stack([r * np.cos(t), r * np.sin(t)], axis=1)
    return x + rng.normal(0, noise, x.shape), label[:, None]


def _spiral(rng, m, noise):
    label = (np.arange(m) % 2).astype(np.float64)
    s = rng.uniform(0, 1, m)
    r = 0.1 + 0.9 * s
    t = 1.75 * s * 2 * math.pi + label * math.pi
    x = np.stack([r * np.cos(t), r * np.sin(t)], axis=1)
    return x + rng.normal(0, noise, x.shape), label[:, None]


def _gauss(rng, m, noise, classes):
    label = np.arange(m) % classes
    angles = 2 * math.pi * np.arange(classes) / classes + math.pi / 4
    centres = 0.6 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    x = centres[label] + rng.normal(0, 0.15 + noise, (m, 2))
    if classes == 2:
        return x, label.astype(np.float64)[:, None]
    return x, np.eye(classes)[label]


def _moons(rng, m, noise):
    label = (np.arange(m) % 2).astype(np.float64)
    t = rng.uniform(0, math.pi, m)
    x = np.where(
        label[:, None] == 0,
        np.stack([np.cos(t), np.sin(t)], axis=1),
        np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1),
    )
    x = (x - [0.5, 0.25]) / 1.25
    return x + rng.normal(0, noise, x.shape), label[:, None]


def _sine(rng, m, noise):
    x = np.sort(rng.uniform(-math.pi, math.pi, m))
    return x[:, None], (np.sin(x) + rng.normal(0, noise, m))[:, None]


def _read_at(rng, m, noise):
    """m points uniform in the square ±1, and where their targets are read: each moved by
    up to ±noise along each axis."""
    x = rng.uniform(-1, 1, (m, 2))
    return x, x + rng.uniform(-1, 1, (m, 2)) * noise


def _plane(rng, m, noise):
    x, at = _read_at(rng, m, noise)
    return x, (0.6 * (at[:, 0] + at[:, 1]))[:, None]


def _gaussians(rng, m, noise):
    x, at = _read_at(rng, m, noise)
    label = np.zeros(m)
    for cx, cy, sign in BUMPS:
        d = np.hypot(at[:, 0] - cx, at[:, 1] - cy)
        bump = sign * np.clip(1 - d / BUMP_RADIUS, 0, 1)
        label = np.where(np.abs(bump) > np.abs(label), bump, label)
    return x, label[:, None]


def make_dataset(
    name: str,
    samples: int = DEFAULT_SAMPLES,
    noise: float = DEFAULT_NOISE,
    seed: int = 0,
    classes: int = 2,
) -> tuple[np.ndarray, np.ndarray]:
    """Build dataset `name`; the truth tables ignore samples, noise and seed."""
    if name in TRUTH_TABLES:
        return _truth_table(name)
    if name not in GENERATED:
        raise SpecError("dataset", f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    if (
        isinstance(samples, bool)
        or not isinstance(samples, int)
        or not (limits.MIN_SAMPLES <= samples <= limits.MAX_SAMPLES)
    ):
        raise SpecError(
            "dataset.samples",
            f"is {samples!r}; it must be a whole number from {limits.MIN_SAMPLES} to "
            f"{limits.MAX_SAMPLES}",
        )
    if not isinstance(noise, (int, float)) or not 0 <= noise <= MAX_NOISE:
        raise SpecError("dataset.noise", f"is {noise!r}; it must be between 0 and {MAX_NOISE:g}")
    if name == "gauss" and classes not in range(MIN_CLASSES, MAX_CLASSES + 1):
        raise SpecError(
            "dataset.classes",
            f"is {classes!r}; gauss makes {MIN_CLASSES} to {MAX_CLASSES} clusters",
        )
    rng = np.random.default_rng(seed)
    if name == "gauss":
        return _gauss(rng, samples, noise, classes)
    make = {
        "circle": _circle,
        "spiral": _spiral,
        "moons": _moons,
        "sine": _sine,
        "plane": _plane,
        "gaussians": _gaussians,
    }[name]
    return make(rng, samples, noise)
