"""The update step for one parameter θ (w^l_{jk}, or b^l_j): the network's own optimiser
rule (engine/core/optimisers.py) with the state's numbers.

    sgd:       θ ← θ − η ∂L/∂θ
    momentum:  v ← μ v + ∂L/∂θ;  θ ← θ − η v
    adam:      t ← t + 1;  m ← β₁ m + (1 − β₁) ∂L/∂θ;  v ← β₂ v + (1 − β₂) (∂L/∂θ)²;
               m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  θ ← θ − η m̂ / (√v̂ + ε)

Three phases. Before the backward pass has reached the layer: the rules with the values
known now (θ, η, the optimiser's state) and the gradient as a symbol. Gradient computed,
update not run yet ("runs next"): the same with the gradient's number; a result (v, m, m̂,
the new θ …) is not in the state yet, so it stays a symbol. After the update: every number
from trace.update and `previous`. Nothing is recomputed: 1 − β₁ is written as (1 − 0.9),
never as 0.1.
"""

from __future__ import annotations

from engine.core.optimisers import DEFAULTS

from .mathml import Chain, Equation, chain, render
from .notation import View, check, const, sym

TITLES = {"sgd": "Gradient-descent update", "momentum": "Momentum update", "adam": "Adam update"}


class Step:
    """One parameter's update as LaTeX pieces: each known value as a number, each value
    not in the state yet as None (its equation then keeps the symbol)."""

    def __init__(self, v: View, layer: int, j: int, k: int | None):
        self.v, self.layer, self.j, self.k = v, layer, j, k
        self.p = sym("w", layer, j, k) if k is not None else sym("b", layer, j)
        self.grad = rf"\frac{{\partial L}}{{\partial {self.p}}}"
        g = v.layer(layer).get("grad_weights" if k is not None else "grad_biases")
        self.g = None if g is None else self.pick(g, per_layer=False)
        self.done = v.updated and self.g is not None
        state, upd = v.state, v.trace.get("update") or {}
        if self.done:
            prev = state["previous"]
            self.name = upd.get("optimizer") or prev.get("optimizer") or "sgd"
            self.eta = (
                upd.get("learning_rate") or v.trace.get("learning_rate") or prev["learning_rate"]
            )
            self.old, self.new = self.param(prev), self.param(state)
            self.t_before = (prev.get("optimizer_state") or {}).get("t")
            self.t = upd.get("t")
            self.moments = self.after_update(upd)
        else:
            self.name = state.get("optimizer") or "sgd"
            self.eta, self.old, self.new = state["learning_rate"], self.param(state), None
            opt = state.get("optimizer_state") or {}
            self.t_before, self.t = opt.get("t"), None
            self.moments = {f"{q}_before": self.pick_state(opt.get(q)) for q in ("m", "v")}
        self.constants = {
            **DEFAULTS[self.name],
            **{c: upd[c] for c in DEFAULTS[self.name] if self.done and c in upd},
        }

    # ---- reading one parameter's values -------------------------------------------------
    def pick(self, arrays, per_layer: bool = True) -> float:
        """This parameter's entry of a per-layer list (per_layer) or of layer l's array."""
        x = arrays[self.layer - 1] if per_layer else arrays
        return x[self.j - 1][self.k - 1] if self.k is not None else x[self.j - 1]

    def param(self, params: dict) -> float:
        return self.pick(params["weights" if self.k is not None else "biases"])

    def pick_state(self, part: dict | None) -> float | None:
        """From an optimizer_state entry {"weights": [W^1..], "biases": [b^1..]}."""
        if not part:
            return None
        return self.pick(part["weights" if self.k is not None else "biases"])

    def after_update(self, upd: dict) -> dict:
        """trace.update's quantities (m_before, m, v_before, v, m_hat, v_hat) for θ."""
        layers = upd.get("layers") or []
        quantities = layers[self.layer - 1] if self.layer <= len(layers) else {}
        part = "weights" if self.k is not None else "biases"
        return {q: self.pick(arrays[part], per_layer=False) for q, arrays in quantities.items()}

    # ---- LaTeX pieces -----------------------------------------------------------------
    def n(self, x: float | None) -> str | None:
        return None if x is None else self.v.n(x)

    def op(self, x: float | None, symbol: str) -> str:
        """x as an operand (parenthesised when negative), or `symbol` while x is unknown."""
        return symbol if x is None else self.v.op(x)

    def bare(self, x: float | None, symbol: str) -> str:
        """x on its own (a numerator, under a root), or `symbol` while x is unknown."""
        return symbol if x is None else self.v.n(x)

    def c(self, name: str) -> str:
        return const(self.constants[name])

    def suffix(self) -> str:
        if self.done:
            return ""
        return " (runs next)" if self.g is not None else " (after the backward pass)"


def sides(
    title: str, rule: str | tuple[str, ...], numbers: str | None, result: str | None
) -> Chain:
    """rule = numbers = result, leaving out what is not known (None); a tuple rule is a
    definition (lhs, rhs)."""
    rule = rule if isinstance(rule, tuple) else (rule,)
    return chain(title, *rule, *(s for s in (numbers, result) if s is not None))


