"""The training view's measures and compared runs, rendered in-process and parsed: the
accuracy curve beside the loss, the confusion matrix (counted by hand from the samples'
classes), discretize output, the colour scale of a regression surface, "Keep this run"
and its ghost under the next run, and Play's stop condition."""

from __future__ import annotations

from tests.pages.test_training_pages import HX, api, open_preset, partials, train_page
from tests.support.htmldom import parse


def test_the_accuracy_curve_and_the_confusion_matrix(client):
    nid = open_preset(client, "circle-tanh")
    client.post(f"/api/networks/{nid}/train", json={"iterations": 120})
    lab = train_page(client, nid)
    acc = lab.by_id("acc-curve")
    assert acc.find("polyline", cls="train") is not None
    assert [t.text() for t in acc.find_all("text", cls="yl")] == ["0%", "25%", "50%", "75%", "100%"]
    view = client.get(f"/api/networks/{nid}/training-view").json()["train"]
    pairs = list(zip(view["classes"], view["predicted"]))
    rows = lab.by_id("confusion").find("tbody").find_all("tr")
    shown = [[int(td.text()) for td in r.find_all("td")] for r in rows]
    by_hand = [[sum(1 for p in pairs if p == (a, b)) for b in (0, 1)] for a in (0, 1)]
    assert shown == by_hand and sum(map(sum, shown)) == 200


def test_discretize_output_shows_each_points_class(client):
    nid = open_preset(client, "circle-tanh")
    client.post(f"/api/networks/{nid}/train", json={"iterations": 60})
    smooth = train_page(client, nid)
    toggle = smooth.by_id("discrete")
    assert toggle.find("button").attrs["aria-pressed"] == "false"
    assert toggle.find("input", name="discrete").attrs["value"] == "1"
    sharp = train_page(client, nid, "&discrete=1")
    assert sharp.by_id("discrete").find("button").attrs["aria-pressed"] == "true"
    assert sharp.by_id("bd-img").attrs["src"] != smooth.by_id("bd-img").attrs["src"]
    assert sharp.find("input", name="discrete") is not None  # forms keep it


def test_a_regression_surface_has_a_colour_scale_and_no_accuracy(client):
    body = {
        "layers": [2, 4, 1],
        "activations": ["tanh", "linear"],
        "loss": "mse",
        "learning_rate": 0.03,
        "optimizer": "adam",
        "dataset": "plane",
    }
    nid = client.post("/api/networks", json=body).json()["id"]
    client.post(f"/api/networks/{nid}/train", json={"iterations": 50})
    lab = train_page(client, nid)
    assert lab.by_id("boundary").find("h2").text() == "Output over the plane"
    scale = lab.by_id("bd-stats").find("span", cls="colour-scale")
    assert "linear-gradient" in scale.find("span", cls="bar").attrs["style"]
    assert lab.by_id("acc-curve") is None and lab.by_id("bd-more") is None
    assert lab.by_id("stop-accuracy") is None  # nothing to reach


def test_keep_a_run_and_see_its_ghost_under_the_next(client):
    nid = open_preset(client, "circle-tanh")
    assert "disabled" in train_page(client, nid).by_id("btn-keep").attrs
    client.post(f"/api/networks/{nid}/train", json={"iterations": 80})
    r = client.post(f"/n/{nid}/keep", data={"mode": "train"}, headers=HX)
    lab = parse(r.text).by_id("lab")
    assert "Kept run 1" in lab.by_id("message").text()
    ghost = lab.by_id("curve-ghost-1")
    assert ghost is not None and "ghost" in ghost.classes
    assert lab.by_id("acc-ghost-1") is not None
    client.post(f"/api/networks/{nid}/reset", json={})
    lab = train_page(client, nid)
    assert lab.by_id("curve-ghost-1") is not None and lab.by_id("curve-train") is None
    assert "run 1: sgd" in lab.by_id("ghost-1").text()
    r = client.post(f"/n/{nid}/forget", data={"mode": "train", "number": "1"}, headers=HX)
    lab = parse(r.text).by_id("lab")
    assert lab.by_id("curve-ghost-1") is None and "Undo" in lab.by_id("message").text()


