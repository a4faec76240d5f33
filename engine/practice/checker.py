"""The check: is the learner's number the right one, and if not, which mistake gives it?

Right when it lies within the tolerance of the right value (the caller's rule: half a unit
of the last decimal the page shows). Otherwise each applicable mistake (work.py) whose
number differs from the right one by more than the tolerance is a candidate, and the
learner's number matches it when it lies within the tolerance of that number. When several
match (two mistakes can give the same number), the first in MISTAKES' order is named and
the others are listed as `also`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..core.network import Network
from .asks import Ask
from .mistakes import ORDER
from .work import Slip, Work, work

Tolerance = Callable[[float], float]  # the tolerance around a value


@dataclass
class Verdict:
    correct: bool
    tolerance: float  # around the right value
    work: Work
    mistake: Slip | None = None
    also: list[str] = field(default_factory=list)  # other mistakes giving the same number

    @property
    def value(self) -> float:
        return self.work.value


def close(x: float, target: float, tolerance: Tolerance) -> bool:
    return abs(x - target) <= tolerance(target)


def distinct(w: Work, tolerance: Tolerance) -> list[Slip]:
    """The mistakes whose number is not the right one, most common first."""
    out = [s for s in w.slips if not close(s.value, w.value, tolerance)]
    return sorted(out, key=lambda s: ORDER[s.name])


def check(net: Network, ask: Ask, value: float, tolerance: Tolerance) -> Verdict:
    """The verdict on the learner's `value` for `ask` (SpecError / NotAskable when the ask
    names nothing or comes later in the iteration); `net` is not changed."""
    w = work(net, ask)
    tol = tolerance(w.value)
    if abs(value - w.value) <= tol:
        return Verdict(True, tol, w)
    matching = [s for s in distinct(w, tolerance) if close(value, s.value, tolerance)]
    if not matching:
        return Verdict(False, tol, w)
    return Verdict(False, tol, w, matching[0], [s.name for s in matching[1:]])
