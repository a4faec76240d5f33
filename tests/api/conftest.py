"""Small factories for the API tests."""

from __future__ import annotations

import pytest

from tests.support.api_helpers import JSON, checked


@pytest.fixture
def create(client):
    """create(**body) -> NetworkState of a new network (201 checked)."""

    def make(**body) -> dict:
        return checked(client.post("/api/networks", json=body), 201)

    return make


@pytest.fixture
def act(client):
    """act(nid, action, body=None, status=200) -> JSON of POST /api/networks/{nid}/{action}."""

    def post(nid: str, action: str, body=None, status: int = 200):
        kwargs = {"headers": JSON} if body is None else {"json": body}
        return checked(client.post(f"/api/networks/{nid}/{action}", **kwargs), status)

    return post
