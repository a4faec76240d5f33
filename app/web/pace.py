"""Play's fastest speed: how long one refresh trains.

A refresh at the fastest speed should take about REFRESH_SECONDS from the request's start
to its answer, so that the page gets its refreshes more than 8 times a second (one every
FASTEST_POLL_MS, app/views/training.py), and it should spend as much of that as it can
training. What the refresh costs besides training (loading and saving the network, the
numbers it draws, the chunk's last overshoot) is not known in advance and grows when the
machine is busy, so each server process keeps a running estimate of it (`Pace`, an
exponential average of the refreshes it served) and trains for the rest: the busier the
machine, the shorter the training, never the fewer refreshes. The estimate is the
process's own timing, nothing about any network, so it cannot be stale for one."""

from __future__ import annotations

import threading

from app.views.training import PLAY_SECONDS

REFRESH_SECONDS = 0.105  # of FASTEST_POLL_MS = 110: a few ms for the network and the page
LEAST_SECONDS = 0.03  # the shortest training of a refresh, however busy the server
MOST_SECONDS = 0.09
FIRST_GUESS = REFRESH_SECONDS - 0.01 - PLAY_SECONDS  # before any refresh was timed
WEIGHT = 0.2  # of the latest refresh in the running estimate


class Pace:
    """A running estimate of what a fastest refresh costs after its training starts,
    besides the training time it asked for (seconds): its chunk's overshoot, saving the
    network, drawing the numbers."""

    def __init__(self, after: float = FIRST_GUESS) -> None:
        self.after = after
        self._lock = threading.Lock()

    def seconds(self, started: float, now: float) -> float:
        """How long the refresh that began at `started` trains from `now` (both
        time.perf_counter)."""
        rest = REFRESH_SECONDS - (now - started) - self.after
        return min(MOST_SECONDS, max(LEAST_SECONDS, rest))

    def served(self, began: float, asked: float, now: float) -> None:
        """The refresh whose training began at `began` and asked for `asked` seconds is
        ready at `now`."""
        after = max(0.0, now - began - asked)
        with self._lock:
            self.after += WEIGHT * (after - self.after)


PACE = Pace()  # this server process's
