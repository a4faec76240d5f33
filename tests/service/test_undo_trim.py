"""The undo levels a save trims: the same levels as before (at most undo_levels, about
undo_bytes, the newest always), and never the samples the network goes on to use."""

from __future__ import annotations

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
