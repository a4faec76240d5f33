"""The views' read model: one network as the templates and view-models read it.

Built once per request from the engine's Network (and what the service knows besides: id,
version, undo depth, work limit). Indices are the article's: layer l = 0..L (0 is the
input), neuron j and k from 1, sample i from 0. Nothing is recomputed: every value is the
network's own, or None while it has not been computed.

After an update the trace belongs to the parameters before it; the `traced_*` and
`*_before` accessors and the update's rule, step size and step count are where that rule
lives (`updated` says which case holds).

An iteration runs over its batch (`batch`: the indices of its samples, all m of them unless
the network trains in mini-batches), so the trace has a row for each of the batch's
samples; every per-sample accessor takes the sample's own index i and gives None for a
sample outside the batch."""

from __future__ import annotations

from functools import cached_property

import numpy as np

import engine
from engine.core.losses import is_simplified
from engine.core.optimisers import DEFAULTS

PER_SAMPLE = ("z", "a", "fprime", "grad_a", "delta")  # (m, N_l) each, in the trace


def at(arrays, l: int, j: int, k: int | None) -> float:
    """Entry (j, k) of arrays[l-1] (W^l), or entry j when k is None (b^l)."""
    a = arrays[l - 1]
    return float(a[j - 1] if k is None else a[j - 1, k - 1])


