"""Exercise sheets: a network's sheet and key, a class's sheets, key and codes, and the
network a sheet's code opens. The key's numbers are compared with the lab's own (the JSON
API's trace after one iteration), the sheet is searched for every answer, and the numbers
of sheet and key are compared item by item."""

from __future__ import annotations

import re

import numpy as np
import pytest

from app.views.format import fmt
from tests.support.api_helpers import JSON, checked

CLASS = {
    "class_code": "Physics 2B",
    "count": 30,
    "layers": [2, 2, 1],
    "activations": ["sigmoid", "sigmoid"],
    "loss": "mse",
    "learning_rate": 0.5,
}
ITEM = re.compile(r"\*\*(\d+\.\d+) ([^*]+)\*\*\n\n\$\$ (.*?) \$\$", re.S)


def items(md: str) -> list[tuple[str, str, str]]:
    """(number, heading, equation) of each numbered equation of a sheet or key."""
    return ITEM.findall(md)


def answer(equation: str) -> str:
    return equation.rsplit(" = ", 1)[1].strip("{}")


@pytest.fixture
def klass(client):
    return checked(client.post("/api/classes", json=CLASS), 200)


def query(**extra) -> dict:
    return {"class_code": CLASS["class_code"], "count": CLASS["count"], **extra}


def open_code(client, code: str) -> dict:
    return checked(client.post(f"/api/sheets/{code}/network", headers=JSON), 201)


def test_sheet_and_key_share_their_numbers_and_headings(client, create):
    nid = create(preset="worked-example")["id"]
    sheet = client.get(f"/api/networks/{nid}/exercise.md").text
    key = client.get(f"/api/networks/{nid}/exercise-key.md").text
    s, k = items(sheet), items(key)
    assert len(s) == len(k) == 47
    assert [(n, h) for n, h, _ in s] == [(n, h) for n, h, _ in k]
    assert [n for n, _, _ in s][:3] == ["1.1", "1.2", "1.3"]
    for (_, _, blank), (_, _, worked) in zip(s, k):
        # each blank: the key's equation up to the numbers of the iteration, then the blank
        front = blank.removesuffix(r" = \underline{\qquad\qquad\qquad}")
        assert front != blank and worked.startswith(front + " = ")
    # z¹₁ from the given numbers alone: its substitution is on the sheet, its value is not
    assert s[0][2] == (
        r"z^{1}_{1} = w^{1}_{11} a^{0}_{1} + w^{1}_{12} a^{0}_{2} + b^{1}_{1} = 0.1500 \cdot "
        r"0.0500 + 0.2000 \cdot 0.1000 + 0.3500 = \underline{\qquad\qquad\qquad}"
    )
    assert s[4][2].endswith(r"b^{2}_{1} = \underline{\qquad\qquad\qquad}")  # z²₁ needs a¹


def test_the_sheet_holds_no_answer_at_the_shown_decimals(client, klass):
    for student in klass["students"][:3]:
        nid = open_code(client, student["code"])["id"]
        for digits in (4, 6):
            sheet = client.get(f"/api/networks/{nid}/exercise.md?digits={digits}").text
            html = client.get(f"/api/networks/{nid}/exercise.html?digits={digits}").text
            key = client.get(f"/api/networks/{nid}/exercise-key.md?digits={digits}").text
            answers = {answer(eq) for _, _, eq in items(key)}
            assert len(answers) > 20
            for value in answers:
                assert value not in sheet, value
                assert value.replace("-", "−") not in html and value not in html, value


def test_the_keys_numbers_are_the_labs(client, klass):
    code = klass["students"][4]["code"]
    net = open_code(client, code)
    nid = net["id"]
    key = {
        h.split(", ")[1]: answer(eq)
        for _, h, eq in items(client.get(f"/api/networks/{nid}/exercise-key.md").text)
    }
    state = checked(client.post(f"/api/networks/{nid}/step", headers=JSON), 200)
    layers = state["trace"]["layers"]
    for l, layer in enumerate(layers, start=1):
        for j in range(len(layer["z"][0])):
            sub, sup = "₁₂"[j], "¹²"[l - 1]
            assert key[f"z{sup}{sub}"] == fmt(layer["z"][0][j]).replace("−", "-")
            assert key[f"δ{sup}{sub}"] == fmt(layer["delta"][0][j]).replace("−", "-")
            assert key[f"∂L/∂b{sup}{sub}"] == fmt(layer["grad_biases"][j]).replace("−", "-")
            for k in range(len(layer["grad_weights"][j])):
                got = key[f"∂L/∂w{sup}{sub}{'₁₂'[k]}"]
                assert got == fmt(layer["grad_weights"][j][k]).replace("−", "-")
    # the class key has the same answers for this student, under the same numbers
    one = client.get(f"/api/classes/{klass['token']}/key.md", params=query(first=5, last=5)).text
    sheet_numbers = [n for n, _, _ in items(client.get(f"/api/networks/{nid}/exercise.md").text)]
    rows = re.findall(r"^\| (\d+\.\d+) \| (.+?) \| (.+?) \|$", one, re.M)
    assert [n for n, _, _ in rows] == sheet_numbers
    z11 = next(v for _, q, v in rows if q == "$z^{1}_{1}$")
    assert z11 == fmt(layers[0]["z"][0][0])


