"""The equation panel (app/views/equations/): hand-worked numbers, nothing shown before it is
computed, both forms of the output delta, valid MathML for every preset in every phase."""

import re
import time
import xml.etree.ElementTree as ET

import pytest

import engine
from app.views.equations import (
    edge_equations,
    neuron_equations,
    num,
    operand,
    to_mathml,
    update_equations,
)
from app.views.equations.mathml import side_mathml, symbols_mathml
from tests.support.models import frozen

MATHML = "{http://www.w3.org/1998/Math/MathML}"
DECIMAL = re.compile(r"\d\.\d")


def state_of(net):
    return frozen(net)


def latex(eqs) -> str:
    return "\n".join(e.latex for e in eqs)


def titles(eqs) -> str:
    return "\n".join(e.title for e in eqs)


def by_title(eqs, start: str):
    found = [e for e in eqs if e.title.startswith(start)]
    assert found, f"no equation titled {start!r} in {[e.title for e in eqs]}"
    return found[0]


def last_side(eq) -> float:
    return float(eq.latex.rsplit("=", 1)[1].strip(" {}"))


# ---- numbers ------------------------------------------------------------------------
def test_numbers_keep_trailing_zeros_and_switch_to_scientific_form():
    assert num(0.15) == "0.1500"
    assert num(0.3775, 2) == "0.38"
    assert num(-0.0) == "0.0000"
    assert num(0.0050) == "0.0050"
    # the pages' one rule (app/views/format.py): scientific only where the value would show
    # as 0 at the chosen decimals, with one decimal fewer in the mantissa
    assert num(0.000438568) == "0.0004"
    assert num(0.000438568, 3) == r"4.39 \times 10^{-4}"
    assert num(-0.00004999) == r"-4.999 \times 10^{-5}"  # -0.0000 would read as zero
    assert num(-1.234e-5, 8) == "-0.00001234"
    assert num(-1.234e-9, 8) == r"-1.2340000 \times 10^{-9}"
    assert num(2.5e7) == r"2.500 \times 10^{7}"
    assert operand(-0.5) == "({-0.5000})"
    assert operand(0.5) == "0.5000"


# ---- the worked example, by hand ------------------------------------------------------
@pytest.fixture
def worked():
    return engine.create_network({"preset": "worked-example"})


def test_idle_shows_symbols_only(worked):
    s = state_of(worked)
    for layer in (1, 2):
        eqs = neuron_equations(s, layer, 1)
        assert not DECIMAL.search(latex(eqs)), latex(eqs)
        assert all("not computed yet" in e.title for e in eqs)
    # the input is known from the start: a^0_1 = x_1 = 0.05
    assert neuron_equations(s, 0, 1)[0].latex == "a^{0}_{1} = x_{1} = 0.0500"


def test_forward_layer_1_by_hand(worked):
    worked.forward()
    s = state_of(worked)
    eqs = neuron_equations(s, 1, 1)
    # z^1_1 = 0.15·0.05 + 0.20·0.10 + 0.35 = 0.0075 + 0.02 + 0.35 = 0.3775
    z = by_title(eqs, "Weighted input").latex
    assert z.endswith(r"= 0.1500 \cdot 0.0500 + 0.2000 \cdot 0.1000 + 0.3500 = 0.3775")
    assert z.startswith(r"z^{1}_{1} = w^{1}_{11} a^{0}_{1} + w^{1}_{12} a^{0}_{2} + b^{1}_{1}")
    # a^1_1 = 1 / (1 + e^{-0.3775}) = 1 / 1.68557 = 0.59327
    assert by_title(eqs, "Activation").latex == (
        r"a^{1}_{1} = \sigma(z^{1}_{1}) = \frac{1}{1 + e^{-0.3775}} = 0.5933"
    )
    # layer 2 is not computed yet: no numbers there
    assert not DECIMAL.search(latex(neuron_equations(s, 2, 1)))


