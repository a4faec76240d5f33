"""Builds the app: `create_app(settings)` wires the service (over the store) to both
routers, the templates, the static files, the error handlers and the middleware; `app` is
the one uvicorn serves."""

from __future__ import annotations

import inspect
from typing import Any

import jinja2
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES

from app import __version__, handlers, meta
from app.api import exercises as exercise_api
from app.api import handouts, practice, routes, watch
from app.api.validation import checked_create
from app.compression import Compression
from app.lifecycle import lifespan
from app.middleware import BodySizeLimit
from app.resources import STATIC, TEMPLATES
from app.security import SecurityHeaders, same_origin
from app.service.lab import LabService
from app.service.notify import notifier_for
from app.service.stores import open_store
from app.settings import Settings
from app.views import cells, glossary, svg
from app.views.environment import environment
from app.web import (
    classroom,
    conventions,
    events,
    exercises,
    lab,
    network,
    runs,
    start,
    training,
    watch_page,
)
from app.web import practice as practice_page
from app.web.follow import Hub
from app.web.shared_events import shared_events

# FastAPI's own OpenTelemetry hooks (its versions that have them) look up the global
# providers and wrap every request and dependency in checks for spans nobody collects: a
# tenth of a request's cost on /healthz. The server has its own log; they stay off.
TELEMETRY_OFF = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}
NO_TELEMETRY: dict[str, Any] = (
    {"telemetry": TELEMETRY_OFF} if "telemetry" in inspect.signature(FastAPI).parameters else {}
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="backprop-lab",
        version=__version__,
        description="Step through backpropagation one layer at a time.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(same_origin)],
        **NO_TELEMETRY,
    )
    app.state.settings = settings
    store = open_store(settings)
    app.state.service = LabService(store, settings)
    app.state.templates = Jinja2Templates(
        env=environment(TEMPLATES, autoescape=jinja2.select_autoescape())
    )
    # the templates are the installed ones: compiled once, never checked for edits again
    # (a check is a stat of each file on every include of every request)
    app.state.templates.env.auto_reload = False
    notifier = notifier_for(settings)
    app.state.follow = Hub(
        app.state.service,
        notifier,
        app.state.templates.env,
        settings.heartbeat_seconds,
        shared_events(settings.events_dir),
    )
    # the symbols' sentences, and the pages' buttons that explain them (static/js/lab.js)
    app.state.templates.env.globals.update(glossary=glossary.TERMS, explain_terms=True)
    app.state.templates.env.globals.update(cells.GLOBALS, **svg.GLOBALS)
    app.state.checked_create = checked_create  # the API's schema, for /import's files
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    # Routes are matched in order, several microseconds each (FastAPI's included
    # routers), so the busiest go first: the JSON API's network routes, then the lab
    # page's clicks and Play's refreshes. No path of one group can match a route of
    # another (each starts with its own literal segment), so the order changes no answer;
    # tests/api/test_route_order.py checks that no route hides another.
    for router in (
        routes.router,
        training.router,  # before the lab page's catch-all /n/{nid}/{action}
        conventions.router,  # likewise
        network.router,  # likewise
        runs.router,  # likewise
        classroom.router,  # likewise
        practice_page.router,  # likewise
        lab.router,
        meta.router,
        watch_page.router,
        watch.router,
        events.router,
        handouts.router,
        exercise_api.router,
        practice.router,
        start.router,
        exercises.router,
    ):
        app.include_router(router)
    handlers.install(app)
    # Pages, fragments and static files shrink about tenfold; JSON full of floats barely
    # halves and costs more time to compress than it saves on loopback, so it goes as is.
    # Level 1 (ISA-L's where installed: app/compression.py): every click and Play refresh
    # is compressed; a lab region comes out about a fifth larger than at level 5.
    app.add_middleware(
        Compression,
        minimum_size=1400,
        compresslevel=1,
        exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/json"),
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)  # outermost: on every answer, errors included
    return app


app = create_app()
