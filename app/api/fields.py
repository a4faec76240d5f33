"""The field types of the API's requests, each carrying its bounds (from the engine's
limits and lists of names), and the hint of what each field accepts, which validation
messages add so that they name the limit. Requests forbid unknown fields, so that a typo
is an error, not silently ignored."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
)

from app.documents.worked_example import MAX_DIGITS, MIN_DIGITS
from engine import limits
from engine.core.activations import ACTIVATIONS
from engine.core.conventions import BIAS_MODES
from engine.core.features import FEATURES
from engine.core.initialisers import INITS
from engine.core.losses import LOSSES, REDUCTIONS
from engine.core.network import ACTIONS, PHASES
from engine.core.optimisers import OPTIMISERS
from engine.core.penalties import REGULARIZATIONS
from engine.data.datasets import DATASETS, MAX_CLASSES, MAX_NOISE, MIN_CLASSES
from engine.data.presets import PRESETS
from engine.factory import SEED_RANGE
from engine.inspect.boundary import MAX_RESOLUTION, MIN_RESOLUTION

MAX_DEPTH = limits.MAX_LAYERS - 1  # layers with weights

# The engine's own lists of names, as the choices the schemas (and OpenAPI) offer. For the
# type checker each is a string; at run time, the Literal of the engine's names.
if TYPE_CHECKING:
    ActivationName: TypeAlias = str
    LossName: TypeAlias = str
    InitName: TypeAlias = str
    DatasetName: TypeAlias = str
    OptimizerName: TypeAlias = str
    PresetName: TypeAlias = str
    Phase: TypeAlias = str
    Action: TypeAlias = str
    BiasMode: TypeAlias = str
    Reduction: TypeAlias = str
    Regularization: TypeAlias = str
    FeatureName: TypeAlias = str
else:
    ActivationName = Literal[tuple(ACTIVATIONS)]
    LossName = Literal[tuple(LOSSES)]
    InitName = Literal[INITS]
    DatasetName = Literal[DATASETS]
    OptimizerName = Literal[OPTIMISERS]
    PresetName = Literal[tuple(PRESETS)]
    Phase = Literal[PHASES]
    Action = Literal[ACTIONS]
    BiasMode = Literal[tuple(BIAS_MODES)]
    Reduction = Literal[tuple(REDUCTIONS)]
    Regularization = Literal[tuple(REGULARIZATIONS)]
    FeatureName = Literal[tuple(FEATURES)]

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
Inputs = Annotated[
    Rows,
    Field(description="x: one row of numbers per sample (N_0, or x₁, x₂ with features)"),
]
Features = Annotated[
    list[FeatureName],
    Field(
        min_length=1,
        max_length=len(FEATURES),
        description="the input layer's features of samples in the plane, one input neuron "
        "each: any of " + ", ".join(FEATURES) + " (default x1, x2: the samples themselves)",
    ),
]
InitScale = Annotated[
    float, Field(strict=True, allow_inf_nan=False, gt=0, le=limits.MAX_INIT_SCALE)
]
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

# The conventions (engine/core/conventions.py).
Bias = Annotated[
    Annotated[BiasMode, Tag("every layer")]
    | Annotated[list[BiasMode], Field(min_length=1, max_length=MAX_DEPTH), Tag("per layer")],
    Discriminator(lambda v: "every layer" if isinstance(v, str) else "per layer"),
    Field(
        description="trained (the default), frozen (kept at its values, never updated) or "
        "none (no bias term): one for every layer, or a list with one per layer 1..L"
    ),
]
BatchSize = Annotated[
    int,
    Field(
        strict=True,
        ge=1,
        le=limits.MAX_SAMPLES,
        description="samples per iteration, 1 (online) to m; leave it out for the whole batch",
    ),
]
RegularizationRate = Annotated[
    float,
    Field(
        strict=True,
        allow_inf_nan=False,
        ge=0,
        le=limits.MAX_REGULARIZATION_RATE,
        description="λ of the l2 or l1 penalty",
    ),
]


def either(names) -> str:
    """'a, b or c'."""
    names = list(names)
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]


def explained(choices: dict[str, str]) -> str:
    """'a (what a is), b (…) or c (…)'."""
    return either(f"{name} ({words})" for name, words in choices.items())


# What each field accepts, added to validation messages so that they name the limit.
HINTS = {
    "preset": f"choose one of {', '.join(PRESETS)}",
    "layers": f"a network has {limits.MIN_LAYERS} to {limits.MAX_LAYERS} layers (input "
    f"included), each of {limits.MIN_NEURONS} to {limits.MAX_NEURONS} neurons (to remove a "
    "layer's last neuron, leave the layer out)",
    "activations": "one per layer after the input: "
    f"{', '.join(a for a in ACTIVATIONS if a != 'softmax')}, or softmax (output layer only)",
    "loss": explained({name: loss.words for name, loss in LOSSES.items()}),
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
    "features": f"a list of {', '.join(FEATURES)}, each at most once (samples in the plane only)",
    "stop": "{loss_below: a number above 0, accuracy: a share above 0 and at most 1}",
    "label": "text of 1 to 80 characters",
    "bias": f"{explained(BIAS_MODES)}; one for every layer, or a list with one per layer "
    "after the input",
    "reduction": explained(REDUCTIONS),
    "batch_size": "a whole number of samples per iteration, from 1 (online) to the number "
    "of training samples; leave it out for the whole batch",
    "shuffle": "true (a new order of the samples every epoch, the default) or false",
    "regularization": explained(REGULARIZATIONS),
    "regularization_rate": f"λ from 0 to {limits.MAX_REGULARIZATION_RATE:g}",
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
