"""The lab page and its htmx fragments, rendered in-process and parsed (not string-matched).
Numbers are the hand-worked example's (Mazur's blog post: a^2 = 0.7514, 0.7729,
δ^2_1 = 0.1385, w^2_11 → 0.3589 with η = 0.5)."""

from __future__ import annotations

import pytest

from tests.support.htmldom import parse

HX = {"HX-Request": "true"}


@pytest.fixture
def worked(client) -> str:
    r = client.post("/presets/worked-example")
    assert r.status_code == 303
    return r.headers["location"].rsplit("/", 1)[1]


def act(client, nid: str, action: str, **form):
    return client.post(f"/n/{nid}/{action}", data=form, headers=HX)


def lab(response):
    doc = parse(response.text)
    root = doc.by_id("lab")
    assert root is not None, response.text[:500]
    return root


def text(root, id_: str) -> str:
    node = root.by_id(id_)
    assert node is not None, f"no element #{id_}"
    return node.text()


def main_value(root, l: int, j: int) -> str:
    """The value shown inside neuron n-l-j (its text id may carry a version suffix)."""
    neuron = root.by_id(f"n-{l}-{j}")
    main = neuron.find("text", cls="main")
    return main.text() if main else ""


def api_state(client, nid: str) -> dict:
    return client.get(f"/api/networks/{nid}").json()


def test_idle_page_shows_inputs_and_only_forward_allowed(client, worked):
    r = client.get(f"/n/{worked}")
    assert r.status_code == 200
    root = lab(r)
    assert main_value(root, 0, 1) == "0.0500" and main_value(root, 0, 2) == "0.1000"
    assert main_value(root, 1, 1) == ""  # nothing computed yet
    assert root.by_id("btn-forward").attrs.get("disabled") is None
    for name in ("backward", "update", "undo"):
        button = root.by_id(f"btn-{name}")
        assert "disabled" in button.attrs and button.attrs["title"], name
    assert len(root.find("g", cls="edges").find_all("path")) == 8
    assert {n.id for n in root.find_all("a", cls="neuron")} == {
        f"n-{l}-{j}" for l in range(3) for j in (1, 2)
    }
    assert text(root, "iteration") == "0"


def test_forward_twice_shows_outputs_loss_and_pulses(client, worked):
    first = act(client, worked, "forward", at="idle-0")
    assert first.status_code == 200
    assert first.headers["HX-Replace-Url"].startswith(f"/n/{worked}")
    root = lab(first)
    assert main_value(root, 1, 1) == "0.5933"
    assert len(root.find("g", cls="pulses").find_all("path")) == 4  # W^1: 2 × 2 edges
    root = lab(act(client, worked, "forward", at="forward-1"))
    assert (main_value(root, 2, 1), main_value(root, 2, 2)) == ("0.7514", "0.7729")
    assert text(root, "loss") == "0.2984"
    band = root.by_id("band-2")
    assert {"active", "forward"} <= band.classes
    fresh = root.by_id("n-2-1").find("text", cls="fresh")
    assert fresh is not None and fresh.id.endswith(f"-v{api_state(client, worked)['version']}")
    assert root.by_id("btn-backward").attrs.get("disabled") is None
    assert "disabled" in root.by_id("btn-forward").attrs


def test_backward_shows_deltas_and_gradients(client, worked):
    act(client, worked, "forward-all", at="idle-0")
    root = lab(act(client, worked, "backward", at="forward-2"))
    delta = root.by_id("n-2-1").find("text", cls="delta")
    assert delta.text() == "δ 0.1385"
    grad = root.by_id("lbl-e-2-1-1").find("text", cls="g")
    assert grad.text() == "∇ 0.0822"
    assert "backward" in root.find("g", cls="pulses").classes
    table = root.by_id("t-layer-2")
    delta_cells = [row.find_all("td")[5].text() for row in table.find("tbody").find_all("tr")]
    assert delta_cells == ["0.1385", "−0.0381"]  # a true minus (U+2212), as in the diagram


