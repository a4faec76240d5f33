"""The classroom in Chromium: a student's copy of the teacher's network is their own; My
networks remembers it; the presenter view at 1920×1080 meets its sizes (computed font
sizes, the diagram's labels as drawn on the screen); the QR code the page draws decodes
to the watch link; the keyboard reaches every new control."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from app.views.geometry import PRESENT_FONT
from tests.support.browser_helpers import api_post, api_state, create, new_page, settle

# Every text the presenter view shows outside the diagram and the equations' MathML:
# (selector, CSS px) pairs of what is measured, then the sizes asked for.
BODY_PX, EQUATION_PX, LABEL_PX = 24, 28, 18
MEASURE = """() => {
  const shown = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 2 && r.height > 2 && s.visibility !== 'hidden' && s.display !== 'none'
      && !e.closest('.vh, [hidden]'); };
  const own = e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  const body = [...document.querySelectorAll('#status *, #controls *, #equations *, #share *')]
    .filter(e => !e.closest('math, svg') && own(e) && shown(e))
    .map(e => [e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' '
               + e.textContent.trim().slice(0, 30), parseFloat(getComputedStyle(e).fontSize)]);
  const maths = [...document.querySelectorAll('#equations math')].filter(shown)
    .map(m => parseFloat(getComputedStyle(m).fontSize));
  const svg = document.querySelector('#net'), zoom = svg.getScreenCTM().a;
  const labels = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize) * zoom]);
  return {body, maths, labels, zoom, wide: document.documentElement.scrollWidth > innerWidth};
}"""


def watch_link(page) -> str:
    return page.locator("#watch-url").input_value()


def test_a_student_copy_is_their_own(browser, server_url):
    teacher_ctx, teacher = new_page(browser, 1366, 768)
    student_ctx, student = new_page(browser, 1366, 768)
    nid = create(server_url, {"preset": "worked-example"})
    teacher.goto(f"{server_url}/n/{nid}")
    link = watch_link(teacher)
    student.goto(link + "?present=1")
    expect(student.locator("#share h2")).to_contain_text("You are watching")
    teacher.click("#btn-forward")  # followed live: the note, the QR code and the view stay
    expect(student.locator("#phase")).to_contain_text("layer 1", timeout=2000)
    expect(student.locator("#share h2")).to_contain_text("You are watching")
    expect(student.locator("#share svg.qr")).to_be_visible()
    font = student.locator("#diagram").get_attribute("style")
    assert float(font.removeprefix("--font:").removesuffix("px")) >= PRESENT_FONT
    before = api_state(server_url, nid)
    student.click("#btn-copy")
    student.wait_for_url("**/n/*")
    copy = student.url.split("/n/")[1].split("?")[0]
    assert copy != nid
    student.click("#btn-forward")  # the copy was at layer 1 too: now layer 2
    expect(student.locator("#phase")).to_contain_text("layer 2")
    teacher.wait_for_timeout(800)  # time for a change to reach the teacher, were there one
    after = api_state(server_url, nid)
    assert (after["version"], after["cursor"]) == (before["version"], before["cursor"])
    expect(teacher.locator("#phase")).to_contain_text("layer 1")
    assert api_state(server_url, copy)["cursor"]["layer"] == 2
    # My networks: the student's browser remembers the copy, not the teacher's network
    student.goto(server_url + "/")
    row = student.locator(f"#mine-{copy}")
    expect(row).to_contain_text("2–2–2")
    expect(row).to_contain_text("iteration 0")
    assert student.locator(f"#mine-{nid}").count() == 0
    teacher_ctx.close()
    student_ctx.close()


def test_my_networks_lists_titles_marks_the_deleted_and_forgets(browser, server_url):
    context, page = new_page(browser, 1366, 768)
    page.goto(server_url + "/")
    expect(page.locator("#my-networks .empty")).to_be_visible()
    ids = []
    for _ in range(2):
        page.locator("#preset-worked-example button").click()
        page.wait_for_url("**/n/*")
        ids.append(page.url.split("/n/")[1].split("?")[0])
        page.goto(server_url + "/")
    page.goto(f"{server_url}/n/{ids[0]}")
    page.fill("#title", "Lesson <3> & more")
    page.click("#btn-title")
    expect(page.locator("#network-title")).to_have_text("Lesson <3> & more")
    expect(page).to_have_title("Lesson <3> & more · 2–2–2 network · backprop-lab")
    delete = f"{server_url}/api/networks/{ids[1]}"
    page.evaluate(
        "url => fetch(url, {method: 'DELETE', headers: {'X-Requested-With': 'x'}})", delete
    )
    page.goto(server_url + "/")
    expect(page.locator(f"#mine-{ids[0]} .net-title")).to_have_text("Lesson <3> & more")
    expect(page.locator(f"#mine-{ids[1]}")).to_contain_text("deleted")
    assert page.locator(f"#mine-{ids[1]} a").count() == 0
    # the keyboard reaches Forget; forgetting moves the focus to the next row's Forget
    forget = page.locator(f"#mine-{ids[1]} [data-forget]")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.forget") == ids[1]:
            break
    expect(forget).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"#mine-{ids[1]}")).to_have_count(0)
    expect(page.locator("#my-networks-status")).to_contain_text("not deleted")
    assert page.evaluate("JSON.parse(localStorage.getItem('bpl-networks')).length") == 1
    context.close()


@pytest.fixture
def presenting(server_url) -> str:
    nid = create(server_url, {"preset": "worked-example"})
    api_post(server_url, nid, "forward", {"all": True})
    api_post(server_url, nid, "backward")
    return f"{server_url}/n/{nid}?present=1&focus=n-2-1"


def test_the_presenter_view_meets_its_sizes_on_a_projector(browser, presenting):
    context, page = new_page(browser, 1920, 1080)
    page.goto(presenting)
    settle(page, 400)
    m = page.evaluate(MEASURE)
    small = [(what, px) for what, px in m["body"] if px < BODY_PX - 0.01]
    assert len(m["body"]) > 30 and small == [], small
    assert m["maths"] and min(m["maths"]) >= EQUATION_PX, m["maths"]
    tiny = [(text, round(px, 1)) for text, px in m["labels"] if px < LABEL_PX - 0.01]
    assert len(m["labels"]) > 20 and tiny == [], tiny
    assert m["zoom"] >= 1 and not m["wide"]
    assert not page.locator("#tables").is_visible()
    diagram, side = (page.locator(s).bounding_box() for s in ("#diagram", "#equations"))
    controls, share = (page.locator(s).bounding_box() for s in ("#controls", "#share svg.qr"))
    assert side["x"] >= diagram["x"] + diagram["width"] and controls["x"] == side["x"]
    assert share["x"] + share["width"] > 1920 - 600 and share["y"] < 250  # the top right corner
    assert diagram["y"] + diagram["height"] <= 1080  # the whole diagram without scrolling
    context.close()


def test_the_presenter_view_is_presentable_on_a_laptop(browser, presenting):
    context, page = new_page(browser, 1366, 768)
    page.goto(presenting)
    settle(page, 400)
    m = page.evaluate(MEASURE)
    assert not m["wide"] and min(m["body"], key=lambda b: b[1])[1] >= 16, min(
        m["body"], key=lambda b: b[1]
    )
    diagram, side = (page.locator(s).bounding_box() for s in ("#diagram", "#equations"))
    assert side["x"] >= diagram["x"] + diagram["width"]
    assert diagram["y"] + diagram["height"] <= 768
    page.click("#present-toggle")
    page.wait_for_url(lambda url: "present" not in url)
    assert page.locator("#tables").is_visible()
    context.close()


def decoded(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_qr_code_decodes_to_the_watch_link(browser, server_url):
    context, page = new_page(browser, 1366, 768)
    nid = create(server_url, {"preset": "seed-xor"})
    watch_id = api_state(server_url, nid)["watch_id"]
    page.goto(f"{server_url}/n/{nid}")
    link = watch_link(page)
    assert link == f"{server_url}/w/{watch_id}"
    assert decoded(page.locator("#share svg.qr").screenshot()) == [link]
    page.goto(f"{link}?present=1")  # the watch page in the presenter view shows it too
    assert decoded(page.locator("#share svg.qr").screenshot()) == [link]
    page.evaluate("document.querySelector('#share svg.qr path:last-child').remove()")
    assert decoded(page.locator("#share svg.qr").screenshot()) == []  # the check can fail
    context.close()


def test_the_keyboard_reaches_the_new_controls(browser, server_url):
    context, page = new_page(browser, 1366, 768)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    nid = create(server_url, {"preset": "worked-example"})
    page.goto(f"{server_url}/n/{nid}")
    wanted = {"present-toggle", "copy:watch-url", "title", "btn-title", "btn-copy"}
    reached = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        got = page.evaluate(
            "(() => { const a = document.activeElement;"
            " return a.dataset.copy ? 'copy:' + a.dataset.copy : a.id; })()"
        )
        reached.add(got)
        if got == "copy:watch-url":
            page.keyboard.press("Enter")
            expect(page.locator("#watch-url-copied")).to_have_text("Copied.")
        if wanted <= reached:
            break
    assert wanted <= reached, wanted - reached
    assert page.evaluate("navigator.clipboard.readText()") == watch_link(page)
    page.focus("#title")
    page.keyboard.type("Keyboard lesson")
    page.keyboard.press("Enter")
    expect(page.locator("#network-title")).to_have_text("Keyboard lesson")
    page.focus("#btn-copy")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: nid not in url and "/n/" in url)
    context.close()
