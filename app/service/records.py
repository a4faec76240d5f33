"""How a network travels between the engine and the store: its record (engine.to_record)
split into a small state (kept on the undo stack) and its samples (stored once per
distinct content), joined back into a Network; and the engine's errors as the service's."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import orjson

import engine
from app.errors import Invalid, NotFound, OutOfOrder
from app.service.store import Stored
from engine.core.trace import Trace
from engine.practice import NotAskable


@contextmanager
def engine_errors() -> Iterator[None]:
    """Turn the engine's exceptions into the service's."""
    try:
        yield
    except engine.SpecError as e:
        raise Invalid(str(e), field=e.field) from None
    except (engine.OrderError, NotAskable) as e:
        raise OutOfOrder(str(e), allowed=e.allowed) from None
    except engine.DivergenceError as e:
        raise Invalid(str(e), field=None, stage=e.stage, remedy=e.remedy) from None


def samples(net: engine.Network) -> dict:
    """The samples as the store keeps them: inputs and targets, and the held-out test
    samples when there are any (so a network without a test split keeps the blob it
    always had)."""
    data = {"inputs": net.inputs.tolist(), "targets": net.targets.tolist()}
    if len(net.test_inputs):
        data["test_inputs"] = net.test_inputs.tolist()
        data["test_targets"] = net.test_targets.tolist()
    return data


def state_of(net: engine.Network) -> dict:
    """The record without its samples: what the store keeps on the undo stack."""
    return engine.to_record(net, samples=False)


def join(stored: Stored, trace: Trace | None = None) -> engine.Network:
    """The Network a stored state and its samples describe (its trace replayed, or
    `trace`, the one kept for this very version: app/service/traces.py); checked again
    unless they are what the engine wrote or accepted before (`Stored.checked`)."""
    with engine_errors():
        record = {**stored.state, **(stored.data or {})}
        return engine.from_record(record, trace, checked=stored.checked)


# what orjson must refuse, so that json_safe leaves such values to its walk as they are
PASSTHROUGH = (
    orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def json_safe(value):
    """`value` as JSON: NumPy arrays as lists, every non-finite float as None. Plain data
    (dicts with str keys, lists, tuples, Python numbers, strs, bools, None) is copied by
    orjson in one go, which writes non-finite floats as null and floats exactly; anything
    else (arrays, NumPy numbers, huge ints, other keys and objects) goes value by value."""
    try:
        return orjson.loads(orjson.dumps(value, option=PASSTHROUGH))
    except TypeError:  # orjson.JSONEncodeError is one
        return walk(value)


def walk(value):
    """json_safe, one value at a time."""
    if isinstance(value, np.ndarray):
        return walk(value.tolist())
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: walk(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [walk(v) for v in value]
    return value


def missing(nid: str) -> NotFound:
    return NotFound(f"no network with id {nid!r}; create one with POST /api/networks")


def record_of(stored: Stored) -> dict:
    """A stored state with its samples: the record it was saved from."""
    return {**stored.state, **(stored.data or {})}
