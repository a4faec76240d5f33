"""The worked-example handout in its formats (app/documents): the printable HTML page
carries every number of the Markdown, every heading names its neuron or weight, the blog
post's names appear for its 2-2-2 network, the page has no controls or scripts and its
print stylesheet starts each phase on a new page; the LaTeX is plain ASCII and compiles
with pdflatex (tests/support/tools.py: skipped without it unless BACKPROP_LAB_REQUIRE_TEX=1)."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from itertools import pairwise

import pytest
from pypdf import PdfReader

import engine
from app.documents.handout import Shown
from app.documents.latex import escape, latex
from app.documents.markdown import markdown
from app.documents.printable import page
from app.documents.worked_example import handout
from app.resources import static_text
from tests.support.htmldom import parse
from tests.support.tools import pdflatex

NUMBER = re.compile(r"\d+\.\d+")
PHASES = ["1. Forward pass", "2. Loss", "3. Backward pass", "4. Update"]
NAMED = re.compile(r"(neuron \d+ in layer \d+|input \d+)")


def classic(digits: int = 4):
    return handout(engine.create_network({"preset": "worked-example"}), digits)


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("digits", [4, 9])
@pytest.mark.parametrize("preset", ["worked-example", "seed-xor", "gauss-softmax"])
def test_the_html_handout_carries_every_number_of_the_markdown(preset, digits):
    net = engine.create_network({"preset": preset, "optimizer": "momentum"})
    net.train(2)
    doc = handout(net, digits)
    in_md, in_html = (
        Counter(NUMBER.findall(markdown(doc))),
        Counter(NUMBER.findall(text_of(page(doc)))),
    )
    assert len(in_md) > 30
    short = {n: (c, in_html[n]) for n, c in in_md.items() if in_html[n] < c}
    assert not short, short  # (times in the Markdown, times in the page)


def test_the_classic_numbers_to_nine_decimals_in_every_format():
    doc = classic(9)
    # worked out by hand in tests/api/test_worked_example.py: a¹₁, the loss, δ²₁, new w²₁₁
    for value in ("0.593269992", "0.298371109", "0.138498562", "0.358916480"):
        for text in (markdown(doc), text_of(page(doc)), latex(doc)):
            assert value in text, value


@pytest.mark.parametrize("preset", list(engine.PRESETS))
def test_every_equation_heading_names_its_neuron_weight_or_quantity(preset):
    doc = handout(engine.create_network({"preset": preset, "optimizer": "adam"}))
    titles = [b.title.text for b in doc.blocks if isinstance(b, Shown)]
    assert len(titles) > 10
    for t in titles:
        assert NAMED.search(t) or t.startswith(
            ("Loss for this sample, ℓ", "Batch loss", "Step count, t")
        ), t
    md = markdown(doc)
    assert all(f"**{t}**" in md for t in titles)


def test_the_headings_of_the_classic_example():
    md, html = markdown(classic()), page(classic())
    for heading in (
        "Weighted input of neuron 1 in layer 2, z²₁",
        "Activation of neuron 2 in layer 1, a¹₂",
        "Output of neuron 1 in layer 2, ŷ₁",
        "Output delta of neuron 2 in layer 2, δ²₂, by the chain rule",
        "Error sent back from layer 2 to neuron 1 in layer 1, ∂ℓ/∂a¹₁",
        "Gradient of the weight from neuron 2 in layer 1 to neuron 1 in layer 2, ∂L/∂w²₁₂",
        "Gradient of the bias of neuron 1 in layer 1, ∂L/∂b¹₁",
        "Gradient-descent update of the bias of neuron 2 in layer 2, b²₂",
    ):
        assert f"**{heading}**" in md, heading
        assert re.search(rf'<h([34]) class="eq-title">{re.escape(heading)}</h\1>', html), heading
    assert "**Weighted input**" not in md


def test_a_batchs_headings_tag_only_the_equations_of_one_sample():
    doc = handout(engine.create_network({"preset": "gauss-softmax"}))
    titles = [b.title.text for b in doc.blocks if isinstance(b, Shown)]
    assert "Weighted input of neuron 1 in layer 1, z¹₁ (sample 1 of 150)" in titles
    assert (
        "Gradient of the bias of neuron 1 in layer 2, ∂L/∂b²₁: the mean over 150 samples" in titles
    )
    assert not [t for t in titles if "mean over" in t and "(sample" in t]


def names_table(html: str):
    return parse(html).find("table", cls="names")


def test_the_blog_posts_names_for_its_network():
    table = names_table(page(classic()))
    rows = {
        r.find("th").text(): [c.text() for c in r.find_all("td")]
        for r in table.find("tbody").find_all("tr")
    }
    # w5 is the blog's h1 → o1 weight: w²₁₁ here (row j = 1 of W², column k = 1)
    assert rows["w5"][1] == "0.4000" and "w" in rows["w5"][0]
    assert [rows[f"w{n}"][1] for n in range(1, 9)] == [
        "0.1500", "0.2000", "0.2500", "0.3000", "0.4000", "0.4500", "0.5000", "0.5500"
    ]  # fmt: skip
    assert rows["i1"][1] == "0.0500" and rows["b1"][1] == "0.3500" and rows["b2"][1] == "0.6000"
    md = markdown(classic())
    assert (
        "| w5 | $w^{2}_{11}$ | 0.4000 |" in md
        and "| b1 | $b^{1}_{1}$ and $b^{1}_{2}$ | 0.3500 |" in md
    )
    assert "| i2 | $x_{2} = a^{0}_{2}$ | 0.1000 |" in md
    other = handout(engine.create_network({"preset": "seed-xor"}))
    assert names_table(page(other)) is None and "| w5 |" not in markdown(other)


def test_the_page_is_a_printable_document_with_no_controls():
    html = page(classic())
    root = parse(html)
    for tag in ("script", "form", "button", "input", "select", "a"):
        assert root.find(tag) is None, tag
    assert not re.search(r"\son[a-z]+=", html) and "hx-" not in html
    links = [e.attrs["href"] for e in root.find_all("link")]
    assert links == ["/static/css/lab.css", "/static/css/handout.css"]
    svg = root.by_id("net")
    assert svg is not None and svg.find("g", id="n-2-1") is not None  # the lab's diagram
    assert "Neurons are links" not in svg.text()
    sections = root.find_all("section", cls="phase")
    assert [s.find("h2").text() for s in sections] == PHASES
    assert len(root.find_all("math")) > 40
    levels = [int(m) for m in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in pairwise(levels))  # none skipped


def test_the_print_stylesheet_breaks_pages_between_phases():
    css = static_text("css/handout.css")
    printing = css[css.index("@media print") :]
    assert re.search(r"\.handout \.phase \{ break-before: page; \}", printing)
    page_rule = re.search(r"@page \{([^}]*)\}", css).group(1)
    assert "margin" in page_rule and "size" not in page_rule  # the printer's paper: A4 or Letter


def test_the_standalone_page_needs_no_server():
    html = page(classic(), standalone=True)
    assert "/static/" not in html and "http://" not in html.replace("http://www.w3.org/", "")
    assert "url(data:font/woff2;base64," in html and "<link" not in html


def test_latex_escapes_text_to_ascii():
    assert (
        escape("a_b 10% #1 {x} ~^\\")
        == r"a\_b 10\% \#1 \{x\} \textasciitilde{}\textasciicircum{}\textbackslash{}"
    )
    assert escape("δ ∝ b¹₂ … café") == r"$\delta$ $\propto$ b$^{1}$$_{2}$ \ldots{} caf\'{e}"
    assert escape("✓") == "[U+2713]"  # shown, never dropped


def test_the_latex_document_is_ascii_and_starts_each_phase_on_a_page():
    tex = latex(classic())
    assert tex.isascii()
    for phase in PHASES:
        assert f"\\clearpage\n\\section*{{{phase}}}" in tex
    assert tex.startswith("\\documentclass[11pt,a4paper]{article}")
    assert latex(classic(), "letter").startswith("\\documentclass[11pt,letterpaper]{article}")


@pytest.mark.parametrize("preset", list(engine.PRESETS))
def test_the_latex_compiles_with_pdflatex(preset, tmp_path):
    net = engine.create_network({"preset": preset, "optimizer": "adam"})
    net.train(2)
    tex = latex(handout(net, 6))
    assert tex.isascii() and "[U+" not in tex
    reader = PdfReader(pdflatex(tex, tmp_path))
    assert len(reader.pages) >= 5  # the opening part and one page per phase at least
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_the_classic_latex_compiles_on_letter_paper_with_its_numbers(tmp_path):
    reader = PdfReader(pdflatex(latex(classic(9), "letter"), tmp_path))
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [612, 792]
    text = "".join(p.extract_text() for p in reader.pages)
    for value in ("0.298371109", "0.593269992", "0.138498562", "0.358916480"):
        assert value in text, value
