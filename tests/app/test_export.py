import csv
import io
import json

import engine
from app.export import network_json, trace_csv


def stepped_state(preset="worked-example"):
    net = engine.create_network({"preset": preset})
    net.step()
    return net, engine.to_dict(net)


def test_exported_network_recreates_an_identical_network():
    net, state = stepped_state("circle-tanh")
    body = json.loads(json.dumps(network_json(state)))
    again = engine.create_network(body)
    assert [w.tolist() for w in again.weights] == state["weights"]
    assert [b.tolist() for b in again.biases] == state["biases"]
    assert again.inputs.tolist() == state["inputs"]
    assert again.targets.tolist() == state["targets"]
    assert again.spec.activations == net.spec.activations
    assert again.spec.learning_rate == net.spec.learning_rate


def test_trace_csv_has_one_row_per_value_with_exact_floats():
    net, state = stepped_state()
    rows = list(csv.DictReader(io.StringIO(trace_csv(state))))
    # 2 layers × 5 per-sample quantities × 2 neurons × 1 sample, 2 × (4 + 2) gradients,
    # 1 loss, 2 ∂ℓ/∂ŷ values
    assert len(rows) == 2 * 5 * 2 + 2 * 6 + 1 + 2
    z11 = next(r for r in rows if r["layer"] == "1" and r["neuron"] == "1" and r["quantity"] == "z")
    assert float(z11["value"]) == net.trace.layers[0].z[0, 0]  # 0.15·0.05 + 0.20·0.10 + 0.35
    gw = next(r for r in rows if r["quantity"] == "grad_weights" and r["layer"] == "2"
              and r["neuron"] == "1,1")
    assert float(gw["value"]) == net.trace.layers[1].grad_w[0, 0]
    loss = next(r for r in rows if r["quantity"] == "loss")
    assert float(loss["value"]) == net.trace.loss


def test_trace_csv_before_any_step_has_only_the_header():
    net = engine.create_network({"preset": "seed-xor"})
    assert trace_csv(engine.to_dict(net)).strip() == "layer,neuron,sample,quantity,value"
