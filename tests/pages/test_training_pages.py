"""The training view's fragments, rendered in-process and parsed: Play / Pause and the
refreshes while playing, the loss curve, the decision boundary and thumbnails, the
diagnostics, the gradient check, the data and optimiser forms."""

from __future__ import annotations

import base64
import struct

import pytest

from app.service import readouts
from tests.support.htmldom import parse

HX = {"HX-Request": "true"}


def open_preset(client, name: str) -> str:
    return client.post(f"/presets/{name}").headers["location"].rsplit("/", 1)[1]


def api(client, nid: str) -> dict:
    return client.get(f"/api/networks/{nid}").json()


def train_page(client, nid: str, query: str = "") -> object:
    r = client.get(f"/n/{nid}?mode=train{query}", headers=HX)
    assert r.status_code == 200
    return parse(r.text).by_id("lab")


def png_size(uri: str) -> tuple[int, int]:
    raw = base64.b64decode(uri.split(",", 1)[1])
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", raw[16:24])


def partials(html: str) -> dict:
    """{target: the partial's first element} of a refresh's <hx-partial>s."""
    out = {}
    for p in parse(html).find_all("hx-partial"):
        # data-hx-*: valid HTML, and htmx 4 reads it as hx-* (static/vendor/htmx)
        assert p.attrs["data-hx-swap"] == "outerMorph"
        out[p.attrs["data-hx-target"]] = next(c for c in p.children if not isinstance(c, str))
    return out


def test_train_view_shows_boundary_samples_and_an_empty_loss_curve(client):
    nid = open_preset(client, "circle-tanh")
    lab = train_page(client, nid)
    assert "mode-train" in lab.classes and lab.by_id("equations") is None
    assert lab.by_id("tab-train").attrs["aria-current"] == "page"
    img = lab.by_id("bd-img")
    assert png_size(img.attrs["src"]) == (48, 48)
    markers = lab.find("g", cls="samples")
    shapes = markers.find_all("circle") + markers.find_all("rect")
    assert len(shapes) == len(api(client, nid)["inputs"]) == 200
    assert lab.by_id("loss-curve").find("p", cls="empty") is not None


def test_a_trained_network_says_why_its_circles_are_empty(client):
    nid = open_preset(client, "circle-tanh")
    assert train_page(client, nid).by_id("diagram-note") is None  # nothing trained yet
    assert client.post(f"/api/networks/{nid}/train", json={"iterations": 20}).status_code == 200
    note = train_page(client, nid).by_id("diagram-note")  # the page opened afresh
    assert note is not None and "Forward or Step" in note.text()
    assert client.post(f"/api/networks/{nid}/forward", json={}).status_code == 200
    assert train_page(client, nid).by_id("diagram-note") is None  # layer 1 has values


def test_play_polls_the_chunk_route_and_pause_removes_the_trigger(client):
    nid = open_preset(client, "circle-tanh")
    r = client.post(f"/n/{nid}/play", data={"speed": "100"}, headers=HX)
    player = parse(r.text).by_id("player")
    assert player.attrs["data-hx-post"] == f"/n/{nid}/chunk"
    assert player.attrs["data-hx-trigger"].startswith("every ")
    assert player.attrs["data-hx-swap"] == "none"
    assert player.find("option", selected="").attrs["value"] == "100"
    assert parse(r.text).by_id("btn-pause") is not None
    r = client.post(f"/n/{nid}/pause", data={"speed": "100", "mode": "train"}, headers=HX)
    player = parse(r.text).by_id("player")
    assert "data-hx-trigger" not in player.attrs and "data-hx-post" not in player.attrs
    assert parse(r.text).by_id("btn-play") is not None
    assert api(client, nid)["cursor"]["next"] == "forward"  # stepable from idle


def test_a_refresh_trains_a_chunk_and_sends_only_what_changed(client):
    nid = open_preset(client, "circle-tanh")
    before = train_page(client, nid).by_id("bd-img").attrs["src"]
    r = client.post(f"/n/{nid}/chunk", data={"speed": "50", "mode": "train"}, headers=HX)
    assert r.status_code == 200
    parts = partials(r.text)
    assert set(parts) == {
        "#status",
        "#diagram",
        "#bd-img",
        "#bd-stats",
        "#bd-more",  # the colour scale, discretize and the confusion matrix
        "#loss-curve",
        "#acc-curve",  # a classifier's accuracy curve
        "#diagnostics",
    }  # no #player: it keeps polling
    assert parts["#status"].by_id("iteration").text() == "50"
    assert parts["#bd-img"].attrs["src"] != before
    assert parts["#loss-curve"].find("polyline", cls="train") is not None
    r = client.post(f"/n/{nid}/chunk", data={"speed": "7", "mode": "train"}, headers=HX)
    assert partials(r.text)["#status"].by_id("iteration").text() == "100"  # default speed 50
    assert len(r.text) < 45_000  # with the accuracy curve, the confusion matrix, kept runs, + and −


