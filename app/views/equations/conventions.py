"""The equations the conventions add to a neuron's: the regularisation penalty and the loss
with it (output layer), the gradient with respect to an input (input layer), and a note for
a sample outside the iteration's batch."""

from __future__ import annotations

from engine.core.features import is_identity

from .mathml import Chain
from .notation import DELTA, Writer, sym, terms


def penalty_equations(v: Writer) -> list[Chain]:
    """Ω = (λ/2) Σ w² (l2) or λ Σ |w| (l1) over every weight, and L = L_data + Ω."""
    net = v.net
    if net.penalty is None or net.data_loss is None or net.batch_loss is None:
        return []
    lam = v.op(net.rate)
    if net.regularization == "l2":
        symbolic = r"\frac{\lambda}{2} \sum_{l, j, k} (w^{l}_{jk})^2"
        numbers = rf"\frac{{{lam}}}{{2}}"
    else:
        symbolic, numbers = r"\lambda \sum_{l, j, k} |w^{l}_{jk}|", lam
    numbers += rf" \cdot ({sum_of_weights(v)})"
    data = r"\ell" if v.b == 1 else r"L_{\text{data}}"
    parts = f"{v.op(net.data_loss)} + {v.op(net.penalty)}"
    return [
        Chain(
            f"Penalty ({net.regularization}) over every weight, not the biases",
            (r"\Omega", symbolic, numbers, v.n(net.penalty)),
        ),
        Chain(
            "Loss: the data's part plus the penalty",
            ("L", rf"{data} + \Omega", parts, v.n(net.batch_loss)),
        ),
    ]


def sum_of_weights(v: Writer) -> str:
    """Σ w² (l2) or Σ |w| (l1) of the weights the forward pass used, its first terms."""
    net, items = v.net, []
    for l in range(1, v.L + 1):
        for row in net.traced_weights(l):
            items += [f"{v.op(w)}^2" if net.regularization == "l2" else f"|{v.n(w)}|" for w in row]
    return terms(items)


def input_gradient(v: Writer, k: int, i: int) -> list[Chain]:
    """∂ℓ/∂x_k = Σ_j w¹_jk δ¹_j for sample i (cs231n's dx), once the backward pass reached
    layer 1."""
    net = v.net
    value = net.dloss_dinput(i, k)
    if value is None:
        return []
    js = range(1, net.layers[1] + 1)
    general = rf"\sum_j {sym('w', 1, 'j', k)} {sym(DELTA, 1, 'j')}"
    symbolic = terms([f"{sym('w', 1, j, k)} {sym(DELTA, 1, j)}" for j in js])
    numbers = terms(
        [
            rf"{v.op(net.traced_param(1, j, k))} \cdot {v.op(net.known('delta', 1, i, j))}"
            for j in js
        ]
    )
    features = bool(net.features) and not is_identity(tuple(net.features or ()))
    wrt = f"a^{{0}}_{{{k}}}" if features else f"x_{{{k}}}"
    lhs = rf"\frac{{\partial \ell}}{{\partial {wrt}}}"
    what = "this input feature" if features else "this input"
    title = f"Gradient of the loss with respect to {what}" + v.tag(i)
    return [Chain(title, (lhs, general, symbolic, numbers, v.n(value)))]


def not_in_batch(v: Writer, i: int) -> Chain:
    """Sample i is not among this iteration's samples: its values wait for its batch."""
    title = (
        f"Sample {i + 1} is not in this iteration's batch (epoch {v.net.epoch}): its "
        "values come with the batch that holds it"
    )
    return Chain(title, (v.batch_set(),))
