"""Diagnostics records: what one iteration looked like, per layer l = 1..L.

A record (``measure``) is {"iteration", "grad_norms": [|∂L/∂W^l|], "saturation": [share of
(unit, sample) pairs with a flat slope], "dead": [relu units that are 0 for every sample]}.
A network keeps its latest MAX_RECORDS of them (Network.records): one per traced update and
one per fast-path chunk; engine/inspect/diagnostics.py turns them into hints.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import SpecError
from ..limits import MAX_RECORDS

# A unit counts as saturated where its slope f'(z) is (almost) zero: a < 0.01 or a > 0.99
# for sigmoid (f' = a(1 − a) < 0.0099), |a| > 0.98 for tanh (f' = 1 − a² < 0.0396), z ≤ 0
# for relu (f' = 0). The test on f' serves the trace, which holds f'; the one on z and a
# serves the fast path.
FLAT_SLOPE = {"sigmoid": 0.0099, "tanh": 0.0396, "relu": 1e-300}
SATURATED = {
    "sigmoid": lambda z, a: np.abs(a - 0.5) > 0.49,
    "tanh": lambda z, a: np.abs(a) > 0.98,
    "relu": lambda z, a: z <= 0.0,
}


def norm(g: np.ndarray) -> float:
    """The Frobenius norm √(Σ g²), without overflow for huge entries."""
    try:
        n = math.sqrt(float(np.vdot(g, g)))
    except (FloatingPointError, OverflowError):
        n = math.inf
    if math.isfinite(n):
        return n
    with np.errstate(all="ignore"):
        big = float(np.abs(g).max())
        n = big * math.sqrt(float(np.vdot(g / big, g / big)))
    return n if math.isfinite(n) else float(np.finfo(np.float64).max)


def flat_mask(name: str, z, a, fprime):
    """Where layer units are saturated, (m, N_l); None for activations that never are."""
    if name not in SATURATED:
        return None
    if fprime is not None:
        return fprime < FLAT_SLOPE[name]
    return SATURATED[name](z, a)


def measure(activations, zs, as_, grad_ws, iteration: int, fprimes=None) -> dict:
    """One record: per layer the Frobenius norm of ∂L/∂W^l, the share of saturated
    (sample, unit) pairs and the number of dead relu units (0 for every sample).
    zs/as_ (and fprimes, f'(z^l), where known): (m, N_l) per layer; grad_ws:
    (N_l, N_{l-1})."""
    saturation, dead = [], []
    for l, name in enumerate(activations):
        flat = flat_mask(name, zs[l], as_[l], None if fprimes is None else fprimes[l])
        saturation.append(0.0 if flat is None else int(np.count_nonzero(flat)) / flat.size)
        dead.append(int(np.count_nonzero(flat.all(axis=0))) if name == "relu" else 0)
    return {
        "iteration": iteration,
        "grad_norms": [norm(g) for g in grad_ws],
        "saturation": saturation,
        "dead": dead,
    }


def records_from_list(data, depth: int, checked: bool = False) -> list[dict]:
    """Validate stored records (as `measure` makes them) and return them (`checked`:
    records this process has checked before, or written itself: returned as they are)."""
    if data is None or data == []:
        return []
    if checked:
        return [fields(r) for r in data]
    if not isinstance(data, list) or len(data) > MAX_RECORDS:
        raise SpecError("diagnostics", f"must be a list of at most {MAX_RECORDS} records")
    try:  # every record's numbers in one array: one shape check instead of a loop of checks
        values = np.array(
            [[r["iteration"], *r["grad_norms"], *r["saturation"], *r["dead"]] for r in data],
            dtype=np.float64,
        ).reshape(len(data), -1)
    except (TypeError, KeyError, ValueError):
        raise SpecError("diagnostics", "holds something that is not a diagnostics record") from None
    if values.shape[1] != 1 + 3 * depth or not all(
        len(r["grad_norms"]) == len(r["saturation"]) == depth for r in data
    ):
        raise SpecError("diagnostics", f"each record needs one value per layer ({depth})")
    return [fields(r) for r in data]


def fields(r: dict) -> dict:
    """A record's fields (and nothing else), its iteration as an int."""
    return {
        "iteration": int(r["iteration"]),
        "grad_norms": r["grad_norms"],
        "saturation": r["saturation"],
        "dead": r["dead"],
    }
