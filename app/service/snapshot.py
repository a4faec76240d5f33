"""One network as one request sees it: loaded, or changed and saved, once. Every partial of
a page and every answer of the API is made from the same Snapshot; its NetworkState (the
API's answer) is built on first use, from the record the store has (or was just given).

A watcher's Snapshot (`watching`) is read-only: its `id` is the watch id, so that nothing
made from it (links, forms, the NetworkState, which has no `id` then) names the edit id,
and a change asked of it finds no network."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import engine
from app.service.codec import Packed
from engine.core.spec import SPEC_FIELDS
from engine.serialization import spec_to_dict

STATE_FIELDS = (
    *SPEC_FIELDS,
    "iteration",
    "weights",
    "biases",
    "inputs",
    "targets",
    "initial_weights",
    "initial_biases",
    "cursor",
)
PREVIOUS_FIELDS = ("weights", "biases", "learning_rate")


@dataclass(eq=False)
class Snapshot:
    id: str
    version: int
    net: engine.Network
    record: dict  # engine.to_record of `net` with its samples, as plain lists
    undo_levels: int  # how many changes can be undone
    max_train_iterations: int  # the most iterations one train call may run
    extra: dict = field(default_factory=dict)  # what the action reported (trained, diverged)
    watch_id: str = ""  # the read-only link
    title: str = ""
    watching: bool = False  # read by the watch id: `id` is the watch id, nothing changes it
    packed: Packed | None = None  # the record's state as read from the store (codec.Packed)

    @cached_property
    def state(self) -> dict:
        """The NetworkState of the API contract (see app/api/schemas.py); its trace's values
        are NumPy arrays, which the API's JSON writer (orjson) writes as lists."""
        return network_state(self)


def batch_position(net: engine.Network) -> dict:
    """{"epoch": counted from 1, "batch": the sample indices} of the current iteration."""
    epoch, batch = net.batch_position()
    return {"epoch": epoch, "batch": batch.tolist()}


def network_state(snap: Snapshot) -> dict:
    """id (not a watcher's), watch id, title, version, the spec fields (conventions
    included), parameters, samples, cursor, the parameters before the last update, the
    trace, the loss and accuracy histories, the marks of its changes and its kept runs,
    the current iteration's epoch and batch, undo depth and work limit; and what the
    action reported.
    Nothing else: the record's optimiser state, diagnostics records and last divergence
    stay inside (the training view has the last two)."""
    record, net = snap.record, snap.net
    previous = record.get("previous")
    spec = spec_to_dict(net.spec)  # for a record stored before a field existed
    return {
        **({} if snap.watching else {"id": snap.id}),
        "watch_id": snap.watch_id,
        "title": snap.title,
        "version": snap.version,
        **{key: record[key] if key in record else spec[key] for key in STATE_FIELDS},
        "test_inputs": record.get("test_inputs", []),
        "test_targets": record.get("test_targets", []),
        "previous": None if previous is None else {k: previous[k] for k in PREVIOUS_FIELDS},
        "trace": engine.trace_to_dict(net, arrays=True),  # orjson writes the arrays as lists
        "loss_history": net.history.as_list(),
        "test_loss_history": net.test_history.as_list(),
        "accuracy_history": net.accuracy_history.as_list(),
        "test_accuracy_history": net.test_accuracy_history.as_list(),
        "changes": record.get("changes", []),
        "ghosts": record.get("ghosts", []),
        **batch_position(net),
        "undo_levels": snap.undo_levels,
        "max_train_iterations": snap.max_train_iterations,
        **snap.extra,
    }
