"""Pydantic models of every JSON request and response, carrying the bounds.

Families: `NetworkCreate` (POST body), `NetworkUpdate` (PATCH body), `ForwardBackward` and
`TrainRequest` (step bodies), `NetworkState` (every answer about a network), `TrainedState`,
`GradCheck`, `PresetSummary` and `ErrorBody`. Matrices are nested lists: ``weights[l-1]`` is
W^l with N_l rows (j) of N_{l-1} columns (k); ``inputs`` and ``targets`` have one row per
sample. Requests forbid unknown fields so that a typo is an error, not silently ignored.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.api.fields import (
    MAX_DEPTH,
    Action,
    ActivationName,
    BatchSize,
    Bias,
    Biases,
    Column,
    Columns,
    CsvText,
    Dataset,
    Features,
    InitName,
    InitScale,
    Inputs,
    LearningRate,
    LossName,
    Neurons,
    OptimizerName,
    Phase,
    PresetName,
    Reduction,
    Regularization,
    RegularizationRate,
    Request,
    Seed,
    Targets,
    TestSplit,
    Weights,
)
from app.service.sharing import MAX_TITLE
from engine import limits
from engine.core import runs

Curve = list[tuple[int, float]]


class KeptRun(Request):
    """A run kept to compare against: its curves frozen, its settings for the legend."""

    number: int = Field(1, strict=True, ge=1, description="its number (run 1, run 2, …)")
    label: str = Field(min_length=1, max_length=runs.MAX_LABEL)
    settings: dict = Field(
        description="what the run used: optimizer, learning_rate, seed, init, layers, "
        "activations, features"
    )
    iteration: int = Field(0, strict=True, ge=0, description="where the run had got to")
    loss: Curve = Field([], max_length=runs.GHOST_POINTS, description="[iteration, L] pairs")
    test_loss: Curve = Field([], max_length=runs.GHOST_POINTS)
    accuracy: Curve = Field([], max_length=runs.GHOST_POINTS)
    test_accuracy: Curve = Field([], max_length=runs.GHOST_POINTS)


class NetworkCreate(Request):
    """A preset, a full spec, or a preset with overrides (explicit fields win)."""

    preset: PresetName | None = None
    layers: list[Neurons] | None = Field(
        None,
        min_length=limits.MIN_LAYERS,
        max_length=limits.MAX_LAYERS,
        description="neurons per layer, input layer first",
    )
    activations: list[ActivationName] | None = Field(
        None, min_length=1, max_length=MAX_DEPTH, description="one per layer after the input"
    )
    loss: LossName | None = None
    learning_rate: LearningRate | None = None
    init: InitName | None = None
    init_scale: InitScale | None = None
    seed: Seed | None = None
    weights: Weights | None = None
    biases: Biases | None = None
    optimizer: OptimizerName | None = None
    dataset: Dataset | None = None
    inputs: Inputs | None = None
    targets: Targets | None = None
    test_split: TestSplit | None = None
    test_inputs: Inputs | None = None
    test_targets: Targets | None = None
    csv: CsvText | None = None
    csv_inputs: Columns | None = None
    csv_targets: Columns | None = None
    csv_label: Column | None = None
    bias: Bias | None = None
    reduction: Reduction | None = Field(None, description="mean (the default) or sum")
    batch_size: BatchSize | None = None
    shuffle: bool | None = Field(
        None, strict=True, description="a new order of the samples every epoch (default true)"
    )
    regularization: Regularization | None = Field(
        None, description="none (the default), l2 or l1, on the weights"
    )
    regularization_rate: RegularizationRate | None = None
    features: Features | None = Field(
        None, description="the input layer's features (the input layer has one neuron each)"
    )
    ghosts: list[KeptRun] | None = Field(
        None, max_length=runs.MAX_GHOSTS, description="kept runs to compare against"
    )

    def config(self) -> dict:
        """The engine's create config: the fields that were given."""
        return self.model_dump(exclude_none=True)


