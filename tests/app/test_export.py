import csv
import io
import json

import engine
from app.documents.export import network_json, trace_csv


def stepped_state(preset="worked-example"):
    net = engine.create_network({"preset": preset})
    net.step()
    return net, engine.to_record(net, trace=True)


def test_exported_network_recreates_an_identical_network():
    net, state = stepped_state("circle-tanh")
    body = json.loads(json.dumps(network_json(net)))
    again = engine.create_network(body)
    assert [w.tolist() for w in again.weights] == state["weights"]
    assert [b.tolist() for b in again.biases] == state["biases"]
    assert again.inputs.tolist() == state["inputs"]
    assert again.targets.tolist() == state["targets"]
    assert again.spec.activations == net.spec.activations
    assert again.spec.learning_rate == net.spec.learning_rate


def test_trace_csv_has_one_row_per_value_with_exact_floats():
    net, _ = stepped_state()
    rows = list(csv.DictReader(io.StringIO(trace_csv(net))))
    # 2 layers × 5 per-sample quantities × 2 neurons × 1 sample, 2 × (4 + 2) gradients,
    # 1 loss, L_data and Ω, 2 ∂ℓ/∂ŷ values, 2 ∂ℓ/∂x values
    assert len(rows) == 2 * 5 * 2 + 2 * 6 + 1 + 2 + 2 + 2
    z11 = next(r for r in rows if (r["layer"], r["j"], r["quantity"]) == ("1", "1", "z"))
    assert float(z11["value"]) == net.trace.layers[0].z[0, 0]  # 0.15·0.05 + 0.20·0.10 + 0.35
    assert (z11["k"], z11["sample"]) == ("", "1")  # samples count from 1, like neurons
    gw = next(
        r
        for r in rows
        if (r["quantity"], r["layer"], r["j"], r["k"]) == ("grad_weights", "2", "1", "2")
    )
    assert float(gw["value"]) == net.trace.layers[1].grad_w[0, 1]
    assert gw["sample"] == ""  # a batch mean belongs to no sample
    loss = next(r for r in rows if r["quantity"] == "loss")
    assert float(loss["value"]) == net.trace.loss
    assert (loss["layer"], loss["j"], loss["sample"]) == ("2", "", "1")
    # one index per column: every cell of j, k and sample is a whole number or empty
    assert all(r[c] == "" or r[c].isdigit() for r in rows for c in ("layer", "j", "k", "sample"))


def test_trace_csv_numbers_a_mini_batch_s_samples_as_the_page_does():
    net = engine.create_network({"preset": "seed-xor", "batch_size": 2})
    net.step()
    net.step()
    numbers = [int(i) + 1 for i in net.trace.batch]  # the page's sample numbers, from 1
    rows = list(csv.DictReader(io.StringIO(trace_csv(net))))
    losses = [r for r in rows if r["quantity"] == "loss"]
    assert [int(r["sample"]) for r in losses] == numbers
    assert [float(r["value"]) for r in losses] == net.trace.losses.tolist()
    for q in ("z", "delta", "dloss_doutput", "dloss_dinput"):
        assert sorted({int(r["sample"]) for r in rows if r["quantity"] == q}) == sorted(numbers)
    dx = [r for r in rows if r["quantity"] == "dloss_dinput"]
    assert {r["layer"] for r in dx} == {"0"}  # the input layer
    assert [float(r["value"]) for r in dx] == net.trace.dloss_dinput.ravel().tolist()


def test_trace_csv_has_the_penalty_and_the_gradient_s_parts():
    net = engine.create_network(
        {"preset": "worked-example", "regularization": "l2", "regularization_rate": 0.1}
    )
    net.step()
    rows = list(csv.DictReader(io.StringIO(trace_csv(net))))
    value = {(r["quantity"], r["layer"], r["j"], r["k"]): float(r["value"]) for r in rows}
    # Ω = ½λ Σ w² over both layers' weights (0.15, 0.20, 0.25, 0.30 and 0.40, 0.45, 0.50, 0.55)
    squares = 0.15**2 + 0.20**2 + 0.25**2 + 0.30**2 + 0.40**2 + 0.45**2 + 0.50**2 + 0.55**2
    assert abs(value[("penalty", "2", "", "")] - 0.5 * 0.1 * squares) < 1e-12
    assert value[("data_loss", "2", "", "")] == net.trace.data_loss
    # the penalty's part of ∂L/∂w¹₂₁ is λ w¹₂₁ = 0.1 · 0.25
    assert abs(value[("grad_weights_penalty", "1", "2", "1")] - 0.1 * 0.25) < 1e-15
    data, penalty = value[("grad_weights_data", "1", "2", "1")], 0.1 * 0.25
    assert abs(value[("grad_weights", "1", "2", "1")] - (data + penalty)) < 1e-15


def test_trace_csv_of_a_network_without_biases_has_no_bias_gradients():
    net = engine.create_network({"preset": "worked-example", "bias": ["none", "none"]})
    net.step()
    quantities = {r["quantity"] for r in csv.DictReader(io.StringIO(trace_csv(net)))}
    assert "grad_biases" not in quantities and "grad_weights" in quantities


def test_trace_csv_before_any_step_has_only_the_header():
    net = engine.create_network({"preset": "seed-xor"})
    assert trace_csv(net).strip() == "layer,j,k,sample,quantity,value"


def test_export_keeps_optimiser_split_and_held_out_samples():
    net = engine.create_network(
        {"preset": "circle-tanh", "optimizer": "momentum", "test_split": 0.1}
    )
    net.train(5)
    state = engine.to_record(net, trace=True)
    body = json.loads(json.dumps(network_json(net)))
    assert "dataset" not in body and body["optimizer"] == "momentum"
    assert len(body["test_inputs"]) == 20 and body["test_split"] == 0.1
    again = engine.create_network(body)
    assert again.spec.optimizer == "momentum" and again.spec.test_split == 0.1
    assert again.test_inputs.tolist() == state["test_inputs"]
    assert again.test_targets.tolist() == state["test_targets"]
    assert again.inputs.tolist() == state["inputs"]
    assert [w.tolist() for w in again.weights] == state["weights"]


def test_export_without_held_out_samples_leaves_them_out():
    net, _ = stepped_state()
    assert "test_inputs" not in network_json(net)


def test_trace_csv_rows_for_adams_update_details():
    net = engine.create_network({"preset": "worked-example", "optimizer": "adam"})
    net.step()
    rows = list(csv.DictReader(io.StringIO(trace_csv(net))))
    details = net.trace.update["layers"][0]
    quantities = {r["quantity"] for r in rows}
    for q in ("m_before", "m", "v_before", "v", "m_hat", "v_hat"):
        assert {f"{q}_weights", f"{q}_biases"} <= quantities
    m_hat = next(
        r
        for r in rows
        if (r["quantity"], r["layer"], r["j"], r["k"]) == ("m_hat_weights", "1", "2", "1")
    )
    assert float(m_hat["value"]) == details["m_hat"]["weights"][1, 0]
    assert (
        len(
            [
                r
                for r in rows
                if r["quantity"].endswith(("_weights", "_biases"))
                and r["quantity"] not in ("grad_weights", "grad_biases")
            ]
        )
        == 6 * 12
    )
