"""What the live region says after Backward and Update follows the bias convention: no
bias gradient or bias update is announced for a layer whose biases are absent or frozen."""

from __future__ import annotations

import pytest

import engine
from app.views import announce
from tests.support.models import frozen


@pytest.mark.parametrize(
    ("bias", "moved", "gradients"),
    [
        ("trained", "every weight and bias moved", "gradients of W¹ and b¹ computed"),
        ("frozen", "every weight moved", "gradients of W¹"),
        ("none", "every weight moved", "gradients of W¹ computed"),
    ],
)
def test_backward_and_update_say_what_the_bias_convention_does(bias, moved, gradients):
    net = engine.create_network({"preset": "worked-example", "bias": bias})
    net.forward(all=True)
    net.backward(all=True)
    said = announce.backward(frozen(net), [1], 0, 4)
    assert gradients in said
    if bias == "none":
        assert "b¹" not in said
    net.update()
    assert moved in announce.updated(frozen(net), 4)
