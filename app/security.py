"""What keeps other sites out: a request that changes something must come from our own
pages (or from a client that is not a browser), and every answer carries headers that
forbid framing, sniffing, referrers, caching of pages that hold a network's id, and
scripts, styles, fonts or images from anywhere but this server.

A state-changing request (POST, PUT, PATCH, DELETE) is refused with 403 when the browser
says another site sent it: Sec-Fetch-Site other than same-origin, or an Origin (or,
without one, a Referer) that is not this server. htmx's requests carry HX-Request, a
header no other site's page can add without our consent (CORS, which we never give), so
they pass. The API's routes that take no body (step, update, undo, …) also want JSON
(Content-Type: application/json), X-Requested-With or HX-Request, or our own page
(Sec-Fetch-Site: same-origin): a form or a no-cors fetch from elsewhere can do none of
these (415 otherwise)."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request

from app.api.validation import is_json
from app.errors import LabError

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CUSTOM_HEADERS = ("hx-request", "x-requested-with")
CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # style attributes (widths, colours, delays)
        "style-src-elem 'self'",  # but no <style> element or stylesheet from elsewhere
        "img-src 'self' data:",  # the hidden neurons' pictures are data: PNGs
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"no-referrer",
}
PRIVATE = b"private, no-store"  # pages and answers name a network's id: keep them out of caches


class Forbidden(LabError):
    status = 403


class NotJson(LabError):
    status = 415


def cross_site(request: Request) -> str | None:
    """Why a request looks as if another site's page sent it, or None."""
    headers = request.headers
    site = headers.get("sec-fetch-site")
    if site is not None:
        return None if site in ("same-origin", "none") else f"Sec-Fetch-Site: {site}"
    host = headers.get("host", "")
    origin = headers.get("origin")
    if origin is not None:
        return None if urlsplit(origin).netloc == host else f"Origin: {origin}"
    referer = headers.get("referer")
    if referer and urlsplit(referer).netloc != host:
        return f"Referer: {referer}"
    return None


async def same_origin(request: Request) -> None:
    """The app-wide check of state-changing requests (see the module's docstring)."""
    if request.method not in UNSAFE:
        return
    headers = request.headers
    if any(name in headers for name in CUSTOM_HEADERS):
        return
    why = cross_site(request)
    if why is not None:
        raise Forbidden(
            f"refused: this request changes a network but was sent by another site's page "
            f"({why}); use the lab's own pages, or the API from a script",
            field="origin",
        )


async def json_or_own_page(request: Request) -> None:
    """For the API's routes that need no body (step, update, undo, …): the request is JSON,
    carries X-Requested-With or HX-Request, or comes from our own page (415 otherwise);
    a route with a body refuses anything but JSON already (422)."""
    headers = request.headers
    if any(name in headers for name in CUSTOM_HEADERS):
        return
    own_page = headers.get("sec-fetch-site") == "same-origin"
    if not own_page and not is_json(headers.get("content-type", "")):
        raise NotJson(
            "send this request with Content-Type: application/json (a body is optional) or "
            "an X-Requested-With header: the API refuses other requests that change a "
            "network, so that other sites' pages cannot send them",
            field="content-type",
        )


class SecurityHeaders:
    """ASGI middleware: the headers above on every answer (a route's own CSP and
    Cache-Control stand; static files keep their caching)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        static = scope["path"].startswith("/static/")

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = dict(HEADERS)
                extra[b"content-security-policy"] = CSP.encode()
                if not static:
                    extra[b"cache-control"] = PRIVATE
                headers += [(k, v) for k, v in extra.items() if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
