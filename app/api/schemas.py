"""Pydantic models of every JSON request and response, carrying the bounds.

Families: `NetworkCreate` (POST body), `NetworkUpdate` (PATCH body), `ForwardBackward` and
`TrainRequest` (step bodies), `NetworkState` (every answer about a network), `TrainedState`,
`GradCheck`, `PresetSummary` and `ErrorBody`. Matrices are nested lists: ``weights[l-1]`` is
W^l with N_l rows (j) of N_{l-1} columns (k); ``inputs`` and ``targets`` have one row per
sample. Requests forbid unknown fields so that a typo is an error, not silently ignored.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from app.views.equations.notation import MAX_DIGITS, MIN_DIGITS
from engine import limits
from engine.core.activations import ACTIVATIONS
from engine.core.initialisers import INITS
from engine.core.losses import LOSSES
from engine.core.network import ACTIONS, PHASES
from engine.core.optimisers import OPTIMISERS
from engine.data.datasets import DATASETS, MAX_CLASSES, MAX_NOISE, MIN_CLASSES
from engine.data.presets import PRESETS
from engine.factory import SEED_RANGE
from engine.inspect.boundary import MAX_RESOLUTION, MIN_RESOLUTION

MAX_DEPTH = limits.MAX_LAYERS - 1  # layers with weights

# The engine's own lists of names, as the choices the schemas (and OpenAPI) offer.
ActivationName = Literal[tuple(ACTIVATIONS)]  # type: ignore[valid-type]
LossName = Literal[tuple(LOSSES)]  # type: ignore[valid-type]
InitName = Literal[INITS]  # type: ignore[valid-type]
DatasetName = Literal[DATASETS]  # type: ignore[valid-type]
OptimizerName = Literal[OPTIMISERS]  # type: ignore[valid-type]
PresetName = Literal[tuple(PRESETS)]  # type: ignore[valid-type]
Phase = Literal[PHASES]  # type: ignore[valid-type]
Action = Literal[ACTIONS]  # type: ignore[valid-type]

Number = Annotated[
    float,
    Field(strict=True, allow_inf_nan=False, ge=-limits.MAX_ABS_VALUE, le=limits.MAX_ABS_VALUE),
]
Neurons = Annotated[int, Field(strict=True, ge=limits.MIN_NEURONS, le=limits.MAX_NEURONS)]
Seed = Annotated[int, Field(strict=True, ge=0, le=limits.MAX_SEED)]
LearningRate = Annotated[
    float, Field(strict=True, allow_inf_nan=False, gt=0, le=limits.MAX_LEARNING_RATE)
]
Row = Annotated[list[Number], Field(min_length=1, max_length=limits.MAX_NEURONS)]
Matrix = Annotated[list[Row], Field(min_length=1, max_length=limits.MAX_NEURONS)]
Rows = Annotated[list[Row], Field(min_length=limits.MIN_SAMPLES, max_length=limits.MAX_SAMPLES)]
Weights = Annotated[
    list[Matrix],
    Field(min_length=1, max_length=MAX_DEPTH, description="W^l for l = 1..L: N_l rows of N_{l-1}"),
]
Biases = Annotated[
    list[Row],
    Field(min_length=1, max_length=MAX_DEPTH, description="b^l for l = 1..L: N_l numbers each"),
]
Inputs = Annotated[Rows, Field(description="x: one row of N_0 numbers per sample")]
Targets = Annotated[Rows, Field(description="y: one row of N_L numbers per sample")]
TestSplit = Annotated[
    float,
    Field(
        strict=True,
        allow_inf_nan=False,
        ge=0,
        le=limits.MAX_TEST_SPLIT,
        description="share of the samples held out as a test set",
    ),
]
MAX_CSV_CHARS = 1 << 20
MAX_COLUMN = 10_000
CsvText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_CSV_CHARS,
        description="CSV text: one sample per line, header optional",
    ),
]


def column_name(value: str) -> int | str:
    """A column given as text: a plain whole number is its 0-based index, anything else a
    header name (a name that only looks like a number is refused)."""
    if re.fullmatch(r"[0-9]{1,5}", value):
        return int(value)
    if value.lstrip("-").isdigit() or value.lstrip("-") == "":
        raise ValueError(f"{value!r} is neither a column number (0, 1, …) nor a header name")
    return value


Column = Annotated[
    Annotated[int, Field(strict=True, ge=0, le=MAX_COLUMN)]
    | Annotated[str, Field(min_length=1, max_length=200), AfterValidator(column_name)],
    Field(description="a column: its 0-based index or its header name"),
]
Columns = Annotated[list[Column], Field(min_length=1, max_length=limits.MAX_NEURONS)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatasetOptions(Request):
    name: DatasetName
    samples: int | None = Field(
        None,
        strict=True,
        ge=limits.MIN_SAMPLES,
        le=limits.MAX_SAMPLES,
        description="generated sets only",
    )
    noise: float | None = Field(None, strict=True, allow_inf_nan=False, ge=0, le=MAX_NOISE)
    seed: Seed | None = None
    classes: int | None = Field(
        None, strict=True, ge=MIN_CLASSES, le=MAX_CLASSES, description="gauss only"
    )


Dataset = Annotated[
    Annotated[DatasetName, Tag("by name")] | Annotated[DatasetOptions, Tag("with options")],
    Discriminator(lambda v: "by name" if isinstance(v, str) else "with options"),
]


def either(names) -> str:
    """'a, b or c'."""
    names = list(names)
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]


# What each field accepts, added to validation messages so that they name the limit.
HINTS = {
    "preset": f"choose one of {', '.join(PRESETS)}",
    "layers": f"a network has {limits.MIN_LAYERS} to {limits.MAX_LAYERS} layers (input "
    f"included), each of {limits.MIN_NEURONS} to {limits.MAX_NEURONS} neurons",
    "activations": "one per layer after the input: "
    f"{', '.join(a for a in ACTIVATIONS if a != 'softmax')}, or softmax (output layer only)",
    "loss": either(LOSSES),
    "init": either(INITS),
    "learning_rate": f"η must be above 0 and at most {limits.MAX_LEARNING_RATE:g}",
    "init_scale": f"must be above 0 and at most {limits.MAX_INIT_SCALE:g}",
    "seed": SEED_RANGE,
    "iterations": f"train runs 1 to {limits.MAX_ITERATIONS:,} iterations per call",
    "all": "true (the rest of the pass) or false (one layer)",
    "weights": f"W^l for l = 1..L: N_l rows of N_(l-1) finite numbers within "
    f"±{limits.MAX_ABS_VALUE:g}",
    "biases": f"b^l for l = 1..L: N_l finite numbers within ±{limits.MAX_ABS_VALUE:g}",
    "inputs": f"{limits.MIN_SAMPLES} to {limits.MAX_SAMPLES:,} rows (one per sample) of "
    f"finite numbers within ±{limits.MAX_ABS_VALUE:g}",
    "targets": f"one row per sample of finite numbers within ±{limits.MAX_ABS_VALUE:g}",
    "dataset": f"a name ({', '.join(DATASETS)}) or {{name, samples "
    f"{limits.MIN_SAMPLES}..{limits.MAX_SAMPLES}, noise 0..{MAX_NOISE:g}, seed, classes "
    f"{MIN_CLASSES}..{MAX_CLASSES}}}",
    "optimizer": either(OPTIMISERS),
    "test_split": f"a share from 0 to {limits.MAX_TEST_SPLIT:g} of the samples",
    "test_inputs": "held-out samples: one row of N_0 numbers each, with test_targets",
    "test_targets": "held-out samples: one row of N_L numbers each, with test_inputs",
    "csv": f"CSV text of at most {MAX_CSV_CHARS:,} characters, one sample per line",
    "csv_inputs": f"1 to {limits.MAX_NEURONS} columns, each a 0-based index or a header name",
    "csv_targets": f"1 to {limits.MAX_NEURONS} columns, each a 0-based index or a header name",
    "csv_label": "one column (0-based index or header name) whose values are the classes",
    "resolution": f"a whole number of grid points per axis from {MIN_RESOLUTION} to "
    f"{MAX_RESOLUTION}",
    "digits": f"a whole number of decimals from {MIN_DIGITS} to {MAX_DIGITS}",
}


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
    init_scale: float | None = Field(None, strict=True, allow_inf_nan=False, gt=0, le=100)
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

    def config(self) -> dict:
        """The engine's create config: the fields that were given."""
        return self.model_dump(exclude_none=True)


