"""Errors the service raises on purpose; one handler in main.py turns each into a response
(JSON for the API, an HTML fragment for htmx)."""

from __future__ import annotations


class LabError(Exception):
    status = 400

    def __init__(self, message: str, field: str | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra

    def payload(self) -> dict:
        out = {"detail": self.message}
        if self.field is not None:
            out["field"] = self.field
        out.update(self.extra)
        return out


class NotFound(LabError):
    status = 404


class OutOfOrder(LabError):
    status = 409


class Invalid(LabError):
    status = 422


class TooLarge(LabError):
    status = 413
