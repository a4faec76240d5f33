"""Update rules, each written once and used by both the step machine and the fast path.

Every rule works elementwise on lists of arrays (parameters, gradients and the rule's own
state, all of matching shapes), so it serves W^l and b^l alike, or both joined as Θ^l.

    sgd:       θ ← θ − η g                                   (the article's update)
    momentum:  v ← μ v + g;  θ ← θ − η v
    adam:      t ← t + 1;  m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²
               m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  θ ← θ − η m̂ / (√v̂ + ε)

The state is a dict: {} for sgd, {"v": [..]} for momentum, {"t": int, "m": [..], "v": [..]}
for adam, one array per parameter array. A parameter that is not trained (a frozen bias, or
a layer without one) is given as None: it gets no state (None in the lists) and no update.
"""

from __future__ import annotations

import numpy as np

from ..errors import SpecError

OPTIMISERS = ("sgd", "momentum", "adam")
DEFAULTS = {"sgd": {}, "momentum": {"mu": 0.9}, "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}}
MOMENTS = {"sgd": (), "momentum": ("v",), "adam": ("m", "v")}  # the state's array lists


def check_optimiser(name) -> str:
    if not isinstance(name, str) or name not in OPTIMISERS:
        raise SpecError(
            "optimizer", f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMISERS)}"
        )
    return name


def initial_state(name: str, params: list[np.ndarray | None]) -> dict:
    """The rule's state before its first update: zeros shaped like the parameters (None for
    a parameter given as None, one that is not trained)."""
    state: dict = {"t": 0} if name == "adam" else {}
    for key in MOMENTS[name]:
        state[key] = [None if p is None else np.zeros_like(p) for p in params]
    return state


def align_state(name: str, state: dict, params: list[np.ndarray | None]) -> dict:
    """`state` for a new choice of trained parameters (None: not trained): each array kept
    where its parameter is still trained, zeros where one is newly trained, None where one
    no longer is."""
    fresh = initial_state(name, params)
    for key in MOMENTS[name]:
        fresh[key] = [
            None if p is None else (old if old is not None else new)
            for p, old, new in zip(params, state[key], fresh[key])
        ]
    if name == "adam":
        fresh["t"] = state["t"]
    return fresh


def copy_state(state: dict) -> dict:
    return {
        k: (v if k == "t" else [None if a is None else a.copy() for a in v])
        for k, v in state.items()
    }


def momentum_into(theta, g, v, eta: float, tmp) -> None:
    """In place: v ← μ v + g, then θ ← θ − η v (`tmp`: scratch shaped like θ)."""
    np.multiply(v, DEFAULTS["momentum"]["mu"], out=v)
    np.add(v, g, out=v)
    np.multiply(v, eta, out=tmp)
    np.subtract(theta, tmp, out=theta)


def adam_into(theta, g, m, v, t: int, eta: float, m_hat, v_hat, tmp) -> None:
    """In place, for step number t (already counted): the moments m, v, the bias-corrected
    m̂, v̂ (written into `m_hat`, `v_hat`), then θ ← θ − η m̂ / (√v̂ + ε)."""
    b1, b2, eps = (DEFAULTS["adam"][k] for k in ("beta1", "beta2", "eps"))
    np.multiply(m, b1, out=m)
    np.multiply(g, 1 - b1, out=tmp)
    np.add(m, tmp, out=m)
    np.multiply(v, b2, out=v)
    np.multiply(g, g, out=tmp)
    np.multiply(tmp, 1 - b2, out=tmp)
    np.add(v, tmp, out=v)
    np.divide(m, 1 - b1**t, out=m_hat)
    np.divide(v, 1 - b2**t, out=v_hat)
    np.sqrt(v_hat, out=tmp)
    np.add(tmp, eps, out=tmp)
    np.divide(m_hat, tmp, out=tmp)
    np.multiply(tmp, eta, out=tmp)
    np.subtract(theta, tmp, out=theta)


