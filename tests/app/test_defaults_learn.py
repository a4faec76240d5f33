"""Defaults that learn: for every dataset the start page's builder offers, the network it
fills in when the dataset is chosen reaches 95 % training accuracy (a regression set: a
loss a tenth of the targets' variance) within the iterations that ten seconds of Play
give at the lab page's default speed, trained on the engine's fast path as Play does."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from app.views.training import DEFAULT_SPEED, POLL_MS
from app.web.forms import builder
from engine.core.measures import classifies
from engine.data.datasets import DATASETS

PLAY_SECONDS = 10
# one refresh of DEFAULT_SPEED iterations every POLL_MS at most: 83 refreshes of 50
ITERATIONS = PLAY_SECONDS * 1000 // POLL_MS * DEFAULT_SPEED


def test_ten_seconds_of_play_by_hand():
    assert (POLL_MS, DEFAULT_SPEED) == (120, 50)  # 10 000 ms / 120 ms = 83 refreshes
    assert ITERATIONS == 83 * 50 == 4150


@pytest.mark.parametrize("name", builder.OPTIONS["datasets"])
def test_the_builders_defaults_learn_each_dataset_in_ten_seconds_of_play(name):
    assert name in DATASETS
    config = builder.to_config(builder.form_values({"dataset": name}, dataset_defaults=True))
    net = engine.create_network(config)
    trained = net.train(ITERATIONS)
    assert trained.diverged is None
    if classifies(net.spec.loss):
        accuracy, _ = net.accuracies()
        assert accuracy is not None and accuracy >= 0.95, (name, accuracy)
        assert net.accuracy_history.as_list()[-1][1] >= 0.9  # the curve the page draws
    else:
        loss = float(trained.losses[-1])
        assert loss <= np.var(net.targets) / 10, (name, loss, np.var(net.targets))


def test_choosing_a_dataset_fills_in_its_network(client):
    page = client.get("/builder/defaults", params={"dataset": "spiral", "layers": "2, 3, 1"})
    assert page.status_code == 200
    text = page.text
    assert 'value="2, 10, 10, 1"' in text
    assert 'value="0.03"' in text
    assert "<option selected>adam</option>" in text
    assert builder.form_values({})["layers"] == "2, 4, 1"  # xor's own, the first dataset