def test_forward_output_and_loss_by_hand(worked):
    worked.forward(all=True)
    s = state_of(worked)
    eqs = neuron_equations(s, 2, 1)
    text = latex(eqs)
    # a^1_2 = σ(0.25·0.05 + 0.30·0.10 + 0.35) = σ(0.3925) = 0.596884
    # z^2_1 = 0.40·0.593270 + 0.45·0.596884 + 0.60 = 1.105906; ŷ_1 = σ(1.105906) = 0.751365
    assert r"0.4000 \cdot 0.5933 + 0.4500 \cdot 0.5969 + 0.6000 = 1.1059" in text
    assert r"\frac{1}{1 + e^{-1.1059}} = 0.7514" in text
    # ŷ_2 = σ(0.50·0.593270 + 0.55·0.596884 + 0.60) = σ(1.224921) = 0.772928
    # ℓ = ½[(0.751365 − 0.01)² + (0.772928 − 0.99)²] = ½(0.549622 + 0.047120) = 0.298371
    loss = by_title(eqs, "Loss").latex
    assert loss.endswith(r"\tfrac{1}{2}[(0.7514 - 0.0100)^2 + (0.7729 - 0.9900)^2] = 0.2984")
    # ∂ℓ/∂ŷ_1 = ŷ_1 − y_1 = 0.751365 − 0.01 = 0.741365
    assert by_title(eqs, "Gradient of the loss").latex.endswith("= 0.7514 - 0.0100 = 0.7414")
    # one sample: no batch loss; backward not run: no delta, no gradient numbers
    assert "Batch loss" not in titles(eqs)
    assert "delta" not in titles(eqs).lower() and "0.1385" not in text
    assert "not computed yet" in titles(edge_equations(s, 2, 1, 1))


def test_backward_by_hand(worked):
    worked.forward(all=True)
    worked.backward()
    s = state_of(worked)
    out = latex(neuron_equations(s, 2, 1))
    # σ'(z^2_1) = ŷ(1 − ŷ) = 0.751365·0.248635 = 0.186816
    # δ^2_1 = 0.741365·0.186816 = 0.138499
    assert r"0.7514(1 - 0.7514) = 0.1868" in out
    assert r"= 0.7414 \cdot 0.1868 = 0.1385" in out
    # mse with a sigmoid output does not simplify: only the chain rule form
    assert "simplified" not in titles(neuron_equations(s, 2, 1))
    # ∂L/∂w^2_11 = δ^2_1 a^1_1 = 0.138499·0.593270 = 0.082167
    edge = latex(edge_equations(s, 2, 1, 1))
    assert r"\delta^{2}_{1} a^{1}_{1} = 0.1385 \cdot 0.5933 = 0.0822" in edge
    # layer 1 is not reached yet
    assert "Delta" not in titles(neuron_equations(s, 1, 1))
    assert "not computed yet" in titles(edge_equations(s, 1, 1, 1))

    worked.backward()
    s = state_of(worked)
    hidden = latex(neuron_equations(s, 1, 1))
    # δ^2_2 = (0.772928 − 0.99)·0.772928·0.227072 = −0.038098 (negative: in parentheses)
    # Σ_i w^2_i1 δ^2_i = 0.40·0.138499 + 0.50·(−0.038098) = 0.036350
    # σ'(z^1_1) = 0.593270·0.406730 = 0.241301; δ^1_1 = 0.036350·0.241301 = 0.008771
    assert r"0.4000 \cdot 0.1385 + 0.5000 \cdot ({-0.0381}) = 0.0364" in hidden
    assert r"0.5933(1 - 0.5933) = 0.2413" in hidden
    assert r"= 0.0364 \cdot 0.2413 = 0.0088" in hidden
    # ∂L/∂w^1_11 = δ^1_1 x_1 = 0.008771·0.05 = 0.000439: 0.0004 at 4 decimals, and in
    # scientific form at 3, where 0.000 would read as zero
    assert r"0.0088 \cdot 0.0500 = 0.0004" in latex(edge_equations(s, 1, 1, 1))
    assert r"= 4.39 \times 10^{-4}" in latex(edge_equations(s, 1, 1, 1, digits=3))


