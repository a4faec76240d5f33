"""The equations of one edge w^l_{jk}: its weight now, and how its gradient is formed,
∂L/∂w^l_{jk} = (1/m) Σ_i δ^l_{j,i} a^{l-1}_{k,i}."""

from __future__ import annotations

from app.views.model import NetworkModel

from .mathml import Chain, Equation, chain, render
from .notation import DELTA, Writer, check, sym


def edge_chains(net: NetworkModel, layer: int, j: int, k: int, digits: int = 4) -> list[Chain]:
    """Edge w^l_{jk}: its weight now, and ∂L/∂w^l_{jk} = (1/m) Σ_i δ^l_{j,i} a^{l-1}_{k,i}
    (symbolic until the backward pass has reached layer l)."""
    v = Writer(net, digits)
    check("layer", layer, 1, v.L)
    check("j", j, 1, net.layers[layer])
    check("k", k, 1, net.layers[layer - 1])
    title = "Weight after the update" if net.updated else "Weight"
    weight = chain(title, sym("w", layer, j, k), v.n(net.weight(layer, j, k)))
    return [weight, weight_gradient(v, layer, j, k)]


def edge_equations(
    net: NetworkModel, layer: int, j: int, k: int, digits: int = 4, aligned: bool = False
) -> list[Equation]:
    return render(edge_chains(net, layer, j, k, digits), aligned)


def weight_gradient(v: Writer, l: int, j: int, k: int) -> Chain:
    """∂L/∂w^l_{jk} over the batch (mean or sum), plus the penalty's λ w (l2) or
    λ sign(w) (l1) when the network is regularised."""
    lhs = rf"\frac{{\partial L}}{{\partial {sym('w', l, j, k)}}}"
    d, a = sym(DELTA, l, j), sym("a", l - 1, k)
    if v.b > 1:
        d, a = sym(DELTA, l, j, "i"), sym("a", l - 1, k, "i")
    symbolic = (f"{d} {a}" if v.b == 1 else v.over(f"{d} {a}")) + penalty_symbol(v, l, j, k)
    grad, deltas = v.net.grad(l, j, k), v.net.column("delta", l, j)
    if grad is None or deltas is None:
        return chain("Weight gradient (not computed yet)", lhs, symbolic)
    products = [
        rf"{v.op(delta)} \cdot {v.op(v.a_prev(l, i, k))}" for delta, i in zip(deltas, v.batch)
    ]
    numbers = v.combined(products) + penalty_numbers(v, l, j, k)
    title = "Weight gradient" + (v.how() if v.b > 1 else "")
    if v.net.penalty is not None:
        title += f", plus the {v.net.regularization} penalty's part"
    return chain(title, lhs, symbolic, numbers, v.n(grad))


def penalty_symbol(v: Writer, l: int, j: int, k: int) -> str:
    """The penalty's part of ∂L/∂w, symbolically: + λ w (l2), + λ sign(w) (l1), or ''."""
    w = sym("w", l, j, k)
    return {"l2": rf" + \lambda {w}", "l1": rf" + \lambda \operatorname{{sign}}({w})"}.get(
        v.net.regularization, ""
    )


def penalty_numbers(v: Writer, l: int, j: int, k: int) -> str:
    """The penalty's part with the numbers: λ and the weight the trace used."""
    if v.net.regularization == "none":
        return ""
    lam, w = v.op(v.net.rate), v.op(v.net.traced_param(l, j, k))
    if v.net.regularization == "l2":
        return rf" + {lam} \cdot {w}"
    return rf" + {lam} \cdot \operatorname{{sign}}({v.n(v.net.traced_param(l, j, k))})"
