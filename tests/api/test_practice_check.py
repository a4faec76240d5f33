"""POST /api/networks/{id}/check on the blog's worked example (2-2-2 sigmoid, mse,
η = 0.5, x = (0.05, 0.10), y = (0.01, 0.99)), every number worked out by hand here, and on
a two-sample linear neuron for the batch's mistakes and the optimisers; the errors (409,
422) and that a check never changes the network."""

from __future__ import annotations

import math

import pytest

from app.api.practice import CheckAnswer
from app.views.format import fmt
from tests.support.networks import LINE

D = 9  # the blog's decimals


def sigma(z):
    return 1 / (1 + math.exp(-z))


# The forward pass, by hand:
Z11 = 0.15 * 0.05 + 0.20 * 0.10 + 0.35  # 0.3775
Z12 = 0.25 * 0.05 + 0.30 * 0.10 + 0.35  # 0.3925
A11, A12 = sigma(Z11), sigma(Z12)  # 0.593269992, 0.596884378
Z21 = 0.40 * A11 + 0.45 * A12 + 0.60  # 1.105905967
Z22 = 0.50 * A11 + 0.55 * A12 + 0.60  # 1.224921404
A21, A22 = sigma(Z21), sigma(Z22)  # 0.751365070, 0.772928465
LOSS = 0.5 * ((A21 - 0.01) ** 2 + (A22 - 0.99) ** 2)  # 0.298371109
# the backward pass
G1, G2 = A21 - 0.01, A22 - 0.99  # ∂ℓ/∂ŷ: 0.741365070, −0.217071535
F21, F22 = A21 * (1 - A21), A22 * (1 - A22)  # 0.186815602, 0.175510053
D21, D22 = G1 * F21, G2 * F22  # 0.138498562, −0.038098237
GW211 = D21 * A11  # ∂L/∂w²₁₁ = 0.082167041
GW221 = D22 * A11
F11 = A11 * (1 - A11)  # 0.241300709
D11 = (0.40 * D21 + 0.50 * D22) * F11  # 0.008771354
GW111 = D11 * 0.05  # 0.000438568


@pytest.fixture
def blog(create):
    return create(preset="worked-example")["id"]


@pytest.fixture
def ask(client):
    def post(nid, status=200, **body):
        r = client.post(f"/api/networks/{nid}/check", json={"decimals": D, **body})
        assert r.status_code == status, r.text
        data = r.json()
        if status == 200:
            CheckAnswer.model_validate(data)
        return data

    return post


def named(answer) -> str | None:
    return answer["mistake"] and answer["mistake"]["name"]


def test_hand_numbers_agree_with_the_blog():
    assert round(Z11, 9) == 0.3775 and round(A11, 9) == 0.593269992
    assert round(A21, 8) == 0.75136507 and round(LOSS, 9) == 0.298371109
    assert round(D21, 9) == 0.138498562 and round(GW211, 9) == 0.082167041
    assert (
        round(0.40 - 0.5 * GW211, 8) == 0.35891648 and round(0.15 - 0.5 * GW111, 9) == 0.149780716
    )


