"""The trace of a network's iteration in progress as this process had it after a move of
the step machine (forward, backward, update, step, reset), so that the next request on
that version need not replay the moves that made it (engine.from_record replays them: a
whole forward and backward pass after an update).

The trace is a function of the stored state and the samples, and a move's trace is the
one its replay gives (the engine replays the same moves), so a kept trace is found by
(id, version) and used only with the very state bytes and samples key the request has
just read in its own transaction (`Stored.match`): it cannot be stale, whichever process
or server wrote the row. Only moves keep one: an edit's trace is left to the replay.
What is kept and what is handed out are copies (every array), so no request can change
the trace another one gets.
"""

from __future__ import annotations

import copy
from dataclasses import fields, is_dataclass

import numpy as np

from app.service.recent import Recent
from app.service.rows import Stored
from engine.core.trace import LayerTrace, Trace

LAYER = [f.name for f in fields(LayerTrace)]
TRACE = [f.name for f in fields(Trace) if f.name not in ("layers", "update")]


def copied(trace: Trace) -> Trace:
    """A copy of `trace` that shares no array (nor anything else mutable) with it."""
    layers = [LayerTrace(*[array(getattr(lt, f)) for f in LAYER]) for lt in trace.layers]
    rest = {f: array(getattr(trace, f)) for f in TRACE}
    return Trace(layers, update=deep(trace.update), **rest)


def array(value):
    return value.copy() if isinstance(value, np.ndarray) else value


def deep(value):
    """A copy of `value` (an update's details: dicts and lists of arrays and numbers)
    that shares nothing mutable with it; what is not one of those is deep-copied."""
    kind = type(value)
    if kind is dict:
        return {k: deep(v) for k, v in value.items()}
    if kind is list:
        return [deep(v) for v in value]
    if kind is np.ndarray:
        return value.copy()
    if value is None or kind in IMMUTABLE:
        return value
    return copy.deepcopy(value)


IMMUTABLE = (int, float, str, bool, np.float64, np.int64)


def size(value) -> int:
    """About how many bytes the arrays of a trace (or value) hold."""
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, (list, tuple)):
        return sum(size(v) for v in value)
    if isinstance(value, dict):
        return sum(size(v) for v in value.values())
    if is_dataclass(value) and not isinstance(value, type):
        return sum(size(getattr(value, f.name)) for f in fields(value))
    return 8


def trace_size(trace: Trace) -> int:
    """size(trace), with the fields of a trace and its layers read directly (it is
    computed on every move kept)."""
    total = sum(size(getattr(lt, f)) for lt in trace.layers for f in LAYER)
    return total + sum(size(getattr(trace, f)) for f in TRACE) + size(trace.update)


class Traces:
    """The traces this process last left networks with, by (id, version)."""

    def __init__(self) -> None:
        self.recent: Recent[tuple[str, int], Trace] = Recent()

    def keep(self, stored: Stored, trace: Trace) -> None:
        """Remember `trace` as the one of `stored` (a version just saved by a move)."""
        if stored.blob and stored.data_key:
            kept = copied(trace)
            self.recent.put((stored.id, stored.version), stored.match, kept, trace_size(kept))

    def find(self, stored: Stored) -> Trace | None:
        """A copy of the trace kept for exactly this stored version, else None."""
        if not stored.blob or not stored.data_key:
            return None
        found = self.recent.get((stored.id, stored.version), stored.match)
        return None if found is None else copied(found)