def test_update_changes_the_edge_and_undo_restores_it(client, worked):
    before = lab(client.get(f"/n/{worked}", headers=HX)).by_id("e-2-1-1").attrs["style"]
    act(client, worked, "forward-all", at="idle-0")
    act(client, worked, "backward-all", at="forward-2")
    root = lab(act(client, worked, "update"))
    label = root.by_id("lbl-e-2-1-1")
    assert label.find("text", cls="w").text() == "0.3589"
    assert label.find("text", cls="was").text() == "was 0.4000"
    assert root.by_id("e-2-1-1").attrs["style"] != before
    assert text(root, "iteration") == "1"
    root = lab(act(client, worked, "undo"))
    assert root.by_id("lbl-e-2-1-1").find("text", cls="w").text() == "0.4000"


def test_out_of_order_action_shows_message_and_changes_nothing(client, worked):
    version = api_state(client, worked)["version"]
    r = act(client, worked, "update")
    assert r.status_code == 409
    root = lab(r)
    message = text(root, "message")
    assert "update" in message.lower() and "forward" in message.lower()
    assert api_state(client, worked)["version"] == version


def test_without_javascript_a_step_redirects_back_with_the_view(client, worked):
    r = client.post(f"/n/{worked}/forward", data={"focus": "n-1-2", "sample": "1", "digits": "6"})
    assert r.status_code == 303
    assert r.headers["location"] == f"/n/{worked}?focus=n-1-2&digits=6"
    root = lab(client.get(r.headers["location"]))
    assert main_value(root, 1, 2) == "0.5969"  # a circle holds 4 decimals at most
    assert "a = 0.596884" in root.by_id("n-1-2").find("title").text()  # all 6 in the tooltip
    assert root.by_id("z-n-1-2").text() == "z 0.392500"
    assert "focus" in root.by_id("n-1-2").classes


def test_focus_on_an_edge_shows_its_gradient_equations(client, worked):
    act(client, worked, "step")
    root = lab(client.get(f"/n/{worked}?focus=e-2-1-1", headers=HX))
    panel = root.by_id("equations")
    assert "w²₁₁" in panel.find("h2").text()
    assert panel.find_all("math"), "the equation panel renders MathML"
    assert "focus" in root.by_id("lbl-e-2-1-1").classes


def test_unknown_focus_falls_back_to_the_active_layer(client, worked):
    act(client, worked, "forward")
    root = lab(client.get(f"/n/{worked}?focus=n-9-9&digits=99&sample=-3", headers=HX))
    assert "focus" in root.by_id("n-1-1").classes
    assert root.by_id("digits").find("option", selected="").text() == "10"


def test_sample_selector_picks_the_sample(client):
    nid = client.post("/presets/seed-xor").headers["location"].rsplit("/", 1)[1]
    root = lab(client.get(f"/n/{nid}?sample=3"))
    assert root.by_id("sample").attrs["max"] == "4"
    row = root.by_id("t-sample").find("tbody").find_all("td")
    assert [c.text() for c in row[:3]] == ["1.0000", "0.0000", "1.0000"]  # xor(1, 0) = 1


def test_edit_a_weight_in_place(client, worked):
    root = lab(client.get(f"/n/{worked}?edit=w-1-1-2", headers=HX))
    editor = root.find("form", cls="editor")
    assert editor.find("input", name="key").attrs["value"] == "w-1-1-2"
    r = client.post(f"/n/{worked}/edit", data={"key": "w-1-1-2", "value": "0.25"}, headers=HX)
    assert r.status_code == 200
    assert api_state(client, worked)["weights"][0][0][1] == 0.25
    assert lab(r).find("form", cls="editor") is None


@pytest.mark.parametrize(
    "key,value,words",
    [
        ("w-1-1-2", "abc", "not a number"),
        ("b-2-1", "1e9", "1e+06"),
        ("y-1-1", "nan", "non-finite"),
        ("w-3-1-1", "0.1", "names no weight"),
    ],
)
def test_refused_edit_shows_its_error_in_place_and_changes_nothing(
    client, worked, key, value, words
):
    before = api_state(client, worked)
    r = client.post(f"/n/{worked}/edit", data={"key": key, "value": value}, headers=HX)
    assert r.status_code == 422
    root = lab(r)
    if key == "w-3-1-1":  # no such cell: the message goes to the status line
        assert words in text(root, "message")
    else:
        assert words in text(root, "edit-error")
        assert root.by_id(f"editor-{key}").attrs["value"] == value  # what was typed is kept
    after = api_state(client, worked)
    assert (after["version"], after["weights"], after["biases"]) == (
        before["version"],
        before["weights"],
        before["biases"],
    )