FORWARD_1 = [  # before any Forward: layer 1
    (
        "z",
        1,
        1,
        None,
        Z11,
        {
            "off_by_bias": 0.15 * 0.05 + 0.20 * 0.10,
            "a_for_z": A11,
            "swapped_indices": 0.15 * 0.05 + 0.25 * 0.10 + 0.35,  # w¹₁₁ a⁰₁ + w¹₂₁ a⁰₂ + b¹₁
        },
    ),
    ("a", 1, 1, None, A11, {"z_for_a": Z11, "off_by_bias": sigma(Z11 - 0.35)}),
]
FORWARD_2 = [  # after Forward once: layer 2 and the loss
    (
        "z",
        2,
        1,
        None,
        Z21,
        {
            "z_for_a": 0.40 * Z11 + 0.45 * Z12 + 0.60,
            "off_by_bias": 0.40 * A11 + 0.45 * A12,
            "a_for_z": A21,
            "swapped_indices": 0.40 * A11 + 0.50 * A12 + 0.60,
        },
    ),
    ("a", 2, 2, None, A22, {"z_for_a": Z22, "off_by_bias": sigma(Z22 - 0.60)}),
    (
        "loss",
        2,
        1,
        None,
        LOSS,
        {
            "half": (A21 - 0.01) ** 2 + (A22 - 0.99) ** 2,  # the ½ forgotten
            "z_for_a": 0.5 * ((Z21 - 0.01) ** 2 + (Z22 - 0.99) ** 2),
        },
    ),
    ("dloss_doutput", 2, 1, None, G1, {"sign": 0.01 - A21, "half": 2 * G1, "z_for_a": Z21 - 0.01}),
]
BACKWARD_2 = [  # after the forward pass: δ², ∂L/∂W², ∂L/∂b²
    (
        "fprime",
        2,
        1,
        None,
        F21,
        {
            "fprime_at_a": sigma(A21) * (1 - sigma(A21)),
            "derivative_on_z": Z21 * (1 - Z21),
        },
    ),
    (
        "delta",
        2,
        1,
        None,
        D21,
        {
            "forgot_fprime": G1,
            "sign": -D21,
            "fprime_at_a": G1 * sigma(A21) * (1 - sigma(A21)),
            "derivative_on_z": G1 * Z21 * (1 - Z21),
            "half": 2 * G1 * F21,
            "z_for_a": (Z21 - 0.01) * F21,
        },
    ),
    ("grad_w", 2, 1, 1, GW211, {"z_for_a": D21 * Z11}),
    ("grad_w", 2, 1, 2, D21 * A12, {"z_for_a": D21 * Z12, "swapped_indices": D22 * A11}),
    ("grad_b", 2, 2, None, D22, {}),
]
BACKWARD_1 = [  # after Backward once: δ¹ and ∂L/∂W¹
    (
        "delta",
        1,
        1,
        None,
        D11,
        {
            "forgot_fprime": 0.40 * D21 + 0.50 * D22,
            "fprime_at_a": (0.40 * D21 + 0.50 * D22) * sigma(A11) * (1 - sigma(A11)),
            "derivative_on_z": (0.40 * D21 + 0.50 * D22) * Z11 * (1 - Z11),
            # w²₁₁ and w²₂₁ after their update: 0.40 − 0.5 ∂L/∂w²₁₁, 0.50 − 0.5 ∂L/∂w²₂₁
            "updated_weight": ((0.40 - 0.5 * GW211) * D21 + (0.50 - 0.5 * GW221) * D22) * F11,
            "swapped_indices": (0.40 * D21 + 0.45 * D22) * F11,  # row 1 of W² instead of column 1
        },
    ),
    ("grad_w", 1, 1, 1, GW111, {}),
]
UPDATE = [  # after the backward pass
    (
        "w",
        2,
        1,
        1,
        0.40 - 0.5 * GW211,
        {
            "forgot_lr": 0.40 - GW211,
            "added_gradient": 0.40 + 0.5 * GW211,
        },
    ),
    (
        "w",
        2,
        1,
        2,
        0.45 - 0.5 * D21 * A12,
        {
            "forgot_lr": 0.45 - D21 * A12,
            "added_gradient": 0.45 + 0.5 * D21 * A12,
            "swapped_indices": 0.45 - 0.5 * D22 * A11,  # ∂L/∂w²₂₁ in place of ∂L/∂w²₁₂
        },
    ),
    (
        "b",
        2,
        1,
        None,
        0.60 - 0.5 * D21,
        {"forgot_lr": 0.60 - D21, "added_gradient": 0.60 + 0.5 * D21},
    ),
    (
        "w",
        1,
        1,
        1,
        0.15 - 0.5 * GW111,
        {"forgot_lr": 0.15 - GW111, "added_gradient": 0.15 + 0.5 * GW111},
    ),
]
POINTS = [(0, FORWARD_1), (1, FORWARD_2), (2, BACKWARD_2), (3, BACKWARD_1), (4, UPDATE)]
STEPS = ["forward", "forward", "backward", "backward"]


def advance(act, nid, n):
    for action in STEPS[:n]:
        act(nid, action)


@pytest.mark.parametrize("point, cases", POINTS)
def test_worked_example_every_mistake_by_hand(act, ask, blog, point, cases):
    advance(act, nid := blog, point)
    for q, l, j, k, right, mistakes in cases:
        where = {"quantity": q, "layer": l, "neuron": j, **({"input": k} if k else {})}
        for d in range(1, 11):
            shown = fmt(right, d)  # as the page shows it: 3.8×10⁻² at one decimal
            assert ask(nid, **where, value=shown, decimals=d)["correct"], (q, d, shown)
        for name, number in mistakes.items():
            got = ask(nid, **where, value=repr(number))
            assert not got["correct"] and named(got) == name, (q, l, j, k, name, got)
            assert got["mistake"]["also"] == []
            assert got["mistake"]["expected_under_mistake"] == pytest.approx(number, abs=1e-12)
            assert "value" not in got  # the right value only with reveal


def test_the_blog_way_frozen_bias_stays(create, act, ask):
    nid = create(preset="worked-example-blog")["id"]
    advance(act, nid, 4)
    where = {"quantity": "b", "layer": 2, "neuron": 1}
    assert ask(nid, **where, value="0.6")["correct"]
    got = ask(nid, **where, value=repr(0.60 - 0.5 * D21))
    assert named(got) == "updated_frozen"


