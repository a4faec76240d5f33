"""The training view's curves with a single point (one Train of one iteration): a dot,
since a polyline of one point draws nothing; the axis's name inside the chart; the
diagnostics panel's words for one record."""

from __future__ import annotations

from app.views import curves
from app.views.training import records_words


def test_one_point_is_a_dot_where_the_line_would_start():
    c = curves.accuracy_curve([[1, 0.49]], [])
    (line,) = c["lines"]
    # x: 56 + (1 − 0) / (1 − 0) · (460 − 56 − 14) = 446; y: 12 + (1 − 0.49) · (158 − 12 − 38)
    assert line["dot"] == (446.0, round(12 + 0.51 * 108, 1)) == (446.0, 67.1)
    assert line["points"] == "446.0,67.1"
    two = curves.accuracy_curve([[1, 0.49], [2, 0.5]], [])
    assert [line["dot"] for line in two["lines"]] == [None]


def test_the_dot_is_drawn_and_the_axis_name_sits_inside(client):
    from tests.support.networks import PLAYED

    nid = client.post("/api/networks", json=PLAYED).json()["id"]
    client.post(f"/api/networks/{nid}/train", json={"iterations": 1})
    page = client.get(f"/n/{nid}?mode=train").text
    assert 'id="acc-train-dot"' in page and 'id="curve-train-dot"' in page
    assert "the latest record, iteration 1" in page and "last 1 record" not in page
    c = curves.loss_curve([[1, 0.7], [2, 0.6]], [], False)
    tick_row = c["height"] - c["pad"]["bottom"] + 16  # the tick labels' centre
    # 11 px text centred on its y: ±5.5 stays inside the chart and under the ticks
    assert tick_row + 5.5 <= c["x_label_y"] - 5.5 and c["x_label_y"] + 5.5 <= c["height"]


def test_the_records_the_panel_judges_in_words():
    assert records_words(0, None, None) == ""
    assert records_words(1, 1, 1) == "the latest record, iteration 1"
    assert records_words(12, 3, 14) == "the last 12 records, iterations 3–14"
