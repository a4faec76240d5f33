"""Practice checks for both routers: the learner's number for one value of the network
(engine/practice) judged at the page's decimals. A check only reads the network the
request loaded: it never changes it (the value is worked out on a copy)."""

from __future__ import annotations

from dataclasses import dataclass

from app.service.records import engine_errors
from app.service.snapshot import Snapshot
from engine.notation import DEFAULT_DIGITS, parts
from engine.practice import MISTAKES, Ask, Verdict, check, parse_number, work

MAX_INDEX = 1_000_000  # a check's largest index; the engine names the real limit (422)
FLOAT_SLACK = 1e-12  # relative: the float64 rounding of the value itself


def tolerance(decimals: int):
    """Half a unit of the last decimal a value shows with `decimals` (app/views/format.py):
    absolute for a value shown in fixed point, relative (of the mantissa's last decimal) for
    one shown in scientific notation, the very large and the very small."""

    def around(value: float) -> float:
        _, exponent = parts(value, decimals)
        shown = decimals if exponent is None else max(1, decimals - 1) - exponent
        return 0.5 * 10.0 ** (-shown) + FLOAT_SLACK * abs(value)

    return around


@dataclass(frozen=True)
class CheckRequest:
    """A check as both routers receive it; sample and every index as the page counts them
    (from 1); `value` as the learner typed it (or a JSON number)."""

    quantity: str
    layer: int
    neuron: int
    value: object
    sample: int | None = None
    input: int | None = None
    decimals: int = DEFAULT_DIGITS
    reveal: bool = False

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())

    def ask(self) -> Ask:
        sample = None if self.sample is None else self.sample - 1
        return Ask(self.quantity, self.layer, self.neuron, sample, self.input)


def judge(snap: Snapshot, req: CheckRequest) -> Verdict:
    """The engine's verdict (422 naming the field, 409 naming what to do first). Show me
    without an answer (`reveal` and a blank value) reveals without judging."""
    with engine_errors():
        if req.reveal and req.blank:
            w = work(snap.net, req.ask())
            return Verdict(False, tolerance(req.decimals)(w.value), w)
        value = parse_number(req.value)
        return check(snap.net, req.ask(), value, tolerance(req.decimals))


def answer(snap: Snapshot, req: CheckRequest, verdict: Verdict) -> dict:
    """The check's JSON answer: the right value only when `reveal` was asked."""
    w, slip = verdict.work, verdict.mistake
    out: dict = {
        "correct": verdict.correct,
        "tolerance": verdict.tolerance,
        "mistake": None,
        "quantity": req.quantity,
        "layer": req.layer,
        "neuron": req.neuron,
        "input": req.input,
        "sample": w.sample + 1 if w.sample is not None else None,
        "equation": w.equation,
        "version": snap.version,
        "iteration": snap.net.iteration,
    }
    if slip is not None:
        title, explanation = MISTAKES[slip.name]
        out["mistake"] = {
            "name": slip.name,
            "title": title,
            "explanation": explanation,
            "expected_under_mistake": slip.value,
            "right_term": slip.right_term,
            "wrong_term": slip.wrong_term,
            "also": verdict.also,
        }
    if req.reveal:
        out["value"] = w.value
    return out


def check_value(snap: Snapshot, req: CheckRequest) -> dict:
    """POST …/check: the verdict on the learner's number as JSON."""
    return answer(snap, req, judge(snap, req))
