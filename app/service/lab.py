"""The one service under both routers: load a network from the store, call the engine,
save it, and return a Snapshot (app/service/snapshot.py): the network, its record and, on
first use, the NetworkState of the API contract.

Every change is saved inside the store's write transaction, so it is applied whole or not
at all, and concurrent changes never lose one another. The work itself (reading, the
engine, encoding) runs outside that lock, and the save goes through only onto the version
the work started from; a change that finds the network moved on meanwhile is done once
more inside the lock (so the lock is held for a save, not for a change's whole work, and
one network's change never waits for another's). A caller that already holds a Snapshot
may pass it instead of the id: while the network has not changed since, the change acts on
that Snapshot's network (which it uses up) without reading the network again. Engine
errors become LabErrors with the HTTP status they deserve (see app/errors.py); a refused
change carries the unchanged network's Snapshot."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from itertools import pairwise

import engine
from app.errors import Invalid, NotFound, OutOfOrder, Refused, TooMany
from app.service.codec import Packed
from app.service.quota import too_many
from app.service.records import (
    engine_errors,
    join,
    json_safe,
    missing,
    record_of,
    samples,
    state_of,
)
from app.service.sharing import Sharing, checked_title, titled
from app.service.snapshot import Snapshot
from app.service.store import Change, Stored, prepare
from app.service.stores import NetworkStore
from app.service.traces import Traces
from app.settings import Settings
from engine.fast import budget

Target = str | Snapshot  # a network's id, or a Snapshot of it that the request holds
Named = Stored | Change | Snapshot  # what knows a network's watch id and title
Action = Callable[[engine.Network], dict | None]
SAMPLE_KEYS = ("inputs", "targets", "test_inputs", "test_targets")


def gradcheck_seconds(layers, samples: int) -> float:
    """Estimated time of a gradient check: two partial forward passes per parameter."""
    parameters = sum(n * (k + 1) for k, n in pairwise(layers))
    return 0.75 * parameters * budget.iteration_seconds(layers, samples)


def id_of(target: Target) -> str:
    return target.id if isinstance(target, Snapshot) else target


class LabService(Sharing):
    def __init__(self, store: NetworkStore, settings: Settings):
        self.store = store
        self.settings = settings
        self.traces = Traces()  # the traces moves left, per (id, version)

    def presets(self) -> list[dict]:
        return engine.preset_summaries()

    def ping(self) -> None:
        self.store.ping()

    # ---- reading ----------------------------------------------------------------
    def get(self, target: Target) -> Snapshot:
        """The network as stored now (a Snapshot passed in is returned as it is)."""
        if isinstance(target, Snapshot):
            return target
        stored = self.store.load(target)
        if stored is None:
            raise missing(target)
        net = join(stored, self.traces.find(stored))
        if not stored.checked:
            self.store.accepted(stored)  # its next read need not check it again
        snap = self.snapshot(stored.id, stored.version, net, record_of(stored), stored)
        snap.packed = stored.packed  # the next change's undo level is a delta from it
        return snap

    def snapshot(
        self, nid: str, version: int, net, record: dict, named: Named, extra=None
    ) -> Snapshot:
        """The Snapshot of network `nid` at `version`; `named` (a Stored or a Change) has
        its watch id and title (and, when it was just saved, its undo depth)."""
        depth = named.undo_depth if isinstance(named, Stored) else None
        return Snapshot(
            nid,
            version,
            net,
            record,
            self.store.undo_depth(nid) if depth is None else depth,
            self.train_limit(net),
            extra or {},
            named.watch_id,
            named.title,
        )

    def train_limit(self, net: engine.Network) -> int:
        """The most iterations one request may train this network for (an iteration runs
        over its batch: all samples, or a mini-batch of them)."""
        seconds = self.settings.work_seconds
        fit = budget.max_iterations(net.spec.layers, net.schedule.b, seconds)
        return min(engine.limits.MAX_ITERATIONS, fit)

    def gradcheck(self, target: Target) -> dict:
        """Per layer, the largest relative error of backprop against central differences;
        an error that is not finite (the loss overflowed) is null."""
        snap = self.get(target)
        layers, m = snap.net.spec.layers, snap.net.schedule.b  # the check runs over the batch
        seconds = gradcheck_seconds(layers, m)
        if seconds > self.settings.work_seconds:
            raise Invalid(
                f"gradcheck: checking {m} samples through this network is about "
                f"{seconds:.1f} s of work, over the {self.settings.work_seconds:g} s limit of "
                "one request; check a copy with fewer samples or smaller layers",
                field="gradcheck",
                limit=self.settings.work_seconds,
            )
        return {"id": snap.id, "watch_id": snap.watch_id, **json_safe(engine.gradcheck(snap.net))}

    # ---- changing -----------------------------------------------------------------
    def create(self, config: dict, client: str | None = None) -> Snapshot:
        """A new network from a preset and / or explicit fields (see NetworkCreate),
        samples from a dataset, explicit rows or CSV text; `client` (an address) is held to
        its creations a minute (TooMany, 429, past them)."""
        per_minute = self.settings.create_per_minute
        if client is not None and per_minute > 0:
            wait = self.store.creation_wait(client, per_minute)
            if wait:
                raise TooMany(too_many(per_minute, wait), retry_after=wait)
        with engine_errors():
            try:
                net = engine.create_network(config)
            except csv.Error as e:  # the csv module's own limits (field size, NUL bytes)
                raise Invalid(
                    f"csv: cannot be read: {e}; check the text is plain comma-separated values",
                    field="csv",
                ) from None
        state, data = state_of(net), samples(net)
        stored = self.store.insert(state, data, client, per_minute, checked=True)
        return self.snapshot(stored.id, stored.version, net, {**state, **data}, stored)

    def delete(self, nid: str) -> None:
        if not self.store.delete(nid):
            raise NotFound(f"no network with id {nid!r}")

    def change(
        self, target: Target, act: Action, title: str | None = None, move: bool = False
    ) -> Snapshot:
        """Load (or reuse), act, save, in one transaction; the Snapshot's `extra` is what
        `act` returned; with `title`, the network's new title is part of the change. A
        refusal carries the Snapshot of the network as it stays. First outside the write
        lock (`attempt`); when the network moved on meanwhile (another tab or server changed
        it), once more inside the lock, on the network as it is then. `move`: `act` is a
        move of the step machine, whose trace the next request may reuse
        (app/service/traces.py)."""
        if title is None:
            done = self.attempt(target, act, move)
            if done is not None:
                return done
            target = id_of(target)  # a Snapshot passed in is used up, and old now
        nid = id_of(target)
        with self.store.change(nid) as ch:
            if ch is None:
                raise missing(nid)
            net, record = self.current(ch, target)
            extra, state, data, changed = self.run(ch, ch.version, net, record, act)
            held = isinstance(target, Snapshot) and target.record is record
            # the state before, Packed (None: the row's, as stored)
            before = packed_state(target, record) if held else None  # type: ignore[arg-type]
            stored = ch.save(state, data if changed else None, before, checked=True)
            if title is not None:
                ch.retitle(title, new_version=False)
                stored.title = title
        if move:
            self.traces.keep(stored, net.trace)
        return self.snapshot(nid, stored.version, net, {**state, **data}, stored, extra)

    def change_outside(self, target: Target, act: Action) -> Snapshot:
        """As `change`, for long work (training), which is never done inside the write lock:
        when the network changed meanwhile, the work is done once more outside it, on the
        network as it is now; if it changed again, 409 says so and nothing is saved."""
        snap = self.get(target)
        first = snap.version
        for _attempt in range(2):
            done = self.attempt(snap, act)
            if done is not None:
                return done
            snap = self.get(snap.id)
        refusal = OutOfOrder(
            f"this network changed while the request ran (from version {first} to "
            f"{snap.version}: another tab, browser or client changed it), so nothing was "
            "saved; the page shows it as it is now: repeat the request",
            allowed=snap.record["cursor"]["next"],
        )
        refusal.snapshot = snap
        raise refusal

    def attempt(self, target: Target, act: Action, move: bool = False) -> Snapshot | None:
        """`act` on the network as read now, outside the write lock, saved only if it is
        still that version when the lock is taken: the new Snapshot, or None (nothing
        saved) when the network moved on meanwhile. `move`: as for `change`."""
        snap = self.get(target)
        nid, version, net, record = snap.id, snap.version, snap.net, snap.record
        extra, state, data, changed = self.run(snap, version, net, record, act)
        changed_data = data if changed else None
        pending = prepare(packed_state(snap, record), state, changed_data, checked=True)
        saved = self.store.commit(nid, version, pending)
        if saved is None:
            raise missing(nid)
        if not isinstance(saved, Stored):
            return None
        if move:
            self.traces.keep(saved, net.trace)
        return self.snapshot(nid, saved.version, net, {**state, **data}, saved, extra)

    def run(self, of: Change | Snapshot, version: int, net, record: dict, act: Action):
        """Act on `net` (the network of `record`, at `version`; `of`: its row or Snapshot):
        (what act returned, the new state, the samples, whether they changed). A refusal
        carries the Snapshot."""
        before = [getattr(net, key) for key in SAMPLE_KEYS]
        try:
            with engine_errors():
                extra = act(net) or {}
        except Refused as e:
            e.snapshot = self.snapshot(of.id, version, net, record, of)
            raise
        same = all(a is getattr(net, key) for a, key in zip(before, SAMPLE_KEYS))
        data = {k: record[k] for k in SAMPLE_KEYS if k in record} if same else samples(net)
        return extra, state_of(net), data, not same

    def current(self, ch: Change, target: Target) -> tuple[engine.Network, dict]:
        """The network in the transaction: the caller's Snapshot while it is current, else
        read from the row."""
        if isinstance(target, Snapshot) and target.version == ch.version:
            return target.net, target.record
        stored = ch.current
        return join(stored, self.traces.find(stored)), record_of(stored)

    def forward(self, target: Target, all: bool = False) -> Snapshot:
        return self.change(target, lambda net: net.forward(all=all), move=True)

    def backward(self, target: Target, all: bool = False) -> Snapshot:
        return self.change(target, lambda net: net.backward(all=all), move=True)

    def update(self, target: Target) -> Snapshot:
        return self.change(target, lambda net: net.update(), move=True)

    def step(self, target: Target) -> Snapshot:
        return self.change(target, lambda net: net.step(), move=True)

    def reset(self, target: Target) -> Snapshot:
        return self.change(target, lambda net: net.reset(), move=True)

    def edit(self, target: Target, edits: dict, title: str | None = None) -> Snapshot:
        """Edit the learning rate, optimizer, parameters, samples, loss, conventions, shape
        (layers, activations, features) or initialisation (see engine.edit_network), and /
        or the title; the Snapshot's extra `edit` says what it changed, kept and drew."""
        if title is not None:
            title = checked_title(title)
            if not edits:
                return self.set_title(target, title)

        def act(net: engine.Network) -> dict:
            return {"edit": titled(engine.edit_network(net, **edits), title)}

        return self.change(target, act, title)

    def keep_run(self, target: Target, label: str | None = None) -> Snapshot:
        """Freeze the current curves as a ghost (the oldest of four goes); extra `kept`."""
        return self.change(target, lambda net: {"kept": engine.keep_run(net, label)})

    def forget_run(self, target: Target, number: int) -> Snapshot:
        """Remove kept run `number`."""
        return self.change(target, lambda net: {"forgot": engine.forget_run(net, number)})

    def regenerate(
        self, target: Target, dataset: str | dict | None = None, test_split: float | None = None
    ) -> Snapshot:
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

        return self.change(target, act)

    def train(
        self,
        target: Target,
        iterations: int,
        clamp: bool = False,
        stop: dict | None = None,
        seconds: float | None = None,
    ) -> Snapshot:
        """`iterations` whole iterations on the fast path, or fewer when the `stop`
        condition ({loss_below, accuracy}) is met (extra `stopped` says which); over the
        work limit of one request they are refused, or with `clamp` cut to it (Play's
        refreshes). With `seconds`, as many of them as that much training time allows
        (Play's fastest speed: a chunk that fills a fixed time budget)."""

        def act(net: engine.Network) -> dict:
            condition = engine.check_stop(stop, net.spec.loss)
            limit = self.train_limit(net)
            n = min(iterations, limit) if clamp else iterations
            if n > limit:
                raise Invalid(
                    f"iterations: {n} is more than this network may train in one "
                    f"request (at most {limit}, about {self.settings.work_seconds:g} s of work "
                    f"for {net.schedule.b} samples an iteration); train in several calls",
                    field="iterations",
                    limit=limit,
                )
            results = (
                [net.train(n, condition)] if seconds is None else timed(net, n, condition, seconds)
            )
            return {
                "trained": sum(len(r.losses) for r in results),
                "diverged": results[-1].diverged,
                "stopped": results[-1].stopped,
            }

        return self.change_outside(target, act)

    def undo(self, target: Target) -> Snapshot:
        nid = id_of(target)
        with self.store.change(nid) as ch:
            if ch is None:
                raise NotFound(f"no network with id {nid!r}")
            stored = ch.undo()
            if stored is None:
                net, record = self.current(ch, target)
                refusal = OutOfOrder(
                    "nothing to undo: this network has no earlier state kept",
                    allowed=record["cursor"]["next"],
                )
                refusal.snapshot = self.snapshot(nid, ch.version, net, record, ch)
                raise refusal
        return self.snapshot(nid, stored.version, join(stored), record_of(stored), stored)


