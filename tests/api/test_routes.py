"""Every route of the contract: status codes, shapes, and what each one changes."""

from __future__ import annotations

from itertools import pairwise

from app.api.schemas import GradCheck, NetworkState, PresetSummary, Previous, Trace, TrainedState
from app.service.stores import store_kind
from engine.data.presets import PRESETS
from tests.support.api_helpers import checked

XOR = {
    "layers": [2, 3, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "bce",
    "learning_rate": 0.5,
    "init": "xavier",
    "seed": 7,
    "dataset": "xor",
}


def test_presets_lists_every_preset(client):
    body = checked(client.get("/api/presets"))
    assert [p["name"] for p in body] == list(PRESETS)
    for p in body:
        PresetSummary.model_validate(p)


def test_create_from_a_preset(create):
    net = create(preset="seed-xor")
    assert net["layers"] == [2, 3, 1] and net["loss"] == "bce" and net["version"] == 1
    assert len(net["inputs"]) == 4 and net["iteration"] == 0 and net["undo_levels"] == 0
    assert len(net["id"]) >= 22  # 144 random bits, URL-safe base64


def test_create_from_a_full_spec_is_seeded(create):
    a, b = create(**XOR), create(**XOR)
    assert a["id"] != b["id"] and a["weights"] == b["weights"]
    assert a["activations"] == ["tanh", "sigmoid"] and a["dataset"] == {"name": "xor"}


def test_create_with_explicit_parameters_and_data(create):
    net = create(
        layers=[1, 1],
        activations=["linear"],
        loss="mse",
        learning_rate=0.1,
        weights=[[[2.0]]],
        biases=[[0.5]],
        inputs=[[1.0], [2.0]],
        targets=[[0], [1]],
    )
    assert net["weights"] == [[[2.0]]] and net["targets"] == [[0.0], [1.0]]


def test_preset_with_overrides(create):
    net = create(
        preset="circle-tanh",
        learning_rate=0.05,
        dataset={"name": "circle", "samples": 40, "noise": 0.1, "seed": 3},
    )
    assert net["learning_rate"] == 0.05 and len(net["inputs"]) == 40
    assert net["layers"] == PRESETS["circle-tanh"]["layers"]


def test_get_returns_the_stored_state(client, create, act):
    nid = create(preset="seed-xor")["id"]
    stepped = act(nid, "step")
    assert checked(client.get(f"/api/networks/{nid}")) == stepped


def test_patch_edits_and_clears_the_iteration(client, create, act):
    nid = create(preset="worked-example")["id"]
    act(nid, "forward")
    s = checked(client.patch(f"/api/networks/{nid}", json={"learning_rate": 0.25}))
    assert s["learning_rate"] == 0.25 and s["cursor"]["phase"] == "forward"
    w = [[[1.0, 2.0], [3.0, 4.0]], [[0.5, 0.5], [0.5, 0.5]]]
    s = checked(client.patch(f"/api/networks/{nid}", json={"weights": w, "targets": [[0, 1]]}))
    assert s["weights"] == w and s["targets"] == [[0.0, 1.0]]
    assert s["cursor"] == {"phase": "idle", "layer": 0, "next": "forward"}
    assert s["trace"]["layers"][0]["z"] is None


def test_delete_then_not_found(client, create):
    nid = create(preset="seed-xor")["id"]
    response = client.delete(f"/api/networks/{nid}")
    assert response.status_code == 204 and response.content == b""
    assert client.get(f"/api/networks/{nid}").status_code == 404
    assert client.delete(f"/api/networks/{nid}").status_code == 404


def test_forward_and_backward_one_layer_or_all(create, act):
    nid = create(preset="vanishing-sigmoid")["id"]
    assert act(nid, "forward")["cursor"]["layer"] == 1
    assert act(nid, "forward", {"all": False})["cursor"]["layer"] == 2
    s = act(nid, "forward", {"all": True})
    assert s["cursor"] == {"phase": "forward", "layer": 7, "next": "backward"}
    assert s["trace"]["loss"] is not None
    assert act(nid, "backward")["cursor"]["layer"] == 7
    s = act(nid, "backward", {"all": True})
    assert s["cursor"] == {"phase": "backward", "layer": 1, "next": "update"}
    assert all(layer["grad_weights"] is not None for layer in s["trace"]["layers"])


def test_step_finishes_the_iteration_in_progress(create, act):
    nid = create(preset="seed-xor")["id"]
    act(nid, "forward")
    s = act(nid, "step")
    assert s["iteration"] == 1 and s["cursor"]["phase"] == "updated"
    assert act(nid, "step")["iteration"] == 2


def test_train_runs_iterations_and_keeps_history(create, act):
    nid = create(preset="seed-xor")["id"]
    s = act(nid, "train", {"iterations": 2500})
    TrainedState.model_validate(s)
    assert s["iteration"] == 2500 and s["trained"] == 2500 and s["diverged"] is None
    history = s["loss_history"]
    assert len(history) <= 1000 and history[-1][0] == 2500
    steps = {b[0] - a[0] for a, b in pairwise(history[:-1])}
    assert len(steps) == 1  # decimated evenly
    assert history[-1][1] < history[0][1]


def test_undo_and_reset(create, act):
    net = create(preset="worked-example")
    nid = net["id"]
    act(nid, "step")
    s = act(nid, "step")
    s = act(nid, "undo")
    assert s["iteration"] == 1 and s["undo_levels"] == 1 and s["version"] == 4
    s = act(nid, "reset")
    assert s["iteration"] == 0 and s["weights"] == net["weights"] and s["loss_history"] == []
    s = act(nid, "undo")  # reset is undoable
    assert s["iteration"] == 1


def test_gradcheck_agrees_with_backprop(client, create):
    nid = create(preset="circle-tanh", dataset={"name": "circle", "samples": 20})["id"]
    body = checked(client.get(f"/api/networks/{nid}/gradcheck"))
    GradCheck.model_validate(body)
    assert [layer["layer"] for layer in body["layers"]] == [1, 2, 3]
    assert body["max"] < 1e-5


def test_healthz_and_openapi(client, settings):
    store = store_kind(settings.db)  # the store the parametrised settings name
    assert store == ("sqlite" if "://" not in settings.db else "postgresql")
    assert checked(client.get("/healthz")) == {"status": "ok", "store": store}
    paths = checked(client.get("/openapi.json"))["paths"]
    for path in (
        "/api/networks",
        "/api/networks/{nid}",
        "/api/networks/{nid}/forward",
        "/api/networks/{nid}/train",
        "/api/networks/{nid}/gradcheck",
        "/api/presets",
    ):
        assert path in paths
    schema = paths["/api/networks"]["post"]["requestBody"]["content"]["application/json"]
    assert schema["schema"]["$ref"].endswith("/NetworkCreate")


def test_a_network_state_has_its_documented_fields_and_no_others(create, act):
    """The NetworkState is the API's answer, not the storage record: the optimiser's
    state, the diagnostics records and the last divergence stay inside (the training
    view answers the last two); the trace's update details are documented."""
    nid = create(preset="worked-example", optimizer="adam")["id"]
    for state in (act(nid, "step"), act(nid, "forward")):
        assert set(state) <= set(NetworkState.model_fields)
        assert not {"optimizer_state", "diagnostics", "last_divergence", "format", "history"} & set(
            state
        )
        assert set(state["previous"] or {}) <= {"weights", "biases", "learning_rate"}
        assert set(state["trace"]) == set(Trace.model_fields)
    stepped = act(nid, "step")
    assert stepped["previous"] is not None and set(stepped["previous"]) == set(
        Previous.model_fields
    )
    assert stepped["trace"]["update"]["optimizer"] == "adam"
    assert stepped["trace"]["update"]["t"] == 2
