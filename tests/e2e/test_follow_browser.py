"""Live follow in the browser (two contexts: a teacher and a student): the teacher's
Forward shows on the student's watch page within a second, without a reload, keeping the
student's own view; the edit page's other tab follows too."""

from __future__ import annotations

import time

import pytest

from tests.support.browser_helpers import api_post, api_state, create

SERVER_ENV = {"BACKPROP_LAB_CREATE_PER_MINUTE": "0"}


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """A real server with two worker processes (the teacher's and the student's requests
    may land in either)."""
    from tests.support.live_server import LiveServer

    db = str(tmp_path_factory.mktemp("follow") / "lab.db")
    with LiveServer(db, workers=2, env=SERVER_ENV) as server:
        yield server.url


def contexts(browser, n: int = 2):
    return [browser.new_context(viewport={"width": 1366, "height": 768}) for _ in range(n)]


def test_the_teachers_forward_shows_on_the_watch_page_within_a_second(browser, two_workers):
    base = two_workers
    nid = create(base, {"preset": "seed-xor"})
    watch_id = api_state(base, nid)["watch_id"]
    teacher_ctx, student_ctx = contexts(browser)
    try:
        teacher, student = teacher_ctx.new_page(), student_ctx.new_page()
        teacher.goto(f"{base}/n/{nid}")
        student.goto(f"{base}/w/{watch_id}?focus=n-2-1&digits=3")
        assert nid not in student.content()
        assert student.locator("#btn-forward").count() == 0  # nothing that changes it
        # its one posting form is Make my own copy, which changes no network
        posts = student.locator("form[method=post]")
        assert posts.count() == 1 and posts.get_attribute("action") == f"/w/{watch_id}/copy"
        student.wait_for_function("() => document.querySelector('#lab').dataset.version")
        time.sleep(0.5)  # the stream is open
        student.evaluate("() => { window.__marker = 'not reloaded'; }")
        before = student.locator("#lab").get_attribute("data-version")
        teacher.click("#btn-forward")
        teacher.wait_for_function(
            f"() => document.querySelector('#lab').dataset.version !== '{before}'"
        )
        t0 = time.monotonic()
        student.wait_for_function(
            f"() => document.querySelector('#lab').dataset.version !== '{before}'", timeout=1000
        )
        took = time.monotonic() - t0
        assert took < 1.0, took
        assert student.evaluate("() => window.__marker") == "not reloaded"
        assert student.locator("#phase").inner_text() == teacher.locator("#phase").inner_text()
        assert "n-2-1" in student.url and "digits=3" in student.url  # the student's own view
        assert student.locator("#lab .focus").count() > 0
        # the student chooses another neuron; the next change comes in that view
        student.click("a#n-1-2")
        student.wait_for_url("**focus=n-1-2**")
        time.sleep(0.3)
        now = student.locator("#lab").get_attribute("data-version")
        teacher.click("#btn-forward")
        student.wait_for_function(
            f"() => document.querySelector('#lab').dataset.version !== '{now}'", timeout=1000
        )
        assert student.locator("a#n-1-2").get_attribute("aria-current") == "true"
        assert student.evaluate("() => window.__marker") == "not reloaded"
        assert student.locator("#phase").inner_text() == teacher.locator("#phase").inner_text()
    finally:
        teacher_ctx.close()
        student_ctx.close()


def test_the_edit_pages_other_tab_follows_and_a_deleted_network_says_so(browser, two_workers):
    base = two_workers
    nid = create(base, {"preset": "seed-xor"})
    (ctx,) = contexts(browser, 1)
    try:
        one, other = ctx.new_page(), ctx.new_page()
        one.goto(f"{base}/n/{nid}")
        other.goto(f"{base}/n/{nid}")
        time.sleep(0.5)
        api_post(base, nid, "forward")
        other.wait_for_function("() => document.querySelector('#lab').dataset.version === '2'")
        one.wait_for_function("() => document.querySelector('#lab').dataset.version === '2'")
        assert other.locator("#btn-forward").count() == 1  # the edit page keeps its controls
        other.click("#btn-forward")
        one.wait_for_function("() => document.querySelector('#lab').dataset.version === '3'")
        watch_id = api_state(base, nid)["watch_id"]
        student = ctx.new_page()
        student.goto(f"{base}/w/{watch_id}")
        time.sleep(0.5)
        import httpx

        assert (
            httpx.delete(
                f"{base}/api/networks/{nid}", headers={"X-Requested-With": "t"}
            ).status_code
            == 204
        )
        student.wait_for_function(
            "() => document.querySelector('#lab').hasAttribute('data-deleted')"
        )
        assert "deleted" in student.locator("#where").inner_text()
    finally:
        ctx.close()


@pytest.mark.parametrize("query", ["", "?mode=train"])
def test_the_watch_page_after_a_live_change_has_no_accessibility_violations(
    browser, two_workers, query
):
    from tests.support import axe

    base = two_workers
    nid = create(base, {"preset": "circle-tanh"})
    api_post(base, nid, "train", {"iterations": 10})
    watch_id = api_state(base, nid)["watch_id"]
    (ctx,) = contexts(browser, 1)
    try:
        student = ctx.new_page()
        student.goto(f"{base}/w/{watch_id}{query}")
        time.sleep(0.5)
        version = api_post(base, nid, "forward")["version"]
        student.wait_for_function(
            f"() => document.querySelector('#lab').dataset.version === '{version}'"
        )
        assert "The network changed" in student.locator("#announce").inner_text()
        found = axe.violations(student)
        assert not found, axe.describe(found)
    finally:
        ctx.close()