def packed_state(snap: Snapshot, record: dict) -> Packed:
    """The state of `record` (the Snapshot's) as a Packed record: the one read from the
    store with it when there is one (the same state), else packed now."""
    if snap.packed is not None and snap.record is record:
        return snap.packed
    return Packed(state_part(record))


def state_part(record: dict) -> dict:
    """A record without its samples: the state the store keeps."""
    return {k: v for k, v in record.items() if k not in SAMPLE_KEYS}


def timed(net: engine.Network, most: int, condition, seconds: float) -> list:
    """Train `net` for about `seconds` (at most `most` iterations): a first chunk sized by
    the budget's pessimistic estimate, then what the rate it showed fits in the rest of the
    time. Stops early at a divergence or the stop condition. Returns each chunk's result."""
    start = time.perf_counter()
    per = budget.iteration_seconds(net.spec.layers, net.schedule.b)
    count = max(1, min(most, int(seconds / 4 / per)))
    results, done = [], 0
    while True:
        result = net.train(count, condition)
        results.append(result)
        done += len(result.losses)
        elapsed = time.perf_counter() - start
        if result.diverged or result.stopped or done >= most or elapsed >= seconds:
            return results
        count = min(most - done, int(done / elapsed * (seconds - elapsed)))
        if count < 1:
            return results
