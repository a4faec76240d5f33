"""Practice mode on the lab page: which values stay hidden, the questions for the focused
neuron or edge, and a check's result as the page shows it.

One rule decides what is hidden (`Hiding`): in practice mode, every value the next click
computes. Those values are not in the trace yet, so the diagram and the tables have
nothing to show for them (the diagram's circles of the next forward layer and the tables'
cells are marked as blanks, "?"); the one view that would
show them early is the equation panel's "Update (next)", which runs the update on a copy
(engine.after_update): in practice mode it keeps its results as symbols. The questions'
equations substitute the numbers known before the click and leave the rest as symbols."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from app.views.format import MINUS, fmt
from app.views.model import NetworkModel
from engine.errors import EngineError, SpecError
from engine.notation import sub, sup
from engine.practice import MISTAKES, Ask, Verdict, Work, work
from engine.practice.work import Operand

# which of the next click's values each table column shows (app/views/tables.py COLUMNS)
COLUMN_STAGE = {
    "z": "forward",
    "a": "forward",
    "fprime": "backward",
    "dlda": "backward",
    "delta": "backward",
    "dLdb": "backward",
}


@dataclass(frozen=True)
class Hiding:
    """What the page hides: nothing unless `active`; then the values of the next action
    (`action`: forward, backward or update, at `layer`; update: every layer)."""

    active: bool
    action: str
    layer: int

    def hides(self, stage: str, layer: int) -> bool:
        """Whether the values of `stage` (forward, backward, update) of `layer` wait for
        the learner."""
        if not self.active or stage != self.action:
            return False
        return self.action == "update" or layer == self.layer


def hiding(net: NetworkModel, practice: bool) -> Hiding:
    """The hiding rule of this page (practice: the view's Practice switch)."""
    nxt = net.next
    if nxt == "forward":
        layer = 1 if net.phase in ("idle", "updated") else net.layer + 1
    elif nxt == "backward":
        layer = net.L if net.phase == "forward" else net.layer - 1
    else:
        layer = 0
    return Hiding(practice, nxt, layer)


def mark_blanks(tables: dict, rule: Hiding) -> None:
    """The tables' cells that the next click fills, marked as blanks for the learner (in
    place; they are empty: those values are not computed yet)."""
    if not rule.active:
        return
    for t in tables.get("layers", []):
        keys = [c[0] for c in t["columns"]]
        for row in t["rows"]:
            for key, c in zip(keys, row["cells"]):
                if rule.hides(COLUMN_STAGE.get(key, ""), t["l"]) and not c["text"]:
                    c["blank"] = True
    for t in tables.get("weights", []):
        if rule.hides("backward", t["l"]):
            for row in t["rows"]:
                for c in row["cells"]:
                    c["blank"] = not c["grad"]


# ---- the questions of the focused neuron or edge ------------------------------------------
MOMENTS = {"sgd": (), "momentum": ("v",), "adam": ("m", "v", "m_hat", "v_hat")}
MOMENT_NAMES = {"v": "v", "m": "m", "m_hat": "m̂", "v_hat": "v̂"}


def asks_for(net: NetworkModel, focus: tuple, rule: Hiding) -> list[tuple[str, int | None]]:
    """(quantity, input k) the next click computes for the focused neuron or edge."""
    l = focus[1]
    if l < 1:
        return []
    if focus[0] == "e":
        k = focus[3]
        if rule.hides("backward", l):
            return [("grad_w", k)]
        if rule.hides("update", l):
            return [("w", k), *((q, k) for q in MOMENTS[net.optimizer])]
        return []
    out: list[tuple[str, int | None]] = []
    if rule.hides("forward", l):
        out = [("z", None), ("a", None)]
        out += [("loss", None), ("dloss_doutput", None)] if l == net.L else []
    elif rule.hides("backward", l):
        out = [] if net.activations[l - 1] == "softmax" else [("fprime", None)]
        out += [("delta", None)] + ([("grad_b", None)] if net.has_bias(l) else [])
    elif rule.hides("update", l) and net.has_bias(l):
        trained = not net.frozen(l)
        out = [("b", None), *((q, None) for q in MOMENTS[net.optimizer] if trained)]
    return out


def label(q: str, l: int, j: int, k: int | None) -> str:
    """What the answer box asks for, in symbols: z²₁, ∂L/∂w²₁₂, b²₁ after the update …"""
    theta = f"w{sup(l)}{sub(j)}{sub(k)}" if k is not None else f"b{sup(l)}{sub(j)}"
    at = f"{sup(l)}{sub(j)}"
    names = {
        "z": f"z{at}",
        "a": f"a{at}",
        "loss": "ℓ, this sample's loss",
        "dloss_doutput": f"∂ℓ/∂ŷ{sub(j)}",
        "fprime": f"f′(z{at})",
        "delta": f"δ{at}",
        "grad_w": f"∂L/∂{theta}",
        "grad_b": f"∂L/∂{theta}",
        "w": f"{theta} after the update",
        "b": f"{theta} after the update",
    }
    return names.get(q) or f"{MOMENT_NAMES[q]} of {theta} after the update"


def operand(o: Operand, digits: int, reveal: bool) -> str:
    """One operand of a substitution: its number (negative ones in parentheses) when known
    before the click or revealed, else its symbol."""
    if not (o.known or reveal):
        return o.symbol
    text = f"{o.value:g}".replace("-", MINUS) if o.constant else fmt(o.value, digits)
    return f"({text})" if text.startswith(MINUS) else text


def substituted(w: Work, digits: int, reveal: bool = False) -> str:
    """The right side of the value's equation with the numbers in (those of the next
    click too when `reveal`)."""
    if not w.form:
        return ""
    return w.form.format(*(operand(o, digits, reveal) for o in w.operands))


def questions(net: NetworkModel, focus: tuple, sample: int, digits: int, rule: Hiding) -> list:
    """The answer boxes of the focused element: [{id, quantity, layer, neuron, input,
    sample, label, equation, substituted}], none unless practice is on."""
    if not rule.active:
        return []
    twins: dict = {}
    out = []
    for q, k in asks_for(net, focus, rule):
        l, j = focus[1], focus[2]
        w = answerable(net, Ask(q, l, j, sample, k), twins)
        if w is None:
            continue
        key = "-".join(str(p) for p in (q, l, j, k or 0))
        out.append(
            {
                "id": f"pq-{key}",
                "quantity": q,
                "layer": l,
                "neuron": j,
                "input": k,
                "sample": "" if w.sample is None else w.sample + 1,
                "label": label(q, l, j, k),
                "equation": w.equation,
                "substituted": substituted(w, digits),
            }
        )
    return out


def answerable(net: NetworkModel, ask: Ask, twins: dict) -> Work | None:
    """The ask's work: for the shown sample, or the batch's first when the shown one is
    not in the batch; None when the next click cannot make it (it would diverge: the
    click itself says so)."""
    try:
        try:
            return work(net.net, ask, twins)
        except SpecError:
            return work(net.net, replace(ask, sample=None), twins)
    except EngineError:
        return None


# ---- a check's result -----------------------------------------------------------------------
class CheckRequest(Protocol):
    """What a check asked (app/service/practice.py CheckRequest; read-only)."""

    @property
    def quantity(self) -> str: ...
    @property
    def layer(self) -> int: ...
    @property
    def neuron(self) -> int: ...
    @property
    def input(self) -> int | None: ...
    @property
    def decimals(self) -> int: ...
    @property
    def reveal(self) -> bool: ...
    @property
    def value(self) -> object: ...


def result(verdict: Verdict, req: CheckRequest, net: NetworkModel, value: float) -> dict:
    """What the answer box says after a check (or Show me): correct or not quite, the
    mistake with its term highlighted in the equation, and once answered or revealed the
    worked substitution with the right value."""
    w, d = verdict.work, req.decimals
    shown = verdict.correct or req.reveal
    out = {
        "correct": verdict.correct,
        "revealed": req.reveal,
        "label": label(req.quantity, req.layer, req.neuron, req.input),
        "answer": "" if req.reveal and not str(req.value).strip() else fmt(value, d),
        "equation": w.equation,
        "worked": f"{substituted(w, d, True)} = {fmt(w.value, d)}" if shown else "",
        "mistake": None,
        "record": record(verdict, req, net),
    }
    slip = verdict.mistake
    if slip is not None:
        title, explanation = MISTAKES[slip.name]
        before, found, after = w.equation.partition(slip.right_term)
        out["mistake"] = {
            "title": title,
            "explanation": explanation,
            "expected": fmt(slip.value, d),
            "before": before if found else w.equation,
            "right": slip.right_term,
            "wrong": slip.wrong_term,
            "after": after if found else "",
            "also": [MISTAKES[a][0] for a in verdict.also],
        }
    return out


def record(verdict: Verdict, req: CheckRequest, net: NetworkModel) -> dict:
    """What the page keeps of the check (static/js/practice.js: sessionStorage, per tab)."""
    kind = "output" if req.layer == net.L else "hidden"
    return {
        "network": net.id,
        "iteration": net.iteration + 1,  # the iteration the next click computes (from 1)
        "key": "-".join(str(p) for p in (req.quantity, req.layer, req.neuron, req.input or 0)),
        "correct": verdict.correct,
        "revealed": req.reveal,
        "mistake": verdict.mistake.name if verdict.mistake else "",
        "mistake_title": MISTAKES[verdict.mistake.name][0] if verdict.mistake else "",
        "where": kind,
    }
