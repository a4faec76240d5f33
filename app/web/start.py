"""The start page: the presets, the builder form for a network of one's own, and the
import of an exported network JSON file. Each creates a network through the service and
answers 303 to its lab page; a refusal shows the start page again with the message."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from app.deps import Client, Form, Service
from app.errors import LabError
from app.views.geometry import mini
from app.web.forms import builder, classform
from app.web.responses import is_htmx, render

router = APIRouter(include_in_schema=False)


def index_context(service, values: dict | None = None, errors: dict | None = None, **extra) -> dict:
    """The start page's context; `extra`: the class form's (`cls`) or the sheet code's
    (`sheet_code`, `sheet_error`) when they come back with an error."""
    presets = [{**p, "mini": mini(p["layers"])} for p in service.presets()]
    values = values or builder.form_values({})
    return {
        "cls": classform.context(),
        **extra,
        "presets": presets,
        "values": values,
        "errors": errors or {},
        "summary": builder.summary(errors or {}),
        "options": builder.OPTIONS,
        "act_count": builder.act_count(values),
    }


@router.get("/")
def index(request: Request, service: Service):
    return render(request, "index.html", index_context(service))


@router.get("/builder")
def builder_form(request: Request, service: Service):
    """The builder again with as many activation fields as the layers typed (htmx)."""
    values = builder.form_values(request.query_params)
    return render(request, "_builder.html", index_context(service, values))


@router.get("/builder/defaults")
def builder_defaults(request: Request, service: Service):
    """The builder again with the chosen dataset's own network: layers, activations,
    loss, optimiser and η that learn it within seconds of Play (htmx)."""
    values = builder.form_values(request.query_params, dataset_defaults=True)
    return render(request, "_builder.html", index_context(service, values))


@router.post("/")
def create(request: Request, service: Service, client: Client, form: Form):
    values = builder.form_values(form)
    upload = form.get("csv_file")
    if upload is not None and not isinstance(upload, str) and upload.filename:
        text = upload.file.read().decode("utf-8", errors="replace").lstrip("\ufeff")
        values.update(csv=text, data="csv")
    try:
        snap = service.create(builder.to_config(values), client)
    except builder.FormErrors as e:
        return builder_errors(request, service, values, e.errors)
    except LabError as e:
        return builder_errors(request, service, values, {service_field(values, e): e.message})
    return RedirectResponse(f"/n/{snap.id}", status_code=303)


def service_field(values: dict, e: LabError) -> str:
    """The builder field where the service's error about `e.field` is shown."""
    name = builder.field_for(e.field)
    if name == "activations":
        name = f"act{builder.act_count(values)}"
    if values["data"] == "csv" and name == "layers" and "CSV" in e.message:
        name = "csv"  # the samples' columns do not match the layers: said at the CSV
    return name


def builder_errors(request, service, values: dict, errors: dict[str, str]):
    context = index_context(service, values, errors)
    return render(request, "_builder.html" if is_htmx(request) else "index.html", context, 422)


@router.post("/import")
def import_network(request: Request, service: Service, client: Client, form: Form):
    """A network JSON file (as the lab page exports it) → the same network; a bad file →
    the start page with the message, nothing created."""
    upload = form.get("network")
    try:
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise BadFile("Choose a network JSON file (Export › Network (JSON) on a lab page).")
        config = imported_config(upload.file.read())
        snap = service.create(request.app.state.checked_create(config), client)
    except BadFile as e:
        return import_error(request, service, str(e))
    except LabError as e:
        where = f" (field {e.field})" if e.field else ""
        return import_error(
            request, service, f"The file does not describe a valid network{where}: {e.message}"
        )
    return RedirectResponse(f"/n/{snap.id}", status_code=303)


class BadFile(Exception):
    """An uploaded file that is not a network JSON file."""


def imported_config(raw: bytes) -> dict:
    try:
        config = json.loads(raw.decode("utf-8-sig"))
    except ValueError as e:  # not UTF-8, not JSON, or an int of more than 4300 digits
        raise BadFile(
            f"The file is not JSON ({e}); choose a file exported from a lab page."
        ) from None
    except RecursionError:
        raise BadFile(
            "The file nests lists or objects too deeply to be a network; choose a file "
            "exported from a lab page."
        ) from None
    if not isinstance(config, dict):
        raise BadFile(
            "The file holds JSON but not a network (an object with layers, "
            "activations, weights …); choose a file exported from a lab page."
        )
    return config


def import_error(request: Request, service, message: str):
    context = {**index_context(service), "import_error": message}
    return render(request, "index.html", context, 422)


@router.post("/presets/{name}")
def open_preset(name: str, service: Service, client: Client):
    snap = service.create({"preset": name}, client)
    return RedirectResponse(f"/n/{snap.id}", status_code=303)
