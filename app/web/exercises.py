"""The pages of a class's exercise sheets: the start page's "Exercises for a class" form
(303 to the class's page, or the start page again with the errors in place), the class's
page (its students' codes and the links to its sheets and answer key) and "Open a sheet's
network" (303 to the new network's lab page). Through the same service as the JSON API."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import URL

from app.deps import Client, Form, Service
from app.documents import classwork
from app.documents.worked_example import DEFAULT_DIGITS
from app.errors import Invalid, LabError
from app.service import classes, exercises
from app.web.forms import classform
from app.web.responses import render
from app.web.start import index_context

router = APIRouter(include_in_schema=False)


def class_query(class_code: str, count) -> str:
    return str(URL("").include_query_params(class_code=class_code, count=count))


def class_info(service, spec, class_code, count) -> dict:
    """The class's JSON (app/service/exercises.py), its parts as its documents measure
    them."""
    roster = classes.roster(spec, class_code, count)
    net = exercises.first_network(roster)
    size = classwork.per_part(net, DEFAULT_DIGITS, service.settings.work_seconds)
    return exercises.class_info(roster, size)


@router.post("/classes")
def make_class(request: Request, service: Service, form: Form):
    values = classform.values_of(form)
    try:
        spec = exercises.spec_of(classform.data_of(values))
        info = class_info(service, spec, values["class_code"], values["count"])
    except LabError as e:
        field = (e.field or "layers").split("[")[0]
        field = field if field in classform.FIELDS else "layers"
        cls = classform.context(values, {field: e.message})
        return render(request, "index.html", index_context(service, cls=cls), 422)
    query = class_query(info["class_code"], info["count"])
    return RedirectResponse(f"/classes/{info['token']}{query}", status_code=303)


@router.get("/classes/{token}")
def class_page(request: Request, token: str, service: Service):
    q = request.query_params
    spec = exercises.read_class(token[:200])
    info = class_info(service, spec, q.get("class_code"), q.get("count"))
    query = class_query(info["class_code"], info["count"])
    return render(request, "classes.html", {"info": info, "query": query})


@router.post("/sheets")
def open_sheet(request: Request, service: Service, client: Client, form: Form):
    code = str(form.get("code", ""))[:200]
    try:
        snap = exercises.open_sheet(service, code, client)
    except Invalid as e:
        context = index_context(service, sheet_code=code, sheet_error=e.message)
        return render(request, "index.html", context, 422)
    return RedirectResponse(f"/n/{snap.id}", status_code=303)
