"""Builds the app: `create_app(settings)`; `app` is the one uvicorn serves."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

from app.api import routes
from app.api.schemas import HINTS
from app.errors import LabError
from app.middleware import BodySizeLimit, BodyTooLarge, too_large
from app.service.lab import LabService
from app.service.store import SQLiteStore
from app.settings import Settings
from app.web import lab, start, training

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
SWAGGER = "/static/vendor/swagger-ui"  # vendored swagger-ui-dist: /docs works offline


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or (
        "HX-Request" not in request.headers
        and ("application/json" in request.headers.get("accept", ""))
    )


def is_json(content_type: str) -> bool:
    """Whether FastAPI reads a body of this content type as JSON (application/json,
    application/*+json)."""
    kind = content_type.split(";")[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


CHOICE_ERRORS = ("literal_error", "enum")  # pydantic lists the choices; HINTS does too


def validation_message(
    exc: RequestValidationError,
    content_type: str = "application/json",
) -> tuple[str, str]:
    """The first error as 'field: what is wrong; what the field accepts', and the field's
    name in the engine's style (``layers[2]``, ``dataset.samples``). `content_type` is the
    request's: a body that is not JSON is not read as JSON, and the message says so."""
    err = exc.errors()[0]
    loc = [p for p in err.get("loc", ()) if p not in ("body", "query", "path")]
    if err.get("type") == "json_invalid":
        return (
            f"body: is not valid JSON (error near character {loc[0] if loc else 0}); "
            "send a JSON object"
        ), "body"
    if err.get("type") == "model_attributes_type" and not loc:
        if not is_json(content_type):
            got = content_type.split(";")[0].strip() or "none"
            return (
                f"body: was not read as JSON (content type: {got}); send the body as "
                "JSON with Content-Type: application/json"
            ), "body"
        return "body: must be a JSON object ({...}), not a list, string or number", "body"
    field = ""
    for part in loc:
        if isinstance(part, int):
            field += f"[{part}]"
        elif part.isidentifier():  # union tags such as "with options" are left out
            field += f".{part}" if field else part
    field = field or "body"
    message = err.get("msg", "invalid value").removeprefix("Value error, ")
    if err.get("type") == "missing" and field == "body":
        message = "a JSON object is required"
    hint = HINTS.get(field.split(".")[0].split("[")[0])
    if err.get("type") in CHOICE_ERRORS and hint:
        message = "is not one of the choices"  # the hint lists them, once
    value = err.get("input")
    if isinstance(value, (int, float, str, bool)) and err.get("type") != "missing":
        message += f" (got {json.dumps(value)[:40]})"
    return f"{field}: {message}" + (f"; {hint}" if hint else ""), field


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="backprop-lab",
        version="0.1.0",
        description="Step through backpropagation one layer at a time.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.service = LabService(SQLiteStore(settings.db, settings.undo_levels), settings)
    app.state.templates = Jinja2Templates(directory=str(TEMPLATES))
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(routes.router)
    app.include_router(start.router)
    app.include_router(training.router)  # before the lab page's catch-all /n/{nid}/{action}
    app.include_router(lab.router)

    def error_response(request: Request, status: int, payload: dict):
        if wants_json(request):
            return JSONResponse(payload, status_code=status)
        return app.state.templates.TemplateResponse(
            request, "error.html", {"status": status, "error": payload}, status_code=status
        )

    @app.exception_handler(LabError)
    async def lab_error(request: Request, exc: LabError):
        return error_response(request, exc.status, exc.payload())

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        message, field = validation_message(exc, request.headers.get("content-type", ""))
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
            for e in exc.errors()[:20]
        ]
        return error_response(request, 422, {"detail": message, "field": field, "errors": errors})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        """Unknown addresses and methods: the same error body or page as every other error."""
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404:
            detail = f"nothing at {request.url.path}; the start page is at /"
        return error_response(request, exc.status_code, {"detail": detail})

    @app.exception_handler(BodyTooLarge)
    async def body_too_large(request: Request, exc: BodyTooLarge):
        return error_response(
            request,
            413,
            too_large(settings.max_body_bytes),
        )

    @app.get("/docs", include_in_schema=False)
    def docs():
        """The interactive API documentation, from the vendored Swagger UI (no CDN)."""
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title=f"{app.title} - API",
            swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
            oauth2_redirect_url=None,
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/healthz", include_in_schema=False)
    def healthz():
        app.state.service.ping()
        return {"status": "ok"}

    # Pages, fragments and static files shrink about tenfold; JSON full of floats barely
    # halves and costs more time to compress than it saves on loopback, so it goes as is.
    app.add_middleware(
        GZipMiddleware,
        minimum_size=1400,
        compresslevel=5,
        exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/json"),
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app


app = create_app()

__all__ = ["HTMLResponse", "app", "create_app"]
