"""The start page's builder form as the tests fill it in, and how they read its answer."""

from __future__ import annotations

import sqlite3

from tests.support.htmldom import parse

BUILDER = {
    "layers": "2, 3, 1",
    "act1": "tanh",
    "act2": "sigmoid",
    "loss": "bce",
    "learning_rate": "0.5",
    "init": "xavier",
    "init_scale": "0.1",
    "seed": "3",
    "data": "dataset",
    "dataset": "xor",
    "samples": "200",
    "noise": "0.05",
    "csv": "",
}


def field_error(response, name: str):
    assert response.status_code == 422
    doc = parse(response.text)
    error = doc.by_id(f"err-{name}")
    assert error is not None, f"no error shown for {name}"
    return doc, error.text()


def network_count(client) -> int:
    assert client.get("/healthz").status_code == 200  # the store has its tables
    with sqlite3.connect(client.app.state.settings.db) as conn:
        return conn.execute("SELECT COUNT(*) FROM networks").fetchone()[0]
