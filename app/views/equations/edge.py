"""The equations of one edge w^l_{jk}: its weight now, and how its gradient is formed,
∂L/∂w^l_{jk} = (1/m) Σ_i δ^l_{j,i} a^{l-1}_{k,i}."""

from __future__ import annotations

from app.views.model import NetworkModel

from .mathml import Chain, Equation, chain, render
from .notation import DELTA, Writer, check, mean, sym


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
    lhs = rf"\frac{{\partial L}}{{\partial {sym('w', l, j, k)}}}"
    d, a = sym(DELTA, l, j), sym("a", l - 1, k)
    if v.m > 1:
        d, a = sym(DELTA, l, j, "i"), sym("a", l - 1, k, "i")
    symbolic = f"{d} {a}" if v.m == 1 else rf"\frac{{1}}{{{v.m}}}\sum_{{i=1}}^{{{v.m}}} {d} {a}"
    grad, deltas = v.net.grad(l, j, k), v.net.column("delta", l, j)
    if grad is None or deltas is None:
        return chain("Weight gradient (not computed yet)", lhs, symbolic)
    products = [rf"{v.op(deltas[i])} \cdot {v.op(v.a_prev(l, i, k))}" for i in range(v.m)]
    numbers = products[0] if v.m == 1 else mean(products, v.m)
    title = "Weight gradient" + (f": the mean over {v.m} samples" if v.m > 1 else "")
    return chain(title, lhs, symbolic, numbers, v.n(grad))
