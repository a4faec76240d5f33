"""Reading the lab page as people do, at the viewport where each problem was seen: a phone
(390×844), a laptop (1366×768) at every text size, a projector (1920×1080). What is
asserted is what a person sees: sizes and positions on the screen, computed styles, text
and focus."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from tests.support.browser_helpers import api_post, create, new_page, rect, settle

PHONE, LAPTOP, PROJECTOR = (390, 844), (1366, 768), (1920, 1080)


def worked(base: str, *actions: str) -> str:
    nid = create(base, {"preset": "worked-example"})
    for action in actions:
        api_post(base, nid, action)
    return nid


def opened(browser, base: str, nid: str, size, scale: float = 1.0, touch=False, query=""):
    context, page = new_page(browser, *size, scale=scale, touch=touch)
    page.goto(f"{base}/n/{nid}{query}")
    expect(page.locator("#diagram")).to_have_attribute("data-scale", str(float(scale)))
    settle(page)
    return context, page


# ---- 1. a phone ---------------------------------------------------------------------------------
def test_on_a_phone_the_diagram_fills_the_width_and_a_tap_shows_the_equations(browser, server_url):
    nid = worked(server_url, "forward", "forward", "backward")
    context, page = opened(browser, server_url, nid, PHONE, touch=True)
    expect(page.locator("#diagram")).to_have_attribute("data-layout", "narrow")
    assert rect(page, "#net")["width"] >= 340  # of 390 (it was 0 px wide)
    heights = page.eval_on_selector_all(
        "#net text.main", "ts => ts.map(t => t.getBoundingClientRect().height)"
    )
    assert len(heights) == 6 and min(heights) >= 11, heights  # values readable
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]  # no sideways
    rights = page.eval_on_selector_all(
        "#controls button, #controls select, #controls input:not([type=hidden])",
        "es => es.map(e => e.getBoundingClientRect().right)",
    )
    assert max(rights) <= PHONE[0]  # the controls wrap
    page.locator("#n-1-2").tap()
    expect(page.locator("#eq-title")).to_have_text("Neuron 2 of layer 1 (hidden)")
    settle(page)
    title = rect(page, "#eq-title")
    assert title["top"] >= 0 and title["bottom"] <= PHONE[1]  # in view after the tap
    below = page.evaluate(
        "document.getElementById('eq-title').getBoundingClientRect().top + scrollY"
        " > document.getElementById('net').getBoundingClientRect().bottom + scrollY"
    )
    assert below  # the equations come below the diagram
    page.evaluate("scrollTo(0, 0)")
    edge = rect(page, "#link-e-2-1-1 line.hit")  # a horizontal line: tap its middle
    page.touchscreen.tap(edge["left"] + edge["width"] / 2, edge["top"])
    expect(page.locator("#eq-title")).to_contain_text("Weight w²₁₁")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    context.close()


def test_on_a_phone_the_training_view_is_readable(browser, server_url):
    nid = create(server_url, {"preset": "circle-tanh"})
    api_post(server_url, nid, "train", {"iterations": 200})
    context, page = opened(browser, server_url, nid, PHONE, query="?mode=train")
    expect(page.locator("#loss-curve svg")).to_be_visible()
    ticks = page.eval_on_selector_all(
        "#loss-curve text", "ts => ts.map(t => t.getBoundingClientRect().height)"
    )
    assert ticks and min(ticks) >= 10, ticks  # the curve's labels (7 px before)
    assert rect(page, "#net")["width"] >= 340
    inputs = page.eval_on_selector_all(
        "#net text.main", "ts => ts.map(t => t.getBoundingClientRect().height)"
    )
    assert inputs and min(inputs) >= 10, inputs
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    context.close()


# ---- 2. larger text (A+) ------------------------------------------------------------------------
def screen_overlaps(page) -> list[str]:
    """Pairs of diagram texts whose boxes on the screen overlap."""
    return page.evaluate(
        """() => {
          const ts = [...document.querySelectorAll('#net text')]
            .filter(t => t.textContent.trim())
            .map(t => [t.textContent, t.getBoundingClientRect()]);
          const out = [];
          for (let i = 0; i < ts.length; i++) for (let j = i + 1; j < ts.length; j++) {
            const [a, r] = ts[i], [b, s] = ts[j];
            if (r.left < s.right - 0.5 && s.left < r.right - 0.5 &&
                r.top < s.bottom - 0.5 && s.top < r.bottom - 0.5) out.push(a + ' / ' + b);
          }
          return out; }"""
    )


@pytest.mark.parametrize("scale", [1.3, 1.6])
def test_larger_text_keeps_labels_apart_and_equations_inside_the_panel(browser, server_url, scale):
    nid = worked(server_url, "step", "forward", "forward", "backward")
    context, page = opened(browser, server_url, nid, LAPTOP, scale=scale)
    assert screen_overlaps(page) == []
    titles = [rect(page, f"#colt-{l}") for l in range(3)]
    for a, b in itertools.pairwise(titles):
        assert a["right"] + 4 <= b["left"], (a, b)  # column titles no longer touch
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('#net text.main')).fontSize)"
    )
    font = page.evaluate(
        "parseFloat(getComputedStyle(document.getElementById('diagram')).getPropertyValue('--font'))"
    )
    assert size >= 0.85 * font  # a circle's value is rounded, not shrunk away
    overflowing = page.eval_on_selector_all(
        "#equations .eq",
        "es => es.filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1).length",
    )
    assert overflowing == 0  # every equation fits the panel (stacked at its '=' signs)
    panel = rect(page, "#equations")
    rights = page.eval_on_selector_all(
        "#equations math",
        "ms => ms.filter(m => m.getClientRects().length).map(m => m.getBoundingClientRect().right)",
    )
    assert rights and max(rights) <= panel["right"]
    page.click("#btn-step")  # the rest of the iteration, its update included
    expect(page.locator("#iteration")).to_have_text("2")
    settle(page, 600)
    assert screen_overlaps(page) == []  # "b was … → …" lines no longer collide
    context.close()


# ---- 3. a weight's number is its edge's link ----------------------------------------------------
def test_clicking_a_weights_number_focuses_its_edge(browser, server_url):
    nid = worked(server_url)
    context, page = opened(browser, server_url, nid, LAPTOP)
    page.locator("#lbl-e-2-1-1 text.w").click()
    expect(page.locator("#eq-title")).to_contain_text("Weight w²₁₁")
    assert "focus=e-2-1-1" in page.url
    expect(page.locator("#link-e-2-1-1")).to_have_attribute("aria-current", "true")
    context.close()


# ---- 8. one number format -----------------------------------------------------------------------
def test_one_number_format_in_every_part_of_the_page(browser, server_url):
    nid = worked(server_url, "forward", "forward", "backward", "backward")
    context, page = opened(browser, server_url, nid, LAPTOP, query="?digits=3&focus=e-1-1-1")
    text = page.locator("#lab").inner_text()
    assert not re.search(r"(?<![\w\-])-\d", text), "a hyphen as a minus sign"
    assert not re.search(r"\d[eE][-+]?\d", text), "e-notation"
    assert "−0.038" in text  # a true minus (δ²₂ in the tables)
    # ∂L/∂w¹₁₁ = 0.000439 would show as 0.000 at 3 decimals: scientific, in one style,
    # in the facts, the tables and the equations
    assert "4.39×10⁻⁴" in page.locator("#equations .facts").inner_text()
    assert "4.39×10⁻⁴" in page.locator("#t-w-1").inner_text()
    maths = page.locator("#equations").inner_text()
    assert "4.39×10" in maths.replace(" ", "") or "4.39\u00d710" in maths
    context.close()


# ---- 12. the newest equation in view ------------------------------------------------------------
def test_the_newest_equation_is_scrolled_into_view_below_the_panels_header(browser, server_url):
    nid = worked(server_url, "forward", "forward")
    context, page = opened(browser, server_url, nid, LAPTOP)
    page.click("#btn-backward")
    expect(page.locator("#phase")).to_contain_text("Backward · layer 2")
    settle(page)
    panel, newest = rect(page, "#equations"), rect(page, "#eq-newest")
    head = rect(page, "#equations .eq-head")
    scrolls = page.evaluate(
        "(e => e.scrollHeight > e.clientHeight)(document.getElementById('equations'))"
    )
    assert scrolls  # the panel is a scroll box on 1366×768 ...
    assert head["bottom"] - 1 <= newest["top"] and newest["bottom"] <= panel["bottom"] + 1
    assert abs(head["top"] - panel["top"]) <= 2  # ... its header with the values stays at the top
    expect(page.locator("#eq-newest .eq-title")).to_have_text("Bias gradient")
    context.close()


# ---- 13. a label is its edge's, on a halo, lit up with it ---------------------------------------
def test_hover_and_keyboard_focus_light_up_an_edge_and_its_label_together(browser, server_url):
    nid = worked(server_url, "step")
    context, page = opened(browser, server_url, nid, LAPTOP)
    hit, halo = "#link-e-2-1-2 .hit", "#lbl-e-2-1-2 rect.halo"

    def stroke(selector: str) -> str:
        return page.locator(selector).evaluate("e => getComputedStyle(e).stroke")

    quiet = stroke(hit), stroke(halo)
    page.locator("#lbl-e-2-1-2 text.w").hover()
    assert stroke(hit) != quiet[0] and stroke(halo) == "rgb(27, 33, 48)"
    page.mouse.move(0, 0)
    page.locator("#link-e-2-1-2").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus (focus-visible)
    dash = page.locator(hit).evaluate("e => getComputedStyle(e).strokeDasharray")
    assert dash != "none" and stroke(halo) == "rgb(27, 33, 48)"
    lines = page.locator("#lbl-e-2-1-2 text").all_text_contents()
    assert lines == ["was 0.4500", "0.4087"]  # two lines after Update (no ∇ line)
    context.close()


# ---- 14. the loss box after Update --------------------------------------------------------------
def test_after_update_the_loss_box_shows_the_old_loss_as_was(browser, server_url):
    nid = worked(server_url, "step")
    context, page = opened(browser, server_url, nid, LAPTOP)
    box = page.locator("#lossbox text").all_text_contents()
    assert box == ["loss mse", "L was 0.2984", "next Forward: the new L"]
    chip = page.locator("#loss").locator("xpath=..").inner_text()
    assert "was 0.2984" in chip
    page.click("#btn-forward")
    page.click("#btn-forward")
    expect(page.locator("#lossbox text.L")).to_have_text("L 0.2805")  # the new loss
    context.close()


# ---- contrast of the diagram's text -------------------------------------------------------------
CONTRAST = """() => {
  const lum = c => { const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const band = 'rgb(244, 235, 246)';  // the active backward band: the darkest background
  return [...document.querySelectorAll('#net text, #loss-curve text')]
    .filter(t => t.textContent.trim())
    .map(t => { const s = getComputedStyle(t), px = t.getBoundingClientRect().height / 1.2;
      return [t.textContent, Math.min(ratio(s.fill, 'rgb(255, 255, 255)'), ratio(s.fill, band)),
              px >= 24 || (px >= 18.66 && Number(s.fontWeight) >= 700)]; });
}"""


def test_every_diagram_and_plot_text_has_enough_contrast(browser, server_url):
    nid = worked(server_url, "step", "forward", "forward", "backward")
    context, page = opened(browser, server_url, nid, LAPTOP)
    found = page.evaluate(CONTRAST)
    nid2 = create(server_url, {"preset": "circle-tanh"})
    api_post(server_url, nid2, "train", {"iterations": 50})
    page.goto(f"{server_url}/n/{nid2}?mode=train")
    settle(page)
    found += page.evaluate(CONTRAST)
    weak = [(t, round(r, 2)) for t, r, large in found if r < (3.0 if large else 4.5)]
    assert len(found) > 40 and weak == []
    context.close()


# ---- the projector ------------------------------------------------------------------------------
def test_a_projector_gets_larger_type_and_the_whole_training_view(browser, server_url):
    nid = worked(server_url, "forward", "forward", "backward")
    context, page = opened(browser, server_url, nid, PROJECTOR)

    def px(selector: str) -> float:
        return page.locator(selector).first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )

    assert px("body") >= 18 and px("table.values") >= 16.5 and px("#equations math") >= 19.5
    nid2 = create(server_url, {"preset": "circle-tanh"})
    api_post(server_url, nid2, "train", {"iterations": 300})
    page.goto(f"{server_url}/n/{nid2}?mode=train")
    settle(page)
    for part in ("#net", "#boundary", "#loss-curve", "#hints"):
        r = rect(page, part)
        assert r["top"] >= 0 and r["bottom"] <= PROJECTOR[1], (part, r)
    assert page.locator("#hints li").count() >= 1
    context.close()
