"""The HTML routes against malformed input, as the API's fuzz tests treat the API: never a
5xx. /import checks a file through the API's own schema (every malformed body found by
hand is refused naming its field, nothing created); oversized focus, sample, edit and
layer keys name nothing; every form route takes junk in every field; a CSV is refused at
its first row past the limit."""

from __future__ import annotations

import json

import pytest

from engine import limits
from engine.data import csvdata
from tests.api.test_fuzz import RAW_BODIES
from tests.support.forms import BUILDER, network_count
from tests.support.htmldom import parse

HUGE = "9" * 5000  # int() refuses more than 4300 digits with a ValueError
VALID = {
    "layers": [2, 2, 1],
    "activations": ["sigmoid", "sigmoid"],
    "loss": "mse",
    "learning_rate": 0.5,
    "inputs": [[0, 0], [1, 1]],
    "targets": [[0], [1]],
}
# (body, the field the message must name): each answered 500 before /import used the schema
BAD_FILES = [
    ({"preset": []}, "preset"),
    ({"preset": {"name": "seed-xor"}}, "preset"),
    ({**VALID, "loss": []}, "loss"),
    ({**VALID, "init_scale": [1]}, "init_scale"),
    ({"preset": "seed-xor", "dataset": {"name": "xor", "seed": -1}}, "dataset.seed"),
    ({"preset": "seed-xor", "dataset": {"name": "xor", "seed": "x"}}, "dataset.seed"),
    ({"preset": "seed-xor", "dataset": {"name": "xor", "seed": 1.5}}, "dataset.seed"),
    ({"preset": "gauss-softmax", "dataset": {"name": "gauss", "classes": 2.0}}, "classes"),
    ({**VALID, "learning_rate": "fast"}, "learning_rate"),
    ({**VALID, "weights": "none"}, "weights"),
    ({**VALID, "unknown": 1}, "unknown"),
]


def upload(client, content: bytes):
    return client.post("/import", files={"network": ("net.json", content, "application/json")})


@pytest.mark.parametrize(("body", "field"), BAD_FILES)
def test_a_malformed_import_is_refused_naming_its_field(client, body, field):
    before = network_count(client)
    r = upload(client, json.dumps(body).encode())
    assert r.status_code == 422, r.text[:300]
    message = parse(r.text).by_id("err-import").text()
    assert field in message, message
    assert network_count(client) == before


@pytest.mark.parametrize("depth", [999, 1000, 5000, 100_000])
def test_a_deeply_nested_import_is_refused(client, depth):
    before = network_count(client)
    for content in (b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth):
        r = upload(client, content)
        assert r.status_code == 422, (depth, r.text[:300])
        assert parse(r.text).by_id("err-import").text()
    assert network_count(client) == before


def test_every_raw_body_of_the_api_fuzz_is_refused_as_an_import(client):
    before = network_count(client)
    for content in RAW_BODIES:
        r = upload(client, content)
        assert r.status_code in (303, 422), (content[:60], r.status_code)
    # the few that are valid create bodies (a preset with extreme values) may create
    assert network_count(client) - before <= sum(
        b.startswith(b'{"preset": "worked') for b in RAW_BODIES
    )


@pytest.fixture
def nid(client):
    return client.post("/api/networks", json={"preset": "worked-example"}).json()["id"]


KEYS = [
    f"n-{HUGE}-1",
    f"n-1-{HUGE}",
    f"e-2-1-{HUGE}",
    "n-١-١",  # Arabic-Indic digits
    "n-1-1\n",
    "%00",
    "n--1-1",
]


@pytest.mark.parametrize("key", KEYS)
def test_an_oversized_or_odd_focus_names_nothing_and_the_page_still_shows(client, nid, key):
    r = client.get(f"/n/{nid}", params={"focus": key})
    assert r.status_code == 200, r.text[:300]
    plain = client.get(f"/n/{nid}")
    assert parse(r.text).by_id("equations").text() == parse(plain.text).by_id("equations").text()


