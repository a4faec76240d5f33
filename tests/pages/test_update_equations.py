"""The update equations (app/views/equations/update.py) for each optimiser: hand-worked momentum
and Adam steps on the worked example, no result before the backward pass is complete, the
results Update will make once it is next (the same update on a copy), every number shown
taken from the state (or from the state after that update), valid MathML for every preset ×
optimiser × phase."""

import copy
import re
import xml.etree.ElementTree as ET

import pytest

import engine
from app.views.equations import num, update_equations
from app.views.equations.notation import const
from engine.core.optimisers import DEFAULTS
from tests.support.models import frozen

MATHML = "{http://www.w3.org/1998/Math/MathML}"
DECIMALS = re.compile(r"\d+\.\d+")
SYMBOLS = re.compile(r"[wb]\^\{\d+\}_\{[\d,]+\}")  # w^{2}_{11}, b^{1}_{1}: indices, no numbers


def state_of(net):
    """The read model the panel is made from (a frozen copy of `net`)."""
    return frozen(net)


def record_of(net) -> dict:
    """The network's record with its trace: the oracle the tests read numbers from."""
    return engine.to_record(net, trace=True)


def by_title(eqs, start: str):
    found = [e for e in eqs if e.title.startswith(start)]
    assert found, f"no equation titled {start!r} in {[e.title for e in eqs]}"
    return found[0]


def rhs(eq) -> str:
    """Everything after the rule (the first side)."""
    return eq.latex.split(" = ", 1)[1] if " = " in eq.latex else ""


def net_with(optimizer: str, preset: str = "worked-example"):
    return engine.create_network({"preset": preset, "optimizer": optimizer})


# ---- momentum, by hand -------------------------------------------------------------------
def test_momentum_two_steps_by_hand():
    net = net_with("momentum")
    net.forward(all=True)
    net.backward(all=True)
    pending = update_equations(state_of(net), 2, 1, 1)
    # runs next: v_before = 0 (fresh state) and g = ∂L/∂w^2_11 = 0.138499·0.593270 = 0.082167;
    # the results are shown before the update makes them: v = 0.082167, w = 0.358916
    velocity, step = by_title(pending, "Velocity"), by_title(pending, "Momentum update")
    assert "runs next" in velocity.title and "runs next" in step.title
    assert velocity.latex == (
        r"v \leftarrow \mu \, v + \frac{\partial L}{\partial w^{2}_{11}}"
        r" = 0.9 \cdot 0.0000 + 0.0822 = 0.0822"
    )
    assert step.latex.endswith(r"= 0.4000 - 0.5000 \cdot 0.0822 = 0.3589")

    net.update()
    s = state_of(net)
    eqs = update_equations(s, 2, 1, 1)
    # first step: v = 0.9·0 + 0.082167 = 0.082167; w = 0.40 − 0.5·0.082167 = 0.358916
    assert by_title(eqs, "Velocity").latex.endswith(r"= 0.9 \cdot 0.0000 + 0.0822 = 0.0822")
    assert by_title(eqs, "Momentum update").latex.endswith(
        r"= 0.4000 - 0.5000 \cdot 0.0822 = 0.3589"
    )
    # b^1_1: g = δ^1_1 = 0.008771; v = 0.008771; b = 0.35 − 0.5·0.008771 = 0.345614
    bias = update_equations(s, 1, 1)
    assert by_title(bias, "Velocity").latex.endswith(r"= 0.9 \cdot 0.0000 + 0.0088 = 0.0088")
    assert by_title(bias, "Momentum update").latex.endswith(
        r"= 0.3500 - 0.5000 \cdot 0.0088 = 0.3456"
    )

    net.forward(all=True)
    net.backward(all=True)
    net.update()
    eqs = update_equations(state_of(net), 2, 1, 1)
    # second step, with the weights after the first (the same as plain descent's, v = g):
    # a^1 = (0.592198, 0.595671), ŷ_1 = 0.728442,
    # δ^2_1 = (0.728442 − 0.01)·0.728442·(1 − 0.728442) = 0.142118,
    # g = δ^2_1 a^1_1 = 0.142118·0.592198 = 0.084162;
    # v = 0.9·0.082167 + 0.084162 = 0.158112; w = 0.358916 − 0.5·0.158112 = 0.279860
    assert by_title(eqs, "Velocity").latex.endswith(r"= 0.9 \cdot 0.0822 + 0.0842 = 0.1581")
    assert by_title(eqs, "Momentum update").latex.endswith(
        r"= 0.3589 - 0.5000 \cdot 0.1581 = 0.2799"
    )


