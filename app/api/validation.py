"""A request that fails its schema, in words: the first error as 'field: what is wrong;
what the field accepts', with the field named in the engine's style (``layers[2]``,
``dataset.samples``)."""

from __future__ import annotations

import json

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.api.fields import HINTS
from app.api.schemas import NetworkCreate
from app.errors import Invalid

CHOICE_ERRORS = ("literal_error", "enum")  # pydantic lists the choices; HINTS does too


def is_json(content_type: str) -> bool:
    """Whether FastAPI reads a body of this content type as JSON (application/json,
    application/*+json)."""
    kind = content_type.split(";")[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


def body_problem(err: dict, loc: list, content_type: str) -> str | None:
    """What is wrong with the body as a whole (not JSON, not an object), if that is it."""
    if err.get("type") == "json_invalid":
        return (
            f"body: is not valid JSON (error near character {loc[0] if loc else 0}); "
            "send a JSON object"
        )
    if err.get("type") == "model_attributes_type" and not loc:
        if not is_json(content_type):
            got = content_type.split(";")[0].strip() or "none"
            return (
                f"body: was not read as JSON (content type: {got}); send the body as "
                "JSON with Content-Type: application/json"
            )
        return "body: must be a JSON object ({...}), not a list, string or number"
    return None


def field_name(loc: list) -> str:
    """('layers', 2) → 'layers[2]'; union tags such as 'with options' are left out."""
    field = ""
    for part in loc:
        if isinstance(part, int):
            field += f"[{part}]"
        elif part.isidentifier():
            field += f".{part}" if field else part
    return field or "body"


def validation_message(
    exc: RequestValidationError, content_type: str = "application/json"
) -> tuple[str, str]:
    """(the message, the field's name). `content_type` is the request's: a body that is
    not JSON is not read as JSON, and the message says so."""
    err = exc.errors()[0]
    loc = [p for p in err.get("loc", ()) if p not in ("body", "query", "path")]
    problem = body_problem(err, loc, content_type)
    if problem is not None:
        return problem, "body"
    field = field_name(loc)
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


def checked_create(data: dict) -> dict:
    """A create body checked by the API's own schema (NetworkCreate), for a body that did
    not come through the API (an imported file): the engine's config, or Invalid naming
    the field as the API's 422 would."""
    try:
        return NetworkCreate.model_validate(data).config()
    except ValidationError as e:
        message, field = validation_message(RequestValidationError(e.errors()))
        raise Invalid(message, field=field) from None
