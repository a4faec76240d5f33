"""A history's [iteration, value] points as an (n, 2) array, remembered between requests.

The curves (app/views/curves.py) draw each history whole on every Play refresh: up to
1,000 points a series, converted from lists. Between two refreshes a history only grows:
the engine appends points and never changes one once made, and the network's next read
shares the very point lists of the last (engine/core/history.py, app/service/recent.py).
So the array made of a history is kept with the points it was made of; a later history
that begins with those very points (the same objects, checked one by one) takes that
array and converts only what follows: after all of them, or all but the last (a
history's last point is often its latest iteration's, which it does not keep once a
later iteration comes: engine/core/history.py, LossHistory.last). The result is the
array a conversion of the whole history gives, bit for bit. Anything else (a thinned
history, another network's, a list of other points) is converted whole.

Kept per process, the newest LATELY histories, by their first point. With its points
(which the recent networks hold too), one takes at most about 150 kB (1,000 points as
lists and as an array), 10 MB in all; 64 covers the four histories (loss and accuracy,
training and test) of 16 networks playing in one process, where a worker of the
classroom benchmark (N=200) serves 10. The kept runs' curves (ghosts) are read afresh
from the record on each request: they are converted without being remembered
(`convert`)."""

from __future__ import annotations

import itertools
import operator
import threading
from collections import OrderedDict

import numpy as np

LATELY = 64
_kept: OrderedDict[int, tuple[tuple, np.ndarray]] = OrderedDict()
_lock = threading.Lock()


def rows_of(history: list) -> np.ndarray:
    """The (n, 2) float array of `history`'s points (None and the non-finite as NaN)."""
    if not history:
        return np.empty((0, 2))
    key = id(history[0])
    with _lock:
        known = _kept.get(key)
    rows = None
    if known is not None:
        points, array = known
        kept = shared(points, history)
        if kept == len(history) == len(points):
            rows = array
        elif kept:
            rows = np.concatenate([array[:kept], convert(history[kept:])])
    if rows is None:
        rows = convert(history)
    rows.flags.writeable = False  # shared by every request that draws this history
    with _lock:
        # the points are held with it: the first one's id stays its key while it is kept
        _kept[key] = (tuple(history), rows)
        _kept.move_to_end(key)
        while len(_kept) > LATELY:
            _kept.popitem(last=False)
    return rows


def shared(points: tuple, history: list) -> int:
    """How many of `history`'s first points are the very `points` (all of them, all but
    the last, or none): the last point of a history is often its latest iteration's, not
    one it keeps (engine/core/history.py: LossHistory.last)."""
    for n in (len(points), len(points) - 1):
        if 0 < n <= len(history) and all(map(operator.is_, itertools.islice(history, n), points)):
            return n
    return 0


def convert(history: list) -> np.ndarray:
    try:  # the common case, every value a number: without a list per row
        flat = itertools.chain.from_iterable(history)
        return np.fromiter(flat, dtype=float, count=2 * len(history)).reshape(-1, 2)
    except (TypeError, ValueError):
        return np.array(history, dtype=float).reshape(-1, 2)


def forget() -> None:
    """Every history remembered (for tests that convert afresh)."""
    with _lock:
        _kept.clear()
