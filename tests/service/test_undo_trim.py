"""The undo levels a save trims: the same levels as before (at most undo_levels, about
undo_bytes, the newest always), and never the samples the network goes on to use."""

from __future__ import annotations

from app.service.store import TRIM, Store
from tests.support.stores import rows

CIRCLE = {"name": "circle", "samples": 30, "seed": 1}
MOONS = {"name": "moons", "samples": 30, "seed": 1}


def test_samples_a_trimmed_level_used_stay_when_the_change_goes_back_to_them(services, database):
    (a,) = services(1, undo_levels=1)
    nid = a.create({"preset": "seed-xor", "dataset": CIRCLE}).id
    first = a.get(nid).record["inputs"]
    a.regenerate(nid, MOONS)  # the level kept holds the circle's samples
    a.regenerate(nid, CIRCLE)  # back to them, as that level is trimmed
    (b,) = services(1)  # a new process reads the samples from the database
    assert b.get(nid).record["inputs"] == first
    assert b.step(nid).net.iteration == 1
    assert len(rows(database, "SELECT key FROM data")) == 2  # circle (the row), moons (undo)


def test_the_levels_kept_are_the_newest_within_both_limits(services, database):
    (a,) = services(1, undo_levels=3)
    nid = a.create({"preset": "seed-xor"}).id
    depths = [a.step(nid).undo_levels for _ in range(5)]
    assert depths == [1, 2, 3, 3, 3]
    assert [r[0] for r in rows(database, "SELECT seq FROM undo ORDER BY seq")] == [3, 4, 5]
    sizes = [r[0] for r in rows(database, "SELECT bytes FROM undo ORDER BY seq DESC")]
    (c,) = services(1, undo_levels=10, undo_bytes=sizes[0] + sizes[1] - 1)
    snap = c.step(nid)  # room for the newest level and not two more
    assert snap.undo_levels == 1 == a.store.undo_depth(nid)
    assert [r[0] for r in rows(database, "SELECT seq FROM undo")] == [6]


def test_a_trim_cuts_what_the_one_statement_rule_cuts(services, monkeypatch):
    """Store._trim counts the levels first and, when their bytes are within undo_bytes,
    cuts by place: for level limits and byte caps that make either path run, after every
    save the levels left are those TRIM (the rule in one statement, newest first) marks to
    keep, and the count it answers is theirs."""
    seen = {"count only": 0, "bytes": 0}
    trim = Store._trim

    def checked(self, conn, nid, live):
        cut, at, count = conn.execute(TRIM, (self.undo_levels, self.undo_bytes, nid)).fetchone()
        total = conn.execute("SELECT SUM(bytes) FROM undo WHERE id=?", (nid,)).fetchone()[0]
        if cut is not None:
            seen["bytes" if total > self.undo_bytes else "count only"] += 1
        left = trim(self, conn, nid, live)
        assert left == (int(count) if cut is None else int(at) - 1)
        seqs = [r[0] for r in conn.execute("SELECT seq FROM undo WHERE id=? ORDER BY seq", (nid,))]
        assert len(seqs) == left and (cut is None or min(seqs) > cut)
        return left

    monkeypatch.setattr(Store, "_trim", checked)
    (probe,) = services(1)
    nid = probe.create({"preset": "seed-xor"}).id
    probe.step(nid)
    level = int(rows_of(probe, nid)[0])  # the bytes of one step's level
    for levels, cap in ((1, 10**9), (3, 10**9), (5, 3 * level), (4, 1), (2, 2 * level + 1)):
        (a,) = services(1, undo_levels=levels, undo_bytes=cap)
        for _ in range(4):
            a.step(nid)
        a.undo(nid)  # the top level goes: the next save's seq follows the one below
        for _ in range(3):
            a.step(nid)
    assert seen["count only"] and seen["bytes"], seen


def rows_of(service, nid: str) -> list:
    with service.store.reading() as conn:
        return [r[0] for r in conn.execute("SELECT bytes FROM undo WHERE id=?", (nid,))]