def test_update_by_hand(worked):
    worked.forward(all=True)
    before = update_equations(state_of(worked), 2, 1, 1)
    assert "comes from the backward pass" in before[0].title
    assert not re.search(r"\\cdot \d", before[0].latex)  # no gradient number yet
    worked.backward()
    midway = update_equations(state_of(worked), 2, 1, 1)[0]
    # the backward pass is not complete: the new value (0.3589) is not shown yet
    assert "once the backward pass is complete" in midway.title
    assert midway.latex.endswith(r"= 0.4000 - 0.5000 \cdot 0.0822") and "0.3589" not in midway.latex
    worked.backward()
    pending = update_equations(state_of(worked), 2, 1, 1)[0]
    # Update is next: the value it will make is shown, 0.40 − 0.5·0.082167 = 0.358916
    assert pending.title == "Update (runs next: the new value will be this)"
    assert pending.latex.endswith(r"= 0.4000 - 0.5000 \cdot 0.0822 = 0.3589")
    worked.update()
    s = state_of(worked)
    # w^2_11 ← 0.40 − 0.5·0.082167 = 0.358916; b^1_1 ← 0.35 − 0.5·0.008771 = 0.345614
    assert update_equations(s, 2, 1, 1)[0].latex.endswith(
        r"= 0.4000 - 0.5000 \cdot 0.0822 = 0.3589"
    )
    assert update_equations(s, 1, 1)[0].latex.endswith(r"= 0.3500 - 0.5000 \cdot 0.0088 = 0.3456")
    # the trace still shows the iteration that was run, with the weights it used
    assert r"0.4000 \cdot 0.5933" in latex(neuron_equations(s, 2, 1))
    assert edge_equations(s, 2, 1, 1)[0].latex == "w^{2}_{11} = 0.3589"


# ---- output delta: both forms ---------------------------------------------------------------
def product(expr: str) -> float:
    a, b = (float(x.strip(" (){}")) for x in expr.split(r"\cdot"))
    return a * b


def difference(expr: str) -> float:
    a, b = (float(x.strip(" (){}")) for x in expr.split(" - "))
    return a - b


def test_seed_xor_output_delta_both_forms_agree():
    net = engine.create_network({"preset": "seed-xor"})
    net.forward(all=True)
    net.backward()
    s = state_of(net)
    for sample in range(4):
        eqs = neuron_equations(s, 2, 1, sample=sample)
        general = by_title(eqs, "Output delta by the chain rule")
        simple = by_title(eqs, "Output delta, simplified")
        assert "agree" in general.title and "agree" in simple.title
        assert r"\frac{\partial \ell}{\partial \hat{y}_{1}}" in general.latex
        assert r"\hat{y}_{1} - y_{1}" in simple.latex
        value = last_side(general)
        assert (
            value
            == last_side(simple)
            == pytest.approx(net.trace.layers[1].delta[sample, 0], abs=5e-5)
        )
        # the shown numbers give the shown result: ∂ℓ/∂ŷ · σ'(z) and ŷ − y
        assert product(general.latex.split(" = ")[-2]) == pytest.approx(value, abs=2e-4)
        assert difference(simple.latex.split(" = ")[-2]) == pytest.approx(value, abs=2e-4)


def test_softmax_output_delta_jacobian_and_simplified():
    net = engine.create_network({"preset": "gauss-softmax"})
    net.forward(all=True)
    net.backward()
    s = state_of(net)
    eqs = neuron_equations(s, 2, 2, sample=3)
    general = by_title(eqs, "Output delta by the chain rule")
    assert "Jacobian" in general.title and not DECIMAL.search(general.latex)
    simple = by_title(eqs, "Output delta, simplified")
    assert difference(simple.latex.split(" = ")[-2]) == pytest.approx(last_side(simple), abs=2e-4)
    assert "Derivative of the activation" not in titles(eqs)  # no elementwise f' for softmax
    assert r"\frac{1}{150}" in by_title(eqs, "Batch loss").latex


