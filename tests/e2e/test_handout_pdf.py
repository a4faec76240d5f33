"""The PDF handout, printed by Chromium (skipped without /usr/bin/chromium unless
BACKPROP_LAB_REQUIRE_BROWSER=1): A4 or Letter pages, the opening part then each phase
of the iteration starting its own page, the text (pypdf, after NFKC: MathML letters come
out in mathematical italic code points) with the classic example's numbers; and pictures
of two pages (pdftoppm when installed, else Chromium's print rendering of the page) in
the artifacts folder, to look at."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from app.documents.printable import page
from app.documents.worked_example import handout
from tests.support.tools import CHROMIUM, require

PHASES = ["1. Forward pass", "2. Loss", "3. Backward pass", "4. Update"]
SIZES = {"a4": (595.92, 842.88), "letter": (612.0, 792.0)}  # points (Chromium's A4 rounds up)
# worked out by hand in tests/api/test_worked_example.py (to 9 decimals)
KEY = ["0.593269992", "0.298371109", "0.138498562", "0.358916480", "0.345614323"]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def chromium() -> str:
    return require(CHROMIUM, "BACKPROP_LAB_REQUIRE_BROWSER")


def get_pdf(client, nid: str, **query) -> PdfReader:
    r = client.get(f"/api/networks/{nid}/worked-example.pdf", params=query)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == f'attachment; filename="worked-example-{nid}.pdf"'
    assert r.content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(r.content))


@pytest.fixture
def classic(client) -> str:
    return client.post("/api/networks", json={"preset": "worked-example"}).json()["id"]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_pdf_has_a_page_per_phase_and_the_key_numbers(chromium, client, classic, paper):
    reader = get_pdf(client, classic, digits=9, paper=paper)
    pages = [flat(p.extract_text()) for p in reader.pages]
    for p in reader.pages:
        assert [round(float(x), 2) for x in p.mediabox[2:]] == list(SIZES[paper])
    assert pages[0].startswith(flat("Backpropagation worked by hand: iteration 1"))
    starts = [
        next(i for i, text in enumerate(pages) if text.startswith(flat(phase))) for phase in PHASES
    ]
    assert starts == sorted(starts) and starts[0] >= 1  # each phase opens a page, in order
    for phase in PHASES:
        assert sum(flat(phase) in text for text in pages) == 1, phase
    assert "Thelossfellfrom" in pages[-1]  # the result closes the update's pages
    everything = "".join(pages)
    for value in KEY:
        assert value in everything, value
    assert flat("Weighted input of neuron 1 in layer 2, z²₁") in everything
    # δ²₁ = ∂ℓ/∂ŷ₁ σ′(z²₁) laid out by MathML: a script's subscript comes before its
    # superscript, the fraction has no slash, the hat precedes its y (and NFKC makes ℓ an l)
    assert "δ12=∂l∂ˆy1σ′(z12)=0.741365070·0.186815602=0.138498562" in everything
    assert reader.metadata.title == "Backpropagation worked by hand: iteration 1 · backprop-lab"


def test_the_pdf_follows_the_decimals(chromium, client, classic):
    text = "".join(flat(p.extract_text()) for p in get_pdf(client, classic, digits=4).pages)
    assert "0.2984" in text and "0.298371109" not in text


def test_pictures_of_two_pages(chromium, client, classic, artifacts, request):
    """The opening page and the forward pass's first, as PNGs in the artifacts folder."""
    r = client.get(f"/api/networks/{classic}/worked-example.pdf", params={"digits": 4})
    pdf = artifacts / "handout.pdf"
    pdf.write_bytes(r.content)
    forward = next(
        i
        for i, p in enumerate(PdfReader(pdf).pages, 1)
        if flat(p.extract_text()).startswith("1.Forward")
    )
    shots = []
    if shutil.which("pdftoppm"):
        for number in (1, forward):
            out = artifacts / f"handout-page-{number}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "80",
                    "-singlefile",
                    "-f",
                    str(number),
                    "-l",
                    str(number),
                    str(pdf),
                    str(out),
                ],
                check=True,
                timeout=60,
            )
            shots.append(out.with_suffix(".png"))
    else:  # Chromium's own print rendering of the same page, screen-shot
        browser = request.getfixturevalue("browser")
        net = client.app.state.service.get(classic).net
        pg = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
        pg.emulate_media(media="print")
        pg.set_content(page(handout(net, 4), standalone=True))
        for number, selector in ((1, "body"), (forward, "section.phase")):
            out = artifacts / f"handout-page-{number}.png"
            pg.locator(selector).first.screenshot(path=str(out))
            shots.append(out)
        pg.close()
    for shot in shots:
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, shot
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert 1.2 < height / width < 1.6, (width, height)  # a portrait page


def test_the_export_menu_opens_and_downloads_each_handout(page, server_url, artifacts):
    """The training view's Export card, as a teacher uses it: 9 decimals, then the
    printable page in a new tab, the PDF and the LaTeX as downloads."""
    from playwright.sync_api import expect

    from tests.support.browser_helpers import open_preset

    nid = open_preset(page, server_url, "worked-example")
    page.click("#tab-train")
    page.select_option("#handout-digits", "9")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Printable page").click()
    handout_tab = opened.value
    handout_tab.wait_for_load_state()
    assert handout_tab.url.endswith(f"/api/networks/{nid}/worked-example.html?digits=9")
    expect(handout_tab.locator("h1")).to_have_text("Backpropagation worked by hand: iteration 1")
    assert "0.298371109" in handout_tab.locator("main").inner_text()
    handout_tab.screenshot(path=str(artifacts / "handout-page-screen.png"))
    handout_tab.close()
    for name, ext, start in (("PDF", "pdf", b"%PDF-"), ("LaTeX", "tex", b"\\documentclass")):
        with page.expect_download() as download:
            page.get_by_role("button", name=name).click()
        saved = artifacts / f"handout-download.{ext}"
        download.value.save_as(saved)
        assert download.value.suggested_filename == f"worked-example-{nid}.{ext}"
        assert saved.read_bytes().startswith(start), ext
    assert page.url.startswith(f"{server_url}/n/{nid}")  # the lab stayed where it was