# ---- Adam, by hand -------------------------------------------------------------------------
def test_adam_first_step_by_hand():
    net = net_with("adam")
    net.forward(all=True)
    net.backward(all=True)
    midway = net_with("adam")
    midway.forward(all=True)
    midway.backward()  # layer 2 only: its gradient is known, the backward pass is not done
    waiting = update_equations(state_of(midway), 2, 1, 1)
    # t, m, v before the step (0, 0, 0) and g are known; nothing after it is
    assert by_title(waiting, "Step count").latex == r"t \leftarrow t + 1 = 0 + 1"
    assert "once the backward pass is complete" in by_title(waiting, "Step count").title
    assert by_title(waiting, "First moment").latex.endswith(
        r"= 0.9 \cdot 0.0000 + (1 - 0.9) \cdot 0.0822"
    )
    assert by_title(waiting, "Second moment").latex.endswith(
        r"= 0.999 \cdot 0.0000 + (1 - 0.999) \cdot 0.0822^2"
    )
    assert by_title(waiting, "Bias-corrected first moment").latex == (
        r"\hat{m} = \frac{m}{1 - \beta_1^{t}}"
    )
    assert by_title(waiting, "Adam update").latex.endswith(
        r"= 0.4000 - 0.5000 \cdot \frac{\hat{m}}{\sqrt{\hat{v}} + 10^{-8}}"
    )
    pending = update_equations(state_of(net), 2, 1, 1)  # backward complete: Update is next
    assert all("runs next" in e.title for e in pending)

    net.update()
    s = state_of(net)
    eqs = update_equations(s, 2, 1, 1)
    # g = 0.082167, g² = 0.0067514; t = 0 + 1 = 1
    # m = 0.9·0 + 0.1·g = 0.0082167; v = 0.999·0 + 0.001·g² = 6.7514e-6
    # m̂ = m / (1 − 0.9) = g = 0.082167; v̂ = v / (1 − 0.999) = g² = 0.0067514
    # w = 0.40 − 0.5·g / (√(g²) + 1e-8) = 0.40 − 0.5·(1 − 1.2e-7) = −0.0999999 ≈ −0.1000
    assert by_title(eqs, "Step count").latex.endswith("= 0 + 1 = 1")
    assert by_title(eqs, "First moment").latex.endswith(
        r"= 0.9 \cdot 0.0000 + (1 - 0.9) \cdot 0.0822 = 0.0082"
    )
    assert by_title(eqs, "Second moment").latex.endswith(
        r"= 0.999 \cdot 0.0000 + (1 - 0.999) \cdot 0.0822^2 = 6.751 \times 10^{-6}"
    )
    assert by_title(eqs, "Bias-corrected first moment").latex.endswith(
        r"= \frac{0.0082}{1 - 0.9^{1}} = 0.0822"
    )
    assert by_title(eqs, "Bias-corrected second moment").latex.endswith(
        r"= \frac{6.751 \times 10^{-6}}{1 - 0.999^{1}} = 0.0068"
    )
    assert by_title(eqs, "Adam update").latex.endswith(
        r"= 0.4000 - 0.5000 \cdot \frac{0.0822}{\sqrt{0.0068} + 10^{-8}} = {-0.1000}"
    )
    # before it ran, the same numbers were shown, the results included
    for before, after in zip(pending, eqs, strict=True):
        assert before.latex == after.latex, before.title
    # b^1_1: g = δ^1_1 = 0.008771; m = 0.1·g = 0.000877; with 6 digits ε shows:
    # b = 0.35 − 0.5·g / (|g| + 1e-8) = 0.35 − 0.5·(1 − 1.14e-6) = −0.1499994
    bias = update_equations(s, 1, 1, digits=6)
    assert by_title(bias, "First moment").latex.endswith(r"(1 - 0.9) \cdot 0.008771 = 0.000877")
    assert by_title(bias, "Adam update").latex.endswith("= {-0.149999}")


