"""The worked-example handouts of a network under /api/networks/{id}: Markdown, a printable
HTML page, its PDF (printed by Chromium) and LaTeX. Each is one full iteration from the
current parameters, computed on a copy: the network does not change."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from app.api.routes import NetworkId, errors
from app.deps import Service
from app.documents import pdf
from app.documents.handout import Handout
from app.documents.latex import latex
from app.documents.markdown import markdown
from app.documents.printable import page
from app.documents.worked_example import DEFAULT_DIGITS, MAX_DIGITS, MIN_DIGITS, handout
from app.service.records import engine_errors

router = APIRouter(prefix="/api/networks/{nid}", tags=["api"], responses=errors(404, 422))

Digits = Annotated[
    int,
    Query(
        ge=MIN_DIGITS, le=MAX_DIGITS, description="decimals shown (the classic blog post shows 9)"
    ),
]
Paper = Annotated[Literal["a4", "letter"], Query(description="paper size")]


def build(service, nid: str, digits: int) -> Handout:
    """The handout of the network (one load of it), computed on a copy."""
    snap = service.get(nid)
    with engine_errors():
        return handout(snap.net, digits)


def headers(nid: str, ext: str, disposition: str = "attachment") -> dict:
    return {"Content-Disposition": f'{disposition}; filename="worked-example-{nid}.{ext}"'}


@router.get(
    "/worked-example.md",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/markdown": {}}}},
)
def worked_example(nid: NetworkId, service: Service, digits: Digits = DEFAULT_DIGITS):
    """One full iteration from the current parameters written out by hand: Markdown with
    LaTeX maths, every equation with its numbers under a heading naming its neuron or
    weight (the network does not change)."""
    return Response(
        markdown(build(service, nid, digits)),
        media_type="text/markdown; charset=utf-8",
        headers=headers(nid, "md", "inline"),
    )


@router.get("/worked-example.html", response_class=HTMLResponse)
def worked_example_html(nid: NetworkId, service: Service, digits: Digits = DEFAULT_DIGITS):
    """The same as a printable page: the network's diagram, the lab's MathML, a print
    stylesheet (A4 or Letter, each phase on a new page), no controls."""
    return HTMLResponse(page(build(service, nid, digits)), headers=headers(nid, "html", "inline"))


@router.get(
    "/worked-example.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **errors(503)},
)
def worked_example_pdf(
    nid: NetworkId,
    service: Service,
    request: Request,
    digits: Digits = DEFAULT_DIGITS,
    paper: Paper = "a4",
):
    """The printable page as PDF, printed by Chromium (headless, through Playwright). 503
    naming what is missing when this server has no Chromium or no playwright package."""
    chromium = request.app.state.settings.chromium
    if lacking := pdf.missing(chromium):  # before the work of the handout
        raise pdf.unavailable(lacking)
    html = page(build(service, nid, digits), standalone=True)
    return Response(
        pdf.render(html, paper, chromium), media_type="application/pdf", headers=headers(nid, "pdf")
    )


@router.get(
    "/worked-example.tex",
    response_class=PlainTextResponse,
    responses={200: {"content": {"application/x-tex": {}}}},
)
def worked_example_tex(
    nid: NetworkId, service: Service, digits: Digits = DEFAULT_DIGITS, paper: Paper = "a4"
):
    """The same as a LaTeX document (amsmath; compiles with pdflatex of any TeX
    distribution)."""
    return Response(
        latex(build(service, nid, digits), paper),
        media_type="application/x-tex; charset=utf-8",
        headers=headers(nid, "tex"),
    )
