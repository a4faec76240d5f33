"""The watch page /w/{watch_id}: the lab page as the network's owner sees it (the same
partials), read-only: no control that changes the network, no form that posts to a
changing route (templates test `net.watching`). Watchers choose their own focus, sample,
decimals, mode and text size (the query and cookies, as on the lab page); the page follows
the network's changes live (static/js/follow.js over GET /api/watch/{watch_id}/events)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.deps import Watched
from app.web.lab import sample_message
from app.web.responses import lab_response, view_of

router = APIRouter(include_in_schema=False)


@router.get("/w/{watch_id}")
def watch_page(snap: Watched, request: Request):
    params = request.query_params
    view = view_of(snap, params, edit=None)
    message = sample_message(params.get("sample"), view, len(snap.net.inputs))
    return lab_response(request, snap, view, message=message)