def test_learning_rate_edit_and_refusal(client, worked):
    r = client.post(f"/n/{worked}/edit", data={"key": "lr", "value": "0"}, headers=HX)
    assert r.status_code == 422
    assert "learning_rate" in text(lab(r), "lr-error")
    r = client.post(f"/n/{worked}/edit", data={"key": "lr", "value": "0.25"}, headers=HX)
    assert lab(r).by_id("lr").attrs["value"] == "0.25"
    assert api_state(client, worked)["learning_rate"] == 0.25


def test_train_and_its_errors(client, worked):
    root = lab(act(client, worked, "train", iterations="5"))
    assert text(root, "iteration") == "5"
    r = act(client, worked, "train", iterations="lots")
    assert r.status_code == 422 and "whole number" in text(lab(r), "message")
    r = act(client, worked, "train", iterations="100000000")
    assert r.status_code == 422 and "iterations" in text(lab(r), "message")
    assert api_state(client, worked)["iteration"] == 5


def test_unknown_network_and_action_get_the_error_page(client, worked):
    r = client.get("/n/no-such-network")
    assert r.status_code == 404
    doc = parse(r.text)
    assert doc.find("h1").text() == "No network here"  # the page speaks to people
    assert doc.find("p", cls="error") is not None
    assert client.post(f"/n/{worked}/explode", headers=HX).status_code == 404


def test_large_network_fits_and_labels_only_the_focused_neuron(client):
    body = {
        "layers": [16] * 8,
        "activations": ["tanh"] * 6 + ["sigmoid"],
        "loss": "mse",
        "learning_rate": 0.1,
        "init": "xavier",
        "seed": 1,
        "inputs": [[0.1] * 16] * 2,
        "targets": [[0.5] * 16] * 2,
    }
    nid = client.post("/api/networks", json=body).json()["id"]
    root = lab(client.get(f"/n/{nid}?focus=n-3-2"))
    labels = root.find("g", cls="edge-links").find_all("g", cls="elabel")
    assert {g.id for g in labels} == {f"lbl-e-3-2-{k}" for k in range(1, 17)}
    assert len(root.find("g", cls="edges").find_all("path")) == 7 * 256


def page_weight(client, url: str) -> int:
    """Bytes a first visit downloads: the page as served (gzip) plus its scripts and CSS
    (the math font is fetched only when the system has none, so it is not counted)."""
    r = client.get(url, headers={"Accept-Encoding": "gzip"})
    total = int(r.headers.get("content-length", len(r.content)))
    doc = parse(r.text)
    assets = [s.attrs["src"] for s in doc.find_all("script") if "src" in s.attrs]
    assets += [ln.attrs["href"] for ln in doc.find_all("link", rel="stylesheet")]
    assert assets, "the page loads its scripts and styles"
    for href in assets:
        assert href.startswith("/static/"), "no network outside the app"
        total += len(client.get(href).content)
    return total


def test_first_page_load_is_under_300_kb(client, worked):
    body = {
        "layers": [16] * 8,
        "activations": ["tanh"] * 6 + ["sigmoid"],
        "loss": "mse",
        "learning_rate": 0.1,
        "init": "xavier",
        "seed": 1,
        "inputs": [[0.1] * 16] * 2,
        "targets": [[0.5] * 16] * 2,
    }
    big = client.post("/api/networks", json=body).json()["id"]
    client.post(f"/api/networks/{big}/forward", json={"all": True})
    assert page_weight(client, "/") < 300_000
    assert page_weight(client, f"/n/{worked}") < 300_000
    assert page_weight(client, f"/n/{big}") < 300_000


def test_editor_starts_from_the_exact_value_and_an_unchanged_submit_changes_nothing(client, worked):
    act(client, worked, "step")
    act(client, worked, "forward", at="updated-0")
    before = api_state(client, worked)
    exact = before["weights"][1][0][0]
    assert f"{exact:.4f}" != repr(exact)  # the page shows it rounded
    root = lab(client.get(f"/n/{worked}?edit=w-2-1-1", headers=HX))
    assert root.by_id("editor-w-2-1-1").attrs["value"] == repr(exact)
    r = client.post(f"/n/{worked}/edit", data={"key": "w-2-1-1", "value": repr(exact)}, headers=HX)
    assert r.status_code == 200 and lab(r).find("form", cls="editor") is None
    after = api_state(client, worked)
    assert (after["version"], after["cursor"], after["weights"]) == (
        before["version"],
        before["cursor"],
        before["weights"],
    )


