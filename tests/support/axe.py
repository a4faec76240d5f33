"""axe-core in the page under test: WCAG 2.1 A and AA and axe's best practices. axe.min.js
comes with the PyPI package axe-playwright-python (a test extra), so nothing is fetched at
test time; it is injected with page.evaluate, which a strict Content-Security-Policy
(script-src 'self') does not block, unlike a script tag."""

from __future__ import annotations

from functools import cache
from pathlib import Path

RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    # axe keeps the label-in-name check among its experimental rules: run it too
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}


@cache
def axe_script() -> str:
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text("utf-8")


def violations(page, context: str | None = None) -> list[dict]:
    """axe's violations on the page as it is now (id, impact, help, nodes[].target)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script())
    return page.evaluate(
        "([ctx, opts]) => axe.run(ctx ?? document, opts).then(r => r.violations)",
        [context, RULES],
    )


def describe(found: list[dict]) -> str:
    """For an assertion message: each violation with the elements it names."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        f"{[(n['target'], n.get('failureSummary', '')[:160]) for n in v['nodes']][:6]}"
        for v in found
    )
