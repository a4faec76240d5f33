"""When training stops by itself before its iterations are done: the loss fell below a
value, or the training accuracy reached one (a classifier's).

The loss L of each iteration is known as it runs (the fast path computes it a chunk at a
time), so training stops right after the first iteration whose loss is below
`loss_below`. The accuracy is measured at the end of each chunk (at most CHUNK iterations,
runner.py; with the parameters the chunk's last iteration started from, as the test loss
is), so training stops at the end of the first chunk whose accuracy is at least
`accuracy`. A number of iterations is the train call's own count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.measures import classifies
from ..errors import SpecError


@dataclass(frozen=True)
class Stop:
    loss_below: float | None = None  # stop once L < this
    accuracy: float | None = None  # stop once the training accuracy ≥ this (0 < a ≤ 1)

    def loss_hit(self, losses: np.ndarray) -> int | None:
        """The index of the first loss below `loss_below` (None: none is)."""
        if self.loss_below is None:
            return None
        below = np.flatnonzero(losses < self.loss_below)
        return int(below[0]) if below.size else None

    def accuracy_hit(self, accuracy: float | None) -> bool:
        return self.accuracy is not None and accuracy is not None and accuracy >= self.accuracy


def check_stop(value, loss: str) -> Stop | None:
    """{"loss_below": x > 0, "accuracy": 0 < a ≤ 1} (either, both or neither) → a Stop, or
    None for none; the accuracy only for a network that classifies (its `loss`)."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - {"loss_below", "accuracy"}:
        raise SpecError("stop", "must be {loss_below, accuracy}: a loss to go below, an accuracy")
    below, acc = value.get("loss_below"), value.get("accuracy")
    if below is not None and not (number(below) and below > 0):
        raise SpecError("stop.loss_below", f"is {below!r}; it must be a number above 0")
    if acc is not None:
        if not (number(acc) and 0 < acc <= 1):
            raise SpecError(
                "stop.accuracy", f"is {acc!r}; it must be a share above 0 and at most 1 (100 %)"
            )
        if not classifies(loss):
            raise SpecError(
                "stop.accuracy",
                f"this network does regression (loss {loss}): it has no accuracy; stop on "
                "the loss instead",
            )
    if below is None and acc is None:
        return None
    return Stop(None if below is None else float(below), None if acc is None else float(acc))


def number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def reason(stop: Stop, kind: str, iteration: int, value: float) -> dict:
    """{"iteration", "reason"} of a stop."""
    if kind == "loss":
        words = f"the loss {value:.4g} fell below {stop.loss_below:g} at iteration {iteration}"
    else:
        words = f"the training accuracy reached {value:.0%} at iteration {iteration}"
    return {"iteration": iteration, "kind": kind, "reason": words}