# ---- every preset, every phase: valid MathML -------------------------------------------------
def phases(net):
    """Yield (phase name, state) for idle, every forward and backward step, and updated."""
    yield "idle", state_of(net)
    while net.next_action != "update":
        getattr(net, net.next_action)()
        yield f"{net.phase} {net.layer}", state_of(net)
    net.update()
    yield "updated", state_of(net)


def check_math(eq, where: str) -> None:
    root = ET.fromstring(eq.mathml)
    assert root.tag == MATHML + "math", where
    assert root.get("display") == "block", where
    assert eq.title and eq.latex, where


def panels(s, digits: int, aligned: bool):
    """Every neuron (first and last sample); edges and updates into the first and last
    neuron of each layer, from the first and last neuron below."""
    sizes, m = s.layers, s.m
    for layer, n in enumerate(sizes):
        for j in range(1, n + 1):
            for sample in sorted({0, m - 1}):
                yield neuron_equations(s, layer, j, sample, digits=digits, aligned=aligned)
        for j in sorted({1, n}) if layer else ():
            for k in sorted({1, sizes[layer - 1]}):
                yield edge_equations(s, layer, j, k, digits=digits, aligned=aligned)
                yield update_equations(s, layer, j, k, digits=digits, aligned=aligned)
            yield update_equations(s, layer, j, digits=digits, aligned=aligned)


@pytest.mark.parametrize("preset", list(engine.PRESETS))
def test_every_panel_renders_valid_mathml(preset):
    net = engine.create_network({"preset": preset})
    count = 0
    for index, (phase, s) in enumerate(phases(net)):
        digits, aligned = ((2, False), (8, True))[index % 2]
        if phase == "updated":  # the fullest state: every setting
            settings = ((2, False), (8, True), (4, False))
        else:
            settings = ((digits, aligned),)
        for digits, aligned in settings:
            for eqs in panels(s, digits, aligned):
                for eq in eqs:
                    check_math(eq, f"{preset} {phase} digits={digits}: {eq.latex}")
                    count += 1
    assert count > 100


@pytest.mark.parametrize("preset", list(engine.PRESETS))
def test_nothing_is_shown_before_it_is_computed(preset):
    net = engine.create_network({"preset": preset})
    for phase, s in phases(net):
        i = s.batch[0]  # a sample of the iteration's batch (sample 1 unless in mini-batches)
        for layer in range(1, len(s.layers)):
            lt = s.trace.layers[layer - 1]
            shown = titles(neuron_equations(s, layer, 1, sample=i))
            assert ("Weighted input (not computed yet)" in shown) == (lt.z is None), phase
            assert ("delta" in shown.lower()) == (lt.delta is not None), phase
            assert ("Bias gradient" in shown) == (lt.grad_b is not None), phase
            if layer == len(s.layers) - 1:
                assert ("Loss" in shown) == (s.trace.losses is not None), phase
            if lt.z is None:
                assert not DECIMAL.search(latex(neuron_equations(s, layer, 1, sample=i))), phase


def test_bad_arguments_raise_clear_errors(worked):
    s = state_of(worked)
    with pytest.raises(ValueError, match="layer is 3; it must be an integer from 0 to 2"):
        neuron_equations(s, 3, 1)
    with pytest.raises(ValueError, match="j is 0"):
        neuron_equations(s, 1, 0)
    with pytest.raises(ValueError, match="sample is 1; it must be an integer from 0 to 0"):
        neuron_equations(s, 1, 1, sample=1)
    with pytest.raises(ValueError, match="k is 3"):
        edge_equations(s, 1, 1, 3)
    with pytest.raises(ValueError, match="digits is 0"):
        update_equations(s, 1, 1, digits=0)
    with pytest.raises(ValueError, match="layer is 0"):
        edge_equations(s, 0, 1, 1)


