"""Names and limits come from one place: the forms, hints and messages say what the engine
and the settings allow (the test split's 50 %, the configured body limit, the engine's
lists of names)."""

from __future__ import annotations

import json

import pytest

from app.documents.worked_example import ACTIVATION_NAMES, OPTIMISER_NAMES
from app.main import create_app
from app.settings import Settings
from app.views.training import OPTIMIZERS
from engine import limits
from engine.core.activations import ACTIVATIONS
from engine.core.initialisers import INITS
from engine.core.losses import LOSSES
from engine.core.optimisers import OPTIMISERS
from engine.data.datasets import DATASETS
from tests.support.app_client import AppClient
from tests.support.forms import BUILDER, field_error, network_count
from tests.support.htmldom import parse

HX = {"HX-Request": "true"}
TOP = f"{100 * limits.MAX_TEST_SPLIT:g} %"  # 50 %


@pytest.mark.parametrize("percent", ["70", "50.5", "-1", "nan"])
def test_the_builder_refuses_a_test_split_over_the_engines_limit(client, percent):
    before = network_count(client)
    _, message = field_error(
        client.post("/", data={**BUILDER, "test_split": percent}), "test_split"
    )
    assert f"to {TOP}" in message and "90" not in message
    assert network_count(client) == before


def test_the_builder_takes_the_largest_split_the_engine_allows(client):
    r = client.post("/", data={**BUILDER, "dataset": "circle", "test_split": "50"})
    assert r.status_code == 303
    state = client.get("/api/networks/" + r.headers["location"].rsplit("/", 1)[1]).json()
    assert state["test_split"] == limits.MAX_TEST_SPLIT
    assert len(state["inputs"]) == len(state["test_inputs"]) == 100


def test_the_data_form_refuses_a_test_split_over_the_engines_limit(client):
    nid = client.post("/presets/circle-tanh").headers["location"].rsplit("/", 1)[1]
    version = client.get(f"/api/networks/{nid}").json()["version"]
    form = {
        "mode": "train",
        "dataset": "circle",
        "samples": "200",
        "noise": "0.05",
        "test_split": "70",
    }
    r = client.post(f"/n/{nid}/data", data=form, headers=HX)
    assert r.status_code == 422
    message = parse(r.text).by_id("data-error").text()
    assert "Test split is 70 %" in message and f"to {TOP}" in message
    assert client.get(f"/api/networks/{nid}").json()["version"] == version


@pytest.mark.parametrize("limit,words", [(4096, "4 KiB"), (3000, "3,000 bytes")])
def test_the_body_limit_message_names_the_configured_limit(tmp_path, limit, words):
    client = AppClient(create_app(Settings(db=str(tmp_path / "lab.db"), max_body_bytes=limit)))
    try:
        body = json.dumps({"preset": "seed-xor", "inputs": [[0.5, 0.5]] * 400}).encode()
        assert len(body) > limit
        r = client.post("/api/networks", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 413
        detail = r.json()["detail"]
        assert f"{limit} bytes ({words})" in detail and "MiB" not in detail
        assert r.json()["limit"] == limit
    finally:
        client.close()


def test_the_schema_offers_exactly_the_engines_names(client):
    spec = client.get("/openapi.json").json()["components"]["schemas"]
    create = spec["NetworkCreate"]["properties"]

    def choices(prop: dict) -> list:
        for option in prop.get("anyOf", [prop]):
            if "items" in option:
                option = option["items"]
            if "enum" in option:
                return option["enum"]
        raise AssertionError(prop)

    assert choices(create["activations"]) == list(ACTIVATIONS)
    assert choices(create["loss"]) == list(LOSSES)
    assert choices(create["init"]) == list(INITS)
    assert choices(create["optimizer"]) == list(OPTIMISERS)
    assert spec["DatasetOptions"]["properties"]["name"]["enum"] == list(DATASETS)


def test_every_engine_name_has_a_display_name():
    assert set(ACTIVATION_NAMES) == set(ACTIVATIONS)
    assert set(OPTIMISER_NAMES) == set(OPTIMISERS) == set(OPTIMIZERS)
