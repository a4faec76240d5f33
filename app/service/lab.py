"""The one service under both routers: load a network from the store, call the engine,
save it, and return plain data (the NetworkState dict of the API contract).

Every change runs inside the store's write transaction, so it is applied whole or not at
all, and concurrent changes never lose one another. Engine errors become LabErrors with
the HTTP status they deserve (see app/errors.py)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from itertools import pairwise

import engine
from app.errors import Invalid, NotFound, OutOfOrder
from app.service.readouts import Readouts
from app.service.records import engine_errors, finite_or_null, join, split
from app.service.store import SQLiteStore, Stored
from app.settings import Settings
from engine.fast import budget

INTERNAL_KEYS = ("format", "history")


def gradcheck_seconds(layers, samples: int) -> float:
    """Estimated time of a gradient check: two partial forward passes per parameter."""
    parameters = sum(n * (k + 1) for k, n in pairwise(layers))
    return 0.75 * parameters * budget.iteration_seconds(layers, samples)


class LabService(Readouts):
    def __init__(self, store: SQLiteStore, settings: Settings):
        self.store = store
        self.settings = settings

    # ---- views ------------------------------------------------------------------
    def view(self, nid: str, version: int, net: engine.Network, full: dict | None = None) -> dict:
        """The NetworkState: id, version, spec fields, parameters, data, cursor, trace,
        loss_history, and what the page needs besides (undo depth, work limits)."""
        state = dict(full) if full is not None else engine.to_dict(net)
        for key in INTERNAL_KEYS:
            state.pop(key, None)
        state["undo_levels"] = self.store.undo_depth(nid)
        state["max_train_iterations"] = min(
            engine.limits.MAX_ITERATIONS,
            budget.max_iterations(net.spec.layers, len(net.inputs), self.settings.work_seconds),
        )
        return {"id": nid, "version": version, **state}

    def presets(self) -> list[dict]:
        return engine.preset_summaries()

    def ping(self) -> None:
        self.store.ping()

    # ---- reading ----------------------------------------------------------------
    def load(self, nid: str) -> tuple[Stored, engine.Network]:
        stored = self.store.load(nid)
        if stored is None:
            raise NotFound(f"no network with id {nid!r}; create one with POST /api/networks")
        return stored, join(stored)

    def get(self, nid: str) -> dict:
        stored, net = self.load(nid)
        return self.view(nid, stored.version, net)

    def gradcheck(self, nid: str) -> dict:
        """Per layer, the largest relative error of backprop against central differences;
        an error that is not finite (the loss overflowed) is null."""
        _, net = self.load(nid)
        layers, samples = net.spec.layers, len(net.inputs)
        seconds = gradcheck_seconds(layers, samples)
        if seconds > self.settings.work_seconds:
            raise Invalid(
                f"gradcheck: checking {samples} samples through this network is about "
                f"{seconds:.1f} s of work, over the {self.settings.work_seconds:g} s limit of "
                "one request; check a copy with fewer samples or smaller layers",
                field="gradcheck",
                limit=self.settings.work_seconds,
            )
        return {"id": nid, **finite_or_null(engine.gradcheck(net))}

    # ---- changing -----------------------------------------------------------------
    def create(self, config: dict) -> dict:
        """A new network from a preset and / or explicit fields (see NetworkCreate),
        samples from a dataset, explicit rows or CSV text."""
        with engine_errors():
            try:
                net = engine.create_network(config)
            except csv.Error as e:  # the csv module's own limits (field size, NUL bytes)
                raise Invalid(
                    f"csv: cannot be read: {e}; check the text is plain comma-separated values",
                    field="csv",
                ) from None
        full = engine.to_dict(net)
        stored = self.store.insert(*split(full))
        return self.view(stored.id, stored.version, net, full)

    def delete(self, nid: str) -> None:
        if not self.store.delete(nid):
            raise NotFound(f"no network with id {nid!r}")

    def change(self, nid: str, act: Callable[[engine.Network], dict | None]) -> dict:
        """Load, act, save, in one transaction; returns the view plus what `act` returned."""
        with self.store.change(nid) as ch:
            if ch is None:
                raise NotFound(f"no network with id {nid!r}; create one with POST /api/networks")
            net = join(ch.current)
            with engine_errors():
                extra = act(net) or {}
            full = engine.to_dict(net)
            state, data = split(full)
            if data == ch.current.data:
                data = ch.current.data
            stored = ch.save(state, data)
        return {**self.view(nid, stored.version, net, full), **extra}

    def forward(self, nid: str, all: bool = False) -> dict:
        return self.change(nid, lambda net: net.forward(all=all))

    def backward(self, nid: str, all: bool = False) -> dict:
        return self.change(nid, lambda net: net.backward(all=all))

    def update(self, nid: str) -> dict:
        return self.change(nid, lambda net: net.update())

    def step(self, nid: str) -> dict:
        return self.change(nid, lambda net: net.step())

    def reset(self, nid: str) -> dict:
        return self.change(nid, lambda net: net.reset())

    def edit(self, nid: str, edits: dict) -> dict:
        """Edit learning_rate, optimizer, weights, biases, inputs and / or targets (see
        engine.edit_network: a new optimizer starts from a fresh state)."""
        return self.change(nid, lambda net: engine.edit_network(net, **edits))

    def regenerate(
        self, nid: str, dataset: str | dict | None = None, test_split: float | None = None
    ) -> dict:
        """New samples from `dataset` (a name or {name, samples, noise, seed, classes}; None:
        the network's own dataset again) split with `test_split` (None: the network's
        split); explicit samples are split again. Clears the iteration; undoable."""

        def act(net: engine.Network) -> None:
            split_now = net.spec.test_split if test_split is None else test_split
            if dataset is None and net.spec.dataset is None and test_split is None:
                raise Invalid(
                    "regenerate: this network's samples were given explicitly, not "
                    "generated; give a dataset (a name or {name, samples, noise, "
                    "seed}) or a test_split",
                    field="dataset",
                )
            engine.edit_network(net, dataset=dataset, test_split=split_now)

        return self.change(nid, act)

    def train(self, nid: str, iterations: int) -> dict:
        def act(net: engine.Network) -> dict:
            limit = budget.max_iterations(
                net.spec.layers, len(net.inputs), self.settings.work_seconds
            )
            if iterations > limit:
                raise Invalid(
                    f"iterations: {iterations} is more than this network may train in one "
                    f"request (at most {limit}, about {self.settings.work_seconds:g} s of work "
                    f"for {len(net.inputs)} samples); train in several calls",
                    field="iterations",
                    limit=limit,
                )
            result = net.train(iterations)
            return {"trained": len(result.losses), "diverged": result.diverged}

        return self.change(nid, act)

    def undo(self, nid: str) -> dict:
        with self.store.change(nid) as ch:
            if ch is None:
                raise NotFound(f"no network with id {nid!r}")
            stored = ch.undo()
            if stored is None:
                raise OutOfOrder(
                    "nothing to undo: this network has no earlier state kept",
                    allowed=ch.current.state["cursor"]["next"],
                )
        return self.view(nid, stored.version, join(stored))
