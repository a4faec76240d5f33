"""Stable activations and losses, determinism by seed, and engine's import purity."""

import ast
import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from engine import create_network, to_record
from engine.core.activations import ACTIVATIONS, softmax_vjp
from engine.core.initialisers import INITS, init_parameters
from engine.core.losses import FROM_LOGITS, LOSSES
from engine.data.datasets import DATASETS, make_dataset

ENGINE = Path(__file__).resolve().parents[2] / "engine"
Z = np.array([[-1e4, -800.0, -710.0, -30.0, -1e-9, 0.0, 1e-9, 30.0, 710.0, 800.0, 1e4]])


@pytest.fixture
def strict():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            yield


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activations_are_stable_for_large_z(strict, name):
    act = ACTIVATIONS[name]
    a = act.f(Z)
    assert np.isfinite(a).all()
    if act.df is not None:
        assert np.isfinite(act.df(Z, a)).all()
    else:
        assert np.isfinite(softmax_vjp(a, np.ones_like(a))).all()
        assert a.sum() == pytest.approx(1.0)


def test_sigmoid_values_at_the_extremes(strict):
    a = ACTIVATIONS["sigmoid"].f(Z)[0]
    assert a[0] < 1e-300 and a[-1] == 1.0 and a[5] == 0.5
    assert a[3] == pytest.approx(1 / (1 + np.exp(30.0)), rel=1e-15)


@pytest.mark.parametrize("pair", list(FROM_LOGITS))
def test_fused_losses_are_stable_and_exact(strict, pair):
    activation, loss = pair
    z = np.array([[-1e4, 0.0, 1e4], [-30.0, 2.0, 5.0]])
    if activation == "sigmoid":
        y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
    else:
        y = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    values = FROM_LOGITS[pair](z, y)
    assert np.isfinite(values).all()
    # sigmoid: ℓ = log(1 + e^z) − y z per output: 1e4 (y=1, z=−1e4) + ln 2 (z=0) + 1e4
    # softmax: ℓ = −(z_1 − logsumexp z) = 1e4 + 1e4
    expected = 2e4 + np.log(2.0) if activation == "sigmoid" else 2e4
    assert values[0] == pytest.approx(expected, rel=1e-15)
    # moderate logits: the fused form equals the plain loss of f(z)
    a = ACTIVATIONS[activation].f(z[1:])
    assert values[1] == pytest.approx(LOSSES[loss].value(a, y[1:])[0], rel=1e-12)


def test_plain_losses_survive_saturated_outputs(strict):
    y_hat = np.array([[0.0, 1.0, 0.5]])
    y = np.array([[1.0, 0.0, 0.5]])
    for name in ("bce", "cce"):
        assert np.isfinite(LOSSES[name].value(y_hat, y)).all()
        assert np.isfinite(LOSSES[name].grad(y_hat, y)).all()


def test_a_net_with_huge_logits_steps_without_warnings(strict):
    net = create_network(
        {
            "layers": [1, 2, 2],
            "activations": ["relu", "softmax"],
            "loss": "cce",
            "learning_rate": 0.1,
            "weights": [[[1e3], [-1e3]], [[10, 0], [0, 10]]],
            "biases": [[0, 0], [0, 0]],
            "inputs": [[1.0], [-1.0]],
            "targets": [[0, 1], [1, 0]],
        }
    )
    net.step()
    assert np.isfinite(net.trace.loss) and net.trace.loss > 1e3


@pytest.mark.parametrize("init", INITS)
def test_initialisation_is_deterministic_by_seed(init):
    a = init_parameters((3, 5, 2), init, 0.3, 42)
    b = init_parameters((3, 5, 2), init, 0.3, 42)
    c = init_parameters((3, 5, 2), init, 0.3, 43)
    assert all(np.array_equal(x, y) for x, y in zip(a[0] + a[1], b[0] + b[1]))
    assert [w.shape for w in a[0]] == [(5, 3), (2, 5)]
    assert all((b_ == 0).all() for b_ in a[1])
    if init != "zeros":
        assert not np.array_equal(a[0][0], c[0][0])


def test_article_init_is_normal_times_scale():
    w = init_parameters((2, 3, 1), "normal", 0.1, 0)[0][0]
    np.testing.assert_array_equal(w, np.random.default_rng(0).standard_normal((3, 2)) * 0.1)


@pytest.mark.parametrize("name", DATASETS)
def test_datasets_are_deterministic_by_seed(name):
    x1, y1 = make_dataset(name, samples=50, noise=0.1, seed=5)
    x2, y2 = make_dataset(name, samples=50, noise=0.1, seed=5)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert np.isfinite(x1).all() and len(x1) == len(y1)
    if name not in ("xor", "and", "or"):
        assert len(x1) == 50
        assert not np.array_equal(x1, make_dataset(name, samples=50, noise=0.1, seed=6)[0])


def test_same_config_same_network_after_training():
    config = {"preset": "circle-tanh", "seed": 9}
    a, b = create_network(config), create_network(config)
    a.train(20)
    b.train(20)
    assert json.dumps(to_record(a, trace=True)) == json.dumps(to_record(b, trace=True))


def test_engine_imports_only_numpy_and_the_standard_library_at_runtime():
    code = (
        "import sys; before = set(sys.modules); import engine, engine.inspect.boundary, "
        "engine.data.csvdata, engine.inspect.diagnostics, engine.core.optimisers; "
        "print('\\n'.join(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ENGINE.parent
    ).stdout.split()
    assert "engine" in out and "numpy" in out
    tops = {name.split(".")[0] for name in out}
    foreign = tops - set(sys.stdlib_module_names) - {"numpy", "engine"}
    assert not foreign, foreign


def test_engine_source_imports_only_numpy_and_the_standard_library():
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top == "numpy", (path.name, name)
