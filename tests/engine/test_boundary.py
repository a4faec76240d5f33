import numpy as np
import pytest

import engine
from engine.core import passes
from engine.inspect import boundary


def test_plane_matches_forward_pass_at_grid_points():
    net = engine.create_network({"preset": "circle-tanh"})
    grid = boundary.plane(net, resolution=7)
    assert len(grid["layers"]) == net.depth
    assert grid["layers"][-1].shape == (7, 7, 1)
    r, c = 3, 5  # row r is y[r], column c is x[c]
    point = np.array([[grid["x"][c], grid["y"][r]]])
    a = point
    for l in range(1, net.depth + 1):
        _, a = passes.forward_layer(
            net.weights[l - 1], net.biases[l - 1], a, net.spec.activations[l - 1]
        )
        assert np.allclose(grid["layers"][l - 1][r, c], a[0], rtol=0, atol=1e-12)


def test_plane_covers_the_data_with_padding():
    net = engine.create_network({"preset": "seed-xor"})
    grid = boundary.plane(net, resolution=5)
    assert grid["x"][0] == pytest.approx(-0.1) and grid["x"][-1] == pytest.approx(1.1)


def test_curve_for_one_input_and_refusals():
    net = engine.create_network({"preset": "sine-regression"})
    c = boundary.curve(net, resolution=11)
    assert c["layers"][-1].shape == (11, 1)
    assert np.all(np.diff(c["x"]) > 0)
    with pytest.raises(ValueError):
        boundary.plane(net)
    with pytest.raises(ValueError):
        boundary.curve(engine.create_network({"preset": "seed-xor"}))