def line(create, **extra):
    """ŷ = w x + b, w = 0.5, b = 0.1, x = (1, 2), y = (1, 0), mse, η = 0.1: ŷ = (0.6, 1.1),
    δ = ŷ − y = (−0.4, 1.1); ∂L/∂w = ½(−0.4·1 + 1.1·2) = 0.9, ∂L/∂b = ½(−0.4 + 1.1) = 0.35."""
    return create(**{**LINE, **extra})["id"]


def test_batch_mistakes_by_hand(create, act, ask):
    nid = line(create)
    act(nid, "forward")
    w = {"quantity": "grad_w", "layer": 1, "neuron": 1, "input": 1}
    assert ask(nid, **w, value="0.9")["correct"]
    assert named(ask(nid, **w, value="1.8")) == "batch_reduction"  # Σ, not the mean
    assert named(ask(nid, **w, value="-0.4", sample=1)) == "one_sample"  # sample 1 alone
    assert named(ask(nid, **w, value="2.2", sample=2)) == "one_sample"  # sample 2: 1.1 · 2
    b = {"quantity": "grad_b", "layer": 1, "neuron": 1}
    assert named(ask(nid, **b, value="0.7")) == "batch_reduction"
    summed = line(create, reduction="sum")
    act(summed, "forward")
    assert ask(summed, **w, value="1.8")["correct"]
    assert named(ask(summed, **w, value="0.9")) == "batch_reduction"  # averaged, not Σ


def test_regularisation_by_hand(create, act, ask):
    nid = line(create, regularization="l2", regularization_rate=0.1)
    act(nid, "forward")
    w = {"quantity": "grad_w", "layer": 1, "neuron": 1, "input": 1}
    assert ask(nid, **w, value=repr(0.9 + 0.1 * 0.5))["correct"]  # + λ w
    assert named(ask(nid, **w, value="0.9")) == "forgot_penalty"


def test_momentum_and_adam_by_hand(create, act, ask):
    nid = line(create, optimizer="momentum")
    act(nid, "step")  # v = 0.9 (the first ∂L/∂w), w = 0.5 − 0.1 · 0.9 = 0.41
    # iteration 2: ŷ = (0.41 + b', 0.82 + b') with b' = 0.1 − 0.1 · 0.35 = 0.065
    y1, y2 = 0.41 + 0.065, 0.82 + 0.065
    g = 0.5 * ((y1 - 1) * 1 + (y2 - 0) * 2)
    act(nid, "forward")
    act(nid, "backward")
    v = 0.9 * 0.9 + g
    w = {"quantity": "w", "layer": 1, "neuron": 1, "input": 1}
    assert ask(nid, **w, value=repr(0.41 - 0.1 * v))["correct"]
    assert ask(nid, quantity="v", layer=1, neuron=1, input=1, value=repr(v))["correct"]
    assert named(ask(nid, **w, value=repr(0.41 - 0.1 * g))) == "ignored_optimizer"
    assert named(ask(nid, **w, value=repr(0.41 - v))) == "forgot_lr"
    adam = line(create, optimizer="adam")
    act(adam, "forward")
    act(adam, "backward")
    # t = 1: m = 0.1 · 0.9, v = 0.001 · 0.81, m̂ = 0.9, v̂ = 0.81: the step is 0.9 / (0.9 + ε)
    right = 0.5 - 0.1 * 0.9 / (math.sqrt(0.81) + 1e-8)
    assert ask(adam, **w, value=repr(right))["correct"]
    uncorrected = 0.5 - 0.1 * 0.09 / (math.sqrt(0.00081) + 1e-8)
    assert named(ask(adam, **w, value=repr(uncorrected))) == "forgot_bias_correction"
    hat = {"quantity": "m_hat", "layer": 1, "neuron": 1, "input": 1}
    assert ask(adam, **hat, value="0.9")["correct"]
    assert named(ask(adam, **hat, value="0.09")) == "forgot_bias_correction"


def test_reveal_and_typed_forms(ask, blog):
    got = ask(blog, quantity="z", layer=1, neuron=1, value="1", reveal=True)
    assert got["value"] == pytest.approx(Z11) and got["correct"] is False
    assert got["mistake"] is None  # 1 is far from every mistake
    for typed in ("0,3775", "0.3775", "3.775e-1", "3,775E−1", "3.775×10⁻¹", " 0.37750 "):
        assert ask(blog, quantity="z", layer=1, neuron=1, value=typed, decimals=4)["correct"], typed
    assert ask(blog, quantity="z", layer=1, neuron=1, value=0.3775, decimals=4)["correct"]


