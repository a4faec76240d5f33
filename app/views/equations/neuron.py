"""The equations of one neuron: z and a (forward), the loss and ∂ℓ/∂ŷ (output layer), then
f'(z), δ and ∂L/∂b (backward), each with the network's numbers once they are computed."""

from __future__ import annotations

from app.views.model import NetworkModel
from engine.core.activations import LEAKY_SLOPE
from engine.core.features import FEATURES, is_identity
from engine.core.losses import LOSSES

from .conventions import input_gradient, not_in_batch, penalty_equations
from .mathml import Chain, Equation, render
from .notation import DELTA, DL, Writer, check, f_sym, sym, terms, yhat

SQUARED = ("mse", "sse", "mse_mean")


# ---- forward: z and a -----------------------------------------------------------------
def weighted_input(v: Writer, l: int, j: int, i: int) -> Chain:
    net, ks = v.net, range(1, v.net.layers[l - 1] + 1)
    symbolic = terms([f"{sym('w', l, j, k)} {sym('a', l - 1, k)}" for k in ks])
    if net.has_bias(l):  # a layer without a bias term: z = W a alone
        symbolic += f" + {sym('b', l, j)}"
    z = net.value("z", l, i, j)
    if z is None:
        return Chain("Weighted input (not computed yet)", (sym("z", l, j), symbolic))
    numbers = terms(
        [rf"{v.op(net.traced_param(l, j, k))} \cdot {v.op(v.a_prev(l, i, k))}" for k in ks]
    )
    if net.has_bias(l):
        numbers += f" + {v.op(net.traced_param(l, j))}"
    title = "Weighted input" + ("" if net.has_bias(l) else ", no bias term")
    return Chain(title + v.tag(i), (sym("z", l, j), symbolic, numbers, v.n(z)))


def activation_forms(v: Writer, act: str, l: int, j: int, i: int) -> tuple[list[str], list[str]]:
    """(f(z) written with symbols, f(z) with the numbers, [] until z is computed)."""
    z, row = sym("z", l, j), v.net.row("z", l, i)
    if act == "softmax":
        top = rf"\frac{{e^{{{z}}}}}{{\sum_i e^{{{sym('z', l, 'i')}}}}}"
        if row is None:
            return [top], []
        bottom = terms([f"e^{{{v.n(x)}}}" for x in row])
        return [top], [rf"\frac{{e^{{{v.n(row[j - 1])}}}}}{{{bottom}}}"]
    zn = 0.0 if row is None else row[j - 1]
    forms = {
        "sigmoid": ([rf"\sigma({z})"], [rf"\frac{{1}}{{1 + e^{{-{v.op(zn)}}}}}"]),
        "tanh": ([rf"\tanh({z})"], [rf"\tanh({v.n(zn)})"]),
        "relu": ([rf"\operatorname{{relu}}({z})", rf"\max(0, {z})"], [rf"\max(0, {v.n(zn)})"]),
        "leaky_relu": (
            [rf"\operatorname{{lrelu}}({z})", rf"\max({LEAKY_SLOPE} {z}, {z})"],
            [rf"\max({LEAKY_SLOPE} \cdot {v.op(zn)}, {v.n(zn)})"],
        ),
        "linear": ([z], []),
    }
    symbolic, numbers = forms[act]
    return symbolic, [] if row is None else numbers


def activation(v: Writer, l: int, j: int, i: int) -> Chain:
    act = v.net.activations[l - 1]
    lhs = sym("a", l, j) if l < v.L else f"{yhat(j)} = {sym('a', l, j)}"
    symbolic, numbers = activation_forms(v, act, l, j, i)
    a = v.net.value("a", l, i, j)
    if a is None:
        return Chain("Activation (not computed yet)", (lhs, *symbolic))
    title = "Activation" if l < v.L else "Output"
    return Chain(title + v.tag(i), (lhs, *symbolic, *numbers, v.n(a)))


# ---- the loss (output layer) ------------------------------------------------------------
def sample_loss(v: Writer, i: int) -> Chain:
    net = v.net
    pairs = list(zip(net.row("a", v.L, i) or [], net.targets(i)))
    if net.loss in SQUARED:
        parts = [f"({v.n(p)} - {v.op(t)})^2" for p, t in pairs]
        one = parts[0] if len(parts) == 1 else f"[{terms(parts)}]"
        numbers = {"mse": r"\tfrac{1}{2}" + one, "sse": terms(parts)}.get(
            net.loss, rf"\tfrac{{1}}{{{len(parts)}}}" + one
        )
    elif net.loss == "bce":
        parts = [
            rf"[{v.op(t)} \log {v.op(p)} + (1 - {v.op(t)}) \log(1 - {v.op(p)})]" for p, t in pairs
        ]
        numbers = "-" + (parts[0] if len(parts) == 1 else f"({terms(parts)})")
    else:
        parts = [rf"{v.op(t)} \log {v.op(p)}" for p, t in pairs]
        numbers = f"-({terms(parts)})"
    value = v.n(losses(net)[0][net.trace_row(i) or 0])
    return Chain(
        "Loss for this sample" + v.tag(i), (r"\ell", LOSSES[net.loss].latex, numbers, value)
    )


