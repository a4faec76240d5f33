"""How every error becomes a response: JSON ({"detail", "field", …}) for the API and for
clients that ask for JSON, the error page for a browser. The service's LabErrors, requests
that fail their schema, unknown addresses and methods, and bodies over the size limit."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from app.api.validation import validation_message
from app.errors import LabError
from app.middleware import BodyTooLarge, too_large


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or (
        "HX-Request" not in request.headers
        and ("application/json" in request.headers.get("accept", ""))
    )


def for_people(request: Request, status: int, payload: dict) -> tuple[str, str]:
    """(heading, text) of the error page: a missing page or network in plain words (the
    JSON's detail speaks to programs), any other error with the service's own message."""
    if status != 404:
        return f"Error {status}", str(payload.get("detail", ""))
    if request.url.path.startswith(("/n/", "/w/")):
        return "No network here", (
            "There is no network at this address. The link may be incomplete (check that it "
            "was copied whole), or the network has been deleted. You can start a new one "
            "from a lesson or build your own on the start page."
        )
    return "Page not found", (
        "There is no page at this address. The start page has the lessons, the network "
        "builder and the import of an exported network."
    )


def error_response(request: Request, status: int, payload: dict, headers: dict | None = None):
    if wants_json(request):
        return JSONResponse(payload, status_code=status, headers=headers)
    heading, text = for_people(request, status, payload)
    context = {"status": status, "error": payload, "heading": heading, "text": text}
    return request.app.state.templates.TemplateResponse(
        request, "error.html", context, status_code=status, headers=headers
    )


async def lab_error(request: Request, exc: LabError):
    return error_response(request, exc.status, exc.payload(), exc.headers())


async def invalid_request(request: Request, exc: RequestValidationError):
    message, field = validation_message(exc, request.headers.get("content-type", ""))
    errors = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
        for e in exc.errors()[:20]
    ]
    return error_response(request, 422, {"detail": message, "field": field, "errors": errors})


async def http_error(request: Request, exc: StarletteHTTPException):
    """Unknown addresses and methods: the same error body or page as every other error."""
    detail = exc.detail if isinstance(exc.detail, str) else "error"
    if exc.status_code == 404:
        detail = f"nothing at {request.url.path}; the start page is at /"
    return error_response(request, exc.status_code, {"detail": detail})


async def client_gone(request: Request, exc: ClientDisconnect):
    """The client left (or was cut off) before its request arrived: no one to answer."""
    return Response(status_code=400)


async def body_too_large(request: Request, exc: BodyTooLarge):
    return error_response(request, 413, too_large(request.app.state.settings.max_body_bytes))


def install(app: FastAPI) -> None:
    app.add_exception_handler(LabError, lab_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(BodyTooLarge, body_too_large)  # type: ignore[arg-type]
    app.add_exception_handler(ClientDisconnect, client_gone)  # type: ignore[arg-type]
