"""A network with its data and the step machine that walks one iteration through it.

    idle → forward layer 1 … L (the loss comes with layer L)
         → backward layer L … 1 (each gives δ^l, ∂L/∂W^l, ∂L/∂b^l)
         → update → updated → (the next forward starts a new iteration)

An iteration runs over one batch of samples (batches.py: all of them unless the network
trains in mini-batches). Its loss is L = L_data + Ω (penalties.py), and the update moves
every weight and every trained bias (conventions.py: frozen biases and layers without a
bias are never updated).

Indices follow the article: layer 0 is the input, so ``weights[l - 1]`` is W^l and
``trace.layers[l - 1]`` holds layer l. Every call either completes or changes nothing.
"""

from __future__ import annotations

import numpy as np

from ..errors import DivergenceError, OrderError
from ..limits import MAX_RECORDS
from . import features, measures, moves, optimisers, passes
from .batches import Schedule
from .history import LossHistory
from .moves import Previous
from .records import measure
from .spec import Spec
from .trace import Trace

PHASES = ("idle", "forward", "backward", "updated")  # where the iteration stands
ACTIONS = ("forward", "backward", "update")  # what may come next
REMEDY = "Lower the learning rate (try a tenth of it), or reset / undo and start again."


class Network:
    def __init__(
        self,
        spec: Spec,
        weights,
        biases,
        inputs,
        targets,
        initial=None,
        test_inputs=None,
        test_targets=None,
    ):
        """weights[l-1]: W^l (N_l, N_{l-1}); biases[l-1]: (N_l,); inputs (m, n) with n the
        spec's raw_inputs (N_0, or 2 with features: the input layer is then a⁰ = φ(x));
        targets (m, N_L), the training samples; test_inputs (k, n) and test_targets
        (k, N_L), held-out samples never trained on (k may be 0). Arguments are assumed
        validated (see core/spec.py / factory.py)."""
        self.spec = spec
        self.weights = list(weights)
        self.biases = list(biases)
        self.inputs = inputs
        self.targets = targets
        self.test_inputs = np.empty((0, spec.raw_inputs)) if test_inputs is None else test_inputs
        self.test_targets = np.empty((0, spec.layers[-1])) if test_targets is None else test_targets
        self.initial = initial or ([w.copy() for w in weights], [b.copy() for b in biases])
        self.iteration = 0
        self.phase = "idle"
        self.layer = 0
        self.trace = Trace.empty(spec.depth)
        self.previous: Previous | None = None
        self.history = LossHistory()
        self.test_history = LossHistory()  # the test loss, when there are test samples
        # a classifier's accuracy on its training and test samples (runs.py: their ghosts)
        self.accuracy_history, self.test_accuracy_history = LossHistory(), LossHistory()
        self.changes: list[dict] = []  # marks where the network changed (runs.py)
        self.ghosts: list[dict] = []  # earlier runs kept to compare against (runs.py)
        self.optimizer_state = self.fresh_optimizer_state()
        self._records: list = []  # see `records`
        self.last_divergence: dict | None = None  # from the last train call, if it diverged
        self._stage: tuple[str, int | None] = ("", None)
        self._schedule: Schedule | None = None

    # ---- where we are ------------------------------------------------------------
    @property
    def next_action(self) -> str:
        if self.phase in ("idle", "updated"):
            return "forward"
        if self.phase == "forward":
            return "forward" if self.layer < self.depth else "backward"
        return "backward" if self.layer > 1 else "update"

    @property
    def schedule(self) -> Schedule:
        """Which samples each iteration uses (kept while the samples and the spec's batch
        fields stay the same)."""
        spec, m = self.spec, len(self.inputs)
        args = (m, spec.batch_size, spec.shuffle, spec.seed)
        if self._schedule is None or self._schedule.args != args:
            self._schedule = Schedule(*args)
        return self._schedule

    def batch_position(self) -> tuple[int, np.ndarray]:
        """(epoch, batch) of the current iteration: its epoch, counted from 1, and the
        indices of its samples. The current iteration is the one in progress, the one just
        updated (phase updated: the trace's), or else the one the next Forward starts."""
        it = self.iteration - 1 if self.phase == "updated" else self.iteration
        epoch = self.schedule.position(max(it, 0))[0] + 1
        if self.phase != "idle" and self.trace.batch is not None:
            return epoch, self.trace.batch
        return epoch, self.schedule.batch(it)

    @property
    def spec(self) -> Spec:
        return self._spec

    @spec.setter
    def spec(self, value: Spec) -> None:
        """A new spec moves L, the number of layers with weights (a change of shape)."""
        self._spec = value
        self.depth = value.depth

    def input_layer(self, x: np.ndarray) -> np.ndarray:
        """a⁰ for samples x (…, raw inputs): φ(x) with features (features.py), else x."""
        return features.apply(self.spec.features, x)

    @property
    def a0(self) -> np.ndarray:
        """a⁰ of every training sample, (m, N_0) (the inputs themselves without features)."""
        return self.input_layer(self.inputs)

    @property
    def test_a0(self) -> np.ndarray:
        """a⁰ of every held-out sample, (k, N_0)."""
        return self.input_layer(self.test_inputs)

    def bias_or_none(self, l: int) -> np.ndarray | None:
        """b^l, or None for a layer without a bias term."""
        return self.biases[l - 1] if self.spec.with_bias[l - 1] else None

    def trained_biases(self) -> list[np.ndarray | None]:
        """b^1..b^L, None where the bias is frozen or absent (no optimiser state, no update)."""
        return [b if t else None for b, t in zip(self.biases, self.spec.trained_bias)]

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
        saved = (
            self.phase,
            self.layer,
            self.trace,
            self.previous,
            self.iteration,
            self.weights,
            self.biases,
            self.optimizer_state,
        )
        if self.phase in ("forward", "backward"):
            self.trace = self.trace.copy()
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                for move in moves:
                    move()
        except BaseException as e:
            (
                self.phase,
                self.layer,
                self.trace,
                self.previous,
                self.iteration,
                self.weights,
                self.biases,
                self.optimizer_state,
            ) = saved
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
        """W^l ← W^l − η ∂L/∂W^l and b^l ← b^l − η ∂L/∂b^l for every layer, or the
        network's optimiser's rule (momentum, adam); see optimisers.py."""
        self._require("update")
        self._run(self._update)

    def step(self) -> None:
        """Run the rest of the current iteration, or a whole one from idle / updated."""
        first = [self._forward_one] if self.next_action == "forward" else []
        self._run(*first, self._forward_rest, self._backward_rest, self._update)

    def train(self, iterations: int, stop=None):
        """Run whole iterations on the fast path, or fewer when `stop` (fast/stopping.py:
        a loss to go below, an accuracy to reach) is met; see training.train."""
        from ..fast.training import train

        return train(self, iterations, stop)

    # ---- one layer at a time (run by _run, which gives them a trace of their own) --------
    def _forward_rest(self) -> None:
        while self.next_action == "forward":
            self._forward_one()

    def _backward_rest(self) -> None:
        while self.next_action == "backward":
            self._backward_one()

    def _forward_one(self) -> None:
        moves.forward_one(self)

    def _backward_one(self) -> None:
        moves.backward_one(self)

    def _update(self) -> None:
        moves.update(self)

    # ---- state beside the parameters ----------------------------------------------
    def test_loss(self) -> float | None:
        """The data loss (no penalty: it measures the fit) over the held-out samples with
        the current parameters; None without them."""
        spec = self.spec
        if not len(self.test_inputs):
            return None
        return passes.batch_loss(
            spec.activations,
            spec.loss,
            self.weights,
            [self.bias_or_none(l) for l in range(1, self.depth + 1)],
            self.test_a0,
            self.test_targets,
            spec.reduction,
        )

    def accuracies(self, outputs=None) -> tuple[float | None, float | None]:
        """(training accuracy, test accuracy) with the current parameters (measures.py);
        None for a network that does not classify, or without test samples. `outputs`:
        a^L of every training sample (rows as the targets'), when already computed."""
        if not measures.classifies(self.spec.loss):
            return None, None
        biases = [self.bias_or_none(l) for l in range(1, self.depth + 1)]
        test = None
        if len(self.test_targets):
            ys = passes.outputs(self.spec.activations, self.weights, biases, self.test_a0)
            test = measures.accuracy(ys, self.test_targets)
        if outputs is None:
            outputs = passes.outputs(self.spec.activations, self.weights, biases, self.a0)
        return measures.accuracy(outputs, self.targets), test

    def record_accuracy(self, iteration: int, train: float | None, test: float | None) -> None:
        if train is not None:
            self.accuracy_history.append(iteration, train)
        if test is not None:
            self.test_accuracy_history.append(iteration, test)

    def fresh_optimizer_state(self) -> dict:
        """The optimiser's state before its first update (zeros), over W^1..W^L, b^1..b^L
        (None for biases that are not trained)."""
        params = [*self.weights, *self.trained_biases()]
        return optimisers.initial_state(self.spec.optimizer, params)

    @property
    def records(self) -> list[dict]:
        """The latest (at most MAX_RECORDS) records (see records.py), oldest first: one
        per traced update and one per fast-path chunk. A traced update keeps the arguments
        of its record (arrays of its trace, which steps never write into), and the record
        is measured when first read, which keeps the step itself fast."""
        if not all(type(r) is dict for r in self._records):
            self._records = [r if type(r) is dict else measure(*r) for r in self._records]
        return self._records

    @records.setter
    def records(self, records: list[dict]) -> None:
        self._records = list(records)

    def add_records(self, records: list) -> None:
        """Keep the latest MAX_RECORDS records (a new list: never in place)."""
        self._records = (self._records + records)[-MAX_RECORDS:]

    # ---- edits ------------------------------------------------------------------
    def clear_iteration(self) -> None:
        """Forget the iteration in progress (after an edit of parameters or data)."""
        self.phase, self.layer = "idle", 0
        self.trace, self.previous = Trace.empty(self.depth), None

    def reset(self) -> None:
        """Back to the initial parameters, iteration 0, a fresh optimiser state, and empty
        loss and accuracy histories, marks and diagnostics (a new run: the ghosts of kept
        runs stay)."""
        self.weights = [w.copy() for w in self.initial[0]]
        self.biases = [b.copy() for b in self.initial[1]]
        self.iteration = 0
        self.history, self.test_history = LossHistory(), LossHistory()
        self.accuracy_history, self.test_accuracy_history = LossHistory(), LossHistory()
        self.changes = []
        self.optimizer_state = self.fresh_optimizer_state()
        self.records, self.last_divergence = [], None
        self.clear_iteration()
