"""Play's refreshes as numbers (app/views/numbers.py): a refresh for a page that shows its
layout carries only numbers, and those numbers turn the previous refresh's markup into
exactly the markup a full refresh of the same version has; any change of layout (the view,
the text size, another tab's edit) or a stop gets the full partials again.

Two networks made from the same body train identically, so one of them gives the full
refresh of the version the other one's numbers are of."""

from __future__ import annotations

import re

import pytest

from tests.support.htmldom import Node, parse
from tests.support.networks import PLAYED as NET

HX = {"HX-Request": "true", "HX-Source": "form#player"}
PLAY = {"speed": "20", "mode": "train"}


def create(client, body: dict = NET) -> str:
    r = client.post("/api/networks", json=body)
    assert r.status_code == 201
    return r.json()["id"]


def refresh(client, nid: str, layout: str | None = None, cookie: str = "", **form):
    data = {**PLAY, **form}
    if layout is not None:
        data["layout"] = layout
    headers = {**HX, "Cookie": cookie} if cookie else HX
    r = client.post(f"/n/{nid}/chunk", data=data, headers=headers)
    assert r.status_code == 200
    return r


def layout_of(html: str) -> str:
    return parse(html).by_id("diagram").attrs["data-play-layout"]


def is_numbers(r) -> bool:
    return r.headers["content-type"].endswith("json")


def select(root: Node, id_: str, sub: str) -> Node:
    """What static/js/play.js selects: the element with the id, or the first `tag.class`
    inside it."""
    node = root.by_id(id_)
    assert node is not None, f"no element #{id_}"
    if sub:
        tag, _, cls = sub.partition(".")
        node = node.find(tag, cls or None)
        assert node is not None, f"no {sub} in #{id_}"
    return node


def apply(root: Node, numbers: dict) -> None:
    """The numbers set into a parsed refresh as static/js/play.js sets them in the page."""
    for id_, sub, attr, value in numbers["set"]:
        node = select(root, id_, sub)
        if attr:
            node.attrs[attr] = value
        else:
            node.children = [value]
    for id_, markup, _kept in numbers["html"]:
        old, new = root.by_id(id_), parse(markup).by_id(id_)
        assert old is not None and new is not None, id_
        siblings = old.parent.children
        new.parent = old.parent
        siblings[siblings.index(old)] = new


def dump(node: Node | str) -> object:
    """The tree as comparable data: tags, attributes and texts (white space collapsed)."""
    if isinstance(node, str):
        return " ".join(node.split())
    kids = [dump(c) for c in node.children]
    return (node.tag, sorted(node.attrs.items()), [k for k in kids if k != ""])


def two_at_the_same_version(client, form: dict | None = None, body: dict = NET):
    """(the numbers network A's refresh sends, A's refresh before it parsed, network B's
    full refresh of the same version parsed). A refresh whose labels changed width (a
    weight changed sign) has another layout and comes whole: A refreshes until one comes
    as numbers."""
    form = form or {}
    a, b = create(client, body), create(client, body)
    last = refresh(client, a, **form)
    count = 1
    while not is_numbers(r := refresh(client, a, layout_of(last.text), **form)):
        last, count = r, count + 1
        assert count < 6, "the layout changed at every refresh"
    for _ in range(count + 1):
        full = refresh(client, b, **form)
    assert not is_numbers(full)
    return r.json(), parse(last.text), parse(full.text.replace(b, a))


def test_numbers_turn_the_last_refresh_into_the_full_refresh_of_their_version(client):
    numbers, page, full = two_at_the_same_version(client)
    assert numbers["version"] == int(full.by_id("status").attrs["data-version"])
    assert dump(page) != dump(full), "training changed what the page shows"
    apply(page, numbers)
    assert dump(page) == dump(full)


def test_each_number_is_the_full_refreshs_own(client):
    numbers, _, full = two_at_the_same_version(client)
    for id_, sub, attr, value in numbers["set"]:
        node = select(full, id_, sub)
        shown = node.attrs.get(attr) if attr else node.text()
        assert shown == " ".join(value.split()), (id_, sub, attr)
    found = {(i, s, a) for i, s, a, _ in numbers["set"]}
    edges = full.by_id("net").find("g", cls="edges").find_all("path")
    assert edges and all((e.id, "", "style") in found for e in edges)
    links = [a for a in full.by_id("net").find_all("a") if "aria-label" in a.attrs]
    assert links and all((a.id, "", "aria-label") in found for a in links)
    weights = re.findall(r"[−-]?\d+\.\d{4}", full.by_id("lbl-e-1-1-1").text())
    assert weights, "the focused neuron's edges are labelled with their weights"
    for id_, markup, _kept in numbers["html"]:
        assert dump(parse(markup).by_id(id_)) == dump(full.by_id(id_)), id_


def test_numbers_in_another_view_match_its_full_refresh(client):
    form = {"focus": "n-2-3", "digits": "3", "log": "1", "sample": "5"}
    numbers, page, full = two_at_the_same_version(client, form)
    apply(page, numbers)
    assert dump(page) == dump(full)


