"""Read-only views of one Snapshot, for both routers: the trace export and the training
view's data (its grid bounded, so that one answer stays a few megabytes). None of them
changes the network; each uses the network the request loaded."""

from __future__ import annotations

import engine
from app.errors import Invalid
from app.service.records import engine_errors, json_safe
from app.service.snapshot import Snapshot
from engine.inspect.boundary import DEFAULT_RESOLUTION
from engine.inspect.diagnostics import ALL_CLEAR

NO_TRACE = (
    "no trace: no step of an iteration has run since the network was created, edited "
    "or trained, and train (and Play) runs on the fast path, which records no trace; "
    "step, or run forward / backward, to fill one"
)
# The most values the plots' grid may hold: 128² points for up to 16 outputs, or the lab
# page's own 48² with every hidden neuron of the largest network (48² × 112). About 6 MB
# of JSON.
MAX_GRID_VALUES = 1 << 18
IN_PROGRESS = "the iteration is in progress: values not computed yet are null; step to complete it"


def trace_note(phase: str) -> str | None:
    """Why an exported trace is empty or partly null, or None when it is complete."""
    if phase == "idle":
        return NO_TRACE
    return None if phase == "updated" else IN_PROGRESS


def trace_export(snap: Snapshot) -> dict:
    """{id, version, iteration, cursor, trace, note}: the current iteration's trace (null
    entries not computed yet), with the optimiser's update details once it ran; `note`
    says why it is empty or partly null (see trace_note)."""
    net = snap.net
    return {
        "id": snap.id,
        "watch_id": snap.watch_id,
        "version": snap.version,
        "iteration": net.iteration,
        "cursor": snap.record["cursor"],
        "trace": engine.trace_to_dict(net, arrays=True),  # non-finite values: null, by orjson
        "note": trace_note(net.phase),
    }


def grid_size(net: engine.Network, resolution: int, hidden: bool) -> tuple[int, int]:
    """(points, neurons) of the plots' grid: resolution² points on a plane (2 inputs),
    resolution on a line (1 input), none for more inputs; the outputs, and with `hidden`
    every hidden neuron, over each."""
    layers = net.spec.layers
    points = resolution ** layers[0] if layers[0] in (1, 2) else 0
    return points, layers[-1] + (sum(layers[1:-1]) if hidden else 0)


def check_grid(net: engine.Network, resolution: int, hidden: bool) -> None:
    """Invalid (422) when the grid would hold more than MAX_GRID_VALUES values, naming the
    largest resolution that fits."""
    points, neurons = grid_size(net, resolution, hidden)
    if points * neurons <= MAX_GRID_VALUES:
        return
    most = resolution
    while most > 2 and grid_size(net, most, hidden)[0] * neurons > MAX_GRID_VALUES:
        most -= 1
    also = ", or leave out the hidden layers (hidden=false)" if hidden else ""
    raise Invalid(
        f"resolution: {resolution} gives {points:,} grid points × {neurons} neurons = "
        f"{points * neurons:,} values, more than the {MAX_GRID_VALUES:,} one answer may "
        f"hold; ask for resolution {most} or less{also}",
        field="resolution",
        limit=most,
    )


def plot_data(snap: Snapshot, resolution: int = DEFAULT_RESOLUTION, hidden: bool = False) -> dict:
    """What the training view's plots need (and GET …/training-view answers; its arrays go
    out as JSON lists, non-finite values as null): engine.plot_arrays (kind, grid, output range,
    train and test samples with classes, as NumPy arrays) plus id, version, iteration,
    cursor, loss_history, test_loss_history, accuracy_history, test_accuracy_history,
    changes (the marks), ghosts (kept runs), diagnostics (engine.current_records: the
    records, oldest first, and the trace's once its backward pass is complete), hints,
    all_clear (the no-warning text, when there are records and no hint) and
    last_divergence."""
    net = snap.net
    check_grid(net, resolution, hidden)
    with engine_errors():
        view = engine.plot_arrays(net, resolution, hidden)
        hints = engine.network_hints(net)
        records = engine.current_records(net)
    return {
        "id": snap.id,
        "watch_id": snap.watch_id,
        "version": snap.version,
        "iteration": net.iteration,
        "cursor": snap.record["cursor"],
        **view,
        "output_range": json_safe(view["output_range"]),
        "loss_history": net.history.as_list(),
        "test_loss_history": net.test_history.as_list(),
        "accuracy_history": net.accuracy_history.as_list(),
        "test_accuracy_history": net.test_accuracy_history.as_list(),
        "changes": net.changes,
        "ghosts": net.ghosts,
        "diagnostics": json_safe(records),
        "hints": hints,
        "all_clear": ALL_CLEAR if records and not hints else None,
        "last_divergence": net.last_divergence,
    }