def test_adam_second_step_uses_the_moments_of_the_first():
    net = net_with("adam")
    net.step()
    net.step()
    s = state_of(net)
    eqs = update_equations(s, 2, 1, 1)
    # the first step moved every parameter by about η, so the new gradient is read from the
    # trace; the rest by hand from the first step's m = 0.0082167, v = 6.7514e-6:
    # t = 1 + 1 = 2; m = 0.9·0.0082167 + 0.1·g; v = 0.999·6.7514e-6 + 0.001·g²;
    # m̂ = m / (1 − 0.9²) = m / 0.19; v̂ = v / (1 − 0.999²) = v / 0.001999;
    # w = −0.1 − 0.5·m̂ / (√v̂ + 1e-8)
    g = record_of(net)["trace"]["layers"][1]["grad_weights"][0][0]
    m, v = 0.9 * 0.0082167 + 0.1 * g, 0.999 * 6.7514e-6 + 0.001 * g * g
    m_hat, v_hat = m / 0.19, v / 0.001999
    w = -0.1 - 0.5 * m_hat / (v_hat**0.5 + 1e-8)
    assert by_title(eqs, "Step count").latex.endswith("= 1 + 1 = 2")
    first = by_title(eqs, "First moment").latex
    assert rf"= 0.9 \cdot 0.0082 + (1 - 0.9) \cdot {num(g)} = " in first
    assert float(first.rsplit(" = ", 1)[1]) == pytest.approx(m, abs=1e-4)
    assert rf"\frac{{{num(m)}}}{{1 - 0.9^{{2}}}}" in by_title(eqs, "Bias-corrected first").latex
    assert r"0.999 \cdot (6.751 \times 10^{-6})" in by_title(eqs, "Second moment").latex
    assert by_title(eqs, "Bias-corrected second").latex.endswith(f"= {num(v_hat)}")
    step = by_title(eqs, "Adam update").latex
    assert step.split(" = ")[1].startswith(r"{-0.1000} - 0.5000 \cdot")
    assert float(step.rsplit(" = ", 1)[1].strip("{}")) == pytest.approx(w, abs=1e-4)


def test_the_rule_that_ran_stays_after_switching_optimiser():
    net = net_with("momentum")
    net.step()
    engine.edit_network(net, optimizer="adam")
    s, record = state_of(net), record_of(net)
    assert record["optimizer"] == "adam" and record["cursor"]["phase"] == "updated"
    assert "Momentum update" in [e.title for e in update_equations(s, 2, 1, 1)]
    net.forward(all=True)
    net.backward(all=True)
    eqs = update_equations(state_of(net), 2, 1, 1)
    # a fresh state, and Update is next: its step count is shown already
    assert by_title(eqs, "Step count").latex == r"t \leftarrow t + 1 = 0 + 1 = 1"


# ---- every preset × optimiser × phase ------------------------------------------------------
def phases(net):
    """Yield (phase name, record, read model, record after the next Update or None): idle,
    every forward and backward step, updated, and the next iteration's backward end (the
    optimiser's state is no longer zero)."""

    def now(name: str):
        after = None
        if net.next_action == "update":
            twin = copy.deepcopy(net)
            twin.update()
            after = record_of(twin)
        return name, record_of(net), state_of(net), after

    yield now("idle")
    while net.next_action != "update":
        getattr(net, net.next_action)()
        yield now(f"{net.phase} {net.layer}")
    net.update()
    yield now("updated")
    net.forward(all=True)
    net.backward(all=True)
    yield now("second, before its update")
    net.update()
    yield now("second, updated")


def params(s: dict):
    """(layer, j, k) of the first and last weight and the last bias of each layer (the
    biases that are trained: a frozen or absent one has no update rule)."""
    sizes = s["layers"]
    modes = s["bias"] if isinstance(s["bias"], list) else [s["bias"]] * (len(sizes) - 1)
    for layer in range(1, len(sizes)):
        yield layer, 1, 1
        yield layer, sizes[layer], sizes[layer - 1]
        if modes[layer - 1] == "trained":
            yield layer, sizes[layer], None


