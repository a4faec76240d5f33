""""Why isn't it learning?": per-layer gradient norms and saturated units, and hints in
plain words when something looks wrong."""

from __future__ import annotations

import math

import numpy as np

# A unit counts as saturated where its slope f'(z) is (almost) zero.
SATURATED = {
    "sigmoid": lambda z, a: (a < 0.01) | (a > 0.99),
    "tanh": lambda z, a: np.abs(a) > 0.98,
    "relu": lambda z, a: z <= 0.0,
}
VANISHING_RATIO = 1e-3
DEAD_SHARE = 0.5


def measure(activations, zs, as_, grad_ws, iteration: int) -> dict:
    """One record: per layer the Frobenius norm of ∂L/∂W^l and the share of saturated
    (unit, sample) pairs. zs/as_: (m, N_l) per layer, grad_ws: (N_l, N_{l-1})."""
    norms = [float(np.sqrt((g * g).sum())) for g in grad_ws]
    saturation, dead = [], []
    for name, z, a in zip(activations, zs, as_):
        test = SATURATED.get(name)
        if test is None:
            saturation.append(0.0)
            dead.append(0)
            continue
        flat = test(z, a)
        saturation.append(float(flat.mean()))
        dead.append(int(flat.all(axis=0).sum()) if name == "relu" else 0)
    return {"iteration": iteration, "grad_norms": norms, "saturation": saturation, "dead": dead}


def _trend(losses: list[float]) -> tuple[int, float]:
    """(sign changes of the loss differences, relative change first → last)."""
    d = np.diff(losses)
    flips = int((np.sign(d[1:]) * np.sign(d[:-1]) < 0).sum()) if len(d) > 1 else 0
    rel = (losses[-1] - losses[0]) / max(abs(losses[0]), 1e-12)
    return flips, rel


def hints(spec, records: list[dict], history: list, diverged: dict | None = None) -> list[dict]:
    """Plain-language hints, each {"kind", "message"}, from recent records and the loss."""
    out = []
    if diverged:
        out.append({"kind": "diverged", "message": f"Training diverged at iteration "
                    f"{diverged['iteration']}: the learning rate is too high. Try a tenth of it."})
    if records:
        last = records[-1]
        norms = last["grad_norms"]
        if len(norms) > 2 and norms[-1] > 0 and norms[0] / norms[-1] < VANISHING_RATIO:
            out.append({"kind": "vanishing", "message": (
                f"Vanishing gradients: |∂L/∂W¹| is {norms[0]:.1e}, {norms[-1] / max(norms[0], 1e-300):.0e}"
                f" times smaller than |∂L/∂W^{len(norms)}|. The first layers barely learn. Try "
                "tanh or relu hidden layers, a shallower net, or xavier/he initialisation.")})
        for l, (name, dead) in enumerate(zip(spec.activations, last["dead"]), start=1):
            n = spec.layers[l]
            if name == "relu" and dead and dead / n >= DEAD_SHARE:
                out.append({"kind": "dead_relu", "message": (
                    f"Dead ReLUs: {dead} of {n} units in layer {l} output 0 for every sample, "
                    "so no gradient reaches them. Lower the learning rate, use leaky_relu, or "
                    "re-initialise with another seed.")})
        for l, (name, share) in enumerate(zip(spec.activations, last["saturation"]), start=1):
            if name in ("sigmoid", "tanh") and share > 0.8 and l < spec.depth:
                out.append({"kind": "saturated", "message": (
                    f"Saturation: {share:.0%} of layer {l}'s {name} units sit where the slope is "
                    "almost zero. Smaller initial weights or inputs scaled to about ±1 help.")})
    losses = [v for _, v in history[-50:] if math.isfinite(v)]
    if len(losses) >= 10:
        flips, rel = _trend(losses)
        if flips > len(losses) // 2 and rel > -0.01:
            out.append({"kind": "oscillating", "message": (
                "The loss goes up and down without falling: the learning rate is too high "
                "for this network. Try half of it.")})
        elif abs(rel) < 1e-3 and (not records or max(records[-1]["grad_norms"]) < 1e-3):
            out.append({"kind": "plateau", "message": (
                "The loss has stopped changing and the gradients are tiny: a plateau. Train "
                "longer, raise the learning rate, or start from larger random weights (the "
                "article's seed-xor net starts near the symmetric point where every hidden "
                "unit is alike).")})
    return out
