"""Update rules, each written once and used by both the step machine and the fast path.

Every rule works elementwise on lists of arrays (parameters, gradients and the rule's own
state, all of matching shapes), so it serves W^l and b^l alike, or both joined.

    sgd:       θ ← θ − η g                                   (the article's update)
    momentum:  v ← μ v + g;  θ ← θ − η v
    adam:      m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;  t ← t + 1
               m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  θ ← θ − η m̂ / (√v̂ + ε)
"""

from __future__ import annotations

import numpy as np

from .errors import SpecError

OPTIMISERS = ("sgd", "momentum", "adam")
DEFAULTS = {"sgd": {}, "momentum": {"mu": 0.9},
            "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}}


def check_optimiser(name) -> str:
    if name not in OPTIMISERS:
        raise SpecError("optimizer", f"unknown optimizer {name!r}; choose one of "
                        f"{', '.join(OPTIMISERS)}")
    return name


def initial_state(name: str, params: list[np.ndarray]) -> dict:
    """The rule's state before its first update: zeros shaped like the parameters."""
    if name == "momentum":
        return {"v": [np.zeros_like(p) for p in params]}
    if name == "adam":
        return {"t": 0, "m": [np.zeros_like(p) for p in params],
                "v": [np.zeros_like(p) for p in params]}
    return {}


def step(name: str, params, grads, state: dict, eta: float):
    """Return (new params, new state, details). `details` holds the per-parameter
    quantities the update equation shows (velocity, or m̂ and v̂ and the step)."""
    if name == "sgd":
        return [p - eta * g for p, g in zip(params, grads)], state, {}
    if name == "momentum":
        mu = DEFAULTS["momentum"]["mu"]
        v = [mu * v0 + g for v0, g in zip(state["v"], grads)]
        return [p - eta * vi for p, vi in zip(params, v)], {"v": v}, {"v": v}
    b1, b2, eps = (DEFAULTS["adam"][k] for k in ("beta1", "beta2", "eps"))
    t = state["t"] + 1
    m = [b1 * m0 + (1 - b1) * g for m0, g in zip(state["m"], grads)]
    v = [b2 * v0 + (1 - b2) * g * g for v0, g in zip(state["v"], grads)]
    m_hat = [mi / (1 - b1**t) for mi in m]
    v_hat = [vi / (1 - b2**t) for vi in v]
    new = [p - eta * mh / (np.sqrt(vh) + eps) for p, mh, vh in zip(params, m_hat, v_hat)]
    return new, {"t": t, "m": m, "v": v}, {"m_hat": m_hat, "v_hat": v_hat, "t": t}
