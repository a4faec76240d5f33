"""Kept runs (ghosts) and the marks of changes: what a ghost freezes, that it stays small,
survives Reset and a new seed, travels in the record, and that a bad one is refused."""

import json

import pytest

from engine import SpecError, create_network, edit_network, from_record, to_record
from engine.core import runs

XOR = {
    "layers": [2, 4, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "bce",
    "learning_rate": 0.5,
    "seed": 1,
    "test_split": 0.0,
    "dataset": {"name": "gauss", "samples": 40, "seed": 1},
}


def test_keep_a_run_freezes_its_curves_and_settings():
    net = create_network(XOR)
    net.train(3000)
    kept = runs.keep_run(net)
    ghost = kept["ghost"]
    assert kept["dropped"] is None and net.ghosts == [ghost]
    assert ghost["label"] == "run 1: sgd η 0.5, seed 1, 2–4–1 tanh"
    assert ghost["settings"]["optimizer"] == "sgd" and ghost["settings"]["seed"] == 1
    assert ghost["iteration"] == 3000
    assert 2 <= len(ghost["loss"]) <= runs.GHOST_POINTS  # thinned from the loss history
    history = net.history.as_list()
    assert ghost["loss"][0] == history[0] and ghost["loss"][-1] == history[-1]
    assert ghost["accuracy"] == net.accuracy_history.as_list()[-len(ghost["accuracy"]) :]
    assert len(json.dumps(net.ghosts)) < 20_000  # small: a few kilobytes a ghost


def test_ghosts_survive_a_reset_and_a_new_seed_and_the_record():
    net = create_network(XOR)
    net.train(100)
    runs.keep_run(net)
    net.reset()
    assert len(net.ghosts) == 1 and net.history.as_list() == []
    edit_network(net, seed=9, optimizer="adam")
    net.train(100)
    runs.keep_run(net, label="adam, seed 9")
    copy = from_record(json.loads(json.dumps(to_record(net))))
    assert [g["label"] for g in copy.ghosts] == [net.ghosts[0]["label"], "adam, seed 9"]
    assert copy.ghosts == net.ghosts


def test_at_most_four_ghosts_the_oldest_goes():
    net = create_network(XOR)
    net.train(10)
    dropped = [runs.keep_run(net)["dropped"] for _ in range(runs.MAX_GHOSTS + 1)]
    assert dropped[:-1] == [None] * runs.MAX_GHOSTS
    assert dropped[-1] == "run 1: sgd η 0.5, seed 1, 2–4–1 tanh"
    assert [g["number"] for g in net.ghosts] == [2, 3, 4, 5]
    runs.forget_run(net, 3)
    assert [g["number"] for g in net.ghosts] == [2, 4, 5]
    with pytest.raises(SpecError) as e:
        runs.forget_run(net, 3)
    assert "2, 4, 5" in e.value.message


def test_nothing_to_keep_before_training():
    with pytest.raises(SpecError) as e:
        runs.keep_run(create_network(XOR))
    assert e.value.field == "keep"


def test_a_thinned_curve_keeps_both_ends_and_its_order():
    points = [[i, 1.0 / (i + 1)] for i in range(1000)]
    thin = runs.thinned(points)
    assert len(thin) == runs.GHOST_POINTS and thin[0] == points[0] and thin[-1] == points[-1]
    assert [p[0] for p in thin] == sorted(p[0] for p in thin)


@pytest.mark.parametrize(
    ("ghosts", "field"),
    [
        ("run", "ghosts"),
        ([{"label": "x"}] * 5, "ghosts"),
        ([{"label": "x", "settings": {}, "loss": [[0, "a"]]}], "ghosts[0].loss"),
        ([{"label": "x", "settings": {}, "loss": [[1, 2]] * 201}], "ghosts[0].loss"),
        ([{"label": "", "settings": {}}], "label"),
        ([{"label": "x", "settings": {}, "number": 0}], "ghosts[0].number"),
    ],
)
def test_bad_ghosts_are_refused(ghosts, field):
    with pytest.raises(SpecError) as e:
        runs.check_ghosts(ghosts)
    assert e.value.field == field


def test_settings_of_an_import_keep_only_what_they_can_be():
    (ghost,) = runs.check_ghosts(
        [{"label": "mine", "settings": {"optimizer": "adam", "seed": "x", "layers": [2, 99]}}]
    )
    assert ghost["settings"]["optimizer"] == "adam"
    assert ghost["settings"]["seed"] is None and ghost["settings"]["layers"] is None


def test_each_edit_marks_the_history_in_a_few_words():
    net = create_network(XOR)
    edit_network(net, learning_rate=0.1)  # no history yet: no mark
    net.train(5)
    edit_network(net, learning_rate=0.2, optimizer="momentum")
    edit_network(net, bias="frozen")
    edit_network(net, features=["x1", "x2", "x1*x2"])
    assert [m["what"] for m in net.changes] == [
        "η 0.1 → 0.2; optimizer momentum",
        "bias frozen",
        "features x₁, x₂, x₁x₂",
    ]
    assert {m["iteration"] for m in net.changes} == {5}
