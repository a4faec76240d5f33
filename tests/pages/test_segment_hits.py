"""Which edges pass through a label's halo (app/views/labels.py: segment_hits) is asked
only of the pairs whose bounding boxes come near each other: the answers are those of
clipping every pair (the placer's test as it was), for a drawn diagram's edges and for
random segments and boxes, touching ones among them (coordinates on a 0.1 grid, as the
layout rounds them)."""

from __future__ import annotations

import numpy as np
import pytest

from app.views.labels import CLEAR, segment_hits


def every_pair(segments: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """The test as the placer asked it of every pair (k, n) at once."""
    x1, y1, x2, y2, hw = (segments[:, c][None, :] for c in range(5))
    m = hw + CLEAR
    bx0, by0 = boxes[:, 0:1] - m, boxes[:, 1:2] - m
    bx1, by1 = boxes[:, 2:3] + m, boxes[:, 3:4] + m
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = np.zeros(bx0.shape), np.ones(bx0.shape)
    inside = np.ones(bx0.shape, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-dx, x1 - bx0), (dx, bx1 - x1), (-dy, y1 - by0), (dy, by1 - y1)):
            p = np.broadcast_to(p, q.shape)
            inside &= ~((p == 0) & (q < 0))
            r = q / p
            t0 = np.where(p < 0, np.maximum(t0, r), t0)
            t1 = np.where(p > 0, np.minimum(t1, r), t1)
    return inside & (t0 <= t1)


@pytest.mark.parametrize("seed", range(20))
def test_the_same_answers_as_clipping_every_pair(seed):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 70)), int(rng.integers(1, 400))
    ends = np.round(rng.uniform(0, 200, (n, 4)), 0)
    if seed % 4 == 0:
        ends[:, 2] = ends[:, 0]  # vertical segments
    if seed % 4 == 1:
        ends[:, 3] = ends[:, 1]  # horizontal ones
    segments = np.column_stack([ends, np.round(rng.uniform(0.4, 3.75, n), 1)])
    corner = np.round(rng.uniform(-10, 200, (k, 2)), 1)
    size = np.round(rng.uniform(0.1, 40, (k, 2)), 1)
    boxes = np.column_stack([corner, corner + size])
    ours, theirs = segment_hits(segments, boxes), every_pair(segments, boxes)
    assert ours.shape == (k, n)
    assert np.array_equal(ours, theirs)
    assert theirs.any() and not theirs.all()  # both answers among the pairs


def test_boxes_that_touch_a_segment_exactly():
    segments = np.array([[10.0, 10.0, 50.0, 10.0, 0.5], [10.0, 10.0, 10.0, 60.0, 1.3]])
    m = segments[:, 4] + CLEAR
    boxes = np.array(
        [
            [50.0 + m[0], 0.0, 60.0, 5.0],  # the corner of the first's grown box
            [10.0 + m[1], 20.0, 30.0, 30.0],  # the second's side
            [0.0, 10.0 + m[0], 5.0, 12.0],
            [11.4, 60.0 + m[1], 20.0, 70.0],
        ]
    )
    assert np.array_equal(segment_hits(segments, boxes), every_pair(segments, boxes))
