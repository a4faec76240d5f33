"""Which activations and (output activation, loss) pairs the engine accepts, asked of the
engine itself, for tests that run every one of them."""

from __future__ import annotations

import functools
import itertools

from engine.core.activations import ACTIVATIONS
from engine.core.losses import LOSSES
from engine.core.spec import make_spec
from engine.errors import SpecError

HIDDEN = [name for name in ACTIVATIONS if name != "softmax"]  # softmax: output layer only


@functools.cache
def allowed_outputs() -> list[tuple[str, str]]:
    """Every (output activation, loss) pair the spec accepts, found by asking it."""
    out = []
    for act, loss in itertools.product(ACTIVATIONS, LOSSES):
        try:
            make_spec([2, 4, 3], ["tanh", act], loss, 0.1)
        except SpecError:
            continue
        out.append((act, loss))
    return out
