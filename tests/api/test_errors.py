"""Every error of the contract: 404, 409, 422 (schema and engine), 413; and that a refused
request changes nothing."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.api_helpers import JSON, checked

WORKED = {"preset": "worked-example"}
BLOW_UP = {
    "layers": [1, 1],
    "activations": ["linear"],
    "loss": "mse",
    "learning_rate": 100,
    "weights": [[[1e6]]],
    "biases": [[0]],
    "inputs": [[1e6]],
    "targets": [[0]],
}


def error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", ""),
        ("PATCH", ""),
        ("DELETE", ""),
        ("POST", "/forward"),
        ("POST", "/backward"),
        ("POST", "/update"),
        ("POST", "/step"),
        ("POST", "/train"),
        ("POST", "/undo"),
        ("POST", "/reset"),
        ("GET", "/gradcheck"),
    ],
)
@pytest.mark.parametrize(
    "nid",
    [
        "AAAAAAAAAAAAAAAAAAAAAAAA",
        "..",
        "a%00b",
        "%FF%FE",
        "x" * 5000,
        "é",
        "a'b;DROP TABLE networks",
    ],
)
def test_unknown_ids_are_404_on_every_route(client, method, path, nid):
    body = (
        {"iterations": 1}
        if path == "/train"
        else {"learning_rate": 1}
        if method == "PATCH"
        else None
    )
    response = client.request(method, f"/api/networks/{nid}{path}", json=body, headers=JSON)
    if nid == "..":  # the client normalises /networks/.. away: some other route answers
        assert response.status_code in (404, 405)
        return
    assert "no network" in error(response, 404)["detail"]


@pytest.mark.parametrize("action,allowed", [("backward", "forward"), ("update", "forward")])
def test_out_of_order_is_409_naming_the_next_action(client, create, action, allowed):
    net = create(**WORKED)
    body = error(client.post(f"/api/networks/{net['id']}/{action}", headers=JSON), 409)
    assert body["allowed"] == allowed and f"'{allowed}'" in body["detail"]
    assert checked(client.get(f"/api/networks/{net['id']}")) == net


def test_forward_at_the_end_of_the_pass_is_409(client, create, act):
    nid = create(**WORKED)["id"]
    act(nid, "forward", {"all": True})
    body = error(client.post(f"/api/networks/{nid}/forward", headers=JSON), 409)
    assert body["allowed"] == "backward"
    assert error(client.post(f"/api/networks/{nid}/train", json={"iterations": 5}), 409)


def test_undo_with_nothing_to_undo_is_409(client, create):
    nid = create(**WORKED)["id"]
    undone = client.post(f"/api/networks/{nid}/undo", headers=JSON)
    assert "nothing to undo" in error(undone, 409)["detail"]


@pytest.mark.parametrize(
    "body,field,words",
    [
        ({"preset": "nope"}, "preset", "seed-xor"),
        ({**WORKED, "layers": [2, 17, 2]}, "layers[1]", "16"),
        ({**WORKED, "layers": [2]}, "layers", "at least 2"),
        ({**WORKED, "layers": [2] * 9}, "layers", "at most 8"),
        ({**WORKED, "learning_rate": 0}, "learning_rate", "greater than 0"),
        ({**WORKED, "learning_rate": 101}, "learning_rate", "100"),
        ({**WORKED, "learning_rate": "fast"}, "learning_rate", "valid number"),
        ({**WORKED, "activations": ["sigmoid", "swish"]}, "activations[1]", "softmax"),
        ({**WORKED, "loss": "hinge"}, "loss", "mse"),
        ({**WORKED, "inputs": [[0.1, 2e6]]}, "inputs[0][1]", "1000000"),
        (
            {**WORKED, "inputs": [[0.0, 0.0]] * 1001, "targets": [[0.0, 0.0]] * 1001},
            "inputs",
            "1000",
        ),
        (
            {"preset": "circle-tanh", "dataset": {"name": "circle", "samples": 1001}},
            "dataset.samples",
            "1000",
        ),
        ({**WORKED, "weights": [[[1.0]]]}, "weights", "2 matrices"),
        ({**WORKED, "inputs": [[1.0, 2.0, 3.0]]}, "inputs", "1 rows of 2 numbers"),
        ({"preset": "seed-xor", "activations": ["sigmoid", "softmax"]}, "loss", "cce"),
        (
            {"layers": [2, 1], "activations": ["sigmoid"], "loss": "mse"},
            "learning_rate",
            "required",
        ),
        ({**WORKED, "colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_invalid_create_is_422_naming_field_and_limit(client, body, field, words):
    answer = error(client.post("/api/networks", json=body), 422)
    assert answer["field"] == field
    assert answer["detail"].startswith(field) and words in answer["detail"]


@pytest.mark.parametrize(
    "raw,field",
    [
        (b'{"learning_rate": NaN, "preset": "seed-xor"}', "learning_rate"),
        (b'{"learning_rate": Infinity, "preset": "seed-xor"}', "learning_rate"),
        (b'{"preset": "worked-example", "inputs": [[1e999, 0]]}', "inputs[0][0]"),
        (b'{"preset": "seed-xor", "init_scale": -Infinity}', "init_scale"),
    ],
)
def test_non_finite_json_literals_are_422(client, raw, field):
    response = client.post(
        "/api/networks", content=raw, headers={"content-type": "application/json"}
    )
    body = error(response, 422)
    assert body["field"] == field and "finite number" in body["detail"]


def test_invalid_patch_is_422_and_changes_nothing(client, create):
    net = create(**WORKED)
    url = f"/api/networks/{net['id']}"
    assert "at least one" in error(client.patch(url, json={}), 422)["detail"]
    assert error(client.patch(url, json={"weights": [[[1.0]]]}), 422)["field"] == "weights"
    assert error(client.patch(url, json={"targets": [[2.0, 0.0]] * 2}), 422)["field"] == "targets"
    assert error(client.patch(url, json={"id": "x"}), 422)["field"] == "id"
    assert checked(client.get(url)) == net


def test_step_that_would_blow_up_is_422_with_a_remedy(client, create):
    net = create(**BLOW_UP)  # |z| grows about 1e14-fold per iteration until ½z² overflows
    url = f"/api/networks/{net['id']}"
    trained = checked(client.post(url + "/train", json={"iterations": 100}))
    assert trained["diverged"] is not None  # it stopped just before the overflow ...
    body = error(client.post(url + "/step", headers=JSON), 422)  # ... so the next step overflows
    assert "non-finite" in body["detail"] and "learning rate" in body["remedy"]
    assert checked(client.get(url))["version"] == trained["version"]


def test_train_beyond_the_work_cap_is_422_naming_the_limit(client, create):
    net = create(
        preset="vanishing-sigmoid",
        layers=[2, 16, 16, 16, 16, 16, 16, 1],
        dataset={"name": "circle", "samples": 1000},
    )
    limit = net["max_train_iterations"]
    assert 1 <= limit < 100_000
    url = f"/api/networks/{net['id']}/train"
    body = error(client.post(url, json={"iterations": limit + 1}), 422)
    assert body["field"] == "iterations" and body["limit"] == limit
    assert f"at most {limit}" in body["detail"]
    too_many = error(client.post(url, json={"iterations": 100_001}), 422)
    assert too_many["field"] == "iterations" and "100,000" in too_many["detail"]
    assert checked(client.get(f"/api/networks/{net['id']}"))["version"] == net["version"]


def test_gradcheck_beyond_the_work_cap_is_422(client, create):
    net = create(
        preset="vanishing-sigmoid",
        layers=[2, 16, 16, 16, 16, 16, 16, 1],
        dataset={"name": "circle", "samples": 1000},
    )
    body = error(client.get(f"/api/networks/{net['id']}/gradcheck"), 422)
    assert body["field"] == "gradcheck" and "limit" in body["detail"]


def test_body_over_one_mebibyte_is_413(client, create):
    big = json.dumps({**WORKED, "inputs": [[0.5, 0.5]] * 100_000}).encode()
    assert len(big) > 1 << 20
    body = error(
        client.post("/api/networks", content=big, headers={"content-type": "application/json"}), 413
    )
    assert "1048576" in body["detail"]
    nid = create(**WORKED)["id"]

    async def chunks():  # no content-length: the body is counted as it streams in
        for _ in range(20):
            yield b" " * 65536

    response = client.patch(
        f"/api/networks/{nid}", content=chunks(), headers={"content-type": "application/json"}
    )
    error(response, 413)


def test_an_unknown_preset_lists_the_presets_once(client):
    import engine

    detail = error(client.post("/api/networks", json={"preset": "nope"}), 422)["detail"]
    assert '"nope"' in detail
    listed = re.findall(r"[\w-]+", detail.split("choose one of", 1)[1])  # whole names
    for name in engine.PRESETS:
        assert listed.count(name) == 1, (name, detail)
    loss = error(client.post("/api/networks", json={**WORKED, "loss": "foo"}), 422)["detail"]
    assert loss.count("bce") == 1 and '"foo"' in loss


@pytest.mark.parametrize("content_type", [None, "application/x-www-form-urlencoded", "text/plain"])
def test_a_body_not_sent_as_json_says_to_send_json(client, content_type):
    """curl -d @net.json sends application/x-www-form-urlencoded unless told otherwise."""
    headers = {} if content_type is None else {"content-type": content_type}
    response = client.post("/api/networks", content=json.dumps(WORKED).encode(), headers=headers)
    body = error(response, 422)
    assert body["field"] == "body"
    assert "send the body as JSON with Content-Type: application/json" in body["detail"]
    assert "valid dictionary" not in body["detail"]
    same = client.post(
        "/api/networks",
        content=json.dumps(WORKED).encode(),
        headers={"content-type": "application/json"},
    )
    assert same.status_code == 201


def test_a_json_body_that_is_not_an_object_says_so(client):
    body = error(client.post("/api/networks", json=[1, 2]), 422)
    assert "must be a JSON object" in body["detail"] and "Content-Type" not in body["detail"]
