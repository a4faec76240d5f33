"""The lab page's Conventions card: bias, loss, reduction, batch size, order and penalty,
changed through the service in one edit (undoable); a refusal is shown in the card."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.deps import Form, Service
from app.errors import Refused
from app.views.viewstate import ViewState
from app.web.forms.conventions import changes
from app.web.responses import model_of, refused, view_of
from app.web.training import TRAIN, done

router = APIRouter()


@router.post("/n/{nid}/conventions")
def conventions(nid: str, request: Request, service: Service, form: Form):
    """A plain function: FastAPI runs it in a worker thread (it reads the database and
    edits the network), its form read on the event loop (app/deps.py: form_of)."""
    snap = service.get(nid)
    values = {k: str(v) for k, v in form.items()}
    try:
        edit = changes(values, model_of(snap))
        if edit:
            snap = service.edit(snap, edit)
    except Refused as e:
        e.snapshot = e.snapshot or snap
        shown = {"card": "conventions", "field": e.field, "message": e.message, "form": values}
        return refused(request, service, nid, e, form, view_changes=TRAIN, data_error=shown)
    view: ViewState = view_of(snap, form, **TRAIN)
    return done(request, snap, view)
