"""Play's fastest speed: `timed` trains for a time budget, sizing its chunks by the rate the
first one showed (a fake network on a fake clock, so the counts are exact)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.service import lab
from engine.fast import budget


@dataclass
class Result:
    losses: np.ndarray
    diverged: dict | None = None
    stopped: dict | None = None


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class FakeNet:
    """Trains `rate` iterations a second on the clock; stops after `stop_after` in all."""

    class spec:
        layers = (2, 8, 8, 1)

    class schedule:
        b = 200

    def __init__(self, clock: Clock, rate: float, stop_after: int | None = None) -> None:
        self.clock, self.rate, self.stop_after = clock, rate, stop_after
        self.calls: list[int] = []
        self.done = 0

    def train(self, count: int, condition=None) -> Result:
        self.calls.append(count)
        if self.stop_after is not None and self.done + count >= self.stop_after:
            count = self.stop_after - self.done
            self.done += count
            self.clock.now += count / self.rate
            return Result(np.zeros(count), stopped={"reason": "the loss is below 0.01"})
        self.done += count
        self.clock.now += count / self.rate
        return Result(np.zeros(count))


def test_the_first_chunk_is_the_estimate_then_the_rate_fills_the_budget(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(lab.time, "perf_counter", clock)
    net = FakeNet(clock, rate=20_000.0)
    seconds = 0.075
    results = lab.timed(net, 1_000_000, None, seconds)
    per = budget.iteration_seconds([2, 8, 8, 1], 200)
    first = int(seconds / 4 / per)
    assert net.calls[0] == first
    # the first chunk took first / 20000 s; the rest of the budget at that rate
    elapsed = first / 20_000.0
    assert net.calls[1] == int(first / elapsed * (seconds - elapsed))
    assert len(net.calls) == 2 and sum(len(r.losses) for r in results) == net.done
    assert abs(net.done - seconds * 20_000.0) <= 1  # the whole budget, to an iteration


def test_the_budget_stops_at_the_most_and_at_the_stop_condition(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(lab.time, "perf_counter", clock)
    net = FakeNet(clock, rate=20_000.0)
    lab.timed(net, 40, None, 0.075)
    assert net.done == 40  # capped by `most` (the work limit or the stop iteration)
    net = FakeNet(clock, rate=20_000.0, stop_after=300)
    results = lab.timed(net, 1_000_000, None, 0.075)
    assert net.done == 300 and results[-1].stopped is not None
