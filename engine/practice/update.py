"""The update's values and their mistakes: the new w and b by the network's optimiser
(sgd, momentum, adam: optimisers.py), and the optimiser's state after it (v, m, m̂, v̂)."""

from __future__ import annotations

from typing import cast

import numpy as np

from ..core.moves import Previous
from ..core.optimisers import DEFAULTS
from .work import Operand, Slip, Where, Work, slip, slips, substitution

RULES = {
    "sgd": "θ ← θ − η ∂L/∂θ",
    "momentum": "v ← μ v + ∂L/∂θ;  θ ← θ − η v",
    "adam": "θ ← θ − η m̂ / (√v̂ + ε)",
}


def index(h: Where) -> tuple[int, tuple]:
    """(the parameter's place in the optimiser's lists, its entry in the array)."""
    L = h.net.depth
    if h.ask.weight:
        return h.l - 1, (h.jj, h.kk)
    return L + h.l - 1, (h.jj,)


def parts(h: Where) -> tuple[float, float, float, Previous]:
    """(θ before, θ after, ∂L/∂θ) of the asked parameter, and what the update started from."""
    prev = cast(Previous, h.net.previous)
    i, e = index(h)
    before = [*prev.weights, *prev.biases][i][e]
    after = [*h.net.weights, *h.net.biases][i][e]
    lt = h.layer()
    g = (lt.grad_w if h.ask.weight else lt.grad_b)[e]
    return float(before), float(after), float(g), prev


def new_parameter(h: Where) -> Work:
    """θ after the update, by the network's optimiser."""
    spec = h.net.spec
    theta = h.ask.symbol()
    before, after, g, prev = parts(h)
    rule = RULES[spec.optimizer].replace("θ", theta)
    eta = prev.learning_rate
    if not h.ask.weight and not spec.trains_bias(h.l):
        equation = f"{theta} stays {theta} (frozen)"
        moved = slip(
            "updated_frozen", before - eta * g, f"{theta} (frozen)", f"{theta} − η ∂L/∂{theta}"
        )
        return substitution(Work(h.ask, after, equation, slips(moved)), "{0}", h.op(theta, before))
    step = before - after  # η times what the rule subtracts
    minus = "−"
    out: list[Slip | None] = [
        slip("forgot_lr", before - step / eta, "η", "(no η)"),
        slip("added_gradient", before + step, minus, "+"),
    ]
    if spec.optimizer != "sgd":
        out.append(slip("ignored_optimizer", before - eta * g, rule, f"{theta} − η ∂L/∂{theta}"))
    if spec.optimizer == "adam":
        m, v = moment(h, "m"), moment(h, "v")
        eps = DEFAULTS["adam"]["eps"]
        out.append(
            slip("forgot_bias_correction", before - eta * m / (np.sqrt(v) + eps), "m̂, v̂", "m, v")
        )
    if h.ask.weight and spec.optimizer == "sgd":
        grads = h.layer().grad_w
        if h.kk < grads.shape[0] and h.jj < grads.shape[1]:
            kj = f"∂L/∂w{theta[1:2]}ₖⱼ"
            out.append(
                slip("swapped_indices", before - eta * grads[h.kk, h.jj], f"∂L/∂{theta}", kj)
            )
    return substitution(Work(h.ask, after, rule, slips(*out)), *step_form(h, before, g, prev))


def step_form(h: Where, before: float, g: float, prev: Previous) -> tuple:
    """θ's new value with the numbers: sgd θ − η g, momentum θ − η (μ v + g), adam
    θ − η m̂ / (√v̂ + ε) (m̂, v̂ with the same click)."""
    theta, name = h.ask.symbol(), h.net.spec.optimizer
    ops: list[Operand] = [h.op(theta, before), h.const("η", prev.learning_rate)]
    if name == "sgd":
        return ("{0} − {1} · {2}", *ops, h.op(f"∂L/∂{theta}", g))
    i, e = index(h)
    if name == "momentum":
        mu = DEFAULTS["momentum"]["mu"]
        ops += [
            h.const("μ", mu),
            h.op("v", prev.optimizer_state["v"][i][e]),
            h.op(f"∂L/∂{theta}", g),
        ]
        return ("{0} − {1} · ({2} · {3} + {4})", *ops)
    ops += [h.op("m̂", adam_detail(h, "m_hat", i, e), same=True)]
    ops += [h.op("v̂", adam_detail(h, "v_hat", i, e), same=True)]
    return ("{0} − {1} · {2} / (√{3} + ε)", *ops)


def moment(h: Where, key: str) -> float:
    """The optimiser's state `key` (m, v) of the asked parameter after the update."""
    i, e = index(h)
    return float(h.net.optimizer_state[key][i][e])


def optimiser_value(h: Where) -> Work:
    """v (momentum's velocity, or Adam's second moment), m, m̂ or v̂ after the update."""
    q, spec, theta = h.ask.quantity, h.net.spec, h.ask.symbol()
    g = f"∂L/∂{theta}"
    if q in ("m", "v"):
        value = moment(h, q)
        if spec.optimizer == "momentum":
            equation = f"v ← μ v + {g}"
        elif q == "m":
            equation = f"m ← β₁ m + (1 − β₁) {g}"
        else:
            equation = f"v ← β₂ v + (1 − β₂) ({g})²"
        return substitution(Work(h.ask, value, equation, []), *moment_form(h, q))
    i, e = index(h)
    details = adam_detail(h, q, i, e)
    raw = moment(h, q[0])
    beta_name = "β₁" if q == "m_hat" else "β₂"
    equation = f"{q[0]}̂ = {q[0]} / (1 − {beta_name}ᵗ)"
    wrong = slip("forgot_bias_correction", raw, f"/ (1 − {beta_name}ᵗ)", "(no correction)")
    t = cast(dict, h.net.trace.update).get("t", 1)
    beta = DEFAULTS["adam"]["beta1" if q == "m_hat" else "beta2"]
    ops = (h.op(q[0], raw, same=True), h.const(beta_name, beta), h.const("t", t))
    return substitution(Work(h.ask, details, equation, slips(wrong)), "{0} / (1 − {1}^{2})", *ops)


def moment_form(h: Where, q: str) -> tuple:
    """The optimiser state's update with the numbers (its state before, ∂L/∂θ)."""
    prev, theta = cast(Previous, h.net.previous), h.ask.symbol()
    i, e = index(h)
    lt = h.layer()
    g = float((lt.grad_w if h.ask.weight else lt.grad_b)[e])
    old = h.op(q, prev.optimizer_state[q][i][e])
    grad = h.op(f"∂L/∂{theta}", g)
    if h.net.spec.optimizer == "momentum":
        return ("{0} · {1} + {2}", h.const("μ", DEFAULTS["momentum"]["mu"]), old, grad)
    beta = DEFAULTS["adam"]["beta1" if q == "m" else "beta2"]
    power = "" if q == "m" else "²"
    return (f"{{0}} · {{1}} + (1 − {{0}}) · {{2}}{power}", h.const("β", beta), old, grad)


def adam_detail(h: Where, q: str, i: int, e: tuple) -> float:
    """m̂ or v̂ of the update that ran (trace.update's per-layer details)."""
    upd = cast(dict, h.net.trace.update)
    layer = upd["layers"][h.l - 1][q]
    return float(layer["weights" if h.ask.weight else "biases"][e])


MAKERS = {
    "w": new_parameter,
    "b": new_parameter,
    "v": optimiser_value,
    "m": optimiser_value,
    "m_hat": optimiser_value,
    "v_hat": optimiser_value,
}
