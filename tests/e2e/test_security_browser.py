"""In Chromium: a page on another site that posts forms and no-cors fetches at the lab, and
frames it, changes nothing and shows nothing; the lab's own pages (and /docs) work under
the Content-Security-Policy without a single violation."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.request
from functools import partial

import pytest
from playwright.sync_api import expect

from tests.support.browser_helpers import api_state, open_preset
from tests.support.live_server import free_port

ATTACK = """<!doctype html><html><body>
<iframe name="sink" id="sink"></iframe>
<iframe id="framed" src="{app}/n/{nid}"></iframe>
<form id="f1" method="post" action="{app}/n/{nid}/step" target="sink">
  <input name="seen" value="1"></form>
<form id="f2" method="post" action="{app}/api/networks/{nid}/step" target="sink"
  enctype="text/plain"><input name='{{"all": true, "x": "' value='"}}'></form>
<form id="f3" method="post" action="{app}/n/{nid}/edit" target="sink">
  <input name="key" value="lr"><input name="value" value="9"></form>
<script>
  document.getElementById("f1").submit();
  setTimeout(() => document.getElementById("f2").submit(), 300);
  setTimeout(() => document.getElementById("f3").submit(), 600);
  for (const action of ["step", "update", "reset", "forward"]) {{
    fetch("{app}/api/networks/{nid}/" + action, {{method: "POST", mode: "no-cors"}});
  }}
  fetch("{app}/api/networks/{nid}/train", {{method: "POST", mode: "no-cors",
    headers: {{"content-type": "text/plain"}}, body: '{{"iterations": 5}}'}});
  fetch("{app}/api/networks/{nid}", {{method: "DELETE", mode: "no-cors"}});
  setTimeout(() => {{ document.title = "done"; }}, 1500);
</script></body></html>"""


@pytest.fixture
def other_site(tmp_path):
    """An HTTP server on 127.0.0.2 (another site than 127.0.0.1) serving tmp_path."""
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.2", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.2:{server.server_address[1]}"
    server.shutdown()


def test_another_sites_forms_and_fetches_change_nothing(page, server_url, other_site):
    folder, origin = other_site
    with urllib.request.urlopen(
        urllib.request.Request(
            server_url + "/api/networks",
            data=json.dumps({"preset": "worked-example"}).encode(),
            headers={"content-type": "application/json"},
        )
    ) as answer:
        before = json.load(answer)
    nid = before["id"]
    (folder / "attack.html").write_text(ATTACK.format(app=server_url, nid=nid))
    refused = []
    page.on("response", lambda r: r.url.startswith(server_url) and refused.append(r.status))
    page.goto(f"{origin}/attack.html")
    expect(page).to_have_title("done", timeout=10_000)
    page.wait_for_timeout(500)
    after = api_state(server_url, nid)
    assert after["version"] == before["version"] == 1  # nothing changed: no step, no edit
    assert after["learning_rate"] == before["learning_rate"]
    assert 403 in refused  # the forms were answered, with a refusal
    framed = page.frame_locator("#framed").locator("#lab")
    expect(framed).to_have_count(0)  # frame-ancestors 'none': the lab page is not shown


def violations_of(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and seen.append(m.text),
    )
    return seen


def test_the_lab_pages_work_under_the_csp_without_a_violation(page, server_url):
    seen = violations_of(page)
    nid = open_preset(page, server_url, "circle-tanh")
    page.click("#btn-forward")
    expect(page.locator("#lab")).to_have_attribute("data-version", "2")
    page.click("#btn-step")
    expect(page.locator("#lab")).to_have_attribute("data-version", "3")
    page.goto(f"{server_url}/n/{nid}?mode=train&thumbs=1")
    expect(page.locator("#bd-img")).to_be_visible()
    page.click("#btn-play")
    expect(page.locator("#btn-pause")).to_be_visible()
    page.wait_for_function("() => Number(document.getElementById('iteration').textContent) > 20")
    page.click("#btn-pause")
    expect(page.locator("#btn-play")).to_be_visible()
    page.goto(f"{server_url}/n/nothing-here")
    assert seen == []
    assert api_state(server_url, nid)["version"] > 3


def test_swagger_ui_works_under_the_csp(page, server_url):
    seen = violations_of(page)
    page.goto(server_url + "/docs")
    expect(
        page.locator(".opblock-summary-path", has_text="/api/networks/{nid}/step")
    ).to_be_visible(timeout=15_000)
    assert seen == []
