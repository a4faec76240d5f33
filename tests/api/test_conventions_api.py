"""The conventions through the API: every field at create and PATCH, what the NetworkState
shows of them, and a clear 422 for every bad value (the field, its choices or bounds),
which changes nothing."""

from __future__ import annotations

import pytest

from app.api.schemas import GradCheck
from engine import limits
from tests.api.test_routes import XOR
from tests.support.api_helpers import checked


def error(response, status: int = 422) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def test_the_defaults_are_the_articles(create):
    net = create(**XOR)
    assert net["bias"] == "trained" and net["reduction"] == "mean"
    assert net["batch_size"] is None and net["shuffle"] is True
    assert net["regularization"] == "none" and net["regularization_rate"] == 0.0
    assert net["epoch"] == 1 and net["batch"] == [0, 1, 2, 3]


def test_every_convention_at_create(create, act):
    net = create(
        **XOR,
        bias=["frozen", "none"],
        reduction="sum",
        batch_size=2,
        shuffle=False,
        regularization="l2",
        regularization_rate=0.25,
    )
    assert net["bias"] == ["frozen", "none"] and net["biases"][1] == [0.0]
    assert (net["reduction"], net["batch_size"], net["shuffle"]) == ("sum", 2, False)
    assert (net["regularization"], net["regularization_rate"]) == ("l2", 0.25)
    assert net["batch"] == [0, 1]
    state = act(net["id"], "step")
    t = state["trace"]
    assert t["batch"] == [0, 1] and len(t["layers"][0]["z"]) == 2
    assert t["loss"] == pytest.approx(t["data_loss"] + t["penalty"], abs=1e-15)
    assert t["penalty"] > 0 and t["data_loss"] == pytest.approx(sum(t["losses"]), abs=1e-15)
    assert t["layers"][1]["grad_biases"] is None  # no bias: nothing to differentiate
    assert t["layers"][0]["grad_weights_penalty"] is not None
    assert len(t["dloss_dinput"]) == 2 and len(t["dloss_dinput"][0]) == 2
    assert state["biases"][0] == net["biases"][0]  # frozen
    nxt = act(net["id"], "forward")
    assert nxt["batch"] == [2, 3] and nxt["epoch"] == 1
    act(net["id"], "step")
    assert act(net["id"], "forward")["epoch"] == 2


def test_each_loss_through_the_api(create, act):
    for loss in ("sse", "mse_mean"):
        net = create(preset="worked-example", loss=loss)
        assert net["loss"] == loss
        t = act(net["id"], "forward", {"all": True})["trace"]
        y_hat, y = t["layers"][1]["a"][0], [0.01, 0.99]
        total = sum((p - q) ** 2 for p, q in zip(y_hat, y))
        assert t["loss"] == pytest.approx(total if loss == "sse" else total / 2, abs=1e-12)


def test_the_blog_preset_matches_the_post(create, act):
    net = create(preset="worked-example-blog")
    act(net["id"], "step")
    t = act(net["id"], "forward", {"all": True})["trace"]
    assert abs(t["loss"] - 0.291027924) < 2e-7


@pytest.mark.parametrize(
    "change,field,words",
    [
        ({"batch_size": 5}, "batch_size", "training samples (4)"),
        ({"batch_size": 4, "test_split": 0.25}, "batch_size", "training samples (3)"),
        ({"batch_size": 0}, "batch_size", "greater than or equal to 1"),
        ({"batch_size": limits.MAX_SAMPLES + 1}, "batch_size", "from 1 (online)"),
        ({"batch_size": 1.5}, "batch_size", "whole number of samples"),
        ({"batch_size": "2"}, "batch_size", "whole number"),
        ({"regularization_rate": 11}, "regularization_rate", "λ from 0 to 10"),
        ({"regularization_rate": -0.1}, "regularization_rate", "λ from 0 to 10"),
        ({"regularization_rate": "x"}, "regularization_rate", "λ from 0 to 10"),
        ({"bias": ["trained"]}, "bias", "one per layer after the input (2)"),
        ({"bias": ["trained", "frozen", "none"]}, "bias", "has 3 entries"),
        ({"bias": "sometimes"}, "bias", "trained (updated by every step, the default)"),
        ({"bias": ["trained", "fixed"]}, "bias[1]", "frozen (kept at its values"),
        ({"bias": 3}, "bias", "one for every layer, or a list"),
        ({"loss": "hinge"}, "loss", "sse (Σ (ŷ − y)², no ½)"),
        ({"loss": "sse", "activations": ["tanh", "softmax"], "layers": [2, 3, 2]}, "loss", "cce"),
        ({"reduction": "median"}, "reduction", "sum (L = Σ_i ℓ_i"),
        ({"regularization": "l3"}, "regularization", "l1 (adds λ Σ |w|"),
        ({"shuffle": "yes"}, "shuffle", "true (a new order"),
        (
            {"bias": "none", "weights": [[[1, 2]] * 3, [[1, 2, 3]]], "biases": [[0, 1, 0], [0]]},
            "biases[0]",
            "no bias term",
        ),
    ],
)
def test_a_bad_convention_is_a_clear_422(client, change, field, words):
    body = error(client.post("/api/networks", json={**XOR, **change}))
    assert body["field"] == field, body
    assert words in body["detail"], body["detail"]
    assert field.split("[")[0] in body["detail"]