class NetworkUpdate(Request):
    """An edit: any of these fields, at least one. Changing parameters, data, the loss or a
    convention clears the iteration in progress; changing only the learning rate or the
    optimizer keeps it."""

    learning_rate: LearningRate | None = None
    optimizer: OptimizerName | None = Field(
        None, description="a new optimizer starts from a fresh state (zero moments)"
    )
    weights: Weights | None = None
    biases: Biases | None = None
    inputs: Inputs | None = None
    targets: Targets | None = None
    loss: LossName | None = Field(None, description="it must suit the output layer and targets")
    bias: Bias | None = Field(
        None,
        description="a bias that becomes none is set to zero; one that becomes trained "
        "starts its optimiser state afresh",
    )
    reduction: Reduction | None = None
    batch_size: BatchSize | None = Field(
        None, description="1 to the number of training samples (that number: the whole batch)"
    )
    shuffle: bool | None = Field(None, strict=True)
    regularization: Regularization | None = None
    regularization_rate: RegularizationRate | None = None
    layers: list[Neurons] | None = Field(
        None,
        min_length=limits.MIN_LAYERS,
        max_length=limits.MAX_LAYERS,
        description="new hidden layers (input and output stay): the weights of every neuron "
        "that stays are kept exactly, new ones drawn from the initialiser and seed; layers "
        "grow and shrink at their end, hidden layers come and go before the output",
    )
    activations: list[ActivationName] | None = Field(
        None, min_length=1, max_length=MAX_DEPTH, description="one per layer after the input"
    )
    features: Features | None = Field(
        None, description="switch input features on or off: the weights of those that stay are kept"
    )
    init: InitName | None = Field(None, description="new initial parameters: a new run")
    init_scale: InitScale | None = Field(None, description="new initial parameters: a new run")
    seed: Seed | None = Field(
        None, description="new initial parameters from this seed: a new run from iteration 0"
    )
    title: str | None = Field(
        None,
        max_length=MAX_TITLE,
        description="the network's title: one line, at most 80 characters (not undone)",
    )

    @model_validator(mode="after")
    def at_least_one(self) -> NetworkUpdate:
        if all(value is None for _, value in self):
            names = ", ".join(type(self).model_fields)
            raise ValueError(f"give at least one of {names}")
        return self

    def edits(self) -> dict:
        """The engine's edits: every field given but the title."""
        return self.model_dump(exclude_none=True, exclude={"title"})


class RegenerateRequest(Request):
    """New samples from a dataset (a new seed gives new samples) and / or a new split of
    them into training and test samples; at least one of the two."""

    dataset: Dataset | None = Field(None, description="default: the network's own dataset")
    test_split: TestSplit | None = Field(None, description="default: the network's split")

    @model_validator(mode="after")
    def at_least_one(self) -> RegenerateRequest:
        if self.dataset is None and self.test_split is None:
            raise ValueError(
                "give a dataset (a name or {name, samples, noise, seed}), a test_split, or both"
            )
        return self


class ForwardBackward(Request):
    all: bool = Field(
        False, strict=True, description="false: one layer; true: the rest of the pass"
    )


class StopCondition(Request):
    loss_below: float | None = Field(
        None, strict=False, allow_inf_nan=False, gt=0, description="stop once L is below this"
    )
    accuracy: float | None = Field(
        None,
        strict=False,
        allow_inf_nan=False,
        gt=0,
        le=1,
        description="stop once the training accuracy reaches this share (classifiers; "
        "measured once a chunk)",
    )


class TrainRequest(Request):
    iterations: int = Field(
        strict=True,
        ge=1,
        le=limits.MAX_ITERATIONS,
        description="whole iterations to run (also capped by the work "
        "limit: see max_train_iterations in the NetworkState)",
    )
    stop: StopCondition | None = Field(
        None, description="stop early: when the loss falls below a value, the accuracy reaches one"
    )


class KeepRequest(Request):
    label: str | None = Field(
        None,
        min_length=1,
        max_length=runs.MAX_LABEL,
        description="the ghost's label (default: run n and its settings)",
    )


# ---- responses -----------------------------------------------------------------------
Grid = list[list[float]]


class Cursor(BaseModel):
    phase: Phase = Field(description="idle | forward | backward | updated")
    layer: int = Field(description="the layer last computed (0 when idle or updated)")
    next: Action = Field(description="the action allowed next")


class LayerTrace(BaseModel):
    """Layer l's values, each null until computed; rows are the samples of the iteration's
    batch (`batch`: all m of them unless the network trains in mini-batches)."""

    z: Grid | None = Field(None, description="z^l = W^l a^{l-1} + b^l, (m, N_l)")
    a: Grid | None = Field(None, description="a^l = f(z^l), (m, N_l)")
    fprime: Grid | None = Field(None, description="f'(z^l), (m, N_l); null for softmax")
    grad_a: Grid | None = Field(None, description="∂ℓ/∂a^l, (m, N_l)")
    delta: Grid | None = Field(None, description="δ^l = ∂ℓ/∂z^l, (m, N_l)")
    grad_weights: Grid | None = Field(
        None, description="∂L/∂W^l, (N_l, N_{l-1}): the data's part plus the penalty's"
    )
    grad_biases: list[float] | None = Field(
        None, description="∂L/∂b^l, (N_l,); always null for a layer without a bias"
    )
    grad_weights_data: Grid | None = Field(
        None, description="the data loss's part of ∂L/∂W^l; null without regularization"
    )
    grad_weights_penalty: Grid | None = Field(
        None, description="the penalty's part: λ W^l (l2) or λ sign(W^l) (l1); null without"
    )


