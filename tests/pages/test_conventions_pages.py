"""What a person sees of the conventions on the pages: the lab page's diagram, table,
equations, status and summary line, the training view's Conventions card and the start
page's builder (rendered in-process and parsed, not string-matched)."""

from __future__ import annotations

import re

import engine
from tests.support.forms import BUILDER, field_error
from tests.support.htmldom import parse

HX = {"HX-Request": "true"}


def create(client, **body) -> str:
    r = client.post("/api/networks", json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def page(client, nid: str, query: str = ""):
    r = client.get(f"/n/{nid}{query}")
    assert r.status_code == 200, r.text[:300]
    return parse(r.text).by_id("lab")


def act(client, nid: str, action: str, **form):
    return client.post(f"/n/{nid}/{action}", data=form, headers=HX)


def state(client, nid: str) -> dict:
    return client.get(f"/api/networks/{nid}").json()


def labels(root, kind: str) -> list[str]:
    """The diagram's text labels of one kind (z, delta …; bias: the b lines, not x₁)."""
    found = [t.text() for t in root.by_id("net").find_all("text", cls=kind)]
    return [t for t in found if t.startswith("b ")] if kind == "bias" else found


def equation_titles(root) -> list[str]:
    return [p.text() for p in root.by_id("equations").find_all("p", cls="eq-title")]


def math_text(root) -> str:
    return " ".join(d.text() for d in root.by_id("equations").find_all("div", cls="inline"))


def summary(root) -> str:
    return root.find("span", cls="spec").text()


def test_no_bias_term_anywhere(client):
    nid = create(client, preset="linear-no-bias")
    act(client, nid, "forward-all")
    act(client, nid, "backward-all")
    root = page(client, nid, "?focus=n-1-1")
    assert labels(root, "bias") == []  # no b above any neuron
    headers = [th.text() for th in root.by_id("t-layer-1").find("thead").find_all("th")]
    assert headers == ["j", "z", "a", "f′(z)", "∂ℓ/∂a", "δ"]  # no b, no ∂L/∂b
    assert "no bias" in root.by_id("t-layer-1").find("caption").text()
    assert "Weighted input, no bias term" in equation_titles(root)
    assert "Bias gradient" not in " ".join(equation_titles(root))
    groups = [h.text() for h in root.by_id("equations").find_all("h3")]
    assert groups == ["Values"]  # no update equation for a bias that does not exist
    assert "no biases" in summary(root)
    assert "Update applies the gradients to every weight." in root.by_id("where").text()


def test_frozen_biases_are_marked_fixed_and_never_updated(client):
    nid = create(client, preset="worked-example-blog")
    act(client, nid, "step")
    root = page(client, nid, "?focus=n-2-1")
    assert sorted(labels(root, "bias")) == ["b 0.3500 fixed"] * 2 + ["b 0.6000 fixed"] * 2
    table = root.by_id("t-layer-2")
    assert [s.text() for s in table.find_all("span", cls="fixed")] == ["fixed", "fixed"]
    assert "biases frozen" in table.find("caption").text()
    titles = equation_titles(root)
    assert "Frozen: the update leaves this bias as it is" in titles
    assert not any(t.startswith("Gradient-descent update") for t in titles)  # a neuron: b only
    assert any("the update does not apply it" in t for t in titles)
    assert "biases frozen" in summary(root)
    assert state(client, nid)["biases"] == [[0.35, 0.35], [0.6, 0.6]]


def test_each_loss_is_written_as_chosen(client):
    forms = {"mse": r"\tfrac{1}{2}", "sse": None, "mse_mean": r"\tfrac{1}{2}"}
    for loss in forms:
        nid = create(client, preset="worked-example", loss=loss)
        act(client, nid, "forward-all")
        root = page(client, nid, "?focus=n-2-1")
        spec = summary(root)
        words = {"mse": "ℓ = ½ Σ (ŷ − y)²", "sse": "no ½", "mse_mean": "(1/N_L)"}[loss]
        assert words in spec, spec
        loss_eq = next(
            e for e in engine_equations(client, nid) if e.title.startswith("Loss for this sample")
        )
        if loss == "sse":
            assert "frac{1}{2}" not in loss_eq.latex and r"\sum_j" in loss_eq.latex
        elif loss == "mse_mean":
            assert r"\tfrac{1}{N_L}" in loss_eq.latex and r"\tfrac{1}{2}[" in loss_eq.latex
        else:
            assert loss_eq.latex.startswith(r"\ell = \tfrac{1}{2}\sum_j")


def engine_equations(client, nid: str):
    """The focused output neuron's equations as the page builds them (LaTeX kept)."""
    from app.views.equations import neuron_equations
    from app.views.model import NetworkModel

    record = client.app.state.service.get(nid)
    return neuron_equations(NetworkModel(record.net), 2, 1)


def edge_latex(client, nid: str) -> str:
    from app.views.equations import edge_equations
    from app.views.model import NetworkModel

    net = NetworkModel(client.app.state.service.get(nid).net)
    return edge_equations(net, 2, 1, 1)[1].latex


def test_sum_reduction_and_the_penalty_in_the_equations(client):
    nid = create(
        client,
        preset="seed-xor",
        reduction="sum",
        regularization="l2",
        regularization_rate=0.01,
    )
    act(client, nid, "forward-all")
    act(client, nid, "backward-all")
    root = page(client, nid, "?focus=n-2-1")
    titles = equation_titles(root)
    assert "Batch loss: the sum over 4 samples" in titles
    assert "Penalty (l2) over every weight, not the biases" in titles
    assert "Loss: the data's part plus the penalty" in titles
    assert "L = Σ over samples" in summary(root) and "L2 λ 0.01" in summary(root)
    edge = page(client, nid, "?focus=e-2-1-1")
    assert any("plus the l2 penalty's part" in t for t in equation_titles(edge))
    assert "λ" in math_text(edge)
    grad = edge_latex(client, nid)
    assert r"\sum_{i=1}^{4}" in grad and r"\frac{1}{4}" not in grad  # Σ_i, not (1/4) Σ_i
    assert r" + \lambda w^{2}_{11}" in grad


def test_input_gradients_on_the_input_neurons_and_in_the_table(client):
    nid = create(client, preset="worked-example")
    root = page(client, nid, "?focus=n-0-1")
    assert not [t for t in labels(root, "delta") if t.startswith("∂ℓ/∂x")]
    act(client, nid, "forward-all")
    act(client, nid, "backward-all")
    dx = state(client, nid)["trace"]["dloss_dinput"][0]
    root = page(client, nid, "?focus=n-0-1")
    shown = [t for t in labels(root, "delta") if t.startswith("∂ℓ/∂x")]
    assert shown == [f"∂ℓ/∂x {dx[0]:.4f}", f"∂ℓ/∂x {dx[1]:.4f}"]
    assert "Gradient of the loss with respect to this input" in equation_titles(root)
    cells = root.by_id("t-sample").find("tbody").find_all("td", cls="d")
    assert [c.text() for c in cells] == [f"{dx[0]:.4f}", f"{dx[1]:.4f}"]


def test_mini_batches_say_which_sample_of_which_epoch(client):
    nid = create(client, preset="xor-online")
    net = client.app.state.service.get(nid).net
    for _ in range(5):  # into the second epoch
        act(client, nid, "step")
    act(client, nid, "forward")
    s = state(client, nid)
    (i,) = s["batch"]
    assert s["epoch"] == 2 and s["batch"] == net.schedule.batch(5).tolist()
    root = page(client, nid)
    assert root.by_id("batch").text() == f"sample {i + 1} of 4, epoch 2"
    assert "online (batch 1), shuffled" in summary(root)
    line = root.by_id("batch-samples").text()
    assert line == f"This iteration's batch (epoch 2): sample {i + 1} of 4."
    assert root.by_id("t-sample").find("caption").text() == f"Sample {i + 1} (in this batch)"
    assert root.by_id("sample").attrs["value"] == ""  # following the batch
    assert root.by_id("sample").attrs["placeholder"] == str(i + 1)
    other = (i + 1) % 4  # a sample outside the batch, chosen: the page says so
    root = page(client, nid, f"?sample={other + 1}&focus=n-1-1")
    caption = root.by_id("t-sample").find("caption").text()
    assert caption == f"Sample {other + 1} (not in this batch)"
    assert any("is not in this iteration's batch" in t for t in equation_titles(root))


def test_the_shown_sample_follows_the_batch_step_by_step(client):
    nid = create(client, preset="xor-online")
    seen = []
    for _ in range(4):
        r = act(client, nid, "step", sample="")
        doc = parse(r.text)
        seen.append(doc.by_id("t-sample").find("caption").text())
    schedule = engine.create_network({"preset": "xor-online"}).schedule
    batches = [schedule.batch(k)[0] for k in range(4)]
    assert seen == [f"Sample {b + 1} (in this batch)" for b in batches]
    assert sorted(batches) == [0, 1, 2, 3]  # one epoch visits every sample


def test_larger_batches_are_counted(client):
    nid = create(
        client,
        preset="circle-tanh",
        batch_size=8,
        dataset={"name": "circle", "samples": 40, "noise": 0.05, "seed": 1},
    )
    act(client, nid, "step")
    root = page(client, nid)
    assert root.by_id("batch").text() == "batch 1 of 5 (8 of 40 samples), epoch 1"
    listed = [b.text() for b in root.by_id("batch-samples").find_all("b", cls="in-batch")]
    assert [int(x) - 1 for x in listed] == state(client, nid)["batch"]
    assert "batches of 8, shuffled" in summary(root)


def test_the_conventions_card_changes_them_and_refuses_in_place(client):
    nid = create(client, preset="seed-xor")
    root = page(client, nid, "?mode=train")
    card = root.by_id("conventions-form")
    names = {s.attrs["name"] for s in card.find_all("select")}
    assert names == {"loss", "bias", "reduction", "shuffle", "regularization"}
    bias_options = [o.text() for o in card.find("select", id="c-bias").find_all("option")]
    assert bias_options == [
        "trained: updated by every step, the default",
        "frozen: kept at its values: shown, never updated",
        "none: no bias term at all: z = W a",
    ]
    assert root.by_id("c-bias-means").text() == "now: trained: updated by every step, the default"
    form = {"loss": "bce", "bias": "frozen", "reduction": "sum", "batch_size": "2"}
    form |= {"shuffle": "false", "regularization": "l1", "regularization_rate": "0.02"}
    r = client.post(f"/n/{nid}/conventions", data=form, headers=HX)
    assert r.status_code == 200
    s = state(client, nid)
    assert (s["bias"], s["reduction"], s["batch_size"], s["shuffle"]) == ("frozen", "sum", 2, False)
    assert (s["regularization"], s["regularization_rate"]) == ("l1", 0.02)
    assert parse(r.text).by_id("c-bias-means").text().startswith("now: frozen")
    bad = client.post(f"/n/{nid}/conventions", data={**form, "batch_size": "9"}, headers=HX)
    assert bad.status_code == 422
    doc = parse(bad.text)
    assert "training samples (4)" in doc.by_id("c-err-batch_size").text()
    assert doc.by_id("c-batch_size").attrs["aria-invalid"] == "true"
    assert doc.by_id("c-batch_size").attrs["value"] == "9"  # what was typed stays
    assert state(client, nid)["version"] == s["version"]  # nothing changed
    whole = client.post(f"/n/{nid}/conventions", data={**form, "batch_size": ""}, headers=HX)
    assert whole.status_code == 200 and state(client, nid)["batch"] == [0, 1, 2, 3]


def test_the_builder_offers_each_convention_and_creates_with_them(client):
    doc = parse(client.get("/").text)
    builder = doc.by_id("builder")
    for name in ("bias", "reduction", "shuffle", "regularization"):
        select = builder.find("select", id=f"f-{name}")
        assert select is not None and all(": " in o.text() for o in select.find_all("option"))
    loss_options = [o.text() for o in builder.find("select", id="f-loss").find_all("option")]
    assert "sse: Σ (ŷ − y)², no ½" in loss_options
    assert builder.find("input", id="f-batch_size").attrs["value"] == ""
    form = {**BUILDER, "bias": "none", "loss": "sse", "batch_size": "1", "shuffle": "false"}
    form |= {"reduction": "sum", "regularization": "l2", "regularization_rate": "0.1"}
    form["act2"] = "linear"
    r = client.post("/", data=form)
    assert r.status_code == 303, r.text[:300]
    s = state(client, r.headers["location"].rsplit("/", 1)[1])
    assert (s["bias"], s["loss"], s["batch_size"], s["shuffle"]) == ("none", "sse", 1, False)
    assert (s["reduction"], s["regularization"], s["regularization_rate"]) == ("sum", "l2", 0.1)
    _, message = field_error(client.post("/", data={**form, "batch_size": "9"}), "batch_size")
    assert "training samples (4)" in message
    again = parse(client.post("/", data={**form, "batch_size": "9"}).text)
    assert again.by_id("f-bias").find("option", selected="").attrs["value"] == "none"  # kept
    assert re.search(r"1 problem", again.by_id("builder-errors").text())
