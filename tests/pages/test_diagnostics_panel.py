"""The diagnostics panel's all-clear line is the service's, which says that the output
layer's saturation is not counted (a trained classifier's outputs sit near 0 or 1)."""

from __future__ import annotations

from tests.support.htmldom import parse


def test_a_healthy_network_shows_the_all_clear_that_excludes_the_output_layer(client):
    nid = client.post("/api/networks", json={"preset": "circle-tanh"}).json()["id"]
    trained = client.post(f"/api/networks/{nid}/train", json={"iterations": 300}).json()
    assert trained["diverged"] is None
    view = client.get(f"/api/networks/{nid}/training-view").json()
    assert view["hints"] == [] and view["all_clear"]
    doc = parse(client.get(f"/n/{nid}?mode=train").text)
    ok = [li.text() for li in doc.find_all("li", cls="ok")]
    assert ok == [view["all_clear"]] and "output layer is not counted" in ok[0]