class NetworkUpdate(Request):
    """An edit: any of these fields, at least one. Changing parameters or data clears the
    iteration in progress; changing only the learning rate keeps it."""

    learning_rate: LearningRate | None = None
    optimizer: OptimizerName | None = Field(
        None, description="a new optimizer starts from a fresh state (zero moments)"
    )
    weights: Weights | None = None
    biases: Biases | None = None
    inputs: Inputs | None = None
    targets: Targets | None = None

    @model_validator(mode="after")
    def at_least_one(self) -> NetworkUpdate:
        if all(value is None for _, value in self):
            raise ValueError(
                "give at least one of learning_rate, optimizer, weights, biases, inputs, targets"
            )
        return self

    def edits(self) -> dict:
        return self.model_dump(exclude_none=True)


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


class TrainRequest(Request):
    iterations: int = Field(
        strict=True,
        ge=1,
        le=limits.MAX_ITERATIONS,
        description="whole iterations to run (also capped by the work "
        "limit: see max_train_iterations in the NetworkState)",
    )


# ---- responses -----------------------------------------------------------------------
Grid = list[list[float]]


class Cursor(BaseModel):
    phase: Phase = Field(description="idle | forward | backward | updated")
    layer: int = Field(description="the layer last computed (0 when idle or updated)")
    next: Action = Field(description="the action allowed next")