def step(name: str, params, grads, state: dict, eta: float):
    """Return (new params, new state, details) without touching the arguments. `details`
    holds what the update equation shows: for momentum the velocity v after the update,
    for adam m̂, v̂ and t. A parameter whose gradient is None is not trained: it comes back
    as it was (the same array), with None in the state and the details."""
    if name == "sgd":
        return [p if g is None else p - eta * g for p, g in zip(params, grads)], state, {}
    new = [p if g is None else p.copy() for p, g in zip(params, grads)]
    after = copy_state(state)
    if name == "momentum":
        for p, g, v in zip(new, grads, after["v"]):
            if g is not None:
                momentum_into(p, g, v, eta, np.empty_like(p))
        return new, after, {"v": after["v"]}
    after["t"] = t = state["t"] + 1
    m_hat = [None if g is None else np.empty_like(p) for p, g in zip(params, grads)]
    v_hat = [None if g is None else np.empty_like(p) for p, g in zip(params, grads)]
    for p, g, m, v, mh, vh in zip(new, grads, after["m"], after["v"], m_hat, v_hat):
        if g is not None:
            adam_into(p, g, m, v, t, eta, mh, vh, np.empty_like(p))
    return new, after, {"m_hat": m_hat, "v_hat": v_hat, "t": t}


def update_details(
    name: str, eta: float, before: dict, after: dict, details: dict, depth: int
) -> dict:
    """What one update's equations need, per layer l = 1..L: {"optimizer", "learning_rate",
    the rule's constants (mu | beta1, beta2, eps), "t" (adam), "layers": [{quantity:
    {"weights": (N_l, N_{l-1}), "biases": (N_l,)}}]}. Quantities: momentum v_before, v;
    adam m_before, m, v_before, v, m_hat, v_hat; sgd none. Untrained biases: None."""
    if name == "sgd":
        return {"optimizer": name, "learning_rate": eta, "layers": [{} for _ in range(depth)]}
    per: dict[str, list] = {}
    for key in MOMENTS[name]:
        per[f"{key}_before"], per[key] = before[key], after[key]
    if name == "adam":
        per["m_hat"], per["v_hat"] = details["m_hat"], details["v_hat"]
    layers = [
        {q: {"weights": arrays[l], "biases": arrays[depth + l]} for q, arrays in per.items()}
        for l in range(depth)
    ]
    out = {"optimizer": name, "learning_rate": eta, **DEFAULTS[name], "layers": layers}
    if name == "adam":
        out["t"] = after["t"]
    return out


def state_to_lists(state: dict, depth: int) -> dict:
    """The state as JSON-able lists: {"t"?, key: {"weights": [..], "biases": [..]}}, where
    the state's arrays are ordered W^1 … W^L, b^1 … b^L."""
    out = {}
    for key, value in state.items():
        out[key] = (
            value
            if key == "t"
            else {
                "weights": [_list(a) for a in value[:depth]],
                "biases": [_list(a) for a in value[depth:]],
            }
        )
    return out


def _list(a: np.ndarray | None):
    return None if a is None else a.tolist()


def state_from_lists(name: str, data: dict | None, weights, biases) -> dict:
    """Inverse of `state_to_lists`, checked against the parameters' shapes (a bias given
    as None is not trained: its state must be None too)."""
    params = [*weights, *biases]
    if not data:
        return initial_state(name, params)
    state: dict = {}
    if name == "adam":
        t = data.get("t")
        if isinstance(t, bool) or not isinstance(t, int) or t < 0:
            raise SpecError("optimizer_state.t", f"is {t!r}; it must be a whole number ≥ 0")
        state["t"] = t
    for key in MOMENTS[name]:
        part = data.get(key) or {}
        arrays = [
            None if a is None else np.array(a, dtype=np.float64)
            for a in [*part.get("weights", []), *part.get("biases", [])]
        ]
        if len(arrays) != len(params) or any(
            (a is None) != (p is None)
            or (a is not None and (a.shape != p.shape or not np.isfinite(a).all()))
            for a, p in zip(arrays, params)
        ):
            raise SpecError(
                f"optimizer_state.{key}",
                "must hold finite arrays shaped like the weights and biases",
            )
        state[key] = arrays
    return state


def update_to_lists(update: dict | None) -> dict | None:
    """`update_details` as JSON-able lists."""
    if update is None:
        return None
    layers = [
        {q: {k: _list(a) for k, a in parts.items()} for q, parts in layer.items()}
        for layer in update["layers"]
    ]
    return {**update, "layers": layers}


def update_from_lists(data: dict | None) -> dict | None:
    """Inverse of `update_to_lists` (arrays back as float64)."""
    if data is None:
        return None
    layers = [
        {
            q: {k: None if a is None else np.array(a, dtype=np.float64) for k, a in parts.items()}
            for q, parts in layer.items()
        }
        for layer in data["layers"]
    ]
    return {**data, "layers": layers}
