"""The equation panel: the article's equations for one neuron, edge or update, with the
numbers of a NetworkState substituted, as LaTeX and as display-mode MathML (latex2mathml).

Nothing is recomputed here: every number shown comes from the state (trace, parameters,
data). A value that is still null has not been computed: its equation is shown without
numbers, or not at all. Indices follow the article: layer 0 is the input, w^l_{jk} joins
neuron k of layer l-1 to neuron j of layer l; j and k are 1-based, ``sample`` is a 0-based
row. After an update the trace belongs to the parameters before it (``state["previous"]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from latex2mathml.converter import convert

from engine.activations import ACTIVATIONS, LEAKY_SLOPE
from engine.losses import LOSSES, is_simplified

MAX_TERMS = 4  # a longer sum shows its first two terms, \cdots and its last term
MAX_DIGITS = 12
DELTA = r"\delta"
DL = r"\frac{\partial \ell}{\partial \hat{y}_{%d}}"  # ∂ℓ/∂ŷ_j


@dataclass
class Equation:
    title: str  # plain words, e.g. "Weighted input"
    latex: str
    mathml: str  # <math display="block">…</math>


class Chain(NamedTuple):
    """A chain of equalities before rendering: lhs = sides[1] = … = result."""

    title: str
    sides: tuple[str, ...]


# Typographic fixes to latex2mathml's output, for browsers' native MathML (Chromium):
# function names as identifiers (an <mo> gets operator spacing) with a thin space where
# TeX puts one, primes beside their function instead of a raised superscript, and the
# spacing circumflex as the hat; aligned rows lined up at '='.
NAMES = "(?:log|tanh|max|relu|lrelu|id|softmax)"
THIN = '<mspace width="0.167em" />'
FIXES = (
    (re.compile(r"<mo>([a-z]{2,})</mo>"), r"<mi>\1</mi>"),
    (re.compile(rf"(</mn>|</mi>|</msub>|</msup>|</msubsup>|</mover>)(<mi>{NAMES}</mi>)"),
     rf"\1{THIN}\2"),
    (re.compile(rf'(<mi>{NAMES}</mi>)(?!<mo stretchy="false">&#x00028;|<msup>)'), rf"\1{THIN}"),
    (re.compile(r"<msup>(<mi>[^<]*</mi>)<mi>&#x02032;</mi></msup>"),
     r'\1<mo lspace="0em" rspace="0em">&#x02032;</mo>'),
    (re.compile(r"<mo>&#x0005E;</mo>"), "<mo>&#x002C6;</mo>"),
    # MathML Core aligns table cells with CSS, not with columnalign
    (re.compile(r'<mtd columnalign="(right|left)"'),
     r'<mtd columnalign="\1" style="text-align: \1; padding-inline: 0"'),
)


@lru_cache(maxsize=4096)
def to_mathml(latex: str) -> str:
    """Display-mode MathML for the LaTeX."""
    mathml = convert(latex, display="block")
    for pattern, replacement in FIXES:
        mathml = pattern.sub(replacement, mathml)
    return mathml


def chain(title: str, *sides: str) -> Chain:
    return Chain(title, sides)


def render(chains: list[Chain], aligned: bool = False) -> list[Equation]:
    """Each chain as one line (sides joined by '='), or aligned: one row per '=', lined up
    at the '=' signs. A side that starts with a minus sign is grouped, so that the minus
    is a sign (no operator spacing), not a subtraction."""
    out = []
    for title, sides in chains:
        sides = tuple(f"{{{s}}}" if s.startswith("-") else s for s in sides)
        if aligned:
            rows = [f"{sides[0]} &= {sides[1]}", *(f"&= {s}" for s in sides[2:])]
            latex = r"\begin{align*} " + r" \\ ".join(rows) + r" \end{align*}"
        else:
            latex = " = ".join(sides)
        out.append(Equation(title, latex, to_mathml(latex)))
    return out


# ---- numbers and symbols ------------------------------------------------------------
def num(x: float, digits: int = 4) -> str:
    """x with `digits` decimals (trailing zeros kept); in scientific form when fewer than
    two significant digits would show, or when |x| ≥ 10⁶."""
    x = float(x) + 0.0  # no "-0.0000"
    if x != 0 and (abs(x) < 10.0 ** -max(digits - 1, 1) or abs(x) >= 1e6):
        mantissa, exponent = f"{x:.{max(digits - 1, 1)}e}".split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return f"{x:.{digits}f}"


def signed(x: float, digits: int = 4) -> str:
    """num(x), grouped when negative so the minus renders as a sign: {-0.0381}."""
    s = num(x, digits)
    return f"{{{s}}}" if s.startswith("-") else s


def operand(x: float, digits: int = 4) -> str:
    """A number inside a substitution: parenthesised when negative or in scientific form."""
    s = num(x, digits)
    return f"({signed(x, digits)})" if s.startswith("-") or r"\times" in s else s


def sym(name: str, layer: int | str, *index: int | str) -> str:
    """name^{layer}_{index…}, e.g. w^{1}_{12}; indices get commas when one has two digits."""
    parts = [str(i) for i in index]
    joined = "".join(parts) if all(len(p) == 1 for p in parts) else ",".join(parts)
    return f"{name}^{{{layer}}}_{{{joined}}}"


def terms(items: list[str]) -> str:
    """a + b + c, or a + b + ⋯ + z when there are more than MAX_TERMS."""
    if len(items) > MAX_TERMS:
        items = [*items[:2], r"\cdots", items[-1]]
    return " + ".join(items)


def mean(items: list[str], m: int) -> str:
    return rf"\frac{{1}}{{{m}}}({terms(items)})"


def yhat(j: int) -> str:
    return rf"\hat{{y}}_{{{j}}}"


# ---- reading the state ----------------------------------------------------------------
class View:
    """Read-only access to a NetworkState, with the parameters its trace was computed with."""

    def __init__(self, state: dict, digits: int):
        check("digits", digits, 1, MAX_DIGITS)
        self.state, self.digits = state, digits
        self.L = len(state["weights"])
        self.m = len(state["inputs"])
        self.trace = state.get("trace") or {}
        prev = state.get("previous")
        self.updated = state["cursor"]["phase"] == "updated" and prev is not None
        source = prev if self.updated else state
        self.w, self.b = source["weights"], source["biases"]  # what the trace used

    def layer(self, l: int) -> dict:
        layers = self.trace.get("layers") or []
        return layers[l - 1] if l <= len(layers) else {}

    def value(self, l: int, key: str, i: int, j: int) -> float | None:
        """trace layer l's `key` for sample i (0-based), neuron j (1-based), or None."""
        rows = self.layer(l).get(key)
        return None if rows is None else rows[i][j - 1]

    def column(self, l: int, key: str, j: int) -> list[float] | None:
        rows = self.layer(l).get(key)
        return None if rows is None else [row[j - 1] for row in rows]

    def a_prev(self, l: int, i: int, k: int) -> float | None:
        return self.state["inputs"][i][k - 1] if l == 1 else self.value(l - 1, "a", i, k)

    def n(self, x: float) -> str:
        return signed(x, self.digits)

    def op(self, x: float) -> str:
        return operand(x, self.digits)

    def tag(self, i: int) -> str:
        return f" (sample {i + 1} of {self.m})" if self.m > 1 else ""


