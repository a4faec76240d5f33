"""Read models of networks as the view tests use them."""

from __future__ import annotations

import engine
from app.views.model import NetworkModel


def frozen(net: engine.Network) -> NetworkModel:
    """The read model of a copy of `net` as it is now: later steps of `net` leave it as it
    is (the copy comes from its record, trace included, so nothing is recomputed)."""
    return NetworkModel(engine.from_record(engine.to_record(net, trace=True)))
