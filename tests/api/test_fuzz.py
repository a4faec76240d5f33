"""Malformed input of every shape, in every content type: never a 5xx."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.api_helpers import checked

RAW_BODIES = [
    b"",
    b"{",
    b"}",
    b"null",
    b"[]",
    b"0",
    b'""',
    b"true",
    b"NaN",
    b"-Infinity",
    b'{"all": NaN}',
    b'{"iterations": 1e999}',
    b'{"iterations": 10000000000000000000000}',
    b'{"iterations": 1' + b"0" * 5000 + b"}",
    b'{"learning_rate": -0.0}',
    b'{"layers": [2, 3, 1], "activations": "sigmoid"}',
    b'{"layers": "2-3-1"}',
    b'{"weights": [[[]]]}',
    b'{"inputs": [[[[1]]]]}',
    b'{"dataset": {"name": ["xor"]}}',
    b'{"dataset": {}}',
    b'{"preset": null, "layers": null}',
    b'{"preset": {"$ne": 1}}',
    b"[" * 50_000 + b"]" * 50_000,
    b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    b"\xff\xfe\x00garbage",
    b'{"learning_rate": 0.5}\x00',
    '{"preset": "\ud800"}'.encode("utf-8", "surrogatepass"),
    (
        b'{"preset": "worked-example", "weights": [[[1e308, 1e308], [1e308, 1e308]], [[1, 1], '
        b"[1, 1]]]}"
    ),
    b'{"preset": "worked-example", "inputs": [[5e-324, -5e-324]], "learning_rate": 1e-300}',
]
CONTENT_TYPES = [
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    None,
]
ROUTES = [
    ("POST", "/api/networks"),
    ("PATCH", "/api/networks/{nid}"),
    ("POST", "/api/networks/{nid}/forward"),
    ("POST", "/api/networks/{nid}/backward"),
    ("POST", "/api/networks/{nid}/train"),
    ("POST", "/api/networks/{nid}/step"),
    ("POST", "/api/networks/{nid}/regenerate"),
    ("POST", "/api/classes"),
]
GET_ROUTES = [
    "/api/networks/{nid}/export",
    "/api/networks/{nid}/trace",
    "/api/networks/{nid}/trace.csv",
    "/api/networks/{nid}/worked-example.md",
    "/api/networks/{nid}/worked-example.html",
    "/api/networks/{nid}/worked-example.tex",
    "/api/networks/{nid}/training-view",
    "/api/networks/{nid}/exercise.md",
    "/api/networks/{nid}/exercise.html",
    "/api/networks/{nid}/exercise-key.md",
    "/api/networks/{nid}/exercise-key.html",
]


@pytest.fixture
def target(client, create):
    return create(preset="worked-example")


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
@pytest.mark.parametrize("method,path", ROUTES)
def test_malformed_bodies_never_get_a_5xx(client, target, method, path, content_type):
    headers = {"content-type": content_type} if content_type else {}
    url = path.format(nid=target["id"])
    for raw in RAW_BODIES:
        response = client.request(method, url, content=raw, headers=headers)
        assert response.status_code < 500, (raw[:80], response.text)
        assert isinstance(response.json(), dict)


def test_explicit_extreme_values_create_a_usable_network(client, act):
    body = json.loads(RAW_BODIES[-1])
    response = client.post("/api/networks", json=body)
    nid = checked(response, 201)["id"]
    assert act(nid, "step")["iteration"] == 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
    ),
    max_leaves=40,
)
FIELDS = [
    "preset",
    "layers",
    "activations",
    "loss",
    "learning_rate",
    "init",
    "init_scale",
    "seed",
    "weights",
    "biases",
    "dataset",
    "inputs",
    "targets",
    "all",
    "iterations",
    "optimizer",
    "test_split",
    "test_inputs",
    "test_targets",
    "csv",
    "csv_inputs",
    "csv_targets",
    "csv_label",
]
bodies = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=5) | json_values


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies, route=st.sampled_from(ROUTES))
def test_random_json_never_gets_a_5xx(client, target, body, route):
    method, path = route
    raw = json.dumps(body).encode()  # NaN and Infinity literals included
    response = client.request(
        method,
        path.format(nid=target["id"]),
        content=raw,
        headers={"content-type": "application/json"},
    )
    assert response.status_code < 500, (raw[:200], response.text)
    if response.status_code >= 400:
        assert response.json()["detail"]


QUERIES = [
    "",
    "?resolution=0",
    "?resolution=99999999999999999999",
    "?resolution=NaN",
    "?resolution=2&resolution=3",
    "?hidden=maybe",
    "?resolution=%00",
    "?x=1",
    "?resolution=" + "9" * 5000,
    "?hidden=true&resolution=128",
]


@pytest.mark.parametrize("path", GET_ROUTES)
def test_read_routes_never_get_a_5xx(client, target, path):
    for nid in (target["id"], "unknown", "%00", "a" * 65, "..%2F..%2Fetc"):
        for query in QUERIES:
            response = client.get(path.format(nid=nid) + query)
            assert response.status_code < 500, (nid, query, response.text)


BAD_HANDOUT_QUERIES = [
    "?digits=0",
    "?digits=99999999999999999999",
    "?digits=NaN",
    "?digits=%00",
    "?paper=a5",
    "?paper=" + "x" * 5000,
    "?digits=4&paper=%00",
]


@pytest.mark.parametrize("ext", ["md", "html", "pdf", "tex"])
def test_bad_handout_queries_are_refused_not_rendered(client, target, ext):
    """Refused before any work (the PDF would start Chromium): 422 or, for the bad ids, 404."""
    for nid in (target["id"], "unknown", "a" * 65):
        for query in BAD_HANDOUT_QUERIES:
            if ext in ("md", "html") and "paper" in query:
                continue  # no paper for these; an unknown parameter is ignored
            response = client.get(f"/api/networks/{nid}/worked-example.{ext}{query}")
            assert response.status_code in (404, 422), (nid, query, response.status_code)


csv_cells = st.text(alphabet=st.sampled_from('0123456789.,;-e\t\n"x \x00\r'), max_size=200)
columns = st.lists(st.integers(-3, 8) | st.text(max_size=4), max_size=4)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=csv_cells,
    inputs=st.none() | columns,
    targets=st.none() | columns,
    label=st.none() | st.integers(-2, 5) | st.text(max_size=4),
    split=st.none() | st.floats(-1, 1),
)
def test_random_csv_never_gets_a_5xx(client, text, inputs, targets, label, split):
    body = {
        "layers": [2, 3, 1],
        "activations": ["tanh", "sigmoid"],
        "loss": "bce",
        "learning_rate": 0.5,
        "csv": text,
        "csv_inputs": inputs,
        "csv_targets": targets,
        "csv_label": label,
        "test_split": split,
    }
    body = {k: v for k, v in body.items() if v is not None}
    response = client.post("/api/networks", json=body)
    assert response.status_code in (201, 422), (body, response.text)
    if response.status_code == 422:
        assert response.json()["detail"]