def check(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} is {value!r}; it must be an integer from {low} to {high}")


def f_sym(act: str) -> str:
    return ACTIVATIONS[act].latex


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
        "leaky_relu": ([rf"\operatorname{{lrelu}}({z})", rf"\max({LEAKY_SLOPE} {z}, {z})"],
                       [rf"\max({LEAKY_SLOPE} \cdot {v.op(zn)}, {v.n(zn)})"]),
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
        parts = [rf"[{v.op(t)} \log {v.op(p)} + (1 - {v.op(t)}) \log(1 - {v.op(p)})]"
                 for p, t in pairs]
        numbers = "-" + (parts[0] if len(parts) == 1 else f"({terms(parts)})")
    else:
        parts = [rf"{v.op(t)} \log {v.op(p)}" for p, t in pairs]
        numbers = f"-({terms(parts)})"
    value = v.n(v.trace["losses"][i])
    return chain("Loss for this sample" + v.tag(i), r"\ell", LOSSES[loss].latex, numbers, value)


def batch_loss(v: View) -> Chain:
    symbolic = rf"\frac{{1}}{{{v.m}}}\sum_{{i=1}}^{{{v.m}}} \ell_i"
    numbers = mean([v.op(x) for x in v.trace["losses"]], v.m)
    return chain(f"Batch loss: the mean over {v.m} samples", "L", symbolic, numbers,
                    v.n(v.trace["loss"]))