def pick(arrays, layer: int, j: int, k: int | None, per_layer: bool = True) -> float:
    x = arrays[layer - 1] if per_layer else arrays
    return x[j - 1][k - 1] if k is not None else x[j - 1]


def known_numbers(s: dict, layer: int, j: int, k: int | None, digits: int) -> set[str]:
    """The decimals a panel may show for this parameter: its value(s), η, its gradient, the
    optimiser's constants and, from the state, its moments (before, or from trace.update)."""
    part = "weights" if k is not None else "biases"
    lt = s["trace"]["layers"][layer - 1]
    values = [pick(s[part], layer, j, k), s["learning_rate"]]
    if lt["grad_" + part] is not None:
        values.append(pick(lt["grad_" + part], layer, j, k, per_layer=False))
    updated = s["cursor"]["phase"] == "updated"
    if updated:
        upd = s["trace"]["update"]
        values += [pick(s["previous"][part], layer, j, k), upd["learning_rate"]]
        values += [
            pick(q[part], layer, j, k, per_layer=False) for q in upd["layers"][layer - 1].values()
        ]
    else:
        for key in ("m", "v"):
            if key in s["optimizer_state"]:
                values.append(pick(s["optimizer_state"][key][part], layer, j, k))
    name = s["trace"]["update"]["optimizer"] if updated else s["optimizer"]
    shown = [num(x, digits) for x in values] + [const(c) for c in DEFAULTS[name].values()]
    return {d for text in shown for d in DECIMALS.findall(text)}


def check_panel(eqs, s: dict, param: tuple, digits: int, where: str, after) -> None:
    """Every number from the state, or (Update next) from the state the update makes."""
    allowed = known_numbers(s, *param, digits)
    if after is not None:
        allowed |= known_numbers(after, *param, digits)
    for eq in eqs:
        root = ET.fromstring(eq.mathml)
        assert root.tag == MATHML + "math" and root.get("display") == "block", where
        shown = set(DECIMALS.findall(SYMBOLS.sub("", eq.latex)))
        assert shown <= allowed, f"{where}: {eq.title}: {shown - allowed} not in the state"
        last = eq.latex.rsplit(" = ", 1)[-1]
        result = re.fullmatch(r"\{?-?[\d.]+( \\times 10\^\{-?\d+\})?\}?", last)
        if s["cursor"]["phase"] != "updated" and after is None:
            # no result before the backward pass is complete: a rule ends in a symbol or a
            # sum, never '= x'
            assert not result, where
        if after is not None:
            assert result and "runs next" in eq.title, where  # Update next: its results


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("preset", list(engine.PRESETS))
def test_every_update_panel_is_valid_and_shows_only_the_state(preset, optimizer):
    count = 0
    for index, (phase, s, model, after) in enumerate(phases(net_with(optimizer, preset))):
        digits, aligned = ((4, False), (7, True))[index % 2]
        for param in params(s):
            where = f"{preset} {optimizer} {phase} {param} digits={digits}"
            eqs = update_equations(model, *param, digits=digits, aligned=aligned)
            assert len(eqs) == {"sgd": 1, "momentum": 2, "adam": 6}[optimizer], where
            eqs = update_equations(model, *param, digits=digits)
            check_panel(eqs, s, param, digits, where, after)
            count += len(eqs)
    assert count >= 18  # and-neuron with sgd: 6 phases × 3 parameters × 1 equation


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_frozen_and_absent_biases_have_no_update_rule(optimizer):
    net = net_with(optimizer, "worked-example")
    engine.edit_network(net, bias=["frozen", "none"])
    for phase, _, model, _ in phases(net):
        frozen = update_equations(model, 1, 2, digits=4)
        assert [e.title for e in frozen] == ["Frozen: the update leaves this bias as it is"]
        assert frozen[0].latex == "b^{1}_{2} = 0.3500", phase  # its value, no rule
        assert update_equations(model, 2, 1, digits=4) == [], phase  # no b² at all
        assert (
            len(update_equations(model, 2, 1, 1, digits=4))
            == {"sgd": 1, "momentum": 2, "adam": 6}[optimizer]
        )