def test_render_time_for_one_neuron_is_printed():
    """Not a timed assertion: prints how long one full panel takes (the largest output)."""
    net = engine.create_network({"preset": "circle-tanh"})
    net.forward(all=True)
    net.backward(all=True)
    s = state_of(net)
    runs = 20
    for cached in (False, True):
        start = time.perf_counter()
        for _ in range(runs):
            if not cached:  # measure the conversion, not the cache
                to_mathml.cache_clear()
                symbols_mathml.cache_clear()
            eqs = neuron_equations(s, 3, 1, sample=5) + neuron_equations(s, 2, 3, sample=5)
            _ = [eq.mathml for eq in eqs]
        ms = (time.perf_counter() - start) / runs / 2 * 1000
        where = "symbols cached" if cached else "converted"
        print(f"\nequations for one neuron (circle-tanh, {len(eqs)} / 2, {where}): {ms:.2f} ms")
    assert len(eqs) >= 10


@pytest.mark.parametrize(
    "side",
    [
        "0.4000 \\cdot 0.5933 + 0.4500 \\cdot 0.5969 + 0.6000",
        "\\frac{1}{1 + e^{-1.1059}}",
        "x^1.5 + 2.25_3.5",  # a script digit then a decimal: not one <mn> each
        "2.5pt + 0.5 em",  # decimals that are dimensions
        "\\frac12 + 1.25 \\times 10^{-5}",
        "-0.0000 + 0.0 - 123.456789",
        "\\tfrac{1}{2}[(0.7514 - 0.0100)^2 + (0.7729 - 0.9900)^2]",
        "0.7514(1 - 0.7514)",
    ],
)
def test_a_side_with_its_numbers_put_back_is_the_conversion_of_the_side(side):
    """The skeleton of a side (its decimals replaced by a placeholder) is converted once and
    the numbers are put back: the MathML must be exactly latex2mathml's of the side, also
    where the placeholder does not stand for one number (then the side is converted)."""
    from app.views.equations.mathml import END, MATH

    direct = to_mathml(side)
    assert direct.startswith(MATH) and direct.endswith(END)
    assert side_mathml(side) == direct[len(MATH) : -len(END)]
    assert side_mathml(side) == side_mathml(side)  # from the cache, the same


ARITY = {"msup": 2, "msub": 2, "msubsup": 3, "mfrac": 2, "mover": 2, "munder": 2, "munderover": 3}


def test_scripts_and_fractions_have_exactly_their_parts_for_every_activation():
    """A thin space slipped inside <msup> made Chromium draw tanh′ with a stray dot: every
    script element must keep exactly its base and scripts."""
    import xml.etree.ElementTree as ET

    import engine
    from app.views.equations import neuron_equations

    for preset in ("circle-tanh", "gauss-softmax", "seed-xor", "sine-regression"):
        net = engine.create_network({"preset": preset})
        net.forward(all=True)
        net.backward(all=True)
        state = frozen(net)
        for layer in range(1, len(state.layers)):
            for eq in neuron_equations(state, layer, 1):
                root = ET.fromstring(eq.mathml)
                for el in root.iter():
                    tag = el.tag.split("}")[-1]
                    if tag in ARITY:
                        assert len(el) == ARITY[tag], (preset, layer, eq.title, tag)


@pytest.mark.parametrize("preset", ["worked-example", "gauss-softmax", "sine-regression"])
def test_mathml_made_side_by_side_is_the_conversion_of_the_whole_equation(preset):
    """Each side of a chain is converted once (and cached) and the line or the aligned
    table is put together from the sides: it must be exactly what latex2mathml makes of
    the equation's whole LaTeX."""
    count = 0
    for optimizer in ("sgd", "adam"):
        net = engine.create_network({"preset": preset, "optimizer": optimizer})
        for _, s in phases(net):
            for aligned in (False, True):
                for eqs in panels(s, 4, aligned):
                    for eq in eqs:
                        assert eq.mathml == to_mathml(eq.latex), eq.latex
                        count += 1
    assert count > 500
