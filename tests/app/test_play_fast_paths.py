"""The training view's fast paths give what the plain per-value code gives: values made
JSON-safe (app/service/records.py: json_safe, whose plain data orjson copies in one go,
against the per-value rule written out here) and the diagnostics sparklines
(app/views/training.py: sparkline, against the per-point formula written out here)."""

import dataclasses
import datetime
import math
import random

import numpy as np
import pytest

from app.service.records import json_safe
from app.views.training import sparkline


def per_value(value):
    """json_safe's rule one value at a time: arrays as lists, non-finite floats as None."""
    if isinstance(value, np.ndarray):
        return per_value(value.tolist())
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: per_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [per_value(v) for v in value]
    return value


@dataclasses.dataclass
class Mark:
    at: float


class Text(str):
    pass


def record(**changes) -> dict:
    usual = {"iteration": 3, "grad_norms": [0.5, 2], "saturation": [0.25, 0.0], "dead": [0, 1]}
    return {**usual, **changes}


@pytest.mark.parametrize(
    "records",
    [
        [],
        [record()],
        [record(), record(iteration=4, grad_norms=[math.nan, 1.0])],
        [record(saturation=[math.inf, 0.5])],
        [record(grad_norms=[np.float64(0.5), 1.0])],
        [record(dead=[10**400, 0])],
        [record(dead=[True, 0])],
        [record(iteration=2.0)],
        [record(grad_norms=(0.5, 1.0))],
        [{**record(), "extra": np.array([1.0, np.nan])}],
        [[1.0, math.nan]],
        [record(grad_norms=[-0.0, 5e-324, 2.0**60, 1e16])],
        [record(dead=[2**63, -(2**63), 2**64])],
        [{**record(), 1: [0.5, math.nan]}],  # a key orjson refuses
        [{**record(), "when": Mark(2.0), "name": Text("dead"), "at": datetime.date(2026, 1, 2)}],
    ],
)
def test_json_safe_is_the_per_value_rule(records):
    out = json_safe(records)
    assert repr(out) == repr(per_value(records))  # same values, same types, same order
    if out and isinstance(records[0], dict):
        assert out[0]["grad_norms"] is not records[0]["grad_norms"]  # a copy


def test_non_finite_values_become_none():
    out = json_safe([record(grad_norms=[math.nan, math.inf])])
    assert out[0]["grad_norms"] == [None, None]


def per_point(values, width=90.0, height=22.0) -> str:
    logs = [math.log10(v) for v in values if v and v > 0 and math.isfinite(v)]
    if len(logs) < 2:
        return ""
    lo, hi = min(logs), max(logs)
    span = hi - lo or 1.0
    step = width / (len(logs) - 1)
    return " ".join(
        f"{i * step:.1f},{height - 2 - (v - lo) / span * (height - 4):.1f}"
        for i, v in enumerate(logs)
    )


def test_sparkline_by_hand():
    # log10 of (1, 10, 100) = 0, 1, 2: x = 0, 45, 90; y = 20 − t·18 for t = 0, ½, 1
    assert sparkline([1.0, 10.0, 100.0]) == "0.0,20.0 45.0,11.0 90.0,2.0"
    assert sparkline([5.0, 5.0]) == "0.0,20.0 90.0,20.0"  # a flat line: span 1
    assert sparkline([1.0, None, math.nan, 0.0]) == ""


def test_sparkline_matches_the_per_point_formula():
    rng = random.Random(7)
    odd = [None, 0.0, math.nan, math.inf, -1.0, 5e-324, 1.7976931348623157e308]
    for _ in range(2000):
        values = [
            rng.choice(odd) if rng.random() < 0.1 else 10 ** rng.uniform(-12, 12)
            for _ in range(rng.randint(0, 60))
        ]
        assert sparkline(values) == per_point(values)
