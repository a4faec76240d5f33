"""The update step for one parameter θ (w^l_{jk}, or b^l_j): the network's own optimiser
rule (engine/core/optimisers.py) with the network's numbers. A frozen bias has none (it is
kept as it is), and a layer without a bias has no b^l_j to update.

    sgd:       θ ← θ − η ∂L/∂θ
    momentum:  v ← μ v + ∂L/∂θ;  θ ← θ − η v
    adam:      t ← t + 1;  m ← β₁ m + (1 − β₁) ∂L/∂θ;  v ← β₂ v + (1 − β₂) (∂L/∂θ)²;
               m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  θ ← θ − η m̂ / (√v̂ + ε)

Phases. Before the backward pass has reached the layer: the rules with the values known
now (θ, η, the optimiser's state) and the gradient as a symbol. Gradient computed, the
backward pass not complete yet: the same with the gradient's number, the results (v, m,
m̂, the new θ …) as symbols. Backward complete, Update next ("runs next"): every result
too, from the same update run on a copy of the network (engine.after_update), so the new
value shown is exactly the one Update will make. After the update: every number from
trace.update and `previous`. Nothing is recomputed here: 1 − β₁ is written as (1 − 0.9),
never as 0.1.
"""

from __future__ import annotations

from app.views.model import NetworkModel

from .mathml import Chain, Equation, chain, render
from .notation import Writer, check, const, sym

MOMENTS = ("m_before", "m", "v_before", "v", "m_hat", "v_hat")
WAITING = " (after the backward pass)"
TITLES = {"sgd": "Gradient-descent update", "momentum": "Momentum update", "adam": "Adam update"}


class Step:
    """One parameter's update as LaTeX pieces: each known value as a number, each value
    not known yet as None (its equation then keeps the symbol). Which update is shown (the
    one that ran, or the one that comes next) is the read model's to say."""

    def __init__(self, v: Writer, layer: int, j: int, k: int | None, preview: bool = True):
        net = v.net
        self.v, self.layer, self.j, self.k = v, layer, j, k
        self.p = sym("w", layer, j, k) if k is not None else sym("b", layer, j)
        self.grad = rf"\frac{{\partial L}}{{\partial {self.p}}}"
        self.g = net.grad(layer, j, k)
        self.done = net.updated and self.g is not None
        self.name, self.eta, self.constants = net.rule, net.rule_eta, net.rule_constants()
        self.old = net.traced_param(layer, j, k)
        self.new = net.param(layer, j, k) if self.done else None
        self.t_before, self.t = net.step_count(after=False), net.step_count(after=True)
        self.moments = {q: net.optimizer_value(q, layer, j, k) for q in MOMENTS}
        after = None if self.done or self.g is None or not preview else net.after_update
        self.next = after is not None  # Update comes next: its results are known already
        if after is not None:  # the same update run on a copy (engine.after_update)
            self.new = after.param(layer, j, k)
            self.t = after.step_count(after=True)
            self.moments = {q: after.optimizer_value(q, layer, j, k) for q in MOMENTS}

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
        if self.next:
            return " (runs next)"
        return " (once the backward pass is complete)" if self.g is not None else WAITING


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
    if s.new is not None and s.done:
        return [chain(TITLES["sgd"], rule, step, s.v.n(s.new))]
    if s.new is not None:  # Update is next: the value it will make
        return [chain("Update (runs next: the new value will be this)", rule, step, s.v.n(s.new))]
    if s.g is None:
        return [chain("Update (its gradient comes from the backward pass)", rule, step)]
    return [chain("Update (once the backward pass is complete)", rule, step)]


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


def update_chains(
    net: NetworkModel,
    layer: int,
    j: int,
    k: int | None = None,
    digits: int = 4,
    preview: bool = True,
) -> list[Chain]:
    """The optimiser's update of w^l_{jk} (or b^l_j when k is None), one equation per line
    of its rule: after the update, old values, constants and gradient, then each result;
    before it, the values known so far (a result appears only once the update made it,
    or, with `preview`, while Update is next, from the same update run on a copy)."""
    v = Writer(net, digits)
    check("layer", layer, 1, v.L)
    check("j", j, 1, net.layers[layer])
    if k is not None:
        check("k", k, 1, net.layers[layer - 1])
    elif not net.has_bias(layer):
        return []  # no bias term: nothing to update
    elif net.frozen(layer):
        return [frozen_bias(v, layer, j)]
    s = Step(v, layer, j, k, preview)
    return RULES[s.name](s)


def frozen_bias(v: Writer, layer: int, j: int) -> Chain:
    """A frozen bias has no update: it stays as it is."""
    b = sym("b", layer, j)
    return chain("Frozen: the update leaves this bias as it is", b, v.n(v.net.bias(layer, j)))


def update_equations(
    net: NetworkModel,
    layer: int,
    j: int,
    k: int | None = None,
    digits: int = 4,
    aligned: bool = False,
) -> list[Equation]:
    return render(update_chains(net, layer, j, k, digits), aligned)
