"""backprop-lab in a notebook (app/notebook): `show` draws the lab page's own diagram and
equations (the same SVG texts and MathML as the page in the same state), styled by rules
scoped to its wrapper, with no scripts and no server; importing it loads no web framework;
and the example notebook docs/worked_example.ipynb runs headless (nbclient with an
ipykernel) with the classic example's numbers in its outputs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import engine
from app.notebook import loss_curve, show
from app.notebook.styles import rules
from tests.support.api_helpers import JSON
from tests.support.htmldom import parse

ROOT = Path(__file__).resolve().parents[2]
HX = {"HX-Request": "true"}


def values(printed: str, name: str) -> list[float]:
    """The numbers a notebook cell printed on its line `name = …`."""
    line = next(line for line in printed.splitlines() if line.startswith(f"{name} = "))
    return [float(x) for x in re.findall(r"-?\d+\.\d+", line.split(" = ", 1)[1])]


def texts(svg) -> list[str]:
    return [t.text() for t in svg.find_all("text")]


def test_show_draws_the_lab_pages_diagram_and_equations(client):
    nid = client.post("/api/networks", json={"preset": "worked-example"}).json()["id"]
    for action in ("forward", "forward", "backward"):  # up to the output layer's δ
        client.post(f"/api/networks/{nid}/{action}", headers=JSON)
    lab = parse(client.get(f"/n/{nid}?focus=n-2-1&digits=6", headers=HX).text)

    net = engine.create_network({"preset": "worked-example"})
    net.forward()
    net.forward()
    net.backward()
    out = show(net, focus=(2, 1), digits=6)
    mine = parse(out._repr_html_())

    assert texts(mine.by_id("net")) == texts(lab.by_id("net"))
    page_math = re.findall(
        r"<math.*?</math>", client.get(f"/n/{nid}?focus=n-2-1&digits=6").text, re.S
    )
    shown_math = re.findall(r"<math.*?</math>", out.html, re.S)
    assert shown_math and set(shown_math) <= set(page_math)
    assert "0.138499" in out.html and "Neuron 1 of layer 2 (output)" in out.html
    assert mine.find("a") is None and mine.find("script") is None  # nothing to click or run
    assert "Backward pass: δ and gradients of layer 2 computed." in out.html
    assert repr(out).startswith("<backprop-lab 2-2-2: Backward pass")


def test_every_style_rule_is_scoped_to_the_output():
    net = engine.create_network({"preset": "seed-xor"})
    html = show(net, focus=(1, 2, 1)).html
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert "var(--sans)" in css and "&#34;" not in css  # not escaped

    def selectors(text: str):
        for prelude, body in rules(text):
            if prelude.startswith("@keyframes"):
                continue
            if prelude.startswith("@"):
                yield from selectors(body)
            else:
                yield from (s.strip() for s in prelude.split(","))

    found = list(selectors(css))
    assert len(found) > 20
    assert all(s == ".bpl" or s.startswith(".bpl ") for s in found), found
    assert ".bpl svg text" in found and ".bpl .start" not in css  # only what it draws
    assert "url(" not in css and "/static/" not in html
    assert "font/woff2;base64" in show(net, font=True).html


def test_show_refuses_a_neuron_that_does_not_exist():
    net = engine.create_network({"preset": "worked-example"})
    with pytest.raises(
        ValueError, match=r"focus is \(3, 1\); give \(layer, neuron\) with layer 0 to 2"
    ):
        show(net, focus=(3, 1))
    with pytest.raises(ValueError, match="focus is"):
        show(net, focus=(1, 1, 3))
    with pytest.raises(ValueError, match="sample is 2; it must be from 1 to 1"):
        show(net, sample=2)


def test_the_loss_curve_is_the_labs():
    net = engine.create_network({"preset": "worked-example"})
    assert "No loss yet" in loss_curve(net).html
    net.train(50)
    html = loss_curve(net).html
    points = parse(html).find("polyline", id="curve-train").attrs["points"].split()
    assert len(points) == 50 and "Loss after iteration 50" in html


def test_importing_the_notebook_module_loads_no_web_framework():
    code = (
        "import sys, app.notebook; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('fastapi', 'starlette', 'uvicorn', 'httpx', 'app') ))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded = eval(out.stdout)
    assert "app.notebook" in loaded and "app.views.diagram" in loaded
    assert not [
        m for m in loaded if m.split(".")[0] in ("fastapi", "starlette", "uvicorn", "httpx")
    ]
    assert not [
        m for m in loaded if m.startswith(("app.web", "app.api", "app.service", "app.main"))
    ]


def test_the_example_notebook_runs_and_shows_the_classic_numbers(tmp_path):
    nb = nbformat.read(ROOT / "docs" / "worked_example.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")  # kept clean
    NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    printed = [
        "".join(o.get("text", "") for o in c.outputs if o.output_type == "stream") for c in code
    ]
    shown = [
        "".join(
            o["data"].get("text/html", "") for o in c.outputs if o.output_type == "execute_result"
        )
        for c in code
    ]
    # the hand-worked values of tests/api/test_worked_example.py (to 1e-8)
    assert values(printed[1], "a1") == pytest.approx([0.593269992, 0.596884378], abs=1e-8)
    assert values(printed[2], "loss") == pytest.approx([0.298371109], abs=1e-8)
    assert values(printed[2], "a2") == pytest.approx([0.751365070, 0.772928465], abs=1e-8)
    assert values(printed[3], "delta2") == pytest.approx([0.138498562, -0.038098236], abs=1e-8)
    assert values(printed[3], "delta1") == pytest.approx([0.008771354, 0.009954254], abs=1e-8)
    new_w2 = [0.358916480, 0.408666186, 0.511301270, 0.561370121]
    assert values(printed[4], "W2") == pytest.approx(new_w2, abs=1e-8)
    assert 0 < values(printed[5], "loss of iteration 1001")[0] < 0.01
    # the lab's diagram after each phase, with that phase's numbers
    for html, number in zip(shown[:5], ["0.0500", "0.5933", "0.7514", "0.1385", "0.3589"]):
        assert '<svg id="net"' in html and number in html, number
    assert 'id="curve-train"' in shown[5]


def test_the_readmes_python_runs():
    """README's "Use it from Python" examples, as written."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) == 2
    scope: dict = {}
    exec(compile("\n".join(blocks), "README.md", "exec"), scope)
    assert scope["net"].iteration == 1002 and scope["result"].losses[-1] < 0.01