class LayerTrace(BaseModel):
    """Layer l's values, each null until computed; rows are samples (m of them)."""

    z: Grid | None = Field(None, description="z^l = W^l a^{l-1} + b^l, (m, N_l)")
    a: Grid | None = Field(None, description="a^l = f(z^l), (m, N_l)")
    fprime: Grid | None = Field(None, description="f'(z^l), (m, N_l); null for softmax")
    grad_a: Grid | None = Field(None, description="∂ℓ/∂a^l, (m, N_l)")
    delta: Grid | None = Field(None, description="δ^l = ∂ℓ/∂z^l, (m, N_l)")
    grad_weights: Grid | None = Field(None, description="∂L/∂W^l, (N_l, N_{l-1})")
    grad_biases: list[float] | None = Field(None, description="∂L/∂b^l, (N_l,)")


class Trace(BaseModel):
    layers: list[LayerTrace] = Field(description="one entry per layer 1..L")
    losses: list[float] | None = Field(None, description="ℓ_i per sample, (m,)")
    loss: float | None = Field(None, description="L, the mean of ℓ_i over the batch")
    dloss_doutput: Grid | None = Field(None, description="∂ℓ/∂ŷ, (m, N_L)")
    learning_rate: float | None = Field(None, description="η the update used, once it ran")
    output_delta: Literal["simplified", "chain_rule"] = Field(
        description="simplified: δ^L = ŷ − y (sigmoid+bce, softmax+cce); chain_rule otherwise"
    )


class Previous(BaseModel):
    weights: list[Grid]
    biases: Grid
    learning_rate: float


class NetworkState(BaseModel):
    """Everything about one network; every answer about a network is one of these."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="unguessable id (144 random bits): also the share link")
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
    undo_levels: int = Field(description="how many changes can be undone")
    max_train_iterations: int = Field(description="the most iterations one train call may run")


class Divergence(BaseModel):
    iteration: int = Field(description="the iteration that would have made a value non-finite")
    reason: str
    remedy: str


class TrainedState(NetworkState):
    trained: int = Field(description="iterations run by this call")
    diverged: Divergence | None = Field(description="null, or where and why training stopped")


class LayerCheck(BaseModel):
    layer: int
    weights: float | None = Field(description="largest relative error over W^l")
    biases: float | None = Field(description="largest relative error over b^l")
    max: float | None


class GradCheck(BaseModel):
    id: str
    step: float = Field(description="h of the central differences")
    layers: list[LayerCheck]
    max: float | None = Field(description="largest relative error over all parameters")


class PresetSummary(BaseModel):
    name: str
    title: str
    description: str
    layers: list[int]


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    detail: str = Field(description="what is wrong, the limit, and what to do")
    field: str | None = Field(None, description="the offending input, when there is one")