def test_a_diverging_refresh_stops_the_player_with_a_message(client):
    nid = client.post(
        "/api/networks", json={"preset": "sine-regression", "learning_rate": 50}
    ).json()["id"]
    r = client.post(f"/n/{nid}/chunk", data={"speed": "500", "mode": "train"}, headers=HX)
    parts = partials(r.text)
    # the controls come back (enabled, the player without its trigger)
    player = parts["#controls"].by_id("player")
    assert (
        "data-hx-trigger" not in player.attrs
        and "disabled" not in parts["#controls"].by_id("btn-forward").attrs
    )
    assert "diverged" in parts["#status"].by_id("message").text().lower()


def test_loss_curve_log_scale_and_test_loss(client):
    nid = client.post("/api/networks", json={"preset": "circle-tanh", "test_split": 0.25}).json()[
        "id"
    ]
    client.post(f"/api/networks/{nid}/train", json={"iterations": 200})
    lab = train_page(client, nid)
    curve = lab.by_id("loss-curve")
    assert curve.find("polyline", cls="train") and curve.find("polyline", cls="test")
    toggle = curve.find("button", cls="toggle")  # a button (aria-pressed on a link is invalid)
    sends = {i.attrs["name"]: i.attrs["value"] for i in curve.find_all("input")}
    assert toggle.attrs["aria-pressed"] == "false" and sends["log"] == "1"
    labels = [
        t.text()
        for t in train_page(client, nid, "&log=1").by_id("loss-curve").find_all("text", cls="yl")
    ]
    assert labels and all(t.startswith("10") for t in labels)  # 10⁻¹, 10⁰: decades
    hollow = lab.find("g", cls="samples").find_all(fill="#fff")
    assert len(hollow) == len(api(client, nid)["test_inputs"]) == 50


def test_softmax_classes_get_colour_and_shape(client):
    nid = open_preset(client, "gauss-softmax")
    lab = train_page(client, nid)
    samples = lab.find("g", cls="samples")
    targets = api(client, nid)["targets"]
    counts = [sum(1 for t in targets if t.index(max(t)) == k) for k in range(3)]
    assert [
        len(samples.find_all("circle")),
        len(samples.find_all("rect")),
        len(samples.find_all("path")),
    ] == counts
    colours = {
        tag: {n.attrs["fill"] for n in samples.find_all(tag)} for tag in ("circle", "rect", "path")
    }
    assert all(len(c) == 1 for c in colours.values())
    assert len(set.union(*colours.values())) == 3


def test_one_input_shows_the_fitted_curve(client):
    nid = open_preset(client, "sine-regression")
    lab = train_page(client, nid)
    fig = lab.by_id("boundary")
    assert "kind-curve" in fig.classes and lab.by_id("bd-img") is None
    assert len(fig.by_id("fit-line").attrs["points"].split()) == 48
    assert len(fig.find("g", cls="dots").find_all("circle")) == 60
    r = client.post(f"/n/{nid}/chunk", data={"mode": "train"}, headers=HX)
    assert "#boundary" in partials(r.text)


def test_thumbnails_of_hidden_neurons_on_request(client):
    nid = open_preset(client, "circle-tanh")
    assert train_page(client, nid).find("image", cls="thumb") is None
    lab = train_page(client, nid, "&thumbs=1")
    thumbs = {n.id for n in lab.find_all("image", cls="thumb")}
    assert thumbs == {f"th-n-{l}-{j}" for l in (1, 2) for j in range(1, 7)} | {"th-n-3-1"}
    assert png_size(lab.by_id("th-n-1-1").attrs["href"]) == (24, 24)
    sine = open_preset(client, "sine-regression")
    assert train_page(client, sine, "&thumbs=1").find("image", cls="thumb") is None


def test_diagnostics_show_every_layer_and_the_services_hints(client):
    nid = open_preset(client, "seed-xor")
    assert "Train a few" in train_page(client, nid).by_id("diagnostics").text()
    client.post(f"/api/networks/{nid}/train", json={"iterations": 2000})
    diag = train_page(client, nid).by_id("diagnostics")
    rows = diag.find("tbody").find_all("tr")
    assert [r.find("th").text() for r in rows] == [
        "1 · sigmoid",
        "2 · sigmoid (output: not counted)",
    ]
    hints = readouts.plot_data(client.app.state.service.get(nid))["hints"]
    assert hints, "seed-xor stuck at the average gets a hint"
    shown = [li.text() for li in diag.find("ul", cls="hints").find_all("li")]
    assert shown == [" ".join(h["message"].split()) for h in hints]


def test_gradient_check_verdicts_and_the_work_limit(client, monkeypatch):
    nid = open_preset(client, "circle-tanh")
    r = client.get(f"/n/{nid}/gradcheck", headers=HX)
    doc = parse(r.text)  # the content of the page's #gradcheck live region
    rows = doc.find("tbody").find_all("tr")
    assert len(rows) == 3 and all(r.find("td", cls="pass") for r in rows)
    assert "Pass" in doc.find("p", cls="verdict").text()
    monkeypatch.setattr(client.app.state.settings, "work_seconds", 1e-7)
    r = client.get(f"/n/{nid}/gradcheck", headers=HX)
    assert r.status_code == 422
    message = parse(r.text).find("p", cls="message").text()
    assert "limit" in message