def losses(net: NetworkModel) -> tuple[list[float], float]:
    """(ℓ_i per sample, L), once the forward pass has reached the loss."""
    each, total = net.sample_losses(), net.batch_loss
    if each is None or total is None:
        raise LookupError("the loss is not computed yet")
    return each, total


def batch_loss(v: Writer) -> Chain:
    """L_data over the batch: (1/b) Σ_i ℓ_i, or Σ_i ℓ_i for the sum reduction (L itself
    without a penalty)."""
    each, total = losses(v.net)
    data = total if v.net.penalty is None or v.net.data_loss is None else v.net.data_loss
    lhs = "L" if v.net.penalty is None else r"L_{\text{data}}"
    numbers = v.combined([v.op(x) for x in each])
    return Chain("Batch loss" + v.how(), (lhs, v.over(r"\ell_i"), numbers, v.n(data)))


def dloss(v: Writer, j: int, i: int) -> Chain:
    net = v.net
    y, p = net.target(i, j), net.known("a", v.L, i, j)
    yj, tj = yhat(j), f"y_{{{j}}}"
    n = net.layers[-1]
    forms = {
        "mse": (f"{yj} - {tj}", f"{v.n(p)} - {v.op(y)}"),
        "sse": (f"2({yj} - {tj})", f"2({v.n(p)} - {v.op(y)})"),
        "mse_mean": (
            rf"\frac{{2}}{{{n}}}({yj} - {tj})",
            rf"\frac{{2}}{{{n}}}({v.n(p)} - {v.op(y)})",
        ),
        "bce": (
            rf"\frac{{{yj} - {tj}}}{{{yj}(1 - {yj})}}",
            rf"\frac{{{v.n(p)} - {v.op(y)}}}{{{v.op(p)}(1 - {v.op(p)})}}",
        ),
        "cce": (rf"-\frac{{{tj}}}{{{yj}}}", rf"-\frac{{{v.n(y)}}}{{{v.n(p)}}}"),
    }
    value = net.dloss(i, j)
    sides = (DL % j, *forms[net.loss], *([] if value is None else [v.n(value)]))
    return Chain("Gradient of the loss with respect to this output" + v.tag(i), sides)


def loss_equations(v: Writer, j: int, i: int) -> list[Chain]:
    net = v.net
    if net.sample_losses() is None or not net.computed("a", v.L):
        return []
    eqs = [sample_loss(v, i)] if net.sample_loss(i) is not None else []  # i in the batch
    eqs += ([batch_loss(v)] if v.b > 1 else []) + penalty_equations(v)
    return eqs + ([dloss(v, j, i)] if net.dloss(i, j) is not None else [])


# ---- backward: f'(z), δ and ∂L/∂b ------------------------------------------------------
def derivative(v: Writer, l: int, j: int, i: int) -> Chain:
    act, net = v.net.activations[l - 1], v.net
    z, a = sym("z", l, j), sym("a", l, j)
    zn, an, fp = (net.known(q, l, i, j) for q in ("z", "a", "fprime"))
    lhs = f"{f_sym(act)}'({z})"
    title = "Derivative of the activation" + v.tag(i)
    if act == "sigmoid":
        return Chain(title, (lhs, f"{a}(1 - {a})", f"{v.op(an)}(1 - {v.op(an)})", v.n(fp)))
    if act == "tanh":
        return Chain(title, (lhs, f"1 - ({a})^2", f"1 - {v.op(an)}^2", v.n(fp)))
    if act == "linear":
        return Chain(title, (lhs, v.n(fp)))
    side = ">" if zn > 0 else r"\le"
    return Chain(title, (lhs, rf"{v.n(fp)} \quad \text{{since }} {z} = {v.n(zn)} {side} 0"))


def output_delta(v: Writer, j: int, i: int) -> list[Chain]:
    net, L = v.net, v.L
    act, loss = net.activations[-1], net.loss
    d, z = sym(DELTA, L, j), sym("z", L, j)
    delta = v.n(net.known("delta", L, i, j))
    agree = ": both forms agree" if net.simplified else ""
    if act == "softmax":
        jacobian = (
            rf"\sum_i \frac{{\partial \ell}}{{\partial \hat{{y}}_i}} "
            rf"\frac{{\partial \hat{{y}}_i}}{{\partial {z}}}"
        )
        title = "Output delta by the chain rule (through the softmax Jacobian)"
        eqs = [Chain(title, (d, jacobian))]
    else:
        ga, fp = net.known("grad_a", L, i, j), net.known("fprime", L, i, j)
        numbers = rf"{v.op(ga)} \cdot {v.op(fp)}"
        chain_rule = rf"{DL % j} \, {f_sym(act)}'({z})"
        eqs = [
            Chain(
                "Output delta by the chain rule" + agree + v.tag(i), (d, chain_rule, numbers, delta)
            )
        ]
    if net.simplified:
        y, p = net.target(i, j), net.known("a", L, i, j)
        title = f"Output delta, simplified for {act} with {loss}{agree}{v.tag(i)}"
        eqs.append(Chain(title, (d, f"{yhat(j)} - y_{{{j}}}", f"{v.n(p)} - {v.op(y)}", delta)))
    return eqs


