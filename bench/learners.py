"""Simulated learners for `python -m bench.classroom`: each opens the lab page of a network
of their own and then clicks it as the page's htmx does (the same URLs, headers and form
fields), or plays it the way the player form's `hx-trigger="every …"` refreshes it.

The fields a click sends are read from the last answer (the step form's hidden inputs:
view state, `at`, `seen`), and the next click is the button that answer left enabled, so a
learner follows the cursor through Forward, Backward and Update, with a Step now and then.
"""

from __future__ import annotations

import asyncio
import html
import random
import re
import ssl
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

from app.settings import Settings
from bench.training import NET, PageHolds
from bench.wire import Reply, Wire, WireError

PRESETS: list[dict] = [
    {"preset": "worked-example"},
    {"preset": "seed-xor"},
    {"preset": "circle-tanh"},
    {"preset": "gauss-softmax"},
    {"preset": "sine-regression"},
    NET,  # 2-8-8-1 on 200 circle samples
]
THINK = 3.0  # seconds a learner thinks between an answer and the next click, on average
STEP_SHARE = 0.2  # of clicks that press Step rather than the next single action
POLL = 0.125  # seconds between refreshes when the player's hx-trigger cannot be read
TIMEOUT = 60.0  # htmx's default request timeout
ACTIONS = ("forward", "backward", "update")
TLS = ssl.create_default_context()  # shared: building one per client costs ~40 ms of CPU
# A browser that sends a request on a kept-alive connection just as the server closes it
# (its keep-alive timeout) sends it again on a new connection (Chromium: a reused
# connection closed before any answer arrives); httpx reports a ReadError instead. A
# learner's client therefore lets an idle connection go well before the server would:
# at half its timeout, which leaves room for this generator's own event-loop lag (the
# server counts from when it sent the answer, the client from when it read it).
KEEP_ALIVE = Settings().keep_alive_seconds / 2
INPUT = re.compile(r"<input\b[^>]*>")
OPTION = re.compile(r"<select\b[^>]*\bname=\"([^\"]+)\"[^>]*>.*?</select>", re.S)
ATTR = re.compile(r'\b(name|value|type)="([^"]*)"')


@dataclass
class Stats:
    """What the learners saw: latencies of the answers that arrive inside the window
    [start, end], and every error (warm-up included)."""

    start: float = 0.0
    end: float = float("inf")
    latencies: dict[str, list[float]] = field(default_factory=dict)  # kind -> seconds
    errors: Counter = field(default_factory=Counter)  # "kind: what" -> count

    def inside(self, t: float) -> bool:
        return self.start <= t <= self.end

    def ok(self, kind: str, seconds: float) -> None:
        if self.inside(time.monotonic()):
            self.latencies.setdefault(kind, []).append(seconds)

    def error(self, kind: str, what: str) -> None:
        self.errors[f"{kind}: {what}"] += 1

    def count(self, kind: str) -> int:
        return len(self.latencies.get(kind, []))


def client(url: str, timeout: float | httpx.Timeout = TIMEOUT) -> httpx.AsyncClient:
    """A client with connections of its own (a learner's: one keep-alive connection, as a
    browser tab that sends one request at a time)."""
    limits = httpx.Limits(keepalive_expiry=KEEP_ALIVE)
    return httpx.AsyncClient(base_url=url, timeout=timeout, verify=TLS, limits=limits)


def tab(url: str) -> httpx.AsyncClient | Wire:
    """A learner's connection in a class (bench/classroom.py): bench.wire's lean client,
    which leaves the server the CPU that httpx's layers would take on the same cores (an
    https deployment gets httpx's client)."""
    return Wire(url, TIMEOUT, KEEP_ALIVE) if url.startswith("http://") else client(url)


def form_html(page: str, form_id: str) -> str:
    match = re.search(rf'<form id="{form_id}".*?</form>', page, re.S)
    return match.group(0) if match else ""


def form_fields(form: str) -> dict[str, str]:
    """What the browser's FormData holds for `form`: named inputs (a checkbox or radio
    button only when checked, with its value or "on"), and each select's selected option
    (its first when none is)."""
    fields = {}
    for tag in INPUT.findall(form):
        attrs = dict(ATTR.findall(tag))
        if "name" not in attrs or " disabled" in tag:
            continue
        if attrs.get("type") in ("checkbox", "radio"):
            if re.search(r"\schecked[\s>/=]", tag):
                fields[attrs["name"]] = html.unescape(attrs.get("value", "on"))
            continue
        fields[attrs["name"]] = html.unescape(attrs.get("value", ""))
    for name, select in ((m.group(1), m.group(0)) for m in OPTION.finditer(form)):
        values = re.findall(r'<option value="([^"]*)"( selected)?', select)
        chosen = [v for v, s in values if s] or [v for v, _ in values[:1]]
        fields[name] = html.unescape(chosen[0]) if chosen else ""
    return fields


def enabled(form: str, button_id: str) -> bool:
    match = re.search(rf'<button id="{button_id}"[^>]*>', form)
    return match is not None and " disabled" not in match.group(0)


def poll_seconds(player: str) -> float:
    """The interval of the player's `hx-trigger="every 120ms"` (POLL if none)."""
    match = re.search(r'hx-trigger="every ([\d.]+)(ms|s)"', player)
    if not match:
        return POLL
    return float(match.group(1)) / (1000 if match.group(2) == "ms" else 1)