def test_regenerate_with_a_new_seed_and_a_test_split(client):
    nid = open_preset(client, "circle-tanh")
    before = api(client, nid)
    form = {
        "mode": "train",
        "dataset": "circle",
        "samples": "200",
        "noise": "0.05",
        "test_split": "20",
        "reseed": "1",
    }
    r = client.post(f"/n/{nid}/data", data=form, headers=HX)
    assert r.status_code == 200
    after = api(client, nid)
    assert after["dataset"]["seed"] == before["dataset"]["seed"] + 1
    assert len(after["inputs"]) == 160 and len(after["test_inputs"]) == 40
    assert after["inputs"] != before["inputs"][:160]
    data_form = parse(r.text).by_id("data-form")
    assert data_form.find("input", name="test_split").attrs["value"] == "20"


@pytest.mark.parametrize(
    "field,value,words",
    [
        ("noise", "loud", "Noise"),
        ("test_split", "150", "Test split"),
        ("samples", "5000", "samples"),
        ("dataset", "sine", "layers"),
    ],
)
def test_bad_data_form_shows_the_error_and_keeps_the_input(client, field, value, words):
    nid = open_preset(client, "circle-tanh")
    version = api(client, nid)["version"]
    form = {
        "mode": "train",
        "dataset": "circle",
        "samples": "200",
        "noise": "0.05",
        "test_split": "0",
        field: value,
    }
    r = client.post(f"/n/{nid}/data", data=form, headers=HX)
    assert r.status_code == 422
    doc = parse(r.text)
    assert words in doc.by_id("data-error").text()
    kept = doc.by_id("data-form").find(name=field)
    shown = kept.find("option", selected="").text() if kept.tag == "select" else kept.attrs["value"]
    assert shown == value
    assert api(client, nid)["version"] == version


def test_optimiser_choice_on_the_lab_page(client):
    nid = open_preset(client, "circle-tanh")
    r = client.post(f"/n/{nid}/optimizer", data={"optimizer": "adam", "mode": "train"}, headers=HX)
    assert r.status_code == 200
    assert api(client, nid)["optimizer"] == "adam"
    select = parse(r.text).by_id("optimizer")
    assert select.find("option", selected="").attrs["value"] == "adam"
    r = client.post(
        f"/n/{nid}/optimizer", data={"optimizer": "rmsprop", "mode": "train"}, headers=HX
    )
    assert r.status_code == 422 and "optimizer" in parse(r.text).by_id("message").text()
    assert api(client, nid)["optimizer"] == "adam"


def test_export_links_point_at_the_api(client):
    nid = open_preset(client, "worked-example")
    links = {
        a.attrs["href"] for a in train_page(client, nid).find("ul", cls="exports").find_all("a")
    }
    assert links == {f"/api/networks/{nid}/{p}" for p in ("export", "trace", "trace.csv")}


def test_the_worked_example_export_offers_each_format_with_a_choice_of_decimals(client):
    """The Markdown link became a form: the decimals (4, 6 or 9) and one button per format,
    each a GET of the API's handout with ?digits=."""
    nid = open_preset(client, "worked-example")
    form = train_page(client, nid).by_id("handout-form")
    assert form.attrs["method"] == "get"
    select = form.find("select", id="handout-digits")
    assert select.attrs["name"] == "digits"
    assert [o.text() for o in select.find_all("option")] == ["4", "6", "9"]
    assert select.find("option", selected="").text() == "4"
    base = f"/api/networks/{nid}/worked-example"
    actions = [b.attrs["formaction"] for b in form.find_all("button")]
    assert actions == [f"{base}.{ext}" for ext in ("html", "pdf", "tex", "md")]
    for action in actions:
        r = client.get(action, params={"digits": 9})
        assert r.status_code in ((200, 503) if action.endswith(".pdf") else (200,)), action
        if r.status_code == 200 and not action.endswith(".pdf"):
            assert "0.298371109" in r.text, action  # the loss, to the chosen 9 decimals
    on_6 = train_page(client, nid, "&digits=6").by_id("handout-form")
    assert on_6.find("option", selected="").text() == "6"  # the page's own decimals


def test_the_fastest_speed_trains_for_a_time_budget_and_stops_where_asked(client):
    nid = open_preset(client, "circle-tanh")
    r = client.post(f"/n/{nid}/play", data={"speed": "0"}, headers=HX)
    option = parse(r.text).by_id("player").find("option", selected="")
    assert option.attrs["value"] == "0" and option.text() == "fastest"
    r = client.post(f"/n/{nid}/chunk", data={"speed": "0", "mode": "train"}, headers=HX)
    trained = int(partials(r.text)["#status"].by_id("iteration").text())
    assert trained >= 1 and api(client, nid)["iteration"] == trained
    # the stop condition bounds a time-budget chunk as it bounds a fixed one
    data = {"speed": "0", "mode": "train", "stop_at": str(trained + 3)}
    r = client.post(f"/n/{nid}/chunk", data=data, headers=HX)
    assert api(client, nid)["iteration"] == trained + 3
    assert "Stopped at iteration" in partials(r.text)["#status"].by_id("message").text()
