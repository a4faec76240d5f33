"""A network with its data and the step machine that walks one iteration through it.

    idle → forward layer 1 … L (the loss comes with layer L)
         → backward layer L … 1 (each gives δ^l, ∂L/∂W^l, ∂L/∂b^l)
         → update → updated → (the next forward starts a new iteration)

Indices follow the article: layer 0 is the input, so ``weights[l - 1]`` is W^l and
``trace.layers[l - 1]`` holds layer l. Every call either completes or changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import passes
from .errors import DivergenceError, OrderError
from .history import LossHistory
from .spec import Spec
from .trace import Trace

REMEDY = "Lower the learning rate (try a tenth of it), or reset / undo and start again."


@dataclass
class Previous:
    """The parameters as they were before the last update, and the η it used."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    learning_rate: float


class Network:
    def __init__(self, spec: Spec, weights, biases, inputs, targets, initial=None):
        """weights[l-1]: W^l (N_l, N_{l-1}); biases[l-1]: (N_l,); inputs (m, N_0);
        targets (m, N_L). Arguments are assumed validated (see spec.py / factory.py)."""
        self.spec = spec
        self.weights = list(weights)
        self.biases = list(biases)
        self.inputs = inputs
        self.targets = targets
        self.initial = initial or ([w.copy() for w in weights], [b.copy() for b in biases])
        self.iteration = 0
        self.phase = "idle"
        self.layer = 0
        self.trace = Trace.empty(spec.depth)
        self.previous: Previous | None = None
        self.history = LossHistory()
        self._stage: tuple[str, int | None] = ("", None)

    # ---- where we are ------------------------------------------------------------
    @property
    def depth(self) -> int:
        """L, the number of layers with weights."""
        return len(self.weights)

    @property
    def next_action(self) -> str:
        if self.phase in ("idle", "updated"):
            return "forward"
        if self.phase == "forward":
            return "forward" if self.layer < self.depth else "backward"
        return "backward" if self.layer > 1 else "update"

    def where(self) -> str:
        if self.phase == "idle":
            return "the iteration has not started"
        if self.phase == "updated":
            return f"iteration {self.iteration} is complete (parameters updated)"
        return f"the {self.phase} pass has reached layer {self.layer} of {self.depth}"

    def _require(self, action: str) -> None:
        if self.next_action != action:
            raise OrderError(action, self.next_action, self.where())

    def _run(self, *moves) -> None:
        """Run the moves in order; if any raises, restore every field they change.

        The moves fill in a copy of the trace, never the trace saved here, and replace
        parameter arrays rather than writing into them, so saving references is enough.
        Overflow and invalid operations raise (``np.errstate``); inputs are always finite,
        so a non-finite value cannot appear unnoticed."""
        saved = (self.phase, self.layer, self.trace, self.previous, self.iteration,
                 self.weights, self.biases)
        if self.phase in ("forward", "backward"):
            self.trace = self.trace.copy()
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                for move in moves:
                    move()
        except BaseException as e:
            (self.phase, self.layer, self.trace, self.previous, self.iteration,
             self.weights, self.biases) = saved
            if isinstance(e, FloatingPointError):
                stage, layer = self._stage
                where = stage if layer is None else f"{stage} (layer {layer})"
                raise DivergenceError(where, self.iteration + 1, REMEDY) from None
            raise

    # ---- the steps -----------------------------------------------------------------
    def forward(self, all: bool = False) -> None:
        """Compute the next layer (all=True: every layer left in the forward pass)."""
        self._require("forward")
        self._run(self._forward_one, *([self._forward_rest] if all else []))

    def backward(self, all: bool = False) -> None:
        """Compute δ and the gradients of the next layer down (all=True: down to layer 1)."""
        self._require("backward")
        self._run(self._backward_one, *([self._backward_rest] if all else []))

    def update(self) -> None:
        """W^l ← W^l − η ∂L/∂W^l and b^l ← b^l − η ∂L/∂b^l for every layer."""
        self._require("update")
        self._run(self._update)

    def step(self) -> None:
        """Run the rest of the current iteration, or a whole one from idle / updated."""
        first = [self._forward_one] if self.next_action == "forward" else []
        self._run(*first, self._forward_rest, self._backward_rest, self._update)

    def train(self, iterations: int):
        """Run whole iterations on the fast path; see training.train."""
        from .training import train

        return train(self, iterations)

    # ---- one layer at a time (run by _run, which gives them a trace of their own) --------
    def _forward_rest(self) -> None:
        while self.next_action == "forward":
            self._forward_one()

    def _backward_rest(self) -> None:
        while self.next_action == "backward":
            self._backward_one()

    def _forward_one(self) -> None:
        if self.phase in ("idle", "updated"):
            self.trace, self.previous, self.layer = Trace.empty(self.depth), None, 0
        l = self.layer + 1
        self._stage = ("the forward pass", l)
        spec, t = self.spec, self.trace
        lt = t.layers[l - 1]
        a_prev = self.inputs if l == 1 else t.layers[l - 2].a
        lt.z, lt.a = passes.forward_layer(self.weights[l - 1], self.biases[l - 1], a_prev,
                                          spec.activations[l - 1])
        if l == self.depth:
            self._stage = ("the loss", None)
            t.losses, t.dloss_doutput = passes.output_loss(spec.activations[-1], spec.loss,
                                                           lt.z, lt.a, self.targets)
            t.loss = float(np.add.reduce(t.losses)) / len(t.losses)
        self.phase, self.layer = "forward", l

    def _backward_one(self) -> None:
        l = self.depth if self.phase == "forward" else self.layer - 1
        self._stage = ("the backward pass", l)
        spec, t = self.spec, self.trace
        lt = t.layers[l - 1]
        if l == self.depth:
            lt.grad_a = t.dloss_doutput
            lt.fprime, lt.delta = passes.output_delta(spec.activations[-1], spec.loss, lt.z,
                                                      lt.a, self.targets, lt.grad_a)
        else:
            lt.grad_a, lt.fprime, lt.delta = passes.hidden_delta(
                spec.activations[l - 1], lt.z, lt.a, self.weights[l], t.layers[l].delta)
        a_prev = self.inputs if l == 1 else t.layers[l - 2].a
        lt.grad_w, lt.grad_b = passes.parameter_gradients(lt.delta, a_prev)
        self.phase, self.layer = "backward", l

    def _update(self) -> None:
        self._stage = ("the update", None)
        eta = self.spec.learning_rate
        layers = self.trace.layers
        ws = [w - eta * lt.grad_w for w, lt in zip(self.weights, layers)]
        bs = [b - eta * lt.grad_b for b, lt in zip(self.biases, layers)]
        self.previous = Previous(self.weights, self.biases, eta)
        self.weights, self.biases = ws, bs
        self.trace.learning_rate = eta
        self.iteration += 1
        self.phase, self.layer = "updated", 0
        # Last, once nothing can fail any more: the history grows in place.
        self.history.append(self.iteration, self.trace.loss)

    # ---- edits ------------------------------------------------------------------
    def clear_iteration(self) -> None:
        """Forget the iteration in progress (after an edit of parameters or data)."""
        self.phase, self.layer = "idle", 0
        self.trace, self.previous = Trace.empty(self.depth), None

    def reset(self) -> None:
        """Back to the initial parameters, iteration 0 and an empty loss history."""
        self.weights = [w.copy() for w in self.initial[0]]
        self.biases = [b.copy() for b in self.initial[1]]
        self.iteration = 0
        self.history = LossHistory()
        self.clear_iteration()
