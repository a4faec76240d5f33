"""Errors the service raises on purpose; one handler (app/handlers.py) turns each into a
response: JSON for the API, the error page for a browser. A Refused error (409, 422) leaves
the network as it was; when the service had loaded it, `snapshot` holds it, so a page can
show the refusal beside the unchanged network without loading it again."""

from __future__ import annotations

import math
from typing import Any


class LabError(Exception):
    status = 400

    def __init__(self, message: str, field: str | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra
        self.snapshot: Any = None  # app.service.snapshot.Snapshot, once the service set it

    def headers(self) -> dict[str, str]:
        """Headers the error's response carries besides the body."""
        return {}

    def payload(self) -> dict:
        out = {"detail": self.message}
        if self.field is not None:
            out["field"] = self.field
        out.update(self.extra)
        return out


class NotFound(LabError):
    status = 404


class Refused(LabError):
    """The request was understood and refused; nothing changed."""


class OutOfOrder(Refused):
    status = 409


class Invalid(Refused):
    status = 422


class TooMany(LabError):
    """Over a rate limit; `retry_after` seconds until the request can succeed."""

    status = 429

    def __init__(self, message: str, retry_after: float, **extra):
        super().__init__(message, **extra)
        self.retry_after = max(1, math.ceil(retry_after))

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class Unavailable(LabError):
    """The request needs something this server lacks or cannot do now: the store (disk
    full, read-only, locked, damaged) or the PDF handout without Chromium; the message says
    what and what to do."""

    status = 503