class UpdateDetails(BaseModel):
    """The update's equation values: the rule, η, the rule's constants (momentum: mu; adam:
    beta1, beta2, eps and the step count t) and per layer each quantity of the rule."""

    model_config = ConfigDict(extra="allow")  # the rule's constants

    optimizer: OptimizerName
    learning_rate: float
    layers: list[dict[str, dict[str, list | None]]] = Field(
        description="per layer l = 1..L, {quantity: {weights: (N_l, N_{l-1}), biases: "
        "(N_l,), null for a frozen bias or none}}; momentum: v_before, v; adam: m_before, m, "
        "v_before, v, m_hat, v_hat; sgd: none"
    )


class Trace(BaseModel):
    layers: list[LayerTrace] = Field(description="one entry per layer 1..L")
    batch: list[int] | None = Field(
        None, description="the indices (from 0) of the samples this iteration uses, ascending"
    )
    losses: list[float] | None = Field(None, description="ℓ_i per sample of the batch, (b,)")
    data_loss: float | None = Field(
        None, description="L_data: the mean (or, for reduction sum, the sum) of ℓ_i"
    )
    penalty: float | None = Field(None, description="Ω, the regularization penalty (0 without)")
    loss: float | None = Field(None, description="L = L_data + Ω, the loss the update descends")
    dloss_doutput: Grid | None = Field(None, description="∂ℓ/∂ŷ, (b, N_L)")
    dloss_dinput: Grid | None = Field(
        None,
        description="∂ℓ_i/∂x_i = (W¹)ᵀ δ¹_i, (b, N_0), once the backward pass reaches layer 1",
    )
    a0: Grid | None = Field(
        None,
        description="a⁰ = φ(x), the input layer's values for each sample of the batch, "
        "(b, N_0): the features' values (x itself without features), once forward starts",
    )
    learning_rate: float | None = Field(None, description="η the update used, once it ran")
    update: UpdateDetails | None = Field(
        None, description="what the update did, once it ran (null before)"
    )
    output_delta: Literal["simplified", "chain_rule"] = Field(
        description="simplified: δ^L = ŷ − y (sigmoid+bce, softmax+cce); chain_rule otherwise"
    )


