"""Helpers for the API tests."""

from __future__ import annotations

from app.api.schemas import (
    EditedState,
    ForgotState,
    KeptState,
    NetworkState,
    TrainedState,
    WatchState,
)

JSON = {"content-type": "application/json"}  # what a POST without a body sends to the API


def checked(response, status: int = 200) -> dict:
    """The JSON body of `response`, after checking its status and, for a network, its shape
    against the NetworkState schema (TrainedState for a train answer, EditedState for an
    edit's, KeptState / ForgotState for a kept run's, WatchState for one without its id: a
    watcher's): every field it documents, and no other."""
    assert response.status_code == status, response.text
    body = response.json()
    if isinstance(body, dict) and "cursor" in body:
        schemas = {
            "trained": TrainedState,
            "edit": EditedState,
            "kept": KeptState,
            "forgot": ForgotState,
        }
        schema = next((s for key, s in schemas.items() if key in body), NetworkState)
        schema = schema if "id" in body else WatchState
        schema.model_validate(body)
    return body
