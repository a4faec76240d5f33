"""The equations of one neuron: z and a (forward), the loss and ∂ℓ/∂ŷ (output layer), then
f'(z), δ and ∂L/∂b (backward), each with the state's numbers once they are computed."""

from __future__ import annotations

from engine.core.activations import LEAKY_SLOPE
from engine.core.losses import LOSSES, is_simplified

from .mathml import Chain, Equation, chain, render
from .notation import DELTA, DL, View, check, f_sym, mean, sym, terms, yhat


# ---- forward: z and a -----------------------------------------------------------------
def weighted_input(v: View, l: int, j: int, i: int) -> Chain:
    ks = range(1, len(v.w[l - 1][j - 1]) + 1)
    symbolic = terms([f"{sym('w', l, j, k)} {sym('a', l - 1, k)}" for k in ks])
    symbolic += f" + {sym('b', l, j)}"
    z = v.value(l, "z", i, j)
    if z is None:
        return chain("Weighted input (not computed yet)", sym("z", l, j), symbolic)
    row = v.w[l - 1][j - 1]
    numbers = terms([rf"{v.op(row[k - 1])} \cdot {v.op(v.a_prev(l, i, k))}" for k in ks])
    numbers += f" + {v.op(v.b[l - 1][j - 1])}"
    return chain("Weighted input" + v.tag(i), sym("z", l, j), symbolic, numbers, v.n(z))


def activation_forms(v: View, act: str, l: int, j: int, i: int) -> tuple[list[str], list[str]]:
    """(f(z) written with symbols, f(z) with the numbers, [] until z is computed)."""
    z = sym("z", l, j)
    rows = v.layer(l).get("z")
    if act == "softmax":
        top = rf"\frac{{e^{{{z}}}}}{{\sum_i e^{{{sym('z', l, 'i')}}}}}"
        if rows is None:
            return [top], []
        bottom = terms([f"e^{{{v.n(x)}}}" for x in rows[i]])
        return [top], [rf"\frac{{e^{{{v.n(rows[i][j - 1])}}}}}{{{bottom}}}"]
    zn = 0.0 if rows is None else rows[i][j - 1]
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
    return symbolic, [] if rows is None else numbers


def activation(v: View, l: int, j: int, i: int) -> Chain:
    act = v.state["activations"][l - 1]
    lhs = sym("a", l, j) if l < v.L else f"{yhat(j)} = {sym('a', l, j)}"
    symbolic, numbers = activation_forms(v, act, l, j, i)
    a = v.value(l, "a", i, j)
    if a is None:
        return chain("Activation (not computed yet)", lhs, *symbolic)
    title = "Activation" if l < v.L else "Output"
    return chain(title + v.tag(i), lhs, *symbolic, *numbers, v.n(a))


# ---- the loss (output layer) ------------------------------------------------------------
def sample_loss(v: View, i: int) -> Chain:
    loss = v.state["loss"]
    y, yh = v.state["targets"][i], v.layer(v.L)["a"][i]
    pairs = list(zip(yh, y))
    if loss == "mse":
        parts = [f"({v.n(p)} - {v.op(t)})^2" for p, t in pairs]
        numbers = r"\tfrac{1}{2}" + (parts[0] if len(parts) == 1 else f"[{terms(parts)}]")
    elif loss == "bce":
        parts = [
            rf"[{v.op(t)} \log {v.op(p)} + (1 - {v.op(t)}) \log(1 - {v.op(p)})]" for p, t in pairs
        ]
        numbers = "-" + (parts[0] if len(parts) == 1 else f"({terms(parts)})")
    else:
        parts = [rf"{v.op(t)} \log {v.op(p)}" for p, t in pairs]
        numbers = f"-({terms(parts)})"
    value = v.n(v.trace["losses"][i])
    return chain("Loss for this sample" + v.tag(i), r"\ell", LOSSES[loss].latex, numbers, value)


