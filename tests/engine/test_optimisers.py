import numpy as np
import pytest

from engine.core import optimisers
from engine.errors import SpecError


def run(name, steps, theta=1.0, g=0.5, eta=0.1):
    params = [np.array([theta])]
    state = optimisers.initial_state(name, params)
    for _ in range(steps):
        params, state, details = optimisers.step(name, params, [np.array([g])], state, eta)
    return params[0][0], state, details


def test_sgd_is_the_article_update():
    # θ ← θ − η g = 1 − 0.1·0.5 = 0.95
    assert run("sgd", 1)[0] == pytest.approx(0.95, abs=1e-15)


def test_momentum_by_hand():
    # step 1: v = 0.9·0 + 0.5 = 0.5, θ = 1 − 0.1·0.5 = 0.95
    # step 2: v = 0.9·0.5 + 0.5 = 0.95, θ = 0.95 − 0.1·0.95 = 0.855
    theta, _state, details = run("momentum", 2)
    assert theta == pytest.approx(0.855, abs=1e-15)
    assert details["v"][0][0] == pytest.approx(0.95, abs=1e-15)


def test_adam_by_hand():
    # t=1: m = 0.1·0.5 = 0.05, v = 0.001·0.25 = 0.00025
    # m̂ = 0.05/0.1 = 0.5, v̂ = 0.00025/0.001 = 0.25, θ = 1 − 0.1·0.5/(0.5 + 1e-8)
    theta, _state, details = run("adam", 1)
    assert theta == pytest.approx(1 - 0.1 * 0.5 / (0.5 + 1e-8), abs=1e-15)
    assert details["m_hat"][0][0] == pytest.approx(0.5)
    assert details["v_hat"][0][0] == pytest.approx(0.25)
    # t=2 with the same gradient: m = 0.9·0.05 + 0.05 = 0.095, m̂ = 0.095/0.19 = 0.5;
    # v = 0.999·0.00025 + 0.00025 = 0.00049975, v̂ = 0.00049975/0.001999 = 0.25
    theta2, state2, details2 = run("adam", 2)
    assert state2["t"] == 2
    assert details2["m_hat"][0][0] == pytest.approx(0.5, abs=1e-12)
    assert details2["v_hat"][0][0] == pytest.approx(0.25, abs=1e-12)
    assert theta2 == pytest.approx(theta - 0.1 * 0.5 / (0.5 + 1e-8), abs=1e-12)


def test_unknown_optimiser_is_refused():
    with pytest.raises(SpecError, match="optimizer"):
        optimisers.check_optimiser("rmsprop")