def dloss(v: View, j: int, i: int) -> Chain:
    loss = v.state["loss"]
    y, p = v.state["targets"][i][j - 1], v.layer(v.L)["a"][i][j - 1]
    yj, tj = yhat(j), f"y_{{{j}}}"
    forms = {
        "mse": (f"{yj} - {tj}", f"{v.n(p)} - {v.op(y)}"),
        "bce": (rf"\frac{{{yj} - {tj}}}{{{yj}(1 - {yj})}}",
                rf"\frac{{{v.n(p)} - {v.op(y)}}}{{{v.op(p)}(1 - {v.op(p)})}}"),
        "cce": (rf"-\frac{{{tj}}}{{{yj}}}", rf"-\frac{{{v.n(y)}}}{{{v.n(p)}}}"),
    }
    value = v.n(v.trace["dloss_doutput"][i][j - 1])
    return chain("Gradient of the loss with respect to this output" + v.tag(i),
                    DL % j, *forms[loss], value)


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
        jacobian = rf"\sum_i \frac{{\partial \ell}}{{\partial \hat{{y}}_i}} " \
                   rf"\frac{{\partial \hat{{y}}_i}}{{\partial {z}}}"
        eqs = [chain("Output delta by the chain rule (through the softmax Jacobian)", d,
                        jacobian)]
    else:
        ga, fp = v.value(v.L, "grad_a", i, j), v.value(v.L, "fprime", i, j)
        eqs = [chain("Output delta by the chain rule" + agree + v.tag(i), d,
                        rf"{DL % j} \, {f_sym(act)}'({z})", rf"{v.op(ga)} \cdot {v.op(fp)}", delta)]
    if simplified:
        y, p = v.state["targets"][i][j - 1], v.layer(v.L)["a"][i][j - 1]
        eqs.append(chain(f"Output delta, simplified for {act} with {loss}{agree}{v.tag(i)}",
                            d, f"{yhat(j)} - y_{{{j}}}", f"{v.n(p)} - {v.op(y)}", delta))
    return eqs