class Previous(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weights: list[Grid]
    biases: Grid
    learning_rate: float


class NetworkFields(BaseModel):
    """Everything about one network but its edit id: what a watcher sees (WatchState)."""

    model_config = ConfigDict(extra="forbid")

    watch_id: str = Field(
        description="the read-only link's id (144 random bits, unrelated to the id): "
        "GET /api/watch/{watch_id} and /w/{watch_id}"
    )
    title: str = Field(description="the network's title (at most 80 characters; may be empty)")
    version: int = Field(description="grows by one with every change")
    iteration: int = Field(description="completed iterations (updates)")
    layers: list[int] = Field(description="N_0 … N_L")
    activations: list[ActivationName] = Field(description="f^1 … f^L")
    loss: LossName
    learning_rate: float = Field(description="η")
    init: InitName
    init_scale: float
    seed: int
    dataset: dict | None = Field(description="the generated data set's options, or null")
    weights: list[Grid] = Field(description="W^l for l = 1..L, (N_l, N_{l-1})")
    biases: Grid = Field(description="b^l for l = 1..L, (N_l,)")
    inputs: Grid = Field(description="x, (m, N_0)")
    targets: Grid = Field(description="y, (m, N_L)")
    initial_weights: list[Grid] = Field(description="W^l as created (reset goes back here)")
    initial_biases: Grid
    previous: Previous | None = Field(description="parameters before the last update, or null")
    cursor: Cursor
    trace: Trace
    loss_history: list[tuple[int, float]] = Field(
        description="[iteration, loss] pairs, at most 1000, decimated evenly"
    )
    optimizer: OptimizerName = Field("sgd", description="the update rule")
    test_split: float = Field(0.0, description="share of the samples held out")
    test_inputs: Grid = Field([], description="held-out x, (k, N_0); never trained on")
    test_targets: Grid = Field([], description="held-out y, (k, N_L)")
    test_loss_history: list[tuple[int, float]] = Field(
        [], description="[iteration, test loss] pairs, when there are test samples"
    )
    bias: Bias
    reduction: Reduction = Field(description="mean: L = (1/m) Σ_i ℓ_i; sum: L = Σ_i ℓ_i")
    batch_size: int | None = Field(description="samples per iteration; null: the whole batch")
    shuffle: bool = Field(description="a new order of the samples every epoch")
    regularization: Regularization = Field(description="the penalty on the weights")
    regularization_rate: float = Field(description="λ")
    epoch: int = Field(description="the current iteration's epoch, counted from 1")
    batch: list[int] = Field(
        description="the indices (from 0) of the samples in the current iteration's batch: "
        "the one in progress, the one just updated, or the one the next Forward starts"
    )
    undo_levels: int = Field(description="how many changes can be undone")
    max_train_iterations: int = Field(description="the most iterations one train call may run")
    features: list[str] | None = Field(
        description="the input layer's features (x1, x2: the samples themselves); null for "
        "samples not in the plane"
    )
    accuracy_history: Curve = Field(
        description="[iteration, training accuracy] pairs of a classifier, at most 1000"
    )
    test_accuracy_history: Curve = Field(description="[iteration, test accuracy] pairs")
    changes: list[Mark] = Field(description="where the network was changed, oldest first")
    ghosts: list[KeptRun] = Field(description="runs kept to compare against, at most 4")


class NetworkState(NetworkFields):
    """Everything about one network; every answer about a network made with its id is one
    of these, with exactly these fields."""

    id: str = Field(description="unguessable id (144 random bits): the edit link, full control")


class WatchState(NetworkFields):
    """The network as a watcher sees it (GET /api/watch/{watch_id}): read-only, without
    the edit id."""


class Mark(BaseModel):
    iteration: int = Field(description="the network changed after this many iterations")
    what: str = Field(description="what changed, in a few words")


class EditReport(BaseModel):
    changed: list[str] = Field(description="the fields the edit changed")
    message: str = Field(description="what it did, in words")
    kept: int | None = Field(None, description="weights kept exactly (a new shape)")
    drawn: int | None = Field(None, description="weights drawn from the initialiser")
    dropped: int | None = Field(None, description="weights that went with their neurons")


class EditedState(NetworkState):
    edit: EditReport = Field(description="what the edit changed, kept and drew")


class Kept(BaseModel):
    ghost: KeptRun
    dropped: str | None = Field(description="the label of the oldest ghost, if it had to go")


class KeptState(NetworkState):
    kept: Kept


class ForgotState(NetworkState):
    forgot: KeptRun = Field(description="the kept run that was removed")


class Stopped(BaseModel):
    iteration: int
    kind: Literal["loss", "accuracy"]
    reason: str


class Divergence(BaseModel):
    iteration: int = Field(description="the iteration that would have made a value non-finite")
    reason: str
    remedy: str


class TrainedState(NetworkState):
    trained: int = Field(description="iterations run by this call")
    diverged: Divergence | None = Field(description="null, or where and why training stopped")
    stopped: Stopped | None = Field(
        None, description="null, or the stop condition that ended training early"
    )


class LayerCheck(BaseModel):
    layer: int
    weights: float | None = Field(description="largest relative error over W^l")
    biases: float | None = Field(
        description="largest relative error over b^l; null for a layer without a bias"
    )
    max: float | None


class InputCheck(BaseModel):
    error: float | None = Field(description="largest relative error of ∂ℓ_i/∂x_i")
    absolute: float | None = Field(description="largest absolute difference")
    largest_gradient: float | None = Field(description="largest |∂ℓ_i/∂x_i|")


class GradCheck(BaseModel):
    id: str
    watch_id: str = Field(description="the network's watch id (its read-only link)")
    step: float = Field(description="h of the central differences")
    layers: list[LayerCheck]
    inputs: InputCheck = Field(description="the input gradient dloss_dinput, the same way")
    max: float | None = Field(
        description="largest relative error over all parameters and the input gradient"
    )


class PresetSummary(BaseModel):
    name: str
    title: str
    description: str
    layers: list[int]


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    detail: str = Field(description="what is wrong, the limit, and what to do")
    field: str | None = Field(None, description="the offending input, when there is one")