def known(*values: float | None) -> bool:
    return any(x is not None for x in values)


def sgd(s: Step) -> list[Chain]:
    rule = rf"{s.p} \leftarrow {s.p} - \eta \, {s.grad}"
    step = rf"{s.v.n(s.old)} - {s.v.op(s.eta)} \cdot {s.op(s.g, s.grad)}"
    if s.done:
        return [chain(TITLES["sgd"], rule, step, s.v.n(s.new))]
    if s.g is None:
        return [chain("Update (its gradient comes from the backward pass)", rule, step)]
    return [chain("Update (runs next: the new value will be this)", rule, step)]


def momentum(s: Step) -> list[Chain]:
    q = s.moments
    v_rule = rf"v \leftarrow \mu \, v + {s.grad}"
    v_nums = rf"{s.c('mu')} \cdot {s.op(q.get('v_before'), 'v')} + {s.op(s.g, s.grad)}"
    p_rule = rf"{s.p} \leftarrow {s.p} - \eta \, v"
    p_nums = rf"{s.v.n(s.old)} - {s.v.op(s.eta)} \cdot {s.op(q.get('v'), 'v')}"
    return [
        sides(
            "Velocity: a decaying sum of gradients" + s.suffix(),
            v_rule,
            v_nums if known(q.get("v_before"), s.g) else None,
            s.n(q.get("v")),
        ),
        sides(TITLES["momentum"] + s.suffix(), p_rule, p_nums, s.n(s.new)),
    ]


def adam(s: Step) -> list[Chain]:
    q, g, b1, b2 = s.moments, s.op(s.g, s.grad), s.c("beta1"), s.c("beta2")
    g2 = f"{g}^2" if s.g is not None else rf"\left({s.grad}\right)^2"
    m, v = s.bare(q.get("m"), "m"), s.bare(q.get("v"), "v")
    m_hat, v_hat = s.bare(q.get("m_hat"), r"\hat{m}"), s.bare(q.get("v_hat"), r"\hat{v}")
    t = "t" if s.t is None else str(s.t)
    tail = s.suffix()
    return [
        sides(
            "Step count" + tail,
            r"t \leftarrow t + 1",
            None if s.t_before is None else f"{s.t_before} + 1",
            None if s.t is None else str(s.t),
        ),
        sides(
            "First moment: a decaying mean of gradients" + tail,
            rf"m \leftarrow \beta_1 m + (1 - \beta_1) \, {s.grad}",
            rf"{b1} \cdot {s.op(q.get('m_before'), 'm')} + (1 - {b1}) \cdot {g}"
            if known(q.get("m_before"), s.g)
            else None,
            s.n(q.get("m")),
        ),
        sides(
            "Second moment: a decaying mean of squared gradients" + tail,
            rf"v \leftarrow \beta_2 v + (1 - \beta_2) \left({s.grad}\right)^2",
            rf"{b2} \cdot {s.op(q.get('v_before'), 'v')} + (1 - {b2}) \cdot {g2}"
            if known(q.get("v_before"), s.g)
            else None,
            s.n(q.get("v")),
        ),
        sides(
            "Bias-corrected first moment" + tail,
            (r"\hat{m}", r"\frac{m}{1 - \beta_1^{t}}"),
            rf"\frac{{{m}}}{{1 - {b1}^{{{t}}}}}" if known(q.get("m"), s.t) else None,
            s.n(q.get("m_hat")),
        ),
        sides(
            "Bias-corrected second moment" + tail,
            (r"\hat{v}", r"\frac{v}{1 - \beta_2^{t}}"),
            rf"\frac{{{v}}}{{1 - {b2}^{{{t}}}}}" if known(q.get("v"), s.t) else None,
            s.n(q.get("v_hat")),
        ),
        sides(
            TITLES["adam"] + tail,
            rf"{s.p} \leftarrow {s.p} - \eta \, "
            rf"\frac{{\hat{{m}}}}{{\sqrt{{\hat{{v}}}} + \epsilon}}",
            rf"{s.v.n(s.old)} - {s.v.op(s.eta)} \cdot "
            rf"\frac{{{m_hat}}}{{\sqrt{{{v_hat}}} + {s.c('eps')}}}",
            s.n(s.new),
        ),
    ]


RULES = {"sgd": sgd, "momentum": momentum, "adam": adam}


def update_equations(
    state: dict, layer: int, j: int, k: int | None = None, digits: int = 4, aligned: bool = False
) -> list[Equation]:
    """The optimiser's update of w^l_{jk} (or b^l_j when k is None), one equation per line
    of its rule: after the update, old values, constants and gradient, then each result;
    before it, the values known so far (a result appears only once the update made it)."""
    v = View(state, digits)
    check("layer", layer, 1, v.L)
    check("j", j, 1, state["layers"][layer])
    if k is not None:
        check("k", k, 1, state["layers"][layer - 1])
    s = Step(v, layer, j, k)
    return render(RULES[s.name](s), aligned)