class NetworkModel:
    def __init__(
        self,
        net: engine.Network,
        id: str = "",
        version: int = 0,
        undo_levels: int = 0,
        max_train_iterations: int = 0,
        watching: bool = False,
        watch_id: str = "",
    ):
        spec = net.spec
        self.net, self.id, self.version = net, id, version
        self.watching = watching  # read by its watch id (`id`): no control that changes it
        self.watch_id = watch_id  # its event stream: GET /api/watch/{watch_id}/events
        self.base = f"/w/{id}" if watching else f"/n/{id}"  # the lab page's path
        self.undo_levels, self.max_train_iterations = undo_levels, max_train_iterations
        self.layers, self.activations = list(spec.layers), list(spec.activations)
        self.loss, self.learning_rate, self.optimizer = (
            spec.loss,
            spec.learning_rate,
            spec.optimizer,
        )
        self.dataset, self.test_split = spec.dataset, spec.test_split
        self.seed, self.init, self.init_scale = spec.seed, spec.init, spec.init_scale
        self.iteration, self.L = net.iteration, net.depth
        self.m, self.test_count = len(net.inputs), len(net.test_inputs)
        self.phase, self.layer, self.next = net.phase, net.layer, net.next_action
        self.updated = net.phase == "updated" and net.previous is not None
        self.trace = net.trace
        # the input layer's values a⁰ = φ(x) (the samples themselves without features)
        self.features = None if spec.features is None else list(spec.features)
        self.a0 = net.a0
        self.conventions(net)

    def conventions(self, net: engine.Network) -> None:
        """The conventions, and where the current iteration's batch stands."""
        spec = net.spec
        self.bias_modes = [spec.bias_mode(l) for l in range(1, self.L + 1)]
        self.reduction, self.shuffle = spec.reduction, spec.shuffle
        self.regularization, self.rate = spec.regularization, spec.regularization_rate
        self.batch_size = spec.batch_size
        epoch, batch = net.batch_position()
        self.epoch, self.batch = epoch, [int(i) for i in batch]
        shown = net.iteration - 1 if net.phase == "updated" else net.iteration
        self.batch_number = net.schedule.position(max(shown, 0))[1] + 1  # within the epoch
        self.batches = net.schedule.per_epoch
        self.b = len(self.batch)  # samples in this iteration
        self.minibatch = self.b < self.m
        traced = self.trace.batch
        self._row: dict[int, int] | None = None  # sample → trace row; None: the same
        if traced is not None and len(traced) < self.m:
            self._row = {int(s): r for r, s in enumerate(traced)}

    def has_bias(self, l: int) -> bool:
        return self.bias_modes[l - 1] != "none"

    def frozen(self, l: int) -> bool:
        return self.bias_modes[l - 1] == "frozen"

    def in_batch(self, i: int) -> bool:
        return i in self.batch

    def trace_row(self, i: int) -> int | None:
        """The trace's row of sample i (None when the sample is not in the batch)."""
        return i if self._row is None else self._row.get(i)

    # ---- parameters -----------------------------------------------------------------
    def weight(self, l: int, j: int, k: int) -> float:
        return at(self.net.weights, l, j, k)

    def bias(self, l: int, j: int) -> float:
        return at(self.net.biases, l, j, None)

    def param(self, l: int, j: int, k: int | None = None) -> float:
        """w^l_{jk}, or b^l_j when k is None."""
        return at(self.net.weights if k is not None else self.net.biases, l, j, k)

    def weights(self, l: int) -> list[list[float]]:
        return self.net.weights[l - 1].tolist()

    def biases(self, l: int) -> list[float]:
        return self.net.biases[l - 1].tolist()

    def param_before(self, l: int, j: int, k: int | None = None) -> float | None:
        """The parameter before the update, right after it (None otherwise)."""
        prev = self.net.previous
        if not self.updated or prev is None:
            return None
        return at(prev.weights if k is not None else prev.biases, l, j, k)

    def traced_param(self, l: int, j: int, k: int | None = None) -> float:
        """The parameter the trace was computed with (before the update, after it)."""
        before = self.param_before(l, j, k)
        return self.param(l, j, k) if before is None else before

    def traced_weights(self, l: int) -> list[list[float]]:
        prev = self.net.previous
        return (prev.weights if self.updated and prev else self.net.weights)[l - 1].tolist()

    def traced_biases(self, l: int) -> list[float]:
        prev = self.net.previous
        return (prev.biases if self.updated and prev else self.net.biases)[l - 1].tolist()

    # ---- samples -------------------------------------------------------------------
    def input(self, i: int, k: int) -> float:
        return float(self.net.inputs[i, k - 1])

    def target(self, i: int, j: int) -> float:
        return float(self.net.targets[i, j - 1])

    def inputs(self, i: int) -> list[float]:
        return self.net.inputs[i].tolist()

    def targets(self, i: int) -> list[float]:
        return self.net.targets[i].tolist()

    # ---- the trace -----------------------------------------------------------------
    def rows(self, q: str, l: int) -> np.ndarray | None:
        """Quantity q of layer l for every sample, (m, N_l); a of layer 0 is the input
        layer's, φ(x) with features (the samples themselves without)."""
        if l == 0:
            return self.a0 if q == "a" else None
        return getattr(self.trace.layers[l - 1], q)

    def computed(self, q: str, l: int) -> bool:
        return self.rows(q, l) is not None

    def value(self, q: str, l: int, i: int, j: int) -> float | None:
        """Quantity q (z, a, fprime, grad_a, delta) of neuron j of layer l for sample i."""
        rows, r = self.rows(q, l), (i if l == 0 else self.trace_row(i))
        return None if rows is None or r is None else float(rows[r, j - 1])

    def known(self, q: str, l: int, i: int, j: int) -> float:
        """`value` where the step order guarantees it is computed (a caller checked)."""
        v = self.value(q, l, i, j)
        if v is None:
            raise LookupError(f"{q} of layer {l} is not computed yet")
        return v

    def row(self, q: str, l: int, i: int) -> list[float] | None:
        """Quantity q of every neuron of layer l for sample i."""
        rows, r = self.rows(q, l), (i if l == 0 else self.trace_row(i))
        return None if rows is None or r is None else rows[r].tolist()

    def column(self, q: str, l: int, j: int) -> list[float] | None:
        """Quantity q of neuron j of layer l for every sample of the batch, in its order."""
        rows = self.rows(q, l)
        return None if rows is None else rows[:, j - 1].tolist()

    def grad(self, l: int, j: int, k: int | None = None) -> float | None:
        """∂L/∂w^l_{jk}, or ∂L/∂b^l_j when k is None; None until computed."""
        lt = self.trace.layers[l - 1]
        g = lt.grad_w if k is not None else lt.grad_b
        return None if g is None else float(g[j - 1] if k is None else g[j - 1, k - 1])

    @property
    def batch_loss(self) -> float | None:
        return self.trace.loss

    def sample_losses(self) -> list[float] | None:
        """ℓ_i of each sample of the batch, in its order."""
        losses = self.trace.losses
        return None if losses is None else losses.tolist()

    def sample_loss(self, i: int) -> float | None:
        losses, r = self.trace.losses, self.trace_row(i)
        return None if losses is None or r is None else float(losses[r])

    def dloss(self, i: int, j: int) -> float | None:
        """∂ℓ/∂ŷ_j for sample i."""
        d, r = self.trace.dloss_doutput, self.trace_row(i)
        return None if d is None or r is None else float(d[r, j - 1])

    def dloss_dinput(self, i: int, k: int) -> float | None:
        """∂ℓ_i/∂x_k for sample i, once the backward pass has reached layer 1."""
        d, r = self.trace.dloss_dinput, self.trace_row(i)
        return None if d is None or r is None else float(d[r, k - 1])

    @property
    def data_loss(self) -> float | None:
        return self.trace.data_loss

    @property
    def penalty(self) -> float | None:
        """Ω, with regularisation (None without, or before the loss)."""
        return self.trace.penalty if self.regularization != "none" else None

    @property
    def simplified(self) -> bool:
        """Whether δ^L is ŷ − y (sigmoid with bce, softmax with cce)."""
        return is_simplified(self.activations[-1], self.loss)

    # ---- the update the equations show -----------------------------------------------
    @property
    def rule(self) -> str:
        """The optimiser of the update shown: the one that ran, else the one that will."""
        upd = self.trace.update
        return upd["optimizer"] if self.updated and upd else self.optimizer

    @property
    def rule_eta(self) -> float:
        upd = self.trace.update
        return upd["learning_rate"] if self.updated and upd else self.learning_rate

    def rule_constants(self) -> dict:
        upd = self.trace.update
        constants = DEFAULTS[self.rule]
        return (
            {c: upd.get(c, v) for c, v in constants.items()}
            if self.updated and upd
            else dict(constants)
        )

    def step_count(self, after: bool) -> int | None:
        """Adam's t before the update shown, or after it (None until it ran)."""
        prev, upd = self.net.previous, self.trace.update
        if after:
            return upd.get("t") if self.updated and upd else None
        state = prev.optimizer_state if self.updated and prev else self.net.optimizer_state
        return state.get("t")

    def optimizer_value(self, q: str, l: int, j: int, k: int | None = None) -> float | None:
        """The optimiser's quantity q (m_before, m, v_before, v, m_hat, v_hat) for one
        parameter: from the update that ran, or before it the state it will start from."""
        upd = self.trace.update
        if self.updated and upd:
            parts = upd["layers"][l - 1].get(q)
            return (
                None
                if parts is None
                else at([parts["weights" if k is not None else "biases"]], 1, j, k)
            )
        if not q.endswith("_before") or q[: -len("_before")] not in self.net.optimizer_state:
            return None
        arrays = self.net.optimizer_state[q[: -len("_before")]]
        return at(arrays if k is not None else arrays[self.L :], l, j, k)

    @cached_property
    def after_update(self) -> NetworkModel | None:
        """The read model of this network after its next Update, while Update is next
        (engine.after_update runs it on a copy; made once, on first use), else None."""
        twin = engine.after_update(self.net)
        return None if twin is None else NetworkModel(twin)

    # ---- the loss shown -------------------------------------------------------------
    @property
    def last_loss(self) -> float | None:
        """The batch loss shown in the status line: the trace's, else the latest trained."""
        if self.trace.loss is not None:
            return self.trace.loss
        last = self.net.history.last
        return None if last is None else last[1]
