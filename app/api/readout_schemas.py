"""Pydantic models of the answers of the read-only routes: the trace export and the
training view (see app/service/readouts.py). They document the JSON in OpenAPI; the tests validate
answers against them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.schemas import Cursor, KeptRun, Mark, Trace

Grid = list[list[float | None]]


class TraceExport(BaseModel):
    id: str
    watch_id: str = Field(description="the network's watch id (its read-only link)")
    version: int
    iteration: int
    cursor: Cursor
    trace: Trace = Field(
        description="the current iteration's values; `update` holds the "
        "optimiser's details once the update ran"
    )
    note: str | None = Field(
        description="why the trace is empty or partly null (train runs "
        "on the fast path and records no trace); null once complete"
    )


class SampleView(BaseModel):
    inputs: list[list[float]] = Field(description="(m, N_0)")
    targets: list[list[float]] = Field(description="(m, N_L)")
    outputs: list[list[float | None]] = Field(description="ŷ for each sample, (m, N_L)")
    classes: list[int] | None = Field(description="the targets' classes (null: regression)")
    predicted: list[int] | None = Field(description="the outputs' classes")
    accuracy: float | None = Field(description="share of samples classified right")
    confusion: list[list[int]] | None = Field(
        description="counts[actual class][predicted class] (null: regression or no samples)"
    )


class Record(BaseModel):
    iteration: int
    grad_norms: list[float | None] = Field(description="|∂L/∂W^l| per layer l = 1..L")
    saturation: list[float] = Field(description="share of saturated units per layer")
    dead: list[int] = Field(description="relu units at 0 for every sample, per layer")


class Hint(BaseModel):
    kind: str = Field(
        description="vanishing, dead_relu, saturated, oscillating, "
        "stuck_at_average, plateau, diverged, overfitting"
    )
    message: str


class TrainingView(BaseModel):
    """What the training view's plots need."""

    model_config = ConfigDict(extra="allow")

    id: str
    watch_id: str = Field(description="the network's watch id (its read-only link)")
    version: int
    iteration: int
    cursor: Cursor
    kind: Literal["plane", "curve", "samples_only"] = Field(
        description="plane: 2 inputs; curve: 1 input; samples_only: more inputs"
    )
    resolution: int
    grid: dict | None = Field(
        description="plane: x (r,), y (r,), output (r, r, N_L) with "
        "row i at y[i] and column j at x[j], argmax (r, r) for several "
        "outputs; curve: x (r,), output (r, N_L); hidden: per hidden "
        "layer when asked for; null for more than 2 inputs"
    )
    output_range: list[float | None] = Field(description="[low, high] of the output")
    train: SampleView
    test: SampleView
    loss_history: list[tuple[int, float]]
    test_loss_history: list[tuple[int, float]]
    accuracy_history: list[tuple[int, float]] = Field(description="a classifier's, per chunk")
    test_accuracy_history: list[tuple[int, float]]
    changes: list[Mark] = Field(description="where the network changed: marks on the curves")
    ghosts: list[KeptRun] = Field(description="kept runs, drawn under the curves")
    diagnostics: list[Record] = Field(
        description="the latest records, oldest first; the "
        "last one measured from the trace once its backward "
        "pass is complete, before any update"
    )
    hints: list[Hint] = Field(description="plain-language hints: why it is not learning")
    all_clear: str | None = Field(
        description="what to say when there are records and no "
        "hint (saturation is judged on hidden layers only); null "
        "otherwise"
    )
    last_divergence: dict | None
