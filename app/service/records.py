"""How a network travels between the engine and the store: the engine's dict split into a
small state (kept on the undo stack) and its data blob (samples, stored once per distinct
content), joined back into a Network; and the engine's errors as the service's."""

from __future__ import annotations

import math
from contextlib import contextmanager

import engine
from app.errors import Invalid, OutOfOrder
from app.service.store import Stored

# Rebuilt on load (trace, loss histories) or kept in the data blob (the samples).
DATA_KEYS = ("inputs", "targets", "test_inputs", "test_targets")
NOT_STORED = ("trace", "loss_history", "test_loss_history", *DATA_KEYS)


@contextmanager
def engine_errors():
    """Turn the engine's exceptions into the service's."""
    try:
        yield
    except engine.SpecError as e:
        raise Invalid(str(e), field=e.field) from None
    except engine.OrderError as e:
        raise OutOfOrder(str(e), allowed=e.allowed) from None
    except engine.DivergenceError as e:
        raise Invalid(str(e), field=None, stage=e.stage, remedy=e.remedy) from None


def split(full: dict) -> tuple[dict, dict]:
    """(state without trace and samples, samples) as the store keeps them, from `to_dict`.
    The samples blob holds inputs and targets, and the held-out test samples when there
    are any (so a network without a test split keeps the blob it always had)."""
    state = {k: v for k, v in full.items() if k not in NOT_STORED}
    data = {"inputs": full["inputs"], "targets": full["targets"]}
    if full.get("test_inputs"):
        data["test_inputs"], data["test_targets"] = full["test_inputs"], full["test_targets"]
    return state, data


def join(stored: Stored) -> engine.Network:
    with engine_errors():
        return engine.from_dict({**stored.state, **stored.data})


def finite_or_null(value):
    """`value` with every non-finite float replaced by None (JSON has no NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite_or_null(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite_or_null(v) for v in value]
    return value