@pytest.mark.parametrize(
    "preset", ["circle-tanh", "seed-xor", "gauss-softmax", "sine-regression", "worked-example"]
)
def test_numbers_of_presets_match_their_full_refresh(client, preset):
    """Small networks label every edge and their inputs' names beside the circles (an
    input's value and its name share a class); softmax and regression plot otherwise."""
    numbers, page, full = two_at_the_same_version(client, body={"preset": preset})
    apply(page, numbers)
    assert dump(page) == dump(full)


def test_a_change_of_view_gets_the_full_refresh(client):
    nid = create(client)
    layout = layout_of(refresh(client, nid).text)
    for form in ({"focus": "n-2-1"}, {"digits": "3"}, {"log": "1"}, {"present": "1"}):
        r = refresh(client, nid, layout, **form)
        assert not is_numbers(r), form
        assert layout_of(r.text) != layout
    r = refresh(client, nid, layout, cookie="bpl-scale=1.3")  # larger text: labels move
    assert not is_numbers(r) and layout_of(r.text) != layout
    r = refresh(client, nid, layout, cookie="bpl-narrow=1")  # a phone's drawing
    assert not is_numbers(r) and layout_of(r.text) != layout
    assert comes_as_numbers(client, nid), "and in the same view again, numbers"


def comes_as_numbers(client, nid: str) -> bool:
    """Whether a refresh comes as numbers within a few (one whose labels change width
    comes whole)."""
    last = refresh(client, nid)
    for _ in range(5):
        r = refresh(client, nid, layout_of(last.text))
        if is_numbers(r):
            return True
        last = r
    return False


def test_an_edit_elsewhere_or_a_stale_layout_gets_the_full_refresh(client):
    nid = create(client)
    layout = layout_of(refresh(client, nid).text)
    edit = client.patch(f"/api/networks/{nid}", json={"learning_rate": 0.1})
    assert edit.status_code == 200
    r = refresh(client, nid, layout)  # η is in the summary line: the layout changed
    assert not is_numbers(r)
    for stale in ("", "0" * 16, "x" * 5000):
        assert not is_numbers(refresh(client, nid, stale))


def test_a_stop_gets_the_full_refresh_with_the_controls(client):
    nid = create(client)
    layout = layout_of(refresh(client, nid).text)
    r = refresh(client, nid, layout, stop_at="40")  # 20 + 20
    assert not is_numbers(r)
    page = parse(r.text)
    assert "Stopped at iteration 40" in page.by_id("message").text()
    assert page.by_id("controls") is not None


def test_the_page_after_a_refresh_that_came_after_pause_says_where_training_stands(client):
    nid = create(client)
    refresh(client, nid)
    r = client.get(f"/n/{nid}?mode=train&paused=1", headers={"HX-Request": "true"})
    said = parse(r.text).by_id("announce").text()
    loss = client.get(f"/api/networks/{nid}").json()["loss_history"][-1][1]
    assert said == f"Paused at iteration 20, loss L {loss:.4f}.".replace("-", "−")
    assert "paused" not in r.headers["HX-Replace-Url"]


def test_a_partial_the_page_holds_unchanged_is_not_sent_again(client):
    """A and B in step for a dozen refreshes: A's numbers, with the digests A's page holds,
    keep A's page equal to B's full refresh of the same version; the confusion matrix is
    left out while it stays the same, and sent when it changed; the loss and accuracy
    curves come as their numbers while their frames stay the same."""
    a, b = create(client), create(client)
    last = refresh(client, a, speed="100")
    page = parse(refresh(client, b, speed="100").text.replace(b, a))
    held: dict[str, str] = {}  # id → digest, as static/js/play.js keeps them
    skipped = resent = as_numbers = 0
    for _ in range(12):
        kept = " ".join(f"{i}:{k}" for i, k in held.items())
        r = refresh(client, a, layout_of(last.text), kept=kept, speed="100")
        full = parse(refresh(client, b, speed="100").text.replace(b, a))
        if not is_numbers(r):  # a label changed width: it all came whole
            last, page, held = r, parse(r.text), {}
            continue
        sent = {i for i, _, _ in r.json()["html"]}
        assert {"bd-img", "bd-stats"} <= sent
        numbered = {i for i, _, _, _ in r.json()["set"]}
        for figure, svg in (("loss-curve", "curve-svg"), ("acc-curve", "acc-svg")):
            # whole, or its numbers when the page holds its frame (ticks, lines, legend)
            assert (figure in sent) != (svg in numbered), figure
            as_numbers += svg in numbered
        same = dump(page.by_id("bd-more")) == dump(full.by_id("bd-more"))
        if held:
            assert ("bd-more" not in sent) == same
            skipped, resent = skipped + same, resent + (not same)
        apply(page, r.json())
        assert dump(page) == dump(full)
        for i, _, k in r.json()["html"]:
            if k:
                held[i] = k
            else:
                held.pop(i, None)
    assert skipped and resent and as_numbers, (skipped, resent, as_numbers)


def test_a_kept_that_names_nothing_the_page_holds_keeps_nothing_out(client):
    nid = create(client)
    last = refresh(client, nid)
    for kept in ("bd-more:" + "f" * 100_000, "x " * 50_000, "bd-more:000000000000"):
        r = refresh(client, nid, layout_of(last.text), kept=kept)
        if is_numbers(r):
            assert "bd-more" in {i for i, _, _ in r.json()["html"]}
        else:
            last = r
