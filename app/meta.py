"""The app's own routes: the interactive API documentation (the vendored Swagger UI, so
/docs works offline) and the health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html

from app.deps import Service

SWAGGER = "/static/vendor/swagger-ui"  # vendored swagger-ui-dist
router = APIRouter(include_in_schema=False)


@router.get("/docs")
def docs(request: Request):
    app = request.app
    return get_swagger_ui_html(
        openapi_url=app.openapi_url,
        title=f"{app.title} - API",
        swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
        swagger_css_url=f"{SWAGGER}/swagger-ui.css",
        swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
        oauth2_redirect_url=None,
        swagger_ui_parameters={"validatorUrl": None},
    )


@router.get("/healthz")
def healthz(service: Service):
    service.ping()
    return {"status": "ok"}
