"""A step click from the lab page (htmx, aimed at the lab region) is answered with the
regions the step changes, each an <hx-partial> holding the very partial the whole page
includes (templates/_lab_parts.html): parsed and compared, element by element, with the
whole region of a twin network clicked the same way, and the regions left out are the
ones a step leaves as they were."""

from __future__ import annotations

import pytest

from tests.support.htmldom import Node, parse

WHOLE = {"HX-Request": "true"}
PARTS = {"HX-Request": "true", "HX-Target": "div#lab"}  # what the page's buttons send
REGIONS = ("status", "controls", "diagram", "equations", "tables")
FOLLOWS = {  # attributes outside the partials that a step changes, and why that is enough
    ("lab", "class"),  # the phase and the last action: static/js/lab.js copies the status line's
    ("lab", "data-version"),  # likewise
    ("share", "data-iteration"),  # read once, when the page loads (static/js/classroom.js)
}
CLICKS = ("forward", "forward", "backward", "backward", "update", "step", "forward-all")
CLICKS += ("backward-all", "update", "step")


def shape(node: Node) -> tuple:
    """An element as nested tuples: tag, attributes, children (text with its white space
    collapsed), for comparing two parsed answers."""
    children = []
    for c in node.children:
        if isinstance(c, str):
            if c.split():
                children.append(" ".join(c.split()))
        else:
            children.append(shape(c))
    return (node.tag, tuple(sorted(node.attrs.items())), tuple(children))


def partials(text: str) -> dict[str, Node]:
    """{target id: the one element the partial holds} of an answer made of partials only."""
    doc = parse(text)
    out = {}
    for top in doc.children:
        if isinstance(top, str):
            assert not top.strip(), f"text outside the partials: {top[:80]!r}"
            continue
        assert top.tag == "hx-partial", f"<{top.tag}> outside the partials"
        assert top.attrs["hx-swap"] == "outerMorph"
        inner = [c for c in top.children if isinstance(c, Node)]
        assert len(inner) == 1, top.attrs
        target = top.attrs["hx-target"]
        assert target == f"#{inner[0].id}", (target, inner[0].id)
        out[inner[0].id] = inner[0]
    return out


def twins(client, body: dict) -> tuple[str, str]:
    ids = []
    for _ in range(2):
        r = client.post("/api/networks", json=body)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids[0], ids[1]


def without(node: Node, ids: tuple[str, ...]) -> tuple:
    """The shape of `node` with the elements of `ids` left out, and its own attributes
    that follow the status line (version, phase, last action) too."""
    children = []
    for c in node.children:
        if isinstance(c, str):
            if c.split():
                children.append(" ".join(c.split()))
        elif c.id not in ids:
            children.append(without(c, ids))
    attrs = {k: v for k, v in node.attrs.items() if (node.id, k) not in FOLLOWS}
    return (node.tag, tuple(sorted(attrs.items())), tuple(children))


@pytest.mark.parametrize(
    "body, query",
    [
        ({"preset": "worked-example"}, {}),
        ({"preset": "seed-xor"}, {"digits": "3"}),
        ({"preset": "gauss-softmax"}, {"focus": "n-2-1"}),
        ({"preset": "worked-example"}, {"practice": "1"}),
    ],
)
def test_each_click_sends_the_changed_regions_as_the_whole_region_has_them(client, body, query):
    parted, whole = twins(client, body)
    before = None
    for action in CLICKS:
        a = client.post(f"/n/{parted}/{action}", data=query, headers=PARTS)
        b = client.post(f"/n/{whole}/{action}", data=query, headers=WHOLE)
        assert a.status_code == b.status_code == 200, (action, a.text[:300])
        assert a.headers["HX-Replace-Url"].replace(parted, whole) == b.headers["HX-Replace-Url"]
        sent, region = partials(a.text), parse(b.text).by_id("lab")
        assert region is not None, b.text[:300]
        assert set(sent) == set(REGIONS), (action, sorted(sent))
        for rid in REGIONS:
            full = region.by_id(rid)
            assert full is not None, rid
            # the same markup, but for the network's own id in its links
            assert shape(sent[rid]) == shape(parse(_swap_id(full, whole, parted)).by_id(rid)), (
                action,
                rid,
            )
        assert sent["status"].attrs["data-version"] == region.attrs["data-version"]
        # what the answer leaves out is what the step did not change
        rest = without(region, REGIONS)
        if before is not None:
            assert rest == before, action
        before = rest