def hidden_delta(v: View, l: int, j: int, i: int) -> list[Chain]:
    act = v.state["activations"][l - 1]
    qs = range(1, len(v.w[l]) + 1)
    w_next, delta_next = v.w[l], v.layer(l + 1)["delta"][i]
    back = rf"\sum_i {sym('w', l + 1, 'i', j)} {sym(DELTA, l + 1, 'i')}"
    expanded = terms([f"{sym('w', l + 1, q, j)} {sym(DELTA, l + 1, q)}" for q in qs])
    numbers = terms([rf"{v.op(w_next[q - 1][j - 1])} \cdot {v.op(delta_next[q - 1])}"
                     for q in qs])
    ga, fp, delta = (v.value(l, key, i, j) for key in ("grad_a", "fprime", "delta"))
    z = sym("z", l, j)
    return [
        chain(f"Error sent back from layer {l + 1}" + v.tag(i), back, expanded, numbers,
                 v.n(ga)),
        chain("Delta" + v.tag(i), sym(DELTA, l, j),
                 rf"\left({back}\right) {f_sym(act)}'({z})", rf"{v.op(ga)} \cdot {v.op(fp)}",
                 v.n(delta)),
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


# ---- the public functions ---------------------------------------------------------------
def neuron_equations(state: dict, layer: int, j: int, sample: int = 0, digits: int = 4,
                     aligned: bool = False) -> list[Equation]:
    """Neuron j (1-based) of `layer` (0 = input … L) for one sample (0-based row): z and a,
    then for the output layer ℓ, L and ∂ℓ/∂ŷ_j, then f'(z), δ and ∂L/∂b, as far as computed.
    aligned=True writes each '=' on its own row (for a narrow panel)."""
    v = View(state, digits)
    check("layer", layer, 0, v.L)
    check("j", j, 1, state["layers"][layer])
    check("sample", sample, 0, v.m - 1)
    if layer == 0:
        return render([chain("Input" + v.tag(sample), f"a^{{0}}_{{{j}}} = x_{{{j}}}",
                             v.n(state["inputs"][sample][j - 1]))], aligned)
    chains = [weighted_input(v, layer, j, sample), activation(v, layer, j, sample)]
    if layer == v.L:
        chains += loss_equations(v, j, sample)
    return render(chains + backward_equations(v, layer, j, sample), aligned)


def edge_equations(state: dict, layer: int, j: int, k: int, digits: int = 4,
                   aligned: bool = False) -> list[Equation]:
    """Edge w^l_{jk}: its weight now, and ∂L/∂w^l_{jk} = (1/m) Σ_i δ^l_{j,i} a^{l-1}_{k,i}
    (symbolic until the backward pass has reached layer l)."""
    v = View(state, digits)
    check("layer", layer, 1, v.L)
    check("j", j, 1, state["layers"][layer])
    check("k", k, 1, state["layers"][layer - 1])
    title = "Weight after the update" if v.updated else "Weight"
    weight = chain(title, sym("w", layer, j, k), v.n(state["weights"][layer - 1][j - 1][k - 1]))
    return render([weight, weight_gradient(v, layer, j, k)], aligned)


def weight_gradient(v: View, l: int, j: int, k: int) -> Chain:
    lhs = rf"\frac{{\partial L}}{{\partial {sym('w', l, j, k)}}}"
    d, a = sym(DELTA, l, j), sym("a", l - 1, k)
    if v.m > 1:
        d, a = sym(DELTA, l, j, "i"), sym("a", l - 1, k, "i")
    symbolic = f"{d} {a}" if v.m == 1 else rf"\frac{{1}}{{{v.m}}}\sum_{{i=1}}^{{{v.m}}} {d} {a}"
    grads, deltas = v.layer(l).get("grad_weights"), v.column(l, "delta", j)
    if grads is None or deltas is None:
        return chain("Weight gradient (not computed yet)", lhs, symbolic)
    products = [rf"{v.op(deltas[i])} \cdot {v.op(v.a_prev(l, i, k))}" for i in range(v.m)]
    numbers = products[0] if v.m == 1 else mean(products, v.m)
    title = "Weight gradient" + (f": the mean over {v.m} samples" if v.m > 1 else "")
    return chain(title, lhs, symbolic, numbers, v.n(grads[j - 1][k - 1]))


def update_equations(state: dict, layer: int, j: int, k: int | None = None, digits: int = 4,
                     aligned: bool = False) -> list[Equation]:
    """The gradient-descent step for w^l_{jk} (or b^l_j when k is None): after the update,
    old − η·gradient = new; before it, the current value, η and the gradient once computed
    (the new value is not shown until the update has made it)."""
    v = View(state, digits)
    check("layer", layer, 1, v.L)
    check("j", j, 1, state["layers"][layer])
    if k is not None:
        check("k", k, 1, state["layers"][layer - 1])
    p = sym("w", layer, j, k) if k is not None else sym("b", layer, j)
    grad = rf"\frac{{\partial L}}{{\partial {p}}}"
    rule = rf"{p} \leftarrow {p} - \eta \, {grad}"
    g = v.layer(layer).get("grad_weights" if k is not None else "grad_biases")
    g = None if g is None else (g[j - 1][k - 1] if k is not None else g[j - 1])

    def pick(params: dict) -> float:
        x = params["weights" if k is not None else "biases"][layer - 1][j - 1]
        return x[k - 1] if k is not None else x

    if v.updated and g is not None:
        eta = v.trace.get("learning_rate") or state["previous"]["learning_rate"]
        step = rf"{v.n(pick(state['previous']))} - {v.op(eta)} \cdot {v.op(g)}"
        return render([chain("Gradient-descent update", rule, step, v.n(pick(state)))], aligned)
    eta, now = v.op(state["learning_rate"]), v.n(pick(state))
    if g is None:
        return render([chain("Update (its gradient comes from the backward pass)", rule,
                             rf"{now} - {eta} \cdot {grad}")], aligned)
    return render([chain("Update (runs next: the new value will be this)", rule,
                         rf"{now} - {eta} \cdot {v.op(g)}")], aligned)
