"""Large answers stay bounded: the training view's grid is capped (422 naming the largest
resolution that fits), trace.csv is refused past the work limit before it is written, and
an answer over SPOOL_BYTES waits in a file, goes out in pieces and arrives whole."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.api.readout_schemas import TrainingView
from app.documents import export
from app.service.readouts import MAX_GRID_VALUES
from app.spool import SPOOL_BYTES, spool
from tests.support.api_helpers import JSON


def test_spool_keeps_small_bodies_in_memory_and_large_ones_in_a_file():
    small, size = spool([b"a" * 10, b"b" * 5])
    assert small == b"a" * 10 + b"b" * 5 and size == 15
    pieces = [bytes([i]) * (SPOOL_BYTES // 3) for i in range(5)]
    body, size = spool(pieces)
    assert not isinstance(body, bytes), "a body over SPOOL_BYTES must wait in a file"
    assert size == sum(map(len, pieces))
    assert body.read() == b"".join(pieces)
    body.close()


def wide_network(create, samples: int = 4) -> dict:
    rng = np.random.default_rng(1)
    return create(
        layers=[2, 16, 16, 2],
        activations=["tanh", "tanh", "sigmoid"],
        loss="mse",
        learning_rate=0.1,
        inputs=rng.random((samples, 2)).round(3).tolist(),
        targets=(rng.random((samples, 2)) > 0.5).astype(float).tolist(),
    )


def test_training_view_grid_is_capped_and_names_the_largest_resolution(client, create):
    nid = wide_network(create)["id"]
    neurons = 16 + 16 + 2
    most = math.isqrt(MAX_GRID_VALUES // neurons)  # r² × neurons ≤ the cap
    url = f"/api/networks/{nid}/training-view"
    refused = client.get(url, params={"resolution": 128, "hidden": "true"})
    assert refused.status_code == 422, refused.text
    text = refused.text
    assert "resolution" in text and f"resolution {most} or less" in text, text
    assert "hidden=false" in text
    fits = client.get(url, params={"resolution": most, "hidden": "true"})
    assert fits.status_code == 200, fits.text
    TrainingView.model_validate(fits.json())
    one_over = client.get(url, params={"resolution": most + 1, "hidden": "true"})
    assert one_over.status_code == 422
    # without the hidden layers the full resolution fits (128² × 2 outputs)
    assert client.get(url, params={"resolution": 128, "hidden": "false"}).status_code == 200


def test_trace_csv_past_the_work_limit_is_refused_before_it_is_written(
    client, create, act, monkeypatch
):
    nid = wide_network(create, samples=50)["id"]
    act(nid, "step")
    ok = client.get(f"/api/networks/{nid}/trace.csv")
    assert ok.status_code == 200
    rows = ok.text.count("\n") - 1
    monkeypatch.setattr(
        client.app.state.settings, "work_seconds", rows * export.CSV_ROW_SECONDS / 2
    )
    refused = client.get(f"/api/networks/{nid}/trace.csv")
    assert refused.status_code == 422, refused.text
    assert "trace.csv" in refused.text and f"{rows:,} values" in refused.text


def test_an_answer_larger_than_the_spool_arrives_whole(client, create, act):
    """A trace.csv of several MB goes through the spool file and equals the text built at
    once; the network's JSON likewise parses to the same state."""
    nid = wide_network(create, samples=1000)["id"]
    act(nid, "step")
    csv = client.get(f"/api/networks/{nid}/trace.csv")
    assert csv.status_code == 200
    assert len(csv.content) > SPOOL_BYTES, "the test needs an answer past the spool size"
    plain = client.get(f"/api/networks/{nid}/trace.csv", headers={"accept-encoding": "identity"})
    assert int(plain.headers["content-length"]) == len(plain.content) == len(csv.content)
    service_net = client.app.state.service.get(nid).net
    assert csv.text == export.trace_csv(service_net)
    assert csv.text.count("\n") - 1 == export.trace_values(service_net)
    state = client.get(f"/api/networks/{nid}", headers=JSON)
    assert state.status_code == 200 and len(state.content) > SPOOL_BYTES
    assert state.json()["trace"]["layers"][0]["z"] is not None


@pytest.mark.parametrize("rows_per_chunk", [1, 7, 4096])
def test_trace_csv_chunks_join_to_the_same_text_for_any_chunk_size(
    client, create, act, rows_per_chunk
):
    nid = wide_network(create, samples=3)["id"]
    act(nid, "step")
    net = client.app.state.service.get(nid).net
    joined = b"".join(export.trace_csv_chunks(net, rows_per_chunk)).decode()
    assert joined == export.trace_csv(net)
    assert joined.startswith("layer,j,k,sample,quantity,value\n")


@pytest.mark.parametrize(
    "conventions",
    [
        {},
        {"regularization": "l2", "regularization_rate": 0.1},
        {"bias": "none", "batch_size": 2},
        {"optimizer": "adam", "reduction": "sum", "bias": "frozen"},
    ],
)
def test_the_size_known_before_writing_is_the_rows_written(client, create, act, conventions):
    """trace_values (what the work limit is checked against) counts every row trace.csv
    writes, whatever the conventions add (penalty parts, ∂ℓ/∂x, no bias gradient, …)."""
    nid = create(
        layers=[2, 3, 2],
        activations=["tanh", "sigmoid"],
        loss="mse",
        learning_rate=0.1,
        inputs=[[0, 0], [0, 1], [1, 0], [1, 1]],
        targets=[[0, 1], [1, 0], [1, 0], [0, 1]],
        **conventions,
    )["id"]
    for action in ("forward", "forward", "backward", "backward", "update"):
        act(nid, action)
        net = client.app.state.service.get(nid).net
        text = client.get(f"/api/networks/{nid}/trace.csv").text
        assert text.count("\n") - 1 == export.trace_values(net), (action, conventions)