def batch_loss(v: View) -> Chain:
    symbolic = rf"\frac{{1}}{{{v.m}}}\sum_{{i=1}}^{{{v.m}}} \ell_i"
    numbers = mean([v.op(x) for x in v.trace["losses"]], v.m)
    return chain(
        f"Batch loss: the mean over {v.m} samples", "L", symbolic, numbers, v.n(v.trace["loss"])
    )


def dloss(v: View, j: int, i: int) -> Chain:
    loss = v.state["loss"]
    y, p = v.state["targets"][i][j - 1], v.layer(v.L)["a"][i][j - 1]
    yj, tj = yhat(j), f"y_{{{j}}}"
    forms = {
        "mse": (f"{yj} - {tj}", f"{v.n(p)} - {v.op(y)}"),
        "bce": (
            rf"\frac{{{yj} - {tj}}}{{{yj}(1 - {yj})}}",
            rf"\frac{{{v.n(p)} - {v.op(y)}}}{{{v.op(p)}(1 - {v.op(p)})}}",
        ),
        "cce": (rf"-\frac{{{tj}}}{{{yj}}}", rf"-\frac{{{v.n(y)}}}{{{v.n(p)}}}"),
    }
    value = v.n(v.trace["dloss_doutput"][i][j - 1])
    return chain(
        "Gradient of the loss with respect to this output" + v.tag(i), DL % j, *forms[loss], value
    )


def loss_equations(v: View, j: int, i: int) -> list[Chain]:
    if v.trace.get("losses") is None or v.layer(v.L).get("a") is None:
        return []
    eqs = [sample_loss(v, i)] + ([batch_loss(v)] if v.m > 1 else [])
    return eqs + ([dloss(v, j, i)] if v.trace.get("dloss_doutput") is not None else [])


# ---- backward: f'(z), δ and ∂L/∂b ------------------------------------------------------
def derivative(v: View, l: int, j: int, i: int) -> Chain:
    act = v.state["activations"][l - 1]
    z, a = sym("z", l, j), sym("a", l, j)
    zn, an, fp = (v.value(l, key, i, j) for key in ("z", "a", "fprime"))
    lhs = f"{f_sym(act)}'({z})"
    title = "Derivative of the activation" + v.tag(i)
    if act == "sigmoid":
        return chain(title, lhs, f"{a}(1 - {a})", f"{v.op(an)}(1 - {v.op(an)})", v.n(fp))
    if act == "tanh":
        return chain(title, lhs, f"1 - ({a})^2", f"1 - {v.op(an)}^2", v.n(fp))
    if act == "linear":
        return chain(title, lhs, v.n(fp))
    side = ">" if zn > 0 else r"\le"
    return chain(title, lhs, rf"{v.n(fp)} \quad \text{{since }} {z} = {v.n(zn)} {side} 0")


def output_delta(v: View, j: int, i: int) -> list[Chain]:
    act, loss = v.state["activations"][-1], v.state["loss"]
    d, z = sym(DELTA, v.L, j), sym("z", v.L, j)
    delta = v.n(v.value(v.L, "delta", i, j))
    simplified = v.trace.get("output_delta", "simplified" if is_simplified(act, loss) else "")
    simplified = simplified == "simplified"
    agree = ": both forms agree" if simplified else ""
    if act == "softmax":
        jacobian = (
            rf"\sum_i \frac{{\partial \ell}}{{\partial \hat{{y}}_i}} "
            rf"\frac{{\partial \hat{{y}}_i}}{{\partial {z}}}"
        )
        eqs = [chain("Output delta by the chain rule (through the softmax Jacobian)", d, jacobian)]
    else:
        ga, fp = v.value(v.L, "grad_a", i, j), v.value(v.L, "fprime", i, j)
        eqs = [
            chain(
                "Output delta by the chain rule" + agree + v.tag(i),
                d,
                rf"{DL % j} \, {f_sym(act)}'({z})",
                rf"{v.op(ga)} \cdot {v.op(fp)}",
                delta,
            )
        ]
    if simplified:
        y, p = v.state["targets"][i][j - 1], v.layer(v.L)["a"][i][j - 1]
        eqs.append(
            chain(
                f"Output delta, simplified for {act} with {loss}{agree}{v.tag(i)}",
                d,
                f"{yhat(j)} - y_{{{j}}}",
                f"{v.n(p)} - {v.op(y)}",
                delta,
            )
        )
    return eqs


