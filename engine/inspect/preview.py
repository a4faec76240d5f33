"""What the next Update will do, before it runs: the same update on a copy of the network,
so that the equations can show the new value of every parameter ("runs next") exactly as
Update will make it, whatever the optimiser and its state."""

from __future__ import annotations

import copy

from ..core.network import Network
from ..errors import DivergenceError


def after_update(net: Network) -> Network | None:
    """A copy of `net` after its next Update; None unless Update is what comes next, or
    when the update would make a value non-finite (Update then refuses and says so)."""
    if net.next_action != "update":
        return None
    twin = copy.deepcopy(net)
    try:
        twin.update()
    except DivergenceError:
        return None
    return twin