def test_the_numbers_by_hand(client, klass):
    """z¹₁ = w¹₁₁ x₁ + w¹₁₂ x₂ + b¹₁ and a¹₁ = σ(z¹₁) from the sheet's given numbers."""
    net = open_code(client, klass["students"][0]["code"])
    (w11, w12), b1, (x1, x2) = net["weights"][0][0], net["biases"][0][0], net["inputs"][0]
    z = w11 * x1 + w12 * x2 + b1
    key = items(client.get(f"/api/networks/{net['id']}/exercise-key.md").text)
    assert answer(key[0][2]) == f"{z:.4f}"
    assert answer(key[1][2]) == f"{1 / (1 + np.exp(-z)):.4f}"
    for x in [w11, w12, b1, x1, x2]:  # the givens have two decimals: exact on the sheet
        assert round(x, 2) == x


def test_students_differ_and_the_same_class_and_number_give_the_same_sheet(client, klass):
    a, b = klass["students"][0]["code"], klass["students"][1]["code"]
    assert a != b
    again = checked(client.post("/api/classes", json=CLASS), 200)
    assert again["students"] == klass["students"]
    na, nb, na2 = open_code(client, a), open_code(client, b), open_code(client, a.lower())
    assert na["weights"] != nb["weights"] and na["inputs"] != nb["inputs"]
    assert (na["weights"], na["biases"], na["inputs"], na["targets"]) == (
        na2["weights"], na2["biases"], na2["inputs"], na2["targets"]
    )  # fmt: skip
    sheet = lambda n: client.get(f"/api/networks/{n['id']}/exercise.md").text  # noqa: E731
    assert sheet(na) == sheet(na2) and sheet(na) != sheet(nb)
    one = client.get(f"/api/classes/{klass['token']}/sheets.md", params=query(first=1, last=2))
    printed = one.text.replace("\u2011", "-")  # printed with hyphens that do not break
    assert a in printed and b in printed and a not in one.text
    assert open_code(client, a.replace("-", "\u2011"))["weights"] == na["weights"]
    assert one.text == client.get(one.url).text


def test_a_class_code_changes_every_sheet(client, klass):
    other = checked(client.post("/api/classes", json={**CLASS, "class_code": "Physics 2C"}), 200)
    assert {s["code"] for s in other["students"]}.isdisjoint(s["code"] for s in klass["students"])
    same = checked(client.post("/api/classes", json={**CLASS, "class_code": " physics  2b "}), 200)
    assert same["students"] == klass["students"]


def test_the_class_key_of_200_students_comes_in_parts_within_the_work_limit(client):
    big = checked(client.post("/api/classes", json={**CLASS, "count": 200}), 200)
    parts = big["parts"]
    assert parts[0]["first"] == 1 and parts[-1]["last"] == 200 and len(parts) >= 2
    token, q = big["token"], {"class_code": CLASS["class_code"], "count": 200}
    whole = client.get(f"/api/classes/{token}/key.html", params=q)
    assert whole.status_code == 422 and whole.json()["field"] == "last"
    assert whole.json()["limit"] == big["per_part"]
    for p in parts:
        part = client.get(f"/api/classes/{token}/key.html", params={**q, **p})
        assert part.status_code == 200
        assert part.text.count("<h2") == p["last"] - p["first"] + 1


@pytest.mark.parametrize(
    "change,field",
    [
        ({"count": 201}, "count"),
        ({"count": 0}, "count"),
        ({"class_code": ""}, "class_code"),
        ({"class_code": "x" * 41}, "class_code"),
        ({"layers": [2, 5, 1]}, "layers"),
        ({"layers": [2, 2, 2, 2, 1]}, "layers"),
        ({"activations": ["sigmoid"]}, "activations"),
        ({"learning_rate": 0.123}, "learning_rate"),
        ({"samples": 9}, "samples"),
        ({"samples": 2, "batch_size": 3}, "batch_size"),
        ({"preset": "nope"}, "preset"),
        ({"loss": "cce"}, None),
    ],
)
def test_class_errors_name_the_field(client, change, field):
    r = client.post("/api/classes", json={**CLASS, **change})
    assert r.status_code == 422, r.text
    if field:
        assert r.json()["field"] == field and field in r.json()["detail"]


@pytest.mark.parametrize("code", ["", "hello", "0" * 70, "6Q84T-Q4NV0-F2", "ÄÖÜ", "U" * 16])
def test_bad_sheet_codes_are_refused(client, code):
    r = client.post(f"/api/sheets/{code}/network", headers=JSON)
    assert r.status_code in (404, 405, 422), r.text
    if r.status_code == 422:
        assert "code" in r.json()["detail"]


def test_a_mistyped_character_is_caught(client, klass):
    code = klass["students"][0]["code"]
    i = 3
    typo = code[:i] + ("Z" if code[i] != "Z" else "Y") + code[i + 1 :]
    r = client.post(f"/api/sheets/{typo}/network", headers=JSON)
    assert r.status_code == 422 and "mistyped" in r.json()["detail"]


def test_unknown_networks_and_classes(client, klass):
    assert client.get("/api/networks/" + "a" * 26 + "/exercise.md").status_code == 404
    assert client.get("/api/classes/NOPE/key.md", params=query()).status_code == 422
    r = client.get(f"/api/classes/{klass['token']}/key.md", params={"count": 3})
    assert r.status_code == 422 and r.json()["field"] == "class_code"


def test_conventions_shape_the_sheet(client):
    body = {**CLASS, "samples": 2, "batch_size": 2, "reduction": "sum", "bias": "frozen",
            "optimizer": "momentum"}  # fmt: skip
    klass = checked(client.post("/api/classes", json=body), 200)
    nid = open_code(client, klass["students"][0]["code"])["id"]
    sheet = client.get(f"/api/networks/{nid}/exercise.md").text
    assert r"\sum_{i=1}^{2}" in sheet  # the sum over the batch, no 1/m
    assert "frozen" in sheet and "velocity" in sheet.lower()
    assert "All 2 samples" in sheet