@pytest.mark.parametrize(
    "edit,check",
    [
        ({"bias": "frozen"}, lambda s: s["bias"] == "frozen"),
        ({"bias": ["none", "trained"]}, lambda s: s["biases"][0] == [0.0, 0.0, 0.0]),
        ({"loss": "sse", "activations": None}, lambda s: s["loss"] == "sse"),
        ({"reduction": "sum"}, lambda s: s["reduction"] == "sum"),
        ({"batch_size": 1}, lambda s: s["batch_size"] == 1 and s["batch"] == [0]),
        ({"shuffle": False}, lambda s: s["shuffle"] is False),
        ({"regularization": "l1"}, lambda s: s["regularization"] == "l1"),
        ({"regularization_rate": 10}, lambda s: s["regularization_rate"] == 10.0),
    ],
)
def test_each_convention_by_patch(client, create, act, edit, check):
    net = create(**XOR)
    act(net["id"], "forward")
    body = {k: v for k, v in edit.items() if v is not None}
    state = checked(client.patch(f"/api/networks/{net['id']}", json=body))
    assert check(state)
    assert state["cursor"]["phase"] == "idle"  # a convention changes what is computed
    assert state["version"] == net["version"] + 2
    after = act(net["id"], "step")
    assert after["iteration"] == 1


@pytest.mark.parametrize(
    "edit,field,words",
    [
        ({"batch_size": 9}, "batch_size", "training samples (4)"),
        ({"regularization_rate": 10.5}, "regularization_rate", "λ from 0 to 10"),
        ({"bias": ["trained"]}, "bias", "one per layer after the input (2)"),
        ({"bias": "fixed"}, "bias", "trained (updated"),
        ({"loss": "cce"}, "activations", "softmax"),
        ({"loss": "huber"}, "loss", "mse (½ Σ (ŷ − y)²"),
        ({"reduction": "max"}, "reduction", "mean (L = (1/m)"),
        ({"regularization": "dropout"}, "regularization", "none (no penalty"),
        ({"shuffle": 1}, "shuffle", "true (a new order"),
    ],
)
def test_a_bad_patch_is_a_clear_422_and_changes_nothing(client, create, edit, field, words):
    net = create(**XOR, batch_size=3)
    body = error(client.patch(f"/api/networks/{net['id']}", json=edit))
    assert body["field"] == field and words in body["detail"], body
    again = checked(client.get(f"/api/networks/{net['id']}"))
    assert again["version"] == net["version"] and again["batch_size"] == 3


def test_fewer_samples_than_the_batch_size_is_refused(client, create):
    net = create(**XOR, batch_size=3)
    body = error(
        client.patch(
            f"/api/networks/{net['id']}", json={"inputs": [[0, 0], [1, 1]], "targets": [[0], [1]]}
        )
    )
    assert body["field"] == "batch_size" and "(2)" in body["detail"]
    regen = client.post(f"/api/networks/{net['id']}/regenerate", json={"test_split": 0.5})
    assert error(regen)["field"] == "batch_size"


def test_the_gradient_check_covers_the_conventions(client, create, act):
    net = create(preset="linear-no-bias", regularization="l1", regularization_rate=0.1)
    result = checked(client.get(f"/api/networks/{net['id']}/gradcheck"))
    GradCheck.model_validate(result)
    assert [layer["biases"] for layer in result["layers"]] == [None, None]
    assert result["inputs"]["error"] < 1e-6 and result["max"] < 1e-6
    online = create(preset="xor-online")
    act(online["id"], "train", {"iterations": 5})
    assert checked(client.get(f"/api/networks/{online['id']}/gradcheck"))["max"] < 1e-6


def test_undo_brings_a_convention_back(client, create, act):
    net = create(**XOR)
    checked(client.patch(f"/api/networks/{net['id']}", json={"bias": "none"}))
    back = act(net["id"], "undo")
    assert back["bias"] == "trained" and back["biases"] == net["biases"]


def test_export_and_import_keep_the_conventions(client, create):
    net = create(preset="xor-online", regularization="l2", regularization_rate=0.01)
    exported = client.get(f"/api/networks/{net['id']}/export").json()
    copy = checked(client.post("/api/networks", json=exported), 201)
    for key in ("bias", "reduction", "batch_size", "shuffle", "regularization"):
        assert copy[key] == net[key], key
    assert copy["regularization_rate"] == 0.01 and copy["weights"] == net["weights"]
