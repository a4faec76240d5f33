"""Read-only views of a stored network, for both routers: the exports (network JSON, trace
as JSON and CSV), the worked-example document and the training view's plot data. None of
them changes the stored network. Mixed into LabService, which provides `load`."""

from __future__ import annotations

import engine
from app.documents import export, worked_example
from app.service.records import engine_errors, finite_or_null
from engine.inspect.boundary import DEFAULT_RESOLUTION
from engine.inspect.diagnostics import ALL_CLEAR

NO_TRACE = (
    "no trace: no step of an iteration has run since the network was created, edited "
    "or trained, and train (and Play) runs on the fast path, which records no trace; "
    "step, or run forward / backward, to fill one"
)
IN_PROGRESS = "the iteration is in progress: values not computed yet are null; step to complete it"


def trace_note(phase: str) -> str | None:
    """Why an exported trace is empty or partly null, or None when it is complete."""
    if phase == "idle":
        return NO_TRACE
    return None if phase == "updated" else IN_PROGRESS


class Readouts:
    def export_network(self, nid: str) -> dict:
        """The create body that rebuilds this network: spec, current parameters and the
        samples (training and held-out), explicitly. POST it to /api/networks to get an
        identical network (its parameters become that network's initial ones)."""
        _, net = self.load(nid)
        return export.network_json(engine.to_dict(net, trace=False))

    def export_trace(self, nid: str) -> dict:
        """{id, version, iteration, cursor, trace, note}: the current iteration's trace (null
        entries not computed yet), with the optimiser's update details once it ran; `note`
        says why it is empty or partly null (see trace_note)."""
        stored, net = self.load(nid)
        full = engine.to_dict(net)
        return finite_or_null(
            {
                "id": nid,
                "version": stored.version,
                "iteration": full["iteration"],
                "cursor": full["cursor"],
                "trace": full["trace"],
                "note": trace_note(net.phase),
            }
        )

    def export_trace_csv(self, nid: str) -> str:
        """The trace as CSV: layer, neuron, sample, quantity, value (one row per value)."""
        _, net = self.load(nid)
        return export.trace_csv(engine.to_dict(net))

    def worked_example(self, nid: str, digits: int = worked_example.DEFAULT_DIGITS) -> str:
        """Markdown with LaTeX maths: one full iteration from the current parameters,
        computed on a copy (the stored network does not change); `digits` decimals."""
        _, net = self.load(nid)
        with engine_errors():
            return worked_example.document(net, digits)

    def training_view(
        self, nid: str, resolution: int = DEFAULT_RESOLUTION, hidden: bool = False
    ) -> dict:
        """What the training view's plots need: engine.training_view (kind, grid, output
        range, train and test samples with classes) plus id, version, iteration, cursor,
        loss_history, test_loss_history, diagnostics (engine.current_records: the records,
        oldest first, and the trace's once its backward pass is complete), hints, all_clear
        (the no-warning text, when there are records and no hint) and last_divergence."""
        stored, net = self.load(nid)
        with engine_errors():
            view = engine.training_view(net, resolution, hidden)
            hints = engine.network_hints(net)
            records = engine.current_records(net)
        view["output_range"] = finite_or_null(view["output_range"])
        return {
            "id": nid,
            "version": stored.version,
            "iteration": net.iteration,
            "cursor": {"phase": net.phase, "layer": net.layer, "next": net.next_action},
            **view,
            "loss_history": net.history.as_list(),
            "test_loss_history": net.test_history.as_list(),
            "diagnostics": finite_or_null([dict(r) for r in records]),
            "hints": hints,
            "all_clear": ALL_CLEAR if records and not hints else None,
            "last_divergence": net.last_divergence,
        }
