"""The worked-example handouts over HTTP: .md, .html, .pdf and .tex with ?digits= (and
?paper= for the PDF and the LaTeX); bounds refused with 422, an unknown id 404, the PDF
503 naming what is missing when there is no Chromium or no playwright; the network never
changes. The PDF itself is checked in tests/e2e/test_handout_pdf.py."""

from __future__ import annotations

import sys

import pytest

from app.main import create_app
from app.settings import Settings
from tests.support.app_client import AppClient

KINDS = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "tex": "application/x-tex; charset=utf-8",
}


@pytest.fixture
def nid(create) -> str:
    return create(preset="worked-example")["id"]


@pytest.mark.parametrize("ext", list(KINDS))
def test_each_format_answers_with_its_type_and_the_chosen_decimals(client, nid, ext):
    before = client.get(f"/api/networks/{nid}").json()
    r = client.get(f"/api/networks/{nid}/worked-example.{ext}", params={"digits": 6})
    assert r.status_code == 200 and r.headers["content-type"] == KINDS[ext]
    disposition = "attachment" if ext == "tex" else "inline"
    assert (
        r.headers["content-disposition"] == f'{disposition}; filename="worked-example-{nid}.{ext}"'
    )
    assert "0.298371" in r.text and "0.2983711" not in r.text  # the loss to 6 decimals
    assert "Weighted input of neuron 1 in layer 2, " in r.text
    assert client.get(f"/api/networks/{nid}").json() == before  # the network did not change


@pytest.mark.parametrize("ext", ["md", "html", "pdf", "tex"])
@pytest.mark.parametrize("query", [{"digits": 0}, {"digits": 13}, {"digits": "six"}])
def test_decimals_out_of_bounds_are_refused(client, nid, ext, query):
    r = client.get(f"/api/networks/{nid}/worked-example.{ext}", params=query)
    assert r.status_code == 422 and r.json()["field"] == "digits"


@pytest.mark.parametrize("ext", ["pdf", "tex"])
def test_an_unknown_paper_is_refused(client, nid, ext):
    r = client.get(f"/api/networks/{nid}/worked-example.{ext}", params={"paper": "legal"})
    assert r.status_code == 422 and r.json()["field"] == "paper"
    assert "a4" in r.json()["detail"] and "letter" in r.json()["detail"]


@pytest.mark.parametrize("ext", ["md", "html", "pdf", "tex"])
def test_an_unknown_network_is_not_found(client, ext):
    r = client.get(f"/api/networks/nope/worked-example.{ext}")
    assert r.status_code == 404


def test_the_pdf_without_chromium_is_a_503_naming_it(tmp_path):
    settings = Settings(db=str(tmp_path / "lab.db"), chromium="/nonexistent/chromium")
    c = AppClient(create_app(settings))
    try:
        nid = c.post("/api/networks", json={"preset": "worked-example"}).json()["id"]
        r = c.get(f"/api/networks/{nid}/worked-example.pdf")
        assert r.status_code == 503 and r.headers["content-type"] == "application/json"
        body = r.json()
        assert body["field"] == "pdf"
        assert "Chromium (/nonexistent/chromium not found)" in body["detail"]
        assert "BACKPROP_LAB_CHROMIUM" in body["detail"] and "worked-example.html" in body["detail"]
        assert c.get(f"/api/networks/{nid}/worked-example.html").status_code == 200
    finally:
        c.close()


def test_the_pdf_without_playwright_is_a_503_naming_it(client, nid, monkeypatch):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    r = client.get(f"/api/networks/{nid}/worked-example.pdf")
    assert r.status_code == 503
    assert "the Python package playwright" in r.json()["detail"]
    assert "pip install 'backprop-lab[pdf]'" in r.json()["detail"]