def htmx_headers(source: str, current_url: str) -> dict[str, str]:
    """The headers htmx 4 adds to a request from `source` ("button#btn-step") whose
    target is the lab region, as the page's `hx-target:inherited="#lab"` makes it."""
    return {
        "HX-Request": "true",
        "HX-Source": source,
        "HX-Current-URL": current_url,
        "HX-Target": "div#lab",
        "HX-Request-Type": "partial",
        "Accept": "text/html",
    }


class Learner:
    """One browser tab on the lab page of network `nid`, with its own connection."""

    def __init__(self, http: httpx.AsyncClient | Wire, nid: str, stats: Stats, rng: random.Random):
        self.http, self.nid, self.stats, self.rng = http, nid, stats, rng
        self.origin = str(http.base_url).rstrip("/")
        self.url = f"{self.origin}/n/{nid}"  # what htmx sends as HX-Current-URL
        self.steps = self.player = ""  # the step form and the player form last seen
        self.interval = POLL
        self.holds = PageHolds()  # what play.js keeps between refreshes

    async def send(self, kind: str, method: str, path: str, **kw) -> httpx.Response | Reply | None:
        """One request; its latency when it answers 2xx/3xx, else an error by kind."""
        t0 = time.monotonic()
        try:
            response = await self.http.request(method, path, **kw)
        except (httpx.HTTPError, WireError) as e:
            self.stats.error(kind, type(e).__name__)
            return None
        if response.status_code >= 400:
            self.stats.error(kind, f"HTTP {response.status_code}")
            return None
        self.stats.ok(kind, time.monotonic() - t0)
        return response

    async def htmx_post(self, kind: str, action: str, form: str, source: str, extra=None):
        """POST /n/{id}/{action} as htmx sends it from `source`, with `form`'s fields (and
        `extra`, those the page's scripts add)."""
        return await self.send(
            kind,
            "POST",
            f"/n/{self.nid}/{action}",
            data={**form_fields(form), **(extra or {})},
            headers=htmx_headers(source, self.url),
        )

    def seen(self, page: str, replace_url: str | None = None) -> None:
        """Keep the forms of an answer, and the address htmx shows after it."""
        self.steps = form_html(page, "step-form") or self.steps
        self.player = form_html(page, "player") or self.player
        self.holds.markup(page)
        if replace_url:
            self.url = self.origin + replace_url

    async def open(self) -> bool:
        response = await self.send("page", "GET", f"/n/{self.nid}")
        if response is not None:
            self.seen(response.text, f"/n/{self.nid}")
        return response is not None

    def next_action(self) -> str:
        allowed = [a for a in ACTIONS if enabled(self.steps, f"btn-{a}")]
        if not allowed or self.rng.random() < STEP_SHARE:
            return "step"
        return allowed[0]

    async def click(self) -> bool:
        """The next button, with the step form's fields; the page reopens after an error."""
        action = self.next_action()
        response = await self.htmx_post("click", action, self.steps, f"button#btn-{action}")
        if response is None:
            return await self.open()
        self.seen(response.text, response.headers.get("HX-Replace-Url"))
        return True

    async def play(self) -> bool:
        """Play, with the player form's fields; then the player polls."""
        response = await self.htmx_post("play", "play", self.player, "button#btn-play")
        if response is None:
            return False
        self.seen(response.text, response.headers.get("HX-Replace-Url"))
        self.interval = poll_seconds(self.player)
        return 'id="btn-pause"' in self.player

    async def refresh(self) -> bool:
        """One refresh as the page's static/js/play.js sends it: with the layout the
        diagram shows and the partials it holds, so that a refresh of that layout comes as
        numbers (JSON, which never stops playing). False once the answer sends the player
        back (playing stopped). A failed refresh does not stop the player: its trigger
        keeps firing."""
        extra = self.holds.fields()
        response = await self.htmx_post("refresh", "chunk", self.player, "form#player", extra)
        if response is None:
            return True
        if response.headers.get("content-type", "").endswith("json"):
            self.holds.numbers(response.json())
            return True
        self.seen(response.text)
        return 'hx-target="#player"' not in response.text

    async def think(self) -> None:
        await asyncio.sleep(self.rng.expovariate(1 / THINK))

    async def clicking(self) -> None:
        """Open the page, then think and click, until cancelled."""
        while not await self.open():
            await self.think()
        while True:
            await self.think()
            await self.click()

    async def playing(self) -> None:
        """Open the page, think, press Play and follow the player's trigger until
        cancelled; press Play again (after thinking) if playing stops."""
        while not await self.open():
            await self.think()
        while True:
            await self.think()
            if await self.play():
                await self.poll()

    async def poll(self) -> None:
        """Refreshes as `hx-trigger="every …"` with htmx's default sync ("queue first")
        sends them: a tick every interval; a tick while a refresh is on the way queues
        one more, sent as soon as it answers; further ticks meanwhile are dropped."""
        t0, tick = time.monotonic(), 1
        while True:
            await asyncio.sleep(max(0.0, t0 + tick * self.interval - time.monotonic()))
            sent = time.monotonic()
            if not await self.refresh():
                return
            done = time.monotonic()
            tick = int((done - t0) / self.interval) + 1
            if int((sent - t0) / self.interval) < tick - 1:
                tick -= 1  # a tick came while waiting: the queued refresh goes now