def hidden_delta(v: Writer, l: int, j: int, i: int) -> list[Chain]:
    net = v.net
    act, qs = net.activations[l - 1], range(1, net.layers[l + 1] + 1)
    back = rf"\sum_i {sym('w', l + 1, 'i', j)} {sym(DELTA, l + 1, 'i')}"
    expanded = terms([f"{sym('w', l + 1, q, j)} {sym(DELTA, l + 1, q)}" for q in qs])
    numbers = terms(
        [
            rf"{v.op(net.traced_param(l + 1, q, j))} \cdot {v.op(net.known('delta', l + 1, i, q))}"
            for q in qs
        ]
    )
    ga, fp, delta = (net.known(q, l, i, j) for q in ("grad_a", "fprime", "delta"))
    sent = Chain(
        f"Error sent back from layer {l + 1}" + v.tag(i), (back, expanded, numbers, v.n(ga))
    )
    sides = (
        sym(DELTA, l, j),
        rf"\left({back}\right) {f_sym(act)}'({sym('z', l, j)})",
        rf"{v.op(ga)} \cdot {v.op(fp)}",
        v.n(delta),
    )
    return [sent, Chain("Delta" + v.tag(i), sides)]


def bias_gradient(v: Writer, l: int, j: int, value: float) -> Chain:
    lhs = rf"\frac{{\partial L}}{{\partial {sym('b', l, j)}}}"
    fixed = " (the bias is frozen: the update does not apply it)" if v.net.frozen(l) else ""
    if v.b == 1:
        return Chain("Bias gradient" + fixed, (lhs, sym(DELTA, l, j), v.n(value)))
    symbolic = v.over(sym(DELTA, l, j, "i"))
    numbers = v.combined([v.op(d) for d in v.net.column("delta", l, j) or []])
    return Chain("Bias gradient" + v.how() + fixed, (lhs, symbolic, numbers, v.n(value)))


def backward_equations(v: Writer, l: int, j: int, i: int) -> list[Chain]:
    if v.net.value("delta", l, i, j) is None:
        return []
    act = v.net.activations[l - 1]
    eqs = [derivative(v, l, j, i)] if act != "softmax" else []
    eqs += output_delta(v, j, i) if l == v.L else hidden_delta(v, l, j, i)
    grad = v.net.grad(l, j)
    return eqs + ([bias_gradient(v, l, j, grad)] if grad is not None else [])


# ---- the public functions --------------------------------------------------------------
def input_chain(v: Writer, j: int, i: int) -> Chain:
    """a⁰_j = x_j; with features, a⁰_j = φ_j(x) with the sample's x₁, x₂ put in."""
    net = v.net
    if not net.features or is_identity(tuple(net.features)):
        x = v.n(net.input(i, j))
        return Chain("Input" + v.tag(i), (f"a^{{0}}_{{{j}}} = x_{{{j}}}", x))
    formula = FEATURES[net.features[j - 1]].latex
    numbers = formula.replace("x_1 x_2", r"x_1 \cdot x_2")
    for k in (1, 2):
        numbers = numbers.replace(f"x_{k}", "{" + v.op(net.input(i, k)) + "}")
    value = v.n(net.known("a", 0, i, j))
    return Chain("Input feature" + v.tag(i), (f"a^{{0}}_{{{j}}} = {formula}", numbers, value))


def neuron_chains(
    net: NetworkModel, layer: int, j: int, sample: int = 0, digits: int = 4
) -> list[Chain]:
    """Neuron j (1-based) of `layer` (0 = input … L) for one sample (0-based row): z and a,
    then for the output layer ℓ, L and ∂ℓ/∂ŷ_j, then f'(z), δ and ∂L/∂b, as far as
    computed."""
    v = Writer(net, digits)
    check("layer", layer, 0, v.L)
    check("j", j, 1, net.layers[layer])
    check("sample", sample, 0, v.m - 1)
    outside = [] if net.in_batch(sample) else [not_in_batch(v, sample)]
    if layer == 0:
        return [*outside, input_chain(v, j, sample), *input_gradient(v, j, sample)]
    chains = [*outside, weighted_input(v, layer, j, sample), activation(v, layer, j, sample)]
    if layer == v.L:
        chains += loss_equations(v, j, sample)
    return chains + backward_equations(v, layer, j, sample)


def neuron_equations(
    net: NetworkModel, layer: int, j: int, sample: int = 0, digits: int = 4, aligned: bool = False
) -> list[Equation]:
    """neuron_chains rendered; aligned=True writes each '=' on its own row (for a narrow
    panel)."""
    return render(neuron_chains(net, layer, j, sample, digits), aligned)
