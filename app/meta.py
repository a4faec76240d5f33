"""The app's own routes: the interactive API documentation (the vendored Swagger UI, so
/docs works offline), a short page on the JSON API for people (/help/api, the README's
API section in brief, made from the same OpenAPI schema as /docs so that it never drifts)
and the health check."""

from __future__ import annotations

import base64
import hashlib
import re

import anyio
import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse

from app.deps import Service
from app.errors import Unavailable
from app.security import CSP

SWAGGER = "/static/vendor/swagger-ui"  # vendored swagger-ui-dist
router = APIRouter(include_in_schema=False)


@router.get("/docs")
def docs(request: Request):
    """Swagger UI, with its one inline script allowed by its hash (CSP)."""
    app = request.app
    page = get_swagger_ui_html(
        openapi_url=app.openapi_url,
        title=f"{app.title} - API",
        swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
        swagger_css_url=f"{SWAGGER}/swagger-ui.css",
        swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
        oauth2_redirect_url=None,
        swagger_ui_parameters={"validatorUrl": None},
    )
    page.headers["content-security-policy"] = csp_allowing(inline_script(bytes(page.body)))
    return page


def inline_script(html: bytes) -> bytes:
    found = re.search(rb"<script>(.*?)</script>", html, re.DOTALL)
    return found.group(1) if found else b""


def csp_allowing(script: bytes) -> str:
    """The app's CSP, also allowing the one inline script whose text is `script`."""
    digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
    return CSP.replace("script-src 'self'", f"script-src 'self' 'sha256-{digest}'")


@router.get("/help/api")
def api_help(request: Request):
    """Every /api route with the first sentence of its description, linked to its entry in
    /docs (Swagger UI's deep links: #/tag/operationId)."""
    routes = []
    for path, operations in request.app.openapi()["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, op in operations.items():
            text = " ".join((op.get("description") or op.get("summary") or "").split())
            routes.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "tag": (op.get("tags") or ["default"])[0],
                    "operation": op.get("operationId", ""),
                    "summary": text.split(". ")[0].rstrip(".") + "." if text else "",
                }
            )
    return request.app.state.templates.TemplateResponse(
        request, "api_help.html", {"routes": routes}
    )


@router.get("/healthz")
async def healthz(request: Request, service: Service):
    """200 {"status": "ok", "store": "sqlite" | "postgresql"} when the database answers
    with this version's schema and tables; else 503 with the problem (always JSON: it is
    for machines), within the store's timeouts. The check has a thread of its own: it
    never waits behind the requests that fill the pool."""
    state = request.app.state
    if getattr(state, "health_limiter", None) is None:
        state.health_limiter = anyio.CapacityLimiter(1)  # made on the app's event loop
    store = service.store.kind
    try:
        await anyio.to_thread.run_sync(service.ping, limiter=state.health_limiter)
    except Unavailable as e:
        body = {"status": "unavailable", "store": store, **e.payload()}
        return JSONResponse(body, status_code=e.status)
    return {"status": "ok", "store": store}