@pytest.mark.parametrize("key", [f"w-{HUGE}-1-1", f"w-1-1-{HUGE}", f"b-1-{HUGE}", f"x-{HUGE}-1"])
def test_an_edit_with_an_oversized_key_is_refused_and_changes_nothing(client, nid, key):
    before = client.get(f"/api/networks/{nid}").json()
    r = client.post(f"/n/{nid}/edit", data={"key": key, "value": "0.5"})
    assert r.status_code == 422, r.text[:300]
    assert "is not something that can be edited" in r.text
    after = client.get(f"/api/networks/{nid}").json()
    assert after["version"] == before["version"] and after["weights"] == before["weights"]
    shown = client.get(f"/n/{nid}", params={"edit": key})
    assert shown.status_code == 200


JUNK = ["", HUGE, "-" + HUGE, "1e999", "NaN", "%00", "\x00", "x" * 10_000, "١", "1.5", "-1"]
FORM_ROUTES = [
    ("/n/{nid}/forward", ["at", "seen", "focus", "sample", "digits", "edit", "mode"]),
    ("/n/{nid}/step", ["at", "seen", "focus", "sample", "digits"]),
    ("/n/{nid}/undo", ["seen", "focus", "sample"]),
    ("/n/{nid}/train", ["iterations", "seen", "focus", "sample", "digits"]),
    ("/n/{nid}/edit", ["key", "value", "focus", "sample"]),
    ("/n/{nid}/play", ["iterations", "interval", "seen", "every", "chunk"]),
    ("/n/{nid}/chunk", ["iterations", "seen", "chunk", "every"]),
    ("/n/{nid}/pause", ["seen"]),
    ("/n/{nid}/optimizer", ["optimizer", "learning_rate", "seen"]),
    ("/n/{nid}/data", ["dataset", "samples", "noise", "seed", "classes", "test_split"]),
    ("/n/{nid}/conventions", ["bias", "reduction", "batch_size", "shuffle", "regularization"]),
    ("/", list(BUILDER)),
    ("/presets/seed-xor", ["x"]),
]


@pytest.mark.parametrize(("path", "fields"), FORM_ROUTES, ids=[p for p, _ in FORM_ROUTES])
def test_junk_in_every_form_field_never_gets_a_5xx(client, nid, path, fields):
    url = path.format(nid=nid)
    for value in JUNK:
        for name in fields:
            base = dict(BUILDER) if path == "/" else {}
            r = client.post(url, data={**base, name: value})
            assert r.status_code < 500, (url, name, value[:20], r.text[:300])
        r = client.post(url, data={name: value for name in fields})
        assert r.status_code < 500, (url, "all", value[:20], r.text[:300])


@pytest.mark.parametrize(
    "query",
    [f"?sample={HUGE}", f"?digits={HUGE}", f"?edit=w-{HUGE}-1-1", "?mode=%00", f"?log={HUGE}"],
)
def test_junk_queries_on_the_pages_never_get_a_5xx(client, nid, query):
    for url in (f"/n/{nid}", f"/n/{nid}/gradcheck", "/", "/builder"):
        r = client.get(url + query)
        assert r.status_code < 500, (url, query, r.text[:300])


def test_a_csv_is_refused_at_the_first_row_past_the_limit(client, monkeypatch):
    """Rows past the limit are not read: a malformed row after them (which would be
    reported if it were read) is not what the message names, and of a 1 MB one-column
    paste only the limit's worth of rows (and one more) is parsed."""
    over = "1,2,3\n" * (limits.MAX_SAMPLES + 1)
    body = {k: v for k, v in VALID.items() if k not in ("inputs", "targets")}
    r = client.post("/api/networks", json={**body, "csv": over + "1,2\n" * 10})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert f"more than {limits.MAX_SAMPLES} rows" in detail, detail
    assert f"line {limits.MAX_SAMPLES + 1}" in detail and "expected" not in detail, detail

    parsed = []
    reader = csvdata.csv.reader

    def counting(*args, **kwargs):
        for row in reader(*args, **kwargs):
            parsed.append(row)
            yield row

    monkeypatch.setattr(csvdata.csv, "reader", counting)
    paste = "1\n" * 340_000  # about 1 MB as JSON, just under the body limit
    r = client.post(
        "/api/networks", json={**body, "layers": [1, 1], "activations": ["sigmoid"], "csv": paste}
    )
    assert r.status_code == 422 and "more than" in r.json()["detail"], r.text[:300]
    assert len(parsed) <= limits.MAX_SAMPLES + 2, len(parsed)