def test_a_change_marks_both_curves(client):
    nid = open_preset(client, "circle-tanh")
    client.post(f"/api/networks/{nid}/train", json={"iterations": 40})
    client.post(f"/n/{nid}/network", data={"change": "add-neuron:1"}, headers=HX)
    client.post(f"/api/networks/{nid}/train", json={"iterations": 40})
    lab = train_page(client, nid)
    for figure in ("loss-curve", "acc-curve"):
        marks = lab.by_id(figure).find_all("g", cls="marks")
        assert len(marks) == 1 and marks[0].find("title").text().startswith("iteration 40:")


def test_play_stops_at_the_stop_condition(client):
    nid = open_preset(client, "circle-tanh")
    form = {"mode": "train", "speed": "50", "stop_at": "70"}
    first = partials(client.post(f"/n/{nid}/chunk", data=form, headers=HX).text)
    assert "#controls" not in first and api(client, nid)["iteration"] == 50
    second = partials(client.post(f"/n/{nid}/chunk", data=form, headers=HX).text)
    assert api(client, nid)["iteration"] == 70  # 20, not 50: it stops where asked
    player = second["#controls"].by_id("player")
    assert "data-hx-trigger" not in player.attrs and "hx-trigger" not in player.attrs
    assert player.by_id("stop-at").attrs["value"] == "70"
    assert "Stopped at iteration 70" in second["#status"].by_id("message").text()
    loss = api(client, nid)["loss_history"][-1][1]
    form = {"mode": "train", "speed": "500", "stop_loss": f"{loss * 0.999}"}
    third = partials(client.post(f"/n/{nid}/chunk", data=form, headers=HX).text)
    assert "fell below" in third["#status"].by_id("message").text()
    assert api(client, nid)["iteration"] < 570


def test_a_bad_stop_condition_stops_with_its_field(client):
    nid = open_preset(client, "circle-tanh")
    form = {"mode": "train", "speed": "50", "stop_loss": "-1"}
    parts = partials(client.post(f"/n/{nid}/chunk", data=form, headers=HX).text)
    assert "not a number above 0" in parts["#status"].by_id("message").text()
    assert api(client, nid)["iteration"] == 0


def test_a_refresh_that_arrives_after_the_stop_trains_nothing(client):
    nid = open_preset(client, "circle-tanh")
    form = {"mode": "train", "speed": "50", "stop_at": "50"}
    client.post(f"/n/{nid}/chunk", data=form, headers=HX)
    late = partials(client.post(f"/n/{nid}/chunk", data=form, headers=HX).text)
    assert api(client, nid)["iteration"] == 50
    assert "Stopped at iteration 50" in late["#status"].by_id("message").text()
    form["stop_at"] = "20"  # behind the network: said, nothing trained
    behind = partials(client.post(f"/n/{nid}/chunk", data=form, headers=HX).text)
    assert "from the current iteration (50) on" in behind["#status"].by_id("message").text()
    assert api(client, nid)["iteration"] == 50


def test_a_kept_runs_legend_gives_its_settings_once(client):
    nid = open_preset(client, "circle-tanh")
    client.post(f"/api/networks/{nid}/train", json={"iterations": 20})
    client.post(f"/api/networks/{nid}/keep", json={})
    client.post(f"/api/networks/{nid}/keep", json={"label": "before Adam"})
    lab = train_page(client, nid)
    first, second = lab.by_id("ghost-1"), lab.by_id("ghost-2")
    settings = "sgd, η 0.5, seed 1, 2–6–6–1, x₁, x₂"
    assert first.attrs["title"] == second.attrs["title"] == settings
    assert first.find("span", cls="hint") is None  # its label says them already
    assert second.find("span", cls="hint").text() == f"({settings})"


def test_the_test_samples_have_their_own_confusion_matrix(client):
    body = {"preset": "circle-tanh", "test_split": 0.25}
    nid = client.post("/api/networks", json=body).json()["id"]
    client.post(f"/api/networks/{nid}/train", json={"iterations": 50})
    lab = train_page(client, nid)
    view = client.get(f"/api/networks/{nid}/training-view").json()["test"]
    rows = lab.by_id("confusion-test").find("tbody").find_all("tr")
    shown = [[int(td.text()) for td in r.find_all("td")] for r in rows]
    pairs = list(zip(view["classes"], view["predicted"]))
    assert shown == [[sum(1 for p in pairs if p == (a, b)) for b in (0, 1)] for a in (0, 1)]
    assert sum(map(sum, shown)) == 50 and lab.by_id("confusion") is not None