def test_minus_sign_or_hyphen(act, ask, blog):
    advance(act, blog, 2)
    for typed in ("\u22120.0381", "-0.0381", "\u2212 0,0381"):
        assert ask(blog, quantity="delta", layer=2, neuron=2, value=typed, decimals=4)["correct"]


def test_a_check_never_changes_the_network(client, act, ask, blog):
    before = client.get(f"/api/networks/{blog}").json()
    advance(act, blog, 2)
    middle = client.get(f"/api/networks/{blog}").json()
    for q in ("delta", "fprime", "grad_b"):
        ask(blog, quantity=q, layer=2, neuron=1, value="0.5", reveal=True)
    after = client.get(f"/api/networks/{blog}").json()
    assert after == middle and after["version"] == before["version"] + 2


@pytest.mark.parametrize(
    "body, field",
    [
        ({"quantity": "zeta", "layer": 1, "neuron": 1}, "quantity"),
        ({"quantity": "z", "layer": 3, "neuron": 1}, "layer"),
        ({"quantity": "z", "layer": 0, "neuron": 1}, "layer"),
        ({"quantity": "z", "layer": 1, "neuron": 3}, "neuron"),
        ({"quantity": "z", "layer": 1, "neuron": 1, "sample": 2}, "sample"),
        ({"quantity": "grad_w", "layer": 1, "neuron": 1}, "input"),
        ({"quantity": "grad_b", "layer": 1, "neuron": 1, "input": 1}, "input"),
        ({"quantity": "m", "layer": 1, "neuron": 1}, "quantity"),  # sgd has no moments
    ],
)
def test_unknown_or_out_of_range_is_a_422_naming_the_field(ask, blog, body, field):
    got = ask(blog, 422, **body, value="1")
    assert got["field"] == field, got


@pytest.mark.parametrize("value", ["abc", "1,2.3", "1,2,3", "", "nan", "inf", "1e999", "9" * 80])
def test_unparseable_values_are_a_422(ask, blog, value):
    got = ask(blog, 422, quantity="z", layer=1, neuron=1, value=value)
    assert got["field"] == "value" and got["detail"]


def test_later_quantities_are_a_409_naming_what_to_do_first(act, ask, blog):
    got = ask(blog, 409, quantity="delta", layer=2, neuron=1, value="0.1")
    assert got["allowed"] == "forward" and "Forward ×2" in got["detail"]
    act(blog, "forward")
    got = ask(blog, 409, quantity="grad_w", layer=1, neuron=1, input=1, value="0.1")
    assert "Forward, then Backward" in got["detail"]
    assert (
        ask(blog, 409, quantity="w", layer=1, neuron=1, input=1, value="0.1")["allowed"]
        == "forward"
    )


def test_after_the_update_the_next_iteration_is_asked(act, ask, blog):
    act(blog, "step")
    w = 0.15 - 0.5 * GW111  # the updated parameters feed the next forward pass
    z = w * 0.05 + (0.20 - 0.5 * D11 * 0.10) * 0.10 + 0.35 - 0.5 * D11
    assert ask(blog, quantity="z", layer=1, neuron=1, value=repr(z))["correct"]
    assert ask(blog, 409, quantity="w", layer=1, neuron=1, input=1, value="0.1")


def test_unknown_network_is_a_404(client):
    r = client.post(
        "/api/networks/nope/check", json={"quantity": "z", "layer": 1, "neuron": 1, "value": 1}
    )
    assert r.status_code == 404


def test_a_watcher_checks_by_the_watch_id_with_the_same_answer(client, act, ask, blog):
    """POST /api/watch/{watch_id}/check and the watch page's /w/{watch_id}/check judge the
    same number as the owner's route, name no edit id and change nothing."""
    act(blog, "forward")
    watch_id = client.get(f"/api/networks/{blog}").json()["watch_id"]
    before = client.get(f"/api/watch/{watch_id}").json()
    body = {"quantity": "a", "layer": 2, "neuron": 1, "value": Z21, "decimals": D}
    owner = ask(blog, **body)
    watcher = client.post(f"/api/watch/{watch_id}/check", json=body)
    assert watcher.status_code == 200, watcher.text
    assert watcher.json() == owner and owner["correct"] is False
    assert owner["mistake"]["name"] == "z_for_a" and blog not in watcher.text
    right = client.post(f"/api/watch/{watch_id}/check", json={**body, "value": A21})
    assert right.json()["correct"] is True
    page = client.post(
        f"/w/{watch_id}/check",
        headers={"HX-Request": "true"},
        data={"quantity": "a", "layer": "2", "neuron": "1", "value": f"{A21:.9f}", "digits": "9"},
    )
    assert page.status_code == 200 and "Correct" in page.text and blog not in page.text
    assert client.post(f"/api/watch/{blog}/check", json=body).status_code == 404
    assert client.get(f"/api/watch/{watch_id}").json() == before