def test_refused_edit_names_the_parameter_as_the_page_does(client, worked):
    r = client.post(f"/n/{worked}/edit", data={"key": "w-2-1-1", "value": "1e9"}, headers=HX)
    message = text(lab(r), "edit-error")
    assert message.startswith("w²₁₁:") and "weights[" not in message and "1e+06" in message
    r = client.post(f"/n/{worked}/edit", data={"key": "x-1-2", "value": "1e9"}, headers=HX)
    assert text(lab(r), "edit-error").startswith("x₂ of sample 1:")


def test_after_update_the_update_group_comes_first_and_b_shows_what_it_was(client, worked):
    act(client, worked, "step")
    state = api_state(client, worked)
    b_old, b_new = state["previous"]["biases"][1][0], state["biases"][1][0]
    assert b_old != b_new
    root = lab(client.get(f"/n/{worked}?focus=n-2-1", headers=HX))
    groups = [
        s.find("h3").text() for s in root.by_id("equations").find_all("section", cls="eq-group")
    ]
    assert groups[0] == "Update" and "Values" in groups[1:]
    facts = {
        d.find("dt").text(): d.find("dd").text()
        for d in root.by_id("equations").find("dl", cls="facts").find_all("div")
    }
    assert facts["b"] == f"was {b_old:.4f} → {b_new:.4f}"
    row = root.by_id("t-layer-2").find("tbody").find("tr")
    assert row.find("span", cls="was").text() == f"was {b_old:.4f} →"
    bias = root.by_id("n-2-1").find("text", cls="bias")
    assert bias.text() == f"b was {b_old:.4f} → {b_new:.4f}"
    act(client, worked, "forward", at="updated-0")  # a new pass: z uses the new b again
    root = lab(client.get(f"/n/{worked}?focus=n-2-1", headers=HX))
    assert root.by_id("t-layer-2").find("span", cls="was") is None
    groups = [
        s.find("h3").text() for s in root.by_id("equations").find_all("section", cls="eq-group")
    ]
    assert groups[0] == "Values"


def test_play_is_disabled_in_the_middle_of_a_pass(client, worked):
    root = lab(client.get(f"/n/{worked}?mode=train", headers=HX))
    assert "disabled" not in root.by_id("btn-play").attrs
    act(client, worked, "forward", at="idle-0", mode="train")
    root = lab(client.get(f"/n/{worked}?mode=train", headers=HX))
    play = root.by_id("btn-play")
    assert "disabled" in play.attrs and "Step" in play.attrs["title"]
    r = client.post(f"/n/{worked}/play", data={"mode": "train"}, headers=HX)
    assert r.status_code == 409 and "Step" in text(lab(r), "message")
    assert "playing" not in lab(r).by_id("player").classes


def test_out_of_order_message_says_now_once(client, worked):
    r = act(client, worked, "backward")
    message = text(lab(r), "message")
    assert message.lower().count("now") == 1, message


def test_a_stale_page_is_told_the_network_changed_elsewhere(client, worked):
    seen = api_state(client, worked)["version"]
    act(client, worked, "step")  # another browser finishes the iteration
    r = act(client, worked, "update", seen=str(seen))
    assert r.status_code == 409 and "another tab or browser" in text(lab(r), "message")
    r = act(client, worked, "forward", seen=str(seen))  # allowed, but on a newer state
    assert r.status_code == 200 and lab(r).by_id("elsewhere") is not None
    r = act(client, worked, "forward", seen=str(api_state(client, worked)["version"]))
    assert lab(r).by_id("elsewhere") is None


def test_a_sample_number_out_of_range_gets_a_message(client):
    nid = client.post("/presets/seed-xor").headers["location"].rsplit("/", 1)[1]
    message = text(lab(client.get(f"/n/{nid}?sample=9", headers=HX)), "message")
    assert "9" in message and "4 samples" in message
    assert lab(client.get(f"/n/{nid}?sample=2", headers=HX)).by_id("message") is None
