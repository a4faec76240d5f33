"""Keep every stored network within the bounds the engine accepts on load.

The engine validates a stored network like user input: every weight and bias within
±MAX_ABS_VALUE. A large learning rate can push a parameter past that while it is still
finite, and such a network could no longer be loaded. So a single change that would leave
a parameter out of bounds is refused (422, nothing changed), and `train` stops at the last
iteration within bounds and reports it as divergence, as it does for non-finite values.
"""

from __future__ import annotations

import numpy as np

import engine
from engine.history import LossHistory
from engine.limits import MAX_ABS_VALUE

from .errors import Invalid

CHUNK = 256  # iterations trained between two checks of the bounds
REMEDY = ("Lower the learning rate (try a tenth of it); undo or reset to go back to an "
          "earlier state.")


def largest(net: engine.Network) -> float:
    """max |θ| over every weight and bias."""
    return max(float(np.abs(p).max()) for p in (*net.weights, *net.biases))


def within(net: engine.Network) -> bool:
    return largest(net) <= MAX_ABS_VALUE


def require_within(net: engine.Network) -> None:
    """Refuse a change that leaves a weight or bias beyond ±MAX_ABS_VALUE."""
    if not within(net):
        raise Invalid(
            f"this change would make a weight or bias {largest(net):.3g}, beyond "
            f"±{MAX_ABS_VALUE:g}; nothing was changed. {REMEDY}",
            field="learning_rate", remedy=REMEDY)


def snapshot(net: engine.Network) -> tuple:
    history = LossHistory(net.history.stride, list(net.history.points),
                                         net.history.last)
    return (net.weights, net.biases, net.iteration, history, net.phase, net.layer, net.trace,
            net.previous)


def restore(net: engine.Network, saved: tuple) -> None:
    (net.weights, net.biases, net.iteration, net.history, net.phase, net.layer, net.trace,
     net.previous) = saved


def train(net: engine.Network, iterations: int) -> tuple[int, dict | None]:
    """Train `iterations` iterations in chunks, stopping at the first one that diverges or
    leaves the bounds. Returns (iterations trained, divergence report or None)."""
    done = 0
    while done < iterations:
        saved, count = snapshot(net), min(CHUNK, iterations - done)
        result = net.train(count)
        if not within(net):  # go back and find the iteration that left the bounds
            restore(net, saved)
            more, diverged = train_one_by_one(net, count)
            return done + more, diverged
        done += len(result.losses)
        if result.diverged:
            return done, result.diverged
    return done, None


def train_one_by_one(net: engine.Network, most: int) -> tuple[int, dict | None]:
    for done in range(most):
        saved = snapshot(net)
        result = net.train(1)
        if result.diverged:
            return done, result.diverged
        if not within(net):
            restore(net, saved)
            return done, out_of_bounds(net.iteration + 1)
    return most, None


def out_of_bounds(iteration: int) -> dict:
    return {
        "iteration": iteration,
        "reason": f"a weight or bias grew beyond ±{MAX_ABS_VALUE:g} in iteration {iteration}",
        "remedy": f"{REMEDY} The network is kept at iteration {iteration - 1}, the last one "
        "within bounds.",
    }
