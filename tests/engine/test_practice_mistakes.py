"""The checker against an independent oracle (tests/support/practice_oracle.py: the
equations in plain NumPy written for the test), on random networks under every convention:
for every quantity the next action computes, at every point of the iteration, for every
neuron, edge and sample, and for every mistake the oracle finds applicable, the learner's
number under that mistake is named as that mistake (or, where two mistakes give the same
number, as the more common of them with the other in `also`), and the right value, typed
as the page shows it, is correct at every decimals setting."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.service.practice import tolerance
from app.views.format import MAX_DIGITS, MIN_DIGITS, fmt
from engine import create_network
from engine.practice import MISTAKES, Ask, check, parse_number
from tests.support.practice_oracle import Oracle

TIGHT = tolerance(9)
ORDER = list(MISTAKES)


def random_config(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    depth = int(rng.integers(1, 4))
    out_act, loss = [
        ("sigmoid", "mse"),
        ("linear", "sse"),
        ("tanh", "mse_mean"),
        ("sigmoid", "bce"),
        ("softmax", "cce"),
    ][seed % 5]
    n_out = int(rng.integers(2, 4)) if loss == "cce" else int(rng.integers(1, 4))
    layers = [int(rng.integers(1, 4)) for _ in range(depth)] + [n_out]
    hidden = [
        str(rng.choice(["sigmoid", "tanh", "relu", "leaky_relu", "linear"]))
        for _ in range(depth - 1)
    ]
    m = int(rng.integers(1, 5))
    x = rng.normal(size=(m, layers[0])).round(3)
    if loss == "bce":
        y = rng.integers(0, 2, size=(m, n_out)).astype(float)
    elif loss == "cce":
        y = np.eye(n_out)[rng.integers(0, n_out, size=m)]
    else:
        y = rng.uniform(-0.5, 1, size=(m, n_out)).round(3)
    weights = [
        rng.normal(0, 0.9, size=(layers[l + 1], layers[l])).round(4).tolist() for l in range(depth)
    ]
    biases = [rng.normal(0, 0.5, size=layers[l + 1]).round(4).tolist() for l in range(depth)]
    bias = [str(rng.choice(["trained", "frozen", "none"])) for _ in range(depth)]
    biases = [b if mode != "none" else [0.0] * len(b) for b, mode in zip(biases, bias)]
    return {
        "layers": layers,
        "activations": [*hidden, out_act],
        "loss": loss,
        "learning_rate": float(rng.choice([0.1, 0.5, 1.5])),
        "weights": weights,
        "biases": biases,
        "inputs": x.tolist(),
        "targets": y.tolist(),
        "bias": bias,
        "reduction": str(rng.choice(["mean", "sum"])),
        "batch_size": None if rng.random() < 0.5 else int(rng.integers(1, m + 1)),
        "regularization": str(rng.choice(["none", "l2", "l1"])),
        "regularization_rate": 0.05,
        "optimizer": str(rng.choice(["sgd", "momentum", "adam"])),
    }


def asks_of_next(net):
    """Every (quantity, layer, j, k, sample row) the next action computes."""
    spec, L = net.spec, net.depth
    rows = range(
        min(
            2,
            len(net.schedule.batch(net.iteration))
            if net.phase in ("idle", "updated")
            else len(net.trace.batch),
        )
    )
    if net.next_action == "forward":
        l = 1 if net.phase in ("idle", "updated") else net.layer + 1
        for j in range(1, spec.layers[l] + 1):
            for r in rows:
                yield ("z", l, j, None, r)
                yield ("a", l, j, None, r)
                if l == L:
                    yield ("dloss_doutput", l, j, None, r)
                    if j == 1:
                        yield ("loss", l, j, None, r)
        return
    if net.next_action == "backward":
        l = L if net.phase == "forward" else net.layer - 1
        for j in range(1, spec.layers[l] + 1):
            for r in rows:
                if spec.activations[l - 1] != "softmax":
                    yield ("fprime", l, j, None, r)
                yield ("delta", l, j, None, r)
            for k in range(1, spec.layers[l - 1] + 1):
                yield ("grad_w", l, j, k, rows[0])
            if spec.has_bias(l):
                yield ("grad_b", l, j, None, rows[0])
        return
    moments = {"sgd": (), "momentum": ("v",), "adam": ("m", "v", "m_hat", "v_hat")}[spec.optimizer]
    for l in range(1, L + 1):
        for j in range(1, spec.layers[l] + 1):
            for k in range(1, spec.layers[l - 1] + 1):
                yield ("w", l, j, k, 0)
                for q in moments:
                    yield (q, l, j, k, 0)
            if spec.has_bias(l):
                yield ("b", l, j, None, 0)
                if spec.trains_bias(l):
                    for q in moments:
                        yield (q, l, j, None, 0)


def expected_names(values: dict, number: float) -> list[str]:
    """The oracle's mistakes (distinct from the right value) that give `number`, most
    common first."""
    right = values["right"]
    hits = [
        name
        for name, v in values.items()
        if name != "right" and abs(v - right) > TIGHT(right) and abs(number - v) <= TIGHT(v)
    ]
    return sorted(hits, key=ORDER.index)


def sample_of(net, r):
    batch = (
        net.schedule.batch(net.iteration) if net.phase in ("idle", "updated") else net.trace.batch
    )
    return int(batch[r])


def check_point(net) -> int:
    """Every ask of the next action at this point of the iteration; the number of checks."""
    oracle, n = Oracle(net), 0
    for q, l, j, k, r in asks_of_next(net):
        values = oracle.values(q, l, j, r, k)
        ask = Ask(q, l, j, sample_of(net, r), k)
        right = values["right"]
        verdict = check(net, ask, right, TIGHT)
        assert verdict.correct, (ask, right, verdict.value)
        assert verdict.value == pytest.approx(right, rel=1e-9, abs=1e-12), ask
        applicable = {s.name for s in verdict.work.slips}
        assert applicable == set(values) - {"right"}, (ask, applicable, set(values))
        for name, number in values.items():
            if name == "right":
                continue
            got = check(net, ask, number, TIGHT)
            names = expected_names(values, number)
            if not names:  # the mistake gives the right number here: no mistake to name
                assert got.correct, (ask, name)
                continue
            assert not got.correct and got.mistake is not None, (ask, name, number)
            assert got.mistake.name == names[0], (ask, name, names, got.mistake.name)
            assert sorted(got.also, key=ORDER.index) == names[1:], (ask, name, got.also)
            assert got.mistake.value == pytest.approx(values[name], rel=1e-9, abs=1e-12)
            n += 1
    return n


def walk(net) -> int:
    """check_point before every action of one iteration (and the next's first)."""
    n = check_point(net)
    for _ in range(2 * net.depth + 1):
        if net.next_action == "forward":
            net.forward()
        elif net.next_action == "backward":
            net.backward()
        else:
            net.update()
        n += check_point(net)
    return n


@pytest.mark.parametrize("seed", range(40))
def test_every_mistake_is_named_on_random_networks(seed):
    net = create_network(random_config(seed))
    if seed % 2:
        net.step()  # a second iteration: the optimiser's state is not zero any more
    assert walk(net) > 0


def test_a_check_changes_nothing():
    """The checker works on a copy: the network's phase, parameters, trace and optimiser
    state are the same objects with the same numbers after checks at every point."""
    net = create_network({**random_config(5), "optimizer": "adam"})
    for _ in range(2 * net.depth + 1):
        before = (net.phase, net.layer, net.iteration, net.trace, [w.copy() for w in net.weights])
        state = {
            k: v if k == "t" else [None if a is None else a.copy() for a in v]
            for k, v in net.optimizer_state.items()
        }
        check_point(net)
        assert (net.phase, net.layer, net.iteration, net.trace) == before[:4]
        assert all((a == b).all() for a, b in zip(net.weights, before[4]))
        for key, arrays in state.items():
            if key == "t":
                assert net.optimizer_state["t"] == arrays
            else:
                for a, b in zip(net.optimizer_state[key], arrays):
                    assert (a is None and b is None) or (a == b).all()
        net.step() if net.next_action == "update" else getattr(net, net.next_action)()


@pytest.mark.parametrize("seed", range(10))
def test_the_right_value_is_correct_at_every_decimals_setting(seed):
    net = create_network(random_config(seed))
    oracle = Oracle(net)
    for q, l, j, k, r in list(asks_of_next(net))[:6]:
        right = oracle.values(q, l, j, r, k)["right"]
        for d in range(MIN_DIGITS, MAX_DIGITS + 1):
            shown = fmt(right, d)
            typed = [shown, shown.replace("\u2212", "-"), shown.replace(".", ",")]
            for text in typed:
                verdict = check(
                    net, Ask(q, l, j, sample_of(net, r), k), parse_number(text), tolerance(d)
                )
                assert verdict.correct, (q, l, j, d, text, right)


@given(
    seed=st.integers(0, 10_000),
    steps=st.integers(0, 7),
    pick=st.integers(0, 10_000),
    number=st.floats(-50, 50, allow_nan=False),
    decimals=st.integers(MIN_DIGITS, MAX_DIGITS),
)
@settings(max_examples=150, deadline=None)
def test_wrong_answers_far_from_every_mistake_name_none(seed, steps, pick, number, decimals):
    net = create_network(random_config(seed))
    for _ in range(steps % (2 * net.depth + 1)):
        net.step() if net.next_action == "update" else getattr(net, net.next_action)()
    asks = list(asks_of_next(net))
    q, l, j, k, r = asks[pick % len(asks)]
    values = Oracle(net).values(q, l, j, r, k)
    tol = tolerance(decimals)
    assume(all(abs(number - v) > 10 * tol(v) + 1e-9 for v in values.values()))
    verdict = check(net, Ask(q, l, j, sample_of(net, r), k), number, tol)
    assert not verdict.correct and verdict.mistake is None and verdict.also == []