def _swap_id(node: Node, old: str, new: str) -> str:
    """`node` written out again as HTML with network id `old` replaced by `new`."""
    return _html(node).replace(old, new)


def _html(node: Node) -> str:
    from html import escape

    attrs = "".join(f' {k}="{escape(v)}"' for k, v in node.attrs.items())
    inner = "".join(
        escape(c, quote=False) if isinstance(c, str) else _html(c) for c in node.children
    )
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"


def test_the_numbers_of_a_click_are_those_of_the_page_at_that_version(client):
    """Every value the partials show is the one the whole page shows when opened at the
    same version (the tables and the diagram's values, read as text)."""
    nid, _ = twins(client, {"preset": "worked-example"})
    for action in ("forward", "forward", "backward", "backward", "update"):
        sent = partials(client.post(f"/n/{nid}/{action}", headers=PARTS).text)
        page = parse(client.get(f"/n/{nid}").text)
        assert sent["tables"].text() == page.by_id("tables").text(), action
        for kind in ("main", "z", "delta", "w", "g"):
            mine = [t.text() for t in sent["diagram"].find_all("text", cls=kind)]
            theirs = [t.text() for t in page.by_id("diagram").find_all("text", cls=kind)]
            assert mine == theirs, (action, kind)
        assert sent["status"].by_id("loss").text() == page.by_id("loss").text()


@pytest.mark.parametrize(
    "headers, query",
    [
        (WHOLE, {}),  # an htmx request aimed elsewhere
        (PARTS, {"mode": "train"}),  # the training view has other regions
    ],
)
def test_other_requests_get_the_whole_region(client, headers, query):
    nid, _ = twins(client, {"preset": "seed-xor"})
    r = client.post(f"/n/{nid}/forward", data=query, headers=headers)
    assert r.status_code == 200
    assert "<hx-partial" not in r.text
    assert parse(r.text).by_id("lab") is not None


def test_a_refused_click_gets_the_whole_region_with_its_message(client):
    nid, _ = twins(client, {"preset": "seed-xor"})
    r = client.post(f"/n/{nid}/backward", headers=PARTS)
    assert r.status_code == 409
    region = parse(r.text).by_id("lab")
    assert region is not None and "Backward is not the next step" in region.by_id("message").text()


def test_without_javascript_a_click_still_answers_303_to_the_page(client):
    nid, _ = twins(client, {"preset": "seed-xor"})
    r = client.post(f"/n/{nid}/forward", data={"digits": "3"})
    assert r.status_code == 303 and r.headers["location"].startswith(f"/n/{nid}")


@pytest.mark.parametrize("action", ["undo", "reset"])
def test_undo_and_reset_get_the_whole_region(client, action):
    """They may take back an edit of anything: here a neuron added to the hidden layer,
    which changes the drawing's room and the layout around it."""
    nid, _ = twins(client, {"preset": "seed-xor"})
    assert client.post(f"/n/{nid}/forward", headers=PARTS).status_code == 200
    r = client.post(f"/n/{nid}/network", data={"change": "add-neuron:1"}, headers=WHOLE)
    assert r.status_code == 200
    r = client.post(f"/n/{nid}/{action}", headers=PARTS)
    assert r.status_code == 200
    assert "<hx-partial" not in r.text
    region = parse(r.text).by_id("lab")
    assert region is not None and region.by_id("share") is not None