def hidden_delta(v: View, l: int, j: int, i: int) -> list[Chain]:
    act = v.state["activations"][l - 1]
    qs = range(1, len(v.w[l]) + 1)
    w_next, delta_next = v.w[l], v.layer(l + 1)["delta"][i]
    back = rf"\sum_i {sym('w', l + 1, 'i', j)} {sym(DELTA, l + 1, 'i')}"
    expanded = terms([f"{sym('w', l + 1, q, j)} {sym(DELTA, l + 1, q)}" for q in qs])
    numbers = terms([rf"{v.op(w_next[q - 1][j - 1])} \cdot {v.op(delta_next[q - 1])}" for q in qs])
    ga, fp, delta = (v.value(l, key, i, j) for key in ("grad_a", "fprime", "delta"))
    z = sym("z", l, j)
    return [
        chain(f"Error sent back from layer {l + 1}" + v.tag(i), back, expanded, numbers, v.n(ga)),
        chain(
            "Delta" + v.tag(i),
            sym(DELTA, l, j),
            rf"\left({back}\right) {f_sym(act)}'({z})",
            rf"{v.op(ga)} \cdot {v.op(fp)}",
            v.n(delta),
        ),
    ]


def bias_gradient(v: View, l: int, j: int) -> Chain:
    lhs = rf"\frac{{\partial L}}{{\partial {sym('b', l, j)}}}"
    value = v.n(v.layer(l)["grad_biases"][j - 1])
    if v.m == 1:
        return chain("Bias gradient", lhs, sym(DELTA, l, j), value)
    symbolic = rf"\frac{{1}}{{{v.m}}}\sum_{{i=1}}^{{{v.m}}} {sym(DELTA, l, j, 'i')}"
    numbers = mean([v.op(d) for d in v.column(l, "delta", j)], v.m)
    return chain(f"Bias gradient: the mean over {v.m} samples", lhs, symbolic, numbers, value)


def backward_equations(v: View, l: int, j: int, i: int) -> list[Chain]:
    if v.value(l, "delta", i, j) is None:
        return []
    act = v.state["activations"][l - 1]
    eqs = [derivative(v, l, j, i)] if act != "softmax" else []
    eqs += output_delta(v, j, i) if l == v.L else hidden_delta(v, l, j, i)
    if v.layer(l).get("grad_biases") is not None:
        eqs.append(bias_gradient(v, l, j))
    return eqs


# ---- the public function ---------------------------------------------------------------
def neuron_equations(
    state: dict, layer: int, j: int, sample: int = 0, digits: int = 4, aligned: bool = False
) -> list[Equation]:
    """Neuron j (1-based) of `layer` (0 = input … L) for one sample (0-based row): z and a,
    then for the output layer ℓ, L and ∂ℓ/∂ŷ_j, then f'(z), δ and ∂L/∂b, as far as computed.
    aligned=True writes each '=' on its own row (for a narrow panel)."""
    v = View(state, digits)
    check("layer", layer, 0, v.L)
    check("j", j, 1, state["layers"][layer])
    check("sample", sample, 0, v.m - 1)
    if layer == 0:
        return render(
            [
                chain(
                    "Input" + v.tag(sample),
                    f"a^{{0}}_{{{j}}} = x_{{{j}}}",
                    v.n(state["inputs"][sample][j - 1]),
                )
            ],
            aligned,
        )
    chains = [weighted_input(v, layer, j, sample), activation(v, layer, j, sample)]
    if layer == v.L:
        chains += loss_equations(v, j, sample)
    return render(chains + backward_equations(v, layer, j, sample), aligned)
