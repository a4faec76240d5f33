"""The printable handout as PDF: the standalone page (app/documents/printable.py) printed
by Chromium through Playwright's page.pdf(), on A4 or Letter. Chromium lays out MathML
(fractions, scripts, sums); WeasyPrint, the usual Python HTML-to-PDF library, does not (it
prints ½ as "12"), so it is not used.

Chromium and the playwright package are optional: without them `render` raises
Unavailable (503) naming what is missing and how to install it. At most MAX_RENDERS PDFs
are made at once; a request that waits longer than WAIT_SECONDS for its turn is refused
the same way. The page loads nothing: every request it makes is aborted (it needs none)."""

from __future__ import annotations

import os
import shutil
import threading

from app.errors import Unavailable

PAPERS = {"a4": "A4", "letter": "Letter"}
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
MAX_RENDERS, WAIT_SECONDS, RENDER_SECONDS = 2, 20.0, 30.0
INSTALL = (
    "install Chromium (Debian: apt-get install chromium) or set BACKPROP_LAB_CHROMIUM to "
    "its path, and the Python package playwright (pip install 'backprop-lab[pdf]'); the "
    "HTML handout (worked-example.html) prints to PDF from any browser meanwhile"
)
turns = threading.BoundedSemaphore(MAX_RENDERS)


def chromium(configured: str = "") -> str | None:
    """The Chromium to use: `configured` (a path) if set, else the first of NAMES on PATH."""
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return next((path for path in map(shutil.which, NAMES) if path), None)


def missing(configured: str = "") -> str | None:
    """What the PDF needs and this machine lacks, in words, or None."""
    lacks = []
    if chromium(configured) is None:
        lacks.append(f"Chromium ({configured or ', '.join(NAMES)} not found)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        lacks.append("the Python package playwright")
    return " and ".join(lacks) or None


def unavailable(lacking: str) -> Unavailable:
    return Unavailable(f"the PDF handout needs {lacking}: {INSTALL}", field="pdf")


def render(html: str, paper: str = "a4", configured: str = "") -> bytes:
    """The PDF of a standalone page (`html`) on `paper` ("a4" or "letter")."""
    lacking = missing(configured)
    if lacking:
        raise unavailable(lacking)
    if not turns.acquire(timeout=WAIT_SECONDS):
        raise Unavailable(
            f"{MAX_RENDERS} PDFs are being made; try again in a few seconds", field="pdf"
        )
    try:
        return print_pdf(html, PAPERS[paper], chromium(configured) or "")
    finally:
        turns.release()


def print_pdf(html: str, paper: str, executable: str) -> bytes:
    from playwright.sync_api import Error, sync_playwright

    timeout = RENDER_SECONDS * 1000
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=executable, args=ARGS, headless=True, timeout=timeout
            )
            try:
                page = browser.new_page()
                page.route("**/*", lambda route: route.abort())
                page.set_content(html, wait_until="load", timeout=timeout)
                page.evaluate("document.fonts.ready.then(() => true)")
                return page.pdf(format=paper, print_background=True, prefer_css_page_size=False)
            finally:
                browser.close()
    except Error as e:
        raise Unavailable(f"Chromium could not print the PDF: {e.message}", field="pdf") from e
